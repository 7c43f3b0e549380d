"""Framing of deliveries into records: what is accepted, what is kept byte for byte, what is refused."""

from __future__ import annotations

import csv
import io
import json

import pytest

from shopware.ingestion.records import (
    BodyError,
    Record,
    encode_jsonl,
    encode_pos_csv,
    parse_body,
    partition_key,
    plan_batches,
    record_from_value,
)


def test_single_object_is_kept_as_received() -> None:
    body = b'{"session_id": "s1",  "page": "/a", "timestamp": 1.50, "extra": [1, 2]}'
    [record] = parse_body("web", body)
    assert record.data == body
    assert record.partition_key == "s1"


def test_array_elements_are_raw_slices() -> None:
    body = b'[ {"session_id":"a","x":1.0} ,\n{"session_id" : "b", "x": 1e3}]'
    records = parse_body("web", body)
    assert [r.data for r in records] == [b'{"session_id":"a","x":1.0}', b'{"session_id" : "b", "x": 1e3}']


def test_pretty_printed_object_folds_line_breaks_only() -> None:
    body = b'{\n  "customer_id": 7,\r\n  "message_excerpt": "a  b"\n}\n'
    [record] = parse_body("crm", body)
    assert b"\n" not in record.data
    assert json.loads(record.data) == json.loads(body)
    assert record.partition_key == "7"


def test_json_lines_with_blank_lines() -> None:
    body = b'{"session_id":"a"}\n\n  {"session_id":"b"}  \r\n{"session_id":"c"}'
    assert [r.partition_key for r in parse_body("web", body)] == ["a", "b", "c"]


def test_empty_array_is_zero_records() -> None:
    assert parse_body("web", b" [ ] ") == []


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (b"", "empty body"),
        (b"  \n ", "empty body"),
        (b"not json", "line 1: not valid JSON"),
        (b"\xff\xfe{}", "not UTF-8"),
        (b"42", "not a JSON object"),
        (b'[{"a":1}, 2]', "element 1: not a JSON object"),
        (b'{"a":1}\n[1]', "line 2: not a JSON object"),
        (b'{"a":1}\n{"a":', "line 2: not valid JSON"),
        (b'{"a": NaN}', "not valid JSON"),
        (b'{"a":1} {"b":2}', "more than one JSON value"),
        (b'{"a":"raw\ncontrol"}', "not valid JSON"),
    ],
)
def test_bodies_that_are_refused(body: bytes, message: str) -> None:
    with pytest.raises(BodyError, match=message):
        parse_body("web", body)


def test_partition_key_falls_back_to_a_digest() -> None:
    assert partition_key("web", {"session_id": None}, b"x") == partition_key("web", {}, b"x")
    assert len(partition_key("web", {"session_id": "s" * 300}, b"x")) == 32
    assert partition_key("pos", {"transaction_id": " T1 "}, b"x") == "T1"


def test_payload_is_one_json_line() -> None:
    record = record_from_value("inventory", {"inventory_id": 3, "stock_level": 5})
    assert record.payload == b'{"inventory_id":3,"stock_level":5}\n'
    assert record.size == len(record.payload) + 1
    assert encode_jsonl([record, record]).count(b"\n") == 2


def test_plan_batches_respects_both_limits() -> None:
    assert plan_batches([1] * 1200, 500, 10**9) == [range(0, 500), range(500, 1000), range(1000, 1200)]
    assert plan_batches([4, 4, 4, 1], 500, 8) == [range(0, 2), range(2, 4)]
    assert plan_batches([], 500, 8) == []


def test_pos_csv_has_the_contract_header() -> None:
    rows = [
        {"transaction_id": "T1", "store_id": 1, "product_id": 2, "quantity": 3, "revenue": 9.5,
         "discount_applied": None, "timestamp": 1700000000.0, "ignored": "x"},
        {"transaction_id": "T,2", "store_id": "1", "quantity": 1, "revenue": 1, "discount_applied": 0.5,
         "timestamp": "1700000000"},
    ]  # fmt: skip
    text = encode_pos_csv([record_from_value("pos", r) for r in rows]).decode()
    parsed = list(csv.reader(io.StringIO(text)))
    assert parsed[0] == [
        "transaction_id", "store_id", "product_id", "quantity", "revenue", "discount_applied", "timestamp",
    ]  # fmt: skip
    assert parsed[1] == ["T1", "1", "2", "3", "9.5", "", "1700000000.0"]
    assert parsed[2] == ["T,2", "1", "", "1", "1", "0.5", "1700000000"]


def test_record_is_hashable_value() -> None:
    assert Record(b"{}", "k") == Record(b"{}", "k")
