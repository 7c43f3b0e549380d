"""The Kinesis sink against moto's Kinesis API in server mode: what is read back is what was sent, once."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
from ing_servers import kinesis_client, read_stream

from shopware.ingestion.records import record_from_value
from shopware.ingestion.settings import SinkSettings
from shopware.ingestion.wiring import build_dead_letter, build_sink


def test_sink_to_moto_kinesis_reads_back_exactly_once(moto_url: str, tmp_path: Path) -> None:
    client = kinesis_client(moto_url)
    client.create_stream(StreamName="shopware-web", ShardCount=3)
    settings = SinkSettings(
        sink="kinesis", kinesis_stream="shopware-web", aws_endpoint_url=moto_url, lake=tmp_path
    )
    sink = build_sink(settings, "web")
    records = [record_from_value("web", {"session_id": f"s{i % 97}", "i": i}) for i in range(1234)]
    report = sink.put(records)
    assert report.ok
    assert report.delivered == 1234
    assert report.calls == 3

    read = read_stream(client, "shopware-web")
    assert sorted(read) == sorted(r.payload for r in records)
    assert len(read) == len(set(read))
    # Every payload is one JSON object and a newline: concatenated by Firehose, they stay JSON Lines.
    assert all(json.loads(d) is not None and d.endswith(b"\n") and d.count(b"\n") == 1 for d in read)
    shards = client.list_shards(StreamName="shopware-web")["Shards"]
    assert len(shards) == 3


def test_dead_letter_to_moto_s3(moto_url: str, tmp_path: Path) -> None:
    s3 = boto3.client("s3", endpoint_url=moto_url, region_name="eu-central-1")
    s3.create_bucket(Bucket="dlq", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    settings = SinkSettings(dead_letter="s3://dlq/ingestion/deadletter", aws_endpoint_url=moto_url)
    records = [record_from_value("crm", {"customer_id": 1}), record_from_value("crm", {"customer_id": 2})]
    location = build_dead_letter(settings).write("crm", records, "ThrottlingException x2")
    assert location.startswith("s3://dlq/ingestion/deadletter/crm/")
    body = s3.get_object(Bucket="dlq", Key=location.removeprefix("s3://dlq/"))["Body"].read()
    lines = [json.loads(line) for line in body.splitlines()]
    assert [line["data"] for line in lines] == ['{"customer_id":1}', '{"customer_id":2}']
    assert {line["reason"] for line in lines} == {"ThrottlingException x2"}
