"""Typed settings of the pipeline core, read once from `SHOPWARE_*` environment variables."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class PipelineSettings(BaseSettings):
    """Where the lake and the warehouse live and how much of the machine a run may use."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_", extra="ignore")

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
