"""Records as they travel from a source to a sink, and the pure functions that frame them.

A record is one JSON object kept as the exact text it was received in (insignificant line breaks
folded to spaces so that it fits on one JSON Lines line), plus the partition key it is sent under.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from shopware.transforms.contracts import POS

MIB = 1024 * 1024
# Kinesis limits: a record's data blob plus partition key, and one PutRecords request.
MAX_RECORD_BYTES = 1 * MIB
MAX_BATCH_RECORDS = 500
MAX_BATCH_BYTES = 5 * MIB
MAX_PARTITION_KEY_CHARS = 256

# The field each source's records are spread by: a stable key, so that one entity keeps its order.
PARTITION_FIELDS = {
    "pos": "transaction_id",
    "inventory": "inventory_id",
    "web": "session_id",
    "crm": "customer_id",
}

_WHITESPACE = " \t\r\n"


class BodyError(ValueError):
    """A delivery body that is not one JSON object, a JSON array of objects, or JSON Lines of objects."""


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


# strict=True (the default) rejects raw control characters inside strings, so a raw line break can
# only ever be insignificant whitespace and folding it keeps the record's meaning exactly.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its JSON object text (UTF-8, one line, no trailing newline) and partition key."""

    data: bytes
    partition_key: str

    @property
    def payload(self) -> bytes:
        """What is sent to a stream: the object and a newline, so concatenations are JSON Lines."""
        return self.data + b"\n"

    @property
    def size(self) -> int:
        """The bytes this record counts against the stream's per-record and per-request limits."""
        return len(self.data) + 1 + len(self.partition_key.encode())


def partition_key(source: str, value: dict[str, Any], data: bytes) -> str:
    """The partition key of a record: its source's stable key field, or a digest of its text."""
    raw = value.get(PARTITION_FIELDS.get(source, ""))
    key = "" if raw is None or isinstance(raw, dict | list) else str(raw).strip()
    if not key or len(key) > MAX_PARTITION_KEY_CHARS:
        return hashlib.sha256(data).hexdigest()[:32]
    return key


def _record(source: str, text: str, value: Any, where: str) -> Record:
    if not isinstance(value, dict):
        raise BodyError(f"{where}: not a JSON object")
    data = text.replace("\r", " ").replace("\n", " ").encode()
    return Record(data=data, partition_key=partition_key(source, value, data))


def record_from_value(source: str, value: dict[str, Any]) -> Record:
    """A record from an already parsed object (a connector's page): compact JSON, key order kept."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return _record(source, text, value, "record")


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WHITESPACE:
        pos += 1
    return pos


def _decode(text: str, pos: int, where: str) -> tuple[Any, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except ValueError as exc:
        raise BodyError(f"{where}: not valid JSON ({exc})") from None


def _array_records(source: str, text: str, pos: int) -> list[Record]:
    """The elements of the (already validated) JSON array starting at `pos`, as raw slices."""
    records: list[Record] = []
    pos = _skip(text, pos + 1)
    if text[pos] == "]":
        return records
    while True:
        start = pos
        value, pos = _decode(text, start, f"element {len(records)}")
        records.append(_record(source, text[start:pos], value, f"element {len(records)}"))
        pos = _skip(text, pos)
        if text[pos] == "]":
            return records
        pos = _skip(text, pos + 1)  # the ','


def _lines_records(source: str, text: str) -> list[Record]:
    records: list[Record] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip(_WHITESPACE)
        if not stripped:
            continue
        value, end = _decode(stripped, 0, f"line {number}")
        if end != len(stripped):
            raise BodyError(f"line {number}: more than one JSON value")
        records.append(_record(source, stripped, value, f"line {number}"))
    return records


def parse_body(source: str, body: bytes) -> list[Record]:
    """Split a delivery into records: one JSON object, a JSON array of objects, or JSON Lines.

    Raises `BodyError` unless every record is a JSON object, so a delivery lands whole or not at all.
    """
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise BodyError("body is not UTF-8 text") from None
    text = text.removeprefix("\ufeff")
    pos = _skip(text, 0)
    if pos == len(text):
        raise BodyError("empty body")
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except ValueError:
        value, end = None, -1
    if end != -1 and _skip(text, end) == len(text):
        if isinstance(value, list):
            return _array_records(source, text, pos)
        return [_record(source, text[pos:end], value, "body")]
    return _lines_records(source, text)


def plan_batches(sizes: Sequence[int], max_count: int, max_bytes: int) -> list[range]:
    """Consecutive index ranges of `sizes`, each within `max_count` items and `max_bytes` in total.

    Greedy, which gives the fewest batches for consecutive items; each size must be <= `max_bytes`.
    """
    batches: list[range] = []
    start, total = 0, 0
    for i, size in enumerate(sizes):
        if i > start and (i - start == max_count or total + size > max_bytes):
            batches.append(range(start, i))
            start, total = i, 0
        total += size
    if start < len(sizes):
        batches.append(range(start, len(sizes)))
    return batches


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def encode_jsonl(records: Sequence[Record]) -> bytes:
    """A JSON Lines document of the records, in order."""
    return b"".join(r.payload for r in records)


def encode_pos_csv(records: Sequence[Record]) -> bytes:
    """A POS CSV export of the records under the contract header (fields outside it are not kept)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(POS.csv_header)
    for record in records:
        value = json.loads(record.data)
        writer.writerow([_csv_cell(value.get(name)) for name in POS.csv_header])
    return out.getvalue().encode()


# How each source's records are framed in a bronze object: (extension, encoder).
BRONZE_FRAMING: dict[str, tuple[str, Callable[[Sequence[Record]], bytes]]] = {
    "pos": ("csv", encode_pos_csv),
    "inventory": ("jsonl", encode_jsonl),
    "web": ("jsonl", encode_jsonl),
    "crm": ("jsonl", encode_jsonl),
}
