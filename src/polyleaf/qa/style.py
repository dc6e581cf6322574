"""Style QA: empty text (an error), and the warnings a translator may silence per entry.

``qa.empty`` (error); ``qa.whitespace``, ``qa.punctuation``, ``qa.doubled-word``,
``qa.unchanged``, ``qa.length`` (warnings).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err
from polyleaf.qa.findings import warning_finding as _warn

_WORD = re.compile(r"\w+")  # one greedy class: linear in Python's engine too
_DOUBLES_OK = {"vous vous", "nous nous", "that that", "had had", "la la"}
_END_PUNCT = {".": {".", "。", "．", "۔", "।"}, "?": {"?", "？", "؟"}, "!": {"!", "！"},
              ":": {":", "：", "؛"}, ";": {";", "；", "؛"}}
_CJK = {"zh", "ja", "ko"}


def check_empty(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """A whitespace-only translation would print nothing."""
    if target and not target.strip():
        yield _err("qa.empty", "translation is only whitespace", "translate the text or leave "
                   "the msgstr empty")


def check_whitespace(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Leading/trailing whitespace as in the source."""
    if (source[:1].isspace(), source[-1:].isspace()) != (target[:1].isspace(),
                                                         target[-1:].isspace()):
        yield _warn("qa.whitespace", "leading or trailing whitespace differs from the source",
                    "remove or add the spaces at the start or end")


def _end(text: str) -> str:
    stripped = text.rstrip(" \u00a0\u202f*_)")
    return stripped[-1:] if stripped else ""


def check_punctuation(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Sentence-final punctuation of the same kind (locale-aware: ؟ ， 。)."""
    want, got = _end(source), _end(target)
    if want in _END_PUNCT and got not in _END_PUNCT[want]:
        yield _warn("qa.punctuation", f"source ends with '{want}', translation with '{got}'",
                    "end the sentence with the matching punctuation of your language")
    elif want not in _END_PUNCT and any(got in marks for marks in _END_PUNCT.values()) \
            and got not in (".", "。") and want.isalnum():
        yield _warn("qa.punctuation", f"translation ends with '{got}', the source has none",
                    "match the source's ending")


def _doubled_words(text: str) -> Iterator[str]:
    """Each word of two or more letters typed twice in a row, separated only by whitespace
    (a token scan: linear, where a backreference pattern is not)."""
    previous, end = "", 0
    for match in _WORD.finditer(text):
        word = match.group(0)
        gap = text[end:match.start()]
        if word == previous and len(word) >= 2 and gap and gap.isspace():
            yield text[end - len(word):match.end()]
            word = ""  # matches do not overlap: "the the the the" is two doublings
        previous, end = word, match.end()


def check_doubled(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """A word typed twice ('the the')."""
    for doubled in _doubled_words(target):
        if doubled.lower() not in _DOUBLES_OK and next(_doubled_words(source), None) is None:
            yield _warn("qa.doubled-word", f"doubled word '{doubled}'",
                        "remove the repeated word")
            return


def check_unchanged(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Translation identical to the source (numbers, codes and names excepted)."""
    letters = sum(c.isalpha() for c in source)
    if target == source and letters >= 4 and " " in source.strip():
        yield _warn("qa.unchanged", "translation is identical to the source",
                    "translate it, or add '#, no-qa:unchanged' if it is right as it is")


# A translation this much longer than its source is not a translation (a paste accident, an
# attack): an error, and the other checks do not read it. 20x leaves room for a one-word source
# such as "Dose" that a language must write as a phrase.
ABSURD_RATIO = 20
ABSURD_MIN_CHARS = 10_000
ABSURD = _err("qa.length", f"translation is absurdly long (over {ABSURD_RATIO}x the source and "
              f"over {ABSURD_MIN_CHARS:,} characters)", "paste the translation of this message "
              "only; check the entry in your editor")


def absurd_length(source: str, target: str) -> bool:
    """Far longer than any translation of ``source`` could be."""
    return len(target) > max(ABSURD_RATIO * len(source), ABSURD_MIN_CHARS)


def check_length(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Translation far shorter or longer than usual for the language."""
    if len(source) < 20 or not target:
        return
    low, high = (0.15, 1.5) if locale.code.split("_")[0] in _CJK else (0.4, 3.0)
    ratio = len(target) / len(source)
    if not low <= ratio <= high:
        yield _warn("qa.length", f"translation is {ratio:.1f}x the source length "
                    f"(expected {low}-{high}x)", "check that nothing is missing or added")
