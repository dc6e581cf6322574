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
        self.units = [u for u in units if u.source and u.target]
        self.cache = cache
        self.cutoff = cutoff
        self._index: MemoryIndex | None = None

    def __len__(self) -> int:
        return len(self.units)

    def index(self) -> MemoryIndex:
        """The shingle index of the units (read from the cache or built, once)."""
        if self._index is None:
            groups = [(name, [u.source for u in run])
                      for name, run in groupby(self.units, key=lambda u: u.origin)]
            self._index = open_index(runs_of(groups, self.cutoff), self.cutoff, self.cache)
        return self._index

    def best(self, queries: Iterable[str]) -> dict[str, tuple[Unit, float]]:
        """The best unit for each query and its score (100 for an exact match), when one
        scores at least the cutoff; the first such unit of the memory wins a tie."""
        wanted = dict.fromkeys(q for q in queries if q)
        if not wanted or not self.units:
            return {}
        exact: dict[str, Unit] = {}
        for unit in self.units:
            if unit.source in wanted and unit.source not in exact:
                exact[unit.source] = unit
        found: dict[str, tuple[Unit, float]] = {q: (u, 100.0) for q, u in exact.items()}
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
        total = len(self.units)
        numbers = [n for n in numbers if n < total]  # a damaged index only ever loses candidates
        # extractOne keeps the first of equal scores: the numbers are sorted, so a source
        # twice in the memory gives its first unit, as an exact match does
        match = process.extractOne(query, [self.units[n].source for n in numbers],
                                   scorer=fuzz.ratio, score_cutoff=self.cutoff)
        if match is None:
            return None
        return self.units[numbers[match[2]]], float(match[1])

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
    return [Unit(e.msgid, e.msgstr, origin) for e in catalog.entries
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
