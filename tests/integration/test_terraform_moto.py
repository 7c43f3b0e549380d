"""terraform apply + destroy of the platform and all four source roots against moto on loopback.

moto runs in server mode in a child process (terraform/scripts/moto_local.py serve, which adds the
commented compatibility shims); terraform talks to it through AWS_ENDPOINT_URL. State and generated
variables live in a temporary folder. See terraform/README.md for what moto cannot run.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from types import ModuleType

import boto3
import pytest

from shopware.ingestion.loopback import free_port

REPO = Path(__file__).resolve().parents[2]
HARNESS_PATH = REPO / "terraform" / "scripts" / "moto_local.py"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("terraform") is None, reason="terraform is not on PATH"),
]


def load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("moto_local", HARNESS_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


harness = load_harness()


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    # The provider comes from the machine's filesystem mirror: make writes the CLI config for it.
    subprocess.run(["make", "-s", "-C", str(REPO), "tf-rc"], check=True)
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, str(HARNESS_PATH), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        harness.wait_until_up(url)
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def client(service: str, endpoint: str):  # boto3 clients are untyped
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=harness.REGION,
        aws_access_key_id="test",
        aws_secret_access_key="test",
    )


def destroy_if_applied(root: str, endpoint: str, work: Path) -> None:
    if (work / f"{root}.tfstate").exists():
        harness.destroy(root, endpoint, work)


def test_platform_and_every_source_apply_then_destroy(endpoint: str, tmp_path: Path) -> None:
    roots = ["platform", *harness.SOURCES]
    applied: list[str] = []

    def each_source(action: Callable[[str, str, Path], None]) -> None:
        # The four source roots are independent of each other (each only reads the platform's
        # outputs), so they are applied and destroyed concurrently, as separate teams would.
        with ThreadPoolExecutor(max_workers=len(harness.SOURCES)) as pool:
            for future in [pool.submit(action, s, endpoint, tmp_path) for s in harness.SOURCES]:
                future.result()

    try:
        harness.apply("platform", endpoint, tmp_path)
        applied.append("platform")
        applied.extend(harness.SOURCES)  # destroyed in the finally block even if one apply fails
        each_source(harness.apply)
        for root in roots:
            assert harness.state_resources(root, endpoint, tmp_path), f"{root} applied nothing"

        # What was created is what the roots promise.
        s3 = client("s3", endpoint)
        buckets = {b["Name"] for b in s3.list_buckets()["Buckets"]}
        for layer in ("bronze", "silver", "gold", "quarantine", "athena-results", "artefacts"):
            name = next(b for b in buckets if b.startswith(f"shopware-{layer}-"))
            rule = s3.get_bucket_encryption(Bucket=name)["ServerSideEncryptionConfiguration"]["Rules"][0]
            assert rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"
            pab = s3.get_public_access_block(Bucket=name)["PublicAccessBlockConfiguration"]
            assert all(pab.values())

        streams = set(client("kinesis", endpoint).list_streams()["StreamNames"])
        assert {"shopware-pos", "shopware-inventory", "shopware-web", "shopware-crm"} <= streams

        firehose = client("firehose", endpoint)
        pos = firehose.describe_delivery_stream(DeliveryStreamName="shopware-pos")
        s3_dest = pos["DeliveryStreamDescription"]["Destinations"][0]["ExtendedS3DestinationDescription"]
        assert s3_dest["Prefix"].startswith("bronze/pos/year=!{timestamp:yyyy}/")
        assert s3_dest["CompressionFormat"] == "GZIP"
        # The streams' Firehose only archives: their Lambda lands bronze/<source>/ itself.
        web = firehose.describe_delivery_stream(DeliveryStreamName="shopware-web")
        web_dest = web["DeliveryStreamDescription"]["Destinations"][0]["ExtendedS3DestinationDescription"]
        assert web_dest["Prefix"].startswith("archive/web/year=!{timestamp:yyyy}/")

        lambdas = client("lambda", endpoint)
        for name in ("shopware-web-stream-processor", "shopware-crm-stream-processor"):
            config = lambdas.get_function_configuration(FunctionName=name)
            assert config["Runtime"] == "python3.12"
            settings = config["Environment"]["Variables"]
            assert settings["SHOPWARE_LAKE_BUCKET"].startswith("shopware-silver-")
            assert settings["SHOPWARE_LAKE_BRONZE_BUCKET"].startswith("shopware-bronze-")

        mappings = client("lambda", endpoint).list_event_source_mappings()["EventSourceMappings"]
        assert len(mappings) == 2
        for m in mappings:
            assert m["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
            assert m["BisectBatchOnFunctionError"] is True
            assert m["DestinationConfig"]["OnFailure"]["Destination"].endswith("-stream-processor-dlq")

        scheduler = client("scheduler", endpoint)
        crons = {
            name: scheduler.get_schedule(Name=name)["ScheduleExpression"]
            for name in ("shopware-pos-connector", "shopware-inventory-connector")
        }
        assert crons == {
            "shopware-pos-connector": "cron(0 2 * * ? *)",
            "shopware-inventory-connector": "cron(5 * * * ? *)",
        }

        machines = client("stepfunctions", endpoint).list_state_machines()["stateMachines"]
        assert {m["name"] for m in machines} == {"shopware-bronze-to-silver", "shopware-silver-to-gold"}

        glue = client("glue", endpoint)
        gold_tables = [
            t["Name"]
            for mart in ("sales", "marketing", "operations", "support", "finance")
            for t in glue.get_tables(DatabaseName=f"shopware_{mart}")["TableList"]
        ]
        assert len(gold_tables) == 17
    finally:
        if len(applied) > 1:
            each_source(destroy_if_applied)
        if applied:
            harness.destroy("platform", endpoint, tmp_path)

    for root in roots:
        assert harness.state_resources(root, endpoint, tmp_path) == [], f"{root} left resources behind"
    assert client("s3", endpoint).list_buckets()["Buckets"] == []
    assert client("kinesis", endpoint).list_streams()["StreamNames"] == []
