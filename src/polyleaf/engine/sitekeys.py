"""The cache keys of the site-wide files, one per group, each from exactly what it is rendered from.

The groups are :func:`~polyleaf.render.pages.site_groups`. Every key holds the tool's code, the
environment and the config; then:

- ``index:<locale>``: the templates, the site languages, that locale's ``site.po``, and of each
  article what that index shows: its title and summary in the locale and the leaflets linked
  (published there), or its source title and summary (published only in the source language);
- ``languages`` (root page, 404s): the templates, the site languages and their ``site.po``;
- ``sitemap``: the site languages, and of each article the locales it is published in, its
  review date and each translation's date;
- ``static`` (stylesheet, favicon, ``robots.txt``): the templates.

So a title edit in one locale renders that locale's index again, and nothing else. A value the
build did not decide (a published pair with no facts) keys by its catalog's digest instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import rel
from polyleaf.catalog.project import Project
from polyleaf.engine.incremental import environment, key
from polyleaf.engine.plan import code_fingerprint
from polyleaf.render.pages import site_languages
from polyleaf.render.publication import Publication


def site_keys(project: Project, publication: Publication, digest: Callable[[str], str],
              groups: Iterable[str]) -> dict[str, str]:
    """group -> the key of its files' inputs (``digest``: of a file, by its path)."""
    config = project.config
    languages = site_languages(project, publication.pages)
    templates = template_paths(project)
    base = key("site-group", code_fingerprint(), environment(), repr(config), repr(languages))
    looks = key(base, *(f"{rel(config, p)}:{digest(str(p))}" for p in templates))

    def ui(locale: str) -> str:
        if locale == config.source_language:
            return f"{locale}:source"
        return f"{locale}:{digest(_po(project, locale, SITE_DOMAIN))}"

    found: dict[str, str] = {}
    for group in groups:
        if group.startswith("index:"):
            locale = group.removeprefix("index:")
            found[group] = key(group, looks, ui(locale),
                               *_index_inputs(project, publication, locale, digest))
        elif group == "languages":
            found[group] = key(group, looks, *(ui(lo) for lo in languages))
        elif group == "sitemap":
            found[group] = key(group, base, *_sitemap_inputs(project, publication, digest))
        else:
            found[group] = key(group, looks)
    return found


def _po(project: Project, locale: str, domain: str) -> str:
    """``str(po_path(...))`` (as :meth:`~polyleaf.engine.incremental.Keys.po`)."""
    return f"{project.config.locales_dir}/{locale}/LC_MESSAGES/{domain}.po"


def _index_inputs(project: Project, publication: Publication, locale: str,
                  digest: Callable[[str], str]) -> list[str]:
    """What one language's index shows of each article."""
    published = publication.pages
    source = project.config.source_language
    parts = []
    for article in project.sources.articles:
        pair = (article.id, locale)
        if pair in published:
            meta = publication.meta.get(pair)
            shown = repr(meta[:2]) if meta is not None \
                else f"{article.meta!r}:{digest(_po(project, locale, article.id))}"
            parts.append(f"{article.id}\0p\0{shown}\0{publication.leaflet_files(*pair)!r}")
        elif (article.id, source) in published:
            parts.append(f"{article.id}\0s\0{article.meta.title!r}\0{article.meta.summary!r}")
    return parts


def _sitemap_inputs(project: Project, publication: Publication,
                    digest: Callable[[str], str]) -> list[str]:
    """Of each article: the locales it is published in, its review date, its translations'."""
    config = project.config
    published = publication.pages
    parts = []
    for article in project.sources.articles:
        dates = []
        for locale in config.all_locales:
            if (article.id, locale) not in published:
                continue
            meta = publication.meta.get((article.id, locale))
            if locale == config.source_language:
                dates.append(locale)
            elif meta is not None:
                dates.append(f"{locale}:{meta[2]}")
            else:
                dates.append(f"{locale}:catalog:{digest(_po(project, locale, article.id))}")
        parts.append(f"{article.id}\0{article.meta.reviewed.isoformat()}\0{' '.join(dates)}")
    return parts


def template_paths(project: Project) -> list[Path]:
    """The template files (every group but the sitemap is rendered from them)."""
    return sorted(p for p in project.config.templates_dir.rglob("*") if p.is_file())


__all__ = ["site_keys"]
