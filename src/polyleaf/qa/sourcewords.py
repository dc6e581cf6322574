"""Source-language words left in a critical translation (``qa.source-words``).

A word counts as left in when the translation has it, the source has it too, the source
language's Hunspell dictionary knows it and the target language's does not (Debian's
``hunspell-*`` dictionaries through pyenchant, loaded once per process and only for critical
entries). Proper names (capitalized in the source other than at a sentence start, or written in
capitals), words the source dictionary does not know (brand names, codes), medical terms
(drug and disease names: Debian's medical word lists ``hunspell-en-med``, ``hunspell-de-med``,
which are word lists without affix rules, read directly), unit symbols and words valid in the
target language pass. Without a target dictionary only a change of
script tells (Latin words in an Arabic or Chinese translation); ``polyleaf doctor`` lists the
dictionaries it found.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err
from polyleaf.qa.quantities.extract import mask, protected
from polyleaf.qa.quantities.numwords import LETTERS
from polyleaf.qa.quantities.units import lexicon


@cache
def dictionary(locale: str) -> Any | None:
    """The Hunspell dictionary for ``locale`` (``es`` finds ``es_ES``), or None."""
    try:
        import enchant
    except (ImportError, OSError):  # pyenchant needs the enchant-2 C library
        return None
    lang = locale.split("_")[0]
    try:
        known = sorted(enchant.list_languages())
    except (enchant.errors.Error, OSError, ValueError):  # a broken install: no dictionaries
        return None
    for tag in (locale, f"{lang}_{lang.upper()}", lang, *[k for k in known if k.startswith(f"{lang}_")]):
        if tag in known:
            return enchant.Dict(tag)
    return None


HUNSPELL_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"))


@cache
def medical_terms(locale: str) -> frozenset[str]:
    """The words of a Hunspell medical word list for ``locale``'s language (``en_med*.dic``)."""
    lang = locale.split("_")[0]
    words: set[str] = set()
    for folder in HUNSPELL_DIRS:
        for path in sorted(folder.glob(f"{lang}_med*.dic")) if folder.is_dir() else ():
            try:
                lines = path.read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError:
                continue
            words.update(line.split("/", 1)[0].strip() for line in lines[1:] if line[:1].isalpha())
    return frozenset(words)


def available(locales: tuple[str, ...]) -> dict[str, bool]:
    """Whether a dictionary was found for each locale (for ``polyleaf doctor``)."""
    return {locale: dictionary(locale) is not None for locale in locales}


def _words(text: str) -> Iterator[tuple[int, str]]:
    """(start, word) for every run of letters of ``text``."""
    for match in LETTERS.finditer(text):
        yield match.start(), match.group()


def _sentence_start(text: str, at: int) -> bool:
    before = text[max(0, at - 12):at].rstrip(" *_\"“‘'([")
    if not before and at > 12:
        return False
    return not before or before[-1] in ".!?:;\n-–•"


def _proper_names(source: str) -> set[str]:
    """Lower-case forms of the source's proper names (UK, Riverside), never written lower case."""
    proper, common = set(), set()
    for at, word in _words(source):
        key = word.lower()
        if not word[0].isupper():
            common.add(key)
        elif (len(word) > 1 and word.isupper()) or not _sentence_start(source, at):
            proper.add(key)
    return proper - common


@cache
def _unit_names(source: str, target: str) -> frozenset[str]:
    return frozenset(n for code in (source, target) for names in lexicon(code).names.values()
                     for n, _ in names)


def _latin(word: str) -> bool:
    return all(unicodedata.name(c, "").startswith("LATIN") for c in word)


def left_words(source: str, target: str, locale: LocaleInfo) -> list[str]:
    """Words of the source language kept in the translation, in order, once each."""
    src_text = mask(source, protected(source)[0])
    tgt_text = mask(target, protected(target)[0])
    in_source = {w.lower() for _, w in _words(src_text)}
    names = _proper_names(src_text)
    units = _unit_names(locale.source, locale.code)
    mine, theirs = dictionary(locale.source), dictionary(locale.code)
    medical = (medical_terms(locale.source), medical_terms(locale.code))
    other_script = not any(_latin(w) for _, w in _words(tgt_text) if w.lower() not in in_source)
    found: dict[str, None] = {}
    for _, word in _words(tgt_text):
        key = word.lower()
        if len(key) < 2 or key not in in_source or key in names or key in units or word in found \
                or any(key in terms or word in terms for terms in medical):
            continue
        if mine is not None and not mine.check(key) and not mine.check(word):
            continue  # not a source-language word: a drug or brand name, a code
        if theirs is not None:
            if theirs.check(word) or theirs.check(key) or theirs.check(key.capitalize()):
                continue
        elif not (_latin(word) and other_script):
            continue
        found[word] = None
    return list(found)


def check_source_words(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """A critical translation keeps no word of the source language (names excepted)."""
    if locale.code.split("_")[0] == locale.source.split("_")[0]:
        return
    left = left_words(source, target, locale)
    if left:
        yield _err("qa.source-words", f"urgent-care translation keeps {locale.source} word(s) "
                   f"{', '.join(repr(w) for w in left)}",
                   "translate every word of urgent-care text; names of people, places, drugs "
                   "and brands may stay as they are")
