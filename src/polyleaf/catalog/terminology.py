"""The ``#. Terminology:`` comment: the glossary's terms of one entry, shown to translators.

``polyleaf update`` gives each entry whose source contains a glossary term one extracted
comment, after the template's own::

    #. Terminology: migraine → migraña; paracetamol → paracetamol (not: acetaminofén)

A term found only inside a longer one (``headache`` in ``cervicogenic headache``) is not
listed for that place. Terms are listed in the order they first occur in the source (then
alphabetically); for each,
the approved translations (preferred first, separated by `` / ``) and, in ``(not: …)``, the
forbidden ones. The comment is derived from the template and the glossary on every update, so
it changes only when the source or the glossary does, and disappears when no term matches any
more. ``qa.terminology`` (:mod:`polyleaf.qa.terminology`) checks a translation against the
comment of its entry, as ``CRITICAL:`` marks urgent-care entries: the rule travels with the
catalog to the build, to Weblate, Poedit and XLIFF exports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from polyleaf.catalog.glossary import Glossary, Term
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.terms import Match, Matcher, language_of

MARK = "Terminology:"
ARROW = " → "
OR = " / "
NOT = "(not: "


@dataclass(frozen=True, slots=True)
class Rule:
    """What the comment says about one term."""

    source: str
    approved: tuple[str, ...]
    forbidden: tuple[str, ...]


class Annotator:
    """Finds a glossary's source terms in entries (one automaton for the whole glossary)."""

    def __init__(self, glossary: Glossary, source_language: str) -> None:
        self.terms = glossary.terms
        self.matcher = Matcher([t.source for t in self.terms], language_of(source_language))

    def comment(self, entry: Entry) -> str | None:
        """The ``Terminology:`` comment of ``entry``, or None when no term occurs in it."""
        first: dict[int, int] = {}
        for text in (entry.msgid, entry.msgid_plural or ""):
            for match in outermost(self.matcher.find(text)):
                first.setdefault(match.phrase, match.start)
        if not first:
            return None
        order = sorted(first, key=lambda i: (first[i], self.terms[i].source.casefold()))
        return format_rules([_rule(self.terms[i]) for i in order])

    def annotate(self, catalog: Catalog) -> Catalog:
        """``catalog`` with each live entry's ``Terminology:`` comment as the glossary says."""
        entries = tuple(e if e.obsolete else self._entry(e) for e in catalog.entries)
        return catalog if entries == catalog.entries else replace(catalog, entries=entries)

    def _entry(self, entry: Entry) -> Entry:
        kept = tuple(c for c in entry.auto_comments if not c.startswith(MARK))
        comment = self.comment(entry) if self.terms and entry.msgid else None
        wanted = kept + ((comment,) if comment else ())
        return entry if wanted == entry.auto_comments else replace(entry, auto_comments=wanted)


def outermost(matches: list[Match]) -> list[Match]:
    """The matches not inside a longer one: ``cervicogenic headache`` hides its ``headache``.

    ``matches`` come sorted by start; one pass keeps the furthest end seen so far, so a match
    ending before it (or at it, and starting later) lies inside an earlier, longer one."""
    by_span = sorted(matches, key=lambda m: (m.start, -m.end))
    kept: list[Match] = []
    reach = -1
    for match in by_span:
        if match.end > reach or (kept and (kept[-1].start, kept[-1].end) == (match.start,
                                                                              match.end)):
            kept.append(match)
            reach = max(reach, match.end)
    return kept


def without_terms(catalog: Catalog) -> Catalog:
    """``catalog`` without any ``Terminology:`` comment (what the template alone gives)."""
    entries = tuple(replace(e, auto_comments=tuple(c for c in e.auto_comments
                                                   if not c.startswith(MARK)))
                    if any(c.startswith(MARK) for c in e.auto_comments) else e
                    for e in catalog.entries)
    return replace(catalog, entries=entries)


def _rule(term: Term) -> Rule:
    return Rule(term.source, term.approved, term.forbidden)


def format_rules(rules: list[Rule]) -> str:
    """The comment text for ``rules``."""
    items = []
    for rule in rules:
        text = rule.source + ARROW + OR.join(rule.approved)
        if rule.forbidden:
            text += (" " if rule.approved else "") + NOT + OR.join(rule.forbidden) + ")"
        items.append(text)
    return MARK + " " + "; ".join(items)


def parse_rules(entry: Entry) -> tuple[Rule, ...]:
    """The rules of an entry's ``Terminology:`` comments (a malformed item is ignored)."""
    rules: list[Rule] = []
    for comment in entry.auto_comments:
        if not comment.startswith(MARK):
            continue
        for item in comment[len(MARK):].split(";"):
            source, arrow, rest = item.strip().partition(ARROW.strip())
            if not arrow or not source.strip():
                continue
            approved, _, forbidden = rest.partition(NOT.strip())
            forbidden = forbidden.strip().removesuffix(")")
            rules.append(Rule(source.strip(), _alternatives(approved), _alternatives(forbidden)))
    return tuple(rules)


def _alternatives(text: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in f" {text.strip()} ".split(OR) if a.strip())
