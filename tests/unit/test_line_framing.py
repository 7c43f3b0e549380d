"""How line-framed bronze objects become records: one per non-blank line, numbered as in the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopware.pipeline.bronze import land, list_objects
from shopware.pipeline.lake import Lake
from shopware.pipeline.silver_stage import prepare_batch
from shopware.transforms.contracts import WEB


def _records(tmp_path: Path, deliveries: list[bytes]) -> list[tuple[int, int, str]]:
    """(delivery index, line number, line) of every record framed from `deliveries`, in order."""
    lake = Lake(tmp_path)
    for data in deliveries:
        land(lake.store, "web", data, ext="jsonl", durable=False)
    keys = list_objects(lake.store, "web")
    [group] = prepare_batch(lake, WEB, keys)
    lines = group.lines.to_pydict()
    index = {k: i for i, k in enumerate(keys)}
    return [
        (index[obj], no, raw)
        for obj, no, raw in zip(lines["_bronze_object"], lines["_record_no"], lines["raw"], strict=True)
    ]


@pytest.mark.parametrize(
    ("deliveries", "expected"),
    [
        # Every line kept: a final newline adds no line, and its absence loses none.
        ([b"a\nb\n", b"c\nd"], [(0, 1, "a"), (0, 2, "b"), (1, 1, "c"), (1, 2, "d")]),
        # CRLF line ends are trimmed, also on the last line.
        ([b"a\r\nb\r\n", b"c\n"], [(0, 1, "a"), (0, 2, "b"), (1, 1, "c")]),
        # Blank and whitespace-only lines are no records but keep their numbers; an empty object has none.
        ([b"a\n\n \t\nb\n\n", b"", b"c"], [(0, 1, "a"), (0, 4, "b"), (2, 1, "c")]),
    ],
)
def test_lines_become_records_numbered_as_in_the_file(
    tmp_path: Path, deliveries: list[bytes], expected: list[tuple[int, int, str]]
) -> None:
    assert _records(tmp_path, deliveries) == expected
