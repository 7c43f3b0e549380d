"""Silver -> gold on DuckDB: recompute the gold partitions that new silver data affects.

What "affected" means depends on a table's scope (see `shopware.kpi.tables.Scope`):
- DAILY: the dates whose silver partitions changed (every date, if a reference table it uses changed);
- INVENTORY_SEQUENCE: computed over all readings (each needs its predecessor, across days), and only
  the dates whose rows differ from the current gold are rewritten;
- SESSIONS / COMPLAINTS: the sessions (customers) with new events are recomputed over their whole
  history; the dates they were on before and are on now are rewritten (all of them while the table
  has no rows yet);
- DERIVED: the dates its upstream gold table rewrote.
The result always equals a from-scratch computation over all silver data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from shopware.kpi.tables import GoldTable, Scope, gold_tables
from shopware.pipeline.lake import Lake
from shopware.pipeline.silver_stage import parquet_scan, write_partitions
from shopware.transforms.contracts import SOURCES
from shopware.transforms.silver import silver_columns, sql_literal

# The relation name each source has inside the KPI SQL.
INPUT_NAMES = {"pos": "pos", "inventory": "inv", "web": "web", "crm": "crm"}
# Per entity scope: the source, the entity's key, and which of the source's rows count (column, values).
_ENTITY: dict[Scope, tuple[str, str, tuple[str, str] | None]] = {
    Scope.SESSIONS: ("web", "session_id", None),
    Scope.COMPLAINTS: ("crm", "customer_id", ("interaction_type", "('Complaint', 'Feedback')")),
}


@dataclass
class GoldChanges:
    """What the silver stage changed in this run."""

    dates: dict[str, set[date]] = field(default_factory=dict)  # per event source
    references: set[str] = field(default_factory=set)  # reference sources replaced


class GoldStage:
    """Recomputes the affected partitions of every gold table for one run."""

    def __init__(self, con: duckdb.DuckDBPyConnection, lake: Lake, committed: set[str], run_id: str) -> None:
        self.con, self.lake, self.committed, self.run_id = con, lake, committed, run_id
        self.new_stock_alerts: pa.Table | None = None
        self.silver_files = {
            name: lake.partitions("silver", SOURCES[name].silver_table, committed=committed, pending=run_id)
            for name in (*INPUT_NAMES, "stores", "products")
        }

    def _silver(self, source: str, dates: set[date] | None = None) -> str:
        files = [
            f
            for d, fs in self.silver_files[source].items()
            if dates is None or d == "current" or date.fromisoformat(d) in dates
            for f in fs
        ]
        partition = None if SOURCES[source].reference else "event_date"
        return parquet_scan(files, silver_columns(SOURCES[source]), partition)

    def _gold_files(self, table: str, dates: set[date] | None = None, *, pending: bool = True) -> list[Path]:
        parts = self.lake.partitions(
            "gold", table, committed=self.committed, pending=self.run_id if pending else None
        )
        return [f for d, fs in parts.items() if dates is None or date.fromisoformat(d) in dates for f in fs]

    def _gold(self, table: GoldTable, files: list[Path]) -> str:
        if not files:
            return "(SELECT * FROM result WHERE false)"
        paths = ", ".join(sql_literal(str(f)) for f in files)
        return (
            f"(SELECT {', '.join(table.columns)} FROM read_parquet([{paths}], hive_partitioning=true, "
            f"hive_types={{'{table.date_column}': DATE}}))"
        )

    def _bind_inputs(self, dates: set[date] | None, where: dict[str, str] | None = None) -> None:
        for source, name in INPUT_NAMES.items():
            rel = self._silver(source, dates)
            cond = (where or {}).get(source)
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {rel} {cond or ''}")
        for ref in ("stores", "products"):
            self.con.execute(f"CREATE OR REPLACE TEMP VIEW {ref} AS SELECT * FROM {self._silver(ref)}")

    def _compute(self, table: GoldTable) -> None:
        compute_into(self.con, table, "result")

    def _all_dates(self, sources: tuple[str, ...]) -> set[date]:
        return {date.fromisoformat(d) for s in sources for d in self.silver_files[s]}

    def refresh(self, changes: GoldChanges, progress: Callable[[str], None] | None = None) -> dict[str, int]:
        """Recompute every affected gold partition; return the number of partitions per table."""
        affected: dict[str, set[date]] = {}
        for table in gold_tables().values():
            if progress:
                progress(table.name)
            if table.scope is Scope.DAILY:
                dates = self._daily(table, changes)
            elif table.scope is Scope.INVENTORY_SEQUENCE:
                dates = self._sequence(table, changes)
            elif table.scope is Scope.DERIVED:
                dates = self._derived(table, affected[table.upstream or ""])
            else:
                dates = self._entity(table, changes)
            affected[table.name] = dates
        return {name: len(dates) for name, dates in affected.items()}

    def _write(self, table: GoldTable, relation: str, dates: set[date]) -> None:
        write_partitions(
            self.con, self.lake.table_dir("gold", table.name), relation, table.date_column, dates, self.run_id
        )

    def _daily(self, table: GoldTable, changes: GoldChanges) -> set[date]:
        dates = set().union(*(changes.dates.get(s, set()) for s in table.sources))
        if changes.references & set(table.references):
            dates |= self._all_dates(table.sources)
        if not dates:
            return set()
        self._bind_inputs(dates)
        self._compute(table)
        self._write(table, "result", dates)
        return dates

    def _sequence(self, table: GoldTable, changes: GoldChanges) -> set[date]:
        if not changes.dates.get("inventory"):
            return set()
        self._bind_inputs(None)
        self._compute(table)
        current = self._gold(table, self._gold_files(table.name, pending=False))
        cols = ", ".join(table.columns)
        fingerprint = (
            f"SELECT {table.date_column} AS d, COUNT(*) AS n, SUM(hash({cols})) AS h FROM {{}} GROUP BY 1"
        )
        rows = self.con.execute(f"""
            SELECT COALESCE(a.d, b.d) FROM ({fingerprint.format("result")}) a
            FULL OUTER JOIN ({fingerprint.format(current)}) b ON a.d = b.d
            WHERE a.n IS DISTINCT FROM b.n OR a.h IS DISTINCT FROM b.h
        """).fetchall()
        dates = {r[0] for r in rows}
        if table.name == "stockout_alerts" and dates:
            # Alerts that did not exist before this run: they are published as they occur.
            in_dates = ", ".join(f"DATE '{d.isoformat()}'" for d in sorted(dates))
            self.new_stock_alerts = self.con.execute(f"""
                SELECT * FROM result WHERE alert_date IN ({in_dates})
                EXCEPT ALL SELECT * FROM {current} WHERE alert_date IN ({in_dates})
            """).to_arrow_table()
        self._write(table, "result", dates)
        return dates

    def _entity(self, table: GoldTable, changes: GoldChanges) -> set[date]:
        source, key, rows = _ENTITY[table.scope]
        if not changes.dates.get(source):
            return set()
        only = f"WHERE {rows[0]} IN {rows[1]}" if rows else ""
        self.con.execute(
            "CREATE OR REPLACE TEMP TABLE changed_keys AS "
            f"SELECT DISTINCT {key} AS k FROM new_{source} {only}"
        )
        current_files = self._gold_files(table.name, pending=False)
        # While the table has no rows (a first run, or a table new to this lake), every entity is
        # computed: that also spares filtering all of silver by the entities of the new rows.
        changed_only = {source: f"WHERE {key} IN (SELECT k FROM changed_keys)"} if current_files else None
        self._bind_inputs(None, changed_only)
        self._compute(table)
        current = self._gold(table, current_files)
        old_dates = self.con.execute(
            f"SELECT DISTINCT {table.date_column} FROM {current} WHERE {key} IN (SELECT k FROM changed_keys)"
        ).fetchall()
        new_dates = self.con.execute(f"SELECT DISTINCT {table.date_column} FROM result").fetchall()
        dates = {r[0] for r in old_dates + new_dates}
        if not dates:
            return set()
        kept = self._gold(table, self._gold_files(table.name, dates, pending=False))
        self.con.execute(f"""
            CREATE OR REPLACE TEMP TABLE merged_gold AS
            SELECT * FROM {kept} WHERE {key} NOT IN (SELECT k FROM changed_keys)
            UNION ALL SELECT * FROM result
        """)
        self._write(table, "merged_gold", dates)
        return dates

    def _derived(self, table: GoldTable, dates: set[date]) -> set[date]:
        if not dates:
            return set()
        upstream = gold_tables()[table.upstream or ""]
        files = self._gold_files(upstream.name, dates)
        self.con.execute(
            f"CREATE OR REPLACE TEMP VIEW {upstream.name} AS SELECT * FROM {self._gold(upstream, files)}"
        )
        self._compute(table)
        self._write(table, "result", dates)
        return dates


def keep_new_entities(con: duckdb.DuckDBPyConnection, source: str, accepted: str) -> None:
    """Keep, as the temp table `new_<source>`, what the gold stage reads of a source's rows accepted in
    this run (the relation `accepted`): the distinct entities they belong to (sessions, customers).

    The accepted rows themselves can then be dropped: holding every source's rows until gold ran made
    DuckDB spill to disk.
    """
    columns = sorted(
        {key for s, key, _ in _ENTITY.values() if s == source}
        | {rows[0] for s, _, rows in _ENTITY.values() if s == source and rows}
    )
    if columns:
        distinct = f"SELECT DISTINCT {', '.join(columns)} FROM {accepted}"
        con.execute(f"CREATE OR REPLACE TEMP TABLE new_{source} AS {distinct}")


def compute_into(con: duckdb.DuckDBPyConnection, table: GoldTable, target: str) -> None:
    """Run a gold table's SQL on the bound inputs into the table `target`, with the lake's types.

    DuckDB sums integers into HUGEINT and keeps decimal literals as DECIMAL: gold stores int64 and
    float64, so the Parquet schema is the same whatever the engine.
    """
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE gold_raw AS SELECT {', '.join(table.columns)} FROM ({table.sql})"
    )
    casts = []
    for name, typ in con.execute("SELECT column_name, column_type FROM (DESCRIBE gold_raw)").fetchall():
        if typ == "HUGEINT":
            casts.append(f"CAST({name} AS BIGINT) AS {name}")
        elif typ.startswith("DECIMAL"):
            casts.append(f"CAST({name} AS DOUBLE) AS {name}")
    replace = f" REPLACE ({', '.join(casts)})" if casts else ""
    con.execute(f"CREATE OR REPLACE TABLE {target} AS SELECT *{replace} FROM gold_raw")
    con.execute("DROP TABLE gold_raw")


def bind_empty_inputs(con: duckdb.DuckDBPyConnection) -> None:
    """Bind every KPI input to an empty, typed relation (to derive the gold schemas from the SQL)."""
    for source, name in (*INPUT_NAMES.items(), ("stores", "stores"), ("products", "products")):
        columns = silver_columns(SOURCES[source])
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {parquet_scan([], columns, None)}")
