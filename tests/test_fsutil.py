"""The streamed atomic writer (``fsutil.write_atomic_chunks``) against the whole one.

Property: for any old content (or none) and any new content cut into any chunks, the file ends
up holding exactly the new content, the answer says whether it changed, an unchanged file is not
touched (same inode, same mtime), and no temporary file is left. A writer that fails half-way
leaves the old file as it was.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf import fsutil
from polyleaf.catalog import pofile
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.errors import PolyleafError

CONTENT = st.binary(max_size=300) | st.sampled_from([b"", b"abc", b"abc\n" * 50])


def _cut(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({min(c, len(data)) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in pairwise(points)] or [b""]


@settings(max_examples=300, deadline=None)
@given(old=st.none() | CONTENT, new=CONTENT, cuts=st.lists(st.integers(0, 300), max_size=6),
       edit=st.booleans())
def test_the_file_holds_exactly_the_new_content(tmp_path_factory: pytest.TempPathFactory,
                                                old: bytes | None, new: bytes, cuts: list[int],
                                                edit: bool) -> None:
    folder = tmp_path_factory.mktemp("w")
    path = folder / "x.po"
    if edit and old:  # the same length with one byte changed: only a comparison finds it
        new = old[:-1] + bytes([(old[-1] + 1) % 256])
    if old is not None:
        path.write_bytes(old)
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    before = path.stat() if old is not None else None
    changed = fsutil.write_atomic_chunks(path, _cut(new, cuts))
    assert path.read_bytes() == new
    assert changed == (old != new)
    if not changed:
        assert before is not None
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert [p.name for p in folder.iterdir()] == ["x.po"]


def test_a_failure_half_way_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "x.po"
    path.write_bytes(b"old content\n" * 100)

    def chunks() -> Iterator[bytes]:
        yield b"old content\n"  # equal so far: nothing written yet
        yield b"new"
        raise RuntimeError("serialising failed")

    with pytest.raises(RuntimeError):
        fsutil.write_atomic_chunks(path, chunks())
    assert path.read_bytes() == b"old content\n" * 100
    assert [p.name for p in tmp_path.iterdir()] == ["x.po"]


def test_a_disk_error_is_a_diagnostic_naming_the_file(tmp_path: Path) -> None:
    target = tmp_path / "missing-dir-is-a-file"
    target.write_text("")
    with pytest.raises(PolyleafError) as caught:
        fsutil.write_atomic_chunks(target / "x.po", [b"data"], "locales/de/x.po")
    assert caught.value.diagnostics[0].path == "locales/de/x.po"


@settings(max_examples=100, deadline=None)
@given(texts=st.lists(st.text(max_size=40), max_size=30), size=st.integers(1, 200))
def test_chunks_join_to_the_whole_serialisation(texts: list[str], size: int) -> None:
    catalog = Catalog(header=(("Language", "de"),),
                      entries=tuple(Entry(msgid=f"{i}{t}", msgstr=t) for i, t in enumerate(texts)))
    chunks = list(pofile.serialize_chunks(catalog, size=size))
    assert b"".join(chunks) == pofile.serialize(catalog).encode("utf-8")
    assert all(chunks)
