"""Where each key of an S3 lake lives: one bucket for the lake's metadata, optionally one per layer.

The core names everything by lake key (`bronze/pos/...`, `silver/web_events/...`, `_meta/runs/...`).
On AWS the platform keeps each layer in its own bucket (separate lifecycle, access and retention), so a
key's bucket follows from its first path segment: `bronze/`, `silver/`, `gold/` and `quarantine/` go to
their layer's bucket when one is set; everything else (`_meta/` — ledger, run manifests, writer lock —
and `dead-letters/`) stays in the lake bucket. The same key prefix applies in every bucket. With no
layer bucket set, the whole lake is one bucket under one prefix.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

LAYERS = ("bronze", "silver", "gold", "quarantine")


@dataclass(frozen=True)
class S3LakeLayout:
    """The lake bucket, the key prefix used in every bucket, and the layers kept in buckets of their own."""

    bucket: str
    prefix: str = ""
    layer_buckets: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.layer_buckets) - set(LAYERS)
        if unknown:
            raise ValueError(f"unknown lake layers {sorted(unknown)}; expected some of {list(LAYERS)}")
        stripped = self.prefix.strip("/")
        object.__setattr__(self, "prefix", f"{stripped}/" if stripped else "")

    @classmethod
    def of(cls, bucket: str, prefix: str = "", **layer_buckets: str | None) -> S3LakeLayout:
        """A layout from settings: `layer_buckets` by layer name, an unset (None or "") one omitted."""
        return cls(bucket, prefix, {layer: b for layer, b in layer_buckets.items() if b})

    def bucket_of(self, key: str) -> str:
        """The bucket holding lake key (or key prefix) `key`."""
        return self.layer_buckets.get(key.split("/", 1)[0], self.bucket)

    def locate(self, key: str) -> tuple[str, str]:
        """(bucket, object key) of lake key `key`."""
        return self.bucket_of(key), self.prefix + key

    def uri(self, key: str) -> str:
        """The `s3://` URI of lake key `key` (as Spark or Redshift name it)."""
        bucket, object_key = self.locate(key)
        return f"s3://{bucket}/{object_key}"

    def root_uri(self, layer: str) -> str:
        """The `s3://bucket/prefix` under which the keys of `layer` live (a lake root for one layer)."""
        return f"s3://{self.bucket_of(layer + '/')}/{self.prefix}".rstrip("/")

    def list(self, client: Any, prefix: str) -> Iterator[str]:
        """The lake keys under `prefix` (which must lie within one layer or the metadata), in key order."""
        bucket, object_prefix = self.locate(prefix)
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=object_prefix):
            for obj in page.get("Contents", []):
                yield obj["Key"][len(self.prefix) :]
