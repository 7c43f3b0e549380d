"""Typed settings of the pipeline core, read once from `SHOPWARE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopware.aws.layout import S3LakeLayout


class S3LakeSettings(BaseSettings):
    """Where the lake of record is when it lives in S3 (unset `lake_bucket`: the local lake is).

    Shared by every writer of the lake (the CLI, the stream Lambdas), so they all route keys alike.
    """

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_", extra="ignore")

    lake_bucket: str | None = Field(
        default=None,
        description="Bucket of _meta/ (ledger, manifests, lock), dead letters and layers without a "
        "bucket of their own; setting it puts the lake in S3.",
    )
    lake_prefix: str = Field(default="", description="Key prefix of the lake in every bucket.")
    lake_bronze_bucket: str | None = Field(
        default=None, description="Bucket of bronze/ (default: lake_bucket)."
    )
    lake_silver_bucket: str | None = Field(
        default=None, description="Bucket of silver/ (default: lake_bucket)."
    )
    lake_gold_bucket: str | None = Field(default=None, description="Bucket of gold/ (default: lake_bucket).")
    lake_quarantine_bucket: str | None = Field(
        default=None, description="Bucket of quarantine/ (default: lake_bucket)."
    )
    s3_endpoint_url: str | None = Field(default=None, description="S3 endpoint override (moto, LocalStack).")
    lock_wait_s: float = Field(
        default=60.0,
        ge=0,
        description="Seconds to wait for the S3 lake's writer lock; then fail.",
    )

    def s3_layout(self) -> S3LakeLayout | None:
        """The S3 lake's layout, or None when the local lake is the lake of record."""
        if self.lake_bucket is None:
            return None
        return S3LakeLayout.of(
            self.lake_bucket,
            self.lake_prefix,
            bronze=self.lake_bronze_bucket,
            silver=self.lake_silver_bucket,
            gold=self.lake_gold_bucket,
            quarantine=self.lake_quarantine_bucket,
        )


class PipelineSettings(S3LakeSettings):
    """Where the lake and the warehouse live and how much of the machine a run may use.

    With `lake_bucket` set, `lake` is the local working copy of the S3 lake.
    """

    lake: Path = Field(default=Path("lake"), description="Root directory of the local lake.")
    warehouse: Path | None = Field(
        default=None, description="DuckDB warehouse file; defaults to <lake>/warehouse.duckdb."
    )
    memory_limit: str = Field(default="1GB", description="DuckDB memory limit for a run (spills beyond).")
    threads: int = Field(default=2, ge=1, description="DuckDB worker threads.")
    batch_bytes: int = Field(
        default=64 * 1024 * 1024, ge=1, description="Bronze bytes validated per batch (bounds memory)."
    )

    def warehouse_path(self) -> Path:
        """The warehouse file, inside the lake unless configured otherwise."""
        return self.warehouse if self.warehouse is not None else self.lake / "warehouse.duckdb"
