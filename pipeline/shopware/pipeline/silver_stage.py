"""Bronze -> silver on DuckDB: frame, validate and quarantine a batch of bronze objects, then merge the
accepted records into the deduplicated, date-partitioned silver table."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from shopware.pipeline.bronze import read_object, received_at_of
from shopware.pipeline.lake import Lake
from shopware.transforms import silver
from shopware.transforms.contracts import Source
from shopware.transforms.silver import sql_literal

REFERENCE_PARTITION = "ref"
_SCAN_CHUNK_ROWS = 65_536
DICTIONARY_SIZE_LIMIT = 10_000


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


def _decode_dirty(data: bytes) -> tuple[str, list[tuple[int, str]]]:
    """Split an object that is not valid UTF-8: clean lines stay, undecodable lines are returned apart.

    Undecodable lines are blanked (blank lines are not records) so the others keep their line numbers.
    """
    kept: list[str] = []
    bad: list[tuple[int, str]] = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        try:
            kept.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            kept.append("")
            bad.append((number, line.decode("utf-8", errors="backslashreplace")))
    return "\n".join(kept), bad


@dataclass
class _Decoded:
    """A batch of objects read and decoded: line-framed texts, whole JSON arrays, undecodable records."""

    line_keys: list[str] = field(default_factory=list)
    line_texts: list[str] = field(default_factory=list)
    array_keys: list[str] = field(default_factory=list)
    array_texts: list[str] = field(default_factory=list)
    bad_keys: list[str] = field(default_factory=list)
    bad_numbers: list[int] = field(default_factory=list)
    bad_raw: list[str] = field(default_factory=list)


def _read_batch(lake: Lake, source: Source, keys: Sequence[str], *, csv: bool) -> _Decoded:
    out = _Decoded()
    json_arrays_allowed = not csv
    for key in keys:
        data = read_object(lake.store, key)
        is_array = json_arrays_allowed and data.lstrip()[:1] == b"["
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            if is_array:  # an array cannot be split: the whole object is one undecodable record
                out.bad_keys.append(key)
                out.bad_numbers.append(1)
                out.bad_raw.append(data.decode("utf-8", errors="backslashreplace"))
                continue
            text, bad = _decode_dirty(data)
            for number, raw in bad:
                out.bad_keys.append(key)
                out.bad_numbers.append(number)
                out.bad_raw.append(raw)
        if is_array:
            out.array_keys.append(key)
            out.array_texts.append(text)
        else:
            out.line_keys.append(key)
            out.line_texts.append(text)
    return out


def _split_lines(keys: list[str], texts: list[str], received: dict[str, float]) -> pa.Table:
    """Non-blank lines of every text with their object and 1-based line number (vectorised in Arrow)."""
    if not keys:
        return pa.table(
            {
                "_bronze_object": pa.array([], pa.string()),
                "_object_no": pa.array([], pa.int32()),
                "_received_epoch": pa.array([], pa.float64()),
                "_record_no": pa.array([], pa.int64()),
                "raw": pa.array([], pa.large_string()),
                "_first": pa.array([], pa.bool_()),
            }
        )
    # A text's final newline ends its last line rather than starting a blank one: most batches then
    # have no blank line, and their lines need no filtering (a copy of every line).
    texts = [t[:-1] if t.endswith("\n") else t for t in texts]
    lists = pc.split_pattern(pa.array(texts, pa.large_string()), "\n")
    lengths = pc.list_value_length(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    starts = np.repeat(np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    owner = np.repeat(np.arange(len(keys)), lengths)
    lines = pc.list_flatten(lists)
    if any("\r" in t for t in texts):  # CRLF line ends (trimming copies every line)
        lines = pc.utf8_rtrim(lines, characters="\r")
    kept = pc.not_equal(pc.utf8_trim_whitespace(lines), "").to_numpy(zero_copy_only=False)
    record_no = np.flatnonzero(kept) - starts[kept] + 1
    if not kept.all():
        owner, lines = owner[kept], lines.filter(pa.array(kept))
    first = np.ones(len(owner), dtype=bool)
    first[1:] = owner[1:] != owner[:-1]
    object_no = pa.array(owner, pa.int32())
    table = pa.table(
        {
            "_bronze_object": pa.DictionaryArray.from_arrays(object_no, pa.array(keys)),
            "_object_no": object_no,
            "_received_epoch": pa.array(np.array([received[k] for k in keys])[owner]),
            "_record_no": pa.array(record_no),
            "raw": lines,
            "_first": pa.array(first),
        }
    )
    # Several record batches, so that DuckDB scans the table with all its threads.
    return pa.Table.from_batches(table.combine_chunks().to_batches(max_chunksize=_SCAN_CHUNK_ROWS))


@dataclass
class PreparedGroup:
    """A batch's objects of one format, read and framed into Arrow tables (no DuckDB involved)."""

    keys: list[str]
    csv: bool
    lines: pa.Table
    arrays: pa.Table
    undecodable: pa.Table


def prepare_batch(lake: Lake, source: Source, keys: Sequence[str]) -> list[PreparedGroup]:
    """Read and frame a batch of bronze objects; safe to run in a thread while DuckDB works."""
    groups = []
    # CSV and JSON deliveries of one source (POS exports are CSV, POS via Kinesis is JSON Lines).
    for csv in (True, False):
        group = [k for k in keys if k.endswith(".csv") == csv]
        if not group:
            continue
        received = {k: received_at_of(k).timestamp() for k in group}
        batch = _read_batch(lake, source, group, csv=csv)
        arrays = pa.table(
            {
                "_bronze_object": pa.array(batch.array_keys, pa.string()),
                "_received_epoch": pa.array([received[k] for k in batch.array_keys], pa.float64()),
                "text": pa.array(batch.array_texts, pa.large_string()),
            }
        )
        # One record batch per array, so that DuckDB parses the arrays on all its threads.
        arrays = pa.Table.from_batches(arrays.to_batches(max_chunksize=1), arrays.schema)
        undecodable = pa.table(
            {
                "source": pa.array([source.name] * len(batch.bad_raw), pa.string()),
                "bronze_object": pa.array(batch.bad_keys, pa.string()),
                "record_no": pa.array(batch.bad_numbers, pa.int64()),
                "raw_payload": pa.array(batch.bad_raw, pa.string()),
                "reasons": pa.array([["invalid_encoding"]] * len(batch.bad_raw), pa.list_(pa.string())),
            }
        )
        lines = _split_lines(batch.line_keys, batch.line_texts, received)
        groups.append(PreparedGroup(group, csv, lines, arrays, undecodable))
    return groups


def stage_batch(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    groups: Sequence[PreparedGroup],
    *,
    quarantine_file: Path,
    accepted: AcceptedRows,
) -> list[ObjectCounts]:
    """Validate a prepared batch of bronze objects of one source.

    Accepted rows are added to `accepted`; quarantined rows are written next to `quarantine_file`
    (one file per format). Returns the per-object reconciliation.
    """
    counts = {k: ObjectCounts(source.name, k) for g in groups for k in g.keys}
    for group in groups:
        target = quarantine_file.with_name(f"{quarantine_file.stem}-{'csv' if group.csv else 'json'}.parquet")
        _stage_group(con, source, group, target, accepted, counts)
    return list(counts.values())


def _stage_group(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    group: PreparedGroup,
    quarantine_file: Path,
    accepted: AcceptedRows,
    counts: dict[str, ObjectCounts],
) -> None:
    con.register("batch_lines", group.lines)
    con.register("batch_arrays", group.arrays)
    con.register("undecodable", group.undecodable)
    framed = silver.frame_sql(source, "batch_lines", "batch_arrays", csv=group.csv)
    extracted = silver.extract_sql(source, framed, csv=group.csv)
    typed = f"{accepted.view}__part{len(accepted.parts)}"
    # One statement: materialising the extracted fields first costs more than it saves.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE {typed} AS
        SELECT * REPLACE (CASE WHEN len(reasons) > 0 THEN raw END AS raw)
        FROM ({silver.validate_sql(source, f"({extracted})")})
    """)
    # The accepted rows stay where they are: the view of accepted rows gains this part.
    accepted.parts.append(typed)
    union = " UNION ALL ".join(silver.accepted_sql(source, part) for part in accepted.parts)
    con.execute(f"CREATE OR REPLACE TEMP VIEW {accepted.view} AS {union}")
    quarantine_file.parent.mkdir(parents=True, exist_ok=True)
    con.execute(f"""
        COPY (
            {silver.quarantined_sql(source, typed)}
            UNION ALL SELECT * FROM undecodable
        ) TO {sql_literal(str(quarantine_file))} (FORMAT PARQUET)
    """)
    rows = con.execute(f"""
        SELECT _bronze_object, COUNT(*), COUNT(*) FILTER (WHERE len(reasons) = 0)
        FROM {typed} GROUP BY _bronze_object
        UNION ALL
        SELECT bronze_object, COUNT(*), 0 FROM undecodable GROUP BY bronze_object
    """).fetchall()
    for key, read, kept in rows:
        c = counts[key]
        c.read += read
        c.accepted += kept
        c.quarantined += read - kept
    for name in ("batch_lines", "batch_arrays", "undecodable"):
        con.unregister(name)


@dataclass
class AcceptedRows:
    """A source's accepted rows of this run: the temp view `view` over its typed batch tables."""

    view: str
    parts: list[str] = field(default_factory=list)


def create_accepted_rows(con: duckdb.DuckDBPyConnection, source: Source, name: str) -> AcceptedRows:
    """An empty temp view `name` of a source's accepted rows of this run (batches add to it)."""
    empty = ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in silver.silver_columns(source))
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT {empty} WHERE false")
    return AcceptedRows(name)


def drop_accepted_rows(con: duckdb.DuckDBPyConnection, accepted: AcceptedRows) -> None:
    """Free a source's accepted rows of this run (once merged)."""
    con.execute(f"DROP VIEW IF EXISTS {accepted.view}")
    for part in accepted.parts:
        con.execute(f"DROP TABLE IF EXISTS {part}")
    accepted.parts.clear()


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
    # Duplicates among this run's accepted rows are removed in the one deduplication below.
    new_dates = {r[0] for r in con.execute(f"SELECT DISTINCT event_date FROM {accepted_table}").fetchall()}
    moved_dates: set[date] = set()
    if len(source.key) == 1 and current:
        # Only a single-field key can move between dates: the composite keys include the timestamp.
        key = source.key[0]
        moved_dates = {
            r[0]
            for r in con.execute(
                f"SELECT DISTINCT event_date FROM {scan_all} "
                f"WHERE {key} IN (SELECT {key} FROM {accepted_table})"
            ).fetchall()
        }
    touched = new_dates | moved_dates
    result.touched_dates = touched
    if not touched:
        result.unique_after = result.unique_before
        return result
    touched_files = [f for d, fs in current.items() if date.fromisoformat(d) in touched for f in fs]
    names = ", ".join(n for n, _ in columns)
    rows = f"(SELECT {names} FROM {accepted_table})"
    if touched_files:
        existing = parquet_scan(touched_files, columns, "event_date")
        rows = f"(SELECT {names} FROM {existing} UNION ALL SELECT {names} FROM {accepted_table})"
    merged = f"({silver.dedup_sql(source, rows)})"
    write_partitions(con, lake.table_dir("silver", table), merged, "event_date", touched, run_id)
    written = lake.files("silver", table, committed=committed, pending=run_id)
    after = parquet_scan(written, columns, "event_date")
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
    # A column with more distinct values than DICTIONARY_SIZE_LIMIT per row group is written plain:
    # dictionary-encoding record keys and timestamps cost more time than it saved (measured: 17 %
    # less time writing web events, 2 % larger files).
    con.execute(f"""
        COPY (SELECT * FROM {relation} WHERE {partition} IN ({in_list}))
        TO {sql_literal(str(table_dir))}
        (FORMAT PARQUET, PARTITION_BY ({partition}), FILENAME_PATTERN 'part-{run_id}-{{i}}',
         OVERWRITE_OR_IGNORE true, WRITE_PARTITION_COLUMNS false,
         DICTIONARY_SIZE_LIMIT {DICTIONARY_SIZE_LIMIT})
    """)
    # The files tell which partitions got rows: `relation` is not evaluated a second time.
    for value in values:
        folder = table_dir / f"{partition}={value.isoformat()}"
        if any(folder.glob(f"part-{run_id}-*.parquet")):
            continue
        target = folder / f"part-{run_id}-0.parquet"
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
) -> int | None:
    """Replace a reference table by the newest delivery that has accepted rows; return the new
    version's row count, or None when nothing replaced it.

    A delivery whose every row was quarantined does not wipe the previous version.
    """
    latest = con.execute(f"SELECT max(_bronze_object) FROM {accepted_table}").fetchone()[0]  # type: ignore[index]
    if latest is None:
        return None
    target = lake.table_dir("silver", source.silver_table) / f"{REFERENCE_PARTITION}=current"
    target.mkdir(parents=True, exist_ok=True)
    rows = f"SELECT * FROM {accepted_table} WHERE _bronze_object = {sql_literal(latest)}"
    written = con.execute(
        f"COPY ({silver.dedup_sql(source, f'({rows})')}) "
        f"TO {sql_literal(str(target / f'part-{run_id}-0.parquet'))} (FORMAT PARQUET)"
    ).fetchone()
    return int(written[0]) if written else 0


def reference_rows(con: duckdb.DuckDBPyConnection, lake: Lake, source: Source, committed: set[str]) -> int:
    """The row count of a reference table's current version."""
    files = lake.files("silver", source.silver_table, committed=committed)
    scan = parquet_scan(files, silver.silver_columns(source), None)
    return int(con.execute(f"SELECT COUNT(*) FROM {scan}").fetchone()[0])  # type: ignore[index]
