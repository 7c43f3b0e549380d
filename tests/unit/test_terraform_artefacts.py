"""Every deployable artefact the Terraform references exists or is built by a make target, and what
Terraform hands the runtime (handlers, entry scripts, settings, arguments) is what the runtime reads.

Read from the Terraform sources as text (no Terraform needed): the Lambda handlers and zip, the Glue
entry scripts and wheel, the Step Functions definitions, the service images, the Lambda environment
names and the Glue arguments.
"""

from __future__ import annotations

import argparse
import importlib
import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
TF = REPO / "terraform"
STREAMING_ROOTS = {"web-logs": "web", "crm-logs": "crm"}


def text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def make_variable(name: str) -> str:
    """The value of a `NAME := value` / `NAME ?= value` line in make/*.mk."""
    for mk in sorted((REPO / "make").glob("*.mk")):
        match = re.search(rf"^{name}\s*[:?]?=\s*(.+)$", text(mk), re.M)
        if match:
            return match.group(1).strip()
    raise AssertionError(f"{name} is not set in make/*.mk")


def make_recipe(target: str) -> str:
    """The rule line and recipe of `target` in make/*.mk."""
    for mk in sorted((REPO / "make").glob("*.mk")):
        match = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n|\s*\n)*)", text(mk), re.M)
        if match:
            return match.group(0)
    raise AssertionError(f"no make target {target}")


def hcl_block(source: str, header: str) -> str:
    """The body of the block starting with `header` (balanced braces)."""
    start = source.index(header)
    depth, i = 0, source.index("{", start)
    for j in range(i, len(source)):
        depth += {"{": 1, "}": -1}.get(source[j], 0)
        if depth == 0:
            return source[i : j + 1]
    raise AssertionError(f"unbalanced block {header}")


# --- Lambda --------------------------------------------------------------------------------------


def test_stream_handlers_are_importable_and_callable() -> None:
    main = text(TF / "modules" / "streaming-source" / "main.tf")
    assert 'handler            = "shopware.aws.lambdas.${replace(local.kind, "-", "_")}.handler"' in main
    for kind in STREAMING_ROOTS:
        module = importlib.import_module(f"shopware.aws.lambdas.{kind.replace('-', '_')}")
        assert callable(module.handler), kind


def test_lambda_zip_and_runtime_are_what_make_lambda_zip_builds() -> None:
    zip_path = make_variable("LAMBDA_ZIP")
    assert zip_path == "dist/lambda/stream-processor.zip"
    assert "lambda-zip" in make_recipe("lambda-zips")
    for root in STREAMING_ROOTS:
        assert f'"${{path.module}}/../../../{zip_path}"' in text(TF / "sources" / root / "main.tf"), root
    runtime = re.search(
        r'variable "runtime" \{.*?default\s*=\s*"([^"]+)"',
        text(TF / "modules" / "stream-processor" / "variables.tf"),
        re.S,
    )
    assert runtime is not None
    assert runtime.group(1) == f"python{make_variable('LAMBDA_PYTHON')}"


def _lambda_environment_names() -> set[str]:
    processor = hcl_block(text(TF / "modules" / "streaming-source" / "main.tf"), 'module "processor" {')
    environment = processor[processor.index("environment = merge(") :]
    return set(re.findall(r"^\s+(SHOPWARE_[A-Z_]+)\s+=", environment, re.M))


def test_lambda_environment_is_what_the_runtime_reads() -> None:
    from shopware.alerts.settings import AlertSettings
    from shopware.aws.settings import StreamSettings
    from shopware.warehouse.settings import WarehouseSettings

    read = {f"SHOPWARE_{f.upper()}" for f in StreamSettings.model_fields}
    read |= {f"SHOPWARE_WAREHOUSE_{f.upper()}" for f in WarehouseSettings.model_fields}
    read |= {f"SHOPWARE_ALERTS_{f.upper()}" for f in AlertSettings.model_fields}
    passed = _lambda_environment_names()
    assert {"SHOPWARE_LAKE", "SHOPWARE_LAKE_BUCKET", "SHOPWARE_LOAD_WAREHOUSE"} <= passed
    unread = passed - read
    assert not unread, f"Terraform sets settings the runtime never reads: {sorted(unread)}"


# --- Glue ----------------------------------------------------------------------------------------


def _batch_tf() -> str:
    return text(TF / "platform" / "batch.tf")


def test_glue_entry_scripts_exist_and_are_staged_by_make_glue_artefacts() -> None:
    scripts = re.search(r"glue_scripts\s*=\s*\[([^\]]+)\]", _batch_tf())
    assert scripts is not None
    names = re.findall(r'"([^"]+\.py)"', scripts.group(1))
    assert names == ["bronze_to_silver.py", "silver_to_gold.py"]
    recipe = make_recipe("glue-artefacts")
    for name in names:
        assert (REPO / "transforms" / "glue" / name).is_file(), name
        assert f"transforms/glue/{name}" in recipe, f"make glue-artefacts does not stage {name}"
    for module in ("bronze_to_silver", "silver_to_gold"):
        assert f"${{local.artefacts_uri}}/{module}.py" in _batch_tf()
        assert f"asl/{module}.asl.json" in _batch_tf()


def test_glue_wheel_pattern_matches_the_wheel_make_builds() -> None:
    project = tomllib.loads(text(REPO / "pyproject.toml"))["project"]
    wheel = f"{re.sub(r'[-_.]+', '_', project['name'])}-{project['version']}-py3-none-any.whl"
    pattern = re.search(r'fileset\(local\.glue_artefacts_dir, "([^"]+)"\)', _batch_tf())
    assert pattern is not None
    assert re.fullmatch(pattern.group(1).replace(".", r"\.").replace("*", ".*"), wheel)
    recipe = make_recipe("glue-artefacts")
    assert "pip wheel" in recipe
    assert "mv " not in recipe, "the wheel must keep the name pip gives it"
    assert make_variable("GLUE_ARTEFACTS") == "$(DIST)/glue"
    assert make_variable("DIST") == "dist"
    assert '"${path.module}/../../dist/glue"' in _batch_tf()


def test_glue_arguments_are_what_job_args_reads() -> None:
    from shopware.aws.glue import job_args

    arguments = hcl_block(_batch_tf(), "common_glue_arguments = merge(")
    passed = set(re.findall(r'"(--[a-z-]+)"\s+=', arguments)) | {"--sources", "--lake-prefix"}
    assert {"--lake", "--lake-bucket"} <= passed
    # The runtime's parser: every option it defines, by its flag.
    known: set[str] = set()
    real_parse = argparse.ArgumentParser.parse_known_args

    def capture(self: argparse.ArgumentParser, *args: object, **kwargs: object) -> object:
        known.update(s for a in self._actions for s in a.option_strings)
        return real_parse(self, *args, **kwargs)

    argparse.ArgumentParser.parse_known_args = capture  # type: ignore[method-assign,assignment]
    try:
        job_args(["--lake", "/tmp/shopware-lake", "--sources", "pos,inventory"])
    finally:
        argparse.ArgumentParser.parse_known_args = real_parse  # type: ignore[method-assign]
    unknown = passed - known
    assert not unknown, f"Terraform passes arguments job_args ignores: {sorted(unknown)}"


def test_bronze_to_silver_sources_are_the_runtime_batch_sources() -> None:
    from shopware.aws.glue import BATCH_SOURCES

    sources = re.search(r"batch_sources\s*=\s*\[([^\]]+)\]", _batch_tf())
    assert sources is not None
    assert tuple(re.findall(r'"([a-z]+)"', sources.group(1))) == BATCH_SOURCES


# --- Step Functions and images -------------------------------------------------------------------


def test_every_asl_file_terraform_references_exists() -> None:
    referenced = set(re.findall(r"asl/([a-z_]+\.asl\.json)", _batch_tf()))
    assert referenced == {"bronze_to_silver.asl.json", "silver_to_gold.asl.json"}
    for name in referenced:
        assert (TF / "asl" / name).is_file(), name


def test_ecr_repositories_are_where_make_build_push_pushes() -> None:
    services = hcl_block(text(TF / "platform" / "main.tf"), "services = {")
    sources = dict(re.findall(r'"([a-z-]+)"\s*=\s*"([a-z-]+)"', services))
    assert 'name                 = "shopware-${each.value}"' in text(TF / "platform" / "main.tf")
    recipe = make_recipe("build-push")
    assert "repo=shopware-$(SOURCE)" in recipe
    for source in sources.values():
        assert make_variable(f"INGESTION_TARGET_{source}"), f"make build-push SOURCE={source} builds nothing"
    assert set(sources.values()) == {"pos", "inventory", "web-logs", "crm-logs"}
