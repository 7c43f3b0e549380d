"""Idempotence, late data and malformed input, end to end through the CLI on real files."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb

from shopware.pipeline.bronze import land
from shopware.pipeline.lake import Lake
from shopware.pipeline.runner import RunSummary, run_pipeline
from shopware.pipeline.settings import PipelineSettings
from tests.support.cli import case_files, cli, gold_snapshot, ingest_case


def _gold_files(lake: Path, table: str) -> set[Path]:
    return set((lake / "gold" / table).rglob("*.parquet"))


def test_ingesting_twice_and_running_twice_leaves_gold_identical(tmp_path: Path, case01: Path) -> None:
    ingest_case(tmp_path, case01)
    cli(tmp_path, "run")
    first = gold_snapshot(tmp_path)
    files = {t: _gold_files(tmp_path, t) for t in first}

    ingest_case(tmp_path, case01)  # same bytes: skipped, nothing new lands
    second_run = cli(tmp_path, "run")
    assert gold_snapshot(tmp_path) == first
    assert {t: _gold_files(tmp_path, t) for t in first} == files  # nothing was rewritten
    assert "gold: 0 tables refreshed" in second_run.output


def test_redelivered_objects_are_deduplicated(tmp_path: Path, case01: Path) -> None:
    ingest_case(tmp_path, case01)
    cli(tmp_path, "run")
    first = gold_snapshot(tmp_path)
    lake = Lake(tmp_path)
    for source in ("pos", "inventory", "web", "crm"):  # a connector retry: the same delivery lands again
        for f in case_files(case01, source):
            land(
                lake.store,
                source,
                f.read_bytes(),
                ext={".csv": "csv", ".json": "json"}.get(f.suffix, "jsonl"),
            )
    cli(tmp_path, "run")
    assert gold_snapshot(tmp_path) == first


def test_late_file_changes_only_affected_dates_and_equals_full_recompute(
    tmp_path: Path, case01: Path
) -> None:
    incremental, scratch = tmp_path / "incremental", tmp_path / "scratch"
    ingest_case(incremental, case01, skip={"pos_late.csv"})
    cli(incremental, "run")
    late = tmp_path / "pos_late_only_oct01.csv"
    late.write_text(
        "transaction_id,store_id,product_id,quantity,revenue,discount_applied,timestamp\n"
        "T-LATE-X,1,100,2,50.0,5.0,1790820000.0\n"
    )
    day2_before = {p for p in _gold_files(incremental, "sales_daily") if "2026-10-02" in str(p)}

    cli(incremental, "ingest", "pos", str(late))
    cli(incremental, "run")
    day2_after = {p for p in _gold_files(incremental, "sales_daily") if "2026-10-02" in str(p)}
    assert day2_after == day2_before  # the other date was not rewritten
    manifest = Lake(incremental).manifests()[-1]
    assert manifest["gold_partitions"]["sales_daily"] == 1

    cli(incremental, "ingest", "pos", str(case_files(case01, "pos")[-1]))  # pos_late.csv, days late
    cli(incremental, "run")

    ingest_case(scratch, case01)
    cli(scratch, "ingest", "pos", str(late))
    cli(scratch, "run")
    assert gold_snapshot(incremental) == gold_snapshot(scratch)


def test_a_session_table_without_rows_is_computed_for_every_session(tmp_path: Path, case01: Path) -> None:
    """A gold table that has no rows yet while silver has data (a table new to the lake) gets every
    session, not only those with new events."""
    lake, scratch = tmp_path / "lake", tmp_path / "scratch"
    ingest_case(lake, case01)
    cli(lake, "run")
    shutil.rmtree(lake / "gold" / "web_sessions")  # as if the table had just been added
    event = tmp_path / "web_new_session.jsonl"
    event.write_text('{"session_id": "S-NEW", "page": "/x", "timestamp": 1790820000.0}\n')

    cli(lake, "ingest", "web", str(event))
    cli(lake, "run")

    ingest_case(scratch, case01)
    cli(scratch, "ingest", "web", str(event))
    cli(scratch, "run")
    sessions = gold_snapshot(lake)["web_sessions"]
    assert len(sessions) > 1
    assert gold_snapshot(lake) == gold_snapshot(scratch)


def test_malformed_files_are_quarantined_with_a_clear_message(tmp_path: Path, case01: Path) -> None:
    truncated = tmp_path / "inventory_truncated.json"
    truncated.write_text('[{"inventory_id": 9001, "product_id": 100, "warehouse_id": 1, "stock_level": 5')
    bad_header = tmp_path / "pos_bad_header.csv"
    bad_header.write_text(
        "id,store,product,qty,revenue,discount,ts\nX1,1,100,1,10.0,,1790820000\nX2,1,100,1,9,,1\n"
    )
    garbage = tmp_path / "web_garbage.jsonl"
    garbage.write_bytes(
        b'{"session_id": "G1", "page": "/a", "timestamp": 1790820000}\n'
        b"\x89PNG\r\n\x1a\n\x00\xff\xfe binary\n"
        b'{"session_id": "G2", "page": "/b", "timestamp": 1790820001}\n'
        b'{"session_id": "G3", "page": "/c", "timest'
    )
    cli(tmp_path, "ingest", "inventory", str(truncated))
    cli(tmp_path, "ingest", "pos", str(bad_header))
    cli(tmp_path, "ingest", "web", str(garbage))
    result = cli(tmp_path, "run")

    assert "Traceback" not in result.output
    assert "CSV header lacks the contract's columns" in result.output
    assert "not UTF-8 text" in result.output
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    reasons = dict(
        con.execute(
            "SELECT source, list(reasons[1] ORDER BY reasons[1]) FROM audit.quarantine GROUP BY source"
        ).fetchall()
    )
    assert reasons["inventory"] == ["malformed_json"]
    assert reasons["pos"] == ["bad_header", "bad_header"]
    # The PNG bytes hold three lines: two are not UTF-8, one ("\x1a") is text but not JSON.
    assert reasons["web"] == ["invalid_encoding", "invalid_encoding", "malformed_json", "malformed_json"]
    # The good records of the damaged file were not lost.
    assert {r[0] for r in con.execute("SELECT session_id FROM silver.web_events").fetchall()} == {"G1", "G2"}
    rec = con.execute(
        "SELECT source, read, accepted, quarantined, balanced FROM audit.reconciliation ORDER BY 1"
    )
    assert rec.fetchall() == [("inventory", 1, 0, 1, True), ("pos", 2, 0, 2, True), ("web", 6, 2, 4, True)]


def test_unsupported_file_type_is_refused_clearly(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from shopware.pipeline.cli import app

    bad = tmp_path / "pos.xlsx"
    bad.write_text(json.dumps([{"transaction_id": "x"}]))
    result = CliRunner().invoke(app, ["--lake", str(tmp_path / "lake"), "ingest", "pos", str(bad)])
    assert result.exit_code == 1
    assert "pos accepts csv, jsonl, json files, not .xlsx" in result.output


def test_tables_without_data_yet_have_their_contract_columns(tmp_path: Path) -> None:
    from shopware.kpi.tables import gold_tables

    cli(tmp_path, "run")  # an empty lake
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    for table in gold_tables().values():
        columns = [r[0] for r in con.execute(f"DESCRIBE {table.mart}.{table.name}").fetchall()]
        assert columns == list(table.columns), table.name
        assert con.execute(f"SELECT COUNT(*) FROM {table.mart}.{table.name}").fetchone() == (0,)


def test_run_summary_counts_the_current_version_of_a_reference_table(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    settings = PipelineSettings(lake=tmp_path)

    def deliver(text: str) -> RunSummary:
        land(lake.store, "stores", text.encode(), ext="csv")
        return run_pipeline(settings)

    first = deliver("store_id,store_name,region\n1,Berlin Mitte,East\n2,Hamburg,North\n3,Köln,West\n")
    assert (first.sources["stores"].unique_total, first.references) == (3, ["stores"])
    broken = deliver("store_id,store_name,region\nx,Nowhere,East\n")  # every row quarantined
    assert (broken.sources["stores"].accepted, broken.sources["stores"].unique_total) == (0, 3)
    assert broken.references == []
    smaller = deliver("store_id,store_name,region\n1,Berlin Mitte,East\n4,Dresden,East\n")
    assert (smaller.sources["stores"].unique_total, smaller.references) == (2, ["stores"])
