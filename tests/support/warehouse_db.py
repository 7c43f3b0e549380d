"""A fresh database of the throwaway PostgreSQL cluster, configured as the warehouse settings read it."""

from __future__ import annotations

import psycopg
import pytest
from psycopg import conninfo


def fresh_warehouse_database(postgres_dsn: str, name: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """(Re)create database `name`, point `SHOPWARE_WAREHOUSE_*` at it; return its conninfo."""
    params = conninfo.conninfo_to_dict(postgres_dsn)
    with psycopg.connect(postgres_dsn, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name}")
        conn.execute(f"CREATE DATABASE {name}")
    settings = {
        "ENGINE": "postgres",
        "HOST": params["host"],
        "PORT": params["port"],
        "DATABASE": name,
        "USER": params["user"],
        "PASSWORD": params["password"],
    }
    for key, value in settings.items():
        monkeypatch.setenv(f"SHOPWARE_WAREHOUSE_{key}", str(value))
    return conninfo.make_conninfo(postgres_dsn, dbname=name)
