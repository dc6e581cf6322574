"""The quantity checks: ``qa.numbers`` (doses, durations, ranges) and ``qa.codes``.

Quantities are compared as multisets of (value in the base unit, dimension): a quantity of the
source that the translation lacks, one the translation adds, or values moved between units are
errors, and so is a translation number a reader could take for another (``1,200`` in Spanish).
A translation's number words may stand for a source quantity; a unitless translation number may
stand for a source duration or count ("3-mal" styles), never for a dose. Times of day match an
hour count of the same value (``8 h`` for ``08:00``). Every finding names both quantities as
written and as read.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from babel.numbers import format_decimal

from polyleaf.i18n import LocaleInfo, cldr_locale
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err
from polyleaf.qa.quantities.extract import Quantity, scan
from polyleaf.qa.quantities.numparse import plain
from polyleaf.qa.quantities.units import CLOCK, HOUR

_HINT = ("keep every dose, unit, duration and range as the source has them; write numbers the "
         "way your language does (a no-break space or U+202F may group digits)")


def shown(q: Quantity) -> str:
    """``1200 mg``, ``08:00``, ``3`` (the value as read, in the unit as written)."""
    if q.unit is CLOCK:
        hours = int(q.value)
        return f"{hours:02d}:{int((q.value - hours) * 60):02d}"
    number = plain(q.value)
    return f"{number} {q.unit.label}" if q.unit is not None else number


def _src(q: Quantity) -> str:
    return f'"{q.text}" ({shown(q)})'


def _tgt(q: Quantity, locale: str) -> str:
    return f'"{q.text}" = {shown(q)} in {locale}'


def _hours_like(q: Quantity) -> bool:
    return q.unit is CLOCK or q.unit == HOUR


def _kind(q: Quantity) -> str:
    """none, hours (a time of day or an hour count), other (durations, counts) or dose."""
    if q.unit is None:
        return "none"
    if _hours_like(q):
        return "hours"
    return "dose" if q.unit.dose else "other"


# Which kinds of translation quantity may stand for a source quantity of the same value
# (written numbers; a number word stands in loosely only for a unitless number).
_LOOSE = {"none": ("none", "other", "hours"), "hours": ("hours", "none"), "other": ("none",),
          "dose": ()}
_LOOSE_SOFT = {"none": ("none",), "hours": ("hours",), "other": (), "dose": ()}


@dataclass(frozen=True, slots=True)
class Matching:
    """How the quantities of a source and a translation pair up."""

    missing: list[Quantity]  # source quantities the translation lacks
    added: list[Quantity]  # translation quantities the source lacks (number words excepted)
    exact: list[tuple[Quantity, Quantity]]  # (source, translation), same value and unit
    loose: list[tuple[Quantity, Quantity]]  # a unitless number standing for a unit, or back


def match(source: tuple[Quantity, ...], target: tuple[Quantity, ...]) -> Matching:
    """Pair the quantities: exact matches first (written numbers, then number words), then the
    looser ones (a unitless number for a duration or a count, ``8 h`` for ``08:00``). Buckets
    keep it linear."""
    exact: dict[tuple[object, bool], deque[int]] = defaultdict(deque)
    loose: dict[tuple[object, bool, str], deque[int]] = defaultdict(deque)
    for index, tgt in enumerate(target):
        exact[(tgt.key, tgt.soft)].append(index)
        loose[(tgt.value.normalize(), tgt.soft, _kind(tgt))].append(index)
    used = [False] * len(target)

    def take(bucket: deque[int] | None) -> int | None:
        while bucket:
            index = bucket.popleft()
            if not used[index]:
                used[index] = True
                return index
        return None

    pairs: dict[str, list[tuple[Quantity, Quantity]]] = {"exact": [], "loose": []}
    left = list(source)
    for kind, soft in (("exact", False), ("exact", True), ("loose", False), ("loose", True)):
        rest = []
        for src in left:
            if kind == "exact":
                at = take(exact.get((src.key, soft)))
            else:
                kinds = (_LOOSE_SOFT if soft else _LOOSE)[_kind(src)]
                at = next((i for k in kinds if (i := take(loose.get((src.value.normalize(),
                                                                     soft, k)))) is not None), None)
            if at is None:
                rest.append(src)
            else:
                pairs[kind].append((src, target[at]))
        left = rest
    added = [t for i, t in enumerate(target) if not used[i] and not t.soft]
    return Matching(left, added, pairs["exact"], pairs["loose"])


def crossed(loose: list[tuple[Quantity, Quantity]]) -> list[tuple[Quantity, Quantity]]:
    """Loose pairs that together move values between units: the source's "2 times" matched to
    a bare "2" while the source's bare "14" matched to the translation's "14 times"."""
    unit_lost = {s.unit.dim for s, t in loose if s.unit is not None and t.unit is None}
    unit_gained = {t.unit.dim for s, t in loose if s.unit is None and t.unit is not None}
    both = unit_lost & unit_gained
    found = []
    for src, tgt in loose:
        unit = src.unit or tgt.unit
        if unit is not None and unit.dim in both:
            found.append((src, tgt))
    return found


def reordered(exact: list[tuple[Quantity, Quantity]]) -> tuple[list[Quantity], list[Quantity]]:
    """Written quantities of one dimension in another order ("999 in the UK, 112 in the EU"
    became "112 … 999"; a range "200-400 mg" became "400-200 mg"): (source, translation) order
    of the first dimension that differs, or empty lists."""
    by_dim: dict[str, tuple[list[Quantity], list[Quantity]]] = defaultdict(lambda: ([], []))
    for src, tgt in exact:
        by_dim[src.key[1]][0].append(src)
        by_dim[src.key[1]][1].append(tgt)
    for sources, targets in by_dim.values():
        sources.sort(key=lambda q: q.start)
        targets.sort(key=lambda q: q.start)
        if [q.key for q in sources] != [q.key for q in targets]:
            return sources, targets
    return [], []


def _describe(missing: list[Quantity], added: list[Quantity], locale: str) -> str:
    parts = []
    pairs = min(len(missing), len(added))
    for src, tgt in zip(missing[:pairs], added[:pairs], strict=True):
        parts.append(f"source has {_src(src)}; translation has {_tgt(tgt, locale)}")
    for src in missing[pairs:]:
        parts.append(f"source has {_src(src)}; the translation does not")
    for tgt in added[pairs:]:
        parts.append(f"translation adds {_tgt(tgt, locale)}, which the source does not have")
    return "; ".join(parts)


def check_numbers(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Every quantity of the source, and no other, in the translation, readable one way only."""
    src = scan(source, locale.source)
    tgt = scan(target, locale.code, locale.source)
    for written, digits, kind, mine, theirs in tgt.ambiguous:
        if kind == "space" and digits in source:
            continue  # written so in the source too: the author's choice, not the translator's
        yield _ambiguous(written, kind, mine.value, theirs.value, locale)
    found = match(src.quantities, tgt.quantities)
    moved = crossed(found.loose)
    missing = found.missing + [s for s, _ in moved]
    added = found.added + [t for _, t in moved]
    if missing or added:
        yield _err("qa.numbers", _describe(missing, added, locale.code), _HINT)
        return
    before, after = reordered([p for p in found.exact if not p[1].soft])
    if before:
        yield _err("qa.numbers", "the same numbers in another order: source has "
                   f"{', '.join(_src(q) for q in before)}; translation has "
                   f"{', '.join(_tgt(q, locale.code) for q in after)}",
                   "each number must stay with what it belongs to (a range from low to high, "
                   "each phone number with its country); keep the source's order")


def _ambiguous(written: str, kind: str, mine: Decimal, theirs: Decimal,
               locale: LocaleInfo) -> Finding:
    if kind == "space":
        return _err("qa.numbers", f'translation has "{written}": one number ({plain(mine)}) or '
                    f"two ({plain(theirs)} and more)?",
                    f"write {_spelled(mine, locale.code)} (digits grouped with a no-break space "
                    "or none), or keep the numbers apart with words")
    return _err("qa.numbers", f'translation has "{written}" = {plain(mine)} in {locale.code}, '
                f"but {plain(theirs)} the way {locale.source} writes it",
                f"write {_spelled(mine, locale.code)} for {plain(mine)}, or "
                f"{_spelled(theirs, locale.code)} for {plain(theirs)}: a dose must read one way only")


def _spelled(value: Decimal, locale: str) -> str:
    """How ``locale`` writes the value without ambiguity (no grouping below 10 000)."""
    locale = cldr_locale(locale)
    text = format_decimal(value, locale=locale, group_separator=False)
    if "." not in text and "," not in text and len(text) > 4:
        text = format_decimal(value, locale=locale).replace(".", "\u202f").replace(",", "\u202f")
    return text


def check_codes(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Code spans and phone numbers character for character (phone grouping spaces aside)."""
    want, got = scan(source, locale.source).codes, scan(target, locale.code, locale.source).codes
    if want != got:
        lost, extra = sorted((want - got).elements()), sorted((got - want).elements())
        yield _err("qa.codes", f"codes and phone numbers differ: source has {_list(lost)}, "
                   f"translation has {_list(extra)}",
                   "copy every `code` and phone number exactly as the source has it")


def _list(items: list[str]) -> str:
    return ", ".join(items) if items else "nothing else"


__all__ = ["check_codes", "check_numbers", "match", "shown"]
