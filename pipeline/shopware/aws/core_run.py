"""The core's run, in the pieces the AWS jobs compose: stage one source's objects, commit a run.

`shopware-pipeline run` does bronze -> silver -> gold -> warehouse for every source at once; the
stream Lambdas and the Glue bronze -> silver job each need a part of it, with the same ledger, run
manifest and table files, so that every engine writes one lake the others read.
"""

from __future__ import annotations

from datetime import date

import duckdb

from shopware.pipeline.lake import Lake
from shopware.pipeline.runner import RunSummary, SourceSummary, _explain_quarantine, _manifest, _write_ledger
from shopware.pipeline.silver_stage import (
    ObjectCounts,
    create_accepted_table,
    merge_into_silver,
    merge_reference,
    prepare_batch,
    stage_batch,
)
from shopware.transforms.contracts import SOURCES


def stage_source(
    con: duckdb.DuckDBPyConnection,
    lake: Lake,
    name: str,
    keys: list[str],
    *,
    committed: set[str],
    run_id: str,
    summary: RunSummary,
) -> tuple[list[ObjectCounts], set[date]]:
    """Validate the bronze objects `keys` of source `name` and merge them into silver.

    Returns the per-object reconciliation and the event dates whose silver changed (the new rows are
    left in the temp table `new_<name>`, which the gold stage reads). Adds the source to `summary`.
    """
    source = SOURCES[name]
    accepted = f"new_accepted_{name}"
    create_accepted_table(con, source, accepted)
    qfile = lake.path(f"quarantine/{name}/run={run_id}/part-0.parquet")
    groups = prepare_batch(lake, source, keys)
    counts = stage_batch(con, source, groups, quarantine_file=qfile, accepted_table=accepted)
    stats = summary.sources[name] = SourceSummary(
        objects=len(counts),
        read=sum(c.read for c in counts),
        accepted=sum(c.accepted for c in counts),
        quarantined=sum(c.quarantined for c in counts),
    )
    if source.reference:
        merge_reference(con, lake, source, accepted, run_id=run_id)
        return counts, set()
    merged = merge_into_silver(con, lake, source, accepted, committed=committed, run_id=run_id)
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
