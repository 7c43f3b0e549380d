"""Where alerts go: `AlertSink.publish(alerts)`, with SNS, JSON Lines file and HTTP webhook sinks.

A sink either delivers every alert of the call or raises: a pipeline stage that publishes alerts
fails rather than losing them (Step Functions then retries it or reports it).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from shopware.alerts.model import Alert, to_json, to_message

if TYPE_CHECKING:
    import httpx

SNS_BATCH_SIZE = 10  # PublishBatch takes at most 10 entries
SNS_SUBJECT_MAX = 100


class AlertDeliveryError(RuntimeError):
    """Some alerts could not be delivered."""


class AlertSink(Protocol):
    """A channel alerts are published to."""

    def publish(self, alerts: list[Alert]) -> None:
        """Deliver every alert, or raise `AlertDeliveryError` (or the transport's error)."""


class SnsClient(Protocol):
    """The SNS call used here (a boto3 `sns` client has it)."""

    def publish_batch(self, *, TopicArn: str, PublishBatchRequestEntries: list[dict[str, Any]]) -> Any: ...


class SnsAlertSink:
    """Publishes each alert as one SNS message, JSON body, with a `kind` message attribute.

    Subscribers filter on `kind` (e.g. an SQS queue for stock alerts only). On a FIFO topic the
    alert's stable id is the deduplication id, so a recomputed date does not alert twice.
    """

    def __init__(self, topic_arn: str, client: SnsClient) -> None:
        self.topic_arn = topic_arn
        self.client = client
        self.fifo = topic_arn.endswith(".fifo")

    def _entry(self, index: int, alert: Alert) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "Id": str(index),
            "Message": to_json(alert),
            "Subject": alert.subject[:SNS_SUBJECT_MAX],
            "MessageAttributes": {"kind": {"DataType": "String", "StringValue": alert.kind}},
        }
        if self.fifo:
            entry["MessageGroupId"] = alert.kind
            entry["MessageDeduplicationId"] = alert.id
        return entry

    def publish(self, alerts: list[Alert]) -> None:
        failed: list[str] = []
        for start in range(0, len(alerts), SNS_BATCH_SIZE):
            chunk = alerts[start : start + SNS_BATCH_SIZE]
            response = self.client.publish_batch(
                TopicArn=self.topic_arn,
                PublishBatchRequestEntries=[self._entry(i, alert) for i, alert in enumerate(chunk)],
            )
            failed += [
                f"{chunk[int(f['Id'])].id}: {f.get('Code')} {f.get('Message', '')}"
                for f in response.get("Failed", [])
            ]
        if failed:
            raise AlertDeliveryError(f"SNS rejected {len(failed)} alert(s): {'; '.join(failed)}")


class JsonLinesAlertSink:
    """Appends one JSON object per alert to a local file (the laptop's alert channel)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)

    def publish(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "".join(to_json(alert) + "\n" for alert in alerts)
        # One write of whole lines in append mode: concurrent writers never interleave mid-line.
        with self.path.open("a", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())


class WebhookAlertSink:
    """POSTs `{"alerts": [...]}` to an HTTP endpoint (a chat hook, an on-call tool) in one request."""

    def __init__(self, url: str, client: httpx.Client | None = None, timeout_s: float = 10.0) -> None:
        self.url = url
        if client is None:
            import httpx  # here, not at module level: every pipeline run imports this module

            client = httpx.Client(timeout=timeout_s)
        self.client = client

    def publish(self, alerts: list[Alert]) -> None:
        if not alerts:
            return
        response = self.client.post(self.url, json={"alerts": [to_message(a) for a in alerts]})
        response.raise_for_status()


class FanOutAlertSink:
    """Publishes to several sinks (a log file and a webhook, say); every one must succeed."""

    def __init__(self, sinks: Sequence[AlertSink]) -> None:
        self.sinks = list(sinks)

    def publish(self, alerts: list[Alert]) -> None:
        errors = []
        for sink in self.sinks:
            try:
                sink.publish(alerts)
            except Exception as error:  # one channel down must not keep the alert from the others
                errors.append(f"{type(sink).__name__}: {error}")
        if errors:
            raise AlertDeliveryError("; ".join(errors))
