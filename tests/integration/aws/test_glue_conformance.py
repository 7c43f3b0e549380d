"""Conformance case 01 through the Glue job scripts on PySpark local mode equals the embedded engine.

The case's files are landed in bronze exactly as `shopware-pipeline ingest` lands them; then
`transforms/glue/bronze_to_silver.py` and `transforms/glue/silver_to_gold.py` run in-process (Spark in
local mode stands in for Glue). Every gold table must equal the expected table of the case, which the
embedded DuckDB engine reproduces (tests/integration/test_conformance.py), and the embedded engine's
own result on the same input.
"""

from __future__ import annotations

import runpy
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest

from shopware.kpi.tables import gold_tables
from shopware.pipeline.lake import Lake
from tests.conftest import CASE_01
from tests.support.cli import cli, ingest_case
from tests.support.gold_compare import _canonical, diff_table, read_expected

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(shutil.which("java") is None, reason="PySpark needs a Java runtime (none on PATH)"),
]
GLUE = Path(__file__).parents[3] / "transforms" / "glue"


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("glue-conformance")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.ui.enabled", "false")
        .getOrCreate()
    )
    yield session
    session.stop()


ALL_SOURCES = "stores,products,pos,inventory,web,crm"


def _run_script(name: str, lake: Path) -> None:
    # All sources: the case's web and CRM files stand for a replay of the streams' bronze.
    argv = ["--lake", str(lake), "--sources", ALL_SOURCES, "--JOB_NAME", "conformance"]
    runpy.run_path(str(GLUE / name))["main"](argv)


@pytest.fixture(scope="module")
def lakes(spark: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Lake, Path]:
    glue_lake = tmp_path_factory.mktemp("glue-lake")
    ingest_case(glue_lake, CASE_01)
    _run_script("bronze_to_silver.py", glue_lake)
    _run_script("silver_to_gold.py", glue_lake)
    embedded = tmp_path_factory.mktemp("embedded-lake")
    ingest_case(embedded, CASE_01)
    cli(embedded, "run")
    return Lake(glue_lake), embedded / "warehouse.duckdb"


def _glue_rows(lake: Lake, table: str, columns: list[str]) -> list[tuple[Any, ...]]:
    committed = set(lake.committed_runs())
    files = [str(f) for f in lake.files("gold", table, committed=committed)]
    date_column = gold_tables()[table].date_column
    return duckdb.sql(
        f"SELECT {', '.join(columns)} FROM read_parquet({files}, hive_partitioning=true, "
        f"hive_types={{'{date_column}': DATE}})"
    ).fetchall()


@pytest.mark.parametrize("table", list(gold_tables()))
def test_glue_gold_equals_expected_and_embedded(lakes: tuple[Lake, Path], table: str) -> None:
    glue_lake, warehouse = lakes
    columns, expected = read_expected(CASE_01 / "expected" / f"{table}.csv")
    actual = _glue_rows(glue_lake, table, columns)
    assert diff_table(columns, expected, actual) == []
    con = duckdb.connect(str(warehouse), read_only=True)
    embedded = con.execute(f"SELECT {', '.join(columns)} FROM {gold_tables()[table].mart}.{table}").fetchall()
    assert diff_table(columns, [tuple(_canonical(v) for v in row) for row in embedded], actual) == []


def test_rerunning_bronze_to_silver_finds_nothing_new(lakes: tuple[Lake, Path]) -> None:
    glue_lake, _ = lakes
    runs = glue_lake.committed_runs()
    _run_script("bronze_to_silver.py", glue_lake.root)  # the ledger works as the job bookmark
    assert glue_lake.committed_runs() == runs
