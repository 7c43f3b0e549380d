"""`make local-aws-demo`: the AWS streaming path on this machine, from webhook to warehouse, then gone.

It starts a moto server (Kinesis, S3) and a throwaway PostgreSQL (the warehouse, as Redshift's
stand-in), creates the streams and the lake's per-layer buckets, serves the real webhook receivers on
loopback with their Kinesis sink, pushes signed generated traffic, delivers the streams to the real
stream Lambda handlers (in-process: moto cannot run Lambda, see `shopware.aws.local`) with their lake
in S3 and warehouse loading on, prints what landed in each bucket and a marketing and a support mart,
and shuts everything down. Nothing is kept.
"""

from __future__ import annotations

import argparse
import base64
import logging
import os
import secrets
import tempfile
from collections.abc import Sequence
from pathlib import Path

import boto3
import httpx
from psycopg import conninfo
from pydantic import SecretStr
from rich.console import Console
from rich.table import Table

from shopware.aws.layout import LAYERS, S3LakeLayout
from shopware.aws.loading import WarehouseLoader
from shopware.aws.local import create_lake_buckets, create_stream, event_source, moto_server
from shopware.aws.runtime import handle_kinesis_event
from shopware.aws.settings import StreamSettings
from shopware.ingestion.loopback import serving
from shopware.ingestion.wiring import build_buffer
from shopware.simulator.traffic import push
from shopware.warehouse.adapter import connect
from shopware.warehouse.admin import setup_warehouse
from shopware.warehouse.local_postgres import throwaway_postgres
from shopware.warehouse.settings import WarehouseConfig, WarehouseSettings, load_config
from shopware.warehouse.sql import Dialect
from shopware.webhooks.app import create_app
from shopware.webhooks.settings import SERVICES, WebhookSettings

REGION = "eu-west-1"
LAYOUT = S3LakeLayout("shopware-lake", "", {layer: f"shopware-{layer}" for layer in LAYERS})
MARTS = {
    "marketing.session_metrics_daily": [
        "session_date",
        "sessions",
        "avg_session_duration_s",
        "bounce_rate_pct",
    ],
    "support.interaction_volume_daily": ["date", "interaction_type", "channel", "interactions"],
}


def _warehouse(dsn: str) -> WarehouseConfig:
    """The throwaway cluster as the warehouse settings, with the marts, roles and grants created."""
    params = conninfo.conninfo_to_dict(dsn)
    config = load_config(
        WarehouseSettings(
            engine=Dialect.POSTGRES,
            host=str(params["host"]),
            port=int(str(params["port"])),
            database=str(params["dbname"]),
            user=str(params["user"]),
            password=SecretStr(str(params["password"])),
        )
    )
    admin = connect(config)
    try:
        setup_warehouse(admin)
    finally:
        admin.close()
    return config


def _print_table(console: Console, title: str, names: list[str], rows: Sequence[Sequence[object]]) -> None:
    table = Table(*names, title=title)
    for row in rows:
        table.add_row(*("" if v is None else f"{v:.2f}" if isinstance(v, float) else str(v) for v in row))
    console.print(table)


def run_local_aws_demo(console: Console, *, events: int, seed: int) -> None:
    """Run the whole flow once with `events` generated events per stream; print what it produced."""
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    with moto_server() as endpoint, throwaway_postgres() as dsn, tempfile.TemporaryDirectory() as work:
        console.print(f"moto (Kinesis, S3) at {endpoint}; PostgreSQL warehouse up")
        s3 = boto3.client("s3", endpoint_url=endpoint, region_name=REGION)
        kinesis = boto3.client("kinesis", endpoint_url=endpoint, region_name=REGION)
        create_lake_buckets(s3, LAYOUT, REGION)
        streams = {source: f"shopware-{source}" for source in SERVICES.values()}
        for stream in streams.values():
            create_stream(kinesis, stream)
        config = _warehouse(dsn)

        for service, source in SERVICES.items():
            sink = WebhookSettings.model_validate(
                {
                    "secrets": [secret],
                    "lake": Path(work) / "unused",
                    "sink": "kinesis",
                    "kinesis_stream": streams[source],
                    "aws_region": REGION,
                    "aws_endpoint_url": endpoint,
                    "dead_letter": str(Path(work) / "dead-letters"),
                }
            )
            app = create_app(sink, service, build_buffer(sink, source))
            with serving(app) as url, httpx.Client(timeout=30) as client:
                sent = push(
                    client, f"{url}/events", source, secret=secret, count=events, rate=0, batch=50, seed=seed
                )
            console.print(
                f"{service}: {sent.events} signed events in {sent.requests} requests -> {streams[source]}"
            )

        settings = StreamSettings(
            lake=Path(work) / "lambda",
            lake_bucket=LAYOUT.bucket,
            lake_bronze_bucket=LAYOUT.layer_buckets["bronze"],
            lake_silver_bucket=LAYOUT.layer_buckets["silver"],
            lake_gold_bucket=LAYOUT.layer_buckets["gold"],
            lake_quarantine_bucket=LAYOUT.layer_buckets["quarantine"],
            s3_endpoint_url=endpoint,
        )
        loader = WarehouseLoader(config)
        for source, stream in streams.items():
            batches = [
                handle_kinesis_event(event, None, source, settings, loader=loader)
                for event in event_source(kinesis, stream, batch_size=100)
            ]
            failed = sum(len(b["batchItemFailures"]) for b in batches)
            console.print(f"{source} Lambda: {len(batches)} Kinesis batches, {failed} failed records")

        buckets = sorted({LAYOUT.bucket, *LAYOUT.layer_buckets.values()})
        counts = [(b, s3.list_objects_v2(Bucket=b).get("KeyCount", 0)) for b in buckets]
        _print_table(console, "S3 lake (first 1000 keys counted)", ["bucket", "objects"], counts)
        admin = connect(config)
        try:
            for mart, columns in MARTS.items():
                rows = admin.query(
                    f"SELECT {', '.join(columns)} FROM {mart} ORDER BY {', '.join(columns[:3])}"
                )
                _print_table(console, mart, columns, rows)
        finally:
            admin.close()
    console.print("moto and PostgreSQL stopped; nothing kept")


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m shopware.aws.demo [--events N] [--seed S]`."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--events", type=int, default=500, help="generated events per stream")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    # moto takes any credentials; these keep boto3 from looking for real ones.
    os.environ.update(
        {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": REGION}
    )
    os.environ.pop("AWS_SESSION_TOKEN", None)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # moto's request log
    run_local_aws_demo(Console(), events=args.events, seed=args.seed)


if __name__ == "__main__":
    main()
