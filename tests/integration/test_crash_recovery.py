"""A run that dies half-way leaves the lake as it was; the next run does the work exactly once."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopware.pipeline import runner
from shopware.pipeline.lake import Lake
from shopware.pipeline.settings import PipelineSettings
from tests.support.cli import cli, gold_snapshot, ingest_case


def test_a_crashed_run_is_invisible_and_the_next_run_recovers(
    tmp_path: Path, case01: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crashed, clean = tmp_path / "crashed", tmp_path / "clean"
    for lake in (crashed, clean):
        ingest_case(lake, case01)
    cli(clean, "run")

    original = runner.GoldStage.refresh

    def die_after_half(self: runner.GoldStage, changes: runner.GoldChanges, progress: object = None) -> None:
        tables = iter(range(100))

        def count(_name: str) -> None:
            if next(tables) == 8:
                raise RuntimeError("simulated crash in the middle of the gold stage")

        original(self, changes, count)

    monkeypatch.setattr(runner.GoldStage, "refresh", die_after_half)
    with pytest.raises(RuntimeError, match="simulated crash"):
        runner.run_pipeline(PipelineSettings(lake=crashed))
    monkeypatch.undo()

    lake = Lake(crashed)
    assert lake.committed_runs() == []
    assert list((crashed / "silver").rglob("*.parquet"))  # the dead run did write files ...
    cli(crashed, "run")  # ... which the next run ignores and sweeps
    assert gold_snapshot(crashed) == gold_snapshot(clean)
    assert len(lake.committed_runs()) == 1
    runs = {p.name.split("-")[1] for p in (crashed / "silver").rglob("part-*.parquet")}
    assert runs == set(lake.committed_runs())
