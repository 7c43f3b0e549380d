"""Group commit: flush by count, bytes and age; per-submission reports; drain and close flush all."""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from shopware.ingestion.buffer import BufferClosedError, BufferedSink, BufferFullError
from shopware.ingestion.records import Record, record_from_value
from shopware.ingestion.sinks import DeliveryReport, LocalBronzeSink, RecordTooLargeError
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore


class ListSink:
    """Keeps every flush; can dead-letter chosen records or fail."""

    source = "web"
    max_record_bytes: int | None = 1000

    def __init__(self, dead: tuple[int, ...] = (), error: Exception | None = None) -> None:
        self.flushes: list[list[Record]] = []
        self.dead = dead
        self.error = error

    def put(self, records: Sequence[Record]) -> DeliveryReport:
        if self.error:
            raise self.error
        self.flushes.append(list(records))
        return DeliveryReport(len(records) - len(self.dead), self.dead, "dlq://x" if self.dead else None)


def _recs(n: int, start: int = 0) -> list[Record]:
    return [record_from_value("web", {"session_id": f"s{i}"}) for i in range(start, start + n)]


def test_flush_by_count_without_waiting_for_age() -> None:
    sink = ListSink()
    buffer = BufferedSink(sink, max_records=10, max_age_s=60)
    futures = [buffer.submit(_recs(5, i * 5)) for i in range(2)]
    assert [f.result(timeout=5).delivered for f in futures] == [5, 5]
    assert [len(f) for f in sink.flushes] == [10]
    buffer.close()


def test_flush_by_bytes() -> None:
    sink = ListSink()
    size = _recs(1)[0].size
    buffer = BufferedSink(sink, max_records=1000, max_bytes=3 * size, max_age_s=60)
    assert buffer.submit(_recs(3)).result(timeout=5).delivered == 3
    buffer.close()


def test_flush_by_age() -> None:
    sink = ListSink()
    buffer = BufferedSink(sink, max_records=1000, max_age_s=0.2)
    started = time.monotonic()
    assert buffer.submit(_recs(1)).result(timeout=5).delivered == 1
    assert time.monotonic() - started >= 0.19
    buffer.close()


def test_drain_flushes_at_once() -> None:
    sink = ListSink()
    buffer = BufferedSink(sink, max_records=1000, max_age_s=60)
    future = buffer.submit(_recs(2))
    time.sleep(0.05)
    assert not future.done()
    buffer.drain()
    assert future.result(timeout=5).delivered == 2
    buffer.close()


def test_close_flushes_and_refuses_more() -> None:
    sink = ListSink()
    buffer = BufferedSink(sink, max_records=1000, max_age_s=60)
    future = buffer.submit(_recs(3))
    buffer.close()
    assert future.result(timeout=0).delivered == 3
    with pytest.raises(BufferClosedError):
        buffer.submit(_recs(1))


def test_dead_letters_are_split_per_submission() -> None:
    sink = ListSink(dead=(1, 3))
    buffer = BufferedSink(sink, max_records=4, max_age_s=60)
    first, second = buffer.submit(_recs(2)), buffer.submit(_recs(2, 2))
    assert first.result(timeout=5).dead_lettered == (1,)
    assert second.result(timeout=5).dead_lettered == (1,)
    assert second.result().dead_letter_location == "dlq://x"
    buffer.close()


def test_sink_error_reaches_every_waiting_submission() -> None:
    buffer = BufferedSink(ListSink(error=OSError("disk full")), max_records=2, max_age_s=60)
    futures = [buffer.submit(_recs(1)), buffer.submit(_recs(1, 1))]
    for future in futures:
        with pytest.raises(OSError, match="disk full"):
            future.result(timeout=5)
    buffer.close()


def test_oversize_and_backpressure_are_refused_up_front() -> None:
    buffer = BufferedSink(ListSink(), max_records=1000, max_age_s=60, max_pending_records=3)
    with pytest.raises(RecordTooLargeError):
        buffer.submit([record_from_value("web", {"pad": "x" * 2000})])
    buffer.submit(_recs(3))
    with pytest.raises(BufferFullError):
        buffer.submit(_recs(1))
    buffer.close()


def test_concurrent_submitters_into_local_bronze(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path / "lake")
    buffer = BufferedSink(LocalBronzeSink(store, "web"), max_records=50, max_age_s=0.02)
    reports: list[DeliveryReport] = []

    def send(worker: int) -> None:
        for i in range(20):
            reports.append(buffer.submit(_recs(1, worker * 1000 + i)).result(timeout=10))

    threads = [threading.Thread(target=send, args=(w,)) for w in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    buffer.close()
    assert len(reports) == 160
    assert all(r.ok for r in reports)
    landed = [line for key in list_objects(store, "web") for line in store.get(key).splitlines()]
    assert sorted(landed) == sorted(r.data for w in range(8) for r in _recs(20, w * 1000))
    assert len(list_objects(store, "web")) < 160  # grouped into fewer objects than requests
