"""Reading a lake back out of an S3 bucket (moto), to check it with the core's own `Lake`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopware.pipeline.lake import Lake


def read_back(client: Any, bucket: str, prefix: str, target: Path) -> Lake:
    """Download every object under `prefix/` into `target` and open it as a lake."""
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"{prefix}/"):
        for obj in page.get("Contents", []):
            path = target / obj["Key"].removeprefix(f"{prefix}/")
            path.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(bucket, obj["Key"], str(path))
    return Lake(target)
