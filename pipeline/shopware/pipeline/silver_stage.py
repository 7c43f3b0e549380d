"""Bronze -> silver on DuckDB: frame, validate and quarantine a batch of bronze objects, then merge the
accepted records into the deduplicated, date-partitioned silver table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa

from shopware.pipeline.bronze import received_at_of
from shopware.pipeline.lake import Lake
from shopware.transforms import silver
from shopware.transforms.contracts import Source
from shopware.transforms.silver import sql_literal

REFERENCE_PARTITION = "ref"


@dataclass
class ObjectCounts:
    """Reconciliation of one bronze object: read = accepted + quarantined."""

    source: str
    bronze_object: str
    read: int = 0
    accepted: int = 0
    quarantined: int = 0


@dataclass
class SilverResult:
    """What merging a source's new records into silver changed."""

    touched_dates: set[date] = field(default_factory=set)
    unique_before: int = 0
    unique_after: int = 0


def parquet_scan(files: Sequence[Path], columns: Sequence[tuple[str, str]], partition: str | None) -> str:
    """A relation over Hive-partitioned Parquet files, or an empty relation of the same shape."""
    if not files:
        cols = ", ".join(f"CAST(NULL AS {typ}) AS {name}" for name, typ in columns)
        return f"(SELECT {cols} WHERE false)"
    paths = ", ".join(sql_literal(str(f)) for f in files)
    names = ", ".join(name for name, _ in columns)
    hive = f", hive_types={{'{partition}': DATE}}" if partition else ""
    return f"(SELECT {names} FROM read_parquet([{paths}], hive_partitioning=true{hive}))"


def _decode_dirty(data: bytes, source: Source) -> tuple[str, list[tuple[int, str]]]:
    """Split an object that is not valid UTF-8: clean lines stay, undecodable lines are returned apart.

    Undecodable lines are blanked (blank lines are not records) so the others keep their line numbers.
    A JSON array cannot be split, so it becomes a single undecodable record.
    """
    if "csv" not in source.formats and data.lstrip()[:1] == b"[":
        return "", [(1, data.decode("utf-8", errors="backslashreplace"))]
    kept: list[str] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            kept.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            kept.append("")
            bad.append((number, line.decode("utf-8", errors="backslashreplace")))
    return "\n".join(kept), bad


def stage_batch(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    source: Source,
    keys: Sequence[str],
    *,
    quarantine_file: Path,
    accepted_table: str,
) -> list[ObjectCounts]:
    """Validate a batch of bronze objects of one source.

    Accepted rows are appended to the temp table `accepted_table`; quarantined rows are written to
    `quarantine_file`. Returns the per-object reconciliation.
    """
    objects = pa.table(
        {
            "_bronze_object": keys,
            "path": [str(lake.path(k)) for k in keys],
            "_received_epoch": [received_at_of(k).timestamp() for k in keys],
        }
    )
    con.register("batch_objects", objects)
    paths = ", ".join(sql_literal(str(lake.path(k))) for k in keys)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE batch_text AS
        SELECT o._bronze_object, o._received_epoch, TRY(decode(b.content)) AS text
        FROM read_blob([{paths}]) b JOIN batch_objects o ON o.path = b.filename
    """)
    dirty = [
        row[0] for row in con.execute("SELECT _bronze_object FROM batch_text WHERE text IS NULL").fetchall()
    ]
    bad_lines: dict[str, list[int]] = {"_bronze_object": [], "record_no": []}  # type: ignore[dict-item]
    bad_raw: list[str] = []
    for key in dirty:
        text, bad = _decode_dirty(lake.store.get(key), source)
        con.execute("UPDATE batch_text SET text = ? WHERE _bronze_object = ?", [text, key])
        for number, raw in bad:
            bad_lines["_bronze_object"].append(key)  # type: ignore[arg-type]
            bad_lines["record_no"].append(number)
            bad_raw.append(raw)
    con.register(
        "undecodable",
        pa.table(
            {
                "source": [source.name] * len(bad_raw),
                "bronze_object": pa.array(bad_lines["_bronze_object"], pa.string()),
                "record_no": pa.array(bad_lines["record_no"], pa.int64()),
                "raw_payload": pa.array(bad_raw, pa.string()),
                "reasons": pa.array([["invalid_encoding"]] * len(bad_raw), pa.list_(pa.string())),
            }
        ),
    )
    typed = silver.typed_sql(source, silver.frame_sql(source, "batch_text"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE batch_typed AS
        SELECT * REPLACE (CASE WHEN len(reasons) > 0 THEN raw END AS raw) FROM ({typed})
    """)
    con.execute(f"INSERT INTO {accepted_table} {silver.accepted_sql(source, 'batch_typed')}")
    quarantine_file.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        COPY (
            {silver.quarantined_sql(source, "batch_typed")}
            UNION ALL SELECT * FROM undecodable
        ) TO {sql_literal(str(quarantine_file))} (FORMAT PARQUET)
    """)
    counts = {k: ObjectCounts(source.name, k) for k in keys}
    rows = con.execute("""
        SELECT _bronze_object, COUNT(*), COUNT(*) FILTER (WHERE len(reasons) = 0)
        FROM batch_typed GROUP BY _bronze_object
        UNION ALL
        SELECT bronze_object, COUNT(*), 0 FROM undecodable GROUP BY bronze_object
    """).fetchall()
    for key, read, accepted in rows:
        c = counts[key]
        c.read += read
        c.accepted += accepted
        c.quarantined += read - accepted
    con.unregister("batch_objects")
    con.unregister("undecodable")
    return list(counts.values())


def create_accepted_table(con: duckdb.DuckDBPyConnection, source: Source, name: str) -> None:
    """An empty temp table for a source's accepted rows of this run."""
    cols = ", ".join(f"{n} {t}" for n, t in silver.silver_columns(source))
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({cols})")


def merge_into_silver(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    source: Source,
    accepted_table: str,
    *,
    committed: set[str],
    run_id: str,
) -> SilverResult:
    """Merge this run's accepted rows into the silver table; only touched partitions are rewritten.

    A record key that already exists is replaced by the version ingested last, even when that version
    has another event date (the old date's partition is rewritten without it).
    """
    columns = silver.silver_columns(source)
    table = source.silver_table
    current = lake.partitions("silver", table, committed=committed)
    result = SilverResult()
    scan_all = parquet_scan([f for fs in current.values() for f in fs], columns, "event_date")
    result.unique_before = con.execute(f"SELECT COUNT(*) FROM {scan_all}").fetchone()[0]  # type: ignore[index]
    new = f"new_{source.name}"  # kept for the gold stage: the changed sessions and customers
    con.execute(f"CREATE OR REPLACE TEMP TABLE {new} AS {silver.dedup_sql(source, accepted_table)}")
    new_dates = {r[0] for r in con.execute(f"SELECT DISTINCT event_date FROM {new}").fetchall()}
    moved_dates: set[date] = set()
    if len(source.key) == 1 and current:
        # Only a single-field key can move between dates: the composite keys include the timestamp.
        moved_dates = {
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT event_date FROM {scan_all} WHERE record_key IN (SELECT record_key FROM {new})"
            ).fetchall()
        }
    touched = new_dates | moved_dates
    result.touched_dates = touched
    if not touched:
        result.unique_after = result.unique_before
        return result
    touched_files = [f for d, fs in current.items() if date.fromisoformat(d) in touched for f in fs]
    existing = parquet_scan(touched_files, columns, "event_date")
    names = ", ".join(n for n, _ in columns)
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE merged AS
        {silver.dedup_sql(source, f"(SELECT {names} FROM {existing} UNION ALL SELECT {names} FROM {new})")}
    """)
    write_partitions(con, lake.table_dir("silver", table), "merged", "event_date", touched, run_id)
    after = parquet_scan(
        [
            f
            for fs in lake.partitions("silver", table, committed=committed, pending=run_id).values()
            for f in fs
        ],
        columns,
        "event_date",
    )
    result.unique_after = con.execute(f"SELECT COUNT(*) FROM {after}").fetchone()[0]  # type: ignore[index]
    return result


def write_partitions(
    con: duckdb.DuckDBPyConnection,
    table_dir: Path,
    relation: str,
    partition: str,
    values: set[date],
    run_id: str,
) -> None:
    """Write the rows of `relation` as the new content of the partitions `values`.

    A partition in `values` with no rows gets an empty file, so that it supersedes older content.
    """
    table_dir.mkdir(parents=True, exist_ok=True)
    if not values:
        return
    in_list = ", ".join(f"DATE '{v.isoformat()}'" for v in sorted(values))
    con.execute(f"""
        COPY (SELECT * FROM {relation} WHERE {partition} IN ({in_list}))
        TO {sql_literal(str(table_dir))}
        (FORMAT PARQUET, PARTITION_BY ({partition}), FILENAME_PATTERN 'part-{run_id}-{{i}}',
         OVERWRITE_OR_IGNORE true, WRITE_PARTITION_COLUMNS false)
    """)
    written = {
        r[0]
        for r in con.execute(
            f"SELECT DISTINCT {partition} FROM {relation} WHERE {partition} IN ({in_list})"
        ).fetchall()
    }
    for value in values - written:
        target = table_dir / f"{partition}={value.isoformat()}" / f"part-{run_id}-0.parquet"
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(
            f"COPY (SELECT * EXCLUDE ({partition}) FROM {relation} WHERE false) "
            f"TO {sql_literal(str(target))} (FORMAT PARQUET)"
        )


def merge_reference(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    source: Source,
    accepted_table: str,
    *,
    run_id: str,
) -> bool:
    """Replace a reference table by the newest delivery that has accepted rows; return whether it did.

    A delivery whose every row was quarantined does not wipe the previous version.
    """
    latest = con.execute(f"SELECT max(_bronze_object) FROM {accepted_table}").fetchone()[0]  # type: ignore[index]
    if latest is None:
        return False
    target = lake.table_dir("silver", source.silver_table) / f"{REFERENCE_PARTITION}=current"
    target.mkdir(parents=True, exist_ok=True)
    rows = f"SELECT * FROM {accepted_table} WHERE _bronze_object = {sql_literal(latest)}"
    con.execute(
        f"COPY ({silver.dedup_sql(source, f'({rows})')}) "
        f"TO {sql_literal(str(target / f'part-{run_id}-0.parquet'))} (FORMAT PARQUET)"
    )
    return True
