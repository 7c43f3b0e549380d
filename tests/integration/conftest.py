"""Shared integration fixtures: real local servers, started per test session and stopped by PID."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from shopware.aws.local import moto_server
from shopware.warehouse.local_postgres import throwaway_postgres


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A throwaway PostgreSQL cluster (`shopware.warehouse.local_postgres`); yields its superuser conninfo."""
    with throwaway_postgres() as dsn:
        yield dsn


@pytest.fixture(scope="session")
def moto_endpoint() -> Iterator[str]:
    """A moto server (all AWS APIs) on a free loopback port; yields its endpoint URL.

    Clients need `endpoint_url=` and a region; the fixture sets dummy credentials for the session.
    """
    saved = {
        k: os.environ.get(k) for k in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_DEFAULT_REGION")
    }
    os.environ.update(
        {
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "eu-west-1",
        }
    )
    try:
        with moto_server() as endpoint:
            yield endpoint
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
