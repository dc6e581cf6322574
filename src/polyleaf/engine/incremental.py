"""The build's inputs through the cache: articles, catalog problems, review records, decisions.

Each value is cached under the sha256 of everything it is computed from (:class:`Keys`):

- an article: its path and the digest of its bytes (with its image and link references);
- a catalog's problems (and whether it loads): its path and bytes; the catalog itself is
  parsed only when a decision or a page needs it (:class:`~polyleaf.catalog.project.LazyCatalogs`);
- a review record: its path, article, locale and bytes;
- the facts of one (article, locale), both decisions, title, summary and translation date: the
  config file, the article's bytes, the catalog's bytes and the review record's bytes.

The whole cache is also keyed by the tool's code and the versions of the libraries and system
dictionaries that decide (:func:`environment`). A value computed from a file is stored under the
digest of the bytes that were actually read, so a file edited during the build cannot attach
its new content to its old digest.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Any, cast

from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Catalog
from polyleaf.catalog.project import CatalogKey, LazyCatalogs, Project
from polyleaf.catalog.reading import catalog_from_bytes, load_catalog
from polyleaf.config import Config
from polyleaf.content.images import image_refs, remember_refs
from polyleaf.content.model import Article
from polyleaf.content.source import (
    SourceSet,
    link_targets,
    load_sources,
    parse_article,
    read_source,
    remember_links,
)
from polyleaf.engine.cache import BuildCache
from polyleaf.engine.digests import DigestStore, pack, unpack
from polyleaf.engine.plan import code_fingerprint
from polyleaf.errors import Diagnostic, PolyleafError, os_error, warning
from polyleaf.fsutil import outside_project, write_atomic
from polyleaf.paths import REVIEW_DIR, po_path, review_path
from polyleaf.qa.usable import Usability, remembered
from polyleaf.render.localize import Decision
from polyleaf.render.publication import Facts, Publication, decide, pair_facts
from polyleaf.review.records import ReviewRecord, record_from_bytes
from polyleaf.review.state import Reviews

DEPENDENCIES = ("babel", "weblate-language-data", "unicode-rbnf", "pyenchant", "google-re2",
                "rapidfuzz", "markdown-it-py", "PyYAML", "Jinja2")
VERDICTS = ".polyleaf-cache/verdicts"
DICTIONARY_DIRS = (Path("/usr/share/hunspell"), Path("/usr/share/myspell"))


def key(*parts: str) -> str:
    """The cache key of a value computed from ``parts``."""
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def sha256(data: bytes) -> str:
    """sha256 of bytes (as :class:`~polyleaf.engine.digests.DigestStore` gives for files)."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=1)
def environment() -> str:
    """The libraries and system dictionaries whose versions can change a decision."""
    parts = []
    for name in DEPENDENCIES:
        try:
            parts.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{name}=-")
    for folder in DICTIONARY_DIRS:
        try:
            with os.scandir(folder) as entries:
                for entry in sorted(entries, key=lambda e: e.name):
                    st = entry.stat()
                    parts.append(f"{entry.name}:{st.st_size}:{st.st_mtime_ns}")
        except OSError:
            parts.append(f"{folder}:-")
    return key(*parts)


@dataclass
class Keys:
    """The digests this build keys its cache by: files as found (lookups) and as read (stores)."""

    config: Config
    digests: DigestStore
    read: dict[str, str] = field(default_factory=dict)  # path -> digest of the bytes read

    def found(self, path: Path | str) -> str:
        """The digest of ``path`` as the build's input stamp saw it."""
        return self.digests.file(path)

    def got(self, path: Path | str) -> str:
        """The digest of the bytes a value was computed from (or, not read, as found)."""
        return self.read.get(str(path)) or self.found(path)

    def po(self, locale: str, domain: str) -> str:
        """``str(po_path(config, locale, domain))``, without building paths."""
        return f"{self.config.locales_dir}/{locale}/LC_MESSAGES/{domain}.po"

    def review(self, locale: str, article: str) -> str:
        """``str(review_path(config, locale, article))``."""
        return f"{self.config.locales_dir}/{locale}/{REVIEW_DIR}/{article}.toml"

    def settings(self) -> str:
        """The config as this build uses it (a caller may pass one that is not the file's) and
        the environment."""
        return key(repr(self.config), environment())


def cached_sources(config: Config, cache: BuildCache, keys: Keys) -> SourceSet:
    """:func:`~polyleaf.content.source.load_sources` with each article parsed once per content."""
    def parse(path: Path, name: str) -> tuple[Article, list[Diagnostic]]:
        found = cast(tuple[Any, ...] | None,
                     cache.get(key("article", name, keys.found(path)), "articles"))
        if found is None:
            data = read_source(path, name)
            keys.read[str(path)] = sha256(data)
            try:
                article, problems = parse_article(data, name)
                found = ("ok", article, tuple(problems), image_refs(article),
                         link_targets(article.body))
            except PolyleafError as exc:
                found = ("error", exc.diagnostics)
            cache.put(key("article", name, keys.read[str(path)]), found, "articles")
        if found[0] == "error":
            raise PolyleafError(*found[1])
        _, article, problems, refs, links = found
        remember_refs(article.body, refs)
        remember_links(article.body, links)
        return article, list(problems)

    return load_sources(config.source_dir, config.root, parse)


def cached_project(config: Config, cache: BuildCache, keys: Keys) -> Project:
    """The project with cached articles and catalog problems; catalogs parsed when used."""
    sources = cached_sources(config, cache, keys)
    problems: list[Diagnostic] = list(sources.diagnostics)
    parsed: dict[CatalogKey, Catalog] = {}
    known: list[CatalogKey] = []
    domains = [a.id for a in sources.articles] + [SITE_DOMAIN]
    for locale in config.locales:
        folder = config.locales_dir / locale / "LC_MESSAGES"
        linked = outside_project(folder, config.root)
        for domain in domains:
            if keys.found(keys.po(locale, domain)) == "-" \
                    and not po_path(config, locale, domain).exists():
                continue
            ok, found = _catalog_problems(config, cache, keys, linked, parsed, (locale, domain))
            problems.extend(found)
            if ok:
                known.append((locale, domain))

    def load(item: CatalogKey) -> Catalog | None:
        if item in parsed:
            return parsed[item]
        path = po_path(config, *item)
        try:
            data = path.read_bytes()
            keys.read[str(path)] = sha256(data)
            return catalog_from_bytes(data, rel(config, path))[0]
        except (OSError, PolyleafError):  # changed since it was checked: the next build says
            return None

    return Project(config, sources, LazyCatalogs(known, load), tuple(problems))


def _catalog_problems(config: Config, cache: BuildCache, keys: Keys, linked: bool,
                      parsed: dict[CatalogKey, Catalog], item: CatalogKey
                      ) -> tuple[bool, tuple[Diagnostic, ...]]:
    """(loads, problems) of one catalog; a link is always read (where it leads can change)."""
    where = keys.po(*item)
    name = where.removeprefix(f"{config.root}/")
    if linked or os.path.islink(where):
        try:
            parsed[item], warnings = load_catalog(Path(where), name, config.root)
            return True, warnings
        except PolyleafError as exc:
            return False, exc.diagnostics
    found = cache.get(key("catalog", name, keys.found(where)), item[0])
    if isinstance(found, tuple):
        return found
    try:
        data = Path(where).read_bytes()
    except OSError as exc:
        return False, (os_error(name, exc),)
    keys.read[where] = sha256(data)
    try:
        parsed[item], warnings = catalog_from_bytes(data, name)
        result: tuple[bool, tuple[Diagnostic, ...]] = (True, warnings)
    except PolyleafError as exc:
        result = (False, exc.diagnostics)
    cache.put(key("catalog", name, keys.read[where]), result, item[0])
    return result


def cached_reviews(project: Project, cache: BuildCache, keys: Keys) -> Reviews:
    """:func:`~polyleaf.review.state.load_reviews` with each record parsed once per content."""
    config = project.config
    records: dict[tuple[str, str], ReviewRecord | None] = {}
    problems: list[Diagnostic] = []
    ids = project.sources.ids
    for locale in config.locales:
        folder = config.locales_dir / locale / REVIEW_DIR
        present = {p.name for p in folder.glob("*.toml")} if folder.is_dir() else set()
        for article in project.sources.articles:
            if f"{article.id}.toml" not in present:
                continue
            path = review_path(config, locale, article.id)
            record, found = _record(config, cache, keys, path, article.id, locale)
            problems += found
            if record is not None:
                records[(locale, article.id)] = record
        for name in sorted(present):
            stem = name.removesuffix(".toml")
            if stem not in ids:
                problems.append(warning(rel(config, folder / name), 0, "review.orphan",
                                        f"a review record for {stem!r}, which is no article",
                                        "delete it if the article was removed, or rename it"))
    return Reviews(records, tuple(problems))


def _record(config: Config, cache: BuildCache, keys: Keys, path: Path, article: str,
            locale: str) -> tuple[ReviewRecord | None, list[Diagnostic]]:
    name = rel(config, path)
    found = cache.get(key("review", name, article, locale, keys.found(path)), locale)
    if isinstance(found, tuple):
        return found[0], list(found[1])
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError:
        from polyleaf.review.records import read_record

        return read_record(path, name, article, locale)
    keys.read[str(path)] = sha256(data)
    record, problems = record_from_bytes(data, name, article, locale)
    cache.put(key("review", name, article, locale, keys.read[str(path)]),
              (record, tuple(problems)), locale)
    return record, problems


def cached_publication(project: Project, reviews: Reviews, cache: BuildCache,
                       keys: Keys) -> Publication:
    """:func:`~polyleaf.render.publication.decide`, each pair's facts computed once per inputs."""
    config = project.config
    settings = keys.settings()

    root = str(config.root)
    same: dict[Decision, Decision] = {}

    def pair_key(article: Article, locale: str, digest: Callable[[str], str]) -> str:
        return key("facts", settings, article.path, digest(f"{root}/{article.path}"), locale,
                   digest(keys.po(locale, article.id)), digest(keys.review(locale, article.id)))

    def facts(article: Article, locale: str) -> Facts:
        found = cache.get(pair_key(article, locale, keys.found), locale)
        if isinstance(found, tuple):
            return found
        verdicts = VerdictFile(config.build_dir, locale, article.id)
        with remembered(verdicts.known) as used:
            computed = pair_facts(project, reviews, article, locale)
        verdicts.save(used)
        html, pdf, meta = computed  # one object per distinct decision: a lighter shard
        computed = (same.setdefault(html, html), same.setdefault(pdf, pdf), meta)
        cache.put(pair_key(article, locale, keys.got), computed, locale)
        return computed

    return decide(project, reviews, facts)


class VerdictFile:
    """The QA verdicts of one catalog's entries (``build/.polyleaf-cache/verdicts/<locale>/<id>``),
    read only when that pair's facts must be computed again: after a one-entry edit, only that
    entry is checked. Each verdict is keyed by the whole entry (:func:`~polyleaf.qa.usable.remembered`);
    the file by the tool's code and the environment."""

    def __init__(self, build_dir: Path, locale: str, article_id: str) -> None:
        self.path = build_dir / VERDICTS / locale / article_id
        self.magic = f"polyleaf-verdicts-1 {code_fingerprint()} {environment()}\n".encode()
        try:
            found = unpack(self.path.read_bytes(), self.magic)
        except OSError:
            found = None
        self.known: dict[Any, Usability] = found if isinstance(found, dict) else {}

    def save(self, used: dict[Any, Usability]) -> None:
        """Keep the verdicts this build used (when they are not exactly those it read)."""
        if used.keys() == self.known.keys():
            return
        try:
            write_atomic(self.path, pack(used, self.magic), durable=False)
        except PolyleafError:
            return


__all__ = ["Keys", "cached_project", "cached_publication", "cached_reviews", "environment",
           "key"]
