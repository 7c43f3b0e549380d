"""Standard Webhooks signing and verification, secrets and the replay guard."""

from __future__ import annotations

import base64

import pytest
from pydantic import ValidationError

from shopware.webhooks.settings import WebhookSettings
from shopware.webhooks.signature import (
    ReplayGuard,
    SignatureError,
    decode_secret,
    sign,
    signed_headers,
    verify,
)

SECRET = "whsec_" + base64.b64encode(b"0123456789abcdef0123456789abcdef").decode()
OTHER = "whsec_" + base64.b64encode(b"another key").decode()
NOW = 1_800_000_000


def test_known_vector() -> None:
    # The Standard Webhooks reference vector (standard-webhooks libraries' test suite).
    key = decode_secret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
    body = b'{"test": 2432232314}'
    assert sign(key, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == (
        "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    )


def test_valid_signature_with_any_active_secret() -> None:
    headers = signed_headers(OTHER, "m1", NOW, b"{}")
    headers["webhook-signature"] = "v1,bm90IGl0 " + headers["webhook-signature"]
    keys = [decode_secret(SECRET), decode_secret(OTHER)]
    assert verify(keys, headers, b"{}", NOW + 10, 300) == "m1"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"webhook-signature": ""}, "missing"),
        ({"webhook-id": ""}, "missing"),
        ({"webhook-timestamp": "abc"}, "not an integer"),
        ({"webhook-timestamp": str(NOW - 301)}, "outside the tolerance"),
        ({"webhook-timestamp": str(NOW + 301)}, "outside the tolerance"),
        ({"webhook-id": "m2"}, "no valid signature"),
        ({"webhook-signature": "v2,abc"}, "no valid signature"),
    ],
)
def test_refusals(change: dict[str, str], message: str) -> None:
    headers = signed_headers(SECRET, "m1", NOW, b"{}") | change
    with pytest.raises(SignatureError, match=message):
        verify([decode_secret(SECRET)], headers, b"{}", NOW, 300)


def test_tampered_body() -> None:
    headers = signed_headers(SECRET, "m1", NOW, b'{"a":1}')
    with pytest.raises(SignatureError):
        verify([decode_secret(SECRET)], headers, b'{"a":2}', NOW, 300)


@pytest.mark.parametrize("secret", ["abc", "whsec_", "whsec_***", "MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
def test_malformed_secrets(secret: str) -> None:
    with pytest.raises(ValueError, match="secret"):
        decode_secret(secret)


def test_replay_guard_is_bounded_and_releasable() -> None:
    guard = ReplayGuard(capacity=2)
    assert guard.reserve("a")
    assert not guard.reserve("a")
    guard.release("a")
    assert guard.reserve("a")
    assert guard.reserve("b")
    assert guard.reserve("c")  # evicts "a", the oldest
    assert guard.reserve("a")


def test_settings_read_comma_separated_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPWARE_WEBHOOK_SECRETS", f" {SECRET}, {OTHER} ")
    monkeypatch.setenv("SHOPWARE_LAKE", "/tmp/lake-x")
    settings = WebhookSettings()
    assert settings.secrets == [SECRET, OTHER]
    assert len(settings.keys()) == 2
    assert str(settings.lake) == "/tmp/lake-x"


def test_settings_fail_fast(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SHOPWARE_WEBHOOK_SECRETS", raising=False)
    with pytest.raises(ValidationError, match="SHOPWARE_WEBHOOK_SECRETS is required"):
        WebhookSettings()
    monkeypatch.setenv("SHOPWARE_WEBHOOK_SECRETS", "not-a-secret")
    with pytest.raises(ValidationError, match="whsec_"):
        WebhookSettings()
    monkeypatch.setenv("SHOPWARE_WEBHOOK_SECRETS", "")
    monkeypatch.setenv("SHOPWARE_WEBHOOK_AUTH_DISABLED", "true")
    assert WebhookSettings().auth_disabled
    monkeypatch.setenv("SHOPWARE_WEBHOOK_SINK", "kinesis")
    with pytest.raises(ValidationError, match="stream name"):
        WebhookSettings()
