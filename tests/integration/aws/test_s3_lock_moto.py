"""The S3 lake's writer lock against a moto server (which honours If-None-Match / If-Match on PUT)."""

from __future__ import annotations

import itertools
import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest

from shopware.aws.lambdas import web_logs
from shopware.aws.layout import S3LakeLayout
from shopware.aws.s3lock import LOCK_KEY, LakeBusyError, S3Lock
from tests.support.kinesis_events import event_of, json_lines, kinesis_record


def _client(moto_endpoint: str, bucket: str) -> Any:
    client = boto3.client("s3", endpoint_url=moto_endpoint, region_name="eu-west-1")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    return client


def test_writers_never_overlap(moto_endpoint: str) -> None:
    client = _client(moto_endpoint, "lock-overlap")
    spans: list[tuple[float, float]] = []

    def writer() -> None:
        with S3Lock(client, S3LakeLayout("lock-overlap", "lake"), wait_s=30, poll_s=0.05).held():
            start = time.monotonic()
            time.sleep(0.2)
            spans.append((start, time.monotonic()))

    threads = [threading.Thread(target=writer) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    spans.sort()
    assert len(spans) == 4
    assert all(earlier[1] <= later[0] for earlier, later in itertools.pairwise(spans))
    assert "Contents" not in client.list_objects_v2(Bucket="lock-overlap")  # released


def test_a_dead_writers_lock_is_taken_over(moto_endpoint: str) -> None:
    client = _client(moto_endpoint, "lock-stale")
    stale = {"owner": "crashed", "expires": time.time() - 1}
    client.put_object(Bucket="lock-stale", Key=f"lake/{LOCK_KEY}", Body=json.dumps(stale).encode())
    with S3Lock(client, S3LakeLayout("lock-stale", "lake"), wait_s=0).held():
        body = json.loads(client.get_object(Bucket="lock-stale", Key=f"lake/{LOCK_KEY}")["Body"].read())
        assert body["owner"] != "crashed"


def test_the_lambda_waits_for_the_lock_then_fails_for_a_retry(
    moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    client = _client(moto_endpoint, "lock-lambda")
    for name, value in {
        "SHOPWARE_LAKE": str(tmp_path / "work"),
        "SHOPWARE_LAKE_BUCKET": "lock-lambda",
        "SHOPWARE_LAKE_PREFIX": "lake",
        "SHOPWARE_S3_ENDPOINT_URL": moto_endpoint,
        "SHOPWARE_LOCK_WAIT_S": "0.3",
    }.items():
        monkeypatch.setenv(name, value)
    day = datetime(2026, 11, 20, tzinfo=UTC).timestamp()
    line = {"session_id": "s", "page": "/", "timestamp": day}
    event = event_of(kinesis_record(1, json_lines(line), arrival=day + 60))

    with S3Lock(client, S3LakeLayout("lock-lambda", "lake")).held(), pytest.raises(LakeBusyError):
        web_logs.handler(event, None)  # another writer holds the lake: nothing is read or written
    assert [o["Key"] for o in client.list_objects_v2(Bucket="lock-lambda").get("Contents", [])] == []

    assert web_logs.handler(event, None) == {"batchItemFailures": []}  # Lambda's retry
    keys = [o["Key"] for o in client.list_objects_v2(Bucket="lock-lambda")["Contents"]]
    assert any(k.startswith("lake/gold/web_sessions/") for k in keys)
    assert f"lake/{LOCK_KEY}" not in keys
