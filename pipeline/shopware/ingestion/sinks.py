"""Record sinks: one interface, a local-bronze and a Kinesis implementation.

A sink's `put` returns only once the records are durable somewhere: delivered, or (for a stream that
kept failing) in the dead-letter location, which the report names. Partial failure is a result.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from botocore.exceptions import BotoCoreError, ClientError

from shopware.ingestion.deadletter import DeadLetter
from shopware.ingestion.records import (
    BRONZE_FRAMING,
    MAX_BATCH_BYTES,
    MAX_BATCH_RECORDS,
    MAX_RECORD_BYTES,
    Record,
    plan_batches,
)
from shopware.ingestion.retry import UnsentRecords, stream_retrying
from shopware.pipeline.bronze import land
from shopware.pipeline.storage import ObjectStore

log = logging.getLogger(__name__)

# Error codes worth another try: throttling and the service's own transient failures.
TRANSIENT_CODES = frozenset(
    {
        "ProvisionedThroughputExceededException",
        "ThrottlingException",
        "LimitExceededException",
        "KMSThrottlingException",
        "InternalFailure",
        "InternalFailureException",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
    }
)


class RecordTooLargeError(ValueError):
    """A record over the sink's per-record limit: rejected before anything is sent."""


@dataclass(frozen=True)
class DeliveryReport:
    """What became of the records of one `put`."""

    delivered: int
    dead_lettered: tuple[int, ...] = ()
    dead_letter_location: str | None = None
    reason: str | None = None
    calls: int = 0

    @property
    def ok(self) -> bool:
        """Whether every record reached its destination (none went to the dead-letter location)."""
        return not self.dead_lettered


class RecordSink(Protocol):
    """Where an ingestion service hands its records."""

    source: str
    max_record_bytes: int | None

    def put(self, records: Sequence[Record]) -> DeliveryReport:
        """Deliver `records` durably (or dead-letter them) and say what happened."""
        ...


def check_sizes(records: Sequence[Record], limit: int | None) -> None:
    """Raise `RecordTooLargeError` naming the first record over `limit` bytes."""
    if limit is None:
        return
    for i, record in enumerate(records):
        if record.size > limit:
            raise RecordTooLargeError(
                f"record {i} is {record.size} bytes with its partition key; the limit is {limit} bytes"
            )


class LocalBronzeSink:
    """Writes each `put` as one bronze object of the lake, fsynced before `put` returns.

    With `skip_identical`, a put whose bytes already landed is not landed again: a connector that
    restarts before saving its watermark re-sends the identical page, and it must not land twice.
    """

    max_record_bytes: int | None = None

    def __init__(self, store: ObjectStore, source: str, *, skip_identical: bool = False) -> None:
        self.source = source
        self._store = store
        self._skip_identical = skip_identical
        self._ext, self._encode = BRONZE_FRAMING[source]

    def put(self, records: Sequence[Record]) -> DeliveryReport:
        if not records:
            return DeliveryReport(delivered=0)
        data = self._encode(records)
        land(self._store, self.source, data, ext=self._ext, skip_if_seen=self._skip_identical, durable=True)
        return DeliveryReport(delivered=len(records), calls=1)


def _error_code(exc: Exception) -> str:
    if isinstance(exc, ClientError):
        return str(exc.response.get("Error", {}).get("Code", "ClientError"))
    return type(exc).__name__


def _is_transient(exc: Exception) -> bool:
    if isinstance(exc, ClientError):
        return _error_code(exc) in TRANSIENT_CODES
    return isinstance(exc, BotoCoreError)  # connection and timeout errors below the API


class KinesisSink:
    """`PutRecords` in batches within the stream's limits; failed entries alone are retried.

    Retries (exponential backoff with jitter, declared in `retry.stream_retrying`) cover throttling,
    transient service errors and failed entries of a partly failed response. What is still unsent
    after the budget, or failed permanently, goes to the dead-letter location and is reported.
    """

    max_record_bytes: int | None = MAX_RECORD_BYTES

    def __init__(
        self,
        client: Any,
        stream: str,
        source: str,
        dead_letter: DeadLetter,
        *,
        max_attempts: int = 8,
        backoff_initial_s: float = 0.05,
        backoff_max_s: float = 5.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.source = source
        self._client = client
        self._stream = stream
        self._dead_letter = dead_letter
        self._retrying = stream_retrying(max_attempts, backoff_initial_s, backoff_max_s, sleep)

    def put(self, records: Sequence[Record]) -> DeliveryReport:
        check_sizes(records, self.max_record_bytes)
        pending = list(range(len(records)))
        permanent: list[int] = []
        errors: Counter[str] = Counter()
        calls = 0
        try:
            for attempt in self._retrying.copy():
                with attempt:
                    pending, failed_for_good, made = self._round(records, pending, errors)
                    permanent += failed_for_good
                    calls += made
                    if pending:
                        raise UnsentRecords(len(pending))
        except UnsentRecords:
            log.warning(
                "kinesis %s: %d records still unsent after the retry budget", self._stream, len(pending)
            )
        undelivered = sorted(permanent + pending)
        if not undelivered:
            return DeliveryReport(delivered=len(records), calls=calls)
        reason = ", ".join(f"{code} x{n}" for code, n in errors.most_common())
        location = self._dead_letter.write(self.source, [records[i] for i in undelivered], reason)
        log.error(
            "kinesis %s: %d of %d records dead-lettered to %s (%s)",
            self._stream,
            len(undelivered),
            len(records),
            location,
            reason,
        )
        return DeliveryReport(
            delivered=len(records) - len(undelivered),
            dead_lettered=tuple(undelivered),
            dead_letter_location=location,
            reason=reason,
            calls=calls,
        )

    def _round(
        self, records: Sequence[Record], pending: list[int], errors: Counter[str]
    ) -> tuple[list[int], list[int], int]:
        """Send `pending` once in the fewest requests; return (retryable, permanent, calls made)."""
        retry: list[int] = []
        permanent: list[int] = []
        batches = plan_batches([records[i].size for i in pending], MAX_BATCH_RECORDS, MAX_BATCH_BYTES)
        calls = 0
        for n, batch in enumerate(batches):
            indices = [pending[j] for j in batch]
            entries = [
                {"Data": records[i].payload, "PartitionKey": records[i].partition_key} for i in indices
            ]
            calls += 1
            try:
                response = self._client.put_records(StreamName=self._stream, Records=entries)
            except (ClientError, BotoCoreError) as exc:
                code = _error_code(exc)
                errors[code] += len(indices)
                # Throttled or unavailable: stop this round and back off before resending the rest.
                rest = [pending[j] for b in batches[n:] for j in b]
                (retry if _is_transient(exc) else permanent).extend(rest)
                return retry, permanent, calls
            for i, result in zip(indices, response["Records"], strict=True):
                code = result.get("ErrorCode")
                if code:
                    errors[code] += 1
                    (retry if code in TRANSIENT_CODES else permanent).append(i)
        return retry, permanent, calls
