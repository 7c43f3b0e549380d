"""Settings of a batch connector, read once from `SHOPWARE_CONNECTOR_*` (and `SHOPWARE_LAKE`)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import SettingsConfigDict

from shopware.ingestion.settings import SinkSettings

# Per source: the API path and the schedule (POS daily, inventory hourly).
DEFAULT_PATHS = {"pos": "/pos/transactions", "inventory": "/inventory/readings"}
DEFAULT_INTERVALS_S = {"pos": 24 * 3600.0, "inventory": 3600.0}


class ConnectorSettings(SinkSettings):
    """One connector: where its API is, how to page through it, where its watermark lives."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_CONNECTOR_")

    base_url: str = Field(default="http://127.0.0.1:8070", description="Source API base URL.")
    path: str | None = Field(default=None, description="API path; per source by default.")
    auth_header: str = Field(default="Authorization", description="Header that carries the token.")
    auth_scheme: str = Field(default="Bearer", description="Prefix of the token in the header ('' for none).")
    auth_token: SecretStr | None = Field(default=None, description="API token; no auth header if unset.")
    page_size: int = Field(default=500, ge=1, le=1000, description="Records per page.")
    pagination: Literal["cursor", "offset"] = Field(default="cursor", description="Paging style of the API.")
    interval_s: float | None = Field(default=None, gt=0, description="Seconds between scheduled runs.")
    watermark: str | None = Field(
        default=None, description="Watermark file or s3://bucket/key; <lake>/_state/connectors/<source>.json."
    )
    timeout_s: float = Field(default=30.0, gt=0, description="HTTP timeout of one request.")
    http_max_attempts: int = Field(default=8, ge=1, description="Attempts per page before giving up.")
    http_backoff_initial_s: float = Field(default=0.5, gt=0, description="First backoff (doubles).")
    http_backoff_max_s: float = Field(default=60.0, gt=0, description="Longest wait, Retry-After included.")
    dedupe_window: int = Field(
        default=10_000, ge=0, description="Recent record keys remembered across pages."
    )

    heartbeat_file: Path | None = Field(
        default=None, description="Touched while a scheduled connector is alive (container healthcheck)."
    )

    def api_path(self, source: str) -> str:
        """The API path of `source`."""
        return self.path or DEFAULT_PATHS[source]

    def schedule_s(self, source: str) -> float:
        """Seconds between scheduled runs of `source`."""
        return self.interval_s or DEFAULT_INTERVALS_S[source]

    def watermark_location(self, source: str) -> str:
        """Where the watermark of `source` is kept."""
        return self.watermark or str(self.lake / "_state" / "connectors" / f"{source}.json")
