"""A webhook process flushes its buffer and answers waiting requests when SIGTERM/SIGINT arrives."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest
from ing_servers import free_port

from shopware.pipeline.bronze import list_objects
from shopware.pipeline.storage import LocalObjectStore
from shopware.webhooks.signature import signed_headers

SECRET = "whsec_" + base64.b64encode(b"signal-test-key").decode()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_pending_records_are_flushed_on_shutdown_signal(tmp_path: Path, sig: signal.Signals) -> None:
    port = free_port()
    env = os.environ | {
        "SHOPWARE_LAKE": str(tmp_path / "lake"),
        "SHOPWARE_WEBHOOK_SECRETS": SECRET,
        "SHOPWARE_WEBHOOK_BUFFER_MAX_AGE_S": "120",  # only the signal can flush within the test
    }
    cmd = [sys.executable, "-m", "shopware.ingestion", "serve", "crm-logs", "--port", str(port)]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{base}/health").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.communicate()[0].decode()
            assert time.monotonic() < deadline, "the receiver did not start"
            time.sleep(0.1)
        body = b'[{"customer_id": 1, "interaction_type": "Feedback"}, {"customer_id": 2}]'
        headers = signed_headers(SECRET, "msg_sig", int(time.time()), body) | {
            "content-type": "application/json"
        }
        statuses: list[int] = []
        sender = threading.Thread(
            target=lambda: statuses.append(
                httpx.post(f"{base}/events", content=body, headers=headers, timeout=30).status_code
            )
        )
        sender.start()
        time.sleep(0.5)
        store = LocalObjectStore(tmp_path / "lake")
        assert statuses == []
        assert list_objects(store, "crm") == []
        proc.send_signal(sig)
        sender.join(20)
        assert statuses == [202]
        # uvicorn exits gracefully, then re-raises the signal so the exit status still says why.
        assert proc.wait(20) in (0, -sig, 128 + sig)
        [key] = list_objects(store, "crm")
        assert store.get(key) == b'{"customer_id": 1, "interaction_type": "Feedback"}\n{"customer_id": 2}\n'
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
