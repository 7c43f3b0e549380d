"""Standard Webhooks signatures (HMAC-SHA256 over `id.timestamp.body`) and replay protection.

Headers: `webhook-id`, `webhook-timestamp` (epoch seconds) and `webhook-signature`, a space-separated
list of `v1,<base64 HMAC>`; secrets are `whsec_` + base64 of the key. Several secrets may be active at
once (rotation): a request is authentic if any signature matches any secret.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence

SECRET_PREFIX = "whsec_"  # noqa: S105  (the scheme's prefix, not a secret)


class SignatureError(ValueError):
    """A request that is unsigned, stale or whose signature does not match."""


def decode_secret(secret: str) -> bytes:
    """The key bytes of a `whsec_<base64>` secret; raises ValueError for anything else."""
    if not secret.startswith(SECRET_PREFIX):
        raise ValueError("a webhook secret must start with 'whsec_'")
    try:
        key = base64.b64decode(secret.removeprefix(SECRET_PREFIX), validate=True)
    except binascii.Error:
        raise ValueError("a webhook secret must be 'whsec_' followed by base64") from None
    if not key:
        raise ValueError("a webhook secret must not be empty")
    return key


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The `v1,<base64>` signature of a message."""
    mac = hmac.new(key, f"{msg_id}.{timestamp}.".encode() + body, hashlib.sha256).digest()
    return "v1," + base64.b64encode(mac).decode()


def signed_headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three Standard Webhooks headers of a message signed with `secret`."""
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": sign(decode_secret(secret), msg_id, timestamp, body),
    }


def check_timestamp(headers: Mapping[str, str], now: float, tolerance_s: float) -> tuple[str, int]:
    """(id, timestamp) of a request whose id and timestamp are present and within the tolerance.

    Checked before the body is read, so an unsigned or stale request costs nothing more.
    """
    msg_id = headers.get("webhook-id", "")
    raw_ts = headers.get("webhook-timestamp", "")
    if not msg_id or not raw_ts or not headers.get("webhook-signature"):
        raise SignatureError("missing webhook-id, webhook-timestamp or webhook-signature header")
    if len(msg_id) > 256:
        raise SignatureError("webhook-id is too long")
    try:
        timestamp = int(raw_ts)
    except ValueError:
        raise SignatureError("webhook-timestamp is not an integer") from None
    if abs(now - timestamp) > tolerance_s:
        raise SignatureError("webhook-timestamp is outside the tolerance")
    return msg_id, timestamp


def verify(
    keys: Sequence[bytes], headers: Mapping[str, str], body: bytes, now: float, tolerance_s: float
) -> str:
    """Verify a request; return its webhook-id or raise `SignatureError`."""
    msg_id, timestamp = check_timestamp(headers, now, tolerance_s)
    offered = [
        sig.partition(",")[2].encode()
        for sig in headers.get("webhook-signature", "").split()
        if sig.startswith("v1,")
    ]
    expected = [sign(key, msg_id, timestamp, body).partition(",")[2].encode() for key in keys]
    # Every pair is compared in constant time, without stopping early on a match.
    matched = False
    for want in expected:
        for got in offered:
            matched |= hmac.compare_digest(want, got)
    if not matched:
        raise SignatureError("no valid signature")
    return msg_id


class ReplayGuard:
    """Remembers recently accepted webhook-ids (a bounded LRU), so a replayed message is refused.

    An id is reserved while its records are being written and kept only once they were accepted, so
    a sender may retry a delivery that failed. Ids older than the timestamp tolerance are refused as
    stale anyway; the bound caps memory (size it above the accepted messages per tolerance window).
    """

    def __init__(self, capacity: int) -> None:
        self._capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def reserve(self, msg_id: str) -> bool:
        """Claim `msg_id`; False if it was already accepted or is being written."""
        with self._lock:
            if msg_id in self._seen:
                return False
            self._seen[msg_id] = None
            while len(self._seen) > self._capacity:
                self._seen.popitem(last=False)
            return True

    def release(self, msg_id: str) -> None:
        """Forget a reservation whose delivery failed, so that the sender's retry is accepted."""
        with self._lock:
            self._seen.pop(msg_id, None)
