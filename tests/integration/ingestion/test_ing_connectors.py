"""Connectors against the source simulator (real uvicorn on loopback) with faults switched on."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import httpx
import pytest
from ing_servers import kinesis_client, read_stream, serving

from shopware.connectors.service import run
from shopware.connectors.settings import ConnectorSettings
from shopware.connectors.source_api import HttpSourceApi, Position, SourceApiError
from shopware.ingestion.records import encode_pos_csv, record_from_value
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore
from shopware.simulator.app import SimulatorSettings, create_app, decode_cursor
from shopware.simulator.data import inventory_records, pos_records

FAULTS = {
    "error_rate": 0.12,
    "rate_limit_rate": 0.08,
    "retry_after_s": 0,
    "slow_rate": 0.1,
    "slow_s": 0.02,
    "truncate_rate": 0.12,
    "duplicate_rate": 0.3,
}


def _simulator(**kw: Any) -> Iterator[str]:
    settings = SimulatorSettings.model_validate({"pos_records": 300, "inventory_records": 250} | kw)
    with serving(create_app(settings)) as url:
        yield url


@pytest.fixture
def faulty_api() -> Iterator[str]:
    yield from _simulator(**FAULTS)


def _connector_settings(lake: Path, url: str, **kw: Any) -> ConnectorSettings:
    values = {"lake": lake, "base_url": url, "page_size": 7, "http_backoff_initial_s": 0.001} | kw
    return ConnectorSettings.model_validate(values)


def _pos_api(client: httpx.Client, waits: list[float], **kw: Any) -> HttpSourceApi:
    """The POS API client with its backoff waits recorded instead of slept."""
    options: dict[str, Any] = {"page_size": 5, "pagination": "cursor"} | kw
    return HttpSourceApi(client, "/pos/transactions", sleep=waits.append, **options)


def _pos_rows(lake: Path) -> list[dict[str, str]]:
    store = LocalObjectStore(lake)
    rows: list[dict[str, str]] = []
    for key in list_objects(store, "pos"):
        rows += csv.DictReader(io.StringIO(store.get(key).decode()))
    return rows


def _expected_pos_rows(n: int) -> list[dict[str, str]]:
    text = encode_pos_csv([record_from_value("pos", r) for r in pos_records(n)]).decode()
    return list(csv.DictReader(io.StringIO(text)))


def _key(row: dict[str, str]) -> str:
    return row["transaction_id"]


@pytest.mark.parametrize("pagination", ["cursor", "offset"])
def test_every_record_exactly_once_despite_faults(faulty_api: str, tmp_path: Path, pagination: str) -> None:
    settings = _connector_settings(tmp_path / "lake", faulty_api, pagination=pagination)
    result = run("pos", settings, once=True)
    assert result is not None
    assert result.ok
    assert result.duplicates > 0  # the simulator did repeat records, and they were dropped
    assert sorted(_pos_rows(tmp_path / "lake"), key=_key) == sorted(_expected_pos_rows(300), key=_key)
    again = run("pos", settings, once=True)
    assert again is not None
    assert again.landed == 0


def test_inventory_lands_json_lines(faulty_api: str, tmp_path: Path) -> None:
    result = run("inventory", _connector_settings(tmp_path / "lake", faulty_api), once=True)
    assert result is not None
    assert result.landed == 250
    store = LocalObjectStore(tmp_path / "lake")
    keys = list_objects(store, "inventory")
    assert all(k.endswith(".jsonl") for k in keys)
    landed = [json.loads(line) for k in keys for line in store.get(k).splitlines()]
    assert sorted(landed, key=lambda r: r["inventory_id"]) == inventory_records(250)


def test_retry_after_is_honoured(tmp_path: Path) -> None:
    for url in _simulator(rate_limit_rate=0.5, retry_after_s=7):
        waits: list[float] = []
        with httpx.Client(base_url=url) as client:
            api = _pos_api(client, waits, page_size=50, pagination="cursor", max_attempts=20)
            position, pages = Position(), 0
            while True:
                page = api.fetch(position)
                position, pages = page.next, pages + 1
                if not page.has_more:
                    break
        assert pages == 6
        assert waits
        assert set(waits) == {7.0}


def test_client_errors_stop_at_once(tmp_path: Path) -> None:
    for url in _simulator(token="s3cret"):
        waits: list[float] = []
        with httpx.Client(base_url=url) as client:
            api = _pos_api(client, waits, page_size=5, pagination="cursor")
            with pytest.raises(SourceApiError, match="HTTP 401"):
                api.fetch(Position())
        assert waits == []
        settings = _connector_settings(tmp_path / "lake", url, auth_token="s3cret")
        result = run("pos", settings, once=True)
        assert result is not None
        assert result.landed == 300


def _progress(path: Path) -> int:
    try:
        state = json.loads(path.read_text())
    except (FileNotFoundError, json.JSONDecodeError):
        return 0
    return decode_cursor(state["cursor"]) if state.get("cursor") else 0


def test_sigkill_mid_run_then_restart_delivers_each_record_once(tmp_path: Path) -> None:
    lake = tmp_path / "lake"
    env = os.environ | {
        "SHOPWARE_LAKE": str(lake),
        "SHOPWARE_CONNECTOR_PAGE_SIZE": "7",
        "SHOPWARE_CONNECTOR_HTTP_BACKOFF_INITIAL_S": "0.001",
    }
    watermark = lake / "_state" / "connectors" / "pos.json"
    for url in _simulator(**(FAULTS | {"slow_rate": 0.5, "slow_s": 0.03})):
        cmd = [sys.executable, "-m", "shopware.ingestion", "connector", "pos", "--once", "--base-url", url]
        kills = 0
        for target in (60, 180):  # kill twice, at different points of the run
            proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            deadline = time.monotonic() + 60
            while _progress(watermark) < target and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.005)
            if proc.poll() is None:
                proc.send_signal(signal.SIGKILL)
                kills += 1
            proc.wait(10)
        assert kills == 2
        assert 0 < _progress(watermark) < 300
        finish = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=120)
        assert finish.returncode == 0, finish.stderr
    rows = _pos_rows(lake)
    assert len(rows) == len({_key(r) for r in rows}) == 300
    assert sorted(rows, key=_key) == sorted(_expected_pos_rows(300), key=_key)


def test_connector_to_moto_kinesis_reads_back_exactly_once(
    moto_url: str, faulty_api: str, tmp_path: Path
) -> None:
    kinesis = kinesis_client(moto_url)
    kinesis.create_stream(StreamName="shopware-pos", ShardCount=2)
    s3 = boto3.client("s3", endpoint_url=moto_url, region_name="eu-central-1")
    s3.create_bucket(Bucket="state", CreateBucketConfiguration={"LocationConstraint": "eu-central-1"})
    settings = _connector_settings(
        tmp_path / "lake",
        faulty_api,
        sink="kinesis",
        kinesis_stream="shopware-pos",
        aws_endpoint_url=moto_url,
        watermark="s3://state/connectors/pos.json",
    )
    result = run("pos", settings, once=True)
    assert result is not None
    assert result.landed == 300
    read = read_stream(kinesis, "shopware-pos")
    assert sorted(read) == sorted(record_from_value("pos", r).payload for r in pos_records(300))
    assert len(read) == len(set(read))
    state = json.loads(s3.get_object(Bucket="state", Key="connectors/pos.json")["Body"].read())
    assert decode_cursor(state["cursor"]) == 300
    again = run("pos", settings, once=True)
    assert again is not None
    assert again.landed == 0
    assert len(read_stream(kinesis, "shopware-pos")) == 300


def test_exhausted_retries_stop_with_a_clear_error(tmp_path: Path) -> None:
    for url in _simulator(error_rate=1.0, retry_after_s=0):
        waits: list[float] = []
        with httpx.Client(base_url=url) as client:
            api = _pos_api(client, waits, page_size=5, pagination="offset", max_attempts=3)
            with pytest.raises(SourceApiError, match=r"still failing after retries: HTTP 5\d\d"):
                api.fetch(Position())
        assert waits == [0.0, 0.0]  # Retry-After: 0, honoured between the three attempts
