"""Lambda entry point: the web-traffic Kinesis stream -> silver `web_events` -> marketing KPIs."""

from __future__ import annotations

from typing import Any

from shopware.aws.runtime import handle_kinesis_event


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process one Kinesis batch; returns `{"batchItemFailures": [...]}`."""
    return handle_kinesis_event(event, context, "web")
