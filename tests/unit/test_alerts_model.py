"""Alert messages: stable ids, flat JSON, built from the stockout_alerts gold rows."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest

from shopware.alerts.model import PipelineFailure, StockAlert, stock_alerts, to_message
from shopware.alerts.settings import AlertSettings, sink_from_settings


def test_stock_alerts_come_from_gold_rows_in_time_order() -> None:
    rows = pa.table(
        {
            "alert_ts": [1790902367.73, 1790844232.46],
            "alert_date": [dt.date(2026, 10, 2), dt.date(2026, 10, 1)],
            "product_id": [100, 100],
            "warehouse_id": [2, 1],
            "alert_type": ["low_stock", "stockout"],
            "stock_level": [3, 0],
            "restock_threshold": [9, None],
        }
    )
    first, second = stock_alerts(rows)
    assert first == StockAlert(1790844232.46, dt.date(2026, 10, 1), 100, 1, "stockout", 0, None)
    assert to_message(second) == {
        "kind": "low_stock",
        "id": second.id,
        "alert_ts": 1790902367.73,
        "alert_date": "2026-10-02",
        "product_id": 100,
        "warehouse_id": 2,
        "alert_type": "low_stock",
        "stock_level": 3,
        "restock_threshold": 9,
    }
    assert stock_alerts(rows)[1].id == second.id  # the same alert recomputed keeps its id
    assert first.id != second.id


def test_a_pipeline_failure_message() -> None:
    failure = PipelineFailure("run-1", "bronze_to_silver", "KeyError: 'x'", 1790000000.0)
    assert to_message(failure)["kind"] == "pipeline_failure"
    assert failure.subject == "pipeline failure: run run-1, stage bronze_to_silver"


def test_no_alert_channel_is_a_configuration_error() -> None:
    with pytest.raises(ValueError, match="no alert channel"):
        sink_from_settings(AlertSettings())
