"""The Glue jobs' S3 edges against a moto server.

bronze -> silver runs in-process (its entry script's `main`); each run gets an empty working
directory, as a Glue job does, so everything it knows comes from S3. For silver -> gold, Spark's
reading of `s3://` is Glue's connector (PySpark local mode has none): the test covers the edge around
it, which files are current and a gold run written and committed in S3.
"""

from __future__ import annotations

import json
import runpy
from pathlib import Path
from typing import Any

import boto3
import duckdb

from shopware.aws.glue import S3GoldLake, write_gold
from shopware.aws.layout import S3LakeLayout
from shopware.pipeline.lake import Lake
from tests.conftest import CASE_01
from tests.support.cli import cli, ingest_case
from tests.support.s3_lake import read_back

SCRIPT = Path(__file__).parents[3] / "transforms" / "glue" / "bronze_to_silver.py"


def _bucket(moto_endpoint: str, name: str) -> Any:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return client


def _upload(client: Any, bucket: str, local: Path, under: str) -> None:
    for path in sorted(p for p in (local / under).rglob("*") if p.is_file()):
        client.upload_file(str(path), bucket, f"lake/{path.relative_to(local).as_posix()}")


def _rows(lake: Lake, layer: str, table: str, partition: str) -> list[tuple[Any, ...]]:
    committed = set(lake.committed_runs())
    files = [str(f) for f in lake.files(layer, table, committed=committed)]
    return sorted(
        duckdb.sql(
            f"SELECT * FROM read_parquet({files}, hive_partitioning=true, hive_types={{'{partition}': DATE}})"
        ).fetchall()
    )


def test_bronze_to_silver_on_s3_is_incremental(moto_endpoint: str, tmp_path: Path) -> None:
    bucket = "shopware-glue-lake"
    client = _bucket(moto_endpoint, bucket)
    landed = tmp_path / "landed"
    ingest_case(landed, CASE_01)
    _upload(client, bucket, landed, "bronze")

    def run_job(workdir: Path) -> None:
        argv = ["--lake", str(workdir), "--lake-bucket", bucket, "--lake-prefix", "lake"]
        runpy.run_path(str(SCRIPT))["main"]([*argv, "--s3-endpoint-url", moto_endpoint, "--JOB_NAME", "b2s"])

    run_job(tmp_path / "run-1")
    run_job(tmp_path / "run-2")  # nothing new: no second run

    lake = read_back(client, bucket, "lake", tmp_path / "read-back")
    assert len(lake.committed_runs()) == 1
    expected = json.loads((CASE_01 / "expected" / "counts.json").read_text())
    for source, table in (("pos", "pos_sales"), ("inventory", "inventory_readings")):
        assert len(_rows(lake, "silver", table, "event_date")) == expected[source]["unique"], source
    ledger = [str(f) for f in lake.root.glob("_meta/ledger/*.parquet")]
    sources = {r[0] for r in duckdb.sql(f"SELECT DISTINCT source FROM read_parquet({ledger})").fetchall()}
    assert sources == {"stores", "products", "pos", "inventory"}  # web and CRM are the Lambdas' work
    assert not list(lake.root.glob("silver/web_events/**/*.parquet"))


def test_silver_to_gold_lake_edge_on_s3(moto_endpoint: str, tmp_path: Path) -> None:
    bucket = "shopware-gold-lake"
    client = _bucket(moto_endpoint, bucket)
    local = tmp_path / "embedded"
    ingest_case(local, CASE_01)
    cli(local, "run")
    for under in ("_meta/runs", "silver", "gold"):
        _upload(client, bucket, local, under)
    s3 = S3GoldLake(client, S3LakeLayout(bucket, "lake"))
    lake = Lake(local)
    committed = set(lake.committed_runs())
    assert s3.committed_runs() == committed
    for table in ("pos_sales", "web_events"):
        expected = {
            value: [f"s3://{bucket}/lake/{f.relative_to(local).as_posix()}" for f in files]
            for value, files in lake.partitions("silver", table, committed=committed).items()
        }
        assert s3.current_files("silver", table, committed) == expected

    # The embedded engine's revenue_daily, written back through the S3 edge as a new gold run.
    paths = [str(f) for f in lake.files("gold", "revenue_daily", committed=committed)]
    revenue = duckdb.sql(
        f"SELECT * FROM read_parquet({paths}, hive_partitioning=true, hive_types={{'sales_date': DATE}})"
    ).to_arrow_table()
    run_id = write_gold(s3, {"revenue_daily": revenue})
    written = s3.current_files("gold", "revenue_daily", s3.committed_runs())
    assert written == {
        value: [f"s3://{bucket}/lake/gold/revenue_daily/sales_date={value}/part-{run_id}-0.parquet"]
        for value in lake.partitions("gold", "revenue_daily", committed=committed)
    }
    back = read_back(client, bucket, "lake", tmp_path / "read-back")
    assert _rows(back, "gold", "revenue_daily", "sales_date") == _rows(
        lake, "gold", "revenue_daily", "sales_date"
    )
