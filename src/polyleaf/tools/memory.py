"""``polyleaf tm export|import``: the project's translation memory as TMX 1.4b for agencies.

Export gathers every finished translation of every locale (and the memories imported before);
import stores an agency's TMX as ``locales/<lang>/memory.tmx`` per configured locale it holds,
merged with what that file held, so ``update`` can pre-fill from it.
"""

from __future__ import annotations

from pathlib import Path

from polyleaf import __version__
from polyleaf.catalog.files import WriteReport, prime_memory, rel
from polyleaf.catalog.memory import Unit, units_of
from polyleaf.catalog.reading import load_catalog
from polyleaf.catalog.tmx import (
    collect,
    memory_path,
    parse_tmx,
    read_memory,
    source_text,
    write_tmx,
)
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error
from polyleaf.fsutil import write_atomic
from polyleaf.i18n import locale_info


def _locale_units(config: Config, locale: str, problems: list[Diagnostic]) -> list[Unit]:
    folder = config.locales_dir / locale / "LC_MESSAGES"
    units: list[Unit] = []
    for path in sorted(folder.glob("*.po")) if folder.is_dir() else []:
        try:
            catalog, _ = load_catalog(path, rel(config, path), config.root)
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
            continue
        units.extend(units_of(catalog, path.name))
    stored = memory_path(config, locale)
    if stored.exists():
        try:
            units.extend(read_memory(stored, rel(config, stored), locale,
                                     config.source_language))
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
    return units


def export_tmx(config: Config, output: Path) -> WriteReport:
    """Write every locale's memory as one multilingual TMX file."""
    problems: list[Diagnostic] = []
    pairs = [(locale_info(lo).bcp47, u) for lo in config.locales
             for u in _locale_units(config, lo, problems)]
    data = write_tmx(config.source_language, collect(pairs), __version__)
    name = rel(config, output)
    wrote = write_atomic(output, data, name)
    return WriteReport((name,) if wrote else (), () if wrote else (name,), tuple(problems))


def import_tmx(config: Config, path: Path) -> WriteReport:
    """Merge a TMX file into ``locales/<lang>/memory.tmx`` of each configured locale in it."""
    name = rel(config, path)
    try:
        variants = parse_tmx(path.read_bytes(), name)
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    written: list[str] = []
    unchanged: list[str] = []
    changed: list[str] = []
    source = locale_info(config.source_language).bcp47.lower()
    for locale in config.locales:
        tag = locale_info(locale).bcp47
        pairs = ((source_text(v, source), v.get(tag.lower())) for v in variants)
        fresh = [Unit(src[1], trg[1], path.name) for src, trg in pairs
                 if src and trg and src[1] and trg[1]]
        if not fresh:
            continue
        target = memory_path(config, locale)
        kept = read_memory(target, rel(config, target), locale, config.source_language) \
            if target.exists() else []
        data = write_tmx(config.source_language, collect((tag, u) for u in [*kept, *fresh]),
                         __version__)
        if write_atomic(target, data, rel(config, target)):
            written.append(rel(config, target))
            changed.append(locale)
        else:
            unchanged.append(rel(config, target))
    if not written and not unchanged:
        raise PolyleafError(error(name, 1, "tm.no-units",
                                  "no unit pairs the source language with a configured locale",
                                  f"configured locales: {', '.join(config.locales)}"))
    prime_memory(config, tuple(changed))  # the memory is indexed now, not by the next update
    return WriteReport(tuple(written), tuple(unchanged), ())
