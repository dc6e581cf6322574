"""Translation QA: the checks that decide whether a translation may reach a patient.

Each check has a stable code and a level. An **error** makes a translation unusable: the build
shows the source text instead and holds the leaflet back. A **warning** is advice; a translator
silences it on one entry with the flag ``#, no-qa:<name>`` (e.g. ``no-qa:unchanged``) or a
translator comment ``# qa-ignore: <name>``. Errors cannot be silenced.

Critical entries (urgent-care call-outs) are stricter: nothing is silenced on them, a translation
identical to the source is an error (``qa.unchanged``), and so is a source-language word left in
it (``qa.source-words``, :mod:`polyleaf.qa.sourcewords`).

Codes: qa.numbers, qa.codes, qa.links, qa.markup, qa.placeholders, qa.unsafe, qa.empty, qa.plurals
(errors); qa.whitespace, qa.punctuation, qa.doubled-word, qa.unchanged, qa.length (warnings);
qa.source-words (error, critical entries); qa.terminology (error for a forbidden term, warning
for a glossary term not used, :mod:`polyleaf.qa.terminology`); qa.critical (error, reported by
:func:`polyleaf.qa.check.check_catalog` for critical entries not usable).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from polyleaf.catalog.pofile import Entry
from polyleaf.errors import Level
from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Check, Finding
from polyleaf.qa.findings import error_finding as _err
from polyleaf.qa.links import check_links
from polyleaf.qa.markup import PERCENT, STRAY_PERCENT, check_markup, check_placeholders, stray_percent
from polyleaf.qa.quantities import check_codes, check_numbers
from polyleaf.qa.safety import check_unsafe
from polyleaf.qa.sourcewords import check_source_words
from polyleaf.qa.style import (
    ABSURD,
    absurd_length,
    check_doubled,
    check_empty,
    check_length,
    check_punctuation,
    check_unchanged,
    check_whitespace,
)
from polyleaf.qa.terminology import check_terminology

__all__ = ["CHECKS", "CRITICAL_MARK", "Check", "Finding", "check_entry", "is_critical", "silenced"]

CRITICAL_MARK = "CRITICAL:"


CHECKS: dict[str, Check] = {
    "numbers": check_numbers, "codes": check_codes, "links": check_links, "markup": check_markup,
    "placeholders": check_placeholders, "unsafe": check_unsafe, "empty": check_empty,
    "whitespace": check_whitespace, "punctuation": check_punctuation,
    "doubled-word": check_doubled, "unchanged": check_unchanged, "length": check_length,
}


def silenced(entry: Entry) -> set[str]:
    """The warnings silenced on ``entry`` (``#, no-qa:<name>``, ``# qa-ignore: <name>, ...``)."""
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
    critical = is_critical(entry)
    off = set() if critical else silenced(entry)  # nothing silences urgent-care checks
    findings: list[Finding] = []
    expected = nplurals if nplurals is not None else locale.num_plurals
    if entry.msgid_plural is not None and len(entry.msgstr_plural) != expected:
        findings.append(_err("qa.plurals", f"{len(entry.msgstr_plural)} plural forms, the header "
                             f"says {expected}", "give exactly one msgstr[N] per plural form"))
    for source, target in _pairs(entry):
        if not target:
            continue
        if absurd_length(source, target):  # unusable as it is: no check needs to read it all
            findings.append(ABSURD)
            continue
        for name, check in CHECKS.items():
            for finding in check(source, target, locale):
                if critical and finding.code == "qa.unchanged":
                    finding = _err(finding.code, "urgent-care text is identical to the source",
                                   "translate it: a patient must understand every word of it")
                if finding.level is Level.ERROR or name not in off:
                    findings.append(finding)
        findings.extend(f for f in check_terminology(entry, target, locale)
                        if f.level is Level.ERROR or "terminology" not in off)
        if critical:
            findings.extend(check_source_words(source, target, locale))
        if entry.msgid_plural is not None and not PERCENT.search(source) \
                and stray_percent(target):  # plural forms are always formatted (the count)
            findings.append(STRAY_PERCENT)
    return findings


@lru_cache(maxsize=65536)
def is_critical(entry: Entry) -> bool:
    """Extracted from a > [!WARNING] / [!CAUTION] call-out (marked in the extracted comment)."""
    return any(c.startswith(CRITICAL_MARK) for c in entry.auto_comments)
