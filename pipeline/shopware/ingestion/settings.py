"""Settings shared by every ingestion service: which sink, where the lake is, how records are buffered.

Each service's own settings class extends `SinkSettings` with its env prefix (`SHOPWARE_WEBHOOK_`,
`SHOPWARE_CONNECTOR_`); the lake is always `SHOPWARE_LAKE`, as for the rest of the pipeline.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal, Self

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SinkSettings(BaseSettings):
    """Where records go: the local lake's bronze (default, no AWS needed) or a Kinesis stream."""

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    sink: Literal["local", "kinesis"] = Field(default="local", description="Record sink.")
    lake: Path = Field(
        default=Path("lake"),
        validation_alias=AliasChoices("SHOPWARE_LAKE"),
        description="Root of the local lake (SHOPWARE_LAKE).",
    )
    kinesis_stream: str | None = Field(default=None, description="Stream name; required with sink=kinesis.")
    aws_region: str | None = Field(
        default=None, description="AWS region of the stream and dead-letter bucket."
    )
    aws_endpoint_url: str | None = Field(default=None, description="AWS endpoint (LocalStack, moto).")
    dead_letter: str | None = Field(
        default=None,
        description="Dead-letter location: a directory or s3://bucket/prefix; <lake>/_deadletter.",
    )
    kinesis_max_attempts: int = Field(default=8, ge=1, description="PutRecords rounds before dead-lettering.")
    kinesis_backoff_initial_s: float = Field(default=0.05, gt=0, description="First backoff (doubles).")
    kinesis_backoff_max_s: float = Field(default=5.0, gt=0, description="Longest backoff.")
    buffer_max_records: int = Field(default=500, ge=1, description="Flush when this many records wait.")
    buffer_max_bytes: int = Field(
        default=4 * 1024 * 1024, ge=1, description="Flush when this many bytes wait."
    )
    # Short by default: a webhook caller waits for the flush, and under load batches still form
    # while the previous flush is being written.
    buffer_max_age_s: float = Field(
        default=0.02, ge=0, description="Flush when the oldest record is this old."
    )

    @model_validator(mode="after")
    def _stream_named(self) -> Self:
        if self.sink == "kinesis" and not self.kinesis_stream:
            raise ValueError("sink=kinesis needs a stream name (…_KINESIS_STREAM)")
        return self

    def dead_letter_location(self) -> str:
        """The configured dead-letter location, or `<lake>/_deadletter`."""
        return self.dead_letter or str(self.lake / "_deadletter")
