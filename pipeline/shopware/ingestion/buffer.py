"""Group commit in front of a sink: records are flushed by count, by bytes and by age.

Callers `submit` records and get a future that resolves once the flush carrying them has been
acknowledged by the sink (so a webhook answers 202 only after its records are durable). One
background thread flushes; `drain` (on SIGTERM/SIGINT) and `close` flush whatever is pending.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field

from shopware.ingestion.records import Record
from shopware.ingestion.sinks import DeliveryReport, RecordSink, check_sizes

log = logging.getLogger(__name__)


class BufferFullError(RuntimeError):
    """Too many records are waiting for the sink: the caller should back off and retry."""


class BufferClosedError(RuntimeError):
    """The buffer no longer accepts records (the service is shutting down)."""


@dataclass
class _Submission:
    records: Sequence[Record]
    future: Future[DeliveryReport] = field(default_factory=Future)


class BufferedSink:
    """Batches submissions to `sink`: a flush happens when `max_records` or `max_bytes` are pending,
    or when the oldest pending record is `max_age_s` old."""

    def __init__(
        self,
        sink: RecordSink,
        *,
        max_records: int = 500,
        max_bytes: int = 4 * 1024 * 1024,
        max_age_s: float = 0.1,
        max_pending_records: int = 50_000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.sink = sink
        self._max_records = max_records
        self._max_bytes = max_bytes
        self._max_age_s = max_age_s
        self._max_pending = max_pending_records
        self._clock = clock
        self._cond = threading.Condition()
        self._pending: list[_Submission] = []
        self._count = 0
        self._bytes = 0
        self._oldest = 0.0
        self._draining = False
        self._closed = False
        self._thread = threading.Thread(target=self._run, name=f"flush-{sink.source}", daemon=True)
        self._thread.start()

    def submit(self, records: Sequence[Record]) -> Future[DeliveryReport]:
        """Queue `records` for the next flush; the future carries this submission's share of the report.

        Raises `RecordTooLargeError` for a record over the sink's limit (nothing is queued then),
        `BufferFullError` when the sink is not keeping up, `BufferClosedError` after `close`.
        """
        check_sizes(records, self.sink.max_record_bytes)
        submission = _Submission(records)
        if not records:
            submission.future.set_result(DeliveryReport(delivered=0))
            return submission.future
        with self._cond:
            if self._closed:
                raise BufferClosedError("the sink is shutting down")
            if self._count and self._count + len(records) > self._max_pending:
                raise BufferFullError(f"{self._count} records are waiting for the sink")
            if not self._pending:
                self._oldest = self._clock()
            self._pending.append(submission)
            self._count += len(records)
            self._bytes += sum(r.size for r in records)
            self._cond.notify()
        return submission.future

    def drain(self) -> None:
        """Flush everything pending now and flush every later submission at once (shutdown mode)."""
        with self._cond:
            self._draining = True
            self._cond.notify()

    def close(self, timeout: float | None = 30.0) -> None:
        """Stop accepting records, flush what is pending and stop the flush thread."""
        with self._cond:
            self._closed = True
            self._draining = True
            self._cond.notify()
        self._thread.join(timeout)

    def _due(self) -> bool:
        return bool(self._pending) and (
            self._draining
            or self._count >= self._max_records
            or self._bytes >= self._max_bytes
            or self._clock() - self._oldest >= self._max_age_s
        )

    def _run(self) -> None:
        while True:
            with self._cond:
                while not self._due():
                    if self._closed and not self._pending:
                        return
                    wait = None if not self._pending else self._max_age_s - (self._clock() - self._oldest)
                    self._cond.wait(None if wait is None else max(wait, 0.0))
                batch, self._pending = self._pending, []
                self._count = self._bytes = 0
            self._flush(batch)

    def _flush(self, batch: list[_Submission]) -> None:
        records = [r for s in batch for r in s.records]
        try:
            report = self.sink.put(records)
        except Exception as exc:
            log.exception("flush of %d records to the %s sink failed", len(records), self.sink.source)
            for s in batch:
                s.future.set_exception(exc)
            return
        offset = 0
        for s in batch:
            n = len(s.records)
            dead = tuple(i - offset for i in report.dead_lettered if offset <= i < offset + n)
            s.future.set_result(
                DeliveryReport(
                    delivered=n - len(dead),
                    dead_lettered=dead,
                    dead_letter_location=report.dead_letter_location if dead else None,
                    reason=report.reason if dead else None,
                    calls=report.calls,
                )
            )
            offset += n
