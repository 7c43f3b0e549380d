"""`shopware-pipeline demo`: synthetic data for all sources -> bronze -> run -> every team's KPIs."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from shopware.ingestion.demo import ingest_demo
from shopware.pipeline.bronze import land_files
from shopware.pipeline.datagen import DEMO, generate
from shopware.pipeline.lake import Lake
from shopware.pipeline.runner import RunSummary
from shopware.pipeline.settings import PipelineSettings
from shopware.pipeline.warehouse import query

# One question per team, answered from its own mart.
TEAM_QUERIES = {
    "sales": "SELECT region, round(SUM(net_revenue), 2) AS net_revenue, SUM(units_sold) AS units "
    "FROM sales.sales_daily GROUP BY region ORDER BY net_revenue DESC",
    "marketing": "SELECT session_date, sessions, round(bounce_rate_pct, 1) AS bounce_rate_pct, "
    "round(median_session_duration_s) AS median_duration_s FROM marketing.session_metrics_daily ORDER BY 1",
    "operations": "SELECT date, units_sold, round(turnover_rate, 3) AS turnover_rate, "
    "(SELECT COUNT(*) FROM operations.stockout_alerts a WHERE a.alert_date = t.date) AS stock_alerts "
    "FROM operations.inventory_turnover_daily t ORDER BY 1",
    "support": "SELECT complaint_date, complaints, resolved, open, round(median_resolution_s) AS median_s "
    "FROM support.time_to_resolution_daily ORDER BY 1",
    "finance": "SELECT sales_date, round(SUM(net_revenue), 2) AS net_revenue, "
    "round(100 * SUM(discount_total) / SUM(gross_revenue), 2) AS discount_rate_pct "
    "FROM finance.revenue_daily GROUP BY 1 ORDER BY 1",
}


def run_demo(
    settings: PipelineSettings,
    *,
    days: int,
    seed: int,
    console: Console,
    execute: Callable[[PipelineSettings], RunSummary],
    summarise: Callable[[RunSummary], None],
) -> None:
    """Generate, land, run and show: the whole product in one command."""
    lake = Lake(settings.lake)
    with tempfile.TemporaryDirectory(prefix="shopware-demo-") as tmp:
        files = generate(Path(tmp), seed=seed, days=days, volume=DEMO)
        landed = sum(
            obj is not None
            for source, paths in files.items()
            for obj in land_files(lake.store, source, paths)
        )
        console.print(f"landed {landed} synthetic export files into {lake.root / 'bronze'}")
    # Live data through the real services on loopback: simulated source APIs -> connectors, signed
    # webhook traffic -> receivers, both into the lake's bronze (seed 1: ids apart from the exports').
    streamed = ingest_demo(lake.root, seed=1)
    console.print("through the services: " + ", ".join(f"{s} {n} records" for s, n in streamed.items()))
    summarise(execute(settings))
    for team, sql in TEAM_QUERIES.items():
        names, rows = query(settings.warehouse_path(), sql)
        table = Table(*names, title=f"{team} mart")
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)
    console.print(
        f"Ask your own questions: shopware-pipeline --lake {settings.lake} "
        'query "SELECT ... FROM sales.sales_daily"'
    )
