"""The PO writer wraps long strings where ``msgcat`` does, on generated prose and CJK text
built at the edges of the line-break rules (stops, brackets, leading spaces, wide marks)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import powrap
from polyleaf.catalog.pofile import Catalog, Entry, serialize

MSGCAT = shutil.which("msgcat")
EXAMPLES = int(os.environ.get("POLYLEAF_HYPOTHESIS_EXAMPLES", "60"))

LATIN = ["pain", "Kopfschmerzen", "naïve", "10", "2.5", "3,5", "1:2", "well-known", "x-2",
         "patient's", "(back", "neck)", "(50%)", "50%", "end.", "yes,", "why?", "Über", "a"]
EDGES = ["e.g.", "—", "“q”", "a/b", "-", "(", "'", "«x»", "Anti-Übel", "²", "e\u0301", "a--b",
         "$5", "#1", "x" * 90, "a\\b", '"q"', "tab\t", "  ", "!", "?", ".", "[", "{", "°", "*"]
WIDE = ["头痛", "颈部", "疼痛", "。", "，", "、", "「", "」", "（", "）", "々", "ー", "ぁ", "カタ",
        "한국", "ｆ", "〻", "・", "【", "】", "！", "？", "："]


def _texts(pieces: list[str], sep: st.SearchStrategy[str],
           least: int = 1) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(st.sampled_from(pieces), sep), min_size=least, max_size=60).map(
        lambda parts: "".join(p + s for p, s in parts)[:-1] or "x")


PROSE = _texts(LATIN, st.just(" "), 20) | _texts(LATIN + EDGES, st.sampled_from([" ", " ", ""]))
IDEOGRAPHIC = _texts(WIDE, st.just(""), 25) | \
    _texts([*WIDE, "a", " ", "—", "“", "a\u0301", "(", "1", "-", "%"], st.just(""))


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is a test dependency: dev.sh installs it")
@settings(max_examples=EXAMPLES * 3, deadline=None)
@given(st.lists(PROSE | IDEOGRAPHIC, min_size=1, max_size=10))
def test_wrapping_matches_msgcat_at_the_edges_of_the_break_rules(texts: list[str]) -> None:
    entries = tuple(Entry(msgid=f"{i} {t}", msgstr=t) for i, t in enumerate(texts))
    ours = serialize(Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),),
                             entries=entries))
    theirs = subprocess.run([MSGCAT or "msgcat", "-"], input=ours, capture_output=True,
                            text=True, check=True).stdout
    assert ours == theirs


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is a test dependency: dev.sh installs it")
@settings(max_examples=EXAMPLES, deadline=None)
@given(st.lists(PROSE | IDEOGRAPHIC, min_size=1, max_size=6))
def test_previous_and_obsolete_strings_wrap_as_msgcat_wraps_them(texts: list[str]) -> None:
    """Every line of a wrapped ``#| msgid`` and of an obsolete entry carries its prefix, at
    the width msgcat leaves after it (``powrap.format_block`` joins the lines)."""
    live = tuple(Entry(msgid=f"{i} {t}", msgstr=t, flags=("fuzzy",), previous_msgid=f"{t} {i}")
                 for i, t in enumerate(texts))
    obsolete = tuple(Entry(msgid=f"o{i} {t}", msgstr=t, obsolete=True) for i, t in enumerate(texts))
    ours = serialize(Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),),
                             entries=live + obsolete))
    theirs = subprocess.run([MSGCAT or "msgcat", "-"], input=ours, capture_output=True,
                            text=True, check=True).stdout
    assert ours == theirs


@pytest.mark.skipif(MSGCAT is None, reason="GNU gettext (msgcat) is a test dependency: dev.sh installs it")
@pytest.mark.parametrize("text", [" " + "x" * 100 + "z", "   " + "x" * 90, "why?" + "x" * 90 + "?10",
                                  "x" * 90 + "end.(back", "头" * 30 + "。" * 6 + "【头痛",
                                  "a" * 70 + "。1bbb", "a" * 70 + "」(b", "a" * 70 + "。-b"])
def test_cases_where_the_writer_once_broke_differently_from_msgcat(text: str) -> None:
    ours = serialize(Catalog(header=(("Content-Type", "text/plain; charset=UTF-8"),),
                             entries=(Entry(msgid="x", msgstr=text),)))
    theirs = subprocess.run([MSGCAT or "msgcat", "-"], input=ours, capture_output=True,
                            text=True, check=True).stdout
    assert ours == theirs


def test_every_character_of_the_wide_ranges_takes_two_columns() -> None:
    spans = re.findall(r"(.)-(.)", powrap.WIDE_RANGES)
    assert len(spans) == powrap.WIDE_RANGES.count("-") > 5
    narrow = [hex(c) for low, high in spans for c in range(ord(low), ord(high) + 1)
              if powrap._char_width(chr(c)) != 2]
    assert narrow == []




def test_a_pair_of_cjk_ideographs_is_always_a_break_opportunity() -> None:
    """The writer's shortcut (``powrap._HAN_PAIR``) takes a break between two characters it
    matches without the general UAX #14 test: for every such character of the BMP, on either
    side of an ideograph, the general test must say the same."""
    chars = [chr(c) for c in range(0x10000) if powrap._HAN_PAIR.fullmatch(chr(c) * 2)]
    assert len(chars) > 20_000
    assert all(powrap._can_break(c, "中", c) and powrap._can_break("中", c, "中") for c in chars)
