"""Compare gold tables with the conformance cases' expected CSVs, per the conformance README.

Row order is irrelevant; numbers compare with a relative tolerance of 1e-6, `_ts` instants to the
millisecond; dates as YYYY-MM-DD; booleans as True/False; an empty cell is null.
"""

from __future__ import annotations

import csv
import math
from datetime import date
from pathlib import Path
from typing import Any

REL_TOL = 1e-6
TS_TOL = 1e-3


def _canonical(value: Any) -> Any:
    """A comparable form: None, str, bool or float."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    if text in ("True", "False"):
        return text == "True"
    try:
        return float(text)
    except ValueError:
        return text


def _sort_key(row: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(
        (0, "") if v is None else (1, f"{v:.6g}") if isinstance(v, float) else (2, str(v)) for v in row
    )


def read_expected(path: Path) -> tuple[list[str], list[tuple[Any, ...]]]:
    """Header and canonical rows of an expected CSV."""
    with path.open(newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        return header, [tuple(_canonical(v) for v in row) for row in reader]


def _close(column: str, a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, float) and isinstance(b, float):
        if column.endswith("_ts"):
            return abs(a - b) <= TS_TOL
        return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)
    return bool(a == b)


def diff_table(
    columns: list[str], expected: list[tuple[Any, ...]], actual: list[tuple[Any, ...]]
) -> list[str]:
    """Human-readable differences between expected and actual rows (empty when they match)."""
    actual_rows = sorted((tuple(_canonical(v) for v in row) for row in actual), key=_sort_key)
    expected_rows = sorted(expected, key=_sort_key)
    problems = []
    if len(actual_rows) != len(expected_rows):
        problems.append(f"row count: expected {len(expected_rows)}, got {len(actual_rows)}")
    for exp, act in zip(expected_rows, actual_rows, strict=False):
        bad = [c for c, a, b in zip(columns, exp, act, strict=True) if not _close(c, a, b)]
        if bad:
            problems.append(f"expected {exp}\n      got {act}  (columns {bad})")
            if len(problems) > 5:
                break
    return problems
