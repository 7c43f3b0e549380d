"""One writer at a time on an S3 lake: a lock object created with a conditional PUT.

The Lambdas (one per stream, one invocation per shard) and the Glue jobs all rewrite partitions of one
lake; two overlapping runs that touch the same partition would each commit, and the later commit would
hide the other's rows. Every writer therefore holds `_meta/writer.lock` from before it reads the lake
until its run is pushed. The lock is taken with `If-None-Match: *` (S3 refuses the PUT if the object
exists); a lock older than its time-to-live belonged to a writer that died and is taken over with
`If-Match` on its ETag, so two waiters cannot both take it over.
"""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from botocore.exceptions import ClientError

from shopware.aws.layout import S3LakeLayout

LOCK_KEY = "_meta/writer.lock"
# What S3 answers to a conditional PUT whose condition does not hold.
CONFLICT_CODES = frozenset({"PreconditionFailed", "ConditionalRequestConflict", "412", "409"})
# What S3 answers for a missing object (GET: NoSuchKey; HEAD: 404 / NotFound).
NOT_FOUND_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def error_code(exc: ClientError) -> str | None:
    """The S3 error code of a failed call."""
    return exc.response.get("Error", {}).get("Code")


def put_if(client: Any, bucket: str, key: str, body: bytes, **condition: str) -> bool:
    """PUT `body` on the condition (`IfNoneMatch`, `IfMatch`); False when the condition does not hold."""
    try:
        client.put_object(Bucket=bucket, Key=key, Body=body, **condition)
    except ClientError as exc:
        if error_code(exc) in CONFLICT_CODES:
            return False
        raise
    return True


class LakeBusyError(RuntimeError):
    """Another writer held the lake's lock for longer than this writer may wait."""


class S3Lock:
    """The writer lock of the S3 lake of `layout` (in its lake bucket, with the other `_meta/` keys).

    `ttl_s` must exceed the longest run of any writer (Lambda's timeout is at most 900 s).
    """

    def __init__(
        self,
        client: Any,
        layout: S3LakeLayout,
        *,
        ttl_s: float = 1800.0,
        wait_s: float = 120.0,
        poll_s: float = 0.5,
    ) -> None:
        self.client = client
        self.bucket, self.key = layout.locate(LOCK_KEY)
        self.ttl_s, self.wait_s, self.poll_s = ttl_s, wait_s, poll_s
        self.owner = uuid.uuid4().hex

    def _body(self) -> bytes:
        return json.dumps({"owner": self.owner, "expires": time.time() + self.ttl_s}).encode()

    def _put(self, **condition: str) -> bool:
        return put_if(self.client, self.bucket, self.key, self._body(), **condition)

    def _holder(self) -> tuple[dict[str, Any], str] | None:
        try:
            obj = self.client.get_object(Bucket=self.bucket, Key=self.key)
        except ClientError as exc:
            if error_code(exc) in NOT_FOUND_CODES:
                return None
            raise
        return json.loads(obj["Body"].read()), obj["ETag"]

    def _acquire_once(self) -> bool:
        if self._put(IfNoneMatch="*"):
            return True
        holder = self._holder()
        if holder is not None and holder[0]["expires"] < time.time():
            return self._put(IfMatch=holder[1])  # the holder died: take over, unless another did first
        return False

    @contextmanager
    def held(self) -> Iterator[None]:
        """Hold the lock for the block; raise LakeBusyError after waiting `wait_s` for it."""
        deadline = time.monotonic() + self.wait_s
        while not self._acquire_once():
            if time.monotonic() > deadline:
                raise LakeBusyError(f"s3://{self.bucket}/{self.key} is held by another writer")
            time.sleep(self.poll_s)
        try:
            yield
        finally:
            holder = self._holder()
            if holder is not None and holder[0]["owner"] == self.owner:  # never release a taken-over lock
                self.client.delete_object(Bucket=self.bucket, Key=self.key)
