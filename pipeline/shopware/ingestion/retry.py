"""Retry policies, declared once: what is retried, how often, and how long to wait in between."""

from __future__ import annotations

import time
from collections.abc import Callable

from tenacity import Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential, wait_random


class UnsentRecords(Exception):
    """Some records of a stream write are still unsent after an attempt: try again after a backoff."""


def stream_retrying(
    max_attempts: int,
    backoff_initial_s: float,
    backoff_max_s: float,
    sleep: Callable[[float], None] | None = None,
) -> Retrying:
    """Attempts of a stream write: exponential backoff with jitter, up to `max_attempts` rounds."""
    return Retrying(
        stop=stop_after_attempt(max_attempts),
        wait=wait_exponential(multiplier=backoff_initial_s, max=backoff_max_s)
        + wait_random(0, backoff_initial_s),
        retry=retry_if_exception_type(UnsentRecords),
        sleep=sleep or time.sleep,
        reraise=True,
    )
