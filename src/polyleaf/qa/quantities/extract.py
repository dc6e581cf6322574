"""Quantities of one text: numbers with their units, ranges, times of day, codes and phones.

:func:`scan` reads a source text with the source language's conventions or a translation with
the target's: link targets, URLs and placeholders are skipped; code spans and phone numbers are
codes (compared character for character, phone numbers apart from their grouping spaces); every
other number gets the unit written after it, and a number without one takes the unit of a range
it opens (``200-400 mg``, ``de 200 a 400 mg``). Numbers written as words are quantities too: in
a source only when a unit follows ("two weeks"), in a translation they are *soft* (they can
stand for a source quantity but are never reported as added: ``una`` is also "a").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from polyleaf.qa.links import LINK_TARGET, URL
from polyleaf.qa.quantities.numparse import (
    Reading,
    Token,
    ambiguity,
    convention,
    normalize,
    read,
    runs,
    tokens,
)
from polyleaf.qa.quantities.numwords import find_words, words
from polyleaf.qa.quantities.units import CLOCK, HOUR, Lexicon, Unit, lexicon, match_unit

# Words that join the two ends of a range (CLDR has only the dash pattern).
CONNECTORS: dict[str, frozenset[str]] = {
    "en": frozenset({"to", "or", "and"}), "es": frozenset({"a", "y", "o", "al", "hasta"}),
    "fr": frozenset({"à", "a", "et", "ou", "au"}), "de": frozenset({"bis", "und", "oder"}),
    "ar": frozenset({"إلى", "الى", "و", "أو", "او", "حتى"}),
    "zh": frozenset({"至", "到", "或", "和", "~"}),
}
_DASHES = frozenset("-–—~/")
MAX_NUMBER = 40  # characters; a longer run of digits is compared as a code
_PLACEHOLDER_OPEN = ("%(", "{{", "{")


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number (and its unit) as written at ``start`` of the text."""

    text: str
    value: Decimal
    unit: Unit | None
    start: int
    soft: bool = False  # a number word of a translation
    word: bool = False  # written in words

    @property
    def key(self) -> tuple[Decimal, str]:
        """What is compared: the value in the dimension's base unit, and the dimension."""
        if self.unit is None:
            return self.value.normalize(), ""
        return (self.value * self.unit.factor).normalize(), self.unit.dim


@dataclass(frozen=True, slots=True)
class Scan:
    """Everything :func:`scan` found in one text."""

    quantities: tuple[Quantity, ...]
    codes: Counter[str]
    ambiguous: tuple[tuple[str, str, str, Reading, Reading], ...] = ()  # written, digits, kind


def protected(text: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Spans to skip (links, URLs, placeholders, code spans) and the code spans' contents."""
    spans = [m.span() for m in LINK_TARGET.finditer(text)] + [m.span() for m in URL.finditer(text)]
    codes: list[str] = []
    i = text.find("`")
    while i != -1:
        j = text.find("`", i + 1)
        if j == -1:
            break
        codes.append(text[i + 1:j].strip())
        spans.append((i, j + 1))
        i = text.find("`", j + 1)
    for opener in _PLACEHOLDER_OPEN:
        close = "}" if opener != "%(" else ")"
        i = text.find(opener)
        while i != -1:
            j = text.find(close, i, i + 64)  # placeholders are short: a bounded look-ahead
            if j != -1:
                spans.append((i, j + 1))
            i = text.find(opener, i + 1 if j == -1 else j + 1)
    return spans, codes


def mask(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


_PHONE_JOINERS = frozenset(" -\u00a0")


def _phones(norm: str, spans: list[tuple[int, int]]) -> tuple[list[str], list[tuple[int, int]]]:
    """Phone numbers (``+44 20 7946 0000``, ``020 7946 0000``) as digit strings, and the other
    digit runs. A phone number is digit groups joined by single spaces or hyphens: ``+`` and at
    least five digits, or 7-15 digits that are not a thousands grouping."""
    phones: list[str] = []
    rest: list[tuple[int, int]] = []
    chain: list[tuple[int, int]] = []
    for span in [*spans, (-2, -2)]:
        if chain and span[0] == chain[-1][1] + 1 and norm[chain[-1][1]] in _PHONE_JOINERS:
            chain.append(span)
            continue
        if chain:
            digits = "".join(norm[a:b] for a, b in chain)
            plus = chain[0][0] > 0 and norm[chain[0][0] - 1] == "+"
            parts = [norm[a:b] for a, b in chain]
            grouped = 1 <= len(parts[0]) <= 3 and parts[0][0] != "0" and all(
                len(x) == 3 for x in parts[1:])
            if len(digits) <= 15 and ((plus and len(digits) >= 5) or
                                      (len(digits) >= 7 and len(chain) >= 2 and not grouped)):
                phones.append(digits)
            else:
                rest += chain
        chain = [span]
    return phones, rest


@lru_cache(maxsize=8192)
def scan(text: str, locale: str, source_locale: str | None = None) -> Scan:
    """Quantities and codes of ``text`` read as ``locale`` writes them.

    ``source_locale`` is given for a translation: its numbers are also read the source's way,
    to find the ambiguous ones, and its number words are soft quantities.
    """
    spans, code_spans = protected(text)
    norm = normalize(mask(text, spans))
    conv = convention(locale)
    other = convention(source_locale) if source_locale else None
    lex = lexicon(locale)
    codes = Counter(f"`{c}`" for c in code_spans)
    items: list[Quantity] = []
    ambiguous: list[tuple[str, str, str, Reading, Reading]] = []
    phones, spans_left = _phones(norm, runs(norm))
    codes.update(f"tel:{p}" for p in phones)
    i = 0
    for token in tokens(norm, spans_left):
        if token.start < i:  # already read as a unit or time of day ("8 h 30")
            continue
        i = token.start
        if token.end - token.start > MAX_NUMBER:  # no quantity is that long: a code
            codes[f"digits:{norm[token.start:token.end]}"] += 1
            i = token.end
            continue
        clock = _clock(norm, token)
        if clock is not None:
            items.append(Quantity(text[i:clock[1]], clock[0], CLOCK, i))
            i = clock[1]
            continue
        readings = read(token, conv)
        doubt = ambiguity(token, conv, other) if other is not None else None
        for reading in readings:
            quantity, end = _with_unit(text, norm, reading, lex)
            items.append(quantity)
            i = max(end, token.end)
        if doubt is not None:
            ambiguous.append((text[token.start:i], text[token.start:token.end], *doubt))
    items += _word_quantities(text, norm, locale, lex, soft=source_locale is not None,
                              taken=[(q.start, q.start + len(q.text)) for q in items])
    items.sort(key=lambda q: q.start)
    ranged = _ranges(norm, items, locale)
    if source_locale is None:  # a source's number words count only with a unit ("two weeks")
        ranged = [q for q in ranged if not q.word or q.unit is not None]
    return Scan(tuple(ranged), codes, tuple(ambiguous))


def _clock(norm: str, token: Token) -> tuple[Decimal, int] | None:
    """``8:00``, ``08:30``, ``8h30``, ``8 h 30``: (hours, end)."""
    end, runs = token.end, token.runs
    if len(runs) != 1 or len(runs[0]) > 2 or int(runs[0]) > 24:
        return None
    rest = norm[end:end + 6]
    for sep in (":", "h", " h ", "h "):
        minutes_text = rest[len(sep):len(sep) + 2]
        if rest.startswith(sep) and len(minutes_text) == 2 and minutes_text.isdigit() \
                and minutes_text.isascii() and not rest[len(sep) + 2:len(sep) + 3].isdigit():
            minutes = int(rest[len(sep):len(sep) + 2])
            if minutes < 60:
                return Decimal(int(runs[0])) + Decimal(minutes) / 60, end + len(sep) + 2
    return None


def _with_unit(text: str, norm: str, reading: Reading, lex: Lexicon) -> tuple[Quantity, int]:
    found = match_unit(norm, reading.end, lex)
    if found is None:
        return Quantity(text[reading.start:reading.end], reading.value, None, reading.start), \
            reading.end
    unit, end = found
    return Quantity(text[reading.start:end], reading.value, unit, reading.start), end


def _word_quantities(text: str, norm: str, locale: str, lex: Lexicon, soft: bool,
                     taken: list[tuple[int, int]]) -> list[Quantity]:
    """Numbers written as words, and words that imply one (Arabic ``يومان``, two days)."""
    found = []
    busy = {pos for start, end in taken for pos in range(start, end)}
    for word in find_words(norm, words(locale)):
        if word.start in busy:
            continue
        unit, end = word.unit, word.end
        if unit is None and (hit := match_unit(norm, word.end, lex)) is not None:
            unit, end = hit
        busy.update(range(word.start, end))
        found.append(Quantity(text[word.start:end], word.value, unit, word.start, soft=soft,
                              word=True))
    for name, (value, unit) in lex.implied.items() if soft else ():
        for at in _occurrences(norm, name):
            if at not in busy:
                found.append(Quantity(text[at:at + len(name)], value, unit, at, soft=True,
                                      word=True))
    return found


def _occurrences(text: str, name: str) -> list[int]:
    """Where ``name`` stands as a whole word in ``text``."""
    found, at = [], text.find(name)
    while at != -1:
        end = at + len(name)
        if (at == 0 or not text[at - 1].isalpha()) and (end >= len(text) or not text[end].isalpha()):
            found.append(at)
        at = text.find(name, end)
    return found


def _ranges(norm: str, items: list[Quantity], locale: str) -> list[Quantity]:
    """A number without a unit that opens a range takes the range's unit (``200-400 mg``)."""
    joiners = CONNECTORS.get(locale.split("_")[0], frozenset())
    out = list(items)
    for index in range(len(out) - 2, -1, -1):
        here, after = out[index], out[index + 1]
        if here.unit is not None or after.unit is None or after.unit is CLOCK:
            continue
        gap = norm[here.start + len(here.text):after.start].strip(" \u00a0\u202f\u2009")
        if gap and (set(gap) <= _DASHES or gap.lower() in joiners):
            out[index] = Quantity(here.text, here.value, after.unit, here.start, here.soft,
                                  here.word)
    return out


__all__ = ["HOUR", "Quantity", "Scan", "scan"]
