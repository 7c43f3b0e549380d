"""Lambda entry point: the CRM Kinesis stream -> silver `crm_interactions` -> marketing/support KPIs."""

from __future__ import annotations

from typing import Any

from shopware.aws.runtime import handle_kinesis_event


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Process one Kinesis batch; returns `{"batchItemFailures": [...]}`."""
    return handle_kinesis_event(event, context, "crm")
