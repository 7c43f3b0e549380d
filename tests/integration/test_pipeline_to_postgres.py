"""The core's lake loaded into PostgreSQL through the warehouse CLI equals the embedded warehouse.

The lake is built incrementally (a late file, then a re-run), and a crashed run has left an uncommitted
file in a partition: the loader must take only the current files (the lake's commit protocol).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import psycopg
import pytest
from typer.testing import CliRunner

from shopware.kpi.tables import gold_tables
from shopware.pipeline.cli import app
from tests.support.cli import case_files, cli, ingest_case, rounded
from tests.support.warehouse_db import fresh_warehouse_database


@pytest.fixture
def warehouse_env(postgres_dsn: str, monkeypatch: pytest.MonkeyPatch) -> str:
    return fresh_warehouse_database(postgres_dsn, "shopware_e2e", monkeypatch)


def test_lake_loaded_into_postgres_equals_the_embedded_warehouse(
    tmp_path: Path, case01: Path, warehouse_env: str
) -> None:
    ingest_case(tmp_path, case01, skip={"pos_late.csv"})
    cli(tmp_path, "run")
    cli(tmp_path, "ingest", "pos", str(case_files(case01, "pos")[-1]))
    cli(tmp_path, "run")
    partition = next((tmp_path / "gold" / "sales_daily").iterdir())
    current = next(partition.iterdir())
    shutil.copy(current, partition / "part-29991231T000000000000Z-0.parquet")  # never committed

    runner = CliRunner()
    for args in (["warehouse", "setup"], ["warehouse", "load", "--lake", str(tmp_path)]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output

    embedded = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    with psycopg.connect(warehouse_env) as pg:
        for table in gold_tables().values():
            cols = ", ".join(table.columns)
            want = sorted(
                (
                    tuple(map(rounded, r))
                    for r in embedded.execute(f"SELECT {cols} FROM {table.mart}.{table.name}").fetchall()
                ),
                key=repr,
            )
            got = sorted(
                (
                    tuple(map(rounded, r))
                    for r in pg.execute(f"SELECT {cols} FROM {table.mart}.{table.name}").fetchall()
                ),
                key=repr,
            )
            assert got == want, table.name
