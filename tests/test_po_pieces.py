"""Reading a UTF-8 catalog a piece at a time is reading it whole.

``load_catalog`` decodes and parses a large UTF-8 file in pieces cut after blank lines, so it
never holds the file's bytes or text whole. That must change nothing a caller can see: the same
entries (with their line numbers), the same header, and for a bad file the same diagnostic
(code and line) as decoding and parsing the whole text. Hypothesis writes catalogs with the
differential test's independent serializer and then damages them (stray lines, extra blank
lines, invalid bytes, a duplicate, CRLF and CR line ends); the piece size is shrunk to a few
bytes so that every file is cut in many places.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.catalog import encoding, pofile
from polyleaf.catalog.encoding import decode_po
from polyleaf.catalog.reading import _parsed, load_catalog, shared_msgids
from polyleaf.errors import PolyleafError
from tests.test_po_differential import MSGS, render

EXAMPLES = int(os.environ.get("POLYLEAF_HYPOTHESIS_EXAMPLES", "60")) * 3

DAMAGE = st.lists(st.tuples(st.floats(0, 1), st.sampled_from(
    [b"\n", b"\n\n", b"\r\n\r\n", b"garbage line\n", b'"orphan"\n', b"\xff", b"\xc3",
     b"msgid \"dup\"\nmsgstr \"x\"\n\n", b"#~ msgid \"old\"\n", b"\xe2\x80\x94", b"\r",
     b"# stray note\n", b"#. auto\n\n", b"#~| msgid \"was\"\n\n"])),
    max_size=4)


def _damaged(data: bytes, damage: list[tuple[float, bytes]]) -> bytes:
    for where, insert in damage:
        at = int(where * len(data))
        data = data[:at] + insert + data[at:]
    return data


def _outcome(read: object) -> object:
    """What a caller sees: the catalog and warnings, or the diagnostics raised."""
    try:
        return read()  # type: ignore[operator]
    except PolyleafError as exc:
        return [(d.line, d.code, d.message) for d in exc.diagnostics]


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(msgs=st.lists(MSGS, min_size=0, max_size=10),
       endings=st.sampled_from([["\n"], ["\r\n"], ["\r"], ["\n", "\r\n"], ["\r\n", "\r", "\n"]]),
       bom=st.booleans(), split=st.booleans(), damage=DAMAGE, piece=st.integers(1, 64))
def test_a_file_read_in_pieces_reads_as_the_whole_text(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, msgs: list[object], endings: list[str],
        bom: bool, split: bool, damage: list[tuple[float, bytes]], piece: int) -> None:
    data = _damaged(render(msgs, "UTF-8", endings, split).encode("utf-8"), damage)  # type: ignore[arg-type]
    data = b"\xef\xbb\xbf" + data if bom else data
    path = tmp_path / "x.po"
    path.write_bytes(data)
    monkeypatch.setattr(encoding, "PIECE", piece)
    whole = _outcome(lambda: _parsed(decode_po(data, "x.po"), "x.po"))
    assert _outcome(lambda: load_catalog(path, "x.po")) == whole


def test_a_large_file_is_cut_into_many_pieces_at_blank_lines(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    entries = "".join(f'msgid "m{i}"\nmsgstr "t{i}"\n\n' for i in range(2000))
    path = tmp_path / "big.po"
    path.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n' + entries,
                    encoding="utf-8")
    monkeypatch.setattr(encoding, "PIECE", 1024)
    with path.open("rb") as stream:
        pieces = list(encoding.utf8_pieces(stream.read(encoding.HEAD + 3), stream, "big.po"))
    assert len(pieces) > 30  # 40 KB in pieces of about 1 KB
    assert all(text.endswith("\n\n") for text in pieces[:-1])
    assert "".join(pieces) == path.read_text(encoding="utf-8")
    catalog, _ = load_catalog(path, "big.po")
    assert [e.msgid for e in catalog.entries] == [f"m{i}" for i in range(2000)]
    assert catalog.entries[-1].line == 3 + 3 * 1999 + 1


def test_an_invalid_byte_after_a_syntax_error_is_what_is_reported(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  ) -> None:
    body = 'msgid "a"\nmsgstr "b"\n\nnonsense\n\n' + 'msgid "c"\nmsgstr "d"\n\n' * 50
    path = tmp_path / "bad.po"
    path.write_bytes(body.encode() + b'msgid "\xff"\nmsgstr ""\n')
    monkeypatch.setattr(encoding, "PIECE", 16)
    with pytest.raises(PolyleafError) as info:
        load_catalog(path, "bad.po")
    # the syntax error on line 4 comes first in the text, but whole-file decoding (and so
    # every other reader of the file) reports the bad byte on line 156
    assert [(d.code, d.line) for d in info.value.diagnostics] == [("po.encoding", 156)]


def test_a_template_read_for_a_merge_shares_the_old_catalogs_msgids(tmp_path: Path) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text('msgid "kept"\nmsgstr "behalten"\n\nmsgid "gone"\nmsgstr "weg"\n\n',
                   encoding="utf-8")
    pot.write_text('msgid "kept"\nmsgstr ""\n\nmsgid "new"\nmsgstr ""\n\nmsgctxt "c"\nmsgid ""\n'
                   '"ke"\n"pt"\nmsgstr ""\n', encoding="utf-8")
    old_catalog, _ = load_catalog(old, "old.po")
    known = shared_msgids(old_catalog)
    shared, _ = load_catalog(pot, "new.pot", known=known)
    alone, _ = load_catalog(pot, "new.pot")
    assert shared == alone  # the same catalog, whatever is shared
    kept = old_catalog.entries[0].msgid
    assert shared.entries[0].msgid is kept and alone.entries[0].msgid is not kept
    assert shared.entries[1].msgid == "new"
    assert shared.entries[2].msgid is kept  # a key of its own, a msgid in two lines: shared


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(msgs=st.lists(MSGS, min_size=1, max_size=10), blanks=st.lists(st.integers(0, 3)),
       piece=st.integers(1, 64))
def test_blank_lines_after_comments_change_nothing_whole_or_in_pieces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, msgs: list[object], blanks: list[int],
        piece: int) -> None:
    # GNU gettext gives a comment to the entry after it, whatever blank lines come between
    text = render(msgs, "UTF-8", ["\n"], False)  # type: ignore[arg-type]
    lines, spaced, number = text.split("\n"), [], 0
    for line in lines:
        spaced.append(line)
        if line.startswith("#") and (not line.startswith("#~") or line[2:].lstrip()[:1] in "#|"):
            spaced.extend([""] * (blanks[number % len(blanks)] if blanks else 1))
            number += 1
    path = tmp_path / "x.po"
    path.write_text("\n".join(spaced), encoding="utf-8")
    monkeypatch.setattr(encoding, "PIECE", piece)

    def unlined(catalog: object) -> object:
        return [replace(e, line=0) for e in catalog.entries], catalog.header_comments  # type: ignore[attr-defined]

    expected = unlined(pofile.parse(text))
    assert unlined(pofile.parse("\n".join(spaced))) == expected
    assert unlined(load_catalog(path, "x.po")[0]) == expected
