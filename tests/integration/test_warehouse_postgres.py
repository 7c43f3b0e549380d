"""The warehouse adapter against a real PostgreSQL, through the code the Redshift path runs too.

Gold is the conformance case's expected tables, written as Hive-partitioned Parquet with the gold type
conventions; silver is a few hand-made rows (reference data and one dated table).
"""

from __future__ import annotations

import datetime as dt
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.dataset as pads
import pytest
from psycopg import conninfo, errors
from pydantic import SecretStr
from typer.testing import CliRunner

from shopware.warehouse.access import READS, Team
from shopware.warehouse.adapter import SchemaMismatch, Warehouse, connect
from shopware.warehouse.admin import provision_logins, setup_warehouse
from shopware.warehouse.catalog import ALL_TABLES, GOLD_TABLES, TEAM_MARTS, Mart, TableSpec, table
from shopware.warehouse.cli import app as warehouse_cli
from shopware.warehouse.lake import Lake
from shopware.warehouse.load import load_table, load_tables
from shopware.warehouse.settings import Login, WarehouseSettings, load_config
from shopware.warehouse.sql import Dialect, qualified

EXPECTED = Path(__file__).parents[1] / "fixtures" / "conformance" / "case-01" / "expected"
DAY_1, DAY_2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)


def _read_expected(spec: TableSpec) -> pa.Table:
    """A conformance CSV typed by the catalog (integers may be written `5.0` there: read as double)."""
    types: dict[str, pa.DataType] = {}
    for field in spec.schema:
        types[field.name] = pa.float64() if pa.types.is_integer(field.type) else field.type
    raw = pacsv.read_csv(
        EXPECTED / f"{spec.name}.csv",
        convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True),
    )
    assert raw.column_names == spec.schema.names, f"{spec.name}: catalog columns differ from the contract"
    return raw.cast(spec.schema.remove_metadata())  # safe cast: fails on a non-integral `5.5`


def _write_dataset(lake_root: Path, spec: TableSpec, data: pa.Table) -> None:
    partitioning = None
    target = lake_root / spec.lake_prefix
    if spec.date_column is not None:
        partitioning = pads.partitioning(pa.schema([spec.schema.field(spec.date_column)]), flavor="hive")
    elif spec.undated_partition is not None:
        target = target / spec.undated_partition
    pads.write_dataset(
        data,
        target,
        format="parquet",
        partitioning=partitioning,
        basename_template="part-{i}.parquet",
        existing_data_behavior="delete_matching",
    )


def _lineage(rows: int) -> dict[str, list[object]]:
    return {
        "_bronze_object": [f"bronze/x/object-{i}.jsonl" for i in range(rows)],
        "_record_no": list(range(1, rows + 1)),
    }


SILVER_ROWS = {
    "stores": {
        "store_id": [1, 2],
        "store_name": ["Main St", "Harbour"],
        "region": ["South", "East"],
        **_lineage(2),
    },
    "products": {
        "product_id": [100, 101],
        "product_name": ["Kite", "Soap"],
        "category": ["Toys", None],
        "unit_cost": [3.5, None],
        **_lineage(2),
    },
    "pos_sales": {
        "transaction_id": ["t-1", "t-2"],
        "store_id": [1, 2],
        "product_id": [100, 101],
        "quantity": [2, 1],
        "revenue": [20.0, 4.5],
        "discount_applied": [None, 0.5],
        "timestamp": [1790817937.25, 1790904337.5],
        **_lineage(2),
        "event_date": [DAY_1, DAY_2],
    },
}


@pytest.fixture(scope="module")
def lake(tmp_path_factory: pytest.TempPathFactory) -> Lake:
    """The conformance gold tables and a little silver, as the core writes them."""
    root = tmp_path_factory.mktemp("lake")
    for spec in GOLD_TABLES:
        _write_dataset(root, spec, _read_expected(spec))
    for name, columns in SILVER_ROWS.items():
        spec = table(name, layer="silver")
        _write_dataset(root, spec, pa.table(columns, schema=spec.schema.remove_metadata()))
    return Lake(str(root))


@pytest.fixture(scope="module")
def admin_settings(postgres_dsn: str) -> WarehouseSettings:
    """Settings for a fresh database of the throwaway cluster, as the environment would give them."""
    params = conninfo.conninfo_to_dict(postgres_dsn)
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS shopware_wh")
        conn.execute("CREATE DATABASE shopware_wh")
    return WarehouseSettings(
        engine=Dialect.POSTGRES,
        host=str(params["host"]),
        port=int(str(params["port"])),
        database="shopware_wh",
        user=str(params["user"]),
        password=SecretStr(str(params["password"])),
    )


@pytest.fixture(scope="module")
def warehouse(admin_settings: WarehouseSettings, lake: Lake) -> Iterator[Warehouse]:
    """The admin's warehouse connection, marts and grants set up, gold and silver loaded once."""
    wh = connect(load_config(admin_settings))
    setup_warehouse(wh)
    load_tables(wh, lake)
    load_tables(wh, lake, [spec for spec in ALL_TABLES if spec.mart is Mart.SILVER])
    yield wh
    wh.close()


def _snapshot(wh: Warehouse, spec: TableSpec) -> list[tuple[object, ...]]:
    rows = wh.query(f"SELECT * FROM {qualified(*spec.qualified)}")
    return sorted(rows, key=repr)


def test_marts_and_tables_are_created(warehouse: Warehouse) -> None:
    found = set(
        warehouse.query(
            "SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY(%s)",
            [[m.value for m in Mart]],
        )
    )
    assert found == {spec.qualified for spec in ALL_TABLES}


@pytest.mark.parametrize("spec", GOLD_TABLES, ids=lambda s: s.name)
def test_gold_is_loaded_exactly(warehouse: Warehouse, spec: TableSpec) -> None:
    expected = _read_expected(spec)
    columns = ", ".join(f'"{name}"' for name in spec.schema.names)
    loaded = warehouse.query(f"SELECT {columns} FROM {qualified(*spec.qualified)}")
    assert sorted(loaded, key=repr) == sorted((tuple(row.values()) for row in expected.to_pylist()), key=repr)


def test_reloading_the_same_dates_leaves_identical_tables(warehouse: Warehouse, lake: Lake) -> None:
    before = {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES}
    load_tables(warehouse, lake, dates=[DAY_1])
    load_tables(warehouse, lake)
    load_tables(warehouse, lake, [spec for spec in ALL_TABLES if spec.mart is Mart.SILVER])
    after = {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES}
    assert after == before


def test_reload_replaces_only_the_loaded_date(warehouse: Warehouse, lake: Lake, tmp_path: Path) -> None:
    spec = table("sales_daily")
    changed_root = tmp_path / "lake"
    shutil.copytree(lake.root, changed_root)
    data = _read_expected(spec)
    day_1_rows = data.filter(pc.equal(data["sales_date"], DAY_1))
    _write_dataset(changed_root, spec, day_1_rows.slice(0, 3))  # gold recomputed: day 1 shrank
    try:
        load_table(warehouse, Lake(str(changed_root)), spec, [DAY_1])
        counts = dict(
            warehouse.query(f"SELECT sales_date, count(*) FROM {qualified(*spec.qualified)} GROUP BY 1")
        )
        expected_day_2 = int(pc.sum(pc.equal(data["sales_date"], DAY_2)).as_py())
        assert counts == {DAY_1: 3, DAY_2: expected_day_2}
    finally:
        load_table(warehouse, lake, spec, [DAY_1])


def test_a_failed_load_changes_nothing(warehouse: Warehouse, lake: Lake, tmp_path: Path) -> None:
    spec = table("revenue_daily")
    before = _snapshot(warehouse, spec)
    broken_root = tmp_path / "lake"
    shutil.copytree(lake.root, broken_root)
    data = _read_expected(spec).drop_columns(["avg_transaction_value"])
    (broken_root / spec.lake_prefix / f"sales_date={DAY_2}" / "part-0.parquet").unlink()
    pads.write_dataset(
        data.filter(pc.equal(data["sales_date"], DAY_2)).drop_columns(["sales_date"]),
        broken_root / spec.lake_prefix / f"sales_date={DAY_2}",
        format="parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    with pytest.raises(SchemaMismatch):
        load_table(warehouse, Lake(str(broken_root)), spec)  # day 1 staged fine, then day 2 fails
    assert _snapshot(warehouse, spec) == before


def _password() -> str:
    return secrets.token_urlsafe(12) + "Aa1%"  # Redshift: upper, lower, digit; "%" must pass unharmed


@pytest.fixture(scope="module")
def team_logins(warehouse: Warehouse, admin_settings: WarehouseSettings) -> dict[Team, Login]:
    """One login per team, provisioned by the admin function from settings (twice: idempotent)."""
    logins = {team: f"{team.value}_login" for team in Team}
    settings = admin_settings.model_copy(
        update={
            "logins": {name: team for team, name in logins.items()},
            "login_passwords": {name: SecretStr(_password()) for name in logins.values()},
        }
    )
    config = load_config(settings)
    provision_logins(warehouse, config.logins)
    provision_logins(warehouse, config.logins)
    return {login.team: login for login in config.logins}


def _first_table(mart: Mart) -> TableSpec:
    return next(spec for spec in ALL_TABLES if spec.mart is mart)


@pytest.mark.parametrize("team", list(Team), ids=lambda t: t.value)
def test_each_team_reads_its_marts_and_nothing_else(
    team: Team, team_logins: dict[Team, Login], admin_settings: WarehouseSettings
) -> None:
    login = team_logins[team]
    dsn = conninfo.make_conninfo(
        host=admin_settings.host,
        port=admin_settings.port,
        dbname=admin_settings.database,
        user=login.name,
        password=login.password.get_secret_value(),
    )
    with psycopg.connect(dsn, autocommit=True) as conn:
        for mart in (*TEAM_MARTS, Mart.SILVER):
            target = qualified(*_first_table(mart).qualified)
            if mart in READS[team]:
                assert conn.execute(f"SELECT count(*) FROM {target}").fetchone() is not None
            else:
                with pytest.raises(errors.InsufficientPrivilege):
                    conn.execute(f"SELECT count(*) FROM {target}")
        with pytest.raises(errors.InsufficientPrivilege):
            conn.execute(f"DELETE FROM {qualified(*_first_table(READS[team][0]).qualified)}")


def test_finance_is_read_by_the_finance_team_only() -> None:
    assert [team for team, marts in READS.items() if Mart.FINANCE in marts] == [Team.FINANCE]
    assert {team for team, marts in READS.items() if Mart.SILVER in marts} == {Team.ANALYSTS, Team.OPERATIONS}


def test_the_cli_sets_up_again_and_reloads_without_changing_anything(
    warehouse: Warehouse, lake: Lake, admin_settings: WarehouseSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert admin_settings.password is not None
    for key, value in {
        "ENGINE": "postgres",
        "HOST": admin_settings.host,
        "PORT": str(admin_settings.port),
        "DATABASE": admin_settings.database,
        "USER": admin_settings.user,
        "PASSWORD": admin_settings.password.get_secret_value(),
    }.items():
        monkeypatch.setenv(f"SHOPWARE_WAREHOUSE_{key}", value)
    before = {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES}
    runner = CliRunner()
    setup = runner.invoke(warehouse_cli, ["setup"])
    assert setup.exit_code == 0, setup.output
    reload = runner.invoke(
        warehouse_cli, ["load", "--lake", lake.uri, "--date", DAY_1.isoformat(), "--table", "sales_daily"]
    )
    assert reload.exit_code == 0, reload.output
    assert "sales_daily:" in reload.output
    assert {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES} == before


def test_an_empty_lake_leaves_the_warehouse_alone(warehouse: Warehouse, tmp_path: Path) -> None:
    before = {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES}
    empty = Lake(str(tmp_path / "no-such-lake"))
    assert all(result.rows == 0 for result in load_tables(warehouse, empty, ALL_TABLES))
    assert {spec.name: _snapshot(warehouse, spec) for spec in ALL_TABLES} == before


def test_only_the_files_the_lake_selects_are_loaded(warehouse: Warehouse, lake: Lake, tmp_path: Path) -> None:
    spec = table("sales_daily")
    before = _snapshot(warehouse, spec)
    root = tmp_path / "lake"
    shutil.copytree(lake.root, root)
    data = _read_expected(spec)
    uncommitted = data.filter(pc.equal(data["sales_date"], DAY_1)).slice(0, 3).drop_columns(["sales_date"])
    pads.write_dataset(
        uncommitted,
        root / spec.lake_prefix / f"sales_date={DAY_1}",
        format="parquet",
        basename_template="part-9-{i}.parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    committed_only = Lake(str(root), select=lambda keys: [k for k in keys if "/part-9-" not in k])
    try:
        load_table(warehouse, committed_only, spec, [DAY_1])
        assert _snapshot(warehouse, spec) == before
        load_table(warehouse, Lake(str(root)), spec, [DAY_1])
        assert len(_snapshot(warehouse, spec)) == len(before) + 3
    finally:
        load_table(warehouse, lake, spec, [DAY_1])
