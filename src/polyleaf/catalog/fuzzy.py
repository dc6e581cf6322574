"""Fuzzy pairing of edited msgids with vanished ones: shingles, prefix-filter blocking, best pairs.

The merge asks one question: which vanished (translated) msgid is each new msgid an edit of?
:func:`fuzzy_pairs` answers it one-to-one, best pairs first, with rapidfuzz's ``fuzz.ratio`` and
a cutoff deciding every match. Comparing every query with every choice is quadratic, so the
choices are indexed by *shingles*: units (words; single characters in scripts written without
spaces), unit trigrams, and for short texts character trigrams. A query is compared only with
the choices found in the posting lists of its rarest shingles that occur in some choice.

Recall guarantee (prefix filtering): let ``S`` be the query's shingles, ``a`` of them absent from
every choice. Every choice that contains all but at most ``t = floor(SHARE_MISSING * |S|)`` of
``S`` contains at least one of any ``t - a + 1`` shingles of ``S`` present in the index, so it
is compared. A one-word edit removes at most 4 shingles (its word and the three trigrams over
it), so any paragraph edit a translator would want back is compared, whatever the vocabulary.
Choices holding only a shingle or two of ``S`` are then dropped by counting: one lacking at
most ``t`` holds ``k + 1`` of the prefix and the ``k`` next shingles (for texts over 40
characters, whose score follows their words). A text of 512 characters or more is looked up by
a sample of its shingles (1 in ``2 ** level(len)``, chosen by CRC-32 of the unit: the same in
every process), and the guarantee holds for that sample ``S``; each choice is indexed at the
level of the shortest query that can score ``cutoff`` against it, so it holds every shingle of
such a query's sample. A query whose sample is tiny is compared with every choice of a length
that can match. The selection never depends on ``hash()``: ties are broken by the shingle
text, so the output is the same in every process. The blocking decides only what is compared;
the cutoff decides what matches (``tests/test_merge.py`` holds the result equal to comparing
everything).
"""

from __future__ import annotations

import re
import zlib
from collections import Counter
from collections.abc import Sequence

from rapidfuzz import fuzz, process

# A one-word edit of a ten-word sentence scores >= 85; unrelated paragraphs score well below 70
# (bench/bench_merge.py measures both sides on every run).
FUZZY_CUTOFF = 75.0
SHARE_MISSING = 0.5  # a choice may lack up to this share of the query's shingles and be found
# Character q-grams for short texts, where a word is a large share of the text: (q, longest query).
CHAR_GRAMS = ((1, 16), (2, 16), (3, 40))
COUNTED = 16  # past the prefix, count shingles in at most this many choices (or 4x the prefix)
# A text of 2 * SAMPLED characters or more is looked up by a sample of its units and trigrams
# (1 in 2 ** level, by a stable hash of their text); a query whose sample is smaller than
# MIN_SAMPLED is compared with every choice of a length that can match.
SAMPLED = 256
MIN_SAMPLED = 16
LIMIT = 3  # best candidates kept per query before the one-to-one assignment

# Scripts written without spaces between words: every character is a unit. A linear pattern:
# one character class, or a run of one negated class (no nesting, no backtracking).
_SPACELESS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf"
              "\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f")
_UNITS = re.compile(f"[{_SPACELESS}]|[^\\s{_SPACELESS}]+")
_HAS_SPACELESS = re.compile(f"[{_SPACELESS}]")
_TAGS = {q: f"\x00{q}" for q, _ in CHAR_GRAMS}  # character q-grams never equal a unit


def fuzzy_pairs(queries: Sequence[str], choices: Sequence[str], cutoff: float = FUZZY_CUTOFF,
                blocking: bool = True) -> list[tuple[int, int]]:
    """One-to-one (query, choice) index pairs scoring >= cutoff, best pairs first, sorted.

    ``blocking=False`` compares every query with every choice (the reference the tests and the
    benchmark hold the blocked result to).
    """
    if not queries or not choices:
        return []
    index = ShingleIndex(choices, cutoff) if blocking else None
    candidates: list[tuple[float, int, int]] = []
    for query, text in enumerate(queries):
        pool = index.candidates(text) if index is not None else None
        if pool is not None and not pool:
            continue
        subset = [choices[i] for i in pool] if pool is not None else choices
        for _, score, position in process.extract(text, subset, scorer=fuzz.ratio,
                                                  score_cutoff=cutoff, limit=LIMIT):
            candidates.append((score, query, pool[position] if pool is not None else position))
    return _assign(candidates)


def _assign(candidates: list[tuple[float, int, int]]) -> list[tuple[int, int]]:
    """Greedy one-to-one assignment, best score first, ties by query then choice index."""
    candidates.sort(key=lambda item: (-item[0], item[1], item[2]))
    taken_q: set[int] = set()
    taken_c: set[int] = set()
    pairs = []
    for _, query, choice in candidates:
        if query not in taken_q and choice not in taken_c:
            taken_q.add(query)
            taken_c.add(choice)
            pairs.append((query, choice))
    return sorted(pairs)


Shingle = str | tuple[str, ...]


def shingles(text: str, longest: float = 1.0) -> set[Shingle]:
    """Units (str), unit trigrams (tuples) and tagged character q-grams (str) of ``text``.

    Character q-grams of a kind are added when ``len(text) <= longest * limit`` for that kind's
    limit (``longest`` 1 for a query; a choice takes the longest text that can match a query).
    """
    units = _units(text)
    found: set[Shingle] = set(units)
    found.update(zip(units, units[1:], units[2:], strict=False))
    for q, limit in CHAR_GRAMS:
        if len(text) <= longest * limit:
            tag = _TAGS[q]
            found.update(tag + text[i:i + q] for i in range(max(1, len(text) - q + 1)))
    return found


def _units(text: str) -> list[str]:
    return _UNITS.findall(text) if _HAS_SPACELESS.search(text) else text.split()


def level(length: int) -> int:
    """Sampling level of a text of ``length`` characters (0: every shingle); never falls as
    the length grows, so a choice indexed at the level of the shortest query that can match it
    holds every sampled shingle of every such query."""
    return max(0, (length // SAMPLED).bit_length() - 1)


def sampled(text: str, depth: int, marks: dict[str, int], longest: float = 1.0) -> set[Shingle]:
    """The shingles of ``text`` whose stable hash has ``depth`` low bits zero (all at 0).

    A unit is kept by CRC-32 of its UTF-8 (``marks`` caches it), a trigram by other bits of
    its middle unit's: the sample of a text is the same in every process, and the sample at
    a depth holds the sample at every greater depth. A one-unit edit still removes at most 4
    sampled shingles (its unit and the trigrams centred on it and on its neighbours).
    """
    if depth == 0:
        return shingles(text, longest)
    units = _units(text)
    distinct = set(units)
    for unit in distinct.difference(marks):
        marks[unit] = zlib.crc32(unit.encode("utf-8", "surrogatepass"))
    mask = (1 << depth) - 1
    found: set[Shingle] = {u for u in distinct if not marks[u] & mask}
    middles = {u for u in distinct if not marks[u] >> 16 & mask}
    found.update(t for t in zip(units, units[1:], units[2:], strict=False) if t[1] in middles)
    for q, limit in CHAR_GRAMS:  # kept whole (a sampled text is rarely this short)
        if len(text) <= longest * limit:
            found.update(_TAGS[q] + text[i:i + q] for i in range(max(1, len(text) - q + 1)))
    return found


class ShingleIndex:
    """Posting lists from shingles to the choices containing them."""

    def __init__(self, choices: Sequence[str], cutoff: float = FUZZY_CUTOFF) -> None:
        # ratio >= cutoff needs shorter/longer length >= cutoff / (200 - cutoff): a choice
        # that can match a short query (one with character q-grams) gets them too.
        longest = (200 - cutoff) / max(cutoff, 1.0)
        self.shortest = max(cutoff, 0.0) / (200 - cutoff)
        self.lengths = [len(text) for text in choices]
        self.marks: dict[str, int] = {}
        # A shingle in one choice maps to its number, not a list: most shingles are unique,
        # and not allocating a list for each halves the time to build the index.
        postings: dict[Shingle, int | list[int]] = {}
        for number, text in enumerate(choices):
            # sampled as the shortest query that can match it is (rounding down: denser)
            depth = level(int(len(text) * self.shortest))
            for shingle in sampled(text, depth, self.marks, longest):
                found = postings.get(shingle)
                if found is None:
                    postings[shingle] = number
                elif isinstance(found, int):
                    postings[shingle] = [found, number]
                else:
                    found.append(number)
        self.postings = postings

    def candidates(self, text: str) -> list[int]:
        """Choices holding enough of the query's present shingles (sorted; may be empty).

        A choice lacking at most ``t`` of the query's shingles ``S`` lacks at most
        ``t - a`` of the present ones (``a`` absent from every choice), so it holds at least
        ``m - (t - a)`` of any ``m`` present shingles: one of the ``t - a + 1`` rarest (the
        prefix that finds it), and ``k + 1`` of those plus the next ``k``. The next ones are
        taken while their posting lists are at most 4 times the prefix's longest (or
        :data:`COUNTED`), so counting them is cheap and drops the choices that share only a
        rare word or two with the query. Texts short enough for character q-grams keep the
        prefix alone: a score >= cutoff may share few of their shingles.

        ``S`` is the query's sample (:func:`sampled`) at its :func:`level`; a long query with
        fewer than :data:`MIN_SAMPLED` sampled shingles (a few words repeated) is compared
        with every choice of a length that can match.
        """
        depth = level(len(text))
        own = sampled(text, depth, self.marks)
        if depth and len(own) < MIN_SAMPLED:
            return self.compatible(len(text))
        postings = self.postings
        # Ties by kind, then text: never by a hash, so every process selects the same shingles.
        present = sorted((1 if isinstance(p, int) else len(p), isinstance(s, tuple), s)
                         for s in own if (p := postings.get(s)) is not None)
        slack = int(SHARE_MISSING * len(own)) - (len(own) - len(present))
        if slack < 0 or not present:
            return []
        taken = slack + 1
        # not for short texts: there a score >= cutoff may share few shingles (and is found)
        cap = max(COUNTED, 4 * present[slack][0]) if len(text) > CHAR_GRAMS[-1][1] else 0
        while taken < len(present) and present[taken][0] <= cap:
            taken += 1
        counts: Counter[int] = Counter()
        for _, _, shingle in present[:taken]:
            numbers = postings[shingle]
            if isinstance(numbers, int):
                counts[numbers] += 1
            else:
                counts.update(numbers)
        need = taken - slack
        return sorted(n for n, c in counts.items() if c >= need)

    def compatible(self, length: int) -> list[int]:
        """Every choice whose length allows a score >= cutoff with a text of ``length``."""
        low, high = length * self.shortest - 1, length / max(self.shortest, 1e-9) + 1
        return [n for n, size in enumerate(self.lengths) if low <= size <= high]
