"""The Kinesis sink's retry loop against a fake client that fails chosen entries and throttles.

moto's PutRecords never fails partially nor throttles, so these paths can only be driven by a fake;
the read-back through a real (moto) Kinesis API is in tests/integration.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from fake_kinesis import FakeKinesis

from shopware.ingestion.deadletter import LocalDeadLetter
from shopware.ingestion.records import MAX_BATCH_BYTES, Record, record_from_value
from shopware.ingestion.sinks import KinesisSink, RecordTooLargeError


def _records(n: int, pad: int = 0) -> list[Record]:
    return [record_from_value("web", {"session_id": f"s{i}", "i": i, "pad": "x" * pad}) for i in range(n)]


def _sink(client: FakeKinesis, tmp_path: Path, sleeps: list[float], attempts: int = 5) -> KinesisSink:
    return KinesisSink(
        client,
        "web-stream",
        "web",
        LocalDeadLetter(tmp_path / "dlq"),
        max_attempts=attempts,
        backoff_initial_s=0.1,
        backoff_max_s=2.0,
        sleep=sleeps.append,
    )


def test_no_failures_use_the_fewest_calls(tmp_path: Path) -> None:
    client = FakeKinesis()
    records = _records(1200)
    report = _sink(client, tmp_path, []).put(records)
    assert report.ok
    assert report.delivered == 1200
    assert [len(c) for c in client.calls] == [500, 500, 200]
    assert client.delivered == [r.payload for r in records]
    assert all(entry["Data"].endswith(b"}\n") for call in client.calls for entry in call)
    assert client.calls[0][3]["PartitionKey"] == "s3"


def test_batches_stay_under_five_mib(tmp_path: Path) -> None:
    client = FakeKinesis()
    records = _records(40, pad=400_000)
    assert _sink(client, tmp_path, []).put(records).ok
    sizes = [sum(len(e["Data"]) + len(e["PartitionKey"]) for e in call) for call in client.calls]
    assert all(size <= MAX_BATCH_BYTES for size in sizes)
    assert len(client.calls) == 4  # 13 records of ~400 KB fit in 5 MiB: ceil(40 / 13)
    assert sorted(client.delivered) == sorted(r.payload for r in records)


def test_failed_entries_are_retried_alone(tmp_path: Path) -> None:
    def fail(call: int, data: bytes) -> str | None:
        # The first round fails every 7th record (throttled or internal failure); retries succeed.
        i = json.loads(data)["i"]
        if call < 3 and i % 7 == 0:
            return "ProvisionedThroughputExceededException" if i % 2 else "InternalFailure"
        return None

    client = FakeKinesis(fail)
    sleeps: list[float] = []
    records = _records(1200)
    report = _sink(client, tmp_path, sleeps).put(records)
    assert report.ok
    assert report.delivered == 1200
    assert report.calls == 4
    failed_first = [r.payload for r in records if json.loads(r.data)["i"] % 7 == 0]
    assert [e["Data"] for e in client.calls[3]] == failed_first
    assert sorted(client.delivered) == sorted(r.payload for r in records)
    assert len(client.delivered) == len(set(client.delivered)) == 1200
    assert len(sleeps) == 1
    assert 0.1 <= sleeps[0] <= 0.2


def test_throttled_call_resends_the_rest_after_backoff(tmp_path: Path) -> None:
    client = FakeKinesis(throttle_calls=frozenset({1, 3}))
    sleeps: list[float] = []
    records = _records(1200)
    report = _sink(client, tmp_path, sleeps).put(records)
    assert report.ok
    assert report.delivered == 1200
    # call 0: 500 ok; call 1 throttled; round 2: call 2 = 500 ok, call 3 throttled; round 3: 200 ok.
    assert [len(c) for c in client.calls] == [500, 500, 500, 200, 200]
    assert sorted(client.delivered) == sorted(r.payload for r in records)
    # Exponential (0.1 s, 0.2 s, ...) plus up to 0.1 s of jitter.
    assert len(sleeps) == 2
    assert 0.1 <= sleeps[0] <= 0.2 <= sleeps[1] <= 0.3


def test_exhausted_budget_goes_to_dead_letter_and_is_reported(tmp_path: Path) -> None:
    def fail(call: int, data: bytes) -> str | None:
        return "ProvisionedThroughputExceededException" if json.loads(data)["i"] in (3, 9) else None

    client = FakeKinesis(fail)
    records = _records(20)
    report = _sink(client, tmp_path, [], attempts=4).put(records)
    assert not report.ok
    assert report.delivered == 18
    assert report.dead_lettered == (3, 9)
    assert len(client.calls) == 4
    assert report.reason == "ProvisionedThroughputExceededException x8"
    assert report.dead_letter_location is not None
    lines = [json.loads(x) for x in Path(report.dead_letter_location).read_text().splitlines()]
    assert [line["data"].encode() for line in lines] == [records[3].data, records[9].data]
    assert {line["partition_key"] for line in lines} == {"s3", "s9"}
    assert str(tmp_path / "dlq" / "web") in report.dead_letter_location


def test_permanent_entry_errors_are_dead_lettered_without_retry(tmp_path: Path) -> None:
    client = FakeKinesis(lambda call, data: "KMSAccessDeniedException" if b'"i":1,' in data else None)
    sleeps: list[float] = []
    report = _sink(client, tmp_path, sleeps).put(_records(5))
    assert report.dead_lettered == (1,)
    assert report.delivered == 4
    assert len(client.calls) == 1
    assert sleeps == []


def test_oversize_record_is_rejected_before_sending(tmp_path: Path) -> None:
    client = FakeKinesis()
    records = [*_records(2), record_from_value("web", {"session_id": "big", "pad": "x" * (1024 * 1024)})]
    with pytest.raises(RecordTooLargeError, match=r"record 2 is \d+ bytes .* limit is 1048576"):
        _sink(client, tmp_path, []).put(records)
    assert client.calls == []


def test_missing_stream_is_permanent_and_dead_lettered_at_once(tmp_path: Path) -> None:
    class NoStream(FakeKinesis):
        def put_records(self, *, StreamName: str, Records: list[dict[str, Any]]) -> dict[str, Any]:
            self.calls.append(Records)
            error = {"Error": {"Code": "ResourceNotFoundException", "Message": "no such stream"}}
            raise ClientError(error, "PutRecords")

    client = NoStream()
    sleeps: list[float] = []
    report = _sink(client, tmp_path, sleeps).put(_records(3))
    assert report.dead_lettered == (0, 1, 2)
    assert report.reason == "ResourceNotFoundException x3"
    assert len(client.calls) == 1
    assert sleeps == []
