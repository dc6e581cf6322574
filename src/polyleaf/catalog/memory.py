"""Translation memory: untranslated entries pre-filled from what a locale has already translated.

The memory of a locale is every finished translation (translated, not fuzzy) in its catalogs,
plus the units of an imported TMX. ``update`` offers each untranslated singular entry the best
match: an exact source first, else the highest fuzzy score (rapidfuzz ``ratio``) at or above
:data:`TM_CUTOFF`. A pre-filled entry is always fuzzy, so a translator reviews it before it is
used, and carries a translator comment naming where it came from and the score. Lookups are
blocked by shingles like :func:`polyleaf.catalog.merge.fuzzy_pairs`, in the inverted direction:
the untranslated entries of all of a locale's catalogs are indexed, and the memory is read once
through that index, so a 50,000-unit memory is never indexed (``bench/bench_tm.py``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace

from rapidfuzz import fuzz, process

from polyleaf.catalog.fuzzy import QueryIndex
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
    """Exact and fuzzy lookup over a locale's remembered translations.

    Nothing is indexed up front: :meth:`best` indexes the few queries (the untranslated
    entries) and reads the units once through that index (:class:`QueryIndex`), so a 50,000-unit
    memory costs one pass over its sources per batch of lookups, and nothing outlives the call.
    """

    def __init__(self, units: Iterable[Unit]) -> None:
        self.units = [u for u in units if u.source and u.target]

    def __len__(self) -> int:
        return len(self.units)

    def best(self, queries: Iterable[str], cutoff: float = TM_CUTOFF,
             ) -> dict[str, tuple[Unit, float]]:
        """The best unit for each query and its score (100 for an exact match), when one
        scores at least ``cutoff``; the first such unit of the memory wins a tie."""
        wanted = dict.fromkeys(q for q in queries if q)
        if not wanted or not self.units:
            return {}
        exact: dict[str, Unit] = {}
        for unit in self.units:
            if unit.source in wanted and unit.source not in exact:
                exact[unit.source] = unit
        found: dict[str, tuple[Unit, float]] = {q: (u, 100.0) for q, u in exact.items()}
        rest = [q for q in wanted if q not in exact]
        if not rest:
            return found
        index = QueryIndex(rest, cutoff)
        pools: dict[int, list[int]] = {}
        for number, unit in enumerate(self.units):
            for query in index.matches(unit.source):
                pools.setdefault(query, []).append(number)
        for query, numbers in pools.items():
            first: dict[str, int] = {}  # a source twice in the memory: its first unit
            for number in numbers:
                first.setdefault(self.units[number].source, number)
            pool = list(first.values())
            match = process.extractOne(rest[query], list(first),
                                       scorer=fuzz.ratio, score_cutoff=cutoff)
            if match is not None:
                found[rest[query]] = self.units[pool[match[2]]], float(match[1])
        return found

    def lookup(self, text: str, cutoff: float = TM_CUTOFF) -> tuple[Unit, float] | None:
        """The best unit for ``text`` and its score (100 for an exact match), or None."""
        return self.best((text,), cutoff).get(text)


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
