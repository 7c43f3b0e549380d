"""The traffic generator: pushes signed web or CRM events to a webhook receiver at a chosen rate."""

from __future__ import annotations

import json
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from shopware.simulator.data import crm_events, web_events
from shopware.webhooks.signature import signed_headers

GENERATORS: dict[str, Callable[[int, int], list[dict[str, Any]]]] = {"web": web_events, "crm": crm_events}


@dataclass
class TrafficResult:
    """What a push sent and how the receiver answered."""

    events: int = 0
    requests: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def all_accepted(self) -> bool:
        """Whether every request was answered 202."""
        return set(self.statuses) <= {202}


def push(
    client: httpx.Client,
    url: str,
    source: str,
    *,
    secret: str | None,
    count: int,
    rate: float,
    batch: int = 1,
    seed: int = 0,
) -> TrafficResult:
    """Send `count` generated events of `source` to `url` in batches of `batch`, at about `rate`
    events per second (0: as fast as the receiver answers), each request signed with `secret`."""
    events = GENERATORS[source](count, seed)
    result = TrafficResult()
    started = time.monotonic()
    for start in range(0, count, batch):
        chunk = events[start : start + batch]
        body = (json.dumps(chunk[0]) if batch == 1 else json.dumps(chunk)).encode()
        headers = {"content-type": "application/json"}
        if secret:
            headers |= signed_headers(secret, f"msg_{uuid.uuid4().hex}", int(time.time()), body)
        response = client.post(url, content=body, headers=headers)
        result.requests += 1
        result.events += len(chunk)
        result.statuses[response.status_code] += 1
        if rate > 0:
            # Pace against the schedule, not the last request, so the average rate holds.
            delay = started + result.events / rate - time.monotonic()
            if delay > 0:
                time.sleep(delay)
    result.seconds = time.monotonic() - started
    return result
