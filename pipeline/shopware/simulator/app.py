"""The simulated POS and inventory APIs, with fault injection.

`GET /pos/transactions` and `GET /inventory/readings` page through generated records, by cursor
(`?cursor=&limit=`) or by offset (`?offset=&limit=`). A page is
`{"records": [...], "count": n, "next_cursor": "...", "next_offset": k, "has_more": bool}`; at the end
`next_cursor`/`next_offset` still name the position after the last record, where a later run resumes.

Faults, each drawn per request with its own rate: 5xx answers, 429 with Retry-After, slow answers,
truncated pages (a body cut short, or fewer records than `count` says) and duplicate records
(a repeat within the page, or an overlap with the end of the previous page).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from typing import Annotated, Any

from fastapi import FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from shopware.simulator.data import inventory_records, pos_records, seeded


class SimulatorSettings(BaseSettings):
    """The simulated data set and its faults, from `SHOPWARE_SIMULATOR_*`."""

    model_config = SettingsConfigDict(env_prefix="SHOPWARE_SIMULATOR_", extra="ignore")

    seed: int = Field(default=0, description="Seed of the generated records and of the fault draws.")
    pos_records: int = Field(default=2_000, ge=0, description="POS transactions served.")
    inventory_records: int = Field(default=1_000, ge=0, description="Inventory readings served.")
    token: str | None = Field(default=None, description="If set, requests need this bearer token.")
    error_rate: float = Field(default=0.0, ge=0, le=1, description="Share of requests answered 500/502/503.")
    rate_limit_rate: float = Field(default=0.0, ge=0, le=1, description="Share answered 429.")
    retry_after_s: int = Field(default=1, ge=0, description="Retry-After of a 429 or 503.")
    slow_rate: float = Field(default=0.0, ge=0, le=1, description="Share answered after `slow_s`.")
    slow_s: float = Field(default=2.0, ge=0, description="Delay of a slow answer.")
    truncate_rate: float = Field(default=0.0, ge=0, le=1, description="Share of pages cut short.")
    duplicate_rate: float = Field(default=0.0, ge=0, le=1, description="Share of pages with repeats.")


# Module-level, so that FastAPI can resolve them under postponed annotations.
LimitQuery = Annotated[int, Query(ge=1, le=1000)]
OffsetQuery = Annotated[int | None, Query(ge=0)]


def encode_cursor(offset: int) -> str:
    """The opaque cursor of a position."""
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    """The position of a cursor; ValueError if it is not one of ours."""
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise ValueError("malformed cursor") from None
    if kind != "o" or not number.isdigit():
        raise ValueError("malformed cursor")
    return int(number)


def create_app(settings: SimulatorSettings) -> FastAPI:
    """The simulator app over the data set of `settings`."""
    datasets = {
        "pos": pos_records(settings.pos_records, settings.seed),
        "inventory": inventory_records(settings.inventory_records, settings.seed),
    }
    rng = seeded(f"faults-{settings.seed}")
    app = FastAPI(title="Shopware source simulator", version="1")

    @app.get("/health")
    async def health() -> dict[str, Any]:
        """Liveness and the size of each data set."""
        return {"status": "ok"} | {name: len(rows) for name, rows in datasets.items()}

    def page(
        name: str, request: Request, cursor: str | None, offset: int | None, limit: int
    ) -> Response | dict[str, Any]:
        if settings.token and request.headers.get("authorization") != f"Bearer {settings.token}":
            return JSONResponse({"detail": "missing or wrong bearer token"}, status_code=401)
        try:
            start = offset if offset is not None else decode_cursor(cursor) if cursor else 0
        except ValueError as exc:
            return JSONResponse({"detail": str(exc)}, status_code=400)
        rows = datasets[name]
        records = rows[start : start + limit]
        end = min(start + limit, len(rows))
        if records and rng.random() < settings.duplicate_rate:
            overlap = rows[max(start - rng.randint(1, 3), 0) : start]
            records = overlap + records + [rng.choice(records)]
        body = {
            "records": records,
            "count": len(records),
            "next_cursor": encode_cursor(end),
            "next_offset": end,
            "has_more": end < len(rows),
        }
        if records and rng.random() < settings.truncate_rate:
            if rng.random() < 0.5:
                text = json.dumps(body)
                return Response(text[: len(text) // 2], media_type="application/json")
            body["records"] = records[: len(records) // 2]
        return body

    async def faults() -> Response | None:
        draw = rng.random()
        retry_after = {"Retry-After": str(settings.retry_after_s)}
        if draw < settings.error_rate:
            status = rng.choice([500, 502, 503])
            return JSONResponse({"detail": "injected fault"}, status_code=status, headers=retry_after)
        if draw < settings.error_rate + settings.rate_limit_rate:
            return JSONResponse({"detail": "slow down"}, status_code=429, headers=retry_after)
        if rng.random() < settings.slow_rate:
            await asyncio.sleep(settings.slow_s)
        return None

    @app.get("/pos/transactions")
    async def pos(
        request: Request, cursor: str | None = None, offset: OffsetQuery = None, limit: LimitQuery = 100
    ) -> Any:
        """A page of POS transactions."""
        return await faults() or page("pos", request, cursor, offset, limit)

    @app.get("/inventory/readings")
    async def inventory(
        request: Request, cursor: str | None = None, offset: OffsetQuery = None, limit: LimitQuery = 100
    ) -> Any:
        """A page of inventory readings."""
        return await faults() or page("inventory", request, cursor, offset, limit)

    return app
