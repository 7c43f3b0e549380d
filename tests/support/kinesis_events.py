"""Kinesis event payloads exactly as Lambda delivers them, and Lambda's retry of a partial failure.

Lambda itself cannot run under moto 5.2 (its Lambda service needs Docker to execute a function), so
the handlers are invoked in-process with the event Lambda would pass; `retry_batch` applies the
documented rule of a Kinesis event source mapping with ReportBatchItemFailures.
"""

from __future__ import annotations

import base64
import json
from typing import Any

SHARD = "shardId-000000000000"
_SEQUENCE_BASE = 49_590_338_271_490_256_608_559_692_538_361_571_095_921_575_989_136_588_898


def sequence_number(n: int) -> str:
    """The n-th sequence number of the shard (56 digits, increasing, as Kinesis writes them)."""
    return str(_SEQUENCE_BASE + n)


def kinesis_record(
    n: int,
    data: bytes | None = None,
    *,
    arrival: float,
    stream: str = "shopware-web",
    raw_data: str | None = None,
) -> dict[str, Any]:
    """The n-th record of the shard, holding `data` (or the literal base64 text `raw_data`)."""
    seq = sequence_number(n)
    return {
        "kinesis": {
            "kinesisSchemaVersion": "1.0",
            "partitionKey": f"pk-{n}",
            "sequenceNumber": seq,
            "data": raw_data if raw_data is not None else base64.b64encode(data or b"").decode(),
            "approximateArrivalTimestamp": arrival,
        },
        "eventSource": "aws:kinesis",
        "eventVersion": "1.0",
        "eventID": f"{SHARD}:{seq}",
        "eventName": "aws:kinesis:record",
        "invokeIdentityArn": "arn:aws:iam::123456789012:role/shopware-stream-processor",
        "awsRegion": "eu-central-1",
        "eventSourceARN": f"arn:aws:kinesis:eu-central-1:123456789012:stream/{stream}",
    }


def json_lines(*events: dict[str, Any]) -> bytes:
    """Events as JSON Lines, each line ending in a newline (the ingestion sinks' framing)."""
    return b"".join(json.dumps(e).encode() + b"\n" for e in events)


def event_of(*records: dict[str, Any]) -> dict[str, Any]:
    """A Lambda event holding `records`."""
    return {"Records": list(records)}


def retry_batch(event: dict[str, Any], response: dict[str, Any]) -> dict[str, Any] | None:
    """The batch Lambda delivers next after `response`: from the lowest failed sequence number on."""
    failed = [int(f["itemIdentifier"]) for f in response.get("batchItemFailures", [])]
    if not failed:
        return None
    lowest = min(failed)
    return event_of(*[r for r in event["Records"] if int(r["kinesis"]["sequenceNumber"]) >= lowest])
