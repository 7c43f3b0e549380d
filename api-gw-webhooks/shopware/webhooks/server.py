"""Runs a webhook receiver under uvicorn, flushing its buffer as soon as SIGTERM/SIGINT arrives."""

from __future__ import annotations

import threading
from types import FrameType

import uvicorn

from shopware.ingestion.buffer import BufferedSink
from shopware.ingestion.wiring import build_buffer
from shopware.webhooks.app import create_app
from shopware.webhooks.settings import SERVICES, WebhookSettings


class _DrainingServer(uvicorn.Server):
    """A uvicorn server that, on a shutdown signal, flushes the buffer at once.

    Without this, requests waiting for an age-based flush would hold up the graceful shutdown.
    """

    def __init__(self, config: uvicorn.Config, buffer: BufferedSink) -> None:
        super().__init__(config)
        self._buffer = buffer

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        # A thread, because the signal may interrupt this very thread while it holds the buffer's lock.
        threading.Thread(target=self._buffer.drain, daemon=True).start()
        super().handle_exit(sig, frame)


def serve(service: str, host: str, port: int) -> None:
    """Serve `service` (web-logs or crm-logs) with settings from the environment until a signal."""
    if service not in SERVICES:
        raise ValueError(f"unknown service {service!r}; expected one of {sorted(SERVICES)}")
    settings = WebhookSettings()
    buffer = build_buffer(settings, SERVICES[service])
    app = create_app(settings, service, buffer)
    _DrainingServer(uvicorn.Config(app, host=host, port=port, proxy_headers=True), buffer).run()
