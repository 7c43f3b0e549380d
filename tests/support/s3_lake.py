"""Reading a lake back out of S3 (moto), to check it with the core's own `Lake`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopware.aws.layout import S3LakeLayout
from shopware.pipeline.lake import Lake


def read_back_layout(client: Any, layout: S3LakeLayout, target: Path) -> Lake:
    """Download every object under the layout's prefix, from each of its buckets, into one lake `target`."""
    for bucket in sorted({layout.bucket, *layout.layer_buckets.values()}):
        for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=layout.prefix):
            for obj in page.get("Contents", []):
                path = target / obj["Key"].removeprefix(layout.prefix)
                path.parent.mkdir(parents=True, exist_ok=True)
                client.download_file(bucket, obj["Key"], str(path))
    return Lake(target)


def read_back(client: Any, bucket: str, prefix: str, target: Path) -> Lake:
    """Download every object under `prefix/` of a one-bucket lake into `target` and open it as a lake."""
    return read_back_layout(client, S3LakeLayout(bucket, prefix), target)


def keys_of(client: Any, bucket: str) -> list[str]:
    """Every object key of `bucket`."""
    pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return [obj["Key"] for page in pages for obj in page.get("Contents", [])]
