"""The lake edge of the Lambdas, the Glue driver and the CLI: a local working copy of the S3 lake.

The core reads and writes Parquet through local paths (DuckDB cannot reach S3 here: no httpfs). A
Lambda (or the bronze -> silver job) therefore pulls the few tables a batch reads into its local copy,
fetches the new bronze objects, runs the core there, and pushes what the run wrote. Table files are
immutable and named by run, so a warm Lambda only downloads files that are new since its last
invocation. The run's manifest is pushed last: on S3, as locally, nothing a run wrote is visible
before its manifest exists.
"""

from __future__ import annotations

import builtins
from collections.abc import Iterator
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any, Protocol

from botocore.exceptions import ClientError

from shopware.aws.layout import LAYERS, S3LakeLayout
from shopware.aws.s3lock import NOT_FOUND_CODES, S3Lock, error_code, put_if
from shopware.aws.stream import DEAD_LETTER_PREFIX
from shopware.kpi.tables import gold_tables
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.lake import LEDGER_PREFIX, RUNS_PREFIX, Lake
from shopware.transforms.contracts import SOURCES

# What a push publishes: the lake's own keys, not what else lives in the working copy (the CLI's
# DuckDB warehouse file); of those, the local lock, spill files and the local alert log stay local.
_MIRRORED = (*(f"{layer}/" for layer in LAYERS), "_meta/", f"{DEAD_LETTER_PREFIX}/")
_LOCAL_ONLY = ("_tmp/", "_meta/run.lock", "_meta/alerts.jsonl")


def stream_prefixes(sources: tuple[str, ...]) -> list[str]:
    """The lake prefixes a streaming batch of `sources` reads: manifests, ledger, its silver and gold."""
    silver = [f"silver/{SOURCES[s].silver_table}/" for s in sources]
    gold = [f"gold/{t.name}/" for t in gold_tables().values() if set(t.sources) & set(sources)]
    return [f"{RUNS_PREFIX}/", f"{LEDGER_PREFIX}/", *silver, *gold]


def batch_prefixes(sources: tuple[str, ...]) -> list[str]:
    """The lake prefixes bronze -> silver of `sources` reads besides new bronze: manifests, ledger, silver."""
    return [f"{RUNS_PREFIX}/", f"{LEDGER_PREFIX}/", *(f"silver/{SOURCES[s].silver_table}/" for s in sources)]


class LakeMirror(Protocol):
    """Keeps a local lake in step with the lake of record."""

    def pull(self, lake: Lake) -> None:
        """Bring the local lake up to date with the prefixes a batch reads."""

    def bronze_keys(self, lake: Lake, source: str) -> list[str]:
        """Every bronze key of `source` in the lake of record, in arrival order."""

    def fetch(self, lake: Lake, keys: list[str]) -> None:
        """Bring the objects `keys` into the local lake."""

    def push(self, lake: Lake) -> None:
        """Publish what was written locally since `pull`, run manifests last; drop what is not mirrored."""

    def writer(self) -> AbstractContextManager[None]:
        """Exclusive right to write the lake of record, from before `pull` until after `push`."""


class NoMirror:
    """The local lake is the lake of record (local runs, tests)."""

    def pull(self, lake: Lake) -> None:
        return None

    def bronze_keys(self, lake: Lake, source: str) -> list[str]:
        return list_objects(lake.store, source)

    def fetch(self, lake: Lake, keys: list[str]) -> None:
        return None

    def push(self, lake: Lake) -> None:
        return None

    def writer(self) -> AbstractContextManager[None]:
        # The core's own lock (Lake.lock) serialises writers of a local lake.
        return nullcontext()


class S3ObjectStore:
    """The lake's object store (`shopware.pipeline.storage.ObjectStore`) on S3, keys routed by `layout`.

    S3 PUTs are atomic and immediately durable, so `durable` and `sync` have nothing to do.
    """

    def __init__(self, client: Any, layout: S3LakeLayout) -> None:
        self.client, self.layout = client, layout

    def put(self, key: str, data: bytes, *, durable: bool = True) -> None:
        bucket, object_key = self.layout.locate(key)
        self.client.put_object(Bucket=bucket, Key=object_key, Body=data)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        return put_if(self.client, *self.layout.locate(key), data, IfNoneMatch="*")

    def get(self, key: str) -> bytes:
        bucket, object_key = self.layout.locate(key)
        body: bytes = self.client.get_object(Bucket=bucket, Key=object_key)["Body"].read()
        return body

    def exists(self, key: str) -> bool:
        bucket, object_key = self.layout.locate(key)
        try:
            self.client.head_object(Bucket=bucket, Key=object_key)
        except ClientError as exc:
            if error_code(exc) in NOT_FOUND_CODES:
                return False
            raise
        return True

    def list(self, prefix: str) -> Iterator[str]:
        return self.layout.list(self.client, prefix)

    def delete(self, key: str) -> None:
        bucket, object_key = self.layout.locate(key)
        self.client.delete_object(Bucket=bucket, Key=object_key)

    def uri(self, key: str) -> str:
        return self.layout.uri(key)

    def sync(self) -> None:
        return None

    def download(self, key: str, target: Path) -> None:
        """Copy the object `key` to the local file `target`."""
        target.parent.mkdir(parents=True, exist_ok=True)
        self.client.download_file(*self.layout.locate(key), str(target))

    def upload(self, source: Path, key: str) -> None:
        """Copy the local file `source` to the object `key`."""
        self.client.upload_file(str(source), *self.layout.locate(key))


class S3Mirror:
    """The S3 lake of `layout` as the lake of record, via boto3."""

    def __init__(
        self,
        client: Any,
        layout: S3LakeLayout,
        prefixes: builtins.list[str],
        *,
        lock_wait_s: float = 120.0,
    ) -> None:
        self.prefixes = prefixes
        self.store = S3ObjectStore(client, layout)
        self.known: set[str] = set()  # lake keys known to exist in S3
        self.lock = S3Lock(client, layout, wait_s=lock_wait_s)

    def writer(self) -> AbstractContextManager[None]:
        return self.lock.held()

    def pull(self, lake: Lake) -> None:
        for prefix in self.prefixes:
            self.fetch(lake, builtins.list(self.store.list(prefix)))

    def bronze_keys(self, lake: Lake, source: str) -> builtins.list[str]:
        return list_objects(self.store, source)

    def fetch(self, lake: Lake, keys: builtins.list[str]) -> None:
        for key in keys:
            if not lake.path(key).exists():
                self.store.download(key, lake.path(key))
            self.known.add(key)

    def push(self, lake: Lake) -> None:
        local = sorted(
            p.relative_to(lake.root).as_posix()
            for p in Path(lake.root).rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        new = [
            k
            for k in local
            if k not in self.known and k.startswith(_MIRRORED) and not k.startswith(_LOCAL_ONLY)
        ]
        manifests = [k for k in new if k.startswith(f"{RUNS_PREFIX}/")]
        for key in [k for k in new if k not in manifests] + manifests:
            self.store.upload(lake.path(key), key)
            self.known.add(key)
        # What no later pull brings back (bronze, quarantine, dead letters) is not kept in the working
        # copy: a warm Lambda would otherwise upload it again on every invocation.
        for key in new:
            if not key.startswith(tuple(self.prefixes)):
                lake.path(key).unlink()
