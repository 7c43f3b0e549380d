"""The ingestion commands of `shopware-pipeline`: `serve`, `connector` and `simulate`.

`register(app)` adds them to a Typer app; the pipeline CLI calls it, and `python -m shopware.ingestion`
runs them alone (what the service images do).
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Annotated

import typer


class WebhookService(StrEnum):
    """The webhook receivers."""

    WEB_LOGS = "web-logs"
    CRM_LOGS = "crm-logs"


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def serve(
    service: Annotated[WebhookService, typer.Argument(help="Which receiver to run.")],
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 in a container).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8080,
) -> None:
    """Serve a webhook receiver: POST /events, GET /health (settings: SHOPWARE_WEBHOOK_*, SHOPWARE_LAKE)."""
    from shopware.webhooks.server import serve as run

    _logging()
    run(service.value, host, port)


def register(app: typer.Typer) -> None:
    """Add the ingestion commands to `app`."""
    app.command("serve")(serve)
