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
from decimal import Decimal

from babel.numbers import format_decimal

from polyleaf.i18n import LocaleInfo
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


# Which kinds of translation quantity may stand for a source quantity of the same value.
_LOOSE = {"none": ("none", "other", "hours"), "hours": ("hours", "none"), "other": ("none",),
          "dose": ()}


def match(source: tuple[Quantity, ...], target: tuple[Quantity, ...]) -> tuple[
        list[Quantity], list[Quantity]]:
    """(source quantities the translation lacks, translation quantities the source lacks).

    Exact matches first (written numbers, then number words), then the looser ones: a unitless
    number for a duration or a count, ``8 h`` for ``08:00``. Buckets keep it linear.
    """
    exact: dict[tuple[object, bool], deque[int]] = defaultdict(deque)
    loose: dict[tuple[object, bool, str], deque[int]] = defaultdict(deque)
    for index, tgt in enumerate(target):
        exact[(tgt.key, tgt.soft)].append(index)
        loose[(tgt.value.normalize(), tgt.soft, _kind(tgt))].append(index)
    used = [False] * len(target)

    def take(bucket: deque[int] | None) -> bool:
        while bucket:
            index = bucket.popleft()
            if not used[index]:
                used[index] = True
                return True
        return False

    left = list(source)
    for soft in (False, True):
        left = [s for s in left if not take(exact.get((s.key, soft)))]
    for soft in (False, True):
        left = [s for s in left if not any(take(loose.get((s.value.normalize(), soft, kind)))
                                           for kind in _LOOSE[_kind(s)])]
    return left, [t for i, t in enumerate(target) if not used[i] and not t.soft]


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
    for written, kind, mine, theirs in tgt.ambiguous:
        yield _ambiguous(written, kind, mine.value, theirs.value, locale)
    missing, added = match(src.quantities, tgt.quantities)
    if missing or added:
        yield _err("qa.numbers", _describe(missing, added, locale.code), _HINT)


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
