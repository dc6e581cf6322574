"""The fuzzy index stores 32-bit shingle keys, not shingles: a collision may only add candidates.

``ShingleIndex`` keys every shingle by a CRC (``fuzzy.unit_key``) or a mix of its units' CRCs.
These tests hold the fast key functions to the reference definition (one key per shingle of
``sampled``), and run the index with keys cut to 8 bits -- collisions everywhere -- to show the
recall guarantee (every choice lacking at most half of a query's shingles is compared) and the
pairs (equal to comparing everything) do not depend on keys being distinct.
"""

from __future__ import annotations

import hashlib
import sys
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from polyleaf.catalog import fuzzy, postings
from polyleaf.catalog.fuzzy import (
    FUZZY_CUTOFF,
    SHARE_MISSING,
    ShingleIndex,
    choice_keys,
    fuzzy_pairs,
    sampled,
    shingle_key,
    shingle_keys,
    shingles,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from corpus import SHAPES, make_corpus  # bench/corpus.py: the corpus generators

TEXTS = st.lists(st.sampled_from(["pain", "back", "\x003pa", "\x001p", "痛", "み", "x", "2",
                                  "pain", "back"]), max_size=80).map(" ".join) | st.text(max_size=600) \
    | st.lists(st.sampled_from(["痛", "み", "頭", "カ", "ไ", "。", "a", " ", "\x001", "\x003痛", "1"]),
               max_size=60).map("".join)  # runs of characters that are units (q-gram twins)


@settings(max_examples=300, deadline=None)
@given(text=TEXTS, depth=st.integers(0, 3), longest=st.sampled_from([1.0, 1.6667]))
def test_fast_keys_are_one_key_a_shingle_of_the_sample(text: str, depth: int,
                                                       longest: float) -> None:
    """Repeated trigrams, units that look like tagged q-grams, CJK, any text: the keys are
    exactly those of the reference sample, one per distinct shingle."""
    reference = Counter(shingle_key(s) for s in sampled(text, depth, {}, longest))
    assert Counter(shingle_keys(text, depth, {}, longest)) == reference
    assert choice_keys(text, depth, {}, longest) == set(reference)


def _narrow(text: str) -> int:
    """An 8-bit key (not CRC-32's low byte: for texts differing in their last byte that is a
    bijection, and would collide less than chance)."""
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=1).digest()[0]


def _pending_and_pool(shape: str) -> tuple[list[str], list[str]]:
    corpus = make_corpus(150 if shape == "long" else 400, seed=11, shape=shape)
    old = {e.msgid for e in corpus.old.entries}
    new = {e.msgid for e in corpus.template.entries}
    return ([e.msgid for e in corpus.template.entries if e.msgid not in old],
            [e.msgid for e in corpus.old.entries if e.msgid not in new])


@pytest.mark.parametrize("shape", SHAPES)
def test_colliding_keys_lose_no_candidate_and_change_no_pair(
        shape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """With 8-bit keys for units and character q-grams (trigram keys, mixed from their units',
    then take ~250k values) many shingles share a key,
    also within one query. Every choice lacking at most half of a query's shingles is still
    a candidate, and the pairs are those of comparing everything."""
    queries, choices = _pending_and_pool(shape)
    monkeypatch.setattr(fuzzy, "unit_key", _narrow)
    monkeypatch.setattr(fuzzy, "_gram_keys", lambda grams: [_narrow(g) for g in grams])
    index = ShingleIndex(choices)
    longest = (200 - FUZZY_CUTOFF) / FUZZY_CUTOFF
    owned = [shingles(c, longest) for c in choices]
    assert len(index.keys) < len(set().union(*owned))  # shingles do share keys
    checked = 0
    for query in queries:
        if len(query) >= 2 * fuzzy.SAMPLED:  # sampled texts: held by the test in test_merge
            continue
        own = shingles(query)
        found = set(index.candidates(query))
        near = {n for n, theirs in enumerate(owned)
                if len(own - theirs) <= int(SHARE_MISSING * len(own))}
        assert near <= found, query
        checked += len(near)
    assert checked or shape == "long"
    assert fuzzy_pairs(queries, choices) == fuzzy_pairs(queries, choices, blocking=False)


def test_narrow_keys_do_collide_within_one_query(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test above exercises what it claims: a query's own shingles share keys, so a
    count of keys (not shingles) would understate how many the query has."""
    monkeypatch.setattr(fuzzy, "unit_key", _narrow)
    text = " ".join(f"w{n}" for n in range(60))
    keys = shingle_keys(text, 0, {})
    assert len(keys) == len(shingles(text)) > len(set(keys))


def _aa_is_bb(text: str) -> int:
    """CRC-32, except that ``aa`` shares the key of ``bb``: one collision, placed on purpose."""
    return zlib.crc32(("bb" if text == "aa" else text).encode("utf-8", "surrogatepass"))


PAIR_WORDS = st.lists(st.sampled_from(["aa", "bb", "cc", "dd", "ee", "ff", "gg", "hh"]),
                      min_size=14, max_size=30)


@settings(max_examples=400, deadline=None)
@given(query=PAIR_WORDS, others=st.lists(PAIR_WORDS, min_size=1, max_size=12))
def test_a_collision_inside_the_query_loses_no_near_choice(
        query: list[str], others: list[list[str]]) -> None:
    """``aa`` and ``bb`` share a key, so a query holding both has one key fewer than it has
    shingles: the slack is still counted in shingles, and every choice lacking at most half
    of them is compared."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(fuzzy, "unit_key", _aa_is_bb)
        text = " ".join(query)
        choices = [" ".join(o) for o in others]
        found = set(ShingleIndex(choices).candidates(text))
    own = shingles(text)
    for number, choice in enumerate(choices):
        if len(own - shingles(choice)) <= int(SHARE_MISSING * len(own)):
            assert number in found, (text, choice)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(0, 2**32 - 1), max_size=300), st.integers(1, 16))
def test_the_lookup_table_bounds_every_key_by_its_top_bits(values: list[int], bits: int) -> None:
    keys = fuzzy.array("I", sorted(set(values)))
    table = postings.starts_by_top_bits(keys, bits)
    assert len(table) == (1 << bits) + 1 and table[-1] == len(keys)
    for top in range(1 << bits) if bits <= 8 else {k >> (32 - bits) for k in keys}:
        assert all(k >> (32 - bits) == top for k in keys[table[top]:table[top + 1]])
    assert sum(table[t + 1] - table[t] for t in range(1 << bits)) == len(keys)


def test_an_index_with_a_finer_lookup_table_finds_every_key_and_no_other() -> None:
    texts = [" ".join(f"w{i}x{j}" for j in range(10)) + f" shared{i % 97}" for i in range(3000)]
    index = ShingleIndex(texts)
    assert index.shift < 32 - max(4, min(fuzzy.MOST_PARTS, len(texts).bit_length() - 1))
    assert all(index._slot(key) == slot for slot, key in enumerate(index.keys))
    present = set(index.keys)
    absent = [k for k in range(0, 2**32, 2**32 // 5000 + 7) if k not in present]
    assert absent and all(index._slot(key) == -1 for key in absent)


def test_posting_arrays_hand_freed_buckets_back_and_build_the_same_index(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The trims between buckets (postings.TRIM_PAIRS) change nothing but memory: the index
    built with a trim after every bucket equals the one built without any, and they ran."""
    texts = [" ".join(f"w{(i * 7 + j) % 500}" for j in range(30)) for i in range(400)]
    plain = ShingleIndex(texts)
    calls: list[int] = []
    monkeypatch.setattr(postings, "TRIM_PAIRS", 1)
    monkeypatch.setattr(postings, "release_free_memory", lambda: calls.append(1) or True)
    trimmed = ShingleIndex(texts)
    assert len(calls) > 100  # one a non-empty bucket
    for name in ("keys", "starts", "numbers", "first"):
        assert getattr(trimmed, name) == getattr(plain, name), name
    queries = [text.replace("w1 ", "w2 ", 1) for text in texts[::37]]
    assert [trimmed.candidates(q) for q in queries] == [plain.candidates(q) for q in queries]
