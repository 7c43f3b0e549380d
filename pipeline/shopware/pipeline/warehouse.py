"""The embedded warehouse: a DuckDB file with one schema per team mart, silver for ad-hoc SQL, and audit.

Rebuilt from the lake after every run into a new file that atomically replaces the old one, so a reader
never sees a half-refreshed warehouse. Gold tables are copied in (they are small); silver, quarantine
and the ledger are views over the lake's current Parquet files.
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from shopware.kpi.tables import MARTS, gold_tables
from shopware.pipeline.gold_stage import bind_empty_inputs, compute_into
from shopware.pipeline.lake import LEDGER_PREFIX, Lake
from shopware.transforms.contracts import SOURCES
from shopware.transforms.silver import silver_columns, sql_literal


def _paths(files: list[Path]) -> str:
    return "[" + ", ".join(sql_literal(str(f)) for f in files) + "]"


def refresh_warehouse(lake: Lake, path: Path, committed: set[str]) -> None:
    """Rebuild the warehouse file at `path` from the lake's committed state."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".building")
    for stale in (tmp, tmp.with_name(tmp.name + ".wal")):
        stale.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for schema in (*MARTS, "silver", "audit"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        for table in gold_tables().values():
            files = lake.files("gold", table.name, committed=committed)
            target = f"{table.mart}.{table.name}"
            if files:
                con.execute(f"""
                    CREATE TABLE {target} AS
                    SELECT {", ".join(table.columns)}
                    FROM read_parquet({_paths(files)}, hive_partitioning=true,
                                      hive_types={{'{table.date_column}': DATE}})
                    ORDER BY {table.date_column}
                """)
            else:  # no data yet: an empty table of the right shape, derived from the KPI SQL itself
                bind_empty_inputs(con)
                if table.upstream:
                    upstream = gold_tables()[table.upstream]
                    loaded = f"{upstream.mart}.{upstream.name}"
                    con.execute(f"CREATE OR REPLACE TEMP VIEW {upstream.name} AS SELECT * FROM {loaded}")
                compute_into(con, table, target)
        _sales_views(con)
        for source in SOURCES.values():
            files = lake.files("silver", source.silver_table, committed=committed)
            cols = silver_columns(source)
            if files:
                hive = "hive_partitioning=true" + (
                    ", hive_types={'event_date': DATE}" if source.event_time else ""
                )
                body = f"SELECT {', '.join(n for n, _ in cols)} FROM read_parquet({_paths(files)}, {hive})"
            else:
                body = "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in cols) + " WHERE false"
            con.execute(f"CREATE VIEW silver.{source.silver_table} AS {body}")
        _audit(con, lake, committed)
    finally:
        con.close()
    os.replace(tmp, path)


def _sales_views(con: duckdb.DuckDBPyConnection) -> None:
    """ "Total sales by region / by product" (kpis.md): sums over sales_daily, as views."""
    measures = (
        "SUM(transactions) AS transactions, SUM(units_sold) AS units_sold, "
        "SUM(gross_revenue) AS gross_revenue, SUM(discount_total) AS discount_total, "
        "SUM(net_revenue) AS net_revenue"
    )
    for name, keys in (
        ("total_sales_by_region", "region"),
        ("total_sales_by_product", "product_id, category"),
    ):
        con.execute(
            f"CREATE VIEW sales.{name} AS SELECT {keys}, {measures} FROM sales.sales_daily GROUP BY {keys}"
        )


def _audit(con: duckdb.DuckDBPyConnection, lake: Lake, committed: set[str]) -> None:
    """Ledger (per bronze object: read = accepted + quarantined), quarantine and run history."""
    ledger = [lake.path(f"{LEDGER_PREFIX}/{r}.parquet") for r in sorted(committed)]
    ledger = [f for f in ledger if f.exists()]
    if ledger:
        con.execute(f"CREATE VIEW audit.ledger AS SELECT * FROM read_parquet({_paths(ledger)})")
    else:
        con.execute(
            "CREATE VIEW audit.ledger AS SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS bronze_object, "
            "0::BIGINT AS read, 0::BIGINT AS accepted, 0::BIGINT AS quarantined, "
            "NULL::VARCHAR AS run_id WHERE false"
        )
    con.execute("""
        CREATE VIEW audit.reconciliation AS
        SELECT source, COUNT(*) AS bronze_objects, SUM(read) AS read, SUM(accepted) AS accepted,
               SUM(quarantined) AS quarantined, SUM(read) = SUM(accepted) + SUM(quarantined) AS balanced
        FROM audit.ledger GROUP BY source
    """)
    quarantine = sorted(
        f
        for f in lake.path("quarantine").glob("*/run=*/*.parquet")
        if f.parent.name.split("=", 1)[1] in committed
    )
    if quarantine:
        con.execute(
            f"CREATE VIEW audit.quarantine AS SELECT source, bronze_object, record_no, raw_payload, reasons, "
            f"run FROM read_parquet({_paths(quarantine)}, hive_partitioning=true)"
        )
    else:
        con.execute(
            "CREATE VIEW audit.quarantine AS SELECT NULL::VARCHAR AS source, NULL::VARCHAR AS bronze_object, "
            "NULL::BIGINT AS record_no, NULL::VARCHAR AS raw_payload, NULL::VARCHAR[] AS reasons, "
            "NULL::VARCHAR AS run WHERE false"
        )
    runs = [lake.path(f"_meta/runs/{r}.json") for r in sorted(committed)]
    con.execute(
        f"CREATE TABLE audit.runs AS SELECT run_id, timings_s, gold_partitions, sources "
        f"FROM read_json({_paths(runs)}, format='auto')"
        if runs
        else "CREATE TABLE audit.runs (run_id VARCHAR)"
    )


def query(path: Path, sql: str) -> tuple[list[str], list[tuple[object, ...]]]:
    """Run ad-hoc SQL read-only against the warehouse; return column names and rows."""
    if not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `shopware-pipeline run` first")
    con = duckdb.connect(str(path), read_only=True)
    try:
        cur = con.execute(sql)
        names = [d[0] for d in cur.description or []]
        return names, cur.fetchall()
    finally:
        con.close()
