"""Alerts through real local peers: SNS on a moto server read back from a subscribed SQS queue, and an
HTTP webhook served on loopback."""

from __future__ import annotations

import datetime as dt
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import boto3
import pyarrow.csv as pacsv
import pytest

from shopware.alerts.model import Alert, PipelineFailure, stock_alerts
from shopware.alerts.settings import AlertSettings, sink_from_settings
from shopware.alerts.sinks import FanOutAlertSink, JsonLinesAlertSink, WebhookAlertSink

EXPECTED = Path(__file__).parents[1] / "fixtures" / "conformance" / "case-01" / "expected"


@pytest.fixture(scope="module")
def alerts() -> list[Alert]:
    """The conformance case's stock alerts (more than one SNS batch of 10) and a pipeline failure."""
    rows = pacsv.read_csv(EXPECTED / "stockout_alerts.csv")
    failure = PipelineFailure(run_id="run-42", stage="silver_to_gold", error="boom", failed_ts=1790900000.5)
    return [*stock_alerts(rows), failure]


def _drain(sqs: Any, queue_url: str, expected: int) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    for _ in range(20):
        batch = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, WaitTimeSeconds=0)
        for message in batch.get("Messages", []):
            messages.append(json.loads(message["Body"]))
            sqs.delete_message(QueueUrl=queue_url, ReceiptHandle=message["ReceiptHandle"])
        if len(messages) >= expected:
            break
    return messages


def test_sns_delivers_every_alert_to_a_subscribed_queue(moto_endpoint: str, alerts: list[Alert]) -> None:
    sns = boto3.client("sns", endpoint_url=moto_endpoint, region_name="eu-west-1")
    sqs = boto3.client("sqs", endpoint_url=moto_endpoint, region_name="eu-west-1")
    topic_arn = sns.create_topic(Name="shopware-alerts")["TopicArn"]
    queue_url = sqs.create_queue(QueueName="shopware-alerts-inbox")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
        "QueueArn"
    ]
    sns.subscribe(
        TopicArn=topic_arn,
        Protocol="sqs",
        Endpoint=queue_arn,
        Attributes={"RawMessageDelivery": "true"},
    )

    sink = sink_from_settings(
        AlertSettings(sns_topic_arn=topic_arn, aws_region="eu-west-1", aws_endpoint_url=moto_endpoint)
    )
    sink.publish(alerts)

    received = _drain(sqs, queue_url, len(alerts))
    assert sorted(m["id"] for m in received) == sorted(a.id for a in alerts)
    failure = next(m for m in received if m["kind"] == "pipeline_failure")
    assert failure == {
        "kind": "pipeline_failure",
        "id": alerts[-1].id,
        "run_id": "run-42",
        "stage": "silver_to_gold",
        "error": "boom",
        "failed_ts": 1790900000.5,
    }
    first = next(m for m in received if m["id"] == alerts[0].id)
    assert first["kind"] in {"stockout", "low_stock"}
    assert set(first) == {
        "kind",
        "id",
        "alert_ts",
        "alert_date",
        "product_id",
        "warehouse_id",
        "alert_type",
        "stock_level",
        "restock_threshold",
    }
    dt.date.fromisoformat(first["alert_date"])


class _Inbox(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, Any]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def webhook_url() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Inbox)
    _Inbox.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/alerts"
    finally:
        server.shutdown()
        server.server_close()


def test_locally_alerts_go_to_a_log_file_and_a_webhook(
    webhook_url: str, alerts: list[Alert], tmp_path: Path
) -> None:
    log = tmp_path / "alerts" / "alerts.jsonl"
    sink = sink_from_settings(AlertSettings(log_path=log, webhook_url=webhook_url))
    assert isinstance(sink, FanOutAlertSink)
    sink.publish(alerts[:3])
    sink.publish(alerts[3:])

    logged = [json.loads(line) for line in log.read_text().splitlines()]
    assert [m["id"] for m in logged] == [a.id for a in alerts]
    posted = [m for request in _Inbox.received for m in request["alerts"]]
    assert posted == logged


def test_a_failing_webhook_fails_the_publish_but_the_log_still_gets_the_alerts(
    alerts: list[Alert], tmp_path: Path
) -> None:
    log = tmp_path / "alerts.jsonl"
    dead = WebhookAlertSink("http://127.0.0.1:9/alerts", timeout_s=1.0)  # discard port: refused
    with pytest.raises(Exception, match="WebhookAlertSink"):
        FanOutAlertSink([dead, JsonLinesAlertSink(log)]).publish(alerts[:2])
    assert len(log.read_text().splitlines()) == 2
