"""Translation memory: untranslated entries pre-filled from what a locale has already translated.

The memory of a locale is every finished translation (translated, not fuzzy) in its catalogs,
plus the units of an imported TMX. ``update`` offers each untranslated singular entry the best
match: an exact source first, else the highest fuzzy score (rapidfuzz ``ratio``) at or above
:data:`TM_CUTOFF`. A pre-filled entry is always fuzzy, so a translator reviews it before it is
used, and carries a translator comment naming where it came from and the score. Lookups are
blocked by rare words like :func:`polyleaf.catalog.merge.fuzzy_pairs`, so a 50,000-unit memory
is indexed only for the words of the entries looking it up (``bench/bench_tm.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from polyleaf.catalog.fuzzy import ShingleIndex
from polyleaf.catalog.pofile import Catalog, Entry

TM_CUTOFF = 80.0
TM_MARK = "tm:"  # translator comments polyleaf writes start with this


@dataclass(frozen=True, slots=True)
class Unit:
    """One remembered translation."""

    source: str
    target: str
    origin: str  # "domain" of a catalog, or the TMX file it was imported from


class Memory:
    """Exact and fuzzy lookup over a locale's remembered translations."""

    def __init__(self, units: Iterable[Unit]) -> None:
        exact: dict[str, Unit] = {}
        for unit in units:
            if unit.source and unit.target:
                exact.setdefault(unit.source, unit)
        self.exact = exact
        self.units = list(exact.values())
        self.sources = [u.source for u in self.units]
        self._index: ShingleIndex | None = None

    def __len__(self) -> int:
        return len(self.units)

    def prepare(self, queries: Iterable[str]) -> None:
        """Index the memory (once) for the fuzzy lookups of ``queries``: the shingle index of
        :mod:`polyleaf.catalog.fuzzy`, which reaches every unit scoring at least the cutoff."""
        if self._index is None and any(q not in self.exact for q in queries):
            self._index = ShingleIndex(self.sources, cutoff=TM_CUTOFF)

    def lookup(self, text: str, cutoff: float = TM_CUTOFF) -> tuple[Unit, float] | None:
        """The best unit for ``text`` and its score (100 for an exact match), or None."""
        if text in self.exact:
            return self.exact[text], 100.0
        if not self.units:
            return None
        self.prepare((text,))
        assert self._index is not None
        pool = self._index.candidates(text)
        if not pool:
            return None
        found = process.extractOne(text, [self.sources[i] for i in pool], scorer=fuzz.ratio,
                                   score_cutoff=cutoff)
        if found is None:
            return None
        return self.units[pool[found[2]]], float(found[1])


def units_of(catalog: Catalog, origin: str) -> list[Unit]:
    """The finished singular translations of a catalog, as memory units."""
    return [Unit(e.msgid, e.msgstr, origin) for e in catalog.entries
            if not e.obsolete and e.msgid_plural is None and e.msgstr and not e.fuzzy]


def prefill(catalog: Catalog, memory: Memory) -> tuple[Catalog, int]:
    """``catalog`` with untranslated entries filled from ``memory`` (fuzzy), and how many."""
    if not len(memory):
        return catalog, 0
    entries = list(catalog.entries)
    open_ = [n for n, e in enumerate(entries) if not (e.obsolete or e.has_translation
                                                      or e.msgid_plural is not None or not e.msgid)]
    if not open_:
        return catalog, 0
    memory.prepare(entries[n].msgid for n in open_)
    filled = 0
    for number in open_:
        entry = entries[number]
        match = memory.lookup(entry.msgid)
        if match is None:
            continue
        unit, score = match
        entries[number] = _filled(entry, unit, score)
        filled += 1
    return (replace(catalog, entries=tuple(entries)) if filled else catalog), filled


def _filled(entry: Entry, unit: Unit, score: float) -> Entry:
    kind = "exact match" if score >= 100 else f"fuzzy match, score {score:.0f}"
    note = f"{TM_MARK} {kind} from {unit.origin}; review before use"
    return replace(entry, msgstr=unit.target,
                   translator_comments=(*entry.translator_comments, note),
                   flags=("fuzzy", *(f for f in entry.flags if f != "fuzzy")),
                   previous_msgid=None if score >= 100 else unit.source)
