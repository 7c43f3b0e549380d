"""The ingestion commands as registered on a Typer app (what the pipeline CLI does with `register`)."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from ing_servers import serving
from typer.testing import CliRunner

from shopware.ingestion.cli import register
from shopware.ingestion.wiring import build_buffer
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore
from shopware.simulator.app import SimulatorSettings, create_app
from shopware.webhooks import app as webhook_app
from shopware.webhooks.settings import WebhookSettings

SECRET = "whsec_" + base64.b64encode(b"cli-test-key").decode()


@pytest.fixture
def cli() -> typer.Typer:
    app = typer.Typer()

    @app.callback()
    def main() -> None:
        """Stand-in for the pipeline CLI."""

    register(app)
    return app


@pytest.fixture
def receiver(tmp_path: Path) -> Iterator[str]:
    settings = WebhookSettings.model_validate({"secrets": [SECRET], "lake": tmp_path / "lake"})
    with serving(webhook_app.create_app(settings, "web-logs", build_buffer(settings, "web"))) as url:
        yield url


def test_commands_are_registered(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in ("serve", "connector", "simulate"):
        assert command in result.output
    sub = CliRunner().invoke(cli, ["simulate", "--help"])
    assert "source-api" in sub.output
    assert "traffic" in sub.output


def test_traffic_generator_pushes_signed_events(cli: typer.Typer, receiver: str, tmp_path: Path) -> None:
    args = ["simulate", "traffic", "web-logs", "--url", f"{receiver}/events", "--count", "45", "--rate", "0"]
    result = CliRunner().invoke(cli, [*args, "--batch", "10"], env={"SHOPWARE_WEBHOOK_SECRETS": SECRET})
    assert result.exit_code == 0, result.output
    assert "45 events in 5 requests" in result.output
    store = LocalObjectStore(tmp_path / "lake")
    assert sum(len(store.get(k).splitlines()) for k in list_objects(store, "web")) == 45


def test_traffic_generator_reports_refusals(cli: typer.Typer, receiver: str) -> None:
    args = ["simulate", "traffic", "web-logs", "--url", f"{receiver}/events", "--count", "3", "--unsigned"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 1
    assert "3x 401" in result.output


def test_connector_command_once(cli: typer.Typer, tmp_path: Path) -> None:
    sim = create_app(SimulatorSettings.model_validate({"pos_records": 40}))
    with serving(sim) as url:
        env = {"SHOPWARE_LAKE": str(tmp_path / "lake"), "SHOPWARE_CONNECTOR_PAGE_SIZE": "15"}
        result = CliRunner().invoke(cli, ["connector", "pos", "--once", "--base-url", url], env=env)
    assert result.exit_code == 0, result.output
    assert "pos: 3 pages, 40 fetched, 40 landed" in result.output


def test_missing_secrets_fail_fast(cli: typer.Typer) -> None:
    result = CliRunner().invoke(cli, ["serve", "web-logs"], env={"SHOPWARE_WEBHOOK_SECRETS": ""})
    assert result.exit_code == 2
    assert "SHOPWARE_WEBHOOK_SECRETS is required" in result.output


def test_demo_lands_every_source_through_the_services(tmp_path: Path) -> None:
    from shopware.ingestion.demo import ingest_demo

    lake = tmp_path / "lake"
    landed = ingest_demo(lake, pos=120, inventory=80, web=150, crm=60)
    assert landed == {"pos": 120, "inventory": 80, "web": 150, "crm": 60}
    store = LocalObjectStore(lake)
    lines = {s: sum(len(store.get(k).splitlines()) for k in list_objects(store, s)) for s in landed}
    pos_headers = len(list_objects(store, "pos"))  # one CSV header line per object
    assert lines == {"pos": 120 + pos_headers, "inventory": 80, "web": 150, "crm": 60}
