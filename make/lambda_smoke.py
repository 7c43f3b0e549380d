"""Smoke test of the built Lambda package: its handler processes one Kinesis record from the build dir.

Run by `make lambda-zip` as `python -S make/lambda_smoke.py BUILD_DIR`: without site-packages, so
every import resolves in BUILD_DIR except boto3 (part of the Lambda runtime), taken from this venv.
"""

from __future__ import annotations

import base64
import json
import os
import sys
import tempfile
import time
from pathlib import Path

build = Path(sys.argv[1]).resolve()
sys.path.insert(0, str(build))
runtime_only = list((Path(sys.prefix) / "lib").glob("python3*/site-packages"))
sys.path.extend(str(p) for p in runtime_only)  # after the build: only what the build lacks comes from here

from shopware.aws.lambdas import web_logs  # noqa: E402

for name in (
    "duckdb",
    "pyarrow",
    "aws_lambda_powertools",
    "pydantic_settings",
    "shopware.aws.lambdas.web_logs",
):
    origin = Path(sys.modules[name].__file__ or "").resolve()
    assert build in origin.parents, f"{name} imported from {origin}, not from the package"

with tempfile.TemporaryDirectory() as lake:
    os.environ["SHOPWARE_LAKE"] = lake
    line = {"session_id": "smoke", "page": "/", "timestamp": time.time()}
    record = {
        "eventID": "shardId-000000000000:1",
        "kinesis": {
            "data": base64.b64encode(json.dumps(line).encode() + b"\n").decode(),
            "sequenceNumber": "1",
            "approximateArrivalTimestamp": time.time(),
        },
    }
    assert web_logs.handler({"Records": [record]}, None) == {"batchItemFailures": []}
    assert list(Path(lake).glob("gold/web_sessions/*/*.parquet")), "no web_sessions written"
print(f"smoke: the handler in {build} processed a record")
