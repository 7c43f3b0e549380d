"""Landing export files into bronze: order, skipping of known content, bounded read-ahead."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopware.pipeline import bronze
from shopware.pipeline.bronze import land_files, list_objects, read_object
from shopware.pipeline.storage import LocalObjectStore


def _files(tmp_path: Path, contents: list[bytes]) -> list[Path]:
    paths = []
    for i, data in enumerate(contents):
        path = tmp_path / "in" / f"export-{i:03}.jsonl"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        paths.append(path)
    return paths


@pytest.mark.parametrize("budget", [1, 64, 1 << 30])  # below one file, a few files, everything
def test_files_land_in_the_order_given_once_per_content(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, budget: int
) -> None:
    monkeypatch.setattr(bronze, "_LANDING_BUDGET", budget)
    contents = [f'{{"session_id": "s{i}"}}\n'.encode() * (i % 5 + 1) for i in range(40)]
    contents[7] = contents[3]  # the same content twice in one call lands once
    store = LocalObjectStore(tmp_path / "lake")
    landed = land_files(store, "web", _files(tmp_path, contents))
    assert [obj is None for obj in landed] == [i == 7 for i in range(40)]
    keys = list_objects(store, "web")
    expected = [data for i, data in enumerate(contents) if i != 7]
    assert [read_object(store, key) for key in keys] == expected
    assert keys == [obj.key for obj in landed if obj is not None]

    again = land_files(store, "web", _files(tmp_path / "again", contents[::-1]))
    assert again == [None] * 40
    assert list_objects(store, "web") == keys


def test_an_unaccepted_file_type_lands_nothing(tmp_path: Path) -> None:
    paths = _files(tmp_path, [b'{"a": 1}\n'])
    bad = tmp_path / "in" / "export.csv"
    bad.write_text("a,b\n")
    store = LocalObjectStore(tmp_path / "lake")
    with pytest.raises(ValueError, match=r"web accepts json, jsonl files, not \.csv"):
        land_files(store, "web", [*paths, bad])
    assert list_objects(store, "web") == []
