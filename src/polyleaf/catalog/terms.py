"""Finding glossary terms in a text: word-aware, case-insensitive, light inflection, linear.

A text is cut into **tokens**: runs of letters, digits and combining marks, except that each
Han, kana, Thai, Lao, Khmer or Myanmar character is a token of its own (those scripts write no
spaces, so a term there matches as a substring). Each token becomes a **key**: NFC,
case-folded, Arabic and Hebrew vowel marks and the tatweel removed, then the language's light
inflection rule applied (:data:`ENDINGS`, :func:`key`):

- English, Spanish, Portuguese, Catalan, Galician, Italian: drop one final ``s``, then one
  final ``e`` (``migraines`` and ``migraine`` → ``migrain``; ``dolores``, ``dolor`` →
  ``dolor``; ``cervicogénicas`` → ``cervicogénica``); French also a final ``x``; German and
  Dutch a final ``s``, then ``n``/``r``/``m``, then ``e`` (``Migränen``, ``Migräne``);
  Arabic a leading ``و``/``ف``, then the article ``ال`` (also ``بال``, ``كال``, ``لل``) or
  one of the prepositions ``ب``, ``ل``, ``ك`` (``والصداع``, ``لصداع`` → ``صداع``);
  other languages: none. A letter is dropped only when three remain, and both the term and
  the text go through the same rule, so singular and plural meet; irregular plurals
  (``mal``/``maux``) need both forms in the glossary.

Link targets (``[text](target)``) and URLs are not searched (one RE2 pattern). A term matches
where its keys appear as consecutive tokens. All terms of a glossary are found in one pass of
an Aho-Corasick automaton (pyahocorasick) over the keys joined by a separator that no key
holds; a phrase of more than :data:`MAX_TERM_TOKENS` words is never looked for, so at most that
many patterns end at one token and the cost is linear in the text, whatever the glossary
(``tests/test_terminology.py``: 100 KB vs 1 MB, hostile shapes; ``bench/bench_terminology.py``).
The tokenizer is one Python ``re`` alternation of single-character classes (with a lookahead
of one character): it examines each character a bounded number of times and never backtracks.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import ahocorasick

from polyleaf.linear import compile_linear

SEPARATOR = "\x00"  # never part of a key: tokens hold letters, digits and marks only
MAX_TERM_TOKENS = 12

_SPACELESS = ("\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
              "\uf900-\ufaff\U00020000-\U0003134f")


def _mark_ranges() -> str:
    """Combining marks (category M) of the first two planes as a character-class body."""
    ranges: list[str] = []
    start = previous = -2
    for code in range(0x20000):
        if unicodedata.category(chr(code))[0] != "M":
            continue
        if code != previous + 1:
            if start >= 0:
                ranges.append(f"{chr(start)}-{chr(previous)}")
            start = code
        previous = code
    ranges.append(f"{chr(start)}-{chr(previous)}")
    return "".join(ranges)


@lru_cache(maxsize=1)
def _token_re() -> re.Pattern[str]:
    spaceless, marks = f"[{_SPACELESS}]", f"[{_mark_ranges()}]"
    return re.compile(f"{spaceless}{marks}*|(?:(?!{spaceless})[^\\W_]|{marks})+")


# Arabic harakat, superscript alef, Quranic marks, tatweel; Hebrew points and cantillation.
_DROP = dict.fromkeys([*range(0x0610, 0x061B), *range(0x064B, 0x0660), 0x0670,
                       *range(0x06D6, 0x06EE), 0x0640, *range(0x0591, 0x05C8)])

ENDINGS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(("en", "es", "pt", "ca", "gl", "it"), ("s", "e")),
    "fr": ("sx", "e"),
    **dict.fromkeys(("de", "nl"), ("s", "nrm", "e")),
}
_AR_CONJUNCTIONS = ("و", "ف")
_AR_ARTICLES = ("بال", "كال", "فال", "ال", "لل")
_AR_PREPOSITIONS = ("ب", "ل", "ك")


def language_of(locale: str) -> str:
    """``en_GB``, ``pt-BR``, ``zh_Hans`` → ``en``, ``pt``, ``zh``."""
    return re.split(r"[-_@.]", locale, maxsplit=1)[0].lower()


_TARGETS = compile_linear(r"\]\([^)]*\)|(?i:https?://)[^\s)>\]]+")


def tokens(text: str) -> list[str]:
    """The tokens of ``text`` (NFC), in order; Markdown link targets and URLs are no text."""
    if "](" in text or "://" in text:
        text = _TARGETS.sub("] ", text)
    return _token_re().findall(unicodedata.normalize("NFC", text))


def key(token: str, language: str) -> str:
    """The comparison key of one token in ``language`` (see the module docstring)."""
    word = token.casefold().translate(_DROP)
    if language == "ar":
        return _arabic(word)
    for ending in ENDINGS.get(language, ()):
        if len(word) > 3 and word[-1] in ending:
            word = word[:-1]
    return word


def _arabic(word: str) -> str:
    if len(word) > 3 and word[0] in _AR_CONJUNCTIONS:
        word = word[1:]
    for article in _AR_ARTICLES:
        if word.startswith(article) and len(word) - len(article) >= 3:
            return word[len(article):]
    return word[1:] if len(word) > 3 and word[0] in _AR_PREPOSITIONS else word


def keys(text: str, language: str) -> tuple[str, ...]:
    """The keys of every token of ``text``."""
    return tuple(k for t in tokens(text) if (k := key(t, language)))


@dataclass(frozen=True, slots=True)
class Match:
    """One occurrence: which phrase, and the tokens it covers (``start`` inclusive)."""

    phrase: int
    start: int
    end: int


class Matcher:
    """Every phrase of a list found in a text in one linear pass (an Aho-Corasick automaton)."""

    def __init__(self, phrases: Sequence[str], language: str) -> None:
        self.language = language
        self.phrases = tuple(phrases)
        self._automaton = ahocorasick.Automaton()
        self._sizes: list[int] = []
        for index, phrase in enumerate(self.phrases):
            found = keys(phrase, language)
            self._sizes.append(len(found))
            if not found or len(found) > MAX_TERM_TOKENS:
                continue
            pattern = SEPARATOR + SEPARATOR.join(found) + SEPARATOR
            owners = self._automaton.get(pattern, ()) if pattern in self._automaton else ()
            self._automaton.add_word(pattern, (*owners, index))
        self._empty = len(self._automaton) == 0
        if not self._empty:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Every occurrence of every phrase in ``text``, by position then phrase."""
        if self._empty:
            return []
        found = keys(text, self.language)
        if not found:
            return []
        closing: dict[int, int] = {}  # offset of the separator after token i -> i
        offset = 0
        for number, item in enumerate(found):
            offset += len(item) + 1
            closing[offset] = number
        joined = SEPARATOR + SEPARATOR.join(found) + SEPARATOR
        matches = [Match(phrase, closing[end] - self._sizes[phrase] + 1, closing[end] + 1)
                   for end, owners in self._automaton.iter(joined) for phrase in owners]
        return sorted(matches, key=lambda m: (m.start, m.phrase))

    def present(self, text: str) -> set[int]:
        """The indexes of the phrases that occur in ``text``."""
        return {m.phrase for m in self.find(text)}
