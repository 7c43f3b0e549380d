"""The stream-processing Lambdas driven in-process with real Kinesis event payloads.

Lambda itself cannot run under moto 5.2 (executing a function needs Docker), so each handler is
called in-process with the event Lambda would pass, against a local lake directory
(`SHOPWARE_LAKE`); the assertions read the lake the core's warehouse and KPIs read.
"""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopware.aws.lambdas import crm_logs, web_logs
from shopware.aws.stream import parse_record
from shopware.pipeline.lake import Lake
from tests.support.kinesis_events import event_of, json_lines, kinesis_record, retry_batch, sequence_number

DAY = datetime(2026, 11, 20, tzinfo=UTC).timestamp()
ARRIVAL = DAY + 86_400  # the next day: every event time below is valid


@pytest.fixture
def lake(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Lake:
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "lake"))
    monkeypatch.delenv("SHOPWARE_LAKE_BUCKET", raising=False)
    return Lake(tmp_path / "lake")


def rows(lake: Lake, layer: str, table: str, columns: str, order: str) -> list[tuple[Any, ...]]:
    """The current rows of a lake table (files of the latest committed run of each partition)."""
    committed = set(lake.committed_runs())
    files = [str(f) for f in lake.files(layer, table, committed=committed)]
    if not files:
        return []
    return duckdb.sql(
        f"SELECT {columns} FROM read_parquet({files}, hive_partitioning=true) ORDER BY {order}"
    ).fetchall()


def quarantine(lake: Lake) -> list[tuple[Any, ...]]:
    files = [str(f) for f in lake.root.glob("quarantine/*/run=*/*.parquet")]
    return duckdb.sql(
        f"SELECT source, raw_payload, reasons FROM read_parquet({files}) ORDER BY raw_payload"
    ).fetchall()


def web(session: str, page: str, t: float, user: int | None = None, kind: str = "View") -> dict[str, Any]:
    return {
        "session_id": session,
        "user_id": user,
        "page": page,
        "device_type": "mobile",
        "browser": "Safari",
        "event_type": kind,
        "timestamp": DAY + t,
    }


S1_HOME = web("s1", "home?ref=mail", 100, user=7, kind="click")
S1_CART = web("s1", "/cart", 160, user=7)
S2_HOME = web("s2", "/home", 200)


def web_batch() -> dict[str, Any]:
    """Seven records: JSON Lines, a Kinesis redelivery, one event twice, a poisoned and a bad record."""
    return event_of(
        kinesis_record(1, json_lines(S1_HOME), arrival=ARRIVAL),
        kinesis_record(2, json_lines(S1_CART, S2_HOME), arrival=ARRIVAL + 1),
        kinesis_record(1, json_lines(S1_HOME), arrival=ARRIVAL),  # the same Kinesis record again
        kinesis_record(3, json_lines(S1_HOME), arrival=ARRIVAL + 2),  # the same event, another record
        kinesis_record(4, arrival=ARRIVAL + 3, raw_data="%%% not base64 %%%"),  # poisoned
        kinesis_record(5, json_lines({**S2_HOME, "page": None}) + b'{"session_id": \n', arrival=ARRIVAL + 4),
    )


def test_web_batch_reports_only_the_poisoned_record_and_counts_each_event_once(lake: Lake) -> None:
    response = web_logs.handler(web_batch(), None)

    assert response == {"batchItemFailures": [{"itemIdentifier": sequence_number(4)}]}
    silver = rows(lake, "silver", "web_events", "session_id, user_id, page, device_type, event_type", "1, 3")
    assert silver == [
        ("s1", 7, "/cart", "Mobile", "View"),
        ("s1", 7, "/home", "Mobile", "Click"),
        ("s2", None, "/home", "Mobile", "View"),
    ]
    assert quarantine(lake) == [
        ("web", '{"session_id": ', ["malformed_json"]),
        ("web", json.dumps({**S2_HOME, "page": None}), ["missing_field:page"]),
    ]
    sessions = rows(
        lake,
        "gold",
        "web_sessions",
        "session_id, session_date, user_id, events, distinct_pages, duration_s, is_bounce",
        "session_id",
    )
    assert sessions == [
        ("s1", date(2026, 11, 20), 7, 2, 2, 60.0, False),
        ("s2", date(2026, 11, 20), None, 1, 1, 0.0, True),
    ]
    assert rows(lake, "gold", "session_metrics_daily", "sessions, bounces, bounce_rate_pct", "1") == [
        (2, 1, 50.0)
    ]
    # Click 2 + View 1; the anonymous session has no customer.
    assert rows(
        lake,
        "gold",
        "customer_engagement_daily",
        "customer_id, web_events, crm_interactions, engagement_score",
        "1",
    ) == [(7, 2, 0, 3)]
    assert rows(lake, "gold", "engagement_daily", "engaged_customers, total_engagement_score", "1") == [
        (1, 3)
    ]
    # Tables of the batch sources are not touched by a streaming batch.
    assert not lake.table_dir("gold", "sales_daily").exists()

    dead = json.loads(next(lake.root.glob("dead-letters/web/*.json")).read_text())
    assert dead["reason"] == "invalid_base64"
    assert dead["record"]["kinesis"]["sequenceNumber"] == sequence_number(4)


def test_lambda_retry_after_a_partial_failure_changes_nothing(lake: Lake) -> None:
    first = web_batch()
    response = web_logs.handler(first, None)
    runs = lake.committed_runs()
    before = rows(lake, "gold", "web_sessions", "*", "session_id")

    # Lambda re-sends the batch from the lowest failed sequence number: the poisoned record fails again
    # (its dead letter is rewritten, not duplicated); the record after it was already processed.
    again = retry_batch(first, response)
    assert again is not None
    assert [r["kinesis"]["sequenceNumber"] for r in again["Records"]] == [
        sequence_number(4),
        sequence_number(5),
    ]
    assert web_logs.handler(again, None) == response
    assert lake.committed_runs() == runs
    assert rows(lake, "gold", "web_sessions", "*", "session_id") == before
    assert len(list(lake.root.glob("dead-letters/web/*.json"))) == 1

    # The whole batch delivered once more (a retried invocation): still nothing new.
    assert web_logs.handler(first, None) == response
    assert lake.committed_runs() == runs


def crm(
    customer: int, kind: str, t: float, rating: int | None = None, channel: str | None = "Email"
) -> dict[str, Any]:
    return {
        "customer_id": customer,
        "interaction_type": kind,
        "channel": channel,
        "rating": rating,
        "message_excerpt": "call me on +49 170 1234567 or a@b.de",
        "timestamp": DAY + t,
    }


def test_crm_batches_resolve_complaints_across_invocations_and_dates(lake: Lake) -> None:
    complaint = crm(7, "complaint", 1_000, channel="phone")
    first = event_of(
        kinesis_record(
            1, json_lines(complaint, crm(7, "Loyalty", 1_100)), arrival=ARRIVAL, stream="shopware-crm"
        ),
        kinesis_record(2, json_lines(crm(8, "Feedback", 1_200, rating=5, channel=None)), arrival=ARRIVAL + 1),
        kinesis_record(3, json_lines(crm(9, "Praise", 1_300)), arrival=ARRIVAL + 2),  # closed enumeration
    )
    assert crm_logs.handler(first, None) == {"batchItemFailures": []}
    assert rows(lake, "gold", "complaint_resolution", "customer_id, resolved_ts", "1") == [(7, None)]
    assert rows(lake, "gold", "time_to_resolution_daily", "complaints, resolved, open", "1") == [(1, 0, 1)]
    assert [r[2] for r in quarantine(lake)] == [["unknown_interaction_type"]]
    excerpts = {r[0] for r in rows(lake, "silver", "crm_interactions", "message_excerpt", "1")}
    assert excerpts == {"call me on [phone] or [email]"}

    # The next day's feedback resolves the complaint; the complaint itself arrives again in a new record.
    second = event_of(
        kinesis_record(4, json_lines(crm(7, "Feedback", 86_400 + 500, rating=3)), arrival=ARRIVAL + 60),
        kinesis_record(5, json_lines(complaint), arrival=ARRIVAL + 61),
    )
    assert crm_logs.handler(second, None) == {"batchItemFailures": []}
    resolution = rows(lake, "gold", "complaint_resolution", "customer_id, complaint_date, resolution_s", "1")
    assert resolution == [(7, date(2026, 11, 20), 86_400 - 500)]
    assert rows(lake, "gold", "time_to_resolution_daily", "complaints, resolved, open", "1") == [(1, 1, 0)]
    volume = rows(
        lake, "gold", "interaction_volume_daily", "date, interaction_type, channel, interactions", "1, 2, 3"
    )
    assert volume == [
        (date(2026, 11, 20), "Complaint", "Phone", 1),
        (date(2026, 11, 20), "Feedback", "Unknown", 1),
        (date(2026, 11, 20), "Loyalty", "Email", 1),
        (date(2026, 11, 21), "Feedback", "Email", 1),
    ]
    feedback = rows(lake, "gold", "feedback_score_daily", "date, channel, rated_feedback, csat_pct", "1, 2")
    assert feedback == [
        (date(2026, 11, 20), "All", 1, 100.0),
        (date(2026, 11, 20), "Unknown", 1, 100.0),
        (date(2026, 11, 21), "All", 1, 0.0),
        (date(2026, 11, 21), "Email", 1, 0.0),
    ]
    loyalty = rows(lake, "gold", "loyalty_activity_daily", "date, active_customers, loyalty_customers", "1")
    assert loyalty == [(date(2026, 11, 20), 2, 1), (date(2026, 11, 21), 1, 0)]


def test_every_record_failing_fails_the_invocation_but_keeps_the_dead_letters(lake: Lake) -> None:
    # BatchProcessor raises when no record succeeded: Lambda then retries the batch as a whole.
    event = event_of(
        kinesis_record(1, b"  \n", arrival=ARRIVAL), kinesis_record(2, arrival=ARRIVAL, raw_data="@")
    )
    with pytest.raises(Exception, match="All records failed"):
        web_logs.handler(event, None)
    reasons = sorted(json.loads(p.read_text())["reason"] for p in lake.root.glob("dead-letters/web/*.json"))
    assert reasons == ["empty_payload", "invalid_base64"]


def test_parse_record_decodes_strict_base64() -> None:
    record = kinesis_record(1, b'{"a": 1}\n', arrival=ARRIVAL)
    parsed = parse_record(record)
    assert parsed.data == b'{"a": 1}\n'
    assert parsed.event_id == f"shardId-000000000000:{sequence_number(1)}"
    assert base64.b64encode(parsed.data).decode() == record["kinesis"]["data"]
