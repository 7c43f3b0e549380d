"""Admin operations: create the marts, the team groups and their grants; provision team logins.

Each runs in one transaction and can be run again: tables use IF NOT EXISTS, groups and logins are
looked up before they are created, grants are repeatable.
"""

from __future__ import annotations

from collections.abc import Iterable

from shopware.warehouse.access import (
    GROUP_EXISTS_SQL,
    LOGIN_EXISTS_SQL,
    Team,
    access_sql,
    create_group_sql,
    create_login_sql,
    group_name,
    update_login_sql,
)
from shopware.warehouse.adapter import Cursor, Warehouse
from shopware.warehouse.catalog import ALL_TABLES, Mart, TableSpec
from shopware.warehouse.settings import Login
from shopware.warehouse.sql import create_schema_sql, create_table_sql


def _exists(cursor: Cursor, sql: str, name: str) -> bool:
    cursor.execute(sql, (name,))
    return bool(cursor.fetchall())


def setup_warehouse(warehouse: Warehouse, tables: Iterable[TableSpec] = ALL_TABLES) -> None:
    """Create the mart schemas, their tables, the team groups and the grants of the access model."""
    tables = list(tables)
    with warehouse.transaction() as cursor:
        for mart in Mart:
            cursor.execute(create_schema_sql(mart))
        for spec in tables:
            cursor.execute(create_table_sql(spec, warehouse.dialect))
        for team in Team:
            if not _exists(cursor, GROUP_EXISTS_SQL, group_name(team)):
                cursor.execute(create_group_sql(team))
        for statement in access_sql():
            cursor.execute(statement)


def create_login(warehouse: Warehouse, login: Login) -> None:
    """Create a team login, or reset its password and group membership if it exists."""
    password = login.password.get_secret_value()
    with warehouse.transaction() as cursor:
        if _exists(cursor, LOGIN_EXISTS_SQL, login.name):
            for statement in update_login_sql(login.name, login.team, password):
                cursor.execute(statement)
        else:
            cursor.execute(create_login_sql(login.name, login.team, password))


def provision_logins(warehouse: Warehouse, logins: Iterable[Login]) -> None:
    """Create or update every configured team login (`WarehouseConfig.logins`)."""
    for login in logins:
        create_login(warehouse, login)
