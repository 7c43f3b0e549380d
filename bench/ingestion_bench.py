"""Webhook receiver throughput: events/s accepted by one process with the local sink.

Scenarios, each for a fixed time with a fixed number of concurrent loopback clients:
  1. bare uvicorn "hello world" (a raw ASGI app, GET /): the yardstick of this machine;
  2. the web-logs receiver, one signed event per request;
  3. the web-logs receiver, 500 signed events per request.
Each server is one uvicorn process; the client is one asyncio process on kept-alive connections.
Reports requests/s, events/s, their ratio to the yardstick, and checks that every accepted event
landed in bronze. Writes bench-data/ingestion_bench.json.

    python bench/ingestion_bench.py [--seconds 5] [--concurrency 32]
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

from shopware.ingestion.loopback import free_port
from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore
from shopware.simulator.data import web_events
from shopware.webhooks.signature import signed_headers

SECRET = "whsec_" + base64.b64encode(b"benchmark-key-not-a-secret").decode()
ROOT = Path(__file__).resolve().parents[1]


async def hello_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The yardstick: the smallest ASGI app uvicorn can serve."""
    if scope["type"] != "http":
        return
    headers = [(b"content-type", b"text/plain"), (b"content-length", b"13")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": b"Hello, world!"})


def _start(cmd: list[str], env: dict[str, str], url: str) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            httpx.get(url, timeout=1)
            return proc
        except httpx.TransportError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError(f"server did not start: {' '.join(cmd)}")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _request(method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None) -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", f"Content-Length: {len(body)}"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> int:
    """One request on a kept-alive connection; returns the status (the body is read and dropped)."""
    writer.write(request)
    await writer.drain()
    status = int((await reader.readline()).split()[1])
    length = 0
    while (line := await reader.readline()) not in (b"\r\n", b""):
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    await reader.readexactly(length)
    return status


def _signed_events_request(seq: int, prefix: str, template: str) -> bytes:
    # A distinct first record per request (`bench_seq`), so that no two deliveries are identical.
    body = (prefix + f'{{"bench_seq":{seq},' + template).encode()
    headers = signed_headers(SECRET, f"msg_{uuid.uuid4().hex}", int(time.time()), body)
    return _request("POST", "/events", body, headers | {"Content-Type": "application/json"})


async def _drive(port: int, seconds: float, concurrency: int, batch: int | None) -> dict[str, float]:
    """Send requests on `concurrency` kept-alive connections for `seconds`; batch=None: GET hello-world.

    A minimal HTTP/1.1 client on raw asyncio streams: httpx's async pool, not the servers, was the
    bottleneck on a 2-core machine.
    """
    events = [json.dumps(e) for e in web_events(batch or 1, seed=7)]
    first_rest = events[0][1:]
    prefix, template = ("", first_rest) if batch == 1 else ("[", ",".join([first_rest, *events[1:]]) + "]")
    counts = {"requests": 0, "events": 0, "errors": 0}
    deadline = time.monotonic() + seconds
    seq = iter(range(10**9))
    hello = _request("GET", "/")

    async def worker() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        try:
            while time.monotonic() < deadline:
                request = hello if batch is None else _signed_events_request(next(seq), prefix, template)
                if await _exchange(reader, writer, request) in (200, 202):
                    counts["requests"] += 1
                    counts["events"] += batch or 1
                else:
                    counts["errors"] += 1
        finally:
            writer.close()

    started = time.monotonic()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.monotonic() - started
    return {
        "requests_per_s": counts["requests"] / elapsed,
        "events_per_s": counts["events"] / elapsed,
        "requests": counts["requests"],
        "events": counts["events"],
        "errors": counts["errors"],
        "seconds": elapsed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each scenario")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent client connections")
    parser.add_argument("--serve-hello", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_hello:
        import uvicorn

        uvicorn.run(hello_app, host="127.0.0.1", port=args.serve_hello, log_level="warning", access_log=False)
        return

    results: dict[str, Any] = {
        "concurrency": args.concurrency,
        "seconds": args.seconds,
        "cpus": os.cpu_count(),
    }
    port = free_port()
    hello = _start(
        [sys.executable, __file__, "--serve-hello", str(port)], dict(os.environ), f"http://127.0.0.1:{port}/"
    )
    try:
        results["hello_world"] = asyncio.run(_drive(port, args.seconds, args.concurrency, None))
    finally:
        _stop(hello)

    with tempfile.TemporaryDirectory(prefix="ingestion-bench-") as tmp:
        lake = Path(tmp) / "lake"
        env = dict(os.environ) | {"SHOPWARE_LAKE": str(lake), "SHOPWARE_WEBHOOK_SECRETS": SECRET}
        port = free_port()
        cmd = [sys.executable, "-m", "shopware.ingestion", "serve", "web-logs", "--port", str(port)]
        server = _start(cmd, env, f"http://127.0.0.1:{port}/health")
        try:
            results["webhook_single"] = asyncio.run(_drive(port, args.seconds, args.concurrency, 1))
            results["webhook_batch_500"] = asyncio.run(_drive(port, args.seconds, args.concurrency, 500))
        finally:
            _stop(server)
        store = LocalObjectStore(lake)
        keys = list_objects(store, "web")
        landed = sum(store.get(k).count(b"\n") for k in keys)
        accepted = results["webhook_single"]["events"] + results["webhook_batch_500"]["events"]
        results["landed_events"] = landed
        results["bronze_objects"] = len(keys)
        results["all_accepted_landed"] = landed == accepted

    yardstick = results["hello_world"]["requests_per_s"]
    print(f"cores: {results['cpus']}, concurrency: {args.concurrency}, {args.seconds:.0f} s per scenario")
    print(f"{'scenario':<22}{'requests/s':>12}{'events/s':>12}{'req ratio':>11}{'errors':>8}")
    for name in ("hello_world", "webhook_single", "webhook_batch_500"):
        r = results[name]
        ratio = r["requests_per_s"] / yardstick
        results[name]["ratio_to_hello_world"] = ratio
        print(
            f"{name:<22}{r['requests_per_s']:>12.0f}{r['events_per_s']:>12.0f}{ratio:>11.2f}{r['errors']:>8}"
        )
    single_ratio = results["webhook_single"]["events_per_s"] / yardstick
    batch_ratio = results["webhook_batch_500"]["events_per_s"] / yardstick
    print(f"events/s vs hello-world requests/s: single {single_ratio:.2f}, batch of 500 {batch_ratio:.1f}")
    print(
        f"landed {results['landed_events']} events in {results['bronze_objects']} bronze objects; "
        f"every accepted event landed: {results['all_accepted_landed']}"
    )
    out = ROOT / "bench-data" / "ingestion_bench.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=2))
    print(f"written: {out.relative_to(ROOT)}")
    if not results["all_accepted_landed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
