"""The stream Lambdas load the gold dates they rewrote into the warehouse (PostgreSQL for Redshift).

The handlers are invoked in-process (Lambda cannot run under moto 5.2); the warehouse is a throwaway
PostgreSQL reached through the same adapter code as Redshift.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import psycopg
import pytest

from shopware.aws.lambdas import crm_logs, web_logs
from shopware.warehouse.adapter import connect
from shopware.warehouse.admin import setup_warehouse
from shopware.warehouse.settings import load_config
from tests.support.kinesis_events import event_of, json_lines, kinesis_record
from tests.support.warehouse_db import fresh_warehouse_database

DAY = datetime(2026, 11, 20, tzinfo=UTC).timestamp()


@pytest.fixture
def warehouse(postgres_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    dsn = fresh_warehouse_database(postgres_dsn, "shopware_stream", monkeypatch)
    monkeypatch.setenv("SHOPWARE_LAKE", str(tmp_path / "lake"))
    monkeypatch.setenv("SHOPWARE_LOAD_WAREHOUSE", "true")
    monkeypatch.delenv("SHOPWARE_LAKE_BUCKET", raising=False)
    admin = connect(load_config())
    try:
        setup_warehouse(admin)
    finally:
        admin.close()
    return dsn


def test_streamed_kpis_reach_the_warehouse_once(warehouse: str) -> None:
    web = {"session_id": "s1", "user_id": 7, "page": "/home", "event_type": "Click", "timestamp": DAY + 10}
    crm = {"customer_id": 7, "interaction_type": "Loyalty", "channel": "App", "timestamp": DAY + 20}
    web_event = event_of(kinesis_record(1, json_lines(web), arrival=DAY + 3600))
    crm_event = event_of(kinesis_record(2, json_lines(crm), arrival=DAY + 3600, stream="shopware-crm"))
    for _ in range(2):  # the second round is Lambda redelivering both batches
        assert web_logs.handler(web_event, None) == {"batchItemFailures": []}
        assert crm_logs.handler(crm_event, None) == {"batchItemFailures": []}

    with psycopg.connect(warehouse) as pg:
        sessions = pg.execute("SELECT session_id, events FROM marketing.web_sessions").fetchall()
        engagement = pg.execute(
            "SELECT date, customer_id, web_events, crm_interactions, engagement_score "
            "FROM marketing.customer_engagement_daily"
        ).fetchall()
        loyalty = pg.execute("SELECT loyalty_customers FROM marketing.loyalty_activity_daily").fetchall()
    assert sessions == [("s1", 1)]
    assert engagement == [(date(2026, 11, 20), 7, 1, 1, 7)]  # Click 2 + Loyalty 5
    assert loyalty == [(1,)]
