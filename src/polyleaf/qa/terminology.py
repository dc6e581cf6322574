"""``qa.terminology``: a translation uses the glossary's terms, and never a forbidden one.

The rules of an entry are its ``#. Terminology:`` comment (written by ``polyleaf update`` from
the locale's glossary, :mod:`polyleaf.catalog.terminology`), so the check needs nothing but the
entry, like every check of :mod:`polyleaf.qa.checks`:

- a **forbidden** target term in the translation is an **error** (the translation is not used;
  it cannot be silenced) — unless it lies inside an approved term (``cefalea`` forbidden,
  ``cefalea cervicogénica`` approved);
- a source term whose approved translations are all absent is a **warning** (a pronoun or a
  paraphrase may be right; silence it with ``# qa-ignore: terminology``).

Target terms are matched as source terms are (:mod:`polyleaf.catalog.terms`: words, case,
light plural rule of the locale's language; substrings in Chinese and Japanese).
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from polyleaf.catalog.pofile import Entry
from polyleaf.catalog.terminology import Rule, parse_rules
from polyleaf.catalog.terms import Match, Matcher, language_of
from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Finding, error_finding, warning_finding

CODE = "qa.terminology"


@lru_cache(maxsize=4096)
def _rules(entry: Entry) -> tuple[Rule, ...]:
    return parse_rules(entry)


@lru_cache(maxsize=4096)
def _matcher(rules: tuple[Rule, ...], language: str) -> tuple[Matcher, tuple[tuple[int, bool], ...]]:
    """One automaton for every target term of ``rules``; per phrase: (rule, forbidden?)."""
    phrases: list[str] = []
    owners: list[tuple[int, bool]] = []
    for number, rule in enumerate(rules):
        for text, banned in [*((a, False) for a in rule.approved), *((f, True) for f in rule.forbidden)]:
            phrases.append(text)
            owners.append((number, banned))
    return Matcher(phrases, language), tuple(owners)


def check_terminology(entry: Entry, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Findings for one translation text of ``entry``."""
    rules = _rules(entry) if any(c.startswith("Terminology:") for c in entry.auto_comments) else ()
    if not rules:
        return
    matcher, owners = _matcher(rules, language_of(locale.code))
    matches = matcher.find(target)
    approved_spans = [m for m in matches if not owners[m.phrase][1]]
    used = {owners[m.phrase][0] for m in approved_spans}
    reported: set[str] = set()
    for match in matches:
        number, banned = owners[match.phrase]
        text = matcher.phrases[match.phrase]
        if banned and not _inside(match, approved_spans) and text not in reported:
            reported.add(text)
            rule = rules[number]
            yield error_finding(CODE, f"{text!r} is a forbidden translation of "
                                f"{rule.source!r}", _hint(rule))
    for number, rule in enumerate(rules):
        if rule.approved and number not in used:
            yield warning_finding(CODE, f"{rule.source!r} is not translated with the glossary's "
                                  f"{' or '.join(repr(a) for a in rule.approved)}", _hint(rule)
                                  + "; if the text is right as it is, add '# qa-ignore: "
                                    "terminology'")


def _inside(match: Match, spans: list[Match]) -> bool:
    return any(s.start <= match.start and match.end <= s.end and s is not match for s in spans)


def _hint(rule: Rule) -> str:
    if rule.approved:
        return f"write {rule.approved[0]!r} (see the '#. Terminology:' comment)"
    return "use another word (see the '#. Terminology:' comment)"
