"""The one place where settings become concrete sinks, clients and stores."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shopware.ingestion.buffer import BufferedSink
from shopware.ingestion.deadletter import DeadLetter, LocalDeadLetter, S3DeadLetter
from shopware.ingestion.settings import SinkSettings
from shopware.ingestion.sinks import KinesisSink, LocalBronzeSink, RecordSink
from shopware.pipeline.storage import LocalObjectStore


def split_s3_uri(uri: str) -> tuple[str, str]:
    """(bucket, key or prefix) of an `s3://bucket/key` URI."""
    bucket, _, key = uri.removeprefix("s3://").partition("/")
    if not bucket:
        raise ValueError(f"not an s3://bucket/key URI: {uri!r}")
    return bucket, key


def aws_client(service: str, settings: SinkSettings) -> Any:
    """A boto3 client with its own retries off: retries are declared once, in `retry.py`."""
    import boto3
    from botocore.config import Config

    return boto3.client(
        service,
        region_name=settings.aws_region,
        endpoint_url=settings.aws_endpoint_url,
        config=Config(retries={"max_attempts": 1, "mode": "standard"}, connect_timeout=5, read_timeout=30),
    )


def build_dead_letter(settings: SinkSettings) -> DeadLetter:
    """The dead-letter location of `settings`: an S3 prefix or a local directory."""
    location = settings.dead_letter_location()
    if location.startswith("s3://"):
        bucket, prefix = split_s3_uri(location)
        return S3DeadLetter(aws_client("s3", settings), bucket, prefix)
    return LocalDeadLetter(Path(location))


def build_sink(settings: SinkSettings, source: str, *, skip_identical: bool = False) -> RecordSink:
    """The record sink of `settings` for `source` (`skip_identical`: see `LocalBronzeSink`)."""
    if settings.sink == "kinesis":
        assert settings.kinesis_stream is not None  # enforced by the settings validator
        return KinesisSink(
            aws_client("kinesis", settings),
            settings.kinesis_stream,
            source,
            build_dead_letter(settings),
            max_attempts=settings.kinesis_max_attempts,
            backoff_initial_s=settings.kinesis_backoff_initial_s,
            backoff_max_s=settings.kinesis_backoff_max_s,
        )
    return LocalBronzeSink(LocalObjectStore(settings.lake), source, skip_identical=skip_identical)


def build_buffer(settings: SinkSettings, source: str) -> BufferedSink:
    """The sink of `settings` behind a buffer flushing by its count, byte and age limits."""
    return BufferedSink(
        build_sink(settings, source),
        max_records=settings.buffer_max_records,
        max_bytes=settings.buffer_max_bytes,
        max_age_s=settings.buffer_max_age_s,
    )
