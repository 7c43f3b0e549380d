"""Stream processing for Kinesis (web traffic, CRM): the core's own stages, run on one Lambda batch.

Each Kinesis record is landed as one bronze object (its key derives from the record's eventID, so a
redelivered record lands on the same key), then the batch of new objects goes through the core's
silver stage (the contract SQL of `shopware.transforms.silver`: framing, coercion, quarantine with
reasons, dedup by record key) and gold stage (the KPI SQL of `shopware.kpi.tables` for the dates,
sessions and customers the batch touched), and is committed as one run of the lake: ledger, run
manifest and table files exactly as `shopware-pipeline run` writes them.

Duplicates never double-count, on two levels: a redelivered Kinesis record whose object a committed
run already processed is skipped (the ledger), and the same event in two records is one silver row
(record-key dedup, the later arrival wins).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from shopware.pipeline.bronze import object_key
from shopware.pipeline.gold_stage import GoldChanges, GoldStage
from shopware.pipeline.lake import Lake, new_run_id
from shopware.pipeline.runner import RunSummary, commit_run, connect, processed_objects, stage_sources
from shopware.pipeline.settings import PipelineSettings
from shopware.pipeline.storage import ObjectStore
from shopware.transforms.contracts import SOURCES

STREAM_SOURCES = ("web", "crm")
DEAD_LETTER_PREFIX = "dead-letters"
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


class PoisonRecordError(ValueError):
    """A Kinesis record that can never be processed (its payload cannot be decoded); `reason` says why."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason


@dataclass(frozen=True)
class StreamRecord:
    """The parts of one Kinesis event record the pipeline uses."""

    event_id: str
    sequence_number: str
    arrival_epoch: float
    data: bytes


def parse_record(raw: dict[str, Any]) -> StreamRecord:
    """A Kinesis event record (`{"eventID", "kinesis": {"data", "sequenceNumber", ...}}`) decoded.

    Raises PoisonRecordError when the data is not strict base64 or is empty: retrying cannot help.
    """
    kinesis = raw["kinesis"]
    try:
        data = base64.b64decode(kinesis["data"], validate=True)
    except (binascii.Error, ValueError) as exc:
        raise PoisonRecordError("invalid_base64", str(exc)) from None
    if not data.strip():
        raise PoisonRecordError("empty_payload", "the record holds no data")
    return StreamRecord(
        event_id=raw["eventID"],
        sequence_number=kinesis["sequenceNumber"],
        arrival_epoch=float(kinesis["approximateArrivalTimestamp"]),
        data=data,
    )


def bronze_key_of(source: str, record: StreamRecord) -> str:
    """The bronze key of a Kinesis record: its arrival time and a digest of its eventID.

    Deterministic, so a redelivery of the record lands on the same key; keys sort by arrival, which is
    what "the one ingested later wins" means for two records holding the same event.
    """
    arrival = datetime.fromtimestamp(record.arrival_epoch, tz=UTC)
    digest = hashlib.sha256(record.event_id.encode()).hexdigest()
    return object_key(source, arrival, digest, "jsonl")


class DeadLetters(Protocol):
    """Where a record that cannot be processed is kept, with its reason, for an operator."""

    def send(self, source: str, raw: dict[str, Any], reason: str) -> None:
        """Keep the raw Kinesis record `raw` of `source` with `reason` (idempotent per eventID)."""


class LakeDeadLetters:
    """Dead letters as JSON objects `dead-letters/<source>/<eventID>.json` in the lake's store.

    Lambda's own on-failure destination (SQS) receives only the failed batch's shard and sequence
    range once retries are exhausted; this keeps the record itself and why it failed.
    """

    def __init__(self, store: ObjectStore) -> None:
        self.store = store

    def key(self, source: str, event_id: str) -> str:
        """The dead-letter key of a record."""
        return f"{DEAD_LETTER_PREFIX}/{source}/{_UNSAFE.sub('_', event_id)}.json"

    def send(self, source: str, raw: dict[str, Any], reason: str) -> None:
        entry = {"source": source, "reason": reason, "failed_at": time.time(), "record": raw}
        self.store.put(self.key(source, raw.get("eventID", "unknown")), json.dumps(entry).encode())


def land_record(lake: Lake, source: str, raw: dict[str, Any], dead_letters: DeadLetters) -> str:
    """Land one Kinesis record in bronze and return its key; dead-letter it if it is poisoned."""
    try:
        record = parse_record(raw)
    except PoisonRecordError as exc:
        dead_letters.send(source, raw, exc.reason)
        raise
    key = bronze_key_of(source, record)
    lake.store.put(key, record.data, durable=False)
    return key


@dataclass
class StreamResult:
    """What processing one batch of landed records did."""

    run_id: str | None
    objects: int = 0
    redelivered: int = 0  # objects a committed run had already processed: skipped
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    gold_partitions: dict[str, int] = field(default_factory=dict)  # partitions rewritten per table


def process_objects(
    lake: Lake, source_name: str, keys: Sequence[str], settings: PipelineSettings
) -> StreamResult:
    """Validate the landed objects `keys` into silver, refresh the affected gold partitions, commit.

    Objects already in the ledger of a committed run are skipped; with nothing new, nothing is written.
    """
    if source_name not in STREAM_SOURCES:
        raise ValueError(f"{source_name!r} is not a streaming source ({', '.join(STREAM_SOURCES)})")
    source = SOURCES[source_name]
    lake.store.sync()
    with lake.lock():
        committed = set(lake.committed_runs())
        con = connect(settings, lake)
        try:
            done = processed_objects(con, lake, committed)
            new = sorted(set(keys) - done)
            result = StreamResult(run_id=None, objects=len(new), redelivered=len(set(keys) & done))
            if not new:
                return result
            run_id = new_run_id()
            summary = RunSummary(run_id=run_id)
            counts, dates = stage_sources(
                con,
                lake,
                {source.name: new},
                committed=committed,
                run_id=run_id,
                summary=summary,
                batch_bytes=settings.batch_bytes,
            )
            gold = GoldStage(con, lake, committed, run_id)
            summary.gold_partitions = gold.refresh(GoldChanges(dates=dates))
            commit_run(con, lake, summary, counts)
        finally:
            con.close()
    stats = summary.sources[source.name]
    result.run_id = run_id
    result.read, result.accepted, result.quarantined = stats.read, stats.accepted, stats.quarantined
    result.gold_partitions = {t: n for t, n in summary.gold_partitions.items() if n}
    return result
