"""The web-traffic Lambda with its lake in S3 (moto server): two cold starts share state only via S3.

Lambda itself cannot run under moto 5.2 (executing a function needs Docker), so the handler is invoked
in-process; S3 is a real moto server on a loopback port.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import boto3
import duckdb
import pytest

from shopware.aws.lambdas import web_logs
from tests.support.kinesis_events import event_of, json_lines, kinesis_record
from tests.support.s3_lake import read_back

DAY = datetime(2026, 11, 20, tzinfo=UTC).timestamp()
BUCKET = "shopware-lake"


def _event(session: str, page: str, t: float) -> dict[str, object]:
    return {"session_id": session, "user_id": 7, "page": page, "timestamp": DAY + t}


def test_two_cold_starts_build_one_session_in_s3(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    monkeypatch.setenv("SHOPWARE_LAKE_BUCKET", BUCKET)
    monkeypatch.setenv("SHOPWARE_LAKE_PREFIX", "lake")
    monkeypatch.setenv("SHOPWARE_S3_ENDPOINT_URL", moto_endpoint)

    arrival = DAY + 86_400
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "cold-1"))
    first = event_of(kinesis_record(1, json_lines(_event("s1", "/home", 0)), arrival=arrival))
    assert web_logs.handler(first, None) == {"batchItemFailures": []}
    # Pushed and dropped from the working copy: a warm function does not upload it again.
    assert not list((tmp_path / "cold-1").glob("bronze/**/*.jsonl"))
    assert list((tmp_path / "cold-1").glob("gold/web_sessions/*/*.parquet"))

    # A new execution environment: an empty /tmp, so everything it knows comes from S3.
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "cold-2"))
    second = event_of(
        kinesis_record(2, json_lines(_event("s1", "/cart", 90)), arrival=arrival + 5),
        kinesis_record(3, arrival=arrival + 6, raw_data="***"),
    )
    assert web_logs.handler(second, None) == {
        "batchItemFailures": [{"itemIdentifier": second["Records"][1]["kinesis"]["sequenceNumber"]}]
    }

    lake = read_back(client, BUCKET, "lake", tmp_path / "read-back")
    committed = set(lake.committed_runs())
    assert len(committed) == 2
    files = [str(f) for f in lake.files("gold", "web_sessions", committed=committed)]
    assert duckdb.sql(
        f"SELECT session_id, events, distinct_pages, duration_s FROM read_parquet({files})"
    ).fetchall() == [("s1", 2, 2, 90.0)]
    dead = [json.loads(p.read_text()) for p in lake.root.glob("dead-letters/web/*.json")]
    assert [d["reason"] for d in dead] == ["invalid_base64"]
    assert len(list(lake.root.glob("bronze/web/**/*.jsonl"))) == 2
    assert not list(lake.root.glob("_tmp/**/*"))
