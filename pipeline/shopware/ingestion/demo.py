"""Demo data through the real services: simulator -> connectors, traffic -> webhooks -> local bronze.

Everything runs in this process on loopback ports, with modest faults switched on, and lands in the
lake's bronze exactly as the deployed services would; the pipeline run then reads it as usual.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import httpx

from shopware.connectors.service import run as run_connector
from shopware.connectors.settings import ConnectorSettings
from shopware.ingestion.loopback import serving
from shopware.ingestion.wiring import build_buffer
from shopware.simulator import app as simulator
from shopware.simulator.traffic import push
from shopware.webhooks import app as webhooks
from shopware.webhooks.settings import SERVICES, WebhookSettings

DEMO_FAULTS = {
    "error_rate": 0.05,
    "rate_limit_rate": 0.05,
    "retry_after_s": 0,
    "truncate_rate": 0.05,
    "duplicate_rate": 0.1,
}


def ingest_demo(
    lake: Path, *, seed: int = 0, pos: int = 2_000, inventory: int = 1_000, web: int = 2_000, crm: int = 1_000
) -> dict[str, int]:
    """Pull `pos`/`inventory` records through the connectors and push `web`/`crm` events through the
    webhook receivers into `lake`; return the records landed per source."""
    landed: dict[str, int] = {}
    sim = simulator.SimulatorSettings.model_validate(
        {"seed": seed, "pos_records": pos, "inventory_records": inventory} | DEMO_FAULTS
    )
    with serving(simulator.create_app(sim)) as url:
        for source in ("pos", "inventory"):
            pull = ConnectorSettings.model_validate(
                {"lake": lake, "base_url": url, "http_backoff_initial_s": 0.01}
            )
            run = run_connector(source, pull, once=True)
            landed[source] = run.landed if run else 0
    # A fresh secret per demo: the receivers and the generator share it, nothing is stored.
    secret = "whsec_" + base64.b64encode(os.urandom(24)).decode()
    for service, count in (("web-logs", web), ("crm-logs", crm)):
        source = SERVICES[service]
        settings = WebhookSettings.model_validate({"secrets": [secret], "lake": lake})
        app = webhooks.create_app(settings, service, build_buffer(settings, source))
        with serving(app) as url, httpx.Client(timeout=30) as client:
            result = push(
                client, f"{url}/events", source, secret=secret, count=count, rate=0, batch=100, seed=seed
            )
        landed[source] = result.events if result.all_accepted else 0
    return landed
