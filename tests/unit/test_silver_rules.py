"""The source contracts' coercion, normalisation and rejection rules, record by record (DuckDB, no I/O)."""

from __future__ import annotations

import json
from typing import Any

import duckdb
import pyarrow as pa
import pytest

from shopware.transforms import silver
from shopware.transforms.contracts import CRM, INVENTORY, POS, WEB, Source

RECEIVED = 1_790_900_000.0  # 2026-10-02T06:13:20Z: timestamps up to 24 h later are valid


def _typed(source: Source, lines: list[str], *, csv: bool = False) -> list[dict[str, Any]]:
    con = duckdb.connect()
    n = len(lines)
    con.register(
        "lines",
        pa.table(
            {
                "_bronze_object": ["obj"] * n,
                "_object_no": [0] * n,
                "_received_epoch": [RECEIVED] * n,
                "_record_no": list(range(1, n + 1)),
                "raw": lines,
                "_first": [i == 0 for i in range(n)],
            }
        ),
    )
    con.register(
        "arrays",
        pa.table(
            {
                "_bronze_object": pa.array([], pa.string()),
                "_received_epoch": pa.array([], pa.float64()),
                "text": pa.array([], pa.string()),
            }
        ),
    )
    framed = silver.frame_sql(source, "lines", "arrays", csv=csv)
    cur = con.execute(f"SELECT * FROM ({silver.typed_sql(source, framed, csv=csv)}) ORDER BY _record_no")
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def _web(**fields: Any) -> str:
    record = {"session_id": "s1", "page": "/a", "timestamp": 1_790_820_000.5} | fields
    return json.dumps({k: v for k, v in record.items() if v is not ...})


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (5, 5),
        (5.0, 5),
        ("5", 5),
        (" 5 ", 5),
        ("5.0", 5),
        ("1e3", 1000),
        ("-7", -7),
        (9_007_199_254_740_993, 9_007_199_254_740_993),
        ("9007199254740993", 9_007_199_254_740_993),
    ],
)
def test_integers_accept_integral_representations(raw: Any, expected: int) -> None:
    [row] = _typed(WEB, [_web(user_id=raw)])
    assert row["reasons"] == []
    assert row["user_id"] == expected


@pytest.mark.parametrize("raw", [5.5, "5.5", "abc", True, [1], {"a": 1}, "NaN", "inf"])
def test_integers_reject_everything_else(raw: Any) -> None:
    [row] = _typed(WEB, [_web(user_id=raw)])
    assert row["reasons"] == ["invalid_int:user_id"]


@pytest.mark.parametrize("raw", [None, "", "   ", ...])
def test_nullable_fields_take_null_empty_or_absent(raw: Any) -> None:
    [row] = _typed(WEB, [_web(user_id=raw, device_type=raw)])
    assert row["reasons"] == []
    assert row["user_id"] is None
    assert row["device_type"] is None


@pytest.mark.parametrize("raw", [None, "", " ", ...])
def test_required_fields_must_be_present(raw: Any) -> None:
    [row] = _typed(WEB, [_web(session_id=raw)])
    assert row["reasons"] == ["missing_field:session_id"]


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("not-a-time", "invalid_timestamp"),
        (12, "invalid_timestamp"),
        (946_684_799.9, "invalid_timestamp"),
        (RECEIVED + 86_401, "invalid_timestamp"),
        ("NaN", "invalid_timestamp"),
        (None, "missing_field:timestamp"),
    ],
)
def test_timestamps_outside_2000_to_arrival_plus_a_day_are_invalid(raw: Any, reason: str) -> None:
    [row] = _typed(WEB, [_web(timestamp=raw)])
    assert row["reasons"] == [reason]


@pytest.mark.parametrize("raw", [946_684_800, "1790820000.25", RECEIVED + 86_400])
def test_timestamps_in_range_are_accepted(raw: Any) -> None:
    [row] = _typed(WEB, [_web(timestamp=raw)])
    assert row["reasons"] == []
    assert row["timestamp"] == float(raw)


@pytest.mark.parametrize(
    ("raw", "page"),
    [
        ("explore/tags?x=1", "/explore/tags"),
        ("/a#frag", "/a"),
        ("//double", "/double"),
        (" /x ", "/x"),
        ("?q", "/"),
    ],
)
def test_pages_lose_query_and_fragment_and_get_one_leading_slash(raw: str, page: str) -> None:
    [row] = _typed(WEB, [_web(page=raw)])
    assert row["page"] == page


@pytest.mark.parametrize("space", [" ", "\t", "\n", "\x0b", "\x0c", "\r"])
def test_strings_lose_whitespace_at_either_edge_only(space: str) -> None:
    rows = _typed(
        WEB, [_web(browser=f"{space}Fire fox"), _web(browser=f"Fire fox{space}"), _web(browser="Fire fox")]
    )
    assert [r["browser"] for r in rows] == ["Fire fox"] * 3
    [blank] = _typed(WEB, [_web(browser=space * 2)])
    assert blank["browser"] is None
    assert blank["reasons"] == []


def test_open_enumerations_are_canonical_or_title_cased() -> None:
    rows = _typed(WEB, [_web(device_type="mobile", event_type="CLICK"), _web(device_type="smart tv")])
    assert (rows[0]["device_type"], rows[0]["event_type"]) == ("Mobile", "Click")
    assert rows[1]["device_type"] == "Smart Tv"


def test_closed_enumeration_rejects_unknown_values() -> None:
    base = {"customer_id": 1, "timestamp": 1_790_820_000}
    rows = _typed(
        CRM,
        [
            json.dumps(base | {"interaction_type": "feedback"}),
            json.dumps(base | {"interaction_type": "Refund"}),
        ],
    )
    assert rows[0]["interaction_type"] == "Feedback"
    assert rows[0]["reasons"] == []
    assert rows[1]["reasons"] == ["unknown_interaction_type"]


def test_personal_data_is_redacted() -> None:
    base = {"customer_id": 1, "interaction_type": "Loyalty", "timestamp": 1_790_820_000}
    rows = _typed(
        CRM,
        [
            json.dumps(base | {"message_excerpt": m})
            for m in ("mail me: jane.doe@example.com", "Call +1 (415) 555-0100 today", "order 42 ok")
        ],
    )
    assert [r["message_excerpt"] for r in rows] == ["mail me: [email]", "Call [phone] today", "order 42 ok"]


def test_rating_range() -> None:
    base = {"customer_id": 1, "interaction_type": "Feedback", "timestamp": 1_790_820_000}
    rows = _typed(CRM, [json.dumps(base | {"rating": r}) for r in (1, 5, 0, 6)])
    assert [r["reasons"] for r in rows] == [[], [], ["out_of_range:rating"], ["out_of_range:rating"]]


def test_framing_errors() -> None:
    rows = _typed(INVENTORY, ['{"inventory_id": 1', "[1, 2]", "null", '"text"'])
    assert [r["reasons"] for r in rows] == [
        ["malformed_json"],
        ["not_an_object"],
        ["not_an_object"],
        ["not_an_object"],
    ]


def test_every_applicable_reason_is_listed() -> None:
    [row] = _typed(
        INVENTORY,
        [json.dumps({"inventory_id": "x", "product_id": 1, "stock_level": -1, "last_updated": "soon"})],
    )
    assert row["reasons"] == [
        "invalid_int:inventory_id",
        "missing_field:warehouse_id",
        "out_of_range:stock_level",
        "invalid_timestamp",
    ]


def test_csv_rules_header_by_name_and_discount_bounds() -> None:
    header = "timestamp,transaction_id,store_id,product_id,quantity,revenue,discount_applied,extra"
    lines = [
        header,
        "1790820000,T1, 4 ,100,2.0,10.0,,x",
        "1790820000,T2,1,100,1,10.0,10.5,x",
        "1790820000,T3,1,100,1,10.0",
        '1790820000,"T4",1,100,1,10.0,1.0,x',
    ]
    rows = _typed(POS, lines, csv=True)
    by_id = {r["_record_no"]: r for r in rows}
    assert by_id[2]["reasons"] == []
    assert (by_id[2]["store_id"], by_id[2]["quantity"], by_id[2]["discount_applied"]) == (4, 2, None)
    assert by_id[3]["reasons"] == ["out_of_range:discount_applied"]
    assert by_id[4]["reasons"] == ["malformed_csv"]
    assert by_id[5]["transaction_id"] == "T4"


def test_csv_missing_contract_column_quarantines_every_row() -> None:
    rows = _typed(POS, ["id,store,qty", "1,2,3", "4,5,6"], csv=True)
    assert [r["reasons"] for r in rows] == [["bad_header"], ["bad_header"]]


def test_pos_records_also_arrive_as_json_lines() -> None:
    record = {
        "transaction_id": "T9",
        "store_id": "3",
        "product_id": 101,
        "quantity": 2.0,
        "revenue": "20.5",
        "discount_applied": None,
        "timestamp": 1_790_820_000,
    }
    [row] = _typed(POS, [json.dumps(record)])
    assert row["reasons"] == []
    assert (row["store_id"], row["quantity"], row["revenue"]) == (3, 2, 20.5)


@pytest.mark.parametrize("chunk", [1, 1024])  # one array per scan chunk (as the stage does), all in one
def test_json_arrays_frame_into_records_and_a_malformed_array_into_one(chunk: int) -> None:
    arrays = {
        "a": '[{"inventory_id": 1}, {"inventory_id": 2}]',
        "b": '[{"inventory_id": 3}, {"inventory_id"',  # truncated
        "c": "[]",
        "d": '[{"inventory_id": 4}]',
    }
    table = pa.table(
        {
            "_bronze_object": list(arrays),
            "_received_epoch": [RECEIVED] * len(arrays),
            "text": list(arrays.values()),
        }
    )
    con = duckdb.connect()
    con.register("arrays", pa.Table.from_batches(table.to_batches(max_chunksize=chunk)))
    lines = pa.schema(
        {
            "_bronze_object": pa.string(),
            "_received_epoch": pa.float64(),
            "_record_no": pa.int64(),
            "raw": pa.string(),
        }
    )
    con.register("lines", lines.empty_table())
    framed = silver.frame_sql(INVENTORY, "lines", "arrays")
    rows = con.execute(
        f"SELECT _bronze_object, _record_no, raw, frame_reason FROM ({framed}) ORDER BY 1, 2"
    ).fetchall()
    assert rows == [
        ("a", 1, '{"inventory_id":1}', None),
        ("a", 2, '{"inventory_id":2}', None),
        ("b", 1, arrays["b"], "malformed_json"),
        ("d", 1, '{"inventory_id":4}', None),
    ]
