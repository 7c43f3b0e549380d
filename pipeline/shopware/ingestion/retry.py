"""Retry policies, declared once: what is retried, how often, and how long to wait in between.

Only transient failures are retried: throttling, 5xx, connection errors, timeouts and malformed
(truncated) pages. A server's `Retry-After` wins over the computed backoff.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import httpx
from tenacity import (
    RetryCallState,
    Retrying,
    retry_if_exception_type,
    stop_after_attempt,
    wait_exponential,
    wait_random,
)


class UnsentRecords(Exception):
    """Some records of a stream write are still unsent after an attempt: try again after a backoff."""


class TransientHttpError(Exception):
    """An HTTP answer worth retrying (429, 5xx, a truncated page), with the server's Retry-After."""

    def __init__(self, message: str, retry_after_s: float | None = None) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


def retry_after_seconds(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a `Retry-After` header (delay-seconds or HTTP-date), None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max((when - (now or datetime.now(UTC))).total_seconds(), 0.0)


def _backoff(initial_s: float, max_s: float) -> Callable[[RetryCallState], float]:
    return wait_exponential(multiplier=initial_s, max=max_s) + wait_random(0, initial_s)


def stream_retrying(
    max_attempts: int,
    backoff_initial_s: float,
    backoff_max_s: float,
    sleep: Callable[[float], None] | None = None,
) -> Retrying:
    """Attempts of a stream write: exponential backoff with jitter, up to `max_attempts` rounds."""
    return Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=_backoff(backoff_initial_s, backoff_max_s),
        retry=retry_if_exception_type(UnsentRecords),
        sleep=sleep or time.sleep,
        reraise=True,
    )


def http_retrying(
    max_attempts: int,
    backoff_initial_s: float,
    backoff_max_s: float,
    sleep: Callable[[float], None] | None = None,
) -> Retrying:
    """Attempts of an HTTP request: transport errors and `TransientHttpError`s, honouring Retry-After
    (capped at `backoff_max_s`); anything else is raised at once."""
    backoff = _backoff(backoff_initial_s, backoff_max_s)

    def wait(state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, TransientHttpError) and exc.retry_after_s is not None:
            return min(exc.retry_after_s, backoff_max_s)
        return backoff(state)

    return Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=wait,
        retry=retry_if_exception_type((TransientHttpError, httpx.TransportError)),
        sleep=sleep or time.sleep,
        reraise=True,
    )
