"""The CLI's S3 lake: `ingest` lands straight into the bronze bucket; `run` works on a local working copy.

With `SHOPWARE_LAKE_BUCKET` unset, both are the plain local lake. With it set, `ingest` writes bronze
objects (and the "already landed" markers) to S3, and `run` holds the S3 writer lock, pulls the run
manifests, ledger, silver, gold and quarantine into the working copy (`--lake`), fetches only the bronze
objects no committed run has processed, runs the core there, and pushes what the run wrote, manifest
last — the same protocol as the Lambdas and the Glue jobs, so all of them share one lake.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import boto3

from shopware.aws.mirror import S3Mirror, S3ObjectStore
from shopware.pipeline.lake import LEDGER_PREFIX, RUNS_PREFIX, Lake
from shopware.pipeline.runner import connect, processed_objects
from shopware.pipeline.settings import PipelineSettings, S3LakeSettings
from shopware.pipeline.storage import ObjectStore
from shopware.transforms.contracts import SOURCES

# What a whole run reads besides new bronze: all silver and gold (the gold stage and the embedded
# warehouse read every table), and quarantine (the warehouse's `audit.quarantine`).
RUN_PREFIXES = [f"{RUNS_PREFIX}/", f"{LEDGER_PREFIX}/", "silver/", "gold/", "quarantine/"]


def _client(settings: S3LakeSettings) -> Any:
    return boto3.client("s3", endpoint_url=settings.s3_endpoint_url)


def bronze_store(settings: PipelineSettings) -> ObjectStore:
    """Where `ingest` lands files: the S3 lake's buckets, or the local lake."""
    layout = settings.s3_layout()
    if layout is None:
        return Lake(settings.lake).store
    return S3ObjectStore(_client(settings), layout)


@contextmanager
def lake_of_record(settings: PipelineSettings) -> Iterator[None]:
    """Around a run on `settings.lake`: nothing for a local lake; for an S3 lake, the working copy's
    pull before and push after (only when the run succeeded), under the S3 writer lock."""
    layout = settings.s3_layout()
    if layout is None:
        yield
        return
    lake = Lake(settings.lake)
    mirror = S3Mirror(_client(settings), layout, RUN_PREFIXES, lock_wait_s=settings.lock_wait_s)
    with mirror.writer():
        mirror.pull(lake)
        con = connect(settings, lake)
        try:
            done = processed_objects(con, lake, set(lake.committed_runs()))
        finally:
            con.close()
        mirror.fetch(lake, [k for s in SOURCES for k in mirror.bronze_keys(lake, s) if k not in done])
        yield
        mirror.push(lake)
