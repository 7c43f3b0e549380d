"""Typed settings of the stream processor, from `SHOPWARE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from shopware.pipeline.settings import S3LakeSettings


class StreamSettings(S3LakeSettings):
    """Where a stream-processing Lambda keeps the lake and how much DuckDB may use.

    With `lake_bucket` set, the lake lives in S3 (see `S3LakeSettings`) and `lake` is the function's
    local working copy (under /tmp on Lambda); otherwise `lake` is the lake itself (a local run or a test).
    """

    lake: Path = Field(default=Path("/tmp/shopware-lake"), description="Local lake, or the S3 lake's copy.")  # noqa: S108
    load_warehouse: bool = Field(
        default=False, description="Load the rewritten gold dates into the SHOPWARE_WAREHOUSE_* warehouse."
    )
    memory_limit: str = Field(default="1GB", description="DuckDB memory limit per invocation.")
    threads: int = Field(default=2, ge=1, description="DuckDB worker threads.")
