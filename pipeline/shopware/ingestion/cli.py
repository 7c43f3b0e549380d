"""The ingestion commands of `shopware-pipeline`: `serve`, `connector` and `simulate`.

`register(app)` adds them to a Typer app; the pipeline CLI calls it, and `python -m shopware.ingestion`
runs them alone (what the service images do). Settings come from the environment (see
docs/ingestion.md); a missing or malformed setting stops the command before it starts.
"""

from __future__ import annotations

import logging
from enum import StrEnum
from typing import Annotated

import typer
from pydantic import ValidationError


class WebhookService(StrEnum):
    """The webhook receivers."""

    WEB_LOGS = "web-logs"
    CRM_LOGS = "crm-logs"


class BatchSource(StrEnum):
    """The batch connectors."""

    POS = "pos"
    INVENTORY = "inventory"


def _logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")


def _bad_settings(exc: ValidationError) -> typer.Exit:
    typer.echo(f"invalid settings: {exc}", err=True)
    return typer.Exit(2)


def serve(
    service: Annotated[WebhookService, typer.Argument(help="Which receiver to run.")],
    host: Annotated[str, typer.Option(help="Interface to bind (0.0.0.0 in a container).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8080,
) -> None:
    """Serve a webhook receiver: POST /events, GET /health (settings: SHOPWARE_WEBHOOK_*, SHOPWARE_LAKE)."""
    from shopware.webhooks.server import serve as run

    _logging()
    try:
        run(service.value, host, port)
    except ValidationError as exc:
        raise _bad_settings(exc) from None


def connector(
    source: Annotated[BatchSource, typer.Argument(help="Which source to pull.")],
    once: Annotated[bool, typer.Option("--once", help="One run, then exit (for a scheduled task).")] = False,
    base_url: Annotated[
        str | None, typer.Option(help="Source API base URL (SHOPWARE_CONNECTOR_BASE_URL).")
    ] = None,
) -> None:
    """Pull a source API into the sink from the saved watermark (settings: SHOPWARE_CONNECTOR_*)."""
    from shopware.connectors.service import run
    from shopware.connectors.settings import ConnectorSettings
    from shopware.connectors.source_api import SourceApiError

    _logging()
    try:
        settings = ConnectorSettings(base_url=base_url) if base_url else ConnectorSettings()
    except ValidationError as exc:
        raise _bad_settings(exc) from None
    try:
        result = run(source.value, settings, once=once)
    except SourceApiError as exc:
        typer.echo(f"{source.value}: {exc}", err=True)
        raise typer.Exit(3) from None
    if result is not None:
        typer.echo(
            f"{source.value}: {result.pages} pages, {result.fetched} fetched, {result.landed} landed, "
            f"{result.duplicates} duplicates dropped, {result.dead_lettered} dead-lettered"
            + (" (interrupted)" if result.interrupted else "")
        )
        if not result.ok:
            typer.echo(f"dead-lettered records are in: {', '.join(result.dead_letter_locations)}", err=True)
            raise typer.Exit(1)


simulate = typer.Typer(
    help="Simulated sources: the POS/inventory API and webhook traffic.", no_args_is_help=True
)


@simulate.command("source-api")
def source_api(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8070,
) -> None:
    """Serve the simulated POS and inventory APIs (data and faults: SHOPWARE_SIMULATOR_*)."""
    import uvicorn

    from shopware.simulator.app import SimulatorSettings, create_app

    _logging()
    try:
        settings = SimulatorSettings()
    except ValidationError as exc:
        raise _bad_settings(exc) from None
    uvicorn.run(create_app(settings), host=host, port=port)


@simulate.command("traffic")
def traffic(
    service: Annotated[WebhookService, typer.Argument(help="Which receiver to send to.")],
    url: Annotated[str, typer.Option(help="The receiver's events URL.")] = "http://127.0.0.1:8080/events",
    count: Annotated[int, typer.Option(min=1, help="Events to send.")] = 500,
    rate: Annotated[float, typer.Option(min=0, help="Events per second (0: as fast as possible).")] = 50.0,
    batch: Annotated[int, typer.Option(min=1, max=5000, help="Events per request.")] = 1,
    seed: Annotated[int, typer.Option(help="Seed of the generated events.")] = 0,
    unsigned: Annotated[bool, typer.Option("--unsigned", help="Send without signatures.")] = False,
) -> None:
    """Push generated web or CRM events to a receiver, signed with the first of SHOPWARE_WEBHOOK_SECRETS."""
    import httpx

    from shopware.simulator.traffic import push
    from shopware.webhooks.settings import SERVICES, WebhookSettings

    secret = None
    if not unsigned:
        try:
            secret = WebhookSettings().secrets[0]
        except (ValidationError, IndexError):
            typer.echo("set SHOPWARE_WEBHOOK_SECRETS (or pass --unsigned)", err=True)
            raise typer.Exit(2) from None
    with httpx.Client(timeout=30) as client:
        result = push(
            client,
            url,
            SERVICES[service.value],
            secret=secret,
            count=count,
            rate=rate,
            batch=batch,
            seed=seed,
        )
    answers = ", ".join(f"{n}x {status}" for status, n in sorted(result.statuses.items()))
    typer.echo(f"{result.events} events in {result.requests} requests, {result.seconds:.1f} s: {answers}")
    if not result.all_accepted:
        raise typer.Exit(1)


@simulate.command("demo")
def demo(
    seed: Annotated[int, typer.Option(help="Seed of the generated data.")] = 0,
) -> None:
    """Run the simulator, connectors and receivers on loopback and land demo data in SHOPWARE_LAKE."""
    from shopware.ingestion.demo import ingest_demo
    from shopware.ingestion.settings import SinkSettings

    _logging()
    lake = SinkSettings().lake
    landed = ingest_demo(lake, seed=seed)
    typer.echo(f"landed in {lake}: " + ", ".join(f"{n} {source}" for source, n in landed.items()))


def register(app: typer.Typer) -> None:
    """Add the ingestion commands to `app`: serve, connector and simulate (source-api, traffic, demo)."""
    app.command("serve")(serve)
    app.command("connector")(connector)
    app.add_typer(simulate, name="simulate")
