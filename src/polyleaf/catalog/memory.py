"""Translation memory: untranslated entries pre-filled from what a locale has already translated.

The memory of a locale is every finished translation (translated, not fuzzy) in its catalogs,
plus the units of an imported TMX. ``update`` offers each untranslated singular entry the best
match: an exact source first, else the highest fuzzy score (rapidfuzz ``ratio``) at or above
:data:`TM_CUTOFF` (a text over ``FUZZY_LONGEST`` characters: exact matches only). A pre-filled
entry is always fuzzy, so a translator reviews it before it is used, and carries a translator
comment naming where it came from and the score. Fuzzy lookups are blocked by shingles like
:func:`polyleaf.catalog.merge.fuzzy_pairs`, through an index of the memory that ``update``
keeps under ``build/.polyleaf-cache/tm/<locale>/`` (:mod:`polyleaf.catalog.tmindex`): a base,
and a delta of the catalogs whose finished translations changed since (``bench/bench_tm.py``).
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import groupby
from pathlib import Path

from rapidfuzz import fuzz, process

from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.tmindex import MemoryIndex, open_index, runs_of
from polyleaf.linear import FUZZY_LONGEST

TM_CUTOFF = 80.0
TM_CACHE = ".polyleaf-cache/tm"  # under the build directory, one directory per locale
TM_MARK = "tm:"  # translator comments polyleaf writes start with this


@dataclass(frozen=True, slots=True)
class Unit:
    """One remembered translation."""

    source: str
    target: str
    origin: str  # "domain" of a catalog, or the TMX file it was imported from


class Memory:
    """Exact and fuzzy lookup over a locale's remembered translations.

    Fuzzy lookups go through a shingle index of the units (:mod:`polyleaf.catalog.tmindex`),
    a base segment and a delta of the catalogs changed since (:func:`~polyleaf.catalog.tmindex.open_index`).
    With ``cache``, segments are kept there under the sha256 of their sources and read back on
    the next run, so a memory that did not change costs a few milliseconds; without, the index
    is built when first needed.
    """

    def __init__(self, units: Iterable[Unit], cache: Path | None = None,
                 cutoff: float = TM_CUTOFF) -> None:
        runs = [(origin, [(u.source, u.target) for u in run])
                for origin, run in groupby(units, key=lambda u: u.origin)]
        self._setup(runs, cache, cutoff)

    @classmethod
    def of_runs(cls, runs: Iterable[tuple[str, list[tuple[str, str]]]],
                cache: Path | None = None, cutoff: float = TM_CUTOFF) -> Memory:
        """The memory of (origin, [(source, target), ...]) runs, without a :class:`Unit` per
        pair (a 50,000-unit memory: a tenth of a second saved)."""
        memory = cls.__new__(cls)
        memory._setup(list(runs), cache, cutoff)
        return memory

    def _setup(self, runs: list[tuple[str, list[tuple[str, str]]]], cache: Path | None,
               cutoff: float) -> None:
        self.cache = cache
        self.cutoff = cutoff
        self._index: MemoryIndex | None = None
        self._runs: list[tuple[str, list[str]]] = []
        self._starts: list[int] = []
        self._origins: list[str] = []
        self._sources: list[str] = []
        self._targets: list[str] = []
        for origin, pairs in runs:
            kept = [pair for pair in pairs if pair[0] and pair[1]]
            if not kept:
                continue
            sources = [pair[0] for pair in kept]
            self._starts.append(len(self._sources))
            self._origins.append(origin)
            self._runs.append((origin, sources))
            self._sources.extend(sources)
            self._targets.extend(pair[1] for pair in kept)

    def __len__(self) -> int:
        return len(self._sources)

    @property
    def units(self) -> list[Unit]:
        """Every remembered translation, in memory order."""
        return [self._unit(n) for n in range(len(self._sources))]

    def _unit(self, number: int) -> Unit:
        origin = self._origins[bisect_right(self._starts, number) - 1]
        return Unit(self._sources[number], self._targets[number], origin)

    def index(self) -> MemoryIndex:
        """The shingle index of the units (read from the cache or built, once)."""
        if self._index is None:
            self._index = open_index(runs_of(self._runs, self.cutoff), self.cutoff, self.cache)
        return self._index

    def best(self, queries: Iterable[str]) -> dict[str, tuple[Unit, float]]:
        """The best unit for each query and its score (100 for an exact match), when one
        scores at least the cutoff; the first such unit of the memory wins a tie."""
        wanted = dict.fromkeys(q for q in queries if q)
        if not wanted or not self._sources:
            return {}
        exact: dict[str, int] = {}
        for number, source in enumerate(self._sources):
            if source in wanted and source not in exact:
                exact[source] = number
        found = {q: (self._unit(n), 100.0) for q, n in exact.items()}
        rest = [q for q in wanted if q not in exact]
        if rest:
            with _collector_paused():
                pools = self.index().candidates_of(rest)
            for query, numbers in zip(rest, pools, strict=True):
                match = self._fuzzy(query, numbers)
                if match is not None:
                    found[query] = match
        return found

    def _fuzzy(self, query: str, numbers: list[int]) -> tuple[Unit, float] | None:
        if len(query) > FUZZY_LONGEST:
            return None
        total = len(self._sources)
        numbers = [n for n in numbers if n < total]  # a damaged index only ever loses candidates
        # extractOne keeps the first of equal scores: the numbers are sorted, so a source
        # twice in the memory gives its first unit, as an exact match does
        match = process.extractOne(query, [self._sources[n] for n in numbers],
                                   scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if match is None:
            return None
        return self._unit(numbers[match[2]]), float(match[1])

    def lookup(self, text: str) -> tuple[Unit, float] | None:
        """The best unit for ``text`` and its score (100 for an exact match), or None."""
        return self.best((text,)).get(text)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cycle collector paused: the lookups allocate some 100,000 small objects, none in
    a cycle, and each collection meanwhile walks the caller's catalogs (a fifth of the time)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def units_of(catalog: Catalog, origin: str) -> list[Unit]:
    """The finished singular translations of a catalog, as memory units."""
    return [Unit(source, target, origin) for source, target in pairs_of(catalog)]


def pairs_of(catalog: Catalog) -> list[tuple[str, str]]:
    """The (source, translation) pairs of the finished singular translations of a catalog."""
    return [(e.msgid, e.msgstr) for e in catalog.entries
            if not e.obsolete and e.msgid_plural is None and e.msgstr and not e.fuzzy]


def prefill(catalog: Catalog, memory: Memory) -> tuple[Catalog, int]:
    """``catalog`` with untranslated entries filled from ``memory`` (fuzzy), and how many."""
    return prefill_all({"": catalog}, memory)[""]


def _open(entry: Entry) -> bool:
    return not (entry.obsolete or entry.has_translation or entry.msgid_plural is not None
                or not entry.msgid)


def prefill_all(catalogs: dict[str, Catalog], memory: Memory) -> dict[str, tuple[Catalog, int]]:
    """:func:`prefill` for every catalog of a locale, with one pass over the memory."""
    if not len(memory):
        return {name: (catalog, 0) for name, catalog in catalogs.items()}
    matches = memory.best(e.msgid for c in catalogs.values() for e in c.entries if _open(e))
    result: dict[str, tuple[Catalog, int]] = {}
    for name, catalog in catalogs.items():
        entries = [_filled(e, *matches[e.msgid]) if _open(e) and e.msgid in matches else e
                   for e in catalog.entries]
        filled = sum(1 for new, old in zip(entries, catalog.entries, strict=True) if new is not old)
        result[name] = (replace(catalog, entries=tuple(entries)) if filled else catalog), filled
    return result


def _filled(entry: Entry, unit: Unit, score: float) -> Entry:
    kind = "exact match" if score >= 100 else f"fuzzy match, score {score:.0f}"
    note = f"{TM_MARK} {kind} from {unit.origin}; review before use"
    return replace(entry, msgstr=unit.target,
                   translator_comments=(*entry.translator_comments, note),
                   flags=("fuzzy", *(f for f in entry.flags if f != "fuzzy")),
                   previous_msgid=None if score >= 100 else unit.source)
