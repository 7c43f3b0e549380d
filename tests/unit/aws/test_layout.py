"""Routing lake keys to buckets, and bronze keys as Firehose names them."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path

import pytest

from shopware.aws.layout import S3LakeLayout
from shopware.pipeline.bronze import list_objects, read_object, received_at_of
from shopware.pipeline.settings import PipelineSettings
from shopware.pipeline.storage import LocalObjectStore

FIREHOSE_KEY = (
    "bronze/pos/year=2026/month=11/day=20/hour=10/"
    "shopware-pos-1-2026-11-20-10-15-30-0b7a3c52-9d1e-4f6a-8b2c-3d4e5f6a7b8c.gz"
)


def test_each_layer_goes_to_its_bucket_and_the_rest_to_the_lake_bucket() -> None:
    layout = S3LakeLayout.of("meta", "/lake/", bronze="b", silver="s", gold="g", quarantine=None)
    assert layout.locate("bronze/pos/x.csv") == ("b", "lake/bronze/pos/x.csv")
    assert layout.locate("silver/pos_sales/") == ("s", "lake/silver/pos_sales/")
    assert layout.locate("quarantine/web/run=1/part-0.parquet") == (
        "meta",
        "lake/quarantine/web/run=1/part-0.parquet",
    )
    assert layout.locate("_meta/runs/r.json") == ("meta", "lake/_meta/runs/r.json")
    assert layout.locate("dead-letters/web/e.json") == ("meta", "lake/dead-letters/web/e.json")
    assert layout.uri("gold/revenue_daily") == "s3://g/lake/gold/revenue_daily"
    assert layout.root_uri("gold") == "s3://g/lake"
    assert S3LakeLayout("one").root_uri("gold") == "s3://one"


def test_an_unknown_layer_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown lake layers"):
        S3LakeLayout("meta", "", {"platinum": "p"})


def test_settings_choose_the_s3_lake(monkeypatch: pytest.MonkeyPatch) -> None:
    assert PipelineSettings().s3_layout() is None
    monkeypatch.setenv("SHOPWARE_LAKE_BUCKET", "meta")
    monkeypatch.setenv("SHOPWARE_LAKE_PREFIX", "p")
    monkeypatch.setenv("SHOPWARE_LAKE_GOLD_BUCKET", "gold-bucket")
    assert PipelineSettings().s3_layout() == S3LakeLayout("meta", "p", {"gold": "gold-bucket"})


def test_firehose_objects_are_listed_in_arrival_order_and_read_decompressed(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put(FIREHOSE_KEY, gzip.compress(b'{"transaction_id": "t1"}\n'))
    landed = "bronze/pos/year=2026/month=11/day=20/hour=10/pos-20261120T101531000000Z-0123456789ab.csv"
    earlier = "bronze/pos/year=2026/month=11/day=20/hour=10/pos-20261120T101529000000Z-0123456789ab.csv"
    store.put(landed, b"")
    store.put(earlier, b"")
    assert received_at_of(FIREHOSE_KEY) == datetime(2026, 11, 20, 10, 15, 30, tzinfo=UTC)
    assert list_objects(store, "pos") == [earlier, FIREHOSE_KEY, landed]
    assert read_object(store, FIREHOSE_KEY) == b'{"transaction_id": "t1"}\n'
