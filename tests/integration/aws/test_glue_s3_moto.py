"""The bronze -> silver Glue job with its lake in S3 (moto server): incremental through the S3 ledger.

The job runs in-process (its entry script's `main`); each run gets an empty working directory, as a
Glue job does, so everything it knows comes from S3.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import boto3
import duckdb

from shopware.pipeline.lake import Lake
from tests.conftest import CASE_01
from tests.support.cli import ingest_case

BUCKET = "shopware-glue-lake"
SCRIPT = Path(__file__).parents[3] / "transforms" / "glue" / "bronze_to_silver.py"


def _upload_bronze(client: Any, local: Path) -> list[str]:
    keys = sorted(p.relative_to(local).as_posix() for p in (local / "bronze").rglob("*") if p.is_file())
    for key in keys:
        client.upload_file(str(local / key), BUCKET, f"lake/{key}")
    return keys


def _run_job(moto_endpoint: str, workdir: Path) -> None:
    argv = ["--lake", str(workdir), "--lake-bucket", BUCKET, "--lake-prefix", "lake"]
    runpy.run_path(str(SCRIPT))["main"]([*argv, "--s3-endpoint-url", moto_endpoint, "--JOB_NAME", "b2s"])


def _read_back(client: Any, target: Path) -> Lake:
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix="lake/"):
        for obj in page.get("Contents", []):
            path = target / obj["Key"].removeprefix("lake/")
            path.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(BUCKET, obj["Key"], str(path))
    return Lake(target)


def test_bronze_to_silver_on_s3_is_incremental(moto_endpoint: str, tmp_path: Path) -> None:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    landed = tmp_path / "landed"
    ingest_case(landed, CASE_01)
    _upload_bronze(client, landed)

    _run_job(moto_endpoint, tmp_path / "run-1")
    _run_job(moto_endpoint, tmp_path / "run-2")  # nothing new: no second run

    lake = _read_back(client, tmp_path / "read-back")
    committed = set(lake.committed_runs())
    assert len(committed) == 1
    expected = json.loads((CASE_01 / "expected" / "counts.json").read_text())
    for source, table in (("pos", "pos_sales"), ("inventory", "inventory_readings")):
        files = [str(f) for fs in lake.partitions("silver", table, committed=committed).values() for f in fs]
        unique = duckdb.sql(f"SELECT COUNT(*) FROM read_parquet({files})").fetchone()[0]  # type: ignore[index]
        assert unique == expected[source]["unique"], source
    ledger = [str(f) for f in lake.root.glob("_meta/ledger/*.parquet")]
    sources = {r[0] for r in duckdb.sql(f"SELECT DISTINCT source FROM read_parquet({ledger})").fetchall()}
    assert sources == {"stores", "products", "pos", "inventory"}  # web and CRM are the Lambdas' work
    assert not list(lake.root.glob("silver/web_events/**/*.parquet"))
