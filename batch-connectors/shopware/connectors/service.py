"""Wires a connector from its settings and runs it once or on its schedule, stopping on SIGTERM/SIGINT."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

import httpx

from shopware.connectors.connector import RunResult, run_once, run_scheduled
from shopware.connectors.settings import ConnectorSettings
from shopware.connectors.source_api import HttpSourceApi
from shopware.connectors.watermark import LocalWatermarkStore, S3WatermarkStore, WatermarkStore
from shopware.ingestion.wiring import aws_client, build_sink, split_s3_uri

SOURCES = ("pos", "inventory")


def build_watermarks(settings: ConnectorSettings, source: str) -> WatermarkStore:
    """The watermark store of `settings`: an S3 object or a local file."""
    location = settings.watermark_location(source)
    if location.startswith("s3://"):
        return S3WatermarkStore(aws_client("s3", settings), *split_s3_uri(location))
    return LocalWatermarkStore(Path(location))


def http_client(settings: ConnectorSettings) -> httpx.Client:
    """The HTTP client of the source API, with its auth header when a token is configured."""
    headers = {}
    if settings.auth_token is not None:
        token = settings.auth_token.get_secret_value()
        headers[settings.auth_header] = f"{settings.auth_scheme} {token}".strip()
    return httpx.Client(base_url=settings.base_url, headers=headers, timeout=settings.timeout_s)


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    """An event set by SIGTERM/SIGINT while the block runs (previous handlers restored after)."""
    stop = threading.Event()

    def handler(sig: int, frame: FrameType | None) -> None:
        stop.set()  # the current page is finished and its watermark saved before the run ends

    if threading.current_thread() is not threading.main_thread():
        yield stop  # signals reach the main thread only
        return
    previous = {sig: signal.signal(sig, handler) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


def run(source: str, settings: ConnectorSettings, *, once: bool) -> RunResult | None:
    """Run the `source` connector once (returning what it did) or on its schedule until a signal."""
    if source not in SOURCES:
        raise ValueError(f"unknown batch source {source!r}; expected one of {SOURCES}")
    sink = build_sink(settings, source, skip_identical=True)
    watermarks = build_watermarks(settings, source)
    with _stop_on_signals() as stop, http_client(settings) as client:
        api = HttpSourceApi(
            client,
            settings.api_path(source),
            page_size=settings.page_size,
            pagination=settings.pagination,
            max_attempts=settings.http_max_attempts,
            backoff_initial_s=settings.http_backoff_initial_s,
            backoff_max_s=settings.http_backoff_max_s,
        )
        if once:
            return run_once(source, api, sink, watermarks, dedupe_window=settings.dedupe_window, stop=stop)
        run_scheduled(
            source,
            api,
            sink,
            watermarks,
            interval_s=settings.schedule_s(source),
            dedupe_window=settings.dedupe_window,
            stop=stop,
            heartbeat=lambda: _touch(settings.heartbeat_file),
        )
    return None


def _touch(path: Path | None) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
