"""Build the templates (.pot) from articles and from Jinja templates.

Articles: one entry per segment, in source order, with ``#:`` locations, an extracted comment
naming the block kind and the heading it sits under, and a CRITICAL mark for urgent-care
call-outs. Identical segments of one article share one entry. Templates: Babel's Jinja2
extractor (trimmed ``trans`` blocks, plurals, contexts) into ``site.pot``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from babel.messages.extract import extract_from_dir

from polyleaf import __version__
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.content.model import Article, Segment, SegmentKind

CRITICAL_NOTE = ("CRITICAL: urgent-care advice. Translate it exactly; while it is untranslated or "
                 "fuzzy, no page or leaflet of this article is published in your language.")
SITE_DOMAIN = "site"
_PY_FORMAT = re.compile(r"%\([A-Za-z_]\w*\)[sd]")
JINJA_METHOD = "jinja2.ext:babel_extract"
KEYWORDS = {"_": None, "gettext": None, "gettext_html": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2),
            "npgettext": ((1, "c"), 2, 3)}


def pot_header(project: str, domain: str, created: str) -> tuple[tuple[str, str], ...]:
    """The header of a template file."""
    return (
        ("Project-Id-Version", f"{project} {domain}"),
        ("Report-Msgid-Bugs-To", ""),
        ("POT-Creation-Date", created),
        ("PO-Revision-Date", "YEAR-MO-DA HO:MI+ZONE"),
        ("Last-Translator", "FULL NAME <EMAIL@ADDRESS>"),
        ("Language-Team", "LANGUAGE <LL@li.org>"),
        ("MIME-Version", "1.0"),
        ("Content-Type", "text/plain; charset=UTF-8"),
        ("Content-Transfer-Encoding", "8bit"),
        ("Generated-By", f"polyleaf {__version__}"),
    )


def _describe(segment: Segment) -> str:
    if segment.kind in (SegmentKind.TITLE, SegmentKind.SUMMARY):
        return f"{segment.kind.value} of the article (front matter)"
    if segment.heading:
        return f'{segment.kind.value} under "{segment.heading}"'
    return f"{segment.kind.value} (introduction)" if segment.kind is not SegmentKind.HEADING \
        else "heading"


def article_entries(article: Article) -> tuple[Entry, ...]:
    """The template entries of one article, in source order, duplicates merged."""
    merged: dict[tuple[str | None, str], Entry] = {}
    for segment in article.segments:
        comments = [_describe(segment)]
        if segment.critical:
            comments.append(CRITICAL_NOTE)
        location = str(segment.location)
        if segment.key in merged:
            old = merged[segment.key]
            extra = tuple(c for c in comments if c not in old.auto_comments)
            merged[segment.key] = Entry(
                msgid=old.msgid, msgctxt=old.msgctxt, locations=(*old.locations, location),
                auto_comments=(*old.auto_comments, *extra))
            continue
        merged[segment.key] = Entry(msgid=segment.msgid, msgctxt=segment.context,
                                    locations=(location,), auto_comments=tuple(comments))
    return tuple(merged.values())


# Strings polyleaf itself puts on pages and leaflets (not written in any template).
BUILTIN_STRINGS: tuple[tuple[str, str], ...] = (
    ("Note", "call-out title ([!NOTE])"),
    ("Tip", "call-out title ([!TIP])"),
    ("Important", "call-out title ([!IMPORTANT])"),
    ("Warning", "call-out title ([!WARNING]): urgent-care advice follows"),
    ("Caution", "call-out title ([!CAUTION])"),
    ("Page %(page)s of %(pages)s", "leaflet page footer; keep %(page)s and %(pages)s"),
    ("A4", "leaflet variant: A4 paper"),
    ("US Letter", "leaflet variant: US Letter paper"),
    ("Large print", "leaflet variant: large print (16 pt and more)"),
    ("Bilingual", "leaflet variant: source and target language side by side"),
    ("See the warning on page %(page)s.", "leaflet: where the article's first warning was, "
     "which the leaflet moves to the top of page 1; keep %(page)s"),
)
# Reviewer roles polyleaf translates in a leaflet's "Translation reviewed" line (any other role
# given to 'polyleaf review approve --role' is printed as written).
REVIEW_ROLES = ("clinician", "doctor", "nurse", "pharmacist", "linguist")
BUILTIN_STRINGS += tuple((role, "reviewer role, after \"Translation reviewed\" and a date")
                         for role in REVIEW_ROLES)


def builtin_entries() -> tuple[Entry, ...]:
    """Entries for :data:`BUILTIN_STRINGS`."""
    return tuple(Entry(msgid=msgid, auto_comments=(f"polyleaf built-in: {note}",),
                       flags=("python-format",) if _PY_FORMAT.search(msgid) else ())
                 for msgid, note in BUILTIN_STRINGS)


def template_entries(templates_dir: Path, root: Path) -> tuple[Entry, ...]:
    """Translatable strings of the Jinja templates (Babel's extractor), then built-ins."""
    options = {"**.html": {"extensions": "jinja2.ext.i18n", "trimmed": "true",
                           "silent": "false"},
               "**.txt": {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}}
    method_map = [("**.html", JINJA_METHOD), ("**.txt", JINJA_METHOD)]
    found = extract_from_dir(str(templates_dir), method_map, options, KEYWORDS,
                             comment_tags=("Translators:",), strip_comment_tags=True)
    merged: dict[tuple[str | None, str], Entry] = {}
    rel_dir = templates_dir.relative_to(root).as_posix() if templates_dir.is_relative_to(root) \
        else templates_dir.as_posix()
    for filename, lineno, message, comments, context in sorted(found, key=lambda f: (f[0], f[1])):
        singular, plural = (message[0], message[1]) if isinstance(message, tuple) else (message, None)
        key = (context, singular)
        location = f"{rel_dir}/{filename}:{lineno}"
        old = merged.get(key)
        merged[key] = Entry(
            msgid=singular, msgctxt=context, msgid_plural=plural or (old.msgid_plural if old else None),
            msgstr_plural=("", "") if plural else (),
            locations=(*(old.locations if old else ()), location),
            auto_comments=tuple(dict.fromkeys([*(old.auto_comments if old else ()), *comments])),
            flags=("python-format",) if _PY_FORMAT.search(singular) else ())
    for entry in builtin_entries():
        merged.setdefault(entry.key, entry)
    return tuple(merged.values())


def make_template(project: str, domain: str, entries: Iterable[Entry], created: str) -> Catalog:
    """A template catalog with a standard header."""
    return Catalog(header=pot_header(project, domain, created), header_flags=("fuzzy",),
                   header_comments=(f"Translations of {domain} for {project}.",
                                    "This file is generated by 'polyleaf extract'; do not edit."),
                   entries=tuple(entries))
