"""Small numbers written as words ("cuatro", "vingt et un", "zweimal", "两"), from CLDR.

The words come from CLDR's rule-based number formatting (spell-out rules, every grammatical
gender) through the ``unicode-rbnf`` package: 0-100 and the hundreds up to 1000, for any locale
CLDR spells out. The few multiplicative adverbs CLDR does not spell out ("once", "twice",
German ``-mal`` compounds, Arabic ``مرتين``) are listed here. Lookups are dictionary hits on a
bounded window of words: linear in the text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from itertools import chain

from unicode_rbnf import RbnfEngine

from polyleaf.i18n import cldr_locale
from polyleaf.qa.quantities.units import TIMES, TIMES_WORDS, Unit

_SKIP_RULESETS = ("days", "year", "ordinal", "verbose")
# CLDR spells out cardinals, not "once"/"twice"; a few multiplicative adverbs by language.
ADVERBS: dict[str, dict[str, int]] = {
    "en": {"once": 1, "twice": 2, "thrice": 3},
    "ar": {"مرتين": 2, "مرتان": 2, "مرّتين": 2},
    "zh": {"两": 2, "俩": 2},
}
_JOINERS = frozenset(" -\u00a0")


@dataclass(frozen=True, slots=True)
class Words:
    """A language's number words: phrase (lower case, words joined by one space) -> value."""

    values: dict[str, int]
    longest: int  # most words in one phrase
    chars: frozenset[str]  # characters of number words in scripts without spaces (CJK)
    adverbs: dict[str, int]  # "twice" -> 2 (a count of times)
    starts: frozenset[str] = frozenset()  # first words of the phrases (a quick no)


def _spellings(lang: str) -> dict[str, int]:
    try:
        engine = RbnfEngine.for_language(lang)
    except (ValueError, KeyError, OSError, LookupError):
        return {}
    values: dict[str, int] = {}
    for number in chain(range(0, 101), range(200, 1001, 100)):
        try:
            result = engine.format_number(number)
        except (ValueError, KeyError, LookupError, IndexError):
            continue
        for ruleset, text in result.text_by_ruleset.items():
            if not any(s in ruleset for s in _SKIP_RULESETS):
                values.setdefault(" ".join(text.lower().replace("-", " ").split()), number)
    return values


@cache
def words(locale: str) -> Words:
    """The number words of ``locale`` (its language's CLDR spell-out rules)."""
    locale = cldr_locale(locale)
    lang = locale.split("_")[0]
    values = _spellings(lang)
    adverbs = dict(ADVERBS.get(lang, {}))
    for word in TIMES_WORDS.get(lang, ()):  # German zweimal, dreimal
        if lang == "de":
            adverbs.update({f"{k}{word}": v for k, v in values.items() if " " not in k})
    if lang == "zh":
        values.update({k: v for k, v in adverbs.items()})
        adverbs = {}
    chars = frozenset(c for k in values for c in k if "\u3000" <= c <= "\u9fff")
    longest = max((k.count(" ") + 1 for k in values), default=0)
    starts = frozenset(k.split(" ")[0] for k in values)
    return Words(values, longest, chars, adverbs, starts)


@dataclass(frozen=True, slots=True)
class WordNumber:
    """A number written in words at ``start:end``; ``unit`` is set for adverbs (twice)."""

    value: Decimal
    start: int
    end: int
    unit: Unit | None = None


LETTERS = re.compile(r"[^\W\d_]+")  # one quantifier, RE2-compatible


def _tokens(text: str) -> list[tuple[int, int]]:
    """(start, end) of every run of letters."""
    return [m.span() for m in LETTERS.finditer(text)]


def find_words(text: str, table: Words) -> list[WordNumber]:
    """Every number word or phrase of ``text``, longest phrase first, left to right."""
    found: list[WordNumber] = []
    if table.chars:
        found += _find_cjk(text, table)
    if not table.values and not table.adverbs:
        return found
    spans = _tokens(text)
    index = 0
    while index < len(spans):
        hit = _phrase_at(text, spans, index, table)
        if hit is None:
            index += 1
            continue
        found.append(hit[0])
        index = hit[1]
    return sorted(found, key=lambda w: w.start)


def _phrase_at(text: str, spans: list[tuple[int, int]], index: int,
               table: Words) -> tuple[WordNumber, int] | None:
    first = spans[index]
    word = text[first[0]:first[1]].lower()
    if word not in table.starts and word not in table.adverbs:
        return None
    if word in table.adverbs:
        return WordNumber(Decimal(table.adverbs[word]), *first, unit=TIMES), index + 1
    for size in range(min(table.longest, len(spans) - index), 0, -1):
        last = spans[index + size - 1]
        parts = [text[s:e].lower() for s, e in spans[index:index + size]]
        gaps_ok = all(set(text[spans[index + k][1]:spans[index + k + 1][0]]) <= _JOINERS
                      and spans[index + k + 1][0] - spans[index + k][1] <= 1 for k in range(size - 1))
        if gaps_ok and (value := table.values.get(" ".join(parts))) is not None:
            return WordNumber(Decimal(value), first[0], last[1]), index + size
    return None


@cache
def _cjk_pattern(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(sorted(chars)) + "]+")


def _find_cjk(text: str, table: Words) -> list[WordNumber]:
    """Runs of CJK numeral characters, each read by its longest known prefixes."""
    found = []
    for match in _cjk_pattern(table.chars).finditer(text):
        i, n = match.span()
        while i < n:
            j = min(n, i + 8)
            while j > i and text[i:j] not in table.values:
                j -= 1
            if j == i:
                i += 1
                continue
            found.append(WordNumber(Decimal(table.values[text[i:j]]), i, j))
            i = j
    return found
