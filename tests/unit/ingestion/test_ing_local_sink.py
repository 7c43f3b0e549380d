"""The local bronze sink: one durable object per put, in the core's layout and framing."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from shopware.ingestion.records import parse_body, record_from_value
from shopware.ingestion.sinks import LocalBronzeSink
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore


def test_web_records_land_as_json_lines_exactly(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    body = b'[{"session_id": "a", "page": "x?y=1"}, {"session_id":"b","extra":true}]'
    report = LocalBronzeSink(store, "web").put(parse_body("web", body))
    assert report.delivered == 2
    [key] = list_objects(store, "web")
    assert key.startswith("bronze/web/year=")
    assert key.endswith(".jsonl")
    assert store.get(key) == b'{"session_id": "a", "page": "x?y=1"}\n{"session_id":"b","extra":true}\n'


def test_pos_records_land_as_contract_csv(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    value = {"transaction_id": "T1", "store_id": 1, "product_id": 2, "quantity": 1, "revenue": 3.0,
             "discount_applied": None, "timestamp": 1.7e9}  # fmt: skip
    LocalBronzeSink(store, "pos").put([record_from_value("pos", value)])
    [key] = list_objects(store, "pos")
    assert key.endswith(".csv")
    rows = list(csv.DictReader(io.StringIO(store.get(key).decode())))
    assert rows == [{k: ("" if v is None else str(v)) for k, v in value.items()}]


def test_identical_put_is_landed_once_when_asked(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    records = [record_from_value("inventory", {"inventory_id": 1})]
    for skip, expected in ((True, 1), (False, 3)):
        sink = LocalBronzeSink(store, "inventory", skip_identical=skip)
        sink.put(records)
        sink.put(records)
        assert len(list_objects(store, "inventory")) == expected


def test_empty_put_lands_nothing(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    assert LocalBronzeSink(store, "crm").put([]).delivered == 0
    assert list_objects(store, "crm") == []


def test_durable_write_is_fsynced(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    synced: list[int] = []
    real = os.fsync

    def fsync(fd: int) -> None:
        synced.append(fd)
        real(fd)

    monkeypatch.setattr(os, "fsync", fsync)
    LocalBronzeSink(LocalObjectStore(tmp_path), "web").put([record_from_value("web", {"session_id": "a"})])
    assert len(synced) >= 2  # the file, then its directory
