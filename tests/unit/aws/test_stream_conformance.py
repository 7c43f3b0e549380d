"""Conformance case 01's streaming sources through the Lambda handlers give the expected KPI tables.

The web and CRM files are cut into Kinesis records of a few JSON Lines each, delivered in several
batches, one of them twice (a retried invocation); the handlers run in-process (Lambda cannot run
under moto 5.2). Every marketing and support table must equal the conformance case's expected one.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb
import pytest

from shopware.aws.lambdas import crm_logs, web_logs
from shopware.kpi.tables import gold_tables
from shopware.pipeline.lake import Lake
from tests.conftest import CASE_01
from tests.support.gold_compare import diff_table, read_expected
from tests.support.kinesis_events import event_of, kinesis_record

LINES_PER_RECORD = 7
RECORDS_PER_BATCH = 10
STREAMING_TABLES = [t.name for t in gold_tables().values() if t.mart in ("marketing", "support")]


def _deliver(handler: object, path: Path, first_sequence: int) -> None:
    lines = path.read_bytes().splitlines(keepends=True)
    arrival = time.time()
    records = [
        kinesis_record(first_sequence + i, b"".join(lines[at : at + LINES_PER_RECORD]), arrival=arrival + i)
        for i, at in enumerate(range(0, len(lines), LINES_PER_RECORD))
    ]
    batches = [records[at : at + RECORDS_PER_BATCH] for at in range(0, len(records), RECORDS_PER_BATCH)]
    for batch in [*batches, batches[0]]:  # the first batch arrives twice
        assert handler(event_of(*batch), None) == {"batchItemFailures": []}  # type: ignore[operator]


@pytest.fixture(scope="module")
def streamed_lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    root = tmp_path_factory.mktemp("stream-lake")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("SHOPWARE_LAKE", str(root))
        env.delenv("SHOPWARE_LAKE_BUCKET", raising=False)
        for path in sorted((CASE_01 / "input" / "web").iterdir()):
            _deliver(web_logs.handler, path, 1)
        for path in sorted((CASE_01 / "input" / "crm").iterdir()):
            _deliver(crm_logs.handler, path, 10_000)
    return Lake(root)


@pytest.mark.parametrize("table", STREAMING_TABLES)
def test_streamed_gold_table_matches_expected(streamed_lake: Lake, table: str) -> None:
    columns, expected = read_expected(CASE_01 / "expected" / f"{table}.csv")
    date_column = gold_tables()[table].date_column
    committed = set(streamed_lake.committed_runs())
    files = [str(f) for f in streamed_lake.files("gold", table, committed=committed)]
    actual = duckdb.sql(
        f"SELECT {', '.join(columns)} FROM read_parquet({files}, hive_partitioning=true, "
        f"hive_types={{'{date_column}': DATE}})"
    ).fetchall()
    assert diff_table(columns, expected, actual) == []


def test_streamed_counts_match_expected(streamed_lake: Lake) -> None:
    expected = json.loads((CASE_01 / "expected" / "counts.json").read_text())
    ledger = [str(f) for f in streamed_lake.root.glob("_meta/ledger/*.parquet")]
    for source, table in (("web", "web_events"), ("crm", "crm_interactions")):
        read, accepted, quarantined = duckdb.sql(
            f"SELECT SUM(read), SUM(accepted), SUM(quarantined) FROM read_parquet({ledger}) "
            f"WHERE source = '{source}'"
        ).fetchone()  # type: ignore[misc]
        committed = set(streamed_lake.committed_runs())
        files = [str(f) for f in streamed_lake.files("silver", table, committed=committed)]
        unique = duckdb.sql(f"SELECT COUNT(*) FROM read_parquet({files})").fetchone()[0]  # type: ignore[index]
        got = {"read": read, "accepted": accepted, "quarantined": quarantined, "unique": unique}
        assert got == expected[source], source
