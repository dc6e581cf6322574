"""Translation QA: the checks that decide whether a translation may reach a patient.

Each check has a stable code and a level. An **error** makes a translation unusable: the build
shows the source text instead and holds the leaflet back. A **warning** is advice; a translator
silences it on one entry with the flag ``#, no-qa:<name>`` (e.g. ``no-qa:unchanged``) or a
translator comment ``# qa-ignore: <name>``. Errors cannot be silenced.

Codes: qa.numbers, qa.links, qa.markup, qa.placeholders, qa.unsafe, qa.empty, qa.plurals
(errors); qa.whitespace, qa.punctuation, qa.doubled-word, qa.unchanged, qa.length (warnings);
qa.critical (error, reported by :func:`check_catalog` for critical entries not usable).
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

from polyleaf.errors import Level
from polyleaf.i18n import LocaleInfo
from polyleaf.markdown import PARSER
from polyleaf.pofile import Entry

CRITICAL_MARK = "CRITICAL:"


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one translation."""

    code: str
    level: Level
    message: str
    hint: str


Check = Callable[[str, str, LocaleInfo], Iterator[Finding]]

_NUMBER = re.compile(r"\d+(?:[.,٫]\d+)?")
_LINK_TARGET = re.compile(r"\]\(([^)\s]*)(?:\s[^)]*)?\)")
_URL = re.compile(r"https?://[^\s)>\]]+")
_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif%]|\{\{.*?\}\}|\{[A-Za-z_]\w*\}")
_UNSAFE = re.compile(r"<\s*/?\s*(script|iframe|object|embed|style|link|meta|svg|math)\b"
                     r"|\bon[a-z]+\s*=|(?:javascript|vbscript|data)\s*:", re.I)
_PERCENT = re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif%]")
# C0/C1 controls other than tab and newline: never patient text, and \r or \f would end a CSS
# string (the leaflet's page counter) and let a translation restyle or hide parts of a leaflet.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_WORD = re.compile(r"\b(\w{2,})\s+\1\b")
_DOUBLES_OK = {"vous vous", "nous nous", "that that", "had had", "la la"}
_END_PUNCT = {".": {".", "。", "．", "۔", "।"}, "?": {"?", "？", "؟"}, "!": {"!", "！"},
              ":": {":", "：", "؛"}, ";": {";", "；", "؛"}}
_CJK = {"zh", "ja", "ko"}


def _err(code: str, message: str, hint: str) -> Finding:
    return Finding(code, Level.ERROR, message, hint)


def _warn(code: str, message: str, hint: str) -> Finding:
    return Finding(code, Level.WARNING, message, hint)


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() and not c.isascii()
                   and unicodedata.decimal(c, None) is not None else c for c in text)


def _numbers(text: str) -> Counter[str]:
    text = _URL.sub(" ", _LINK_TARGET.sub("](", _ascii_digits(text)))
    return Counter(n.replace(",", ".").replace("٫", ".") for n in _NUMBER.findall(text))


def check_numbers(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Every number of the source appears in the translation (any digits, any decimal mark)."""
    missing = _numbers(source) - _numbers(target)
    extra = _numbers(target) - _numbers(source)
    if missing:
        yield _err("qa.numbers", f"number(s) {', '.join(sorted(missing))} of the source are "
                   f"missing{' (found ' + ', '.join(sorted(extra)) + ')' if extra else ''}",
                   "keep every number, dose and range exactly; digits of your script are fine")


def check_links(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """The same link and image targets and bare URLs."""
    for kind, pattern in (("link target", _LINK_TARGET), ("URL", _URL)):
        want, got = Counter(pattern.findall(source)), Counter(pattern.findall(target))
        if want != got:
            yield _err("qa.links", f"{kind}s differ: source {sorted(want)}, translation "
                       f"{sorted(got)}", "translate the link text only; keep (target) unchanged")
            return


@lru_cache(maxsize=4096)
def _markup(text: str) -> tuple[str, ...]:
    tokens = PARSER.parseInline(text, {})[0].children or []
    kinds = Counter(t.type for t in tokens if t.type in (
        "strong_open", "em_open", "code_inline", "link_open", "image", "s_open"))
    return tuple(sorted(kinds.elements()))


def check_markup(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Inline Markdown of the same kinds and counts (bold, emphasis, code, links, images)."""
    if _markup(source) != _markup(target):
        yield _err("qa.markup", f"inline markup differs: source {list(_markup(source))}, "
                   f"translation {list(_markup(target))}",
                   "keep **bold**, *emphasis*, `code` and [links](target) balanced; in CJK text "
                   "put punctuation outside ** (e.g. **词**。)")


_STRAY_PERCENT = Finding("qa.placeholders", Level.ERROR, "the translation has a '%' that is not "
                         "part of a placeholder", "write a percent sign as %% in this message")


def _stray_percent(target: str) -> bool:
    return "%" in _PERCENT.sub("", target)


def check_placeholders(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """The same %(name)s / {{ var }} / {name} placeholders."""
    want, got = (Counter(p for p in _PLACEHOLDER.findall(text) if p != "%%")  # %% is a literal
                 for text in (source, target))
    if want != got:
        yield _err("qa.placeholders", f"placeholders differ: source {sorted(want)}, translation "
                   f"{sorted(got)}", "copy every %(name)s placeholder exactly")
    elif _PERCENT.search(source) and _stray_percent(target):
        # The source is a format string: a lone '%' would make formatting fail at build time.
        yield _STRAY_PERCENT


def check_unsafe(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """No scripts, event handlers, or javascript:/data: targets that the source lacks."""
    found = {m.group(0).lower() for m in _UNSAFE.finditer(target)}
    found -= {m.group(0).lower() for m in _UNSAFE.finditer(source)}
    found |= {f"control character U+{ord(c):04X}" for c in _CONTROL.findall(target)
              if c not in source}
    if found:
        yield _err("qa.unsafe", f"unsafe content in translation: {sorted(found)}",
                   "translations are text; remove HTML, scripts and javascript:/data: links")


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


def check_doubled(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """A word typed twice ('the the')."""
    for match in _WORD.finditer(target):
        if match.group(0).lower() not in _DOUBLES_OK and not _WORD.search(source):
            yield _warn("qa.doubled-word", f"doubled word '{match.group(0)}'",
                        "remove the repeated word")
            return


def check_unchanged(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Translation identical to the source (numbers, codes and names excepted)."""
    letters = sum(c.isalpha() for c in source)
    if target == source and letters >= 4 and " " in source.strip():
        yield _warn("qa.unchanged", "translation is identical to the source",
                    "translate it, or add '#, no-qa:unchanged' if it is right as it is")


def check_length(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Translation far shorter or longer than usual for the language."""
    if len(source) < 20 or not target:
        return
    low, high = (0.15, 1.5) if locale.code.split("_")[0] in _CJK else (0.4, 3.0)
    ratio = len(target) / len(source)
    if not low <= ratio <= high:
        yield _warn("qa.length", f"translation is {ratio:.1f}x the source length "
                    f"(expected {low}-{high}x)", "check that nothing is missing or added")


CHECKS: dict[str, Check] = {
    "numbers": check_numbers, "links": check_links, "markup": check_markup,
    "placeholders": check_placeholders, "unsafe": check_unsafe, "empty": check_empty,
    "whitespace": check_whitespace, "punctuation": check_punctuation,
    "doubled-word": check_doubled, "unchanged": check_unchanged, "length": check_length,
}


def _silenced(entry: Entry) -> set[str]:
    names = {f.removeprefix("no-qa:") for f in entry.flags if f.startswith("no-qa:")}
    for comment in entry.translator_comments:
        if comment.strip().lower().startswith("qa-ignore:"):
            names.update(n.strip() for n in comment.split(":", 1)[1].split(","))
    return names


def _pairs(entry: Entry) -> Iterator[tuple[str, str]]:
    if entry.msgid_plural is None:
        yield entry.msgid, entry.msgstr
        return
    for index, text in enumerate(entry.msgstr_plural):
        yield (entry.msgid if index == 0 else entry.msgid_plural), text


def check_entry(entry: Entry, locale: LocaleInfo, nplurals: int | None = None) -> list[Finding]:
    """All findings for one translated entry (empty translations are 'untranslated', not QA)."""
    if not entry.has_translation or entry.obsolete:
        return []
    silenced = _silenced(entry)
    findings: list[Finding] = []
    expected = nplurals if nplurals is not None else locale.num_plurals
    if entry.msgid_plural is not None and len(entry.msgstr_plural) != expected:
        findings.append(_err("qa.plurals", f"{len(entry.msgstr_plural)} plural forms, the header "
                             f"says {expected}", "give exactly one msgstr[N] per plural form"))
    for source, target in _pairs(entry):
        if not target:
            continue
        for name, check in CHECKS.items():
            for finding in check(source, target, locale):
                if finding.level is Level.ERROR or name not in silenced:
                    findings.append(finding)
        if entry.msgid_plural is not None and not _PERCENT.search(source) \
                and _stray_percent(target):  # plural forms are always formatted (the count)
            findings.append(_STRAY_PERCENT)
    return findings


@lru_cache(maxsize=65536)
def entry_passes(entry: Entry, locale: LocaleInfo) -> bool:
    """True when ``entry`` has no error-level finding (the build's usability test)."""
    return not any(f.level is Level.ERROR for f in check_entry(entry, locale))


def is_critical(entry: Entry) -> bool:
    """Extracted from a > [!WARNING] / [!CAUTION] call-out (marked in the extracted comment)."""
    return any(c.startswith(CRITICAL_MARK) for c in entry.auto_comments)
