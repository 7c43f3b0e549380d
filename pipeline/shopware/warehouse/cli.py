"""`warehouse` commands, a Typer sub-app for the main CLI: set up the marts and logins, load the lake.

Connection settings come from `SHOPWARE_WAREHOUSE_*` (see `settings.py`); nothing secret is an option.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from shopware.pipeline.lake import RUNS_PREFIX, committed_selector
from shopware.pipeline.lake import Lake as PipelineLake
from shopware.warehouse.adapter import connect
from shopware.warehouse.admin import provision_logins, setup_warehouse
from shopware.warehouse.catalog import GOLD_TABLES, SILVER_TABLES, table
from shopware.warehouse.lake import Lake, Select
from shopware.warehouse.load import load_tables
from shopware.warehouse.settings import load_config

app = typer.Typer(help="The team warehouse: Redshift on AWS, PostgreSQL locally.", no_args_is_help=True)


def _current_files(lake: str) -> Select | None:
    """Only the files the pipeline's committed runs made current (the lake's commit protocol).

    A directory without run manifests (Parquet written by another tool) is read whole.
    """
    if "://" in lake or not (Path(lake) / RUNS_PREFIX).is_dir():
        return None
    return committed_selector(set(PipelineLake(Path(lake)).committed_runs()))


@app.command()
def setup() -> None:
    """Create the marts, the silver schema, the team groups and grants, and the configured logins."""
    config = load_config()
    warehouse = connect(config)
    try:
        setup_warehouse(warehouse)
        provision_logins(warehouse, config.logins)
    finally:
        warehouse.close()
    typer.echo(
        f"warehouse ready: {len(GOLD_TABLES) + len(SILVER_TABLES)} tables, {len(config.logins)} logins"
    )


@app.command()
def load(
    lake: Annotated[str, typer.Option(help="Lake root: a directory, or s3://bucket/prefix on Redshift.")],
    day: Annotated[
        list[str] | None, typer.Option("--date", help="Reload only this date (YYYY-MM-DD); repeatable.")
    ] = None,
    name: Annotated[
        list[str] | None, typer.Option("--table", help="Only this gold table; repeatable.")
    ] = None,
    silver: Annotated[bool, typer.Option(help="Load the silver tables instead of gold.")] = False,
) -> None:
    """Replace the given dates (default: every date in the lake) of the gold (or silver) tables."""
    layer = "silver" if silver else "gold"
    specs = [table(n, layer) for n in name] if name else list(SILVER_TABLES if silver else GOLD_TABLES)
    dates = [dt.date.fromisoformat(d) for d in day] if day else None
    warehouse = connect(load_config())
    try:
        results = load_tables(warehouse, Lake(lake, select=_current_files(lake)), specs, dates)
    finally:
        warehouse.close()
    for result in results:
        scope = f" over {len(result.dates)} date(s)" if result.dates else ""
        typer.echo(f"{result.table}: {result.rows} rows{scope}")
