"""Alert channel settings, from `SHOPWARE_ALERTS_*`: SNS on AWS; a log file and/or webhook locally."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopware.alerts.sinks import (
    AlertSink,
    FanOutAlertSink,
    JsonLinesAlertSink,
    SnsAlertSink,
    WebhookAlertSink,
)


class AlertSettings(BaseSettings):
    """Each channel that is set is used; at least one must be."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_ALERTS_", extra="ignore")

    sns_topic_arn: str | None = Field(default=None, description="Publish to this SNS topic (AWS).")
    log_path: Path | None = Field(default=None, description="Append JSON Lines to this file (local).")
    webhook_url: str | None = Field(default=None, description="POST alerts to this URL (local).")
    aws_region: str | None = Field(default=None)
    aws_endpoint_url: str | None = Field(default=None, description="SNS endpoint override (moto).")


def sink_from_settings(settings: AlertSettings | None = None) -> AlertSink:
    """The configured channel(s); raises if none is configured, so alerts are never dropped silently."""
    settings = settings if settings is not None else AlertSettings()
    sinks: list[AlertSink] = []
    if settings.sns_topic_arn:
        import boto3

        client = boto3.client("sns", region_name=settings.aws_region, endpoint_url=settings.aws_endpoint_url)
        sinks.append(SnsAlertSink(settings.sns_topic_arn, client))
    if settings.log_path is not None:
        sinks.append(JsonLinesAlertSink(settings.log_path))
    if settings.webhook_url:
        sinks.append(WebhookAlertSink(settings.webhook_url))
    if not sinks:
        raise ValueError(
            "no alert channel: set SHOPWARE_ALERTS_SNS_TOPIC_ARN, SHOPWARE_ALERTS_LOG_PATH "
            "or SHOPWARE_ALERTS_WEBHOOK_URL"
        )
    return sinks[0] if len(sinks) == 1 else FanOutAlertSink(sinks)
