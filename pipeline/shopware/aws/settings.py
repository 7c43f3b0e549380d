"""Typed settings of the stream processor, from `SHOPWARE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class StreamSettings(BaseSettings):
    """Where a stream-processing Lambda keeps the lake and how much DuckDB may use.

    With `lake_bucket` set, the lake lives in S3 and `lake` is the function's local working copy
    (under /tmp on Lambda); otherwise `lake` is the lake itself (a local run or a test).
    """

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_", extra="ignore")

    lake: Path = Field(default=Path("/tmp/shopware-lake"), description="Local lake, or the S3 lake's copy.")  # noqa: S108
    lake_bucket: str | None = Field(default=None, description="S3 bucket of the lake (unset: local lake).")
    lake_prefix: str = Field(default="", description="Key prefix of the lake inside the bucket.")
    s3_endpoint_url: str | None = Field(default=None, description="S3 endpoint override (moto, LocalStack).")
    lock_wait_s: float = Field(
        default=60.0,
        ge=0,
        description="Seconds to wait for the S3 lake's writer lock; then fail (retried).",
    )
    load_warehouse: bool = Field(
        default=False, description="Load the rewritten gold dates into the SHOPWARE_WAREHOUSE_* warehouse."
    )
    memory_limit: str = Field(default="1GB", description="DuckDB memory limit per invocation.")
    threads: int = Field(default=2, ge=1, description="DuckDB worker threads.")
