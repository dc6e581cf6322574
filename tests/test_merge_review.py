"""A merge keeps every translation and never makes live what msgfmt would refuse.

Found by an adversarial review (cases the merge tests had not seen): a plural entry whose source
became singular lost both forms, exactly matched or fuzzy-matched; an obsolete plural beside a
live twin vanished; a fuzzy entry whose ``#|`` equalled its msgid was made live with a broken
format or newline; an exact match whose template gained ``#, c-format`` went live with a
translation msgfmt rejects; and a line of Unicode-only whitespace between comments and their
entry cut them off (the fuzzy flag too) in the reader. GNU ``msgmerge --previous`` and
``msgfmt --check`` are the judges here; every case runs on the whole and the lean path.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.catalog import formats, pofile
from polyleaf.catalog.mergefile import merged_files
from polyleaf.catalog.pofile import Entry, serialize_stream
from polyleaf.errors import PolyleafError

MSGFMT, MSGMERGE = shutil.which("msgfmt"), shutil.which("msgmerge")
NEEDS_GNU = pytest.mark.skipif(MSGFMT is None or MSGMERGE is None,
                               reason="GNU gettext is a test dependency: dev.sh installs it")
HEAD = ('msgid ""\nmsgstr ""\n"Language: de\\n"\n"MIME-Version: 1.0\\n"\n'
        '"Content-Type: text/plain; charset=UTF-8\\n"\n"Content-Transfer-Encoding: 8bit\\n"\n'
        '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"\n\n')


def _merge(tmp_path: Path, old: str, pot: str, lean: bool) -> str:
    (tmp_path / "old.po").write_text(HEAD + old, encoding="utf-8")
    (tmp_path / "new.pot").write_text(HEAD + pot, encoding="utf-8")
    with merged_files(tmp_path / "old.po", tmp_path / "new.pot", "2026-12-08 12:00+0000", "de",
                      0 if lean else 1 << 40) as (head, entries):
        return b"".join(serialize_stream(head, entries)).decode("utf-8")


def _both(tmp_path: Path, old: str, pot: str) -> str:
    whole, lean = _merge(tmp_path, old, pot, False), _merge(tmp_path, old, pot, True)
    assert lean == whole
    return whole


def _accepted(tmp_path: Path, text: str) -> bool:
    (tmp_path / "check.po").write_text(text, encoding="utf-8")
    return subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null",
                           str(tmp_path / "check.po")], capture_output=True).returncode == 0


def _gnu(tmp_path: Path, old: str, pot: str) -> polib.POEntry:
    (tmp_path / "g.po").write_text(HEAD + old, encoding="utf-8")
    (tmp_path / "g.pot").write_text(HEAD + pot, encoding="utf-8")
    out = subprocess.run([MSGMERGE or "msgmerge", "--previous", "-q", "-o", "-",
                          str(tmp_path / "g.po"), str(tmp_path / "g.pot")],
                         capture_output=True, text=True, check=True).stdout
    return polib.pofile(out)[0]


def _entry(text: str) -> polib.POEntry:
    return polib.pofile(text)[0]


PLURAL = ('msgid "Deleted one file from the folder"\nmsgid_plural "Deleted %d files from the '
          'folder"\nmsgstr[0] "Eine Datei gelöscht"\nmsgstr[1] "%d Dateien gelöscht"\n')
SINGULAR_CASES = {
    "exact": 'msgid "Deleted one file from the folder"\nmsgstr ""\n',
    "edited": 'msgid "Deleted one file from the folders"\nmsgstr ""\n',
}


@NEEDS_GNU
@pytest.mark.parametrize("case", sorted(SINGULAR_CASES))
def test_a_plural_whose_source_became_singular_keeps_its_first_form_as_msgmerge_does(
        tmp_path: Path, case: str) -> None:
    out = _both(tmp_path, PLURAL, SINGULAR_CASES[case])
    ours, theirs = _entry(out), _gnu(tmp_path, PLURAL, SINGULAR_CASES[case])
    assert ours.msgstr == theirs.msgstr == "Eine Datei gelöscht"
    assert ours.fuzzy and theirs.fuzzy
    assert (ours.previous_msgid, ours.previous_msgid_plural) == (
        theirs.previous_msgid, theirs.previous_msgid_plural) == (
        "Deleted one file from the folder", "Deleted %d files from the folder")
    assert _accepted(tmp_path, out)


@NEEDS_GNU
def test_a_singular_whose_source_became_plural_is_fuzzy_with_its_old_source(tmp_path: Path) -> None:
    old = 'msgid "file"\nmsgstr "Datei"\n'
    pot = 'msgid "file"\nmsgid_plural "files"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    ours, theirs = _entry(_both(tmp_path, old, pot)), _gnu(tmp_path, old, pot)
    assert ours.msgstr_plural[0] == theirs.msgstr_plural[0] == "Datei"
    assert ours.fuzzy and theirs.fuzzy and ours.previous_msgid == theirs.previous_msgid == "file"


def test_an_obsolete_plural_beside_its_live_twin_is_kept(tmp_path: Path) -> None:
    live = 'msgid "a"\nmsgid_plural "as"\nmsgstr[0] ""\nmsgstr[1] ""\n'
    old = live + '\n#~ msgid "a"\n#~ msgid_plural "as"\n#~ msgstr[0] "P"\n#~ msgstr[1] "Q"\n'
    out = _both(tmp_path, old, live)
    assert '#~ msgstr[0] "P"' in out and '#~ msgstr[1] "Q"' in out


# (old entry, template entry): each left live, msgfmt --check would refuse the result
REFUSED = {
    "fuzzy, #| = msgid, format broken": (
        '#, fuzzy, c-format\n#| msgid "%d item"\nmsgid "%d items"\nmsgstr "%s Elemente"\n',
        '#, c-format\nmsgid "%d item"\nmsgstr ""\n'),
    "fuzzy, #| = msgid, newline broken": (
        '#, fuzzy\n#| msgid "Hello"\nmsgid "Hello"\nmsgstr "Hallo\\n"\n', 'msgid "Hello"\nmsgstr ""\n'),
    "the template adds c-format": ('msgid "Value %d"\nmsgstr "Wert %s"\n',
                                   '#, c-format\nmsgid "Value %d"\nmsgstr ""\n'),
    "the template adds python-format": ('msgid "%(n)s left"\nmsgstr "noch %(m)s"\n',
                                        '#, python-format\nmsgid "%(n)s left"\nmsgstr ""\n'),
    "edited and reverted, format broken": (
        '#, fuzzy, python-brace-format\n#| msgid "{n} left"\nmsgid "{n} are left"\n'
        'msgstr "noch {m}"\n', '#, python-brace-format\nmsgid "{n} left"\nmsgstr ""\n'),
}


@NEEDS_GNU
@pytest.mark.parametrize("case", sorted(REFUSED))
def test_no_entry_is_made_live_that_msgfmt_would_refuse(tmp_path: Path, case: str) -> None:
    old, pot = REFUSED[case]
    out = _both(tmp_path, old, pot)
    assert _accepted(tmp_path, out)
    entry = _entry(out)
    assert entry.fuzzy and entry.msgstr == _entry(HEAD + old).msgstr  # kept, for review


def test_a_reverted_edit_with_a_sound_translation_is_still_made_live(tmp_path: Path) -> None:
    old = '#, fuzzy, c-format\n#| msgid "%d item"\nmsgid "%d items"\nmsgstr "%d Element"\n'
    entry = _entry(_both(tmp_path, old, '#, c-format\nmsgid "%d item"\nmsgstr ""\n'))
    assert not entry.fuzzy and entry.msgstr == "%d Element" and entry.previous_msgid is None


@pytest.mark.parametrize("space", ["\u00a0", "\u3000", "\u2028", "\u0085", "\u001c"])
@pytest.mark.parametrize("lean", [False, True])
def test_a_line_of_unicode_space_is_a_syntax_error_not_a_blank_line(
        tmp_path: Path, space: str, lean: bool) -> None:
    old = f'# note\n#, fuzzy\n#| msgid "old x"\n{space}\n\nmsgid "x"\nmsgstr "X"\n'
    with pytest.raises(PolyleafError) as caught:
        _merge(tmp_path, old, 'msgid "x"\nmsgstr ""\n', lean)
    assert caught.value.diagnostics[0].code == "po.syntax"
    assert caught.value.diagnostics[0].line == HEAD.count("\n") + 4
    with pytest.raises(pofile.PoSyntaxError):
        pofile.parse(HEAD + old)  # the whole-text parser agrees with the streamed reader


FLAGS = st.sampled_from([(), ("c-format",), ("python-format",), ("python-brace-format",),
                         ("no-c-format",), ("fuzzy",), ("fuzzy", "c-format")])
WORDS = st.sampled_from(["%d", "%s", "%(n)s", "{n}", "{m}", "%%", "\\n", "Datei", "file", " "])
TEXT = st.lists(WORDS, min_size=1, max_size=4).map("".join)


def _block(msgid: str, msgstr: str, flags: tuple[str, ...], previous: str | None,
           plural: bool) -> str:
    lines = [f"#, {', '.join(flags)}"] if flags else []
    lines += [f'#| msgid "{previous}"'] if previous is not None and "fuzzy" in flags else []
    if plural:
        return "\n".join([*lines, f'msgid "{msgid}"', f'msgid_plural "{msgid}s"',
                          f'msgstr[0] "{msgstr}"', f'msgstr[1] "{msgstr}"', ""])
    return "\n".join([*lines, f'msgid "{msgid}"', f'msgstr "{msgstr}"', ""])


@NEEDS_GNU
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(msgid=TEXT, msgstr=TEXT, new_id=st.one_of(st.none(), TEXT), old_flags=FLAGS,
       new_flags=FLAGS.map(lambda f: tuple(x for x in f if x != "fuzzy")), old_plural=st.booleans(),
       new_plural=st.booleans(), previous=st.one_of(st.none(), TEXT))
def test_valid_inputs_merge_into_a_valid_catalog_that_keeps_the_translation(
        tmp_path: Path, msgid: str, msgstr: str, new_id: str | None, old_flags: tuple[str, ...],
        new_flags: tuple[str, ...], old_plural: bool, new_plural: bool,
        previous: str | None) -> None:
    """Whatever the flags, plural forms, ``#|`` and edits: when msgfmt accepts both inputs it
    accepts the merge, and the old translation is in it (live, fuzzy or obsolete)."""
    old = _block(msgid, msgstr, old_flags, previous if previous is not None else msgid, old_plural)
    pot = _block(new_id if new_id is not None else msgid, "", new_flags, None, new_plural)
    if not (_accepted(tmp_path, HEAD + old) and _accepted(tmp_path, HEAD + pot)):
        return
    out = _both(tmp_path, old, pot)
    assert _accepted(tmp_path, out), (old, pot, out)
    wanted = _entry(HEAD + old)
    wanted_text = wanted.msgstr or wanted.msgstr_plural[0]
    kept = [e.msgstr or e.msgstr_plural.get(0, "") for e in polib.pofile(out)]
    assert wanted_text in kept, (old, pot, out)


def test_the_format_patterns_are_linear_in_their_input() -> None:
    def cost(size: int) -> float:
        start = time.perf_counter()
        for unit in ("%0", "%1", "%(", "%.", "{", "%1$", "%" + "0" * 50):
            text = unit * (size // len(unit))
            formats.sure_valid(Entry(text, text + "x", flags=tuple(formats.KNOWN)))
        for text in ("%" + "0" * size + "Q", "%" + "1" * size + "$Q", "%(" + "a%" * (size // 2)):
            formats.sure_valid(Entry(text, text, flags=tuple(formats.KNOWN)))
        return time.perf_counter() - start

    small, large = cost(100_000), cost(1_000_000)
    assert large < max(small, 1e-4) * 40  # quadratic would be x100


@NEEDS_GNU
@pytest.mark.parametrize("forms", [(0, 5), (1, 0), (0, 2, 1), (1,)])
def test_plural_forms_out_of_order_or_left_out_are_refused_as_msgfmt_refuses_them(
        tmp_path: Path, forms: tuple[int, ...]) -> None:
    text = HEAD + 'msgid "a"\nmsgid_plural "b"\n' + "".join(f'msgstr[{n}] "x{n}"\n' for n in forms)
    with pytest.raises(pofile.PoSyntaxError) as caught:
        pofile.parse(text)
    assert caught.value.code == "po.plural-index"
    assert not _accepted(tmp_path, text)  # the judge agrees
    fine = HEAD + 'msgid "a"\nmsgid_plural "b"\nmsgstr[0] "x"\nmsgstr[1] "y"\n'
    assert pofile.parse(fine).entries[-1].msgstr_plural == ("x", "y") and _accepted(tmp_path, fine)
