"""The webhook receivers under a real uvicorn on loopback, landing into a local lake."""

from __future__ import annotations

import base64
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ing_servers import serving

from shopware.ingestion.wiring import build_buffer
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore
from shopware.webhooks.app import create_app
from shopware.webhooks.settings import WebhookSettings
from shopware.webhooks.signature import signed_headers

SECRET = "whsec_" + base64.b64encode(b"integration-test-key-000000000001").decode()
ROTATED = "whsec_" + base64.b64encode(b"integration-test-key-000000000002").decode()


def _settings(lake: Path, **kw: object) -> WebhookSettings:
    values: dict[str, object] = {"secrets": [SECRET, ROTATED], "lake": lake, "buffer_max_age_s": 0.01}
    return WebhookSettings.model_validate(values | kw)


@pytest.fixture
def lake(tmp_path: Path) -> Path:
    return tmp_path / "lake"


@pytest.fixture
def url(lake: Path) -> Iterator[str]:
    settings = _settings(lake, max_body_bytes=64 * 1024)
    with serving(create_app(settings, "web-logs", build_buffer(settings, "web"))) as base:
        yield base


def _post(
    url: str, body: bytes, *, secret: str = SECRET, ts: int | None = None, msg_id: str | None = None,
    content_type: str = "application/json",
) -> httpx.Response:  # fmt: skip
    headers = signed_headers(secret, msg_id or f"msg_{uuid.uuid4().hex}", ts or int(time.time()), body)
    return httpx.post(f"{url}/events", content=body, headers=headers | {"content-type": content_type})


def _landed(lake: Path, source: str = "web") -> list[bytes]:
    store = LocalObjectStore(lake)
    return [line for key in list_objects(store, source) for line in store.get(key).splitlines()]


def test_signed_deliveries_land_as_received(url: str, lake: Path) -> None:
    one = b'{"session_id": "s1", "page": "/home?x=1", "timestamp": 1700000000.5}'
    many = b'[{"session_id":"s2","timestamp":1700000001}, {"session_id":"s3","timestamp":1700000002}]'
    lines = b'{"session_id":"s4"}\n\n{"session_id":"s5"}\n'
    assert _post(url, one).status_code == 202
    response = _post(url, many, secret=ROTATED)
    assert response.status_code == 202
    assert response.json()["accepted"] == 2
    assert _post(url, lines, content_type="application/x-ndjson; charset=utf-8").status_code == 202
    assert sorted(_landed(lake)) == sorted(
        [one, b'{"session_id":"s2","timestamp":1700000001}', b'{"session_id":"s3","timestamp":1700000002}',
         b'{"session_id":"s4"}', b'{"session_id":"s5"}']
    )  # fmt: skip


def test_unsigned_tampered_stale_and_foreign_requests_get_401(url: str, lake: Path) -> None:
    body = b'{"session_id":"x"}'
    unsigned = httpx.post(f"{url}/events", content=body, headers={"content-type": "application/json"})
    assert unsigned.status_code == 401
    headers = signed_headers(SECRET, "msg_t", int(time.time()), body) | {"content-type": "application/json"}
    assert httpx.post(f"{url}/events", content=b'{"session_id":"y"}', headers=headers).status_code == 401
    # The exact 300 s boundary is unit-tested with a fixed clock; here the wall clock ticks between
    # signing and checking, so stay well outside the window.
    assert _post(url, body, ts=int(time.time()) - 330).status_code == 401
    assert _post(url, body, ts=int(time.time()) + 330).status_code == 401
    foreign = "whsec_" + base64.b64encode(b"someone else").decode()
    assert _post(url, body, secret=foreign).status_code == 401
    assert _landed(lake) == []


def test_replay_is_refused_but_a_failed_delivery_may_be_retried(url: str, lake: Path) -> None:
    assert _post(url, b"{broken", msg_id="msg_retry").status_code == 400
    assert _post(url, b'{"session_id":"r"}', msg_id="msg_retry").status_code == 202
    replay = _post(url, b'{"session_id":"r"}', msg_id="msg_retry")
    assert replay.status_code == 409
    assert _landed(lake) == [b'{"session_id":"r"}']


@pytest.mark.parametrize(
    ("body", "content_type", "status"),
    [
        (b"not json at all", "application/json", 400),
        (b"[1, 2]", "application/json", 400),
        (b'{"a": 1}\n{"a":', "application/x-ndjson", 400),
        (b"", "application/json", 400),
        (b'{"a": NaN}', "application/json", 400),
        (b'{"a": 1}', "text/plain", 415),
        (b'{"a": 1}', "application/json; charset=latin-1", 415),
        (b'{"a": 1}', "", 415),
        (b'{"pad": "' + b"x" * 70_000 + b'"}', "application/json", 413),
    ],
)
def test_bad_bodies_get_4xx(url: str, lake: Path, body: bytes, content_type: str, status: int) -> None:
    assert _post(url, body, content_type=content_type).status_code == status
    assert _landed(lake) == []


def test_oversize_chunked_body_gets_413(url: str) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(100):
            yield b" " * 1024

    body = b" " * 100 * 1024
    headers = signed_headers(SECRET, "msg_chunked", int(time.time()), body)
    response = httpx.post(
        f"{url}/events", content=chunks(), headers=headers | {"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_health_and_openapi(url: str) -> None:
    assert httpx.get(f"{url}/health").json() == {"status": "ok", "service": "web-logs", "source": "web"}
    spec = httpx.get(f"{url}/openapi.json").json()
    post = spec["paths"]["/events"]["post"]
    assert set(post["responses"]) >= {"202", "400", "401", "409", "413", "415", "503"}
    assert {p["name"] for p in post["parameters"]} == {"webhook-id", "webhook-timestamp", "webhook-signature"}
    assert "application/x-ndjson" in post["requestBody"]["content"]


def test_auth_disabled_accepts_unsigned(lake: Path) -> None:
    settings = _settings(lake, secrets=[], auth_disabled=True)
    with serving(create_app(settings, "crm-logs", build_buffer(settings, "crm"))) as base:
        response = httpx.post(
            f"{base}/events", content=b'{"customer_id": 1}', headers={"content-type": "application/json"}
        )
        assert response.status_code == 202
    assert _landed(lake, "crm") == [b'{"customer_id": 1}']


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)
_bodies = st.one_of(
    st.binary(max_size=300),
    _json_values.map(lambda v: json.dumps(v).encode()),
    st.lists(_json_values, max_size=5).map(lambda vs: "\n".join(json.dumps(v) for v in vs).encode()),
)
_content_types = st.sampled_from(
    [
        "application/json",
        "application/x-ndjson",
        "text/plain",
        "",
        "application/json; charset=utf-16",
        "a/b;;=",
    ]
)


@settings(
    max_examples=150,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    body=_bodies,
    content_type=_content_types,
    sign_it=st.booleans(),
    skew=st.integers(min_value=-1000, max_value=1000),
    junk_headers=st.dictionaries(
        st.sampled_from(["webhook-id", "webhook-timestamp", "webhook-signature"]),
        st.text(alphabet=st.characters(min_codepoint=33, max_codepoint=126), max_size=30),
        max_size=2,
    ),
)
def test_fuzz_finds_no_5xx(
    url: str, body: bytes, content_type: str, sign_it: bool, skew: int, junk_headers: dict[str, str]
) -> None:
    """Bounded fuzz (150 requests, loopback only): whatever a client sends, the answer is never a 5xx."""
    headers = (
        signed_headers(SECRET, f"msg_{uuid.uuid4().hex}", int(time.time()) + skew, body) if sign_it else {}
    )
    headers = headers | {"content-type": content_type} | junk_headers
    status = httpx.post(f"{url}/events", content=body, headers=headers, timeout=10).status_code
    assert status < 500
    if status == 202:  # only an authentic, fresh, untouched request can be accepted
        assert sign_it
        assert abs(skew) <= 301  # 300 s tolerance, plus the clock's tick between signing and checking
        assert not junk_headers
