"""The object-store interface of the lake and its local-directory implementation.

Keys are `/`-separated paths relative to the lake root, as they would be in an S3 bucket. Every write
is atomic: readers see either no object or the whole object, never a partial one.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class ObjectStore(Protocol):
    """The few operations the pipeline needs from a lake store (local directory or S3)."""

    def put(self, key: str, data: bytes, *, durable: bool = True) -> None:
        """Write `data` under `key` atomically, replacing any previous object."""

    def put_if_absent(self, key: str, data: bytes) -> bool:
        """Write `data` under `key` only if no object exists there; return whether it was written."""

    def get(self, key: str) -> bytes:
        """Read the whole object at `key`."""

    def exists(self, key: str) -> bool:
        """Whether an object exists at `key`."""

    def list(self, prefix: str) -> Iterator[str]:
        """Keys under `prefix`, in lexicographic order."""

    def delete(self, key: str) -> None:
        """Remove the object at `key` if it exists."""

    def uri(self, key: str) -> str:
        """A path or URI under which an engine (DuckDB, Spark) can read `key`."""

    def sync(self) -> None:
        """Make every write made with `durable=False` durable."""


class LocalObjectStore:
    """An object store in a local directory: the default lake of a laptop run."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.root.mkdir(parents=True, exist_ok=True)

    def _path(self, key: str) -> Path:
        # A lexical check: resolving every key against the file system costs a syscall per path
        # component, which dominated landing thousands of small deliveries.
        if key.startswith("/") or ".." in key.split("/"):
            raise ValueError(f"key escapes the lake root: {key!r}")
        return self.root / key

    def put(self, key: str, data: bytes, *, durable: bool = True) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                if durable:
                    handle.flush()
                    os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise
        if durable:
            _fsync_dir(path.parent)

    def put_if_absent(self, key: str, data: bytes) -> bool:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        return True

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def exists(self, key: str) -> bool:
        return self._path(key).is_file()

    def list(self, prefix: str) -> Iterator[str]:
        base = self._path(prefix) if prefix else self.root
        if not base.exists():
            return iter(())
        keys: list[str] = []
        skip = len(str(self.root)) + 1
        for dirpath, _dirs, files in os.walk(base):
            folder = dirpath[skip:].replace(os.sep, "/")
            keys.extend(f"{folder}/{name}" for name in files if not name.startswith(".tmp-"))
        return iter(sorted(keys))

    def delete(self, key: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self._path(key).unlink()

    def uri(self, key: str) -> str:
        return str(self._path(key))

    def sync(self) -> None:
        # One sync for a whole batch of files costs one journal commit instead of one per file.
        os.sync()


def _fsync_dir(path: Path) -> None:
    """Make a rename in `path` durable (a no-op where directories cannot be opened)."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
