"""The local AWS mode: the streaming path of the AWS runtime against moto's Kinesis and S3.

moto stands in for Kinesis and S3, but it cannot execute a Lambda function (its Lambda backend needs
Docker) nor run an event source mapping. `event_source` plays that part: it reads a stream's records
with GetShardIterator/GetRecords and hands them to a handler as the Lambda event Kinesis would
deliver, batch by batch, in shard order.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from shopware.aws.layout import S3LakeLayout
from shopware.ingestion.loopback import free_port

Handler = Callable[[dict[str, Any], Any], dict[str, Any]]


@contextmanager
def moto_server() -> Iterator[str]:
    """A moto server (every AWS API) on a free loopback port while the block runs; yields its URL."""
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


def create_lake_buckets(s3: Any, layout: S3LakeLayout, region: str) -> None:
    """Create the lake bucket and every layer bucket of `layout`."""
    for bucket in sorted({layout.bucket, *layout.layer_buckets.values()}):
        s3.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": region})


def create_stream(kinesis: Any, name: str, shards: int = 1) -> str:
    """Create a Kinesis stream, wait until it is active; return its ARN."""
    kinesis.create_stream(StreamName=name, ShardCount=shards)
    kinesis.get_waiter("stream_exists").wait(StreamName=name)
    return str(kinesis.describe_stream(StreamName=name)["StreamDescription"]["StreamARN"])


def shard_records(kinesis: Any, stream: str, shard: str, limit: int) -> Iterator[list[dict[str, Any]]]:
    """A shard's records from its start, in GetRecords pages of at most `limit`, until it is drained."""
    iterator = kinesis.get_shard_iterator(StreamName=stream, ShardId=shard, ShardIteratorType="TRIM_HORIZON")[
        "ShardIterator"
    ]
    while iterator:
        page = kinesis.get_records(ShardIterator=iterator, Limit=limit)
        if page["Records"]:
            yield page["Records"]
        elif page.get("MillisBehindLatest", 0) == 0:
            return
        iterator = page.get("NextShardIterator")


def lambda_event(records: list[dict[str, Any]], shard: str, stream_arn: str, region: str) -> dict[str, Any]:
    """GetRecords records of one shard as the event a Kinesis event source mapping passes to Lambda."""
    return {
        "Records": [
            {
                "kinesis": {
                    "kinesisSchemaVersion": "1.0",
                    "partitionKey": r["PartitionKey"],
                    "sequenceNumber": r["SequenceNumber"],
                    "data": base64.b64encode(r["Data"]).decode(),
                    "approximateArrivalTimestamp": r["ApproximateArrivalTimestamp"].timestamp(),
                },
                "eventSource": "aws:kinesis",
                "eventVersion": "1.0",
                "eventID": f"{shard}:{r['SequenceNumber']}",
                "eventName": "aws:kinesis:record",
                "invokeIdentityArn": "arn:aws:iam::123456789012:role/shopware-stream-processor",
                "awsRegion": region,
                "eventSourceARN": stream_arn,
            }
            for r in records
        ]
    }


def event_source(kinesis: Any, stream: str, *, batch_size: int = 100) -> Iterator[dict[str, Any]]:
    """The Lambda events of every record in `stream`, shard by shard, `batch_size` records each."""
    description = kinesis.describe_stream(StreamName=stream)["StreamDescription"]
    region = description["StreamARN"].split(":")[3]
    for shard in description["Shards"]:
        for page in shard_records(kinesis, stream, shard["ShardId"], batch_size):
            yield lambda_event(page, shard["ShardId"], description["StreamARN"], region)
