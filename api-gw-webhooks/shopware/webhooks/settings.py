"""Settings of a webhook receiver, read once from `SHOPWARE_WEBHOOK_*` (and `SHOPWARE_LAKE`)."""

from __future__ import annotations

from typing import Annotated, Self

from pydantic import Field, field_validator, model_validator
from pydantic_settings import NoDecode, SettingsConfigDict

from shopware.ingestion.settings import SinkSettings
from shopware.webhooks.signature import decode_secret

# The services and the bronze source each one lands.
SERVICES = {"web-logs": "web", "crm-logs": "crm"}


class WebhookSettings(SinkSettings):
    """One webhook receiver: signing secrets, limits and its sink."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_WEBHOOK_")

    secrets: Annotated[list[str], NoDecode] = Field(
        default_factory=list, description="Comma-separated `whsec_<base64>` signing secrets."
    )
    auth_disabled: bool = Field(default=False, description="Accept unsigned requests: local demos only.")
    tolerance_s: int = Field(default=300, ge=1, description="Accepted clock skew of webhook-timestamp.")
    replay_cache_size: int = Field(default=100_000, ge=1, description="Accepted webhook-ids remembered.")
    max_body_bytes: int = Field(default=5 * 1024 * 1024, ge=1, description="Larger bodies get 413.")

    @field_validator("secrets", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            return [s.strip() for s in value.split(",") if s.strip()]
        return value

    @field_validator("secrets")
    @classmethod
    def _well_formed(cls, value: list[str]) -> list[str]:
        for secret in value:
            decode_secret(secret)
        return value

    @model_validator(mode="after")
    def _secrets_required(self) -> Self:
        if not self.auth_disabled and not self.secrets:
            raise ValueError(
                "SHOPWARE_WEBHOOK_SECRETS is required (comma-separated whsec_<base64> secrets); "
                "set SHOPWARE_WEBHOOK_AUTH_DISABLED=true only for a local demo"
            )
        return self

    def keys(self) -> list[bytes]:
        """The signing keys, decoded."""
        return [decode_secret(s) for s in self.secrets]
