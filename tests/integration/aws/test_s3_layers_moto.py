"""The S3 lake with one bucket per layer (the Terraform platform's layout), against a moto server.

- the web Lambda, two cold starts: each layer's objects land in their own bucket, `_meta/` and dead
  letters in the lake bucket, and the second start reads the first one's state back from S3;
- `shopware-pipeline ingest` + `run` on the S3 lake chosen by settings: the conformance case's gold,
  read back from the gold bucket, equals the expected tables;
- a Firehose-delivered GZIP object of POS JSON Lines in the bronze bucket through the Glue
  bronze -> silver job.

Lambda and Firehose cannot run under moto 5.2: the handler and the job run in-process, and the
Firehose object is built as Firehose builds it (the Kinesis records' bytes concatenated, GZIP).
"""

from __future__ import annotations

import gzip
import json
import runpy
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import duckdb
import pytest

from shopware.aws.lambdas import web_logs
from shopware.aws.layout import LAYERS, S3LakeLayout
from shopware.ingestion.deadletter import LocalDeadLetter
from shopware.ingestion.records import record_from_value
from shopware.ingestion.sinks import KinesisSink
from shopware.kpi.tables import gold_tables
from shopware.pipeline.lake import Lake
from tests.conftest import CASE_01
from tests.support.cli import cli, ingest_case
from tests.support.gold_compare import diff_table, read_expected
from tests.support.kinesis_events import event_of, json_lines, kinesis_record
from tests.support.s3_lake import keys_of, read_back_layout

DAY = datetime(2026, 11, 20, tzinfo=UTC).timestamp()
GLUE_SCRIPT = Path(__file__).parents[3] / "transforms" / "glue" / "bronze_to_silver.py"


def _layout(moto_endpoint: str, name: str, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, S3LakeLayout]:
    """Five fresh buckets (the lake's and one per layer), configured as SHOPWARE_LAKE_* settings."""
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    layout = S3LakeLayout(f"{name}-meta", "lake", {layer: f"{name}-{layer}" for layer in LAYERS})
    for bucket in (layout.bucket, *layout.layer_buckets.values()):
        client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    monkeypatch.setenv("SHOPWARE_LAKE_BUCKET", layout.bucket)
    monkeypatch.setenv("SHOPWARE_LAKE_PREFIX", "lake")
    for layer, bucket in layout.layer_buckets.items():
        monkeypatch.setenv(f"SHOPWARE_LAKE_{layer.upper()}_BUCKET", bucket)
    monkeypatch.setenv("SHOPWARE_S3_ENDPOINT_URL", moto_endpoint)
    return client, layout


def _top_levels(client: Any, bucket: str) -> set[str]:
    """The lake-level folders of a bucket's keys (`lake/<this>/...`)."""
    return {key.split("/")[1] for key in keys_of(client, bucket)}


def _rows(lake: Lake, layer: str, table: str, columns: str, partition: str) -> list[tuple[Any, ...]]:
    committed = set(lake.committed_runs())
    files = [str(f) for f in lake.files(layer, table, committed=committed)]
    if not files:
        return []
    hive = f"hive_partitioning=true, hive_types={{'{partition}': DATE}}"
    return sorted(duckdb.sql(f"SELECT {columns} FROM read_parquet({files}, {hive})").fetchall())


def test_each_layer_lands_in_its_bucket_and_a_cold_start_reads_it_back(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, layout = _layout(moto_endpoint, "layers", monkeypatch)
    arrival = DAY + 86_400
    view = {"session_id": "s1", "user_id": 7, "page": "/home", "timestamp": DAY}
    invalid = {"session_id": "s2", "page": "/home"}  # no timestamp: quarantined
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "cold-1"))
    first = event_of(kinesis_record(1, json_lines(view, invalid), arrival=arrival))
    assert web_logs.handler(first, None) == {"batchItemFailures": []}

    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "cold-2"))  # a new execution environment
    later = {**view, "page": "/cart", "timestamp": DAY + 90}
    second = event_of(
        kinesis_record(2, json_lines(later), arrival=arrival + 5),
        kinesis_record(3, arrival=arrival + 6, raw_data="***"),  # poisoned: a dead letter
    )
    assert web_logs.handler(second, None)["batchItemFailures"] != []

    assert _top_levels(client, layout.bucket) == {"_meta", "dead-letters"}
    for layer, bucket in layout.layer_buckets.items():
        assert _top_levels(client, bucket) == {layer}, bucket
    assert not any(k.endswith("writer.lock") for k in keys_of(client, layout.bucket))  # released

    lake = read_back_layout(client, layout, tmp_path / "read-back")
    assert len(lake.committed_runs()) == 2
    # The second cold start knew the first event only from S3: one session of two events.
    sessions = _rows(lake, "gold", "web_sessions", "session_id, events, duration_s", "session_date")
    assert sessions == [("s1", 2, 90.0)]
    assert len(_rows(lake, "silver", "web_events", "page", "event_date")) == 2
    quarantined = [str(f) for f in lake.root.glob("quarantine/web/**/*.parquet")]
    assert duckdb.sql(f"SELECT reasons FROM read_parquet({quarantined})").fetchall() == [
        (["missing_field:timestamp"],)
    ]


def test_cli_ingest_and_run_on_the_s3_lake_reproduce_the_conformance_case(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, layout = _layout(moto_endpoint, "cli", monkeypatch)
    working_copy = tmp_path / "working-copy"
    ingest_case(working_copy, CASE_01)
    assert not list(working_copy.glob("bronze/**/*.*"))  # landed in S3, not locally
    assert _top_levels(client, layout.layer_buckets["bronze"]) == {"bronze"}
    cli(working_copy, "run")
    cli(tmp_path / "second-copy", "run")  # a fresh copy knows from S3 that nothing is new

    lake = read_back_layout(client, layout, tmp_path / "read-back")
    first, second = lake.manifests()
    assert sum(s["read"] for s in first["sources"].values()) > 0
    assert second["sources"] == {}
    for name, table in gold_tables().items():
        columns, expected = read_expected(CASE_01 / "expected" / f"{name}.csv")
        actual = _rows(lake, "gold", name, ", ".join(columns), table.date_column)
        assert diff_table(columns, expected, actual) == [], name
    # The working copy's embedded warehouse was refreshed too.
    cli(working_copy, "query", "SELECT COUNT(*) FROM finance.revenue_daily")


def test_firehose_gzip_object_of_pos_json_lines_goes_through_bronze_to_silver(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client, layout = _layout(moto_endpoint, "firehose", monkeypatch)
    kinesis = boto3.client("kinesis", endpoint_url=moto_endpoint, region_name="eu-west-1")
    kinesis.create_stream(StreamName="shopware-pos", ShardCount=1)
    kinesis.get_waiter("stream_exists").wait(StreamName="shopware-pos")

    def sale(tid: str, revenue: object, t: float = DAY + 3600) -> dict[str, Any]:
        return {
            "transaction_id": tid,
            "store_id": 1,
            "product_id": 2,
            "quantity": 1,
            "revenue": revenue,
            "timestamp": t,
        }

    sales = [sale("t1", 10.0), sale("t2", 5.5), sale("t1", 12.0), sale("t3", -1)]  # t1 twice; t3 invalid
    sink = KinesisSink(kinesis, "shopware-pos", "pos", LocalDeadLetter(tmp_path / "dead"))
    assert sink.put([record_from_value("pos", s) for s in sales]).ok

    # What Firehose does with the stream: concatenate the records' bytes as they are, GZIP, and put
    # the object under the bronze prefix (`bronze/pos/` is the delivery stream's S3 prefix).
    shard = kinesis.describe_stream(StreamName="shopware-pos")["StreamDescription"]["Shards"][0]["ShardId"]
    iterator = kinesis.get_shard_iterator(
        StreamName="shopware-pos", ShardId=shard, ShardIteratorType="TRIM_HORIZON"
    )["ShardIterator"]
    concatenated = b"".join(r["Data"] for r in kinesis.get_records(ShardIterator=iterator)["Records"])
    assert concatenated.count(b"\n") == len(sales)  # each record ends its own line
    key = (
        "lake/bronze/pos/year=2026/month=11/day=20/hour=10/"
        f"shopware-pos-1-2026-11-20-10-15-30-{uuid.uuid4()}.gz"
    )
    client.put_object(Bucket=layout.layer_buckets["bronze"], Key=key, Body=gzip.compress(concatenated))

    argv = ["--lake", str(tmp_path / "glue"), "--lake-bucket", layout.bucket, "--lake-prefix", "lake"]
    argv += [f"--lake-{layer}-bucket={bucket}" for layer, bucket in layout.layer_buckets.items()]
    argv += ["--s3-endpoint-url", moto_endpoint, "--trigger-bucket", "x", "--trigger-key", key]
    runpy.run_path(str(GLUE_SCRIPT))["main"](argv)

    lake = read_back_layout(client, layout, tmp_path / "read-back")
    [manifest] = lake.manifests()
    assert {k: manifest["sources"]["pos"][k] for k in ("objects", "read", "accepted", "quarantined")} == {
        "objects": 1,
        "read": 4,
        "accepted": 3,
        "quarantined": 1,
    }
    silver = _rows(lake, "silver", "pos_sales", "transaction_id, revenue", "event_date")
    assert silver == [("t1", 12.0), ("t2", 5.5)]  # the later t1 wins
    ledger = [str(f) for f in lake.root.glob("_meta/ledger/*.parquet")]
    assert duckdb.sql(f"SELECT bronze_object FROM read_parquet({ledger})").fetchall() == [(key[5:],)]
    quarantined = [str(f) for f in lake.root.glob("quarantine/pos/**/*.parquet")]
    rows = duckdb.sql(f"SELECT raw_payload, reasons FROM read_parquet({quarantined})").fetchall()
    assert [(json.loads(raw)["transaction_id"], reasons) for raw, reasons in rows] == [
        ("t3", ["out_of_range:revenue"])
    ]
