"""Entries edited in several places are paired as comparing everything pairs them.

The prefix of a query's rarest shingles reaches every choice lacking at most half of them; where
the next rarest posting lists are short it widens, up to ``WIDEST_MISSING``, so paragraphs with
four to eight scattered word edits that still score >= the cutoff are found too
(``bench/bench_fuzzy_recall.py`` measures this on every corpus shape).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest
from rapidfuzz import fuzz

from polyleaf.catalog import fuzzy
from polyleaf.catalog.fuzzy import FUZZY_CUTOFF, fuzzy_pairs

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from bench_fuzzy_recall import edited  # the benchmark's edit model
from corpus import make_corpus


def _queries(shape: str, entries: int, k: int) -> tuple[list[str], list[str]]:
    texts = [e.msgid for e in make_corpus(entries, seed=5, shape=shape).old.entries]
    rng = random.Random(k)
    pool = sorted({w for t in texts for w in t.split(" ")})
    queries = [q for t in texts[::3] if (q := edited(t, k, pool, rng)) != t
               and fuzz.ratio(q, t) >= FUZZY_CUTOFF]
    return queries, texts


@pytest.mark.parametrize("shape", ["zipf", "neardup"])
def test_scattered_edits_are_paired_as_by_comparing_everything(shape: str) -> None:
    queries, texts = _queries(shape, 1200, 7)
    assert len(queries) > 200
    assert fuzzy_pairs(queries, texts) == fuzzy_pairs(queries, texts, blocking=False)


def test_without_the_wider_prefix_scattered_edits_are_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above exercises the widening: at half the shingles alone, pairs are lost."""
    queries, texts = _queries("zipf", 1200, 7)
    monkeypatch.setattr(fuzzy, "WIDEST_MISSING", fuzzy.SHARE_MISSING)
    blocked = set(fuzzy_pairs(queries, texts))
    assert set(fuzzy_pairs(queries, texts, blocking=False)) - blocked
