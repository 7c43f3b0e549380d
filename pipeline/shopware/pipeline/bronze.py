"""Bronze: raw deliveries landed exactly as received, one immutable object per delivery.

Layout (Firehose-like, partitioned by arrival time, UTC):
`bronze/<source>/year=YYYY/month=MM/day=DD/hour=HH/<source>-<YYYYmmddTHHMMSSffffffZ>-<sha12>.<ext>`.
Object names sort in arrival order, which is the order "the one ingested later wins" refers to.

On AWS, Kinesis Data Firehose delivers the batch connectors' streams into the same partitions, as
GZIP objects named `<delivery stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid>.gz`, each the concatenation
of its Kinesis records' bytes. Every record the Kinesis sink sends is one JSON object ending in a
newline, so a decompressed Firehose object is JSON Lines, whatever the source.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from shopware.pipeline.storage import ObjectStore
from shopware.transforms.contracts import SOURCES

BRONZE_PREFIX = "bronze"
LANDED_INDEX_PREFIX = "_meta/landed"
_EXTENSIONS = {"csv", "json", "jsonl"}
# Reading, hashing and writing keep a core busy each: more threads than cores only contend (interleaved
# runs landing the bench data on 2 cores: 3.2-4.0 s with 2 threads, 3.6-4.7 s with 4).
_LANDING_THREADS = min(8, os.cpu_count() or 2)
_LANDING_BUDGET = 256 * 1024 * 1024  # bytes read ahead of their write
FIREHOSE_EXTENSION = "gz"
_FIREHOSE_NAME = re.compile(
    r"-\d+-(?P<stamp>\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2})-[0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}\.gz$"
)

_clock_lock = threading.Lock()
_last_ns = 0


def _arrival_ns() -> int:
    """A wall-clock arrival time in ns, strictly increasing within this process."""
    global _last_ns
    with _clock_lock:
        now = max(time.time_ns(), _last_ns + 1000)
        _last_ns = now
        return now


@dataclass(frozen=True)
class BronzeObject:
    """One landed delivery."""

    source: str
    key: str
    received_at: datetime
    sha256: str
    size: int


def object_key(source: str, received_at: datetime, sha256: str, ext: str) -> str:
    """The bronze key of a delivery of `source` received at `received_at` (UTC)."""
    t = received_at.astimezone(UTC)
    stamp = t.strftime("%Y%m%dT%H%M%S%fZ")
    return (
        f"{BRONZE_PREFIX}/{source}/year={t:%Y}/month={t:%m}/day={t:%d}/hour={t:%H}/"
        f"{source}-{stamp}-{sha256[:12]}.{ext}"
    )


def received_at_of(key: str) -> datetime:
    """The arrival time encoded in a bronze key (one landed by the core, or delivered by Firehose)."""
    firehose = _FIREHOSE_NAME.search(key)
    if firehose:
        return datetime.strptime(firehose["stamp"], "%Y-%m-%d-%H-%M-%S").replace(tzinfo=UTC)
    stamp = key.rsplit("/", 1)[-1].split("-")[-2]
    return datetime.strptime(stamp, "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)


def read_object(store: ObjectStore, key: str) -> bytes:
    """The delivery held by bronze object `key`: its bytes, decompressed for a Firehose (GZIP) object."""
    data = store.get(key)
    return gzip.decompress(data) if key.endswith(f".{FIREHOSE_EXTENSION}") else data


def land(
    store: ObjectStore,
    source: str,
    data: bytes,
    *,
    ext: str,
    skip_if_seen: bool = False,
    durable: bool = True,
) -> BronzeObject | None:
    """Land one delivery of `source` in bronze and return it.

    With `skip_if_seen`, a delivery whose exact bytes already landed for this source is not landed
    again and `None` is returned: re-ingesting the same export file is then a no-op.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown source {source!r}; expected one of {sorted(SOURCES)}")
    if ext not in _EXTENSIONS:
        raise ValueError(f"unsupported extension {ext!r}; expected one of {sorted(_EXTENSIONS)}")
    digest = hashlib.sha256(data).hexdigest()
    if skip_if_seen and store.exists(_marker(source, digest)):
        return None
    landed = _planned(source, digest, ext, len(data))
    _write(store, landed, data, durable=durable)
    return landed


def _marker(source: str, digest: str) -> str:
    return f"{LANDED_INDEX_PREFIX}/{source}/{digest}"


def _planned(source: str, digest: str, ext: str, size: int) -> BronzeObject:
    """The bronze object a delivery becomes, arriving now."""
    received = datetime.fromtimestamp(_arrival_ns() / 1e9, tz=UTC)
    key = object_key(source, received, digest, ext)
    return BronzeObject(source=source, key=key, received_at=received, sha256=digest, size=size)


def _write(store: ObjectStore, landed: BronzeObject, data: bytes, *, durable: bool) -> None:
    store.put(landed.key, data, durable=durable)
    # The marker follows the object: a crash in between lands the file again next time (harmless,
    # silver deduplicates), never loses it.
    store.put_if_absent(_marker(landed.source, landed.sha256), landed.key.encode())


def list_objects(store: ObjectStore, source: str) -> list[str]:
    """Every bronze key of `source` (landed, or delivered by Firehose), in arrival order."""
    accepted = _EXTENSIONS | {FIREHOSE_EXTENSION}
    keys = [k for k in store.list(f"{BRONZE_PREFIX}/{source}/") if k.rsplit(".", 1)[-1] in accepted]
    return sorted(keys, key=lambda k: (received_at_of(k), k.rsplit("/", 1)[-1]))


EXTENSION_OF_SUFFIX = {".csv": "csv", ".json": "json", ".jsonl": "jsonl", ".ndjson": "jsonl"}


def _read_and_hash(path: Path) -> tuple[bytes, str]:
    data = path.read_bytes()
    return data, hashlib.sha256(data).hexdigest()


def land_files(store: ObjectStore, source: str, paths: list[Path]) -> list[BronzeObject | None]:
    """Land export files in the order given, skipping files already landed; durable on return.

    Raises ValueError for a file type the source does not accept, before landing anything.
    """
    formats = SOURCES[source].formats
    for path in paths:
        ext = EXTENSION_OF_SUFFIX.get(path.suffix.lower())
        if ext is None or ext not in formats:
            raise ValueError(
                f"{path}: {source} accepts {', '.join(formats)} files, not {path.suffix or 'no suffix'}"
            )
    # Files are read, hashed and written by threads (file I/O and hashing release the GIL), reads
    # running ahead of writes within a byte budget so that memory stays bounded; which files land,
    # and their arrival order, is decided here, in the order given.
    sizes = [path.stat().st_size for path in paths]
    landed: list[BronzeObject | None] = []
    seen: set[str] = set()
    with ThreadPoolExecutor(max_workers=_LANDING_THREADS) as pool:
        reads: deque[Future[tuple[bytes, str]]] = deque()
        writes: deque[tuple[int, Future[None]]] = deque()
        in_flight, ahead = 0, 0  # bytes read and not yet written; files whose read was submitted
        for i, path in enumerate(paths):
            while ahead < len(paths) and (ahead == i or in_flight + sizes[ahead] <= _LANDING_BUDGET):
                reads.append(pool.submit(_read_and_hash, paths[ahead]))
                in_flight += sizes[ahead]
                ahead += 1
            data, digest = reads.popleft().result()
            if digest in seen or store.exists(_marker(source, digest)):
                landed.append(None)
                in_flight -= sizes[i]
            else:
                seen.add(digest)
                obj = _planned(source, digest, EXTENSION_OF_SUFFIX[path.suffix.lower()], len(data))
                writes.append((sizes[i], pool.submit(_write, store, obj, data, durable=False)))
                landed.append(obj)
            del data
            if writes and in_flight > _LANDING_BUDGET:
                writes[0][1].result()  # over the budget: wait for the oldest write
            while writes and writes[0][1].done():  # finished writes give their bytes back
                size, write = writes.popleft()
                write.result()
                in_flight -= size
        for _size, write in writes:
            write.result()
    store.sync()
    return landed
