"""The lake's table layout and its commit protocol.

Silver and gold tables are Hive-partitioned Parquet: `<layer>/<table>/<col>=<value>/part-<run>-<n>.parquet`.
A run writes new files for the partitions it touches and then commits by writing its manifest
`_meta/runs/<run>.json` atomically. A partition's current content is the set of files of the latest
committed run that wrote it; files of uncommitted (crashed) runs are invisible and swept up later, so a
run that dies half-way leaves the lake exactly as it was.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from shopware.pipeline.storage import LocalObjectStore

RUNS_PREFIX = "_meta/runs"
LEDGER_PREFIX = "_meta/ledger"
_PART = re.compile(r"part-(?P<run>\d{8}T\d{12}Z)-\d+\.parquet$")


def current_of(names: list[str], committed: set[str]) -> list[str]:
    """Of the file names (or keys) found in one partition, those of the latest committed run."""
    runs = {}
    for name in names:
        m = _PART.search(name)
        if m and m["run"] in committed:
            runs[name] = m["run"]
    if not runs:
        return []
    latest = max(runs.values())
    return sorted(name for name, run in runs.items() if run == latest)


def committed_selector(committed: set[str]) -> Callable[[list[str]], list[str]]:
    """A partition-file filter for readers outside the core (the warehouse loader)."""
    return lambda names: current_of(names, committed)


def new_run_id() -> str:
    """A sortable, unique-enough run id (UTC time to the microsecond)."""
    return datetime.now(tz=UTC).strftime("%Y%m%dT%H%M%S%fZ")


class Lake:
    """A lake directory: bronze objects, silver/gold/quarantine tables, ledger and run manifests."""

    def __init__(self, root: Path) -> None:
        self.store = LocalObjectStore(root)
        self.root = self.store.root

    def path(self, key: str) -> Path:
        """The local path of a lake key."""
        return self.root / key

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Exclusive right to run the pipeline on this lake (one run at a time)."""
        lock_path = self.path("_meta/run.lock")
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise RuntimeError(f"another run holds the lock on {self.root}") from None
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    def committed_runs(self) -> list[str]:
        """Ids of committed runs, oldest first."""
        return [Path(k).stem for k in self.store.list(RUNS_PREFIX + "/") if k.endswith(".json")]

    def manifests(self) -> list[dict[str, Any]]:
        """The manifests of committed runs, oldest first."""
        return [json.loads(self.store.get(f"{RUNS_PREFIX}/{r}.json")) for r in self.committed_runs()]

    def commit(self, run_id: str, manifest: dict[str, Any]) -> None:
        """Make everything `run_id` wrote visible, atomically."""
        self.store.put(f"{RUNS_PREFIX}/{run_id}.json", json.dumps(manifest, indent=1, default=str).encode())

    def table_dir(self, layer: str, table: str) -> Path:
        """The directory of a table."""
        return self.path(f"{layer}/{table}")

    def partitions(
        self, layer: str, table: str, *, committed: set[str], pending: str | None = None
    ) -> dict[str, list[Path]]:
        """Current files per partition value (`'2026-10-01'`), given the committed runs.

        `pending` is the run in progress: its own files count as committed for its own reads.
        """
        visible = committed | ({pending} if pending else set())
        base = self.table_dir(layer, table)
        if not base.is_dir():
            return {}
        found: dict[str, list[Path]] = {}
        for part_dir in base.iterdir():
            if part_dir.is_dir() and "=" in part_dir.name:
                files = current_of([str(f) for f in part_dir.iterdir()], visible)
                if files:
                    found[part_dir.name.split("=", 1)[1]] = [Path(f) for f in files]
        return found

    def files(self, layer: str, table: str, *, committed: set[str], pending: str | None = None) -> list[Path]:
        """Every current file of a table (the files of `partitions`, all partitions)."""
        parts = self.partitions(layer, table, committed=committed, pending=pending)
        return [f for files in parts.values() for f in files]

    def sweep(self, layer: str, table: str, *, committed: set[str], active: str | None = None) -> int:
        """Delete superseded files and files of dead runs; return how many were removed."""
        current = set(self.files(layer, table, committed=committed))
        removed = 0
        base = self.table_dir(layer, table)
        if not base.is_dir():
            return 0
        for part_dir in base.iterdir():
            if not part_dir.is_dir():
                continue
            for f in part_dir.iterdir():
                m = _PART.match(f.name)
                if m and f not in current and m["run"] != active:
                    f.unlink()
                    removed += 1
            if not any(part_dir.iterdir()):
                part_dir.rmdir()
        return removed

    def sweep_dead_runs(self, prefix: str, *, committed: set[str], active: str) -> None:
        """Delete `<prefix>/run=<id>` directories of runs that never committed."""
        base = self.path(prefix)
        if not base.is_dir():
            return
        for source_dir in base.iterdir():
            for run_dir in source_dir.glob("run=*") if source_dir.is_dir() else []:
                run = run_dir.name.split("=", 1)[1]
                if run not in committed and run != active:
                    for f in run_dir.iterdir():
                        f.unlink()
                    os.rmdir(run_dir)
