"""The lake as the warehouse loader sees it: Parquet datasets, Hive-partitioned by date.

A dated table's rows for day D are the files under `<layer>/<table>/<date_column>=D/`; the date is in
the directory name only. An undated table (reference data) is the files under `<layer>/<table>/`.
The lake is a local directory or an S3 prefix, read through pyarrow's filesystems.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow.fs as pafs

from shopware.warehouse.catalog import TableSpec


class Lake:
    """A lake root (`/path/to/lake` or `s3://bucket/prefix`) and the filesystem that reads it."""

    def __init__(self, uri: str, filesystem: pafs.FileSystem | None = None) -> None:
        if "://" not in uri:
            uri = str(Path(uri).resolve())
        self.uri = uri.rstrip("/")
        if filesystem is None:
            filesystem, root = pafs.FileSystem.from_uri(self.uri)
        else:
            root = self.uri.split("://", 1)[-1]
        self.filesystem: pafs.FileSystem = filesystem
        self.root: str = root.rstrip("/")

    def partition_key(self, spec: TableSpec, day: dt.date | None) -> str:
        """The key (relative to the root) of a table's partition for `day`, or of the undated table."""
        if spec.date_column is None:
            return spec.lake_prefix
        if day is None:
            raise ValueError(f"{spec.name} is partitioned by {spec.date_column}: a date is needed")
        return f"{spec.lake_prefix}/{spec.date_column}={day.isoformat()}"

    def path(self, key: str) -> str:
        """The filesystem path of a key."""
        return f"{self.root}/{key}"

    def key_uri(self, key: str) -> str:
        """The URI of a key as an engine outside this process (Redshift's COPY) names it."""
        return f"{self.uri}/{key}"

    def exists(self, key: str) -> bool:
        """Whether the key is a directory of the lake."""
        return self.filesystem.get_file_info(self.path(key)).type == pafs.FileType.Directory

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
