"""A fake Kinesis client for what moto cannot do: moto's PutRecords never fails partially or throttles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError


class FakeKinesis:
    """Records every PutRecords call; fails the entries `fail_entry` names and throttles chosen calls."""

    def __init__(
        self,
        fail_entry: Callable[[int, bytes], str | None] = lambda call, data: None,
        throttle_calls: frozenset[int] = frozenset(),
    ) -> None:
        self.fail_entry = fail_entry
        self.throttle_calls = throttle_calls
        self.calls: list[list[dict[str, Any]]] = []
        self.delivered: list[bytes] = []

    def put_records(self, *, StreamName: str, Records: list[dict[str, Any]]) -> dict[str, Any]:
        call = len(self.calls)
        self.calls.append(Records)
        if call in self.throttle_calls:
            error = {"Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"}}
            raise ClientError(error, "PutRecords")
        results: list[dict[str, Any]] = []
        for entry in Records:
            code = self.fail_entry(call, entry["Data"])
            if code:
                results.append({"ErrorCode": code, "ErrorMessage": "fake failure"})
            else:
                self.delivered.append(entry["Data"])
                results.append({"SequenceNumber": str(len(self.delivered)), "ShardId": "shardId-0"})
        failed = sum(1 for r in results if "ErrorCode" in r)
        return {"FailedRecordCount": failed, "Records": results}
