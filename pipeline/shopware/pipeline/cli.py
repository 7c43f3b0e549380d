"""`shopware-pipeline`: land files, run the pipeline, query the warehouse, run the demo."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from shopware.alerts.settings import sink_from_settings
from shopware.alerts.sinks import AlertSink, JsonLinesAlertSink
from shopware.aws.working_copy import bronze_store, lake_of_record
from shopware.ingestion.cli import register as register_ingestion
from shopware.pipeline.bronze import land_files
from shopware.pipeline.runner import RunSummary, run_pipeline
from shopware.pipeline.settings import PipelineSettings
from shopware.pipeline.warehouse import query as run_query
from shopware.transforms.contracts import SOURCES
from shopware.warehouse import cli as warehouse_cli

app = typer.Typer(
    help="Shopware data pipeline: bronze -> silver -> gold -> team marts.", no_args_is_help=True
)
app.add_typer(warehouse_cli.app, name="warehouse")
register_ingestion(app)
console = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


@app.callback()
def main(
    ctx: typer.Context,
    lake: Annotated[
        Path | None,
        typer.Option(help="Lake directory (default: $SHOPWARE_LAKE or ./lake).", show_default=False),
    ] = None,
) -> None:
    """Read the settings once; `--lake` overrides SHOPWARE_LAKE."""
    settings = PipelineSettings()
    if lake is not None:
        settings = settings.model_copy(update={"lake": lake})
        # The ingestion services read their own settings (SHOPWARE_LAKE) when they start.
        os.environ["SHOPWARE_LAKE"] = str(lake)
    ctx.obj = settings


def _settings(ctx: typer.Context) -> PipelineSettings:
    settings: PipelineSettings = ctx.obj
    return settings


@app.command()
def ingest(
    ctx: typer.Context,
    source: Annotated[str, typer.Argument(help=f"One of: {', '.join(SOURCES)}.")],
    paths: Annotated[list[Path], typer.Argument(help="Export files, landed in the order given.")],
) -> None:
    """Land export files into bronze, unchanged. A file already landed (same bytes) is skipped."""
    if source not in SOURCES:
        err.print(f"[red]unknown source {source!r}[/]; expected one of {', '.join(SOURCES)}")
        raise typer.Exit(2)
    try:
        landed = land_files(bronze_store(_settings(ctx)), source, paths)
    except (ValueError, OSError) as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    for path, obj in zip(paths, landed, strict=True):
        if obj is None:
            console.print(f"[yellow]skipped[/] {path} (already landed)")
        else:
            console.print(f"[green]landed[/] {path} -> {obj.key}")


def _print_summary(summary: RunSummary) -> None:
    table = Table(title=f"run {summary.run_id}")
    for col in ("source", "objects", "read", "accepted", "quarantined", "duplicates", "silver rows", "dates"):
        table.add_column(col, justify="right" if col != "source" else "left")
    for name, s in summary.sources.items():
        table.add_row(
            name,
            *(
                str(v)
                for v in (
                    s.objects,
                    s.read,
                    s.accepted,
                    s.quarantined,
                    s.duplicates,
                    s.unique_total,
                    s.touched_dates,
                )
            ),
        )
    console.print(table)
    for source, reasons in summary.reasons.items():
        listed = ", ".join(f"{reason} ({n})" for reason, n in sorted(reasons.items(), key=lambda kv: -kv[1]))
        console.print(f"[yellow]quarantined[/] {source}: {listed}")
    for problem in summary.file_problems:
        console.print(f"[red]problem[/] {problem}")
    refreshed = {k: v for k, v in summary.gold_partitions.items() if v}
    console.print(
        f"gold: {len(refreshed)} tables refreshed, {sum(refreshed.values())} partitions"
        + (f" ({', '.join(f'{k}:{v}' for k, v in refreshed.items())})" if refreshed else "")
    )
    if summary.new_stock_alerts:
        console.print(f"[yellow]{summary.new_stock_alerts} new stock alerts published[/]")
    console.print("timings: " + ", ".join(f"{k} {v:.2f}s" for k, v in summary.timings_s.items()))


def alert_sink(settings: PipelineSettings) -> AlertSink:
    """The configured alert channels (SHOPWARE_ALERTS_*), else a JSON Lines log inside the lake."""
    try:
        return sink_from_settings()
    except ValueError:
        return JsonLinesAlertSink(settings.lake / "_meta" / "alerts.jsonl")


def execute_run(settings: PipelineSettings) -> RunSummary:
    """Run the pipeline with a progress display."""
    with Progress(
        TextColumn("{task.description:<10}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        tasks: dict[str, int] = {}

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total)
            bar.update(tasks[stage], completed=done, total=total)  # type: ignore[arg-type]

        return run_pipeline(settings, report, alert_sink(settings))


@app.command()
def run(ctx: typer.Context) -> None:
    """Process everything new: bronze -> silver -> gold -> warehouse (S3 lake: SHOPWARE_LAKE_BUCKET)."""
    settings = _settings(ctx)
    with lake_of_record(settings):
        summary = execute_run(settings)
    _print_summary(summary)


@app.command()
def query(
    ctx: typer.Context, sql: Annotated[str, typer.Argument(help="SQL to run on the warehouse.")]
) -> None:
    """Ad-hoc SQL against the warehouse (read-only), printed as a table."""
    import duckdb

    try:
        names, rows = run_query(_settings(ctx).warehouse_path(), sql)
    except (FileNotFoundError, duckdb.Error) as exc:
        err.print(f"[red]{exc}[/]")
        raise typer.Exit(1) from None
    table = Table(*names)
    for row in rows:
        table.add_row(*("" if v is None else str(v) for v in row))
    console.print(table)


@app.command()
def demo(
    ctx: typer.Context,
    days: Annotated[int, typer.Option(help="Days of synthetic data.")] = 3,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 7,
) -> None:
    """Generate realistic synthetic data for all sources, run the pipeline, print every team's KPIs."""
    from shopware.pipeline.demo import run_demo

    run_demo(
        _settings(ctx), days=days, seed=seed, console=console, execute=execute_run, summarise=_print_summary
    )
