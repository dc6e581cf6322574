"""``polyleaf check``: run QA on every catalog and report diagnostics at the entry's .po line."""

from __future__ import annotations

from polyleaf.catalog.files import read_catalog, rel
from polyleaf.catalog.pofile import Catalog
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, Level, PolyleafError
from polyleaf.i18n import locale_info
from polyleaf.qa.checks import check_entry, is_critical
from polyleaf.qa.usable import State, usable


def check_catalog(catalog: Catalog, locale: str, name: str, source: str = "en") -> list[Diagnostic]:
    """Diagnostics for one parsed catalog (``source``: the project's source language)."""
    info = locale_info(locale, source)
    nplurals = catalog.nplurals
    found: list[Diagnostic] = []
    if nplurals is None:
        found.append(Diagnostic(name, 1, Level.ERROR, "po.plural-forms",
                                "missing or malformed Plural-Forms header",
                                f"use: Plural-Forms: {info.plural_forms}"))
    elif nplurals != info.num_plurals:
        found.append(Diagnostic(name, 1, Level.WARNING, "po.plural-forms",
                                f"Plural-Forms says nplurals={nplurals}, CLDR has "
                                f"{info.num_plurals} for {locale}",
                                f"CLDR: {info.plural_forms}"))
    for entry in catalog.live:
        for finding in check_entry(entry, info, nplurals):
            found.append(Diagnostic(name, entry.line, finding.level, finding.code,
                                    finding.message, finding.hint))
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
    for locale in locales or config.locales:
        folder = config.locales_dir / locale / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po")) if folder.is_dir() else ():
            name = rel(config, path)
            try:
                catalog = read_catalog(path, name)
            except PolyleafError as exc:
                found.extend(exc.diagnostics)
                continue
            found.extend(check_catalog(catalog, locale, name, config.source_language))
    return sorted(found, key=lambda d: (d.path, d.line, d.code))
