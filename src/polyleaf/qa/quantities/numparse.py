"""Numbers as each locale writes them: digits of any script, CLDR decimal and grouping marks.

A *token* is a run of digits joined by single separator characters (``1,200``, ``4 000``,
``٣٫٥``, ``１２``). :func:`read` turns a token into the number(s) a reader of a locale sees,
using the locale's CLDR symbols from :mod:`babel.numbers` (Latin and Arabic numbering systems),
plus the marks that mean grouping everywhere (NBSP, U+202F, thin space, apostrophe).
:func:`ambiguity` says when a translation's number reads differently to a reader of the source
language (``1,200`` is 1.2 in Spanish but 1200 in English). Digit runs are found with one
regular expression without nested quantifiers (``[0-9]+``, RE2-compatible); the rest is work
per run, so reading is linear in the text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from functools import cache

from babel.numbers import get_decimal_symbol, get_group_symbol

from polyleaf.i18n import cldr_locale

SPACE_GROUPS = frozenset("\u00a0\u202f\u2009")  # NBSP, narrow NBSP, thin space: grouping anywhere
PLAIN_SPACE = " "
MARKS = frozenset(".,'’٫٬")  # marks that may join digit runs
_ALWAYS_GROUP = frozenset("'’٬")
_ALWAYS_DECIMAL = frozenset("٫")
# Full-width forms (U+FF01-U+FF5E) map to ASCII at the same position; digits of every script map
# to ASCII digits, so positions in the normalized text are positions in the original.
class _Table(dict[int, int]):
    """str.translate table: full-width forms and every script's digits to ASCII, on demand."""

    def __missing__(self, code: int) -> int:
        if 0xFF01 <= code <= 0xFF5E:
            mapped = code - 0xFEE0
        else:
            value = unicodedata.decimal(chr(code), None)
            mapped = 0x30 + value if value is not None else code
        self[code] = mapped
        return mapped


_TABLE = _Table()
_RUN = re.compile(r"[0-9]+")


def normalize(text: str) -> str:
    """``text`` with every decimal digit as ASCII and full-width forms as ASCII (same length)."""
    return text if text.isascii() else text.translate(_TABLE)


def runs(norm: str) -> list[tuple[int, int]]:
    """(start, end) of every run of ASCII digits."""
    return [m.span() for m in _RUN.finditer(norm)]


@dataclass(frozen=True, slots=True)
class Convention:
    """How one locale writes numbers: its decimal marks and grouping marks."""

    code: str
    decimals: frozenset[str]
    groups: frozenset[str]

    @property
    def spaces_group(self) -> bool:
        """A plain space groups digits here (French ``4 000``)."""
        return PLAIN_SPACE in self.groups


@cache
def convention(code: str) -> Convention:
    """The CLDR number symbols of ``code`` (Latin digits and Arabic-Indic digits)."""
    code = cldr_locale(code)
    try:
        decimal, group = get_decimal_symbol(code), get_group_symbol(code)
    except (ValueError, LookupError):
        decimal, group = ".", ","
    groups = {group, *SPACE_GROUPS, *_ALWAYS_GROUP}
    if group.isspace():
        groups.add(PLAIN_SPACE)
    return Convention(code, frozenset({decimal, *_ALWAYS_DECIMAL}), frozenset(groups))


@dataclass(frozen=True, slots=True)
class Token:
    """Digit runs and the single characters between them, at ``start:end`` of the text."""

    start: int
    end: int
    runs: tuple[str, ...]
    seps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    """One number as read: its value, where it is, and how its marks were read."""

    value: Decimal
    start: int
    end: int
    decimal_mark: str = ""  # the separator read as the decimal mark, if any
    group_mark: str = ""  # the separator read as grouping, if any


def tokens(norm: str, spans: list[tuple[int, int]]) -> list[Token]:
    """Digit runs joined by one separator character each into tokens."""
    found: list[Token] = []
    group: list[tuple[int, int]] = []
    for span in spans:
        if group and span[0] == group[-1][1] + 1 and (norm[group[-1][1]] in MARKS or
                                                    norm[group[-1][1]] in _SPACES):
            group.append(span)
            continue
        if group:
            found.append(_token(norm, group))
        group = [span]
    if group:
        found.append(_token(norm, group))
    return found


_SPACES = SPACE_GROUPS | {PLAIN_SPACE}


def _token(norm: str, group: list[tuple[int, int]]) -> Token:
    return Token(group[0][0], group[-1][1], tuple(norm[a:b] for a, b in group),
                 tuple(norm[b] for _, b in group[:-1]))


def scan_token(norm: str, start: int) -> Token:
    """The token that starts with the ASCII digit at ``norm[start]``."""
    return tokens(norm, [r for r in runs(norm) if r[0] >= start])[0]


def _grouped(runs: tuple[str, ...]) -> bool:
    """1-3 digits (not a leading 0), then groups of exactly three."""
    return 1 <= len(runs[0]) <= 3 and runs[0][0] != "0" and all(len(r) == 3 for r in runs[1:])


def _offsets(token: Token) -> list[int]:
    """Start offset of each run in the text."""
    offsets, pos = [], token.start
    for run in token.runs:
        offsets.append(pos)
        pos += len(run) + 1
    return offsets


def _one(token: Token, lo: int, hi: int, conv: Convention, offsets: list[int]) -> list[Reading]:
    """Read runs ``lo..hi`` (inclusive) of ``token`` as one number, or as several."""
    runs, seps = token.runs[lo:hi + 1], token.seps[lo:hi]
    start, end = offsets[lo], offsets[hi] + len(token.runs[hi])
    if not seps:
        return [Reading(Decimal(runs[0]), start, end)]
    last, head = seps[-1], seps[:-1]
    same = len(set(head)) <= 1 and (not head or head[0] != last)
    if last in conv.decimals and same and (not head or head[0] in conv.groups) \
            and (len(runs) == 2 or _grouped(runs[:-1])):
        return [Reading(Decimal("".join(runs[:-1]) + "." + runs[-1]), start, end, last,
                        head[0] if head else "")]
    if len(set(seps)) == 1 and _grouped(runs) and last not in _ALWAYS_DECIMAL:
        return [Reading(Decimal("".join(runs)), start, end, group_mark=last)]
    if len(seps) == 1 and last in ".,":  # not a grouping: the other language's decimal mark
        return [Reading(Decimal(runs[0] + "." + runs[1]), start, end, last)]
    if same and last in ".," and head and head[0] in ".," and _grouped(runs[:-1]):
        return [Reading(Decimal("".join(runs[:-1]) + "." + runs[-1]), start, end, last, head[0])]
    # dates, versions, lists ("1.2.3", "01.02.2026"): each run is a number
    return [Reading(Decimal(r), o, o + len(r)) for r, o in zip(runs, offsets[lo:hi + 1],
                                                              strict=True)]


def read(token: Token, conv: Convention) -> list[Reading]:
    """The number(s) a reader of ``conv`` sees in ``token``.

    Space-like separators group only where they make a valid grouping (``1 500``, not
    ``2 50``); a plain space groups only in locales that group with a space. Elsewhere the token
    is split there.
    """
    out: list[Reading] = []
    lo = 0
    offsets = _offsets(token)
    for index, sep in enumerate(token.seps):
        spacey = sep in SPACE_GROUPS or sep == PLAIN_SPACE
        if spacey and (sep not in conv.groups or not _space_group_ok(token, lo, index + 1)):
            out += _one(token, lo, index, conv, offsets)
            lo = index + 1
    out += _one(token, lo, len(token.runs) - 1, conv, offsets)
    return out


def _space_group_ok(token: Token, lo: int, index: int) -> bool:
    """Runs ``lo..`` joined by the space before run ``index`` form a valid grouping."""
    head = token.runs[lo]
    if not (1 <= len(head) <= 3 and head[0] != "0"):
        return False
    run = token.runs[index]
    # the run after a space is a group: exactly three digits (a decimal part may follow)
    return len(run) == 3


def ambiguity(token: Token, target: Convention,
              source: Convention) -> tuple[str, Reading, Reading] | None:
    """(kind, reading, other reading) when a target reader could see a different number.

    Kind ``decimal``: (target reading, source reading); kind ``space``: (one number, the first
    of two).

    Only the forms a reader can truly misread: a decimal mark that the source language uses for
    grouping (``1,200`` in Spanish), and digits grouped by a plain space in a language that
    does not group that way (``1 500``: one number or two?).
    """
    mine, theirs = read(token, target), read(token, source)
    if len(mine) == 1 and len(theirs) == 1 and mine[0].value != theirs[0].value \
            and mine[0].decimal_mark and mine[0].decimal_mark == theirs[0].group_mark:
        return "decimal", mine[0], theirs[0]
    if not target.spaces_group and PLAIN_SPACE in token.seps and any(
            sep == PLAIN_SPACE and _space_group_ok(token, index, index + 1)
            for index, sep in enumerate(token.seps)):
        joined = Convention(target.code, target.decimals, target.groups | {PLAIN_SPACE})
        together = read(token, joined)
        if len(together) < len(mine):
            return "space", together[0], mine[0]
    return None


def plain(value: Decimal) -> str:
    """``Decimal('1200')`` -> ``1200``; ``Decimal('1.50')`` -> ``1.5`` (for messages)."""
    text = format(value.normalize(), "f")
    return text
