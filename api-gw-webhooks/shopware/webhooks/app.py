"""The webhook receiver app: `POST /events` lands signed JSON records, `GET /health` says it is up.

Answers: 202 once the sink has the records; 400 for a body that is not JSON objects; 401 for an
unsigned, stale or wrongly signed request; 409 for a webhook-id already accepted (a replay); 413 for
an oversize body or record; 415 for a content type other than JSON / JSON Lines; 503 when the sink
cannot take the records now (retry later). Client input never produces a 5xx.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.requests import ClientDisconnect

from shopware.ingestion.buffer import BufferedSink
from shopware.ingestion.records import BodyError, parse_body
from shopware.ingestion.sinks import RecordTooLargeError
from shopware.webhooks.settings import SERVICES, WebhookSettings
from shopware.webhooks.signature import ReplayGuard, SignatureError, check_timestamp, verify

log = logging.getLogger(__name__)

JSON_TYPES = frozenset({"application/json"})
JSON_LINES_TYPES = frozenset(
    {"application/x-ndjson", "application/jsonl", "application/json-lines", "application/x-jsonlines"}
)
ACCEPTED_TYPES = JSON_TYPES | JSON_LINES_TYPES
RETRY_AFTER_S = "1"


class Accepted(BaseModel):
    """A delivery whose records the sink has accepted."""

    accepted: int
    webhook_id: str | None


class Problem(BaseModel):
    """Why a delivery was refused."""

    detail: str


def _problem(status: int, detail: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"detail": detail}, status_code=status, headers=headers)


def _content_type_ok(header: str) -> bool:
    media, *params = (p.strip().lower() for p in header.split(";"))
    charset = next((p.partition("=")[2].strip('"') for p in params if p.startswith("charset=")), "utf-8")
    return media in ACCEPTED_TYPES and charset in ("utf-8", "utf8")


_BODY = {
    "required": True,
    "content": {
        media: {"schema": {"oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]}}
        for media in sorted(JSON_TYPES)
    }
    | {
        media: {"schema": {"type": "string", "description": "JSON Lines"}}
        for media in sorted(JSON_LINES_TYPES)
    },
}
_SIGNATURE_HEADERS = [
    {"name": name, "in": "header", "required": True, "schema": {"type": "string"}, "description": text}
    for name, text in (
        ("webhook-id", "Unique message id (replays are refused)."),
        ("webhook-timestamp", "Epoch seconds; at most the tolerance (5 min) away from now."),
        ("webhook-signature", "Space-separated `v1,<base64 HMAC-SHA256 of id.timestamp.body>`."),
    )
]
_REFUSALS: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "description": text}
    for code, text in (
        (400, "Body is not a JSON object, an array of objects, or JSON Lines of objects."),
        (401, "Unsigned, stale or wrongly signed."),
        (409, "This webhook-id was already accepted."),
        (413, "Body or a record is over the size limit."),
        (415, "Content type is not JSON or JSON Lines (UTF-8)."),
        (503, "The sink cannot take records now; retry after Retry-After seconds."),
    )
}


def create_app(settings: WebhookSettings, service: str, buffer: BufferedSink) -> FastAPI:
    """The receiver of `service` (web-logs or crm-logs), landing through `buffer` (closed on shutdown)."""
    source = SERVICES[service]
    keys = settings.keys()
    replays = ReplayGuard(settings.replay_cache_size)
    if settings.auth_disabled:
        log.warning(
            "!!! %s: webhook signature checks are DISABLED (SHOPWARE_WEBHOOK_AUTH_DISABLED): anyone can "
            "post records. Use this for a local demo only. !!!",
            service,
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        await asyncio.to_thread(buffer.close)

    app = FastAPI(
        title=f"Shopware {service} webhook",
        summary=f"Receives {source} events (Standard Webhooks signed) and lands them in bronze.",
        version="1",
        lifespan=lifespan,
    )

    @app.get("/health")
    async def health() -> dict[str, str]:
        """Liveness: the process serves requests."""
        return {"status": "ok", "service": service, "source": source}

    @app.post(
        "/events",
        status_code=202,
        response_model=Accepted,
        responses=_REFUSALS,
        openapi_extra={
            "requestBody": _BODY,
            "parameters": [] if settings.auth_disabled else _SIGNATURE_HEADERS,
        },
    )
    async def events(request: Request) -> Any:
        """Land one JSON object, a JSON array of objects, or JSON Lines of objects."""
        headers = request.headers
        msg_id: str | None = None
        if not settings.auth_disabled:
            try:
                msg_id, _ = check_timestamp(headers, time.time(), settings.tolerance_s)
            except SignatureError as exc:
                return _problem(401, str(exc))
        if not _content_type_ok(headers.get("content-type", "")):
            return _problem(415, f"content type must be one of {sorted(ACCEPTED_TYPES)} (UTF-8)")
        too_large = f"body is over {settings.max_body_bytes} bytes"
        declared = headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_body_bytes:
            return _problem(413, too_large)
        body = bytearray()
        try:
            async for chunk in request.stream():
                body += chunk
                if len(body) > settings.max_body_bytes:
                    return _problem(413, too_large)
        except ClientDisconnect:
            return _problem(400, "client disconnected before the body was complete")
        if not settings.auth_disabled:
            try:
                msg_id = verify(keys, headers, bytes(body), time.time(), settings.tolerance_s)
            except SignatureError as exc:
                return _problem(401, str(exc))
            if not replays.reserve(msg_id):
                return _problem(409, f"webhook-id {msg_id!r} was already accepted")
        accepted = False
        try:
            records = parse_body(source, bytes(body))
            report = await asyncio.wrap_future(buffer.submit(records))
            if not report.ok:
                return _problem(
                    503,
                    f"{len(report.dead_lettered)} records could not be delivered and were set aside; retry",
                    {"Retry-After": RETRY_AFTER_S},
                )
            accepted = True
            return Accepted(accepted=len(records), webhook_id=msg_id)
        except BodyError as exc:
            return _problem(400, str(exc))
        except RecordTooLargeError as exc:
            return _problem(413, str(exc))
        except Exception:
            log.exception("%s: the sink did not take a delivery", service)
            return _problem(503, "the sink cannot take records now; retry", {"Retry-After": RETRY_AFTER_S})
        finally:
            if msg_id is not None and not accepted:
                replays.release(msg_id)

    return app
