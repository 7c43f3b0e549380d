"""Helpers for the ingestion integration tests: loopback servers and reading a Kinesis stream back."""

from __future__ import annotations

from typing import Any

import boto3

from shopware.ingestion.loopback import free_port, serving

__all__ = ["free_port", "kinesis_client", "read_stream", "serving"]


def kinesis_client(url: str) -> Any:
    return boto3.client("kinesis", endpoint_url=url, region_name="eu-central-1")


def read_stream(client: Any, stream: str) -> list[bytes]:
    """Every record's data in `stream`, shard by shard from the start, until the shards are drained."""
    data: list[bytes] = []
    for shard in client.list_shards(StreamName=stream)["Shards"]:
        iterator = client.get_shard_iterator(
            StreamName=stream, ShardId=shard["ShardId"], ShardIteratorType="TRIM_HORIZON"
        )["ShardIterator"]
        while iterator:
            page = client.get_records(ShardIterator=iterator, Limit=10_000)
            data += [r["Data"] for r in page["Records"]]
            if not page["Records"] and page.get("MillisBehindLatest", 0) == 0:
                break
            iterator = page.get("NextShardIterator")
    return data
