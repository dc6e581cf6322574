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
Beyond that guarantee, where the prefix and the next rarest posting lists hold at most
:data:`COUNTED` choices, the prefix widens over them up to ``WIDEST_MISSING`` (0.7) of ``S``,
and a choice in one of those lists may lack that share: paragraphs with several scattered
edits that still score >= cutoff are found too (``bench/bench_fuzzy_recall.py``), at the cost
of short lists only.
Choices holding only a shingle or two of ``S`` are then dropped by counting: one lacking at
most ``t`` holds ``k + 1`` of the prefix and the ``k`` next shingles (for texts over 40
characters, whose score follows their words). A text of 512 characters or more is looked up by
a sample of its shingles (1 in ``2 ** level(len)``, chosen by CRC-32 of the unit: the same in
every process), and the guarantee holds for that sample ``S``; each choice is indexed at the
level of the shortest query that can score ``cutoff`` against it, so it holds every shingle of
such a query's sample. A query whose sample is tiny is compared with every choice of a length
that can match. The index stores each shingle as a 32-bit key (:func:`shingle_key`, CRC-32
based); two shingles sharing a key can only add candidates (:class:`ShingleIndex`). In scripts
without spaces a character 1- or 3-gram is a unit or a unit trigram too: it takes that key on
purpose (:func:`_twin`), so a CJK choice is indexed by a third fewer keys, and a query still
counts both shingles. The selection never depends on ``hash()``: ties are broken by the key,
so the output is the same in every process. The blocking decides only what is compared; the
cutoff decides what matches (``tests/test_merge.py`` holds the result equal to comparing
everything, ``tests/test_fuzzy_keys.py`` the same with keys cut to 8 bits).
"""

from __future__ import annotations

import re
import zlib
from array import array
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from functools import cache
from itertools import chain

from rapidfuzz import fuzz, process

from polyleaf.catalog import bitcount
from polyleaf.catalog.postings import posting_arrays, starts_by_top_bits

# A one-word edit of a ten-word sentence scores >= 85; unrelated paragraphs score well below 70
# (bench/bench_merge.py measures both sides on every run).
FUZZY_CUTOFF = 75.0
SHARE_MISSING = 0.5  # a choice may lack up to this share of the query's shingles and be found
WIDEST_MISSING = 0.7  # ... and best effort up to this share, over short posting lists
# Character q-grams for short texts, where a word is a large share of the text: (q, longest query).
CHAR_GRAMS = ((1, 16), (2, 16), (3, 40))
COUNTED = 16  # past the prefix, count shingles in at most this many choices ...
# ... or COUNT_RATIO times the prefix's longest list, twice that for a sampled (long) text, whose
# every score costs ~100 µs (long 50k pairing 3.5 s at 4x, 5.2 s at 2x; cjk 50k the other way)
COUNT_RATIO = 2
# A text of 2 * SAMPLED characters or more is looked up by a sample of its units and trigrams
# (1 in 2 ** level, by a stable hash of their text); a query whose sample is smaller than
# MIN_SAMPLED is compared with every choice of a length that can match.
SAMPLED = 256
MIN_SAMPLED = 16
LIMIT = 3  # best candidates kept per query before the one-to-one assignment
# Counting a lookup's lists over bitsets (catalog/bitcount.py) costs about one step per 400
# choices of the index for each list, counting them one by one a step per element: bitsets
# are used when the lists hold more than that, and at least BITSET_VOLUME choices in all
# (below, the constant cost of each big-int operation dominates). Bitsets of lists longer
# than BITSET_KEPT are kept for later lookups, up to BITSET_MEMORY bytes in all.
BITSET_RATIO = 400
BITSET_VOLUME = 1024
BITSET_KEPT = 32
BITSET_MEMORY = 16 << 20

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
    found.update(_grams(text, longest))
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
        marks[unit] = unit_key(unit)
    mask = (1 << depth) - 1
    found: set[Shingle] = {u for u in distinct if not marks[u] & mask}
    middles = {u for u in distinct if not marks[u] >> 16 & mask}
    found.update(t for t in zip(units, units[1:], units[2:], strict=False) if t[1] in middles)
    found.update(_grams(text, longest))  # kept whole (a sampled text is rarely this short)
    return found


def unit_key(text: str) -> int:
    """The key of a unit or a tagged character q-gram: CRC-32 of its UTF-8 (the same in every
    process, unlike ``hash``)."""
    return zlib.crc32(text.encode("utf-8", "surrogatepass"))


def trigram_key(a: int, b: int, c: int) -> int:
    """The key of a unit trigram from its units' keys (order matters)."""
    return ((a * 31 + b) * 31 + c) & 0xFFFFFFFF  # not linear in GF(2), as CRC-32 is


def shingle_key(shingle: Shingle) -> int:
    """The 32-bit key of one shingle (:func:`unit_key`, or :func:`trigram_key` of a trigram)."""
    if isinstance(shingle, str):
        if shingle[:1] == "\x00" and _twin(shingle[2:], shingle[1:2]):
            return shingle_key(tuple(shingle[2:]) if len(shingle) == 5 else shingle[2])
        return unit_key(shingle)
    a, b, c = shingle
    return trigram_key(unit_key(a), unit_key(b), unit_key(c))


def _twin(chars: str, tag: str) -> bool:
    """Is the character q-gram ``chars`` (of kind ``tag``) a unit or a unit trigram too? In a
    script without spaces every character is a unit, so a 1- or 3-gram of such characters
    alone is one: it takes that shingle's key (:func:`shingle_key`). The two are still two
    shingles of the text, but the index holds one posting list for both, as for any two
    shingles sharing a key: the choices holding either (only candidates added)."""
    return tag in ("1", "3") and len(chars) == int(tag) and _runs().fullmatch(chars) is not None


def shingle_keys(text: str, depth: int, marks: dict[str, int], longest: float = 1.0,
                 ) -> list[int]:
    """``[shingle_key(s) for s in sampled(text, depth, marks, longest)]``: one key a shingle,
    so two distinct shingles that share a key are still two entries (the index's recall
    argument counts shingles, not keys)."""
    units, keys, twins = _sample(text, depth, marks, longest)
    return [marks[u] for u in units] + keys + [_twin_key(twin, marks) for twin in twins]


def _sample(text: str, depth: int, marks: dict[str, int], longest: float = 1.0,
            ) -> tuple[set[str], list[int], set[str]]:
    """The units of ``sampled(text, depth, marks, longest)``, the keys of its trigrams and
    character q-grams, one a shingle, but for the :func:`_twin` q-grams, given untagged (their
    keys are their twins': :func:`_twin_key`)."""
    units = _units(text)
    distinct = set(units)
    for unit in distinct.difference(marks):
        marks[unit] = unit_key(unit)
    if depth:
        mask = (1 << depth) - 1
        distinct = {u for u in distinct if not marks[u] & mask}
        keys = [trigram_key(marks[a], marks[b], marks[c]) for a, b, c in
                {t for t in zip(units, units[1:], units[2:], strict=False)
                 if not marks[t[1]] >> 16 & mask}]
    else:
        keys = _trigram_keys(units, marks)
    if len(text) <= longest * CHAR_GRAMS[-1][1]:
        grams, twins = _split_grams(text, longest)
        keys += _gram_keys(grams.difference(distinct))
        return distinct, keys, twins
    return distinct, keys, set()


def _twin_key(twin: str, marks: dict[str, int]) -> int:
    """The key of a :func:`_twin` q-gram given by its characters: its unit's or trigram's."""
    if len(twin) == 1:
        return marks[twin]
    return trigram_key(marks[twin[0]], marks[twin[1]], marks[twin[2]])


def _trigram_keys(units: list[str], marks: dict[str, int]) -> list[int]:
    """One key for each distinct trigram of ``units``: from their positions' keys, as a set
    when no two distinct trigrams share a key (checked by counting the trigrams)."""
    per_unit = list(map(marks.__getitem__, units))
    # trigram_key, inlined: this runs for every trigram of every text
    keys = [((a * 31 + b) * 31 + c) & 0xFFFFFFFF
            for a, b, c in zip(per_unit, per_unit[1:], per_unit[2:], strict=False)]
    distinct = set(keys)
    if len(distinct) < len(keys):  # a trigram repeats, or two share a key
        trigrams = set(zip(units, units[1:], units[2:], strict=False))
        if len(trigrams) != len(distinct):
            return [trigram_key(marks[a], marks[b], marks[c]) for a, b, c in trigrams]
    return list(distinct)


def _gram_keys(grams: set[str]) -> list[int]:
    """:func:`unit_key` of each q-gram, inlined (short texts have dozens)."""
    crc = zlib.crc32
    return [crc(gram.encode("utf-8", "surrogatepass")) for gram in grams]


def _grams(text: str, longest: float) -> set[str]:
    """The tagged character q-grams of ``text`` of every kind whose limit it is within."""
    grams: set[str] = set()
    for q, limit in CHAR_GRAMS:
        if len(text) <= longest * limit:
            grams.update(_TAGS[q] + text[i:i + q] for i in range(max(1, len(text) - q + 1)))
    return grams


@cache
def _runs() -> re.Pattern[str]:
    """Runs of characters of scripts without spaces (compiled on first use: a class this wide
    takes milliseconds to compile, which a project without such scripts never pays)."""
    return re.compile(f"[{_SPACELESS}]+")


def _split_grams(text: str, longest: float) -> tuple[set[str], set[str]]:
    """:func:`_grams` of ``text`` in two: the tagged q-grams that need a key of their own, and
    the :func:`_twin` ones, untagged (their characters: a unit, or a trigram's three)."""
    if text.isascii() or not _HAS_SPACELESS.search(text):
        return _grams(text, longest), set()
    runs = [match.span() for match in _runs().finditer(text)]
    grams: set[str] = set()
    twins: set[str] = set()
    for q, limit in CHAR_GRAMS:
        if len(text) > longest * limit:
            continue
        inside = set() if q == 2 else set(chain.from_iterable(range(a, b - q + 1) for a, b in runs))
        twins.update(text[i:i + q] for i in inside)
        grams.update(_TAGS[q] + text[i:i + q] for i in range(max(1, len(text) - q + 1))
                     if i not in inside)
    return grams, twins


def choice_keys(text: str, depth: int, marks: dict[str, int], longest: float = 1.0) -> set[int]:
    """``set(shingle_keys(text, depth, marks, longest))``, without building the trigrams (the
    index does this for every choice)."""
    if depth:
        return set(shingle_keys(text, depth, marks, longest))
    units = _units(text)
    for unit in set(units).difference(marks):
        marks[unit] = unit_key(unit)
    keys = list(map(marks.__getitem__, units))
    found = set(keys)
    found.update([((a * 31 + b) * 31 + c) & 0xFFFFFFFF  # trigram_key, inlined
                  for a, b, c in zip(keys, keys[1:], keys[2:], strict=False)])
    if len(text) <= longest * CHAR_GRAMS[-1][1]:
        found.update(_gram_keys(_split_grams(text, longest)[0]))  # twins: keys already found
    return found


# The index is sorted in parts by the top bits of the key (peak memory): about a choice in two
# a part, so a part holds a few hundred pairs, and at most 4,096 parts.
MOST_PARTS = 12
LOOKUP_BITS = 16  # ... and looked up by the top 16 bits at most (a table of 256 KB)


class ShingleIndex:
    """Posting lists from shingle keys to the choices containing them, in three flat arrays.

    ``numbers[starts[i]:starts[i + 1]]`` are the choices holding a shingle whose 32-bit key
    (:func:`shingle_key`: CRC-32, not ``hash``) is ``keys[i]``; ``keys`` is sorted, and
    ``first[k >> shift]`` is where the keys with those top bits begin. Two shingles with one key
    share a posting list, which then holds every choice holding either: a collision can only
    *add* candidates, never lose one. In :meth:`candidates` a query's shingle that only seems
    present raises the slack by one and, in the prefix, may be picked in place of a real one;
    every choice the guarantee names still holds ``need`` of the shingles taken (a posting list
    holds at least the choices holding that shingle), so it is still found. Every candidate is
    scored by rapidfuzz afterwards: the index decides what is compared, never what matches.
    """

    def __init__(self, choices: Sequence[str], cutoff: float = FUZZY_CUTOFF) -> None:
        # ratio >= cutoff needs shorter/longer length >= cutoff / (200 - cutoff): a choice
        # that can match a short query (one with character q-grams) gets them too.
        longest = (200 - cutoff) / max(cutoff, 1.0)
        self.shortest = max(cutoff, 0.0) / (200 - cutoff)
        self.lengths = array("I", map(len, choices))
        self.marks: dict[str, int] = {}  # unit -> unit_key (the sample and the keys use it)
        self.shift = 32 - max(4, min(MOST_PARTS, len(choices).bit_length() - 1))
        shift = self.shift
        buckets = [array("Q") for _ in range(1 << (32 - shift))]
        add = [bucket.append for bucket in buckets]
        for number, text in enumerate(choices):
            # sampled as the shortest query that can match it is (rounding down: denser)
            depth = level(int(len(text) * self.shortest))
            [add[key >> shift](key << 32 | number)
             for key in choice_keys(text, depth, self.marks, longest)]
        self.keys, self.starts, self.numbers, first = posting_arrays(buckets)
        # lookups address a finer table than the parts: a bisect over a few keys, not hundreds
        fine = max(32 - shift, min(LOOKUP_BITS, len(self.keys).bit_length() - 3))
        self.first, self.shift = starts_by_top_bits(self.keys, fine) if fine > 32 - shift \
            else first, 32 - fine
        # the choices' units (a vocabulary: few) are looked up by their text, faster than a search
        starts = self.starts
        self.unit_slots = {unit: (starts[slot + 1] - starts[slot], key, slot)
                           for unit, key in self.marks.items() if (slot := self._slot(key)) >= 0}
        self.everyone = (1 << len(choices)) - 1
        self._bitsets: dict[int, int] = {}
        self._kept = 0  # bytes of the bitsets kept

    def _slot(self, key: int) -> int:
        """Where ``key`` is in :attr:`keys`, or -1."""
        top = key >> self.shift
        high = self.first[top + 1]
        slot = bisect_left(self.keys, key, self.first[top], high)
        return slot if slot < high and self.keys[slot] == key else -1

    def _present(self, units: set[str], keys: list[int], twins: set[str],
                 ) -> list[tuple[int, int, int]]:
        """(posting length, key, slot) of each of ``units``, ``keys`` and the :func:`_twin`
        q-grams ``twins`` some choice holds, rarest first (ties by key: a CRC, the same in
        every process). A twin's list is its unit's or trigram's, found with them."""
        table, starts, first, shift = self.keys, self.starts, self.first, self.shift
        slots = self.unit_slots
        found = [hit for unit in units if (hit := slots.get(unit))]
        for key in keys:  # _slot, inlined: this runs for every key of every query
            top = key >> shift
            high = first[top + 1]
            slot = bisect_left(table, key, first[top], high)
            if slot < high and table[slot] == key:
                found.append((starts[slot + 1] - starts[slot], key, slot))
        if twins:
            hits = {hit[1]: hit for hit in found}
            marks = self.marks
            found += [hit for twin in twins if (hit := slots.get(twin) if len(twin) == 1
                                                else hits.get(_twin_key(twin, marks)))]
        found.sort()
        return found

    def candidates(self, text: str) -> list[int]:
        """Choices holding enough of the query's present shingles (sorted; may be empty).

        A choice lacking at most ``t`` of the query's shingles ``S`` lacks at most
        ``t - a`` of the present ones (``a`` absent from every choice), so it holds at least
        ``m - (t - a)`` of any ``m`` present shingles: one of the ``t - a + 1`` rarest (the
        prefix that finds it), and ``k + 1`` of those plus the next ``k``. The next ones are
        taken while their posting lists are at most :data:`COUNT_RATIO` times the prefix's
        longest, twice that for a sampled text (or :data:`COUNTED`), so counting them is cheap
        and drops the choices that share only a rare word or two with the query. Texts short
        enough for character q-grams keep the prefix alone: a score >= cutoff may share few of
        their shingles. Longer texts first widen the prefix (:func:`_widened`) over short lists,
        up to ``WIDEST_MISSING`` of ``S``; a choice lacking more than half is then let through
        when it is in one of the lists that added (the base guarantee is kept whole: its count
        is over the same lists).

        ``S`` is the query's sample (:func:`sampled`) at its :func:`level`; a long query with
        fewer than :data:`MIN_SAMPLED` sampled shingles (a few words repeated) is compared
        with every choice of a length that can match.
        """
        depth = level(len(text))
        units, keys, twins = _sample(text, depth, self.marks)  # one key a shingle of S
        size = len(units) + len(keys) + len(twins)
        if depth and size < MIN_SAMPLED:
            return self.compatible(len(text))
        present = self._present(units, keys, twins)
        slack = int(SHARE_MISSING * size) - (size - len(present))
        if slack < 0 or not present:
            return []
        base, slack = slack, _widened(present, slack, size, len(text))
        taken = slack + 1
        # not for short texts: there a score >= cutoff may share few shingles (and is found)
        ratio = 2 * COUNT_RATIO if depth else COUNT_RATIO
        cap = max(COUNTED, ratio * present[slack][0]) if len(text) > CHAR_GRAMS[-1][1] else 0
        while taken < len(present) and present[taken][0] <= cap:
            taken += 1
        slots = [slot for _, _, slot in present[:taken]]
        need = taken - slack
        if need == 1 and slack == base:  # the prefix alone: every choice in one of its lists
            return sorted(set(chain.from_iterable(self._lists(slots))))
        # at a wider slack, only the choices in the lists it added (short ones) get through
        return self._held(slots, taken - base, need, range(base + 1, slack + 1))

    def _lists(self, slots: list[int]) -> list[array]:  # type: ignore[type-arg]
        starts, numbers = self.starts, self.numbers
        return [numbers[starts[slot]:starts[slot + 1]] for slot in slots]

    def _held(self, slots: list[int], strict: int, need: int, added: range) -> list[int]:
        """The choices held by ``strict`` of the lists at ``slots``, or by ``need`` and by one
        of the lists at the positions ``added`` of ``slots`` (sorted). Counted element by
        element, or, when the lists hold many choices, over bitsets
        (:mod:`polyleaf.catalog.bitcount`): the same answer. Each list is sliced or turned
        into a bitset once, for the count and for ``added`` alike."""
        lists = self._lists(slots)
        volume = sum(map(len, lists))
        if volume < BITSET_VOLUME or volume * BITSET_RATIO < len(slots) * len(self.lengths):
            counts = Counter(chain.from_iterable(lists))
            extra = set(chain.from_iterable(lists[position] for position in added))
            return sorted([n for n, c in counts.items() if c >= strict or (c >= need and n in extra)])
        planes: list[int] = []
        bitsets = list(map(self._bits, slots, lists))
        for bits in bitsets:
            bitcount.add(planes, bits)
        found = bitcount.at_least(planes, strict, self.everyone)
        if added:
            extra_bits = 0
            for position in added:
                extra_bits |= bitsets[position]
            found |= bitcount.at_least(planes, need, self.everyone) & extra_bits
        return bitcount.members(found)

    def _bits(self, slot: int, numbers: array) -> int:  # type: ignore[type-arg]
        """The bitset of ``numbers``, the list at ``slot``, kept for the long lists (common
        shingles) while the kept ones take at most :data:`BITSET_MEMORY`."""
        bits = self._bitsets.get(slot)
        if bits is None:
            bits = bitcount.bitset(numbers)
            size = len(self.lengths) // 8 + 32
            if len(numbers) > BITSET_KEPT and self._kept + size <= BITSET_MEMORY:
                self._bitsets[slot] = bits
                self._kept += size
        return bits

    def compatible(self, length: int) -> list[int]:
        """Every choice whose length allows a score >= cutoff with a text of ``length``."""
        low, high = length * self.shortest - 1, length / max(self.shortest, 1e-9) + 1
        return [n for n, size in enumerate(self.lengths) if low <= size <= high]


def _widened(present: list[tuple[int, int, int]], slack: int, size: int, length: int) -> int:
    """The slack after widening the prefix over the next rarest lists while they hold at most
    :data:`COUNTED` choices (and the prefix's did), up to ``WIDEST_MISSING`` of the ``size``
    shingles; unchanged for a text short enough for character q-grams."""
    if length <= CHAR_GRAMS[-1][1] or present[slack][0] > COUNTED:
        return slack
    widest = min(int(WIDEST_MISSING * size) - (size - len(present)), len(present) - 1)
    while slack < widest and present[slack + 1][0] <= COUNTED:
        slack += 1
    return slack
