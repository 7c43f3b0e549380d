"""The lake edge of the Lambdas and the Glue driver: a local working copy of the S3 lake.

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
from typing import Any, Protocol, cast

from shopware.aws.s3lock import S3Lock
from shopware.kpi.tables import gold_tables
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.lake import LEDGER_PREFIX, RUNS_PREFIX, Lake
from shopware.pipeline.storage import ObjectStore
from shopware.transforms.contracts import SOURCES

_LOCAL_ONLY = ("_tmp/", "_meta/run.lock")


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


class S3Mirror:
    """An S3 bucket (under `prefix`) as the lake of record, via boto3."""

    def __init__(
        self,
        client: Any,
        bucket: str,
        prefix: str,
        prefixes: builtins.list[str],
        *,
        lock_wait_s: float = 120.0,
    ) -> None:
        self.client, self.bucket, self.prefixes = client, bucket, prefixes
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.known: set[str] = set()  # lake keys known to exist in S3
        self.lock = S3Lock(client, bucket, prefix, wait_s=lock_wait_s)

    def writer(self) -> AbstractContextManager[None]:
        return self.lock.held()

    def list(self, prefix: str) -> Iterator[str]:
        """Lake keys under `prefix` in the bucket (what `list_objects` needs of a store)."""
        return iter(self._list(prefix))

    def _list(self, prefix: str) -> builtins.list[str]:
        keys = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        ):
            keys += [o["Key"][len(self.prefix) :] for o in page.get("Contents", [])]
        return keys

    def pull(self, lake: Lake) -> None:
        for prefix in self.prefixes:
            self.fetch(lake, self._list(prefix))

    def bronze_keys(self, lake: Lake, source: str) -> builtins.list[str]:
        return list_objects(cast(ObjectStore, self), source)

    def fetch(self, lake: Lake, keys: builtins.list[str]) -> None:
        for key in keys:
            target = lake.path(key)
            if not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                self.client.download_file(self.bucket, self.prefix + key, str(target))
            self.known.add(key)

    def push(self, lake: Lake) -> None:
        local = sorted(
            p.relative_to(lake.root).as_posix()
            for p in Path(lake.root).rglob("*")
            if p.is_file() and not p.name.startswith(".tmp-")
        )
        new = [k for k in local if k not in self.known and not k.startswith(_LOCAL_ONLY)]
        manifests = [k for k in new if k.startswith(f"{RUNS_PREFIX}/")]
        for key in [k for k in new if k not in manifests] + manifests:
            self.client.upload_file(str(lake.path(key)), self.bucket, self.prefix + key)
            self.known.add(key)
        # What no later pull brings back (bronze, quarantine, dead letters) is not kept in the working
        # copy: a warm Lambda would otherwise upload it again on every invocation.
        for key in new:
            if not key.startswith(tuple(self.prefixes)):
                lake.path(key).unlink()
