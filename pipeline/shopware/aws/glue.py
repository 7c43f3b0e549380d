"""The Glue jobs' logic: bronze -> silver with the core's contract code, silver -> gold on Spark SQL.

- `bronze_to_silver` runs the core's silver stage (the contract SQL of `shopware.transforms.silver` on
  DuckDB) over the bronze objects of the batch sources that no committed run has processed (the
  ledger plays the part of Glue job bookmarks), and commits the new silver partitions as one run.
  It runs on the Glue driver: the silver stage's commit protocol (file names per run, manifest last)
  and record-key merge are written once, in the core; the core validates millions of records per
  minute on two cores, far more than a day of POS and inventory data.
- `silver_to_gold` is the distributed part: every gold table of `shopware.kpi.tables`, rendered for
  `Dialect.SPARK`, computed by Spark SQL over the lake's current silver files, and committed as one run
  in the core's layout, so the warehouse loader and the embedded warehouse read it unchanged.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

import boto3
import pyarrow as pa
import pyarrow.parquet as pq

from shopware.aws.layout import LAYERS, S3LakeLayout
from shopware.aws.mirror import LakeMirror, NoMirror, S3Mirror, S3ObjectStore, batch_prefixes
from shopware.aws.s3lock import S3Lock
from shopware.kpi.tables import Dialect, gold_tables
from shopware.pipeline.gold_stage import INPUT_NAMES
from shopware.pipeline.lake import RUNS_PREFIX, Lake, current_of, new_run_id
from shopware.pipeline.runner import RunSummary, commit_run, connect, processed_objects, stage_sources
from shopware.pipeline.settings import PipelineSettings
from shopware.transforms.contracts import SOURCES
from shopware.transforms.silver import silver_columns

BATCH_SOURCES = ("stores", "products", "pos", "inventory")


def bronze_to_silver(
    settings: PipelineSettings, sources: Sequence[str] = BATCH_SOURCES, mirror: LakeMirror | None = None
) -> RunSummary | None:
    """Validate every unprocessed bronze object of `sources` into silver; commit; None if nothing new.

    With `mirror`, the lake of record is elsewhere (S3) and `settings.lake` is the job's working copy.
    """
    lake = Lake(settings.lake)
    mirror = mirror or NoMirror()
    with mirror.writer():
        mirror.pull(lake)
        with lake.lock():
            committed = set(lake.committed_runs())
            con = connect(settings, lake)
            try:
                done = processed_objects(con, lake, committed)
                pending = {s: [k for k in mirror.bronze_keys(lake, s) if k not in done] for s in sources}
                if not any(pending.values()):
                    return None
                mirror.fetch(lake, [k for keys in pending.values() for k in keys])
                summary = RunSummary(run_id=new_run_id())
                ledger, _dates = stage_sources(
                    con,
                    lake,
                    pending,
                    committed=committed,
                    run_id=summary.run_id,
                    summary=summary,
                    batch_bytes=settings.batch_bytes,
                )
                commit_run(con, lake, summary, ledger)
            finally:
                con.close()
        mirror.push(lake)
        return summary


# --- silver -> gold on Spark ---------------------------------------------------------------------

_SPARK_TYPES = {"BIGINT": "BIGINT", "DOUBLE": "DOUBLE", "VARCHAR": "STRING", "DATE": "DATE"}


class GoldLake(Protocol):
    """What silver -> gold needs of a lake: its current files as URIs Spark reads, and atomic puts."""

    def committed_runs(self) -> set[str]:
        """The ids of the committed runs."""

    def current_files(self, layer: str, table: str, committed: set[str]) -> dict[str, list[str]]:
        """The current files of a table per partition value, as URIs Spark can read."""

    def table_uri(self, layer: str, table: str) -> str:
        """The URI of a table's directory (Spark's `basePath` for partition discovery)."""

    def put(self, key: str, data: bytes) -> None:
        """Write one object atomically."""

    def writer(self) -> AbstractContextManager[None]:
        """Exclusive right to write the lake (one writer at a time)."""


class LocalGoldLake:
    """A lake directory."""

    def __init__(self, lake: Lake) -> None:
        self.lake = lake

    def committed_runs(self) -> set[str]:
        return set(self.lake.committed_runs())

    def current_files(self, layer: str, table: str, committed: set[str]) -> dict[str, list[str]]:
        parts = self.lake.partitions(layer, table, committed=committed)
        return {value: [str(f) for f in files] for value, files in parts.items()}

    def table_uri(self, layer: str, table: str) -> str:
        return str(self.lake.table_dir(layer, table))

    def put(self, key: str, data: bytes) -> None:
        self.lake.store.put(key, data)

    def writer(self) -> AbstractContextManager[None]:
        return self.lake.lock()


class S3GoldLake:
    """A lake in S3 (keys routed to buckets by `layout`), read by Spark as `s3://` URIs (Glue's connector)."""

    def __init__(self, client: Any, layout: S3LakeLayout) -> None:
        self.layout = layout
        self.store = S3ObjectStore(client, layout)
        self.lock = S3Lock(client, layout)

    def writer(self) -> AbstractContextManager[None]:
        return self.lock.held()

    def _keys(self, prefix: str) -> list[str]:
        return list(self.store.list(prefix))

    def committed_runs(self) -> set[str]:
        return {
            k.rsplit("/", 1)[-1].removesuffix(".json")
            for k in self._keys(f"{RUNS_PREFIX}/")
            if k.endswith(".json")
        }

    def current_files(self, layer: str, table: str, committed: set[str]) -> dict[str, list[str]]:
        by_partition: dict[str, list[str]] = {}
        for key in self._keys(f"{layer}/{table}/"):
            parts = key.split("/")
            if len(parts) == 4 and "=" in parts[2]:
                by_partition.setdefault(parts[2].split("=", 1)[1], []).append(key)
        current = {value: current_of(keys, committed) for value, keys in by_partition.items()}
        return {value: [self.layout.uri(k) for k in keys] for value, keys in current.items() if keys}

    def table_uri(self, layer: str, table: str) -> str:
        return self.layout.uri(f"{layer}/{table}")

    def put(self, key: str, data: bytes) -> None:
        self.store.put(key, data)  # S3 PUTs are atomic


def _silver_frame(spark: Any, lake: GoldLake, source: str, committed: set[str]) -> Any:
    """The current silver rows of `source` as a Spark DataFrame (columns as in the core)."""
    table = SOURCES[source].silver_table
    columns = silver_columns(SOURCES[source])
    schema = ", ".join(f"`{n}` {_SPARK_TYPES[t]}" for n, t in columns)
    files = [f for fs in lake.current_files("silver", table, committed).values() for f in fs]
    if not files:
        return spark.createDataFrame([], schema)
    frame = spark.read.option("basePath", lake.table_uri("silver", table)).schema(schema).parquet(*files)
    return frame.select(*[f"`{n}`" for n, _ in columns])


def compute_gold(spark: Any, lake: GoldLake) -> dict[str, pa.Table]:
    """Every gold table over the lake's committed silver, computed by Spark SQL (the SPARK dialect)."""
    committed = lake.committed_runs()
    for source, view in {**INPUT_NAMES, "stores": "stores", "products": "products"}.items():
        _silver_frame(spark, lake, source, committed).createOrReplaceTempView(view)
    results = {}
    for table in gold_tables(Dialect.SPARK).values():
        frame = spark.sql(f"SELECT {', '.join(table.columns)} FROM ({table.sql}) gold").cache()
        frame.createOrReplaceTempView(table.name)  # the DERIVED tables read their upstream by name
        results[table.name] = _to_arrow(frame)
    return results


def _to_arrow(frame: Any) -> pa.Table:
    """A (small) DataFrame collected as Arrow on the driver."""
    # Spark 3.5 (Glue 5.0's) has no DataFrame.toArrow; this is the Arrow collect its toPandas uses.
    from pyspark.sql.pandas.types import to_arrow_schema

    batches = frame._collect_as_arrow()
    return pa.Table.from_batches(batches) if batches else to_arrow_schema(frame.schema).empty_table()


def write_gold(lake: GoldLake, tables: dict[str, pa.Table]) -> str:
    """Write `tables` as the new content of every gold partition, in the core's layout, and commit.

    A partition that holds rows in the current gold but none now gets an empty file, so it is replaced.
    """
    run_id = new_run_id()
    committed = lake.committed_runs()
    spec = gold_tables()
    for name, rows in tables.items():
        column = spec[name].date_column
        current = set(lake.current_files("gold", name, committed))
        values = rows.column(column).to_pylist()
        for value in sorted({v.isoformat() for v in values if isinstance(v, date)} | current):
            mask = pa.array([isinstance(v, date) and v.isoformat() == value for v in values])
            sink = pa.BufferOutputStream()
            pq.write_table(rows.filter(mask).drop_columns([column]), sink)
            lake.put(f"gold/{name}/{column}={value}/part-{run_id}-0.parquet", sink.getvalue().to_pybytes())
    manifest = {
        "run_id": run_id,
        "job": "silver_to_gold",
        "tables": {k: v.num_rows for k, v in tables.items()},
    }
    lake.put(f"{RUNS_PREFIX}/{run_id}.json", json.dumps(manifest, indent=1).encode())  # the commit
    return run_id


@dataclass(frozen=True)
class JobArgs:
    """A job's arguments."""

    settings: PipelineSettings
    sources: tuple[str, ...]
    layout: S3LakeLayout | None
    s3_endpoint_url: str | None

    def s3_client(self) -> Any:
        """A boto3 S3 client for the lake's endpoint."""
        return boto3.client("s3", endpoint_url=self.s3_endpoint_url)

    def mirror(self) -> LakeMirror:
        """The S3 lake's mirror for bronze -> silver of `sources`, or none for a local lake."""
        if self.layout is None:
            return NoMirror()
        return S3Mirror(self.s3_client(), self.layout, batch_prefixes(self.sources))


def job_args(argv: Sequence[str]) -> JobArgs:
    """`--lake DIR [--lake-bucket B [--lake-prefix P] [--lake-{bronze,silver,gold,quarantine}-bucket B]
    [--s3-endpoint-url U]] [--sources a,b] [--threads N] [--memory-limit 1GB]`; other arguments (Glue's
    own, the state machine's `--trigger-*`) are ignored.

    With `--lake-bucket`, the lake is in S3 (routed as `shopware.aws.layout` says) and `--lake` is the
    job's local working copy. `--sources` defaults to the batch sources; the streaming ones (processed
    by the Lambdas) can be named to replay their bronze, e.g. for a backfill.
    """
    parser = argparse.ArgumentParser()
    parser.add_argument("--lake", required=True, help="the lake directory (or the S3 lake's working copy)")
    parser.add_argument("--lake-bucket")
    parser.add_argument("--lake-prefix", default="")
    for layer in LAYERS:
        parser.add_argument(f"--lake-{layer}-bucket")
    parser.add_argument("--s3-endpoint-url")
    parser.add_argument("--sources", default=",".join(BATCH_SOURCES))
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--memory-limit", default="1GB")
    args, _glue_args = parser.parse_known_args(argv)
    sources = tuple(s for s in args.sources.split(",") if s)
    unknown = set(sources) - set(SOURCES)
    if unknown:
        parser.error(f"unknown sources {sorted(unknown)}; expected some of {sorted(SOURCES)}")
    # Reference data first: the event sources' gold depends on it, never the other way round.
    ordered = tuple(sorted(sources, key=lambda s: (not SOURCES[s].reference, s)))
    settings = PipelineSettings(lake=args.lake, threads=args.threads, memory_limit=args.memory_limit)
    layout = None
    if args.lake_bucket:
        layers = {layer: getattr(args, f"lake_{layer}_bucket") for layer in LAYERS}
        layout = S3LakeLayout.of(args.lake_bucket, args.lake_prefix, **layers)
    return JobArgs(settings, ordered, layout, args.s3_endpoint_url)


def gold_lake(argv: Sequence[str]) -> GoldLake:
    """The lake silver -> gold works on: `--lake-bucket` (S3), else the directory `--lake`."""
    args = job_args(argv)
    if args.layout is not None:
        return S3GoldLake(args.s3_client(), args.layout)
    return LocalGoldLake(Lake(args.settings.lake))


def silver_to_gold(spark: Any, lake: GoldLake) -> str:
    """Recompute every gold table from silver on Spark and commit it; return the run id.

    Holds the lake's writer lock throughout: a Lambda committing in between would be overwritten.
    """
    with lake.writer():
        return write_gold(lake, compute_gold(spark, lake))
