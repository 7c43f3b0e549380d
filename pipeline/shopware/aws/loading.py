"""The warehouse edge of a stream Lambda: load the gold partitions a run rewrote, and nothing else.

Through the warehouse adapter (`shopware.warehouse`): Redshift's COPY from the S3 lake on AWS,
PostgreSQL's bulk path locally. A load replaces the loaded dates, so loading again is harmless.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol

from shopware.kpi.tables import gold_tables
from shopware.pipeline.lake import Lake, committed_selector
from shopware.warehouse.adapter import connect
from shopware.warehouse.catalog import table
from shopware.warehouse.lake import Lake as WarehouseLake
from shopware.warehouse.load import load_table
from shopware.warehouse.settings import WarehouseConfig


def rewritten_gold_dates(lake: Lake, run_id: str) -> dict[str, set[date]]:
    """Per gold table, the date partitions run `run_id` wrote files for."""
    changed: dict[str, set[date]] = {}
    for name in gold_tables():
        base = lake.table_dir("gold", name)
        for part in base.iterdir() if base.is_dir() else []:
            if "=" in part.name and any(f.name.startswith(f"part-{run_id}-") for f in part.iterdir()):
                changed.setdefault(name, set()).add(date.fromisoformat(part.name.split("=", 1)[1]))
    return changed


class GoldLoader(Protocol):
    """Where a committed run's gold goes after the lake."""

    def load(self, lake: Lake, run_id: str) -> dict[str, int]:
        """Load what run `run_id` rewrote; return the rows loaded per table."""


class NoLoader:
    """The lake is the end of the line (the warehouse is loaded by a batch step)."""

    def load(self, lake: Lake, run_id: str) -> dict[str, int]:
        return {}


class WarehouseLoader:
    """Loads into the Redshift/PostgreSQL warehouse of `config`, reading the lake at `lake_uri`.

    `lake_uri` is where the warehouse reads the files: the S3 lake (`s3://bucket/prefix`) for
    Redshift's COPY; None for the local lake itself.
    """

    def __init__(self, config: WarehouseConfig, lake_uri: str | None = None) -> None:
        self.config, self.lake_uri = config, lake_uri

    def load(self, lake: Lake, run_id: str) -> dict[str, int]:
        changed = rewritten_gold_dates(lake, run_id)
        if not changed:
            return {}
        select = committed_selector(set(lake.committed_runs()))
        source = WarehouseLake(self.lake_uri or str(lake.root), select=select)
        warehouse = connect(self.config)
        try:
            return {
                name: load_table(warehouse, source, table(name), dates).rows
                for name, dates in changed.items()
            }
        finally:
            warehouse.close()
