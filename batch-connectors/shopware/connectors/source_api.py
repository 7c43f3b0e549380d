"""The source API client: one page at a time, by cursor or by offset, with retries declared once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, Protocol

import httpx

from shopware.ingestion.retry import TransientHttpError, http_retrying, retry_after_seconds


class SourceApiError(RuntimeError):
    """A permanent API failure (a 4xx other than 429, or retries exhausted): the run stops."""


@dataclass(frozen=True)
class Position:
    """Where a page starts: a cursor (None = the beginning) or an offset."""

    cursor: str | None = None
    offset: int = 0


@dataclass(frozen=True)
class Page:
    """One page of records and the position after it."""

    records: list[dict[str, Any]]
    next: Position
    has_more: bool


class SourceApi(Protocol):
    """A paged source of records."""

    def fetch(self, position: Position) -> Page:
        """The page at `position`."""
        ...


def parse_page(body: Any, pagination: Literal["cursor", "offset"]) -> Page:
    """A page from its JSON envelope; `TransientHttpError` if it is malformed or truncated."""
    if not isinstance(body, dict) or not isinstance(body.get("records"), list):
        raise TransientHttpError("malformed page: no records list")
    records = body["records"]
    if body.get("count") != len(records) or not all(isinstance(r, dict) for r in records):
        raise TransientHttpError(
            f"truncated page: count says {body.get('count')}, got {len(records)} records"
        )
    if pagination == "cursor":
        if not isinstance(body.get("next_cursor"), str):
            raise TransientHttpError("malformed page: no next_cursor")
        position = Position(cursor=body["next_cursor"])
    else:
        if not isinstance(body.get("next_offset"), int):
            raise TransientHttpError("malformed page: no next_offset")
        position = Position(offset=body["next_offset"])
    return Page(records=records, next=position, has_more=bool(body.get("has_more")))


class HttpSourceApi:
    """A source API over HTTP (httpx), retrying transient failures (tenacity, `retry.http_retrying`)."""

    def __init__(
        self,
        client: httpx.Client,
        path: str,
        *,
        page_size: int,
        pagination: Literal["cursor", "offset"],
        max_attempts: int = 8,
        backoff_initial_s: float = 0.5,
        backoff_max_s: float = 60.0,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self._client = client
        self._path = path
        self._page_size = page_size
        self._pagination = pagination
        self._retrying = http_retrying(max_attempts, backoff_initial_s, backoff_max_s, sleep)

    def fetch(self, position: Position) -> Page:
        params: dict[str, str | int] = {"limit": self._page_size}
        if self._pagination == "offset":
            params["offset"] = position.offset
        elif position.cursor is not None:
            params["cursor"] = position.cursor
        try:
            page: Page = self._retrying.copy()(self._fetch_once, params)
        except (TransientHttpError, httpx.TransportError) as exc:
            raise SourceApiError(f"{self._path}: still failing after retries: {exc}") from exc
        return page

    def _fetch_once(self, params: dict[str, str | int]) -> Page:
        response = self._client.get(self._path, params=params)
        status = response.status_code
        if status == 429 or status >= 500:
            retry_after = retry_after_seconds(response.headers.get("retry-after"))
            raise TransientHttpError(f"HTTP {status} from {response.url}", retry_after)
        if status >= 400:
            raise SourceApiError(f"HTTP {status} from {response.url}: {response.text[:300]}")
        try:
            body = response.json()
        except ValueError:
            raise TransientHttpError(f"truncated page from {response.url}: not valid JSON") from None
        return parse_page(body, self._pagination)
