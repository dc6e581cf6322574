"""Counting posting lists over bitsets gives the answer of counting them one by one."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import bitcount, fuzzy

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import make_corpus


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.integers(0, 200), unique=True), max_size=40), st.integers(0, 45))
def test_at_least_k_lists_equals_counting_them(lists: list[list[int]], least: int) -> None:
    planes: list[int] = []
    for numbers in lists:
        bitcount.add(planes, bitcount.bitset(numbers))
    everyone = (1 << 201) - 1
    counts = Counter(n for numbers in lists for n in numbers)
    want = sorted(n for n in range(201) if counts[n] >= least)
    assert bitcount.members(bitcount.at_least(planes, least, everyone)) == want


@pytest.mark.parametrize("shape", ["cjk", "uniform", "zipf", "short"])
def test_candidates_are_the_same_counted_either_way(shape: str,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(1500, seed=3, shape=shape)
    old = {e.msgid for e in corpus.old.entries}
    new = {e.msgid for e in corpus.template.entries}
    queries = [e.msgid for e in corpus.template.entries if e.msgid not in old]
    choices = [e.msgid for e in corpus.old.entries if e.msgid not in new]
    index = fuzzy.ShingleIndex(choices)
    monkeypatch.setattr(fuzzy, "BITSET_RATIO", 0)
    counted = [index.candidates(q) for q in queries]
    monkeypatch.setattr(fuzzy, "BITSET_RATIO", 10**9)
    monkeypatch.setattr(fuzzy, "BITSET_VOLUME", 0)
    assert [index.candidates(q) for q in queries] == counted
    assert any(counted)


def test_the_kept_bitsets_stay_within_their_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = make_corpus(1500, seed=3, shape="cjk")
    choices = [e.msgid for e in corpus.old.entries]
    monkeypatch.setattr(fuzzy, "BITSET_RATIO", 10**9)
    monkeypatch.setattr(fuzzy, "BITSET_VOLUME", 0)
    monkeypatch.setattr(fuzzy, "BITSET_KEPT", 0)
    monkeypatch.setattr(fuzzy, "BITSET_MEMORY", 4096)
    index = fuzzy.ShingleIndex(choices)
    for text in choices[:200]:
        index.candidates(text)
    assert 0 < index._kept <= 4096
    assert sum(bits.bit_length() // 8 for bits in index._bitsets.values()) <= 4096
