"""Dead-letter locations: where records go that a sink could not deliver within its retry budget.

A dead-letter object is JSON Lines, one line per record:
`{"reason": ..., "failed_at": ..., "partition_key": ..., "data": "<the record's JSON text>"}`,
so a record can be replayed exactly as it was received.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from shopware.ingestion.records import Record
from shopware.pipeline.storage import LocalObjectStore


class DeadLetter(Protocol):
    """A durable place for undeliverable records."""

    def write(self, source: str, records: Sequence[Record], reason: str) -> str:
        """Store `records` durably and return where they went (a path or URI)."""
        ...


def dead_letter_document(records: Sequence[Record], reason: str, failed_at: datetime) -> bytes:
    """The JSON Lines text of a dead-letter object."""
    stamp = failed_at.isoformat()
    lines = (
        json.dumps(
            {
                "reason": reason,
                "failed_at": stamp,
                "partition_key": r.partition_key,
                "data": r.data.decode(),
            },
            ensure_ascii=False,
        )
        + "\n"
        for r in records
    )
    return "".join(lines).encode()


def _object_name(source: str, failed_at: datetime) -> str:
    return f"{source}/{failed_at:%Y%m%dT%H%M%S%fZ}-{uuid.uuid4().hex[:12]}.jsonl"


class LocalDeadLetter:
    """Dead letters as files under a local directory, written durably (fsynced)."""

    def __init__(self, root: Path) -> None:
        self._store = LocalObjectStore(root)

    def write(self, source: str, records: Sequence[Record], reason: str) -> str:
        failed_at = datetime.now(UTC)
        key = _object_name(source, failed_at)
        self._store.put(key, dead_letter_document(records, reason, failed_at), durable=True)
        return self._store.uri(key)


class S3DeadLetter:
    """Dead letters as objects under an S3 prefix."""

    def __init__(self, client: Any, bucket: str, prefix: str) -> None:
        self._client = client
        self._bucket = bucket
        self._prefix = prefix.strip("/")

    def write(self, source: str, records: Sequence[Record], reason: str) -> str:
        failed_at = datetime.now(UTC)
        key = "/".join(p for p in (self._prefix, _object_name(source, failed_at)) if p)
        body = dead_letter_document(records, reason, failed_at)
        self._client.put_object(Bucket=self._bucket, Key=key, Body=body)
        return f"s3://{self._bucket}/{key}"
