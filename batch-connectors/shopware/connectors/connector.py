"""A connector run: page through the source from the watermark, land each page, then advance.

Per page: fetch (retried), drop records already seen (a repeat in the page, or an overlap with the
recent pages), put the rest to the sink (durable before it returns), then save the watermark. A run
killed between the put and the save fetches the same page again and the local sink skips the
identical object, so a restart neither skips nor repeats a page.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from shopware.connectors.source_api import Page, Position, SourceApi
from shopware.connectors.watermark import WatermarkStore
from shopware.ingestion.records import record_from_value
from shopware.ingestion.sinks import RecordSink
from shopware.transforms.contracts import SOURCES

log = logging.getLogger(__name__)

HEARTBEAT_S = 60.0


@dataclass(frozen=True)
class State:
    """The watermark: where the next page starts and the keys of the records landed last."""

    position: Position = field(default_factory=Position)
    recent_keys: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The JSON form saved in the watermark store."""
        return {
            "cursor": self.position.cursor,
            "offset": self.position.offset,
            "recent_keys": list(self.recent_keys),
            "updated_at": datetime.now(UTC).isoformat(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> State:
        """The state saved as `data` (None: the beginning)."""
        if not data:
            return cls()
        position = Position(cursor=data.get("cursor"), offset=int(data.get("offset") or 0))
        return cls(position=position, recent_keys=tuple(data.get("recent_keys") or ()))


def record_key(record: dict[str, Any], key_field: str) -> str | None:
    """The record key as text, or None when the record has none (it is landed and left to silver)."""
    value = record.get(key_field)
    return None if value is None else str(value).strip()


def fresh_records(
    records: list[dict[str, Any]], key_field: str, recent: Iterable[str]
) -> tuple[list[dict[str, Any]], list[str]]:
    """The records whose key was not seen in `recent` nor earlier in the page, and their keys."""
    seen = set(recent)
    fresh: list[dict[str, Any]] = []
    keys: list[str] = []
    for record in records:
        key = record_key(record, key_field)
        if key is not None:
            if key in seen:
                continue
            seen.add(key)
            keys.append(key)
        fresh.append(record)
    return fresh, keys


def advance(state: State, page: Page, keys: list[str], window: int) -> State:
    """The state after landing `page` whose new record keys are `keys`."""
    recent = (*state.recent_keys, *keys)[-window:] if window else ()
    return State(position=page.next, recent_keys=recent)


@dataclass
class RunResult:
    """What one run did."""

    source: str
    pages: int = 0
    fetched: int = 0
    landed: int = 0
    duplicates: int = 0
    dead_lettered: int = 0
    dead_letter_locations: list[str] = field(default_factory=list)
    interrupted: bool = False

    @property
    def ok(self) -> bool:
        """Whether every fetched record was delivered (none dead-lettered)."""
        return self.dead_lettered == 0


def run_once(
    source: str,
    api: SourceApi,
    sink: RecordSink,
    watermarks: WatermarkStore,
    *,
    dedupe_window: int = 10_000,
    stop: threading.Event | None = None,
    heartbeat: Callable[[], None] = lambda: None,
) -> RunResult:
    """Pull every page after the watermark into `sink`; stop early (between pages) when `stop` is set.

    `heartbeat` is called after every page.
    """
    key_field = SOURCES[source].key[0]
    state = State.from_json(watermarks.load())
    result = RunResult(source=source)
    while True:
        if stop is not None and stop.is_set():
            result.interrupted = True
            break
        page = api.fetch(state.position)
        fresh, keys = fresh_records(page.records, key_field, state.recent_keys)
        report = sink.put([record_from_value(source, r) for r in fresh])
        result.pages += 1
        result.fetched += len(page.records)
        result.duplicates += len(page.records) - len(fresh)
        result.landed += report.delivered
        if report.dead_lettered:
            result.dead_lettered += len(report.dead_lettered)
            result.dead_letter_locations.append(report.dead_letter_location or "?")
        state = advance(state, page, keys, dedupe_window)
        watermarks.save(state.to_json())
        heartbeat()
        if not page.has_more:
            break
    log.info(
        "%s: %d pages, %d records fetched, %d landed, %d duplicates dropped, %d dead-lettered%s",
        source,
        result.pages,
        result.fetched,
        result.landed,
        result.duplicates,
        result.dead_lettered,
        " (interrupted)" if result.interrupted else "",
    )
    return result


def run_scheduled(
    source: str,
    api: SourceApi,
    sink: RecordSink,
    watermarks: WatermarkStore,
    *,
    interval_s: float,
    dedupe_window: int,
    stop: threading.Event,
    heartbeat: Callable[[], None] = lambda: None,
) -> None:
    """Run every `interval_s` seconds until `stop` is set; a failed run is logged and retried next time.

    `heartbeat` is called after every page and at least every minute while waiting (a container
    healthcheck watches it).
    """
    while not stop.is_set():
        try:
            run_once(
                source, api, sink, watermarks, dedupe_window=dedupe_window, stop=stop, heartbeat=heartbeat
            )
        except Exception:
            log.exception("%s: run failed; the next scheduled run resumes from the watermark", source)
        next_run = time.monotonic() + interval_s
        while not stop.is_set() and (left := next_run - time.monotonic()) > 0:
            heartbeat()
            stop.wait(min(left, HEARTBEAT_S))
