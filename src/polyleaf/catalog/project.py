"""Load a whole project once: config, articles and every locale's parsed catalogs.

The result is immutable and holds the diagnostics of everything that could not be read, so a
bad catalog or article is reported and skipped while the rest builds.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Catalog
from polyleaf.catalog.reading import load_catalog
from polyleaf.config import Config
from polyleaf.content.source import SourceSet, load_sources
from polyleaf.errors import Diagnostic, PolyleafError
from polyleaf.paths import po_path


@dataclass(frozen=True, slots=True)
class Project:
    """Everything a build reads, parsed."""

    config: Config
    sources: SourceSet
    catalogs: Mapping[tuple[str, str], Catalog]  # (locale, domain) -> catalog
    diagnostics: tuple[Diagnostic, ...]

    def catalog(self, locale: str, domain: str) -> Catalog | None:
        """The parsed catalog, or None when missing or unreadable."""
        return self.catalogs.get((locale, domain))


CatalogKey = tuple[str, str]  # (locale, domain)


class LazyCatalogs(Mapping[CatalogKey, Catalog]):
    """Catalogs parsed when first looked up (the build's cached project: a one-catalog change
    parses one catalog). ``keys``: the catalogs known to load; ``load`` parses one."""

    def __init__(self, keys: Iterator[CatalogKey] | list[CatalogKey],
                 load: Callable[[CatalogKey], Catalog | None]) -> None:
        self._keys = dict.fromkeys(keys)
        self._load = load
        self._parsed: dict[CatalogKey, Catalog | None] = {}

    def __getitem__(self, key: CatalogKey) -> Catalog:
        if key not in self._keys:
            raise KeyError(key)
        if key not in self._parsed:
            self._parsed[key] = self._load(key)
        found = self._parsed[key]
        if found is None:
            raise KeyError(key)
        return found

    def __iter__(self) -> Iterator[CatalogKey]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def parsed(self) -> int:
        """How many catalogs were parsed so far."""
        return len(self._parsed)


def catalog_inputs(config: Config, locale: str, domain: str) -> Path:
    """The file a (locale, domain) catalog is read from."""
    return po_path(config, locale, domain)


def load_project(config: Config) -> Project:
    """Parse sources and all configured catalogs; collect, never raise, user problems."""
    sources = load_sources(config.source_dir, config.root)
    catalogs: dict[tuple[str, str], Catalog] = {}
    problems: list[Diagnostic] = list(sources.diagnostics)
    domains = [a.id for a in sources.articles] + [SITE_DOMAIN]
    for locale in config.locales:
        for domain in domains:
            path = po_path(config, locale, domain)
            if not path.exists():
                continue
            try:
                catalogs[(locale, domain)], found = load_catalog(path, rel(config, path),
                                                                 config.root)
            except PolyleafError as exc:
                problems.extend(exc.diagnostics)
                continue
            problems.extend(found)
    return Project(config, sources, catalogs, tuple(problems))
