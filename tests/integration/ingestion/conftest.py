"""Local servers for the ingestion integration tests: moto (server mode) on a free loopback port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shopware.aws.local import moto_server


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Dummy credentials: moto accepts any, and nothing may reach a real AWS account."""
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-central-1",
    }.items():
        monkeypatch.setenv(name, value)


@pytest.fixture
def moto_url(aws_env: None) -> Iterator[str]:
    with moto_server() as url:
        yield url
