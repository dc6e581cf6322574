"""A lean merge (the entries both catalogs carry over unchanged held as fingerprints and read
again when written) writes exactly what a merge of the whole catalogs writes.

Hypothesis writes old catalogs and templates with the differential test's independent
serializer (contexts, plurals, fuzzy and obsolete entries, an obsolete twin of a live entry,
LF/CRLF/CR line ends, UTF-8 or Latin-1, a byte-order mark, with or without a header); the
templates keep, edit, add and bring back entries in any order, and the piece size is shrunk
to a few bytes so that both files are cut into many pieces. The lean result, the whole-file
result and ``merge`` of the two catalogs read whole are compared byte for byte (or
diagnostic for diagnostic). Then what the lean read promises beyond that: no carried text
held, few pieces held when the template keeps the old order, a file rewritten in place during
the merge refused with nothing written (either file), one replaced by a rename read as it
was, two keys sharing a fingerprint refused, and the CLI writing the same bytes either way.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.catalog import encoding, leanread, mergefile
from polyleaf.catalog.leanread import StandIn, lean_catalogs
from polyleaf.catalog.merge import merge
from polyleaf.catalog.mergefile import merged_files
from polyleaf.catalog.pofile import serialize_bytes, serialize_stream
from polyleaf.catalog.reading import read_catalog
from polyleaf.cli import main
from polyleaf.errors import PolyleafError
from polyleaf.i18n import locale_info
from tests.test_po_differential import MSGS, Msg, render

EXAMPLES = int(os.environ.get("POLYLEAF_HYPOTHESIS_EXAMPLES", "60")) * 3
NOW = "2026-12-07 12:00+0000"
HUGE = 1 << 40  # a lean_over no file reaches: read whole


def _outcome(old: Path, pot: Path, lean_over: int) -> object:
    try:
        with merged_files(old, pot, NOW, "de", lean_over) as (head, entries):
            return b"".join(serialize_stream(head, entries))
    except PolyleafError as exc:
        return [(d.line, d.code, d.message) for d in exc.diagnostics]


def _plain(old: Path, pot: Path) -> object:
    """What ``merge`` of the two catalogs read whole writes."""
    try:
        template = read_catalog(pot, str(pot))
        return serialize_bytes(merge(read_catalog(old, str(old)), template, locale_info("de"),
                                     NOW))
    except PolyleafError as exc:
        return [(d.line, d.code, d.message) for d in exc.diagnostics]


def _template(olds: list[Msg], kept: list[bool], edited: list[bool], added: list[Msg],
              order: list[int]) -> list[Msg]:
    msgs = [Msg(m.msgid + (" edited" if edit else ""), "", m.ctxt, m.plural, False, False,
                False, False) for m, keep, edit in zip(olds, kept, edited, strict=False) if keep]
    # (an added entry may be obsolete: a template may hold "#~" entries too)
    msgs += [Msg(m.msgid, "", m.ctxt, m.plural, False, m.obsolete, False, False) for m in added]
    return [msgs[i % len(msgs)] for i in order] + msgs if msgs else []


@dataclass(frozen=True)
class Form:
    """How one file is written."""

    charset: str
    endings: tuple[str, ...]
    split: bool
    bom: bool
    headless: bool


FORMS = st.builds(Form, st.sampled_from(["UTF-8", "UTF-8", "ISO-8859-1"]),
                  st.sampled_from([("\n",), ("\r\n",), ("\r",), ("\n", "\r\n")]),
                  st.booleans(), st.booleans(), st.booleans())


def _write(path: Path, msgs: list[Msg], form: Form) -> None:
    text = render(msgs, form.charset, list(form.endings), form.split)
    if form.headless:  # the header: 7 lines and a blank line, each with its line end
        text = "".join(re.split(r"(\r\n|\r|\n)", text)[16:])
    data = text.encode("utf-8" if form.charset == "UTF-8" else "latin-1")
    path.write_bytes(b"\xef\xbb\xbf" + data if form.bom and form.charset == "UTF-8" else data)


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(olds=st.lists(MSGS, max_size=10), kept=st.lists(st.booleans(), max_size=10),
       edited=st.lists(st.booleans(), max_size=10), added=st.lists(MSGS, max_size=3),
       order=st.lists(st.integers(0, 20), max_size=12), old_form=FORMS,
       pot_form=st.one_of(st.just(Form("UTF-8", ("\n",), False, False, False)), FORMS),
       piece=st.integers(1, 200))
def test_a_lean_merge_writes_what_a_whole_merge_writes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, olds: list[Msg], kept: list[bool],
        edited: list[bool], added: list[Msg], order: list[int], old_form: Form,
        pot_form: Form, piece: int) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    _write(old, olds, old_form)
    _write(pot, _template(olds, kept, edited, added, order), pot_form)
    whole = _outcome(old, pot, HUGE)
    assert whole == _plain(old, pot)
    monkeypatch.setattr(encoding, "PIECE", piece)
    assert _outcome(old, pot, 0) == whole


def _catalog_text(count: int, obsolete_twin: bool = False) -> str:
    header = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    body = "".join(f'#: a.md:{i}\nmsgid "message {i}"\nmsgstr "Nachricht {i}"\n\n'
                   for i in range(count))
    twin = '#~ msgid "message 3"\n#~ msgstr "Nachricht 3"\n' if obsolete_twin else ""
    return header + body + twin


def _pot_text(numbers: list[int]) -> str:
    return 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n' + "".join(
        f'#: a.md:{i}\nmsgid "message {i}"\nmsgstr ""\n\n' for i in numbers)


def test_carried_entries_stand_in_on_both_sides_and_few_pieces_are_held_in_the_old_order(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(_catalog_text(3000), encoding="utf-8")
    pot.write_text(_pot_text([*range(1, 3000), 5000]), encoding="utf-8")  # 0 gone, 5000 new
    monkeypatch.setattr(encoding, "PIECE", 2048)
    held: list[int] = []
    whole = leanread.Lean._whole

    def watched(self: leanread.Lean, entry: leanread.Entry) -> leanread.Entry:
        found = whole(self, entry)
        held.append(len(self._held))
        return found

    monkeypatch.setattr(leanread.Lean, "_whole", watched)
    with lean_catalogs(old, "old.po", pot, "new.pot") as (catalog, template, _):
        stand_ins = [e for e in catalog.entries if isinstance(e, StandIn)]
        assert len(stand_ins) == 2999 and not any(e.msgstr for e in stand_ins)
        assert not any("message" in e.msgid for e in stand_ins)
        gone = [e for e in catalog.entries if not isinstance(e, StandIn)]
        assert [(e.msgid, e.msgstr) for e in gone] == [("message 0", "Nachricht 0")]
        assert len({e.piece for e in stand_ins}) > 40  # about 120 KB in 2 KB pieces
        carried = [e for e in template.entries if isinstance(e, StandIn)]
        assert len(carried) == 2999 and {e.msgid for e in carried} == {leanread.HOLDER}
        assert [e.locations for e in carried[:2]] == [("a.md:1",), ("a.md:2",)]
        assert [e.msgid for e in template.entries if not isinstance(e, StandIn)] == [
            "message 5000"]  # new: held whole, for the fuzzy matching
        assert {e.mark for e in carried} == {e.mark for e in stand_ins}
    assert _outcome(old, pot, 0) == _outcome(old, pot, HUGE)
    assert len(held) == 2999 and max(held) <= 1  # each piece read once, dropped when done


def test_a_stand_in_keeps_every_field_but_the_msgid() -> None:
    whole = leanread.Entry("id", "str", "ctx", "ids", ("a", "b"), ("fuzzy", "c-format"),
                           ("a.md:1",), ("auto",), ("translator",), "pctx", "pid", "pids",
                           True, 7)
    held = leanread.without_msgid(whole, b"mark")
    assert held.msgid == leanread.HOLDER and held.mark == b"mark"
    assert leanread.with_msgid(held, "id") == whole
    assert type(leanread.with_msgid(held, "id")) is leanread.Entry


def test_a_stand_in_carries_every_field_entry_has_whatever_they_are() -> None:
    """Built from the dataclass's own fields, so a field added to Entry is covered too: each
    set to a value no default has, and each comes back."""
    values: dict[str, object] = {}
    for number, field in enumerate(fields(leanread.Entry)):
        default = field.default
        values[field.name] = (not default if isinstance(default, bool) else number + 100
                              if isinstance(default, int) else (f"v{number}",)
                              if isinstance(default, tuple) else f"v{number}")
    whole = leanread.Entry(**values)  # type: ignore[arg-type]
    held = leanread.without_msgid(whole, b"mark")
    assert all(getattr(held, name) == value for name, value in values.items() if name != "msgid")
    assert leanread.with_msgid(held, whole.msgid) == whole


def test_an_obsolete_twin_of_a_carried_entry_is_compared_with_its_whole_translation(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(_catalog_text(20, obsolete_twin=True), encoding="utf-8")
    pot.write_text(_pot_text(list(range(20))), encoding="utf-8")
    monkeypatch.setattr(encoding, "PIECE", 64)
    with lean_catalogs(old, "old.po", pot, "new.pot") as (catalog, _, _):
        twin = [e for e in catalog.entries if e.msgid == "message 3"]
        assert [(type(e), e.msgstr) for e in twin] == [(leanread.Entry, "Nachricht 3")] * 2
    lean = _outcome(old, pot, 0)
    assert lean == _outcome(old, pot, HUGE)
    assert isinstance(lean, bytes) and lean.count(b"Nachricht 3") == 1  # the same text: kept once


def test_a_file_rewritten_in_place_during_the_merge_is_refused_and_nothing_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot, out = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "out.po"
    old.write_text(_catalog_text(400), encoding="utf-8")
    pot.write_text(_pot_text(list(range(400))), encoding="utf-8")
    out.write_bytes(b"before")
    monkeypatch.setattr(encoding, "PIECE", 1024)
    from polyleaf.fsutil import write_atomic_chunks

    with pytest.raises(PolyleafError) as info, \
            merged_files(old, pot, NOW, "de", 0) as (head, entries):
        for edited in (old, pot):  # another program edits the files in place
            with edited.open("r+b") as same_file:
                same_file.seek(edited.stat().st_size // 2)
                same_file.write(b"X")
        write_atomic_chunks(out, serialize_stream(head, entries))
    assert [(d.code, d.path) for d in info.value.diagnostics] == [("po.changed", str(old))]
    assert out.read_bytes() == b"before"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_the_template_is_read_once_at_the_start(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(_catalog_text(300), encoding="utf-8")
    pot.write_text(_pot_text(list(range(300))), encoding="utf-8")
    expected = _outcome(old, pot, HUGE)
    monkeypatch.setattr(encoding, "PIECE", 1024)
    with merged_files(old, pot, NOW, "de", 0) as (head, entries):
        pot.write_text(_pot_text(list(range(300, 600))), encoding="utf-8")
        assert b"".join(serialize_stream(head, entries)) == expected


def test_two_keys_sharing_a_fingerprint_are_refused_not_merged(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(_catalog_text(10).replace("message 2", "message 20"), encoding="utf-8")
    pot.write_text(_pot_text([0, 2, 3, 4, 5, 6, 7, 8, 9]), encoding="utf-8")
    real = leanread.fingerprint

    def colliding(msgctxt: str | None, msgid: str) -> bytes:  # message 1 and 2 collide
        return b"same" if msgid in ("message 1", "message 2") else real(msgctxt, msgid)

    monkeypatch.setattr(leanread, "fingerprint", colliding)
    outcome = _outcome(old, pot, 0)
    assert outcome == [(0, "po.changed", "the file changed while it was being merged; the "
                                         "merge stopped and left its output file as it was")]
    monkeypatch.setattr(leanread, "fingerprint", real)
    assert _outcome(old, pot, 0) == _outcome(old, pot, HUGE)  # and without the collision


def test_a_file_replaced_by_a_rename_during_the_merge_is_read_as_it_was(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot, other = tmp_path / "old.po", tmp_path / "new.pot", tmp_path / "saved.po"
    old.write_text(_catalog_text(300), encoding="utf-8")
    pot.write_text(_pot_text(list(range(300))), encoding="utf-8")
    expected = _outcome(old, pot, HUGE)
    monkeypatch.setattr(encoding, "PIECE", 1024)
    with merged_files(old, pot, NOW, "de", 0) as (head, entries):
        other.write_text(_catalog_text(300).replace("Nachricht", "Meldung"), encoding="utf-8")
        other.replace(old)  # an editor saves: a new file under the old name
        assert b"".join(serialize_stream(head, entries)) == expected


@pytest.mark.parametrize("how", [["-U"], ["-o", "out.po"], []])
def test_the_cli_writes_the_same_bytes_lean_or_whole(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: list[str]) -> None:
    results = []
    for lean_over in (HUGE, 0):
        folder = tmp_path / str(lean_over)
        folder.mkdir()
        (folder / "old.po").write_text(_catalog_text(500), encoding="utf-8")
        (folder / "new.pot").write_text(_pot_text([*range(250, 500), *range(0, 240)]),
                                        encoding="utf-8")
        monkeypatch.setattr(mergefile, "LEAN_OVER", lean_over)
        monkeypatch.setattr(encoding, "PIECE", 1024)
        monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
        monkeypatch.chdir(folder)
        result = CliRunner().invoke(main, ["merge", *how, "old.po", "new.pot"])
        assert result.exit_code == 0, result.output
        written = {"-U": "old.po", "-o": "out.po"}.get(how[0] if how else "")
        results.append((folder / written).read_bytes() if written else result.stdout_bytes)
    assert results[0] == results[1]
    assert results[0].count(b"Nachricht") == 500 and b'#~ msgid "message 245"' in results[0]


def test_comments_before_blank_lines_stay_with_their_entries_when_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old, pot = tmp_path / "old.po", tmp_path / "new.pot"
    old.write_text(_catalog_text(60).replace("#: a.md:", "# note\n\n#. auto\n\n#: a.md:"),
                   encoding="utf-8")
    pot.write_text(_pot_text(list(range(60))), encoding="utf-8")
    whole = _outcome(old, pot, HUGE)
    for piece in (1, 7, 40, 200):  # cuts never fall between a comment and its entry
        monkeypatch.setattr(encoding, "PIECE", piece)
        assert _outcome(old, pot, 0) == whole
    assert isinstance(whole, bytes) and whole.count(b"# note\n") == 60


def test_the_fingerprints_of_different_keys_digest_different_bytes() -> None:
    # a context's length written as 8 bytes once made (ctx, "x") digest the bytes of a msgid
    # of NULs and ctx without a context (found by review)
    context = "c" * 45
    for crafted in ("\0" * 7 + context + "x", "-" + "\0" * 7 + context + "x",
                    "\x01-" + "\0" * 7 + context + "x"):
        assert leanread.fingerprint(context, "x") != leanread.fingerprint(None, crafted)
    assert leanread.fingerprint("", "x") != leanread.fingerprint(None, "x")


@settings(max_examples=EXAMPLES, deadline=None)
@given(keys=st.lists(st.tuples(st.one_of(st.none(), st.text(max_size=12)), st.text(max_size=12)),
                     min_size=2, max_size=8, unique=True))
def test_fingerprints_are_equal_only_for_equal_keys(keys: list[tuple[str | None, str]]) -> None:
    assert len({leanread.fingerprint(*key) for key in keys}) == len(keys)
