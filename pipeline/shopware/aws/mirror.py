"""The lake edge of a stream-processing Lambda: a local working copy of the S3 lake.

The core reads and writes Parquet through local paths (DuckDB cannot reach S3 here: no httpfs). A
Lambda therefore pulls the few tables a streaming batch reads into its local copy, runs the core there,
and pushes what the run wrote. Table files are immutable and named by run, so a warm Lambda only
downloads files that are new since its last invocation. The run's manifest is pushed last: on S3, as
locally, nothing a run wrote is visible before its manifest exists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Protocol

from shopware.kpi.tables import gold_tables
from shopware.pipeline.lake import LEDGER_PREFIX, RUNS_PREFIX, Lake
from shopware.transforms.contracts import SOURCES

_LOCAL_ONLY = ("_tmp/", "_meta/run.lock")


def stream_prefixes(sources: tuple[str, ...]) -> list[str]:
    """The lake prefixes a streaming batch of `sources` reads: manifests, ledger, its silver and gold."""
    silver = [f"silver/{SOURCES[s].silver_table}/" for s in sources]
    gold = [f"gold/{t.name}/" for t in gold_tables().values() if set(t.sources) & set(sources)]
    return [f"{RUNS_PREFIX}/", f"{LEDGER_PREFIX}/", *silver, *gold]


class LakeMirror(Protocol):
    """Keeps a local lake in step with the lake of record."""

    def pull(self, lake: Lake) -> None:
        """Bring the local lake up to date with the prefixes a batch reads."""

    def push(self, lake: Lake) -> None:
        """Publish what was written locally since `pull`; run manifests last."""


class NoMirror:
    """The local lake is the lake of record (local runs, tests)."""

    def pull(self, lake: Lake) -> None:
        return None

    def push(self, lake: Lake) -> None:
        return None


class S3Mirror:
    """An S3 bucket (under `prefix`) as the lake of record, via boto3."""

    def __init__(self, client: Any, bucket: str, prefix: str, sources: tuple[str, ...]) -> None:
        self.client, self.bucket, self.sources = client, bucket, sources
        self.prefix = prefix.strip("/") + "/" if prefix.strip("/") else ""
        self.known: set[str] = set()  # lake keys known to exist in S3

    def _list(self, prefix: str) -> list[str]:
        keys = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix + prefix
        ):
            keys += [o["Key"][len(self.prefix) :] for o in page.get("Contents", [])]
        return keys

    def pull(self, lake: Lake) -> None:
        for prefix in stream_prefixes(self.sources):
            for key in self._list(prefix):
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
