"""Catalog files on disk: where they live, reading them safely, and the extract/update commands.

Layout: ``locales/<domain>.pot`` and ``locales/<lang>/LC_MESSAGES/<domain>.po``, where the domain
is an article id or ``site``. Reading decodes by the header's charset (see
:mod:`polyleaf.catalog.encoding`), refuses links out of the project and anything it cannot read
whole; every problem is a diagnostic. Writing is atomic and only when the content changed; a
template or catalog is not rewritten when only its date would change. ``update`` keeps each
catalog's Plural-Forms (reporting one that differs from the reference) unless asked to fix it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import jinja2

from polyleaf.catalog.extract import SITE_DOMAIN, article_entries, make_template, template_entries
from polyleaf.catalog.glossary import load_glossary
from polyleaf.catalog.headers import fix_plurals as normalize_plurals
from polyleaf.catalog.headers import plural_diagnostics
from polyleaf.catalog.memory import TM_CACHE, Memory, pairs_of, prefill_all
from polyleaf.catalog.merge import merge
from polyleaf.catalog.pofile import Catalog, PoSyntaxError, parse, serialize_chunks
from polyleaf.catalog.reading import load_catalog
from polyleaf.catalog.terminology import Annotator, without_terms
from polyleaf.catalog.tmx import memory_path, read_pairs
from polyleaf.config import Config
from polyleaf.content.source import SourceSet, load_sources
from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.fsutil import build_time, po_date, write_atomic_chunks
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path, pot_path
from polyleaf.templates import linked_out


@dataclass(frozen=True, slots=True)
class WriteReport:
    """What a catalog command wrote, left alone, and found wrong."""

    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def rel(config: Config, path: Path) -> str:
    """A project-relative path for messages."""
    try:
        return path.relative_to(config.root).as_posix()
    except ValueError:
        return str(path)


def templates_for(config: Config, sources: SourceSet) -> dict[str, Catalog]:
    """Every domain's fresh template (without date), keyed by domain.

    Raises :class:`PolyleafError` when the Jinja templates cannot be read."""
    templates, problems = _templates(config, sources)
    if problems:
        raise PolyleafError(*problems)
    return templates


def _templates(config: Config, sources: SourceSet) -> tuple[dict[str, Catalog], list[Diagnostic]]:
    """Like :func:`templates_for`, but a broken Jinja template drops only the site domain."""
    created = po_date(build_time())
    result = {a.id: make_template(config.name, a.id, article_entries(a), created)
              for a in sources.articles}
    outside = linked_out(config.templates_dir)
    if outside:  # Babel's extractor would read them: refuse the site domain instead
        return result, outside
    try:
        site = template_entries(config.templates_dir, config.root)
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError) as exc:
        from polyleaf.templates import template_syntax_errors

        found = template_syntax_errors(config.templates_dir)
        return result, found or [error(rel(config, config.templates_dir), 0, "template.syntax",
                                       str(exc), "fix the template")]
    result[SITE_DOMAIN] = make_template(config.name, SITE_DOMAIN, site, created)
    return result, []


def extract(config: Config) -> WriteReport:
    """Write ``locales/<domain>.pot`` for every article and the site templates."""
    sources = load_sources(config.source_dir, config.root)
    written: list[str] = []
    unchanged: list[str] = []
    templates, problems = _templates(config, sources)
    problems[:0] = sources.diagnostics
    for domain, template in templates.items():
        path = pot_path(config, domain)
        template = _keep_date_if_same(path, template)
        _write(path, serialize_chunks(template), rel(config, path), (written, unchanged, problems))
    return WriteReport(tuple(written), tuple(unchanged), tuple(problems))


def _write(path: Path, chunks: Iterable[bytes], name: str,
           report: tuple[list[str], list[str], list[Diagnostic]]) -> None:
    """Write one catalog; a disk problem is reported and the others are still written."""
    written, unchanged, problems = report
    try:
        (written if write_atomic_chunks(path, chunks, name) else unchanged).append(name)
    except PolyleafError as exc:
        problems.extend(exc.diagnostics)


def _keep_date_if_same(path: Path, template: Catalog) -> Catalog:
    if not path.exists():
        return template
    try:
        old = parse(path.read_text(encoding="utf-8"))
    except (PoSyntaxError, UnicodeDecodeError):
        return template
    if old.entries == tuple(replace(e, line=o.line) for e, o in zip(template.entries, old.entries,
                                                                        strict=False)) \
            and len(old.entries) == len(template.entries):
        date = old.header_value("POT-Creation-Date")
        return template.with_header(POT_Creation_Date=date)
    return template


def _same_entries(old: Catalog, new: Catalog) -> bool:
    return len(old.entries) == len(new.entries) and all(
        replace(a, line=0) == b for a, b in zip(old.entries, new.entries, strict=True))


def _kept_header(old: Catalog, merged: Catalog) -> Catalog:
    """No entry changed: keep the catalog's own POT-Creation-Date and field order too, so an
    unchanged catalog is not rewritten for a date or an order (the merged header only adds
    what was missing, or says UTF-8)."""
    date = old.header_value("POT-Creation-Date")
    if date:
        merged = merged.with_header(POT_Creation_Date=date)
    rank = {name.lower(): number for number, (name, _) in enumerate(old.header)}
    order = sorted(range(len(merged.header)),
                   key=lambda i: (rank.get(merged.header[i][0].lower(), len(rank)), i))
    return replace(merged, header=tuple(merged.header[i] for i in order))


def update(config: Config, locales: tuple[str, ...] = (), fix_plurals: bool = False,
           tm: bool = True) -> WriteReport:
    """Create or merge every locale's PO files from the current templates.

    ``fix_plurals``: replace a ``Plural-Forms`` that differs from the reference
    (``[catalogs] plural_rules``) and refit the plural entries; otherwise a catalog keeps its
    own and a disagreement is reported. With ``tm``, pre-fill untranslated entries from the
    locale's translation memory (always fuzzy). Entries containing a term of the locale's
    glossary get their ``#. Terminology:`` comment (:mod:`polyleaf.catalog.terminology`)."""
    sources = load_sources(config.source_dir, config.root)
    templates, problems = _templates(config, sources)
    problems[:0] = sources.diagnostics
    # the .pot's own date when it is current: restoring an entry is not a new template
    templates = {d: _keep_date_if_same(pot_path(config, d), t) for d, t in templates.items()}
    now = po_date(build_time())
    written: list[str] = []
    unchanged: list[str] = []
    for locale in locales or config.locales:
        info = locale_info(locale, config.plural_rules)
        olds = _read_locale(config, locale, templates, problems)
        memory = _memory(config, locale, olds, problems) if tm else Memory(())
        glossary = load_glossary(config, locale)
        problems.extend(glossary.diagnostics)
        terms = Annotator(glossary.glossary, config.source_language)
        # never overwrite a catalog we could not read; one pass over the memory per locale
        filled = prefill_all({d: merge(olds[d], t, info, now) for d, t in templates.items()
                              if d in olds}, memory)
        for domain, (base, _) in filled.items():
            path = po_path(config, locale, domain)
            name = rel(config, path)
            old = olds[domain]
            merged = terms.annotate(base)
            if old is not None and _same_entries(without_terms(old), base):
                merged = _kept_header(old, merged)  # a glossary change alone moves no header
            if fix_plurals:
                merged = normalize_plurals(merged, info.plurals)
            problems.extend(plural_diagnostics(merged, info, name))
            _write(path, serialize_chunks(merged), name, (written, unchanged, problems))
    return WriteReport(tuple(written), tuple(unchanged), tuple(problems))


def prime_memory(config: Config, locales: tuple[str, ...]) -> None:
    """Build and keep the translation-memory index of ``locales`` as ``update`` would use it
    (after a TMX import, so the next ``update`` finds it ready). Problems met on the way are
    not reported here: the next ``update`` meets and reports them."""
    sources = load_sources(config.source_dir, config.root)
    templates, problems = _templates(config, sources)
    for locale in locales:
        _memory(config, locale, _read_locale(config, locale, templates, problems), problems).index()


def _read_locale(config: Config, locale: str, templates: dict[str, Catalog],
                 problems: list[Diagnostic]) -> dict[str, Catalog | None]:
    """Every catalog of ``locale`` that could be read (None: not created yet)."""
    olds: dict[str, Catalog | None] = {}
    for domain in templates:
        path = po_path(config, locale, domain)
        try:
            old, found = load_catalog(path, rel(config, path), config.root) if path.exists() \
                else (None, ())
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
            continue
        problems.extend(found)
        olds[domain] = old
    return olds


def _memory(config: Config, locale: str, olds: dict[str, Catalog | None],
            problems: list[Diagnostic]) -> Memory:
    """The locale's memory: its finished translations, then an imported TMX's units."""
    cache = config.build_dir / TM_CACHE / locale  # the memory's index and the TMX's pairs
    runs = [(f"{domain}.po", pairs_of(old)) for domain, old in sorted(olds.items())
            if old is not None]
    path = memory_path(config, locale)
    if path.exists():
        try:
            runs.append((path.name, read_pairs(path, rel(config, path), locale,
                                               config.source_language, cache)))
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
    return Memory.of_runs(runs, cache)
