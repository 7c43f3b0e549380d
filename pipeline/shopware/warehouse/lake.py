"""The lake as the warehouse loader sees it: Parquet datasets, Hive-partitioned by date.

A dated table's rows for day D are Parquet files in `<layer>/<table>/<date_column>=D/`; the date is in
the directory name only. An undated table (reference data) is the files in `<layer>/<table>/`, or in
its one fixed partition (`ref=current` for silver reference data).
The lake is a local directory or an S3 prefix, read through pyarrow's filesystems.

Not every file in a partition directory need be current: the core's lake keeps the files of several
runs side by side and a run's manifest decides which are visible. `Lake` takes a `select` function
that keeps the current files of one partition; without one, every Parquet file is current.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pyarrow.fs as pafs

from shopware.warehouse.catalog import TableSpec

Select = Callable[[list[str]], list[str]]
"""From the Parquet file keys found in one partition directory, the current ones."""


class Lake:
    """A lake root (`/path/to/lake` or `s3://bucket/prefix`) and the filesystem that reads it."""

    def __init__(
        self, uri: str, filesystem: pafs.FileSystem | None = None, select: Select | None = None
    ) -> None:
        if "://" not in uri:
            uri = str(Path(uri).resolve())
        self.uri = uri.rstrip("/")
        if filesystem is None:
            filesystem, root = pafs.FileSystem.from_uri(self.uri)
        else:
            root = self.uri.split("://", 1)[-1]
        self.filesystem: pafs.FileSystem = filesystem
        self.root: str = root.rstrip("/")
        self.select = select

    def partition_key(self, spec: TableSpec, day: dt.date | None) -> str:
        """The key (relative to the root) of a table's partition for `day`, or of the undated table."""
        if spec.date_column is None:
            if spec.undated_partition is None:
                return spec.lake_prefix
            return f"{spec.lake_prefix}/{spec.undated_partition}"
        if day is None:
            raise ValueError(f"{spec.name} is partitioned by {spec.date_column}: a date is needed")
        return f"{spec.lake_prefix}/{spec.date_column}={day.isoformat()}"

    def path(self, key: str) -> str:
        """The filesystem path of a key."""
        return f"{self.root}/{key}"

    def key_uri(self, key: str) -> str:
        """The URI of a key as an engine outside this process (Redshift's COPY) names it."""
        return f"{self.uri}/{key}"

    def files(self, spec: TableSpec, day: dt.date | None) -> list[str]:
        """The keys of the current Parquet files of a partition (or undated table); [] if it has none."""
        directory = self.partition_key(spec, day)
        selector = pafs.FileSelector(self.path(directory), allow_not_found=True)
        found = sorted(
            f"{directory}/{info.base_name}"
            for info in self.filesystem.get_file_info(selector)
            if info.type == pafs.FileType.File
            and info.base_name.endswith(".parquet")
            and not info.base_name.startswith((".", "_"))  # temporary and metadata files
        )
        return self.select(found) if self.select is not None and found else found

    def size(self, key: str) -> int:
        """The size of a file in bytes."""
        return int(self.filesystem.get_file_info(self.path(key)).size)

    def write(self, key: str, data: bytes) -> None:
        """Write a small object (a COPY manifest); S3 makes it visible whole or not at all."""
        self.filesystem.create_dir(self.path(key).rsplit("/", 1)[0], recursive=True)
        with self.filesystem.open_output_stream(self.path(key)) as stream:
            stream.write(data)

    def delete(self, key: str) -> None:
        """Remove a file."""
        self.filesystem.delete_file(self.path(key))

    def dates(self, spec: TableSpec) -> list[dt.date]:
        """The dates that have a partition of the table, in order (none if the table has no data)."""
        if spec.date_column is None:
            raise ValueError(f"{spec.name} is not partitioned by date")
        selector = pafs.FileSelector(self.path(spec.lake_prefix), allow_not_found=True)
        prefix = f"{spec.date_column}="
        found = []
        for info in self.filesystem.get_file_info(selector):
            if info.type == pafs.FileType.Directory and info.base_name.startswith(prefix):
                found.append(dt.date.fromisoformat(info.base_name.removeprefix(prefix)))
        return sorted(found)
