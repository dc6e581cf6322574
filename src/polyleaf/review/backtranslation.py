"""Back-translation catalogs: the translation, translated back into the source language by
someone who never sees the source.

``polyleaf review back-translation export`` writes ``locales/<lang>/review/<article>.back.po``:
each entry's ``msgid`` is the current *translation*, its ``msgctxt`` the original context
(``title``, ``summary``, none for body text), its comment the kind of block and the segment
number; the source text appears nowhere in the file. Its ``Language`` is the source language.
An existing file is merged like ``polyleaf update`` merges (a back-translation of an older
translation comes back fuzzy), so nothing a back-translator wrote is lost. ``import`` copies
the translations of files returned from outside into the project's back-translation catalogs.
The review packet shows source and back-translation side by side.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from polyleaf.catalog.extract import make_template
from polyleaf.catalog.files import WriteReport, rel
from polyleaf.catalog.merge import merge
from polyleaf.catalog.pofile import Catalog, Entry, serialize
from polyleaf.catalog.project import Project
from polyleaf.catalog.reading import read_catalog
from polyleaf.content.model import Article
from polyleaf.errors import Diagnostic, PolyleafError, error, warning
from polyleaf.fsutil import build_time, po_date, write_atomic
from polyleaf.i18n import locale_info
from polyleaf.paths import back_translation_path
from polyleaf.review.records import Key
from polyleaf.review.state import entry_translation, numbered_segments

HEADER_FIELD = "X-Polyleaf-Back-Translation"  # "<locale> <article>": where a returned file goes


@dataclass(frozen=True, slots=True)
class BackTranslation:
    """The back-translation of one segment's translation text."""

    text: str
    current: bool  # made from the translation as it is now (False: fuzzy, an older one)


def back_template(project: Project, article: Article, locale: str) -> Catalog:
    """The back-translation template of ``article`` in ``locale`` (translated entries only)."""
    catalog = project.catalog(locale, article.id)
    entries = {e.key: e for e in catalog.live} if catalog else {}
    merged: dict[Key, Entry] = {}
    for number, segment in numbered_segments(article):
        text = entry_translation(entries.get(segment.key))
        if not text.strip():
            continue
        note = f"segment {number}: {segment.kind.value}" + (" (urgent-care advice)"
                                                           if segment.critical else "")
        key = (segment.context, text)
        old = merged.get(key)
        comments = (*old.auto_comments, note) if old else (note,)
        merged[key] = Entry(msgid=text, msgctxt=segment.context, auto_comments=comments)
    title = f"{project.config.name} back-translation {locale}"
    template = make_template(title, article.id, merged.values(), po_date(build_time()))
    return template.with_header(**{HEADER_FIELD.replace("-", "_"): f"{locale} {article.id}"})


def export_back_translations(project: Project, articles: Iterable[str] = (),
                             locales: Iterable[str] = ()) -> WriteReport:
    """Write (or merge) the back-translation catalog of each article in each locale."""
    config = project.config
    source = locale_info(config.source_language)
    wanted = set(articles)
    written: list[str] = []
    unchanged: list[str] = []
    problems: list[Diagnostic] = []
    for locale in tuple(locales) or config.locales:
        for article in project.sources.articles:
            if wanted and article.id not in wanted:
                continue
            path = back_translation_path(config, locale, article.id)
            name = rel(config, path)
            try:
                old = read_catalog(path, name) if path.exists() else None
            except PolyleafError as exc:
                problems += exc.diagnostics  # never overwrite what we could not read
                continue
            template = back_template(project, article, locale)
            merged = merge(old, template, source, po_date(build_time()))
            merged = merged.with_header(**{HEADER_FIELD.replace("-", "_"): f"{locale} {article.id}"})
            if old is not None and _same(old, merged):
                merged = replace(merged, header=old.header)
            target = written if write_atomic(path, serialize(merged).encode("utf-8")) else unchanged
            target.append(name)
    return WriteReport(tuple(written), tuple(unchanged), tuple(problems))


def _same(old: Catalog, new: Catalog) -> bool:
    return len(old.entries) == len(new.entries) and all(
        replace(a, line=0) == b for a, b in zip(old.entries, new.entries, strict=True))


def read_back_translations(project: Project, article: Article,
                           locale: str) -> tuple[Mapping[Key, BackTranslation], list[Diagnostic]]:
    """(context, translation text) -> its back-translation, from the project's catalog."""
    path = back_translation_path(project.config, locale, article.id)
    if not path.exists():
        return {}, []
    try:
        catalog = read_catalog(path, rel(project.config, path))
    except PolyleafError as exc:
        return {}, list(exc.diagnostics)
    found: dict[Key, BackTranslation] = {}
    for entry in catalog.live:
        if entry.msgstr.strip():
            found[entry.key] = BackTranslation(entry.msgstr, not entry.fuzzy)
    return found, []


def import_back_translations(project: Project, files: Iterable[Path]) -> WriteReport:
    """Copy the back-translations of returned files into the project's catalogs.

    Each file names its place in the ``X-Polyleaf-Back-Translation`` header (written by
    ``export``); entries are matched by context and msgid, and a returned translation replaces
    the project's (with its fuzzy flag)."""
    written: list[str] = []
    unchanged: list[str] = []
    problems: list[Diagnostic] = []
    for path in files:
        try:
            returned = read_catalog(path, str(path))
            target, name, merged, found = _import_one(project, path, returned)
        except PolyleafError as exc:
            problems += exc.diagnostics
            continue
        problems += found
        (written if write_atomic(target, serialize(merged).encode("utf-8")) else unchanged
         ).append(name)
    return WriteReport(tuple(written), tuple(unchanged), tuple(problems))


def _import_one(project: Project, path: Path,
                returned: Catalog) -> tuple[Path, str, Catalog, list[Diagnostic]]:
    config = project.config
    locale, _, article_id = returned.header_value(HEADER_FIELD).partition(" ")
    if locale not in config.locales or article_id not in project.sources.ids:
        raise PolyleafError(error(str(path), 1, "review.back-header",
                                  f"no usable {HEADER_FIELD} header ({locale!r} {article_id!r})",
                                  "import only files written by 'polyleaf review back-translation "
                                  "export', with their header kept"))
    target = back_translation_path(config, locale, article_id)
    if not target.exists():
        export_back_translations(project, (article_id,), (locale,))
    name = rel(config, target)
    ours = read_catalog(target, name)
    incoming = {e.key: e for e in returned.live if e.msgstr.strip()}
    entries = tuple(replace(e, msgstr=incoming[e.key].msgstr, flags=incoming[e.key].flags)
                    if e.key in incoming and not e.obsolete else e for e in ours.entries)
    known = {e.key for e in ours.live}
    problems = [warning(str(path), e.line, "review.back-unmatched", "this back-translation "
                        "matches no current translation; it was not imported",
                        "export again and back-translate the new text")
                for key, e in incoming.items() if key not in known]
    return target, name, replace(ours, entries=entries), problems
