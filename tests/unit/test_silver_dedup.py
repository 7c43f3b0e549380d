"""Silver deduplication (`silver.dedup_sql`) on DuckDB: one row per record key, the one ingested last."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from shopware.transforms import silver
from shopware.transforms.contracts import POS, WEB, Source


def _dedup(source: Source, rows: list[tuple[Any, ...]], *, collide: bool = False) -> set[tuple[Any, ...]]:
    """Rows (key fields..., _bronze_object, _record_no) deduplicated; `collide` gives every row the same
    key hash, as if all keys collided."""
    con = duckdb.connect()
    typed = dict(silver.silver_columns(source))
    names = [*source.key, "_bronze_object", "_record_no"]
    con.execute(f"CREATE TABLE t ({', '.join(f'{n} {typed[n]}' for n in names)})")
    con.executemany(f"INSERT INTO t VALUES ({', '.join('?' for _ in names)})", rows)
    sql = silver.dedup_sql(source, "(SELECT * FROM t)")
    if collide:
        assert "hash(" in sql
        sql = sql.replace("hash(", "0 * hash(")
    return set(con.execute(sql).fetchall())


WEB_ROWS = [
    # The same event three times (NULL fields equal NULL fields): the latest object's copy wins.
    ("s1", None, "/a", None, None, "Click", 1_790_820_000.5, "bronze/web/2", 7),
    ("s1", None, "/a", None, None, "Click", 1_790_820_000.5, "bronze/web/1", 9),
    ("s1", None, "/a", None, None, "Click", 1_790_820_000.5, "bronze/web/2", 3),
    # Each differs from the first in one field: other events.
    ("s1", 4, "/a", None, None, "Click", 1_790_820_000.5, "bronze/web/1", 1),
    ("s1", None, "/a", None, "", "Click", 1_790_820_000.5, "bronze/web/1", 2),
    ("s1", None, "/a", None, None, "Click", 1_790_820_000.500001, "bronze/web/1", 4),
    ("s2", None, "/a", None, None, "Click", 1_790_820_000.5, "bronze/web/1", 5),
]


@pytest.mark.parametrize("collide", [False, True])
def test_composite_keys_compare_every_field_and_keep_the_last_ingested(collide: bool) -> None:
    kept = _dedup(WEB, WEB_ROWS, collide=collide)
    assert kept == {WEB_ROWS[0], *WEB_ROWS[3:]}


def test_single_field_keys_keep_the_last_ingested_version() -> None:
    rows = [
        ("t1", "bronze/pos/1", 1),
        ("t1", "bronze/pos/2", 1),
        ("t1", "bronze/pos/2", 2),
        ("t2", "bronze/pos/1", 3),
    ]
    assert _dedup(POS, rows) == {rows[2], rows[3]}
