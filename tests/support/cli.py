"""Drive the `shopware-pipeline` CLI in-process, as a user would from a shell."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import duckdb
from typer.testing import CliRunner

from shopware.kpi.tables import gold_tables
from shopware.pipeline.cli import app

SOURCE_DIRS = {
    "stores": "reference",
    "products": "reference",
    "pos": "pos",
    "inventory": "inventory",
    "web": "web",
    "crm": "crm",
}


def cli(lake: Path, *args: str) -> Any:
    """Run one CLI command against `lake`; fail the test on a non-zero exit."""
    result = CliRunner().invoke(app, ["--lake", str(lake), *args])
    assert result.exit_code == 0, f"{args} exited {result.exit_code}:\n{result.output}\n{result.exception!r}"
    return result


def case_files(case: Path, source: str) -> list[Path]:
    """A source's input files of a conformance case, in file-name order."""
    folder = case / "input" / SOURCE_DIRS[source]
    if source in ("stores", "products"):
        return [folder / f"{source}.csv"]
    return sorted(folder.iterdir())


def ingest_case(lake: Path, case: Path, *, skip: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """Ingest every file of a case, reference data first, each source's files in name order."""
    for source in SOURCE_DIRS:
        files = [f for f in case_files(case, source) if f.name not in skip]
        if files:
            cli(lake, "ingest", source, *map(str, files))


def rounded(value: Any) -> Any:
    # Parallel engines sum doubles in no fixed order, so the last bits of a sum may differ between two
    # computations of the same rows; 12 significant digits is far beyond the contracts' 1e-6 tolerance.
    return float(f"{value:.12g}") if isinstance(value, float) else value


def gold_snapshot(lake: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every gold table of the warehouse, rows sorted, for equality checks."""
    con = duckdb.connect(str(lake / "warehouse.duckdb"), read_only=True)
    try:
        return {
            t.name: sorted(
                (
                    tuple(map(rounded, row))
                    for row in con.execute(f"SELECT * FROM {t.mart}.{t.name}").fetchall()
                ),
                key=repr,
            )
            for t in gold_tables().values()
        }
    finally:
        con.close()
