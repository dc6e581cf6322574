"""Differential test of the PO reader against polib and GNU msgfmt.

Hypothesis writes catalogs the way many tools do (random line ends: LF, CRLF, CR, mixed; UTF-8
or Latin-1, with or without a BOM; escapes, multi-line strings, contexts, flags, comments,
previous msgids, obsolete and plural entries) with a serializer of its own, independent of
polyleaf's. Whenever polyleaf reads a file, it must read exactly the translations polib reads
and at least as many as ``msgfmt --statistics`` counts; when it cannot, it must refuse (raise),
so that no writer ever replaces a file it half understood.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import polib
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from polyleaf.catalog.reading import read_catalog
from polyleaf.errors import PolyleafError

EXAMPLES = int(os.environ.get("POLYLEAF_DIFFERENTIAL_EXAMPLES", "250"))
MSGFMT = shutil.which("msgfmt")
VOLUME = {"files": 0, "entries": 0}

TEXT = st.text(alphabet=st.sampled_from([*'ab cdéñ"\\\n\t%{}-', "ü", "ß", "ø"]),
               min_size=1, max_size=30)


@dataclass(frozen=True)
class Msg:
    msgid: str
    msgstr: str
    ctxt: str | None
    plural: bool
    fuzzy: bool
    obsolete: bool
    comment: bool
    previous: bool


MSGS = st.builds(Msg, TEXT, st.one_of(st.just(""), TEXT), st.one_of(st.none(), TEXT),
                 st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans())


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")


def _string(keyword: str, text: str, split: bool, prefix: str) -> list[str]:
    if split and len(text) > 3:
        middle = len(text) // 2
        return [f'{prefix}{keyword} ""', f'{prefix}"{_escape(text[:middle])}"',
                f'{prefix}"{_escape(text[middle:])}"']
    return [f'{prefix}{keyword} "{_escape(text)}"']


def _entry(msg: Msg, split: bool) -> list[str]:
    prefix = "#~ " if msg.obsolete else ""
    lines = ["# translator note"] if msg.comment else []
    if not msg.obsolete:
        lines.append("#: source.md:1")
    if msg.fuzzy:
        lines.append("#, fuzzy, c-format" if msg.comment else "#, fuzzy")
    if msg.previous and not msg.obsolete:
        lines.extend(_string("msgid", "old " + msg.msgid, False, "#| "))
    if msg.ctxt is not None:
        lines.extend(_string("msgctxt", msg.ctxt, split, prefix))
    lines.extend(_string("msgid", msg.msgid, split, prefix))
    if msg.plural:
        lines.extend(_string("msgid_plural", msg.msgid + "s", split, prefix))
        lines.extend(_string("msgstr[0]", msg.msgstr, split, prefix))
        lines.extend(_string("msgstr[1]", msg.msgstr and msg.msgstr + "s", split, prefix))
    else:
        lines.extend(_string("msgstr", msg.msgstr, split, prefix))
    return lines


def render(msgs: list[Msg], charset: str, endings: list[str], split: bool) -> str:
    header = ['msgid ""', 'msgstr ""', '"Project-Id-Version: diff\\n"',
              '"MIME-Version: 1.0\\n"', f'"Content-Type: text/plain; charset={charset}\\n"',
              '"Content-Transfer-Encoding: 8bit\\n"',
              '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"']
    blocks, seen = [header], set()
    for msg in msgs:
        key = (msg.ctxt, msg.msgid, msg.obsolete)
        if key in seen:
            continue
        seen.add(key)
        blocks.append(_entry(msg, split))
    lines = [line for block in blocks for line in [*block, ""]]
    return "".join(line + endings[i % len(endings)] for i, line in enumerate(lines))


def polib_count(path: Path) -> int | None:
    try:
        return len(polib.pofile(str(path)).translated_entries())
    except (OSError, ValueError, UnicodeError):
        return None


def msgfmt_count(path: Path) -> int | None:
    assert MSGFMT is not None
    done = subprocess.run([MSGFMT, "--statistics", "-o", os.devnull, str(path)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return None
    match = re.search(r"(\d+) translated message", done.stderr)
    return int(match.group(1)) if match else 0


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is a test dependency; "
                    "bash dev.sh test installs it")
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(msgs=st.lists(MSGS, min_size=1, max_size=12),
       charset=st.sampled_from(["UTF-8", "ISO-8859-1"]),
       endings=st.sampled_from([["\n"], ["\r\n"], ["\r"], ["\n", "\r\n"], ["\r\n", "\r", "\n"]]),
       bom=st.booleans(), split=st.booleans())
def test_polyleaf_reads_what_polib_and_msgfmt_read_or_refuses(
        msgs: list[Msg], charset: str, endings: list[str], bom: bool, split: bool) -> None:
    text = render(msgs, charset, endings, split)
    try:
        data = text.encode("utf-8" if charset == "UTF-8" else "latin-1")
    except UnicodeEncodeError:
        data = text.replace("ß", "ss").encode("utf-8")  # cannot happen: alphabet is Latin-1
    if bom and charset == "UTF-8":
        data = b"\xef\xbb\xbf" + data
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.po"
        path.write_bytes(data)
        VOLUME["files"] += 1
        VOLUME["entries"] += len(msgs)
        try:
            catalog = read_catalog(path, "x.po")
        except PolyleafError:
            return  # refused: nothing is written, which other tests check
        ours = sum(1 for e in catalog.entries if e.translated and not e.fuzzy and not e.obsolete)
        theirs = polib_count(path)
        if theirs is not None:
            assert ours == theirs, f"polib read {theirs} translations, polyleaf {ours}"
        if "\r" not in "".join(endings):  # GNU reads a lone CR as part of the line
            gnu = msgfmt_count(path)
            if gnu is not None:
                assert ours >= gnu, f"msgfmt compiled {gnu} translations, polyleaf read {ours}"


def test_the_differential_volume_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    # Runs after the property test in file order; shows the volume in -s / -rA output.
    with capsys.disabled():
        print(f"\npo differential: {VOLUME['files']} files, {VOLUME['entries']} entries")
    assert VOLUME["files"] > 0 or MSGFMT is None
