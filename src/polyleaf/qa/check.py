"""``polyleaf check``: run QA on every catalog and report diagnostics at the entry's .po line.

Besides the translation checks of :mod:`polyleaf.qa.checks`, ``check`` asks whether the
installed fonts can draw every character of every translation (``qa.missing-glyph``), so a
character no font has is found at its ``.po`` line, before any leaflet is rendered; and, per
locale, its glossary (``glossary.*``), whether the ``#. Terminology:`` comments are current
(``glossary.stale``) and whether one text is translated alike everywhere (``qa.consistency``,
:mod:`polyleaf.qa.consistency`).
"""

from __future__ import annotations

from polyleaf.catalog.files import rel
from polyleaf.catalog.glossary import load_glossary
from polyleaf.catalog.headers import plural_diagnostics
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.reading import load_catalog
from polyleaf.catalog.terminology import Annotator
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, Level, PolyleafError, warning
from polyleaf.fonts import Coverage, describe, font_package, installed_coverage
from polyleaf.i18n import locale_info
from polyleaf.plurals import DEFAULT_RULES
from polyleaf.qa.checks import check_entry, is_critical
from polyleaf.qa.consistency import check_consistency, check_stale
from polyleaf.qa.usable import State, catalog_plurals, usable


def check_catalog(catalog: Catalog, locale: str, name: str,
                  plural_rules: str = DEFAULT_RULES, coverage: Coverage | None = None,
                  source: str = "en") -> list[Diagnostic]:
    """Diagnostics for one parsed catalog (``plural_rules``: the reference for its header;
    glyphs checked against ``coverage`` when given; ``source``: the project's source language)."""
    info = locale_info(locale, plural_rules, source)
    nplurals = catalog_plurals(catalog, info).nplurals
    found = plural_diagnostics(catalog, info, name)
    for entry in catalog.live:
        for finding in check_entry(entry, info, nplurals):
            found.append(Diagnostic(name, entry.line, finding.level, finding.code,
                                    finding.message, finding.hint))
        if coverage is not None:
            found.extend(_glyphs(entry, coverage, locale, name))
        verdict = usable(entry, info, nplurals) if is_critical(entry) else None
        if verdict is not None and not verdict.ok:
            state = "failing QA" if verdict.state is State.QA else verdict.state.value
            found.append(Diagnostic(name, entry.line, Level.ERROR, "qa.critical",
                                    f"critical urgent-care text is {state}",
                                    "translate it (and remove the fuzzy flag once checked); "
                                    "until then nothing of this article is published in "
                                    f"{locale}"))
    return found


def check_project(config: Config, locales: tuple[str, ...] = ()) -> list[Diagnostic]:
    """Diagnostics for every configured catalog, sorted by file and line."""
    found: list[Diagnostic] = []
    coverage = installed_coverage()
    if coverage is None:
        found.append(warning("polyleaf.toml", 0, "qa.glyphs-unchecked",
                             "fontconfig (fc-list) is not available: glyph coverage of the "
                             "translations was not checked",
                             "install fontconfig and the fonts (bash dev.sh example does)"))
    for locale in locales or config.locales:
        found.extend(_check_locale(config, locale, coverage))
    return sorted(found, key=lambda d: (d.path, d.line, d.code))


def _check_locale(config: Config, locale: str, coverage: Coverage | None) -> list[Diagnostic]:
    """Every catalog of one locale, its glossary, and the consistency across its catalogs."""
    loaded = load_glossary(config, locale)
    found = list(loaded.diagnostics)
    annotator = Annotator(loaded.glossary, config.source_language)
    read: list[tuple[str, Catalog]] = []
    folder = config.locales_dir / locale / "LC_MESSAGES"
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else ():
        name = rel(config, path)
        try:
            catalog, warnings = load_catalog(path, name, config.root)
        except PolyleafError as exc:
            found.extend(exc.diagnostics)
            continue
        found.extend(warnings)
        found.extend(check_catalog(catalog, locale, name, config.plural_rules, coverage,
                                   config.source_language))
        found.extend(check_stale(catalog, annotator, name, " and ".join(loaded.glossary.paths)))
        read.append((name, catalog))
    found.extend(check_consistency(read))
    return found


def _glyphs(entry: Entry, coverage: Coverage, locale: str, name: str) -> list[Diagnostic]:
    """``qa.missing-glyph`` for characters of the translation that no installed font draws."""
    texts = entry.msgstr_plural if entry.msgid_plural is not None else (entry.msgstr,)
    missing = coverage.missing("".join(texts))
    if not missing:
        return []
    packages = sorted({font_package(cp) for cp in missing} - {""})
    hint = (f"if the characters are meant, install {' '.join(packages)}; otherwise correct the "
            "translation (a line or paragraph separator, a private-use character or a "
            "look-alike pasted from another program)") if packages else \
        "correct the translation: these are characters no font draws (separators, private use)"
    return [Diagnostic(name, entry.line, Level.ERROR, "qa.missing-glyph",
                       f"{locale}: no installed font can draw {describe(missing)}; the leaflet "
                       "would print empty boxes", hint)]
