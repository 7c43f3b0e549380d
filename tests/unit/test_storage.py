"""The local object store: keys stay inside the lake root, writes are whole, listings are sorted."""

from __future__ import annotations

from pathlib import Path

import pytest

from shopware.pipeline.storage import LocalObjectStore


@pytest.mark.parametrize("key", ["../outside", "a/../../outside", "/etc/passwd", "a/.."])
def test_a_key_that_escapes_the_root_is_refused(tmp_path: Path, key: str) -> None:
    store = LocalObjectStore(tmp_path / "lake")
    with pytest.raises(ValueError, match="escapes the lake root"):
        store.put(key, b"x")
    assert not (tmp_path / "outside").exists()


def test_put_get_list_and_put_if_absent(tmp_path: Path) -> None:
    store = LocalObjectStore(tmp_path)
    store.put("b/2.txt", b"two")
    store.put("a/1.txt", b"one", durable=False)
    store.put("b/2.txt", b"TWO")  # replaced whole
    assert store.get("b/2.txt") == b"TWO"
    assert list(store.list("")) == ["a/1.txt", "b/2.txt"]
    assert store.put_if_absent("a/1.txt", b"other") is False
    assert store.get("a/1.txt") == b"one"
    assert store.put_if_absent("c/3.txt", b"three") is True
    assert not [p for p in tmp_path.rglob(".tmp-*")]  # no temp file is left behind
