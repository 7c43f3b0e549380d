"""One pipeline run: every new bronze object -> silver -> gold -> warehouse, committed atomically."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from shopware.alerts.model import PipelineFailure, stock_alerts
from shopware.alerts.sinks import AlertSink
from shopware.kpi.tables import gold_tables
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.gold_stage import GoldChanges, GoldStage, keep_new_entities
from shopware.pipeline.lake import LEDGER_PREFIX, Lake, new_run_id
from shopware.pipeline.settings import PipelineSettings
from shopware.pipeline.silver_stage import (
    ObjectCounts,
    PreparedGroup,
    create_accepted_rows,
    drop_accepted_rows,
    merge_into_silver,
    merge_reference,
    prepare_batch,
    reference_rows,
    stage_batch,
)
from shopware.pipeline.warehouse import refresh_warehouse
from shopware.transforms.contracts import EVENT_SOURCES, REFERENCE_SOURCES, SOURCES, Source
from shopware.transforms.silver import sql_literal

Progress = Callable[[str, int, int], None]  # (stage, done, total)
FIRST_BATCH_FRACTION = 16


@dataclass
class SourceSummary:
    """Per-source figures of one run."""

    objects: int = 0
    read: int = 0
    accepted: int = 0
    quarantined: int = 0
    duplicates: int = 0
    unique_total: int = 0
    touched_dates: int = 0


@dataclass
class RunSummary:
    """What a run did, for the CLI's summary and the run manifest."""

    run_id: str
    sources: dict[str, SourceSummary] = field(default_factory=dict)
    gold_partitions: dict[str, int] = field(default_factory=dict)
    timings_s: dict[str, float] = field(default_factory=dict)
    new_stock_alerts: int = 0
    references: list[str] = field(default_factory=list)  # reference tables replaced by this run
    reasons: dict[str, dict[str, int]] = field(default_factory=dict)  # source -> reason code -> records
    file_problems: list[str] = field(default_factory=list)  # whole-object problems, for the operator

    @property
    def records_read(self) -> int:
        """Records read from bronze in this run, all sources."""
        return sum(s.read for s in self.sources.values())


def connect(settings: PipelineSettings, lake: Lake) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for one run, bounded in memory and spilling into the lake's temp dir."""
    con = duckdb.connect()
    spill = lake.path("_tmp/duckdb")
    spill.mkdir(parents=True, exist_ok=True)
    con.execute(f"SET memory_limit = {sql_literal(settings.memory_limit)}")
    con.execute(f"SET threads = {settings.threads}")
    con.execute(f"SET temp_directory = {sql_literal(str(spill))}")
    con.execute("SET preserve_insertion_order = false")
    # The CLI draws its own progress; DuckDB would print bars of its own into the output.
    con.execute("SET enable_progress_bar = false")
    con.execute("SET TimeZone = 'UTC'")
    return con


def processed_objects(con: duckdb.DuckDBPyConnection, lake: Lake, committed: set[str]) -> set[str]:
    """Bronze objects already processed by a committed run (the ledger, like Glue job bookmarks)."""
    files = [lake.path(f"{LEDGER_PREFIX}/{run}.parquet") for run in sorted(committed)]
    files = [f for f in files if f.exists()]
    if not files:
        return set()
    paths = ", ".join(sql_literal(str(f)) for f in files)
    return {r[0] for r in con.execute(f"SELECT bronze_object FROM read_parquet([{paths}])").fetchall()}


def _plan(lake: Lake, work: list[tuple[str, list[str]]], max_bytes: int) -> list[tuple[Source, list[str]]]:
    """The batches (source, bronze objects) of every (source, keys) of `work`, in order.

    A batch holds consecutive objects of one source, at least one. The run's first batch holds at most
    `max_bytes // FIRST_BATCH_FRACTION` bytes, each next one twice as many, up to `max_bytes`: the run
    waits for its first batch to be read and framed, and the reader frames each next batch while the
    previous one is validated (about three times slower per byte), so doubling keeps it ahead.
    """
    plan: list[tuple[Source, list[str]]] = []
    limit = max(1, max_bytes // FIRST_BATCH_FRACTION)
    for name, keys in work:
        batch: list[str] = []
        size = 0
        for key in keys:
            n = lake.path(key).stat().st_size
            if batch and size + n > limit:
                plan.append((SOURCES[name], batch))
                batch, size, limit = [], 0, min(2 * limit, max_bytes)
            batch.append(key)
            size += n
        if batch:
            plan.append((SOURCES[name], batch))
            limit = min(2 * limit, max_bytes)
    return plan


def run_pipeline(
    settings: PipelineSettings, progress: Progress | None = None, alerts: AlertSink | None = None
) -> RunSummary:
    """Process everything new in the lake: bronze -> silver -> gold -> warehouse.

    Safe to re-run: objects already in the ledger are skipped, and a run that fails leaves the lake as
    it was (its files are invisible until its manifest commits, and swept by the next run). New stock
    alerts, and a failure, are published to `alerts`.
    """
    lake = Lake(settings.lake)
    run_id = new_run_id()
    stage = "start"

    def report(name: str, done: int, total: int) -> None:
        nonlocal stage
        stage = name
        if progress:
            progress(name, done, total)

    try:
        with lake.lock():
            summary, new_alerts = _run(settings, lake, run_id, report)
    except Exception as exc:
        if alerts is not None:
            alerts.publish([PipelineFailure(run_id, stage, f"{type(exc).__name__}: {exc}", time.time())])
        raise
    if alerts is not None and new_alerts is not None and new_alerts.num_rows:
        alerts.publish(list(stock_alerts(new_alerts)))
    summary.new_stock_alerts = 0 if new_alerts is None else new_alerts.num_rows
    return summary


def prepared_batches(
    lake: Lake, work: list[tuple[str, list[str]]], batch_bytes: int
) -> Iterator[tuple[list[str], list[PreparedGroup]]]:
    """The batches (keys, framed groups) of every (source, keys) of `work`, in order, read and framed
    one batch ahead.

    Reading and framing (Python, Arrow) overlap DuckDB's work on the previous batch, across
    sources too: the next source's first batch is ready when the previous source's merge ends.
    """
    plan = _plan(lake, work, batch_bytes)
    with ThreadPoolExecutor(max_workers=1) as reader:
        ahead = reader.submit(prepare_batch, lake, *plan[0]) if plan else None
        for i in range(len(plan)):
            assert ahead is not None
            groups = ahead.result()
            if i + 1 < len(plan):
                ahead = reader.submit(prepare_batch, lake, *plan[i + 1])
            yield plan[i][1], groups


def stage_sources(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    pending: dict[str, list[str]],
    *,
    committed: set[str],
    run_id: str,
    summary: RunSummary,
    batch_bytes: int,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[ObjectCounts], dict[str, set[date]]]:
    """Validate the bronze objects `pending[name]` of every source and merge them into silver,
    reference sources first.

    Returns the per-object reconciliation and, per event source, the event dates whose silver
    changed; a replaced reference source is listed in `summary.references`. What the gold stage
    reads of a source's new rows is left in the temp table `new_<name>` (`keep_new_entities`).
    `progress` is told how many objects each finished batch held.
    """
    order = [name for name in (*REFERENCE_SOURCES, *EVENT_SOURCES) if pending.get(name)]
    prepared = prepared_batches(lake, [(name, pending[name]) for name in order], batch_bytes)
    ledger: list[ObjectCounts] = []
    changed: dict[str, set[date]] = {}
    for name in order:
        counts, dates = _stage_source(
            con,
            lake,
            name,
            pending[name],
            prepared,
            committed=committed,
            run_id=run_id,
            summary=summary,
            progress=progress,
        )
        ledger.extend(counts)
        if not SOURCES[name].reference:
            changed[name] = dates
    return ledger, changed


def _stage_source(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    name: str,
    keys: list[str],
    prepared: Iterator[tuple[list[str], list[PreparedGroup]]],
    *,
    committed: set[str],
    run_id: str,
    summary: RunSummary,
    progress: Callable[[int], None] | None,
) -> tuple[list[ObjectCounts], set[date]]:
    """Validate the bronze objects `keys` of source `name`, taking their batches from `prepared`
    (positioned at this source's first batch), and merge them into silver; add the source to
    `summary`. Returns its reconciliation and the event dates whose silver changed (none for a
    reference source).
    """
    source = SOURCES[name]
    accepted = create_accepted_rows(con, source, f"new_accepted_{name}")
    counts: list[ObjectCounts] = []
    remaining, i = len(keys), 0
    while remaining:
        batch, groups = next(prepared)
        qfile = lake.path(f"quarantine/{name}/run={run_id}/part-{i}.parquet")
        counts.extend(stage_batch(con, source, groups, quarantine_file=qfile, accepted=accepted))
        if progress:
            progress(len(batch))
        remaining, i = remaining - len(batch), i + 1
    stats = summary.sources[name] = SourceSummary(
        objects=len(counts),
        read=sum(c.read for c in counts),
        accepted=sum(c.accepted for c in counts),
        quarantined=sum(c.quarantined for c in counts),
    )
    if source.reference:
        rows = merge_reference(con, lake, source, accepted.view, run_id=run_id)
        drop_accepted_rows(con, accepted)
        if rows is not None:
            summary.references.append(name)
        stats.unique_total = rows if rows is not None else reference_rows(con, lake, source, committed)
        return counts, set()
    merged = merge_into_silver(con, lake, source, accepted.view, committed=committed, run_id=run_id)
    keep_new_entities(con, name, accepted.view)
    drop_accepted_rows(con, accepted)
    stats.touched_dates = len(merged.touched_dates)
    stats.unique_total = merged.unique_after
    stats.duplicates = stats.accepted - (merged.unique_after - merged.unique_before)
    return counts, merged.touched_dates


def commit_run(
    con: duckdb.DuckDBPyConnection, lake: Lake, summary: RunSummary, ledger: list[ObjectCounts]
) -> None:
    """Record the run's quarantine reasons, write its ledger, and commit it (the manifest, last)."""
    _explain_quarantine(con, lake, summary.run_id, summary)
    _write_ledger(lake, summary.run_id, ledger)
    lake.commit(summary.run_id, _manifest(summary))


def _run(
    settings: PipelineSettings, lake: Lake, run_id: str, report: Progress
) -> tuple[RunSummary, pa.Table | None]:
    committed = set(lake.committed_runs())
    _sweep(lake, committed, run_id)
    con = connect(settings, lake)
    summary = RunSummary(run_id=run_id)
    started = time.perf_counter()
    done = processed_objects(con, lake, committed)
    pending = {s: [k for k in list_objects(lake.store, s) if k not in done] for s in SOURCES}
    total = sum(len(v) for v in pending.values())
    finished = 0

    def batch_done(objects: int) -> None:
        nonlocal finished
        finished += objects
        report("silver", finished, total)

    ledger, dates = stage_sources(
        con,
        lake,
        pending,
        committed=committed,
        run_id=run_id,
        summary=summary,
        batch_bytes=settings.batch_bytes,
        progress=batch_done,
    )
    changes = GoldChanges(dates=dates)
    changes.references = set(summary.references)
    summary.timings_s["silver"] = time.perf_counter() - started

    started = time.perf_counter()
    gold = GoldStage(con, lake, committed, run_id)
    tables_total = len(gold_tables())
    counter = iter(range(1, tables_total + 1))
    summary.gold_partitions = gold.refresh(changes, lambda _t: report("gold", next(counter), tables_total))
    summary.timings_s["gold"] = time.perf_counter() - started

    commit_run(con, lake, summary, ledger)
    committed.add(run_id)
    _sweep(lake, committed, run_id)
    con.close()

    started = time.perf_counter()
    report("warehouse", 0, 1)
    refresh_warehouse(lake, settings.warehouse_path(), committed)
    report("warehouse", 1, 1)
    summary.timings_s["warehouse"] = time.perf_counter() - started
    return summary, gold.new_stock_alerts


_FILE_LEVEL = {
    "bad_header": "CSV header lacks the contract's columns ({columns}); every row quarantined",
    "invalid_encoding": "not UTF-8 text; undecodable lines quarantined",
    "malformed_json": "malformed JSON",
    "malformed_csv": "CSV rows with the wrong number of cells",
}


def _explain_quarantine(con: duckdb.DuckDBPyConnection, lake: Lake, run_id: str, summary: RunSummary) -> None:
    """Count this run's quarantine reasons and describe objects that were broken as a whole."""
    files = sorted(lake.path("quarantine").glob(f"*/run={run_id}/*.parquet"))
    if not files:
        return
    paths = ", ".join(sql_literal(str(f)) for f in files)
    rel = f"read_parquet([{paths}])"
    for source, reason, n in con.execute(
        f"SELECT source, r, COUNT(*) FROM (SELECT source, unnest(reasons) AS r FROM {rel}) "
        "GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        summary.reasons.setdefault(source, {})[reason] = n
    for source, obj, reason, n in con.execute(
        f"SELECT source, bronze_object, reasons[1], COUNT(*) FROM {rel} "
        f"WHERE reasons[1] IN ({', '.join(sql_literal(r) for r in _FILE_LEVEL)}) GROUP BY ALL ORDER BY ALL"
    ).fetchall():
        what = _FILE_LEVEL[reason].format(columns=",".join(f.name for f in SOURCES[source].fields))
        summary.file_problems.append(f"{obj}: {what} ({n} record{'s' if n != 1 else ''})")


def _write_ledger(lake: Lake, run_id: str, ledger: list[ObjectCounts]) -> None:
    table = pa.Table.from_pydict(
        {
            "source": [c.source for c in ledger],
            "bronze_object": [c.bronze_object for c in ledger],
            "read": [c.read for c in ledger],
            "accepted": [c.accepted for c in ledger],
            "quarantined": [c.quarantined for c in ledger],
            "run_id": [run_id] * len(ledger),
        },
        schema=pa.schema(
            [
                ("source", pa.string()),
                ("bronze_object", pa.string()),
                ("read", pa.int64()),
                ("accepted", pa.int64()),
                ("quarantined", pa.int64()),
                ("run_id", pa.string()),
            ]
        ),
    )
    path = lake.path(f"{LEDGER_PREFIX}/{run_id}.parquet")
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, path)


def _manifest(summary: RunSummary) -> dict[str, Any]:
    return {
        "run_id": summary.run_id,
        "sources": {k: asdict(v) for k, v in summary.sources.items()},
        "gold_partitions": summary.gold_partitions,
        "timings_s": summary.timings_s,
        "quarantine_reasons": summary.reasons,
        "file_problems": summary.file_problems,
    }


def _sweep(lake: Lake, committed: set[str], active: str) -> None:
    """Remove superseded table files and the leftovers of runs that died before committing."""
    for source in SOURCES.values():
        lake.sweep("silver", source.silver_table, committed=committed, active=active)
    for name in gold_tables():
        lake.sweep("gold", name, committed=committed, active=active)
    lake.sweep_dead_runs("quarantine", committed=committed, active=active)
    ledger_dir = lake.path(LEDGER_PREFIX)
    if ledger_dir.is_dir():
        for f in ledger_dir.glob("*.parquet"):
            if f.stem not in committed and f.stem != active:
                f.unlink()
