"""The local AWS mode end to end: a signed webhook request -> moto Kinesis -> the stream Lambdas ->
bronze/silver/gold in moto S3 (one bucket per layer) -> KPI rows in PostgreSQL.

Real components throughout: the webhook receivers under uvicorn on loopback with their Kinesis sink
pointed at a moto server, moto's Kinesis and S3, a throwaway PostgreSQL. moto cannot execute a Lambda
function nor run its event source mapping, so the records are read back from Kinesis with
GetShardIterator/GetRecords (`shopware.aws.local.event_source`), turned into the event Lambda would
pass, and the deployed handlers (`shopware.aws.lambdas.*.handler`) are invoked in-process.
"""

from __future__ import annotations

import base64
import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statistics import mean, median
from typing import Any

import boto3
import httpx
import psycopg
import pytest

from shopware.aws.lambdas import crm_logs, web_logs
from shopware.aws.layout import LAYERS, S3LakeLayout
from shopware.aws.local import create_lake_buckets, create_stream, event_source
from shopware.ingestion.loopback import serving
from shopware.ingestion.wiring import build_buffer
from shopware.warehouse.adapter import connect
from shopware.warehouse.admin import setup_warehouse
from shopware.warehouse.settings import load_config
from shopware.webhooks.app import create_app
from shopware.webhooks.settings import SERVICES, WebhookSettings
from shopware.webhooks.signature import signed_headers
from tests.support.s3_lake import keys_of
from tests.support.warehouse_db import fresh_warehouse_database

REGION = "eu-west-1"
SECRET = "whsec_" + base64.b64encode(b"local-aws-end-to-end-key-0000001").decode()
STREAMS = {"web": "e2e-web", "crm": "e2e-crm"}  # moto's backends are per process: names unique here
# Yesterday (UTC): every event time is within the contract's window of its arrival, which is now.
DAY = datetime.combine(datetime.now(UTC).date() - timedelta(days=1), datetime.min.time(), UTC)
T0 = DAY.timestamp()

WEB = [
    {"session_id": "w1", "user_id": 7, "page": "/home", "event_type": "Click", "timestamp": T0 + 100},
    {"session_id": "w1", "user_id": 7, "page": "/product/5", "event_type": "View", "timestamp": T0 + 160},
    {"session_id": "w2", "user_id": 8, "page": "/home", "event_type": "View", "timestamp": T0 + 200},
]
WEB_INVALID = {"session_id": "w3", "page": "/cart"}  # no timestamp
CRM = [
    {"customer_id": 7, "interaction_type": "Complaint", "channel": "Email", "timestamp": T0 + 300},
    {
        "customer_id": 7,
        "interaction_type": "Feedback",
        "channel": "Email",
        "rating": 4,
        "timestamp": T0 + 400,
    },
    {"customer_id": 8, "interaction_type": "Loyalty", "channel": "App", "timestamp": T0 + 500},
]
CRM_INVALID = {"customer_id": 9, "interaction_type": "Refund", "channel": "Email", "timestamp": T0 + 600}


@pytest.fixture
def aws(moto_endpoint: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Streams and lake buckets in moto, the Lambdas' settings (S3 lake, warehouse loading) in the env."""
    s3 = boto3.client("s3", endpoint_url=moto_endpoint, region_name=REGION)
    kinesis = boto3.client("kinesis", endpoint_url=moto_endpoint, region_name=REGION)
    layout = S3LakeLayout("e2e-lake", "", {layer: f"e2e-{layer}" for layer in LAYERS})
    create_lake_buckets(s3, layout, REGION)
    for stream in STREAMS.values():
        create_stream(kinesis, stream)
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "lambda-tmp"))
    monkeypatch.setenv("SHOPWARE_LAKE_BUCKET", layout.bucket)
    for layer, bucket in layout.layer_buckets.items():
        monkeypatch.setenv(f"SHOPWARE_LAKE_{layer.upper()}_BUCKET", bucket)
    monkeypatch.setenv("SHOPWARE_S3_ENDPOINT_URL", moto_endpoint)
    monkeypatch.setenv("SHOPWARE_LOAD_WAREHOUSE", "true")
    return {"s3": s3, "kinesis": kinesis, "layout": layout, "endpoint": moto_endpoint}


def _post(url: str, body: bytes, *, msg_id: str | None = None, secret: str = SECRET) -> int:
    headers = signed_headers(secret, msg_id or f"msg_{uuid.uuid4().hex}", int(time.time()), body)
    response = httpx.post(
        f"{url}/events", content=body, headers=headers | {"content-type": "application/json"}
    )
    return response.status_code


def _send(aws: dict[str, Any], tmp_path: Path, service: str, valid: list[Any], invalid: Any) -> None:
    """Through the real receiver: the events, a duplicate, a replay, a forgery, garbage, an invalid one."""
    source = SERVICES[service]
    settings = WebhookSettings.model_validate(
        {
            "secrets": [SECRET],
            "lake": tmp_path / "unused",
            "sink": "kinesis",
            "kinesis_stream": STREAMS[source],
            "aws_region": REGION,
            "aws_endpoint_url": aws["endpoint"],
            "dead_letter": str(tmp_path / f"{service}-dead-letters"),
        }
    )
    with serving(create_app(settings, service, build_buffer(settings, source))) as url:
        batch = json.dumps(valid).encode()
        assert _post(url, batch, msg_id="msg_batch") == 202
        assert _post(url, json.dumps(valid[1]).encode()) == 202  # the same event again: one silver row
        assert _post(url, batch, msg_id="msg_batch") == 409  # a replay: never reaches Kinesis
        assert _post(url, batch, secret="whsec_" + base64.b64encode(b"x" * 32).decode()) == 401
        assert _post(url, b"{not json") == 400
        assert _post(url, json.dumps(invalid).encode()) == 202  # valid JSON: quarantined in silver
    assert not [p for p in (tmp_path / f"{service}-dead-letters").rglob("*") if p.is_file()]


def _invoke_all(aws: dict[str, Any]) -> None:
    for source, handler in (("web", web_logs.handler), ("crm", crm_logs.handler)):
        for event in event_source(aws["kinesis"], STREAMS[source]):
            assert handler(event, None) == {"batchItemFailures": []}


def _expected_sessions() -> list[tuple[Any, ...]]:
    """marketing.web_sessions of WEB, computed here from the events (each event counted once)."""
    by_session: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in WEB:
        by_session[e["session_id"]].append(e)
    rows = []
    for session, events in sorted(by_session.items()):
        times = [e["timestamp"] for e in events]
        pages = {e["page"] for e in events}
        rows.append((session, len(events), len(pages), max(times) - min(times), len(pages) == 1))
    return rows


def test_signed_webhooks_reach_kpi_rows_in_postgres_through_moto_kinesis_and_s3(
    aws: dict[str, Any], postgres_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dsn = fresh_warehouse_database(postgres_dsn, "shopware_local_aws", monkeypatch)
    admin = connect(load_config())
    try:
        setup_warehouse(admin)
    finally:
        admin.close()
    _send(aws, tmp_path, "web-logs", WEB, WEB_INVALID)
    _send(aws, tmp_path, "crm-logs", CRM, CRM_INVALID)
    _invoke_all(aws)

    sessions = _expected_sessions()
    durations = [s[3] for s in sessions]
    bounces = sum(s[4] for s in sessions)
    expected_metrics = [
        (
            DAY.date(),
            len(sessions),
            mean(durations),
            median(durations),
            bounces,
            100.0 * bounces / len(sessions),
        )
    ]
    volume: dict[tuple[str, str], int] = defaultdict(int)
    for c in CRM:
        volume[(c["interaction_type"], c["channel"])] += 1
    expected_volume = sorted((DAY.date(), kind, channel, n) for (kind, channel), n in volume.items())
    # Engagement: Click 2, other web events 1; Loyalty 5, Feedback 3, Complaint 2.
    score: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    for e in WEB:
        score[e["user_id"]][0] += 1
        score[e["user_id"]][2] += 2 if e["event_type"] == "Click" else 1
    for c in CRM:
        score[c["customer_id"]][1] += 1
        score[c["customer_id"]][2] += {"Loyalty": 5, "Feedback": 3, "Complaint": 2}[c["interaction_type"]]
    expected_engagement = sorted((DAY.date(), customer, *v) for customer, v in score.items())

    def warehouse_rows() -> dict[str, list[tuple[Any, ...]]]:
        with psycopg.connect(dsn) as pg:
            return {
                "sessions": pg.execute(
                    "SELECT session_id, events, distinct_pages, duration_s, is_bounce "
                    "FROM marketing.web_sessions ORDER BY session_id"
                ).fetchall(),
                "metrics": pg.execute(
                    "SELECT session_date, sessions, avg_session_duration_s, median_session_duration_s, "
                    "bounces, bounce_rate_pct FROM marketing.session_metrics_daily"
                ).fetchall(),
                "volume": pg.execute(
                    "SELECT date, interaction_type, channel, interactions "
                    "FROM support.interaction_volume_daily ORDER BY 1, 2, 3"
                ).fetchall(),
                "engagement": pg.execute(
                    "SELECT date, customer_id, web_events, crm_interactions, engagement_score "
                    "FROM marketing.customer_engagement_daily ORDER BY 1, 2"
                ).fetchall(),
            }

    loaded = warehouse_rows()
    assert loaded == {
        "sessions": sessions,
        "metrics": expected_metrics,
        "volume": expected_volume,
        "engagement": expected_engagement,
    }

    # Each layer in its bucket: one bronze object per Kinesis record (3 + the duplicate + the invalid
    # one per stream), silver of both tables, the invalid events in quarantine.
    layout: S3LakeLayout = aws["layout"]
    bronze = keys_of(aws["s3"], layout.layer_buckets["bronze"])
    assert sorted({k.split("/")[1] for k in bronze}) == ["crm", "web"]
    assert len(bronze) == 2 * (len(WEB) + 2)
    silver = keys_of(aws["s3"], layout.layer_buckets["silver"])
    assert {k.split("/")[1] for k in silver} == {"web_events", "crm_interactions"}
    quarantine = keys_of(aws["s3"], layout.layer_buckets["quarantine"])
    assert {k.split("/")[1] for k in quarantine} == {"web", "crm"}
    runs = [k for k in keys_of(aws["s3"], layout.bucket) if k.startswith("_meta/runs/")]

    # Lambda delivering every batch again: nothing new is committed, nothing counted twice.
    _invoke_all(aws)
    assert [k for k in keys_of(aws["s3"], layout.bucket) if k.startswith("_meta/runs/")] == runs
    assert warehouse_rows() == loaded


def test_local_aws_demo_runs_the_flow_and_prints_the_marts() -> None:
    # A process of its own, as `make local-aws-demo` runs it: moto's state is per process, and the
    # demo's fixed bucket and stream names must not meet this session's.
    demo = subprocess.run(
        [sys.executable, "-m", "shopware.aws.demo", "--events", "40"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert demo.returncode == 0, demo.stderr
    assert "web Lambda: 1 Kinesis batches, 0 failed records" in demo.stdout
    assert "crm Lambda: 1 Kinesis batches, 0 failed records" in demo.stdout
    assert re.search(r"shopware-bronze\s+│\s+80\s", demo.stdout)  # one bronze object per event
    assert "marketing.session_metrics_daily" in demo.stdout
    assert "support.interaction_volume_daily" in demo.stdout
    assert "moto and PostgreSQL stopped" in demo.stdout
