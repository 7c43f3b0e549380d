"""One DB-API adapter over two drivers: redshift-connector on Redshift, psycopg 3 on PostgreSQL.

Everything above this module (DDL, loads, grants, logins) runs the same Python and the same SQL on
both engines, through `Warehouse`. The engines differ in exactly two places, both chosen here by
`connect`: the SQL dialect (types, DIST/SORT keys) and the `Stager` that bulk-loads one lake
partition into the staging table: `COPY ... FORMAT AS PARQUET MANIFEST` from S3 on Redshift,
`COPY ... FROM STDIN` fed with CSV encoded from Arrow record batches on PostgreSQL. Both drivers use
the `%s` placeholder.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import pyarrow.csv as pacsv
import pyarrow.dataset as pads

from shopware.warehouse.catalog import TableSpec
from shopware.warehouse.lake import Lake
from shopware.warehouse.settings import WarehouseConfig
from shopware.warehouse.sql import Dialect, copy_from_s3_sql, copy_from_stdin_sql, copy_manifest


class Cursor(Protocol):
    """The DB-API cursor operations used here."""

    rowcount: int

    def execute(self, operation: str, parameters: Sequence[Any] = ...) -> Any: ...

    def fetchall(self) -> Sequence[Sequence[Any]]: ...

    def close(self) -> None: ...


class Connection(Protocol):
    """The DB-API connection operations used here (autocommit off: `Warehouse` commits)."""

    def cursor(self) -> Any: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...

    def close(self) -> None: ...


class Stager(Protocol):
    """Bulk-loads the given Parquet files (lake keys) into a table's empty staging table."""

    def stage(self, cursor: Cursor, spec: TableSpec, lake: Lake, files: list[str]) -> None: ...


def run(cursor: Cursor, sql: str, parameters: Sequence[Any] = ()) -> None:
    """Execute a statement, passing parameters only when there are some.

    With parameters, both drivers parse `%` in the text as placeholders; without, the text is sent
    as it is, so a `%` in a literal (a password, a LIKE pattern) needs no escaping.
    """
    if parameters:
        cursor.execute(sql, parameters)
    else:
        cursor.execute(sql)


class SchemaMismatch(ValueError):
    """A lake dataset's Parquet schema is not the catalog's (names, order or types)."""


MANIFEST_PREFIX = "_meta/warehouse/manifests"


@dataclass(frozen=True)
class S3CopyStager:
    """Redshift: the cluster reads the files from S3 itself, with the given IAM role.

    The files are listed in a COPY manifest written next to the lake's metadata for the duration of
    the COPY (so the loader needs write access to `_meta/warehouse/` of the lake bucket).
    """

    iam_role: str

    def stage(self, cursor: Cursor, spec: TableSpec, lake: Lake, files: list[str]) -> None:
        manifest = f"{MANIFEST_PREFIX}/{spec.layer}/{spec.name}/{uuid.uuid4().hex}.manifest"
        lake.write(manifest, copy_manifest([(lake.key_uri(f), lake.size(f)) for f in files]).encode())
        try:
            cursor.execute(copy_from_s3_sql(spec, lake.key_uri(manifest), self.iam_role))
        finally:
            lake.delete(manifest)


class ArrowCopyStager:
    """PostgreSQL: read the files with Arrow, stream them as CSV through `COPY ... FROM STDIN`.

    Every file's schema is checked against the catalog first, names, order and types, because that
    is what Redshift's positional COPY would silently depend on.
    """

    def stage(self, cursor: Cursor, spec: TableSpec, lake: Lake, files: list[str]) -> None:
        paths = [lake.path(f) for f in files]
        dataset = pads.dataset(paths, format="parquet", filesystem=lake.filesystem)
        expected = spec.file_schema.remove_metadata()
        for fragment in dataset.get_fragments():
            found = fragment.physical_schema.remove_metadata()
            if not found.equals(expected):
                raise SchemaMismatch(
                    f"{fragment.path}: Parquet schema\n{found}\nis not the catalog's\n{expected}"
                )
        options = pacsv.WriteOptions(include_header=False)
        # psycopg's cursor.copy(); the Protocol stays the DB-API subset shared with redshift-connector.
        with cursor.copy(copy_from_stdin_sql(spec)) as copy:  # type: ignore[attr-defined]
            for batch in dataset.to_batches():
                buffer = io.BytesIO()
                pacsv.write_csv(batch, buffer, options)
                copy.write(buffer.getbuffer())


class Warehouse:
    """A connection to the warehouse, its dialect and its bulk-load path."""

    def __init__(self, connection: Connection, dialect: Dialect, stager: Stager) -> None:
        self.connection = connection
        self.dialect = dialect
        self.stager = stager

    @contextmanager
    def transaction(self) -> Iterator[Cursor]:
        """A cursor whose statements commit together at the end of the block, or roll back on error."""
        cursor = self.connection.cursor()
        try:
            yield cursor
            self.connection.commit()
        except BaseException:
            self.connection.rollback()
            raise
        finally:
            cursor.close()

    def query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """The rows of one read-only statement."""
        with self.transaction() as cursor:
            run(cursor, sql, parameters)
            return [tuple(row) for row in cursor.fetchall()]

    def close(self) -> None:
        """Close the connection."""
        self.connection.close()


def connect(config: WarehouseConfig) -> Warehouse:
    """Connect with the engine's driver."""
    password = config.password.get_secret_value()
    if config.engine is Dialect.REDSHIFT:
        import redshift_connector

        if config.iam_role is None:
            raise ValueError("Redshift loads need an IAM role for COPY")
        redshift = redshift_connector.connect(
            host=config.host,
            port=config.port,
            database=config.database,
            user=config.user,
            password=password,
            timeout=config.connect_timeout_s,
        )
        return Warehouse(redshift, Dialect.REDSHIFT, S3CopyStager(config.iam_role))
    import psycopg

    postgres = psycopg.connect(
        host=config.host,
        port=config.port,
        dbname=config.database,
        user=config.user,
        password=password,
        connect_timeout=config.connect_timeout_s,
    )
    return Warehouse(postgres, Dialect.POSTGRES, ArrowCopyStager())
