"""Similarity scoring never makes a huge text cost quadratic time (the class, not one case).

rapidfuzz's ``ratio`` costs the product of two texts' lengths: two 1 MB paragraphs differing by
one word took 16 s to merge (0.17 s at 100 kB). Every place that scores author or translator
text for similarity caps it at ``linear.FUZZY_LONGEST`` characters and matches longer texts
exactly only: the merge, the translation memory (``tests/test_tmindex.py``) and the review's
"approved for an earlier wording" lookup. Word diffs for reviewers have their own cap
(``review.worddiff.MAX_CELLS``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from polyleaf.catalog.merge import merge
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.content.model import Segment, SegmentKind, SourceLocation
from polyleaf.i18n import locale_info
from polyleaf.linear import FUZZY_LONGEST
from polyleaf.review.state import _edited_from

WORDS = ("pain", "neck", "rest", "walk", "sleep", "doctor", "tablet", "water", "heat", "ice")


def paragraph(size: int, variant: str = "") -> str:
    words = [WORDS[n % len(WORDS)] + str(n % 89) for n in range(size // 7)]
    if variant:
        words[len(words) // 2] = variant
    return " ".join(words)


def linear(cost: Callable[[int], float]) -> None:
    small = min(cost(100_000) for _ in range(2))
    large = min(cost(1_000_000) for _ in range(2))
    assert large < 25 * max(small, 0.01), (small, large)


def _merge(size: int) -> tuple[Catalog, float]:
    old = Catalog(header="", entries=(Entry(paragraph(size), msgstr="X" + paragraph(size)),
                                      Entry("Short text.", msgstr="Kurzer Text.")))
    template = Catalog(header="", entries=(Entry(paragraph(size, "changed")),
                                           Entry("Short texts.")))
    start = time.process_time()
    merged = merge(old, template, locale_info("de"), "2026-01-01 00:00+0000")
    return merged, time.process_time() - start


def test_merging_huge_paragraphs_costs_linear_time() -> None:
    linear(lambda size: _merge(size)[1])


def test_an_edited_huge_paragraph_keeps_its_translation_as_obsolete() -> None:
    merged, _ = _merge(2 * FUZZY_LONGEST)
    by_id = {e.msgid: e for e in merged.entries}
    fresh = by_id[paragraph(2 * FUZZY_LONGEST, "changed")]
    assert not fresh.msgstr and not fresh.fuzzy  # too long to score: not guessed
    kept = by_id[paragraph(2 * FUZZY_LONGEST)]
    assert kept.obsolete and kept.msgstr == "X" + paragraph(2 * FUZZY_LONGEST)  # nothing lost
    short = by_id["Short texts."]
    assert short.fuzzy and short.msgstr == "Kurzer Text."  # short texts are still paired


def test_the_earlier_wording_of_a_huge_segment_is_looked_up_in_linear_time(
        tmp_path: Path) -> None:
    def cost(size: int) -> float:
        segment = Segment(paragraph(size, "changed"), SegmentKind.PARAGRAPH,
                          SourceLocation("a.md", 1))
        orphans = {(None, paragraph(size)): "approval", (None, "Short text."): "other"}
        start = time.process_time()
        _edited_from(segment, None, orphans)  # type: ignore[arg-type]
        return time.process_time() - start

    linear(cost)
    segment = Segment("Short texts.", SegmentKind.PARAGRAPH, SourceLocation("a.md", 1))
    assert _edited_from(segment, None, {(None, "Short text."): "found"}) == "found"  # type: ignore[arg-type]
