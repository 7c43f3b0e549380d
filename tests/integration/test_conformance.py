"""Conformance case 01 reproduced exactly through the CLI: ingest every file in order, then run."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from shopware.kpi.tables import gold_tables
from tests.support.cli import cli, ingest_case
from tests.support.gold_compare import diff_table, read_expected


@pytest.fixture(scope="module")
def conformed_lake(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CASE_01

    lake = tmp_path_factory.mktemp("lake")
    ingest_case(lake, CASE_01)
    cli(lake, "run")
    return lake


@pytest.mark.parametrize("table", list(gold_tables()))
def test_gold_table_matches_expected(conformed_lake: Path, case01: Path, table: str) -> None:
    definition = gold_tables()[table]
    columns, expected = read_expected(case01 / "expected" / f"{table}.csv")
    con = duckdb.connect(str(conformed_lake / "warehouse.duckdb"), read_only=True)
    actual = con.execute(f"SELECT {', '.join(columns)} FROM {definition.mart}.{table}").fetchall()
    assert diff_table(columns, expected, actual) == []


def test_counts_match_expected(conformed_lake: Path, case01: Path) -> None:
    expected = json.loads((case01 / "expected" / "counts.json").read_text())
    con = duckdb.connect(str(conformed_lake / "warehouse.duckdb"), read_only=True)
    silver = {
        "pos": "pos_sales",
        "inventory": "inventory_readings",
        "web": "web_events",
        "crm": "crm_interactions",
    }
    for source, want in expected.items():
        read, accepted, quarantined, balanced = con.execute(
            "SELECT read, accepted, quarantined, balanced FROM audit.reconciliation WHERE source = ?",
            [source],
        ).fetchone()
        unique = con.execute(f"SELECT COUNT(*) FROM silver.{silver[source]}").fetchone()[0]
        in_quarantine = con.execute(
            "SELECT COUNT(*) FROM audit.quarantine WHERE source = ?", [source]
        ).fetchone()[0]
        got = {"read": read, "quarantined": quarantined, "accepted": accepted, "unique": unique}
        assert got == want, source
        assert balanced
        assert in_quarantine == quarantined


def test_quarantine_keeps_payload_and_reasons(conformed_lake: Path) -> None:
    con = duckdb.connect(str(conformed_lake / "warehouse.duckdb"), read_only=True)
    rows = con.execute(
        "SELECT source, raw_payload, reasons FROM audit.quarantine ORDER BY source, bronze_object, record_no"
    ).fetchall()
    by_payload = {payload: reasons for _s, payload, reasons in rows}
    assert by_payload['{"session_id": "S-BROKEN", "page": '] == ["malformed_json"]
    assert any("invalid_timestamp" in r and "not-a-time" in p for p, r in by_payload.items())
    assert any(r == ["unknown_interaction_type"] and "Refund" in p for p, r in by_payload.items())
    assert all(r for r in by_payload.values())


def test_pii_is_redacted_in_silver(conformed_lake: Path) -> None:
    con = duckdb.connect(str(conformed_lake / "warehouse.duckdb"), read_only=True)
    texts = [
        r[0]
        for r in con.execute(
            "SELECT DISTINCT message_excerpt FROM silver.crm_interactions WHERE message_excerpt IS NOT NULL"
        ).fetchall()
    ]
    assert "mail me: [email]" in texts
    assert "Call me at [phone]" in texts
    assert not any("@" in t or "555" in t for t in texts)


def test_total_sales_views_sum_sales_daily(conformed_lake: Path, case01: Path) -> None:
    columns, rows = read_expected(case01 / "expected" / "sales_daily.csv")
    region, net = columns.index("region"), columns.index("net_revenue")
    expected: dict[str, float] = {}
    for row in rows:
        expected[row[region]] = expected.get(row[region], 0.0) + row[net]
    con = duckdb.connect(str(conformed_lake / "warehouse.duckdb"), read_only=True)
    got = dict(con.execute("SELECT region, net_revenue FROM sales.total_sales_by_region").fetchall())
    assert got.keys() == expected.keys()
    assert all(abs(got[k] - expected[k]) < 1e-6 * abs(expected[k]) for k in expected)
