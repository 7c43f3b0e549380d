"""The connector's pure core: dedupe, watermark state, page parsing, Retry-After, and the run loop."""

from __future__ import annotations

import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from shopware.connectors.connector import State, advance, fresh_records, run_once, run_scheduled
from shopware.connectors.source_api import Page, Position, parse_page
from shopware.connectors.watermark import LocalWatermarkStore
from shopware.ingestion.retry import TransientHttpError, retry_after_seconds
from shopware.ingestion.sinks import LocalBronzeSink
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore


def test_fresh_records_drop_repeats_in_page_and_recent_keys() -> None:
    records: list[dict[str, Any]] = [
        {"inventory_id": 1},
        {"inventory_id": 2},
        {"inventory_id": "2"},
        {"x": 0},
        {"inventory_id": 3},
    ]
    fresh, keys = fresh_records(records, "inventory_id", recent=["3"])
    assert fresh == [{"inventory_id": 1}, {"inventory_id": 2}, {"x": 0}]
    assert keys == ["1", "2"]


def test_advance_keeps_a_bounded_window() -> None:
    state = State(recent_keys=("a", "b"))
    page = Page(records=[], next=Position(cursor="c2"), has_more=True)
    assert advance(state, page, ["c", "d"], window=3) == State(Position(cursor="c2"), ("b", "c", "d"))
    assert advance(state, page, ["c"], window=0).recent_keys == ()


def test_state_round_trips() -> None:
    state = State(Position(cursor="abc", offset=0), ("k1",))
    assert State.from_json(state.to_json()) == state
    assert State.from_json(None) == State()


def _envelope(records: list[dict[str, Any]], **kw: Any) -> dict[str, Any]:
    return {
        "records": records,
        "count": len(records),
        "next_cursor": "n",
        "next_offset": 9,
        "has_more": True,
    } | kw


def test_parse_page() -> None:
    page = parse_page(_envelope([{"a": 1}]), "cursor")
    assert page.next == Position(cursor="n")
    assert parse_page(_envelope([]), "offset").next == Position(offset=9)


@pytest.mark.parametrize(
    "body",
    [
        [],
        {"records": "x"},
        _envelope([{"a": 1}], count=2),
        {"records": [1], "count": 1, "next_cursor": "n"},
        _envelope([], next_cursor=None),
    ],
)
def test_malformed_or_truncated_pages_are_transient(body: Any) -> None:
    with pytest.raises(TransientHttpError):
        parse_page(body, "cursor")


def test_retry_after_forms() -> None:
    now = datetime(2026, 11, 27, 12, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Fri, 27 Nov 2026 12:00:30 GMT", now) == 30.0
    assert retry_after_seconds("Fri, 27 Nov 2026 11:00:00 GMT", now) == 0.0
    assert retry_after_seconds("soon") is None
    assert retry_after_seconds(None) is None


class ListApi:
    """Pages over a list by offset; `fail_at` raises once at that offset (a crash mid-run)."""

    def __init__(self, rows: list[dict[str, Any]], size: int, fail_at: int | None = None) -> None:
        self.rows, self.size, self.fail_at = rows, size, fail_at

    def fetch(self, position: Position) -> Page:
        start = position.offset
        if start == self.fail_at:
            self.fail_at = None
            raise RuntimeError("crash")
        end = min(start + self.size, len(self.rows))
        return Page(self.rows[start:end], Position(offset=end), end < len(self.rows))


def test_run_resumes_from_the_watermark_without_gap_or_repeat(tmp_path: Path) -> None:
    rows = [{"inventory_id": i, "stock_level": i % 7} for i in range(23)]
    store = LocalObjectStore(tmp_path / "lake")
    sink = LocalBronzeSink(store, "inventory", skip_identical=True)
    marks = LocalWatermarkStore(tmp_path / "state" / "inventory.json")
    api = ListApi(rows, size=5, fail_at=10)
    with pytest.raises(RuntimeError):
        run_once("inventory", api, sink, marks)
    assert State.from_json(marks.load()).position == Position(offset=10)
    result = run_once("inventory", api, sink, marks)
    assert (result.pages, result.landed) == (3, 13)
    lines = [line for key in list_objects(store, "inventory") for line in store.get(key).splitlines()]
    assert sorted(lines) == sorted(
        f'{{"inventory_id":{i},"stock_level":{i % 7}}}'.encode() for i in range(23)
    )
    assert run_once("inventory", api, sink, marks).landed == 0


def test_schedule_survives_a_failed_run_and_beats(tmp_path: Path) -> None:
    rows = [{"inventory_id": i} for i in range(6)]
    store = LocalObjectStore(tmp_path / "lake")
    marks = LocalWatermarkStore(tmp_path / "state.json")
    api = ListApi(rows, size=4, fail_at=0)  # the first run crashes, the second lands everything
    stop = threading.Event()
    beats: list[int] = []

    def beat() -> None:
        beats.append(1)
        if len(beats) >= 3:
            stop.set()

    run_scheduled(
        "inventory", api, LocalBronzeSink(store, "inventory"), marks,
        interval_s=0.01, dedupe_window=100, stop=stop, heartbeat=beat,
    )  # fmt: skip
    assert len(beats) == 3
    assert sum(len(store.get(k).splitlines()) for k in list_objects(store, "inventory")) == 6
