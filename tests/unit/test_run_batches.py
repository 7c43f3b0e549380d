"""How a run splits its bronze objects into batches: in order, each once, starting small."""

from __future__ import annotations

from pathlib import Path

from shopware.pipeline.bronze import land, list_objects
from shopware.pipeline.lake import Lake
from shopware.pipeline.runner import FIRST_BATCH_FRACTION, prepared_batches

OBJECT_BYTES = 100


def _land(lake: Lake, source: str, count: int) -> list[str]:
    for i in range(count):
        line = f'{{"n": {i}}}'.encode()
        land(lake.store, source, line.ljust(OBJECT_BYTES - 1) + b"\n", ext="jsonl", durable=False)
    return list_objects(lake.store, source)


def test_batches_start_small_double_up_to_the_limit_and_keep_every_object_once(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    web, crm = _land(lake, "web", 40), _land(lake, "crm", 10)
    batch_bytes = FIRST_BATCH_FRACTION * OBJECT_BYTES
    batches = [keys for keys, _groups in prepared_batches(lake, [("web", web), ("crm", crm)], batch_bytes)]

    # One object, then twice as many each batch up to batch_bytes (16 objects); crm goes on from there.
    assert [len(b) for b in batches] == [1, 2, 4, 8, 16, 9, 10]
    assert [k for b in batches for k in b] == web + crm
    assert batches[-1] == crm  # a batch holds one source's objects


def test_an_object_larger_than_the_first_limit_is_a_batch_of_its_own(tmp_path: Path) -> None:
    lake = Lake(tmp_path)
    keys = _land(lake, "web", 3)
    batches = [keys for keys, _groups in prepared_batches(lake, [("web", keys)], OBJECT_BYTES)]
    assert batches == [[k] for k in keys]
