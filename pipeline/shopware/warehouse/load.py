"""Loads from the lake into the warehouse: a reload of a date replaces that date, so loads are idempotent.

For one table, in one transaction: a staging table shaped like the Parquet files; DELETE of the dates
being loaded; then per date, the engine's bulk path fills the staging table from the date's partition
(`Stager`) and an INSERT ... SELECT moves it into the table, adding the date from the directory name.
A date asked for that has no partition in the lake ends up with no rows, as the lake says. Readers see
the old rows or the new ones, never a mix; a failed load leaves the table as it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shopware.warehouse.adapter import Warehouse, run
from shopware.warehouse.catalog import GOLD_TABLES, TableSpec
from shopware.warehouse.lake import Lake
from shopware.warehouse.sql import (
    clear_staging_sql,
    create_staging_sql,
    delete_dates_sql,
    drop_staging_sql,
    insert_from_staging_sql,
)


@dataclass(frozen=True)
class LoadResult:
    """What one table load did."""

    table: str
    dates: tuple[dt.date, ...]
    rows: int


def load_table(
    warehouse: Warehouse, lake: Lake, spec: TableSpec, dates: Iterable[dt.date] | None = None
) -> LoadResult:
    """Replace the given dates of a table (all the lake's dates if None) with the lake's rows.

    An undated table (reference data) is replaced whole; `dates` must then be None. A table with no
    data in the lake at all is left alone (a wrong lake path must not empty the warehouse).
    """
    if spec.date_column is None:
        if dates is not None:
            raise ValueError(f"{spec.name} has no date column: it is always replaced whole")
        if not lake.files(spec, None):
            return LoadResult(spec.name, (), 0)
        days: Sequence[dt.date | None] = [None]
    else:
        days = sorted(set(dates if dates is not None else lake.dates(spec)))
        if not days:
            return LoadResult(spec.name, (), 0)
    rows = 0
    with warehouse.transaction() as cursor:
        cursor.execute(drop_staging_sql(spec))
        cursor.execute(create_staging_sql(spec, warehouse.dialect))
        run(cursor, delete_dates_sql(spec, len(days)), [d.isoformat() for d in days if d is not None])
        for day in days:
            files = lake.files(spec, day)
            if not files:
                continue
            warehouse.stager.stage(cursor, spec, lake, files)
            run(cursor, insert_from_staging_sql(spec), [] if day is None else [day.isoformat()])
            rows += max(cursor.rowcount, 0)
            cursor.execute(clear_staging_sql(spec))
        cursor.execute(drop_staging_sql(spec))
    return LoadResult(spec.name, tuple(d for d in days if d is not None), rows)


def load_tables(
    warehouse: Warehouse,
    lake: Lake,
    tables: Iterable[TableSpec] = GOLD_TABLES,
    dates: Iterable[dt.date] | None = None,
) -> list[LoadResult]:
    """Load several tables (the gold tables by default), one transaction each, for the same dates."""
    wanted = None if dates is None else sorted(set(dates))
    return [
        load_table(warehouse, lake, spec, None if spec.date_column is None else wanted) for spec in tables
    ]
