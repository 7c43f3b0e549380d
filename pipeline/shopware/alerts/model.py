"""The alerts the pipeline raises, and the one JSON message shape every channel carries.

A message is a flat JSON object with `kind` (`stockout`, `low_stock` or `pipeline_failure`), `id`
(stable: the same alert gets the same id however often it is published, so consumers can drop repeats
when a date is recomputed) and the alert's fields.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

import pyarrow as pa


def _stable_id(*parts: object) -> str:
    return hashlib.sha256("|".join(str(p) for p in parts).encode()).hexdigest()[:32]


@dataclass(frozen=True)
class StockAlert:
    """One row of the `stockout_alerts` gold table: a reading entered the stockout or low-stock state."""

    alert_ts: float
    alert_date: dt.date
    product_id: int
    warehouse_id: int
    alert_type: Literal["stockout", "low_stock"]
    stock_level: int
    restock_threshold: int | None

    @property
    def kind(self) -> str:
        return self.alert_type

    @property
    def id(self) -> str:
        return _stable_id(self.alert_type, self.product_id, self.warehouse_id, repr(self.alert_ts))

    @property
    def subject(self) -> str:
        return f"{self.alert_type}: product {self.product_id} in warehouse {self.warehouse_id}"

    def fields(self) -> dict[str, Any]:
        return {**asdict(self), "alert_date": self.alert_date.isoformat()}


@dataclass(frozen=True)
class PipelineFailure:
    """A pipeline run failed in a stage."""

    run_id: str
    stage: str
    error: str
    failed_ts: float

    @property
    def kind(self) -> str:
        return "pipeline_failure"

    @property
    def id(self) -> str:
        return _stable_id(self.kind, self.run_id, self.stage)

    @property
    def subject(self) -> str:
        return f"pipeline failure: run {self.run_id}, stage {self.stage}"

    def fields(self) -> dict[str, Any]:
        return asdict(self)


Alert = StockAlert | PipelineFailure


def to_message(alert: Alert) -> dict[str, Any]:
    """The JSON object published for an alert."""
    return {"kind": alert.kind, "id": alert.id, **alert.fields()}


def to_json(alert: Alert) -> str:
    """The message as compact JSON text."""
    return json.dumps(to_message(alert), separators=(",", ":"), sort_keys=True)


def stock_alerts(rows: pa.Table) -> list[StockAlert]:
    """The alerts of `stockout_alerts` gold rows (read with its `alert_date` partition column)."""
    return [
        StockAlert(
            alert_ts=float(row["alert_ts"]),
            alert_date=row["alert_date"],
            product_id=int(row["product_id"]),
            warehouse_id=int(row["warehouse_id"]),
            alert_type=row["alert_type"],
            stock_level=int(row["stock_level"]),
            restock_threshold=None if row["restock_threshold"] is None else int(row["restock_threshold"]),
        )
        for row in rows.sort_by([("alert_ts", "ascending")]).to_pylist()
    ]
