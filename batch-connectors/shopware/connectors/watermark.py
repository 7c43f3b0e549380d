"""Where a connector keeps its watermark between runs: a local file or an S3 object."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Protocol

from shopware.pipeline.storage import LocalObjectStore


class WatermarkStore(Protocol):
    """Load and save one small JSON state."""

    def load(self) -> dict[str, Any] | None:
        """The saved state, or None before the first run."""
        ...

    def save(self, state: dict[str, Any]) -> None:
        """Replace the state atomically and durably."""
        ...


class LocalWatermarkStore:
    """A watermark file, replaced atomically and fsynced on every save."""

    def __init__(self, path: Path) -> None:
        self._store = LocalObjectStore(path.parent)
        self._name = path.name

    def load(self) -> dict[str, Any] | None:
        if not self._store.exists(self._name):
            return None
        state: dict[str, Any] = json.loads(self._store.get(self._name))
        return state

    def save(self, state: dict[str, Any]) -> None:
        self._store.put(self._name, json.dumps(state, sort_keys=True).encode(), durable=True)


class S3WatermarkStore:
    """A watermark object in S3 (a PUT replaces an object atomically)."""

    def __init__(self, client: Any, bucket: str, key: str) -> None:
        self._client = client
        self._bucket = bucket
        self._key = key

    def load(self) -> dict[str, Any] | None:
        try:
            body = self._client.get_object(Bucket=self._bucket, Key=self._key)["Body"].read()
        except self._client.exceptions.NoSuchKey:
            return None
        state: dict[str, Any] = json.loads(body)
        return state

    def save(self, state: dict[str, Any]) -> None:
        body = json.dumps(state, sort_keys=True).encode()
        self._client.put_object(Bucket=self._bucket, Key=self._key, Body=body)
