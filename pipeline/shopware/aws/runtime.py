"""A Kinesis-triggered Lambda invocation: partial batch failures around the stream processor.

Each record is decoded and landed on its own (aws-lambda-powertools BatchProcessor), so one poisoned
record fails alone: it is dead-lettered with its reason and reported in `batchItemFailures`, and every
other record of the batch is processed. The landed records are then validated and their KPIs
recomputed in one go. A failure there (the lake unreachable) fails the invocation and Lambda retries
the whole batch, which is safe: processing is idempotent.
"""

from __future__ import annotations

import logging
from typing import Any

import boto3
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.data_classes.kinesis_stream_event import KinesisStreamRecord

from shopware.aws.loading import GoldLoader, NoLoader, WarehouseLoader
from shopware.aws.mirror import LakeMirror, NoMirror, S3Mirror, stream_prefixes
from shopware.aws.settings import StreamSettings
from shopware.aws.stream import STREAM_SOURCES, LakeDeadLetters, land_record, process_objects
from shopware.pipeline.lake import Lake
from shopware.pipeline.settings import PipelineSettings
from shopware.warehouse.settings import load_config
from shopware.warehouse.sql import Dialect

log = logging.getLogger(__name__)


def mirror_for(settings: StreamSettings, source: str) -> LakeMirror:
    """The S3 lake of the settings, or none when the local lake is the lake of record."""
    layout = settings.s3_layout()
    if layout is None:
        return NoMirror()
    client = boto3.client("s3", endpoint_url=settings.s3_endpoint_url)
    return S3Mirror(client, layout, stream_prefixes((source,)), lock_wait_s=settings.lock_wait_s)


def loader_for(settings: StreamSettings) -> GoldLoader:
    """The warehouse loader of the settings (`SHOPWARE_WAREHOUSE_*`), or none."""
    if not settings.load_warehouse:
        return NoLoader()
    config = load_config()
    layout = settings.s3_layout()
    # Redshift's COPY reads the gold files from the gold bucket itself; PostgreSQL is fed by this
    # process, from the working copy, which holds every current file of the tables the run rewrote.
    lake_uri = layout.root_uri("gold") if layout is not None and config.engine is Dialect.REDSHIFT else None
    return WarehouseLoader(config, lake_uri)


def handle_kinesis_event(
    event: dict[str, Any],
    context: Any,
    source: str,
    settings: StreamSettings | None = None,
    mirror: LakeMirror | None = None,
    loader: GoldLoader | None = None,
) -> dict[str, Any]:
    """Process one Kinesis batch of `source`; return the partial-failure response Lambda expects."""
    if source not in STREAM_SOURCES:
        raise ValueError(f"{source!r} is not a streaming source")
    settings = settings or StreamSettings()
    mirror = mirror or mirror_for(settings, source)
    loader = loader or loader_for(settings)
    lake = Lake(settings.lake)
    dead_letters = LakeDeadLetters(lake.store)
    landed: list[str] = []

    def on_record(record: KinesisStreamRecord) -> None:
        landed.append(land_record(lake, source, record.raw_event, dead_letters))

    core = PipelineSettings(lake=settings.lake, memory_limit=settings.memory_limit, threads=settings.threads)
    with mirror.writer():
        mirror.pull(lake)
        try:
            response = process_partial_response(
                event=event,
                record_handler=on_record,
                processor=BatchProcessor(event_type=EventType.KinesisDataStreams),
                context=context,
            )
            result = process_objects(lake, source, landed, core)
        finally:
            mirror.push(lake)  # dead letters even when every record failed
        # Under the lock: a load never replaces a date with an older state of the lake.
        loaded = loader.load(lake, result.run_id) if result.run_id else {}
    log.info(
        "source=%s run=%s objects=%d redelivered=%d read=%d accepted=%d quarantined=%d failed=%d "
        "gold=%s loaded=%s",
        source,
        result.run_id,
        result.objects,
        result.redelivered,
        result.read,
        result.accepted,
        result.quarantined,
        len(response.get("batchItemFailures", [])),
        result.gold_partitions,
        loaded,
    )
    return dict(response)
