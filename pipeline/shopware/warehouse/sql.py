"""The warehouse's SQL text, generated from the catalog for one engine (`Dialect`).

Pure functions, no I/O: the same code produces the Redshift and the PostgreSQL statements, and the two
differ only where the engines do (column types, distribution and sort keys, the bulk-load command).
Everything else (schemas, staging, the delete/insert of a reload, groups and grants) is one text:
PostgreSQL accepts Redshift's `CREATE GROUP`, `TO GROUP` and `IN GROUP` spellings.

Identifiers are checked against a strict pattern and always quoted (`open`, `date` and `timestamp`
are column names here); values go through DB-API parameters (`%s`), except where the engines take no
parameters at all (passwords in `CREATE USER`, the manifest URI and role in `COPY`): `literal` there.
"""

from __future__ import annotations

import json
import re
from enum import StrEnum

import pyarrow as pa

from shopware.warehouse.catalog import VARCHAR_BYTES, Mart, TableSpec

_IDENT = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
_DEFAULT_VARCHAR_BYTES = 256


class Dialect(StrEnum):
    """The engine the SQL is for."""

    REDSHIFT = "redshift"
    POSTGRES = "postgres"


def ident(name: str) -> str:
    """A quoted identifier; only lower-case ASCII names are accepted (Redshift folds case anyway)."""
    if not _IDENT.match(name):
        raise ValueError(f"not a valid identifier: {name!r}")
    return f'"{name}"'


def qualified(schema: str, name: str) -> str:
    """A quoted `schema.table`."""
    return f"{ident(schema)}.{ident(name)}"


def literal(text: str) -> str:
    """A string literal for statements that take no parameters.

    Backslashes and control characters are refused rather than escaped: whether a backslash escapes
    depends on server settings, and neither a password nor a URI needs one.
    """
    if "\\" in text or any(ord(ch) < 32 for ch in text):
        raise ValueError("backslashes and control characters are not allowed in SQL literals")
    return "'" + text.replace("'", "''") + "'"


def column_type(field: pa.Field, dialect: Dialect) -> str:
    """The SQL type of an Arrow column, as COPY from Parquet expects it on Redshift."""
    type_ = field.type
    if pa.types.is_int64(type_):
        return "BIGINT"
    if pa.types.is_float64(type_):
        return "DOUBLE PRECISION"
    if pa.types.is_date32(type_):
        return "DATE"
    if pa.types.is_boolean(type_):
        return "BOOLEAN"
    if pa.types.is_string(type_):
        if dialect is Dialect.POSTGRES:
            return "TEXT"
        metadata = field.metadata or {}
        width = int(metadata.get(VARCHAR_BYTES.encode(), _DEFAULT_VARCHAR_BYTES))
        return f"VARCHAR({width})"
    raise TypeError(f"column {field.name!r}: no SQL type for Arrow type {type_}")


def _column_defs(fields: list[pa.Field], dialect: Dialect) -> str:
    return ",\n    ".join(f"{ident(f.name)} {column_type(f, dialect)}" for f in fields)


def _column_list(names: list[str]) -> str:
    return ", ".join(ident(name) for name in names)


def create_schema_sql(mart: Mart) -> str:
    """Create a mart's schema if it does not exist yet."""
    return f"CREATE SCHEMA IF NOT EXISTS {ident(mart.value)}"


def table_layout_sql(spec: TableSpec, dialect: Dialect) -> str:
    """The table attributes after the column list: DISTSTYLE/DISTKEY/SORTKEY on Redshift, none else."""
    if dialect is not Dialect.REDSHIFT:
        return ""
    layout = spec.layout
    dist = "DISTSTYLE ALL" if layout.distkey is None else f"DISTSTYLE KEY DISTKEY ({ident(layout.distkey)})"
    return f"\n{dist}\nCOMPOUND SORTKEY ({_column_list(list(layout.sortkey))})"


def create_table_sql(spec: TableSpec, dialect: Dialect) -> str:
    """Create a warehouse table if it does not exist yet."""
    return (
        f"CREATE TABLE IF NOT EXISTS {qualified(*spec.qualified)} (\n"
        f"    {_column_defs(list(spec.schema), dialect)}\n)"
        f"{table_layout_sql(spec, dialect)}"
    )


def staging_name(spec: TableSpec) -> str:
    """The session-private staging table of a load (temporary tables live in their own schema)."""
    return f"stage_{spec.mart.value}_{spec.name}"


def create_staging_sql(spec: TableSpec, dialect: Dialect) -> str:
    """A temporary table shaped like one Parquet file of the dataset (no partition column)."""
    return (
        f"CREATE TEMPORARY TABLE {ident(staging_name(spec))} (\n"
        f"    {_column_defs(list(spec.file_schema), dialect)}\n)"
    )


def drop_staging_sql(spec: TableSpec) -> str:
    """Drop the staging table (it would otherwise live until the session ends)."""
    return f"DROP TABLE IF EXISTS {ident(staging_name(spec))}"


def clear_staging_sql(spec: TableSpec) -> str:
    """Empty the staging table between partitions; DELETE, because TRUNCATE commits on Redshift."""
    return f"DELETE FROM {ident(staging_name(spec))}"


def copy_from_s3_sql(spec: TableSpec, manifest_uri: str, iam_role: str) -> str:
    """Redshift: bulk-load the Parquet files a manifest lists into the staging table.

    A manifest, not a prefix: a partition directory may hold superseded or uncommitted files, and the
    manifest names exactly the current ones. No column list: from Parquet, COPY maps file columns to
    all table columns by position, which is why the staging table is exactly the file's columns.
    """
    if not manifest_uri.startswith("s3://"):
        raise ValueError(f"COPY reads from S3, got {manifest_uri!r}")
    return (
        f"COPY {ident(staging_name(spec))}\n"
        f"FROM {literal(manifest_uri)}\n"
        f"IAM_ROLE {literal(iam_role)}\n"
        "FORMAT AS PARQUET\n"
        "MANIFEST"
    )


def copy_manifest(entries: list[tuple[str, int]]) -> str:
    """A COPY manifest of (S3 URI, size in bytes) files; Parquet needs each file's `content_length`."""
    return json.dumps(
        {
            "entries": [
                {"url": uri, "mandatory": True, "meta": {"content_length": size}} for uri, size in entries
            ]
        },
        indent=1,
    )


def copy_from_stdin_sql(spec: TableSpec) -> str:
    """PostgreSQL: bulk-load CSV streamed by the client into the staging table."""
    return f"COPY {ident(staging_name(spec))} ({_column_list(spec.file_columns)}) FROM STDIN (FORMAT csv)"


def delete_dates_sql(spec: TableSpec, count: int) -> str:
    """Delete the rows of `count` dates (parameters, ISO strings) from a table; all rows if undated."""
    target = qualified(*spec.qualified)
    if spec.date_column is None:
        return f"DELETE FROM {target}"
    if count < 1:
        raise ValueError("at least one date to delete")
    marks = ", ".join(["CAST(%s AS DATE)"] * count)
    return f"DELETE FROM {target} WHERE {ident(spec.date_column)} IN ({marks})"


def insert_from_staging_sql(spec: TableSpec) -> str:
    """Move the staged rows into the table; for a dated table the date is one parameter (ISO string)."""
    target = qualified(*spec.qualified)
    names = spec.schema.names
    values = [
        "CAST(%s AS DATE)" if name == spec.date_column else ident(name)
        for name in names  # the partition column comes from the directory name, not the file
    ]
    return (
        f"INSERT INTO {target} ({_column_list(names)})\n"
        f"SELECT {', '.join(values)} FROM {ident(staging_name(spec))}"
    )
