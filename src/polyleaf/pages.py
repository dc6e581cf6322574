"""Template contexts for every output: article pages, indexes, the root page and leaflets.

Pure functions from the project model to plain dicts; :mod:`polyleaf.build` renders and writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel import Locale

from polyleaf.config import Config
from polyleaf.i18n import PSEUDO_LOCALES, locale_info
from polyleaf.localize import LinkFactory, localize, ui_strings
from polyleaf.model import Article, LocalizedArticle
from polyleaf.project import Project
from polyleaf.render_html import date_formatter, markup, render
from polyleaf.uistrings import UiStrings


@dataclass(frozen=True, slots=True)
class LeafletLink:
    """A link to one PDF variant of an article."""

    variant: str
    href: str
    label: str
    size: str


def page_url(config: Config, locale: str, article_id: str | None = None) -> str:
    """Absolute URL of a locale's index or article page."""
    path = f"{locale_info(locale).bcp47}/"
    return config.base_url + path + (f"{article_id}/" if article_id else "")


def variant_label(ui: UiStrings, variant: str) -> str:
    """A translated human name for a leaflet variant."""
    labels = {"a4": ui.gettext("A4"), "letter": ui.gettext("US Letter"),
              "a4-large": ui.gettext("Large print"), "bilingual": ui.gettext("Bilingual")}
    return labels.get(variant, variant)


def common(config: Config, locale: str, ui: UiStrings, root: str,
           alternates: Sequence[str], current_path: str) -> dict[str, Any]:
    """Context every site page needs: language, direction, switcher, gettext."""
    info = locale_info(locale)
    alts = [{"lang": locale_info(a).bcp47, "dir": locale_info(a).direction,
             "name": locale_info(a).endonym, "current": a == locale,
             "url": config.base_url + f"{locale_info(a).bcp47}/{current_path}",
             "href": f"{root}{locale_info(a).bcp47}/{current_path}"} for a in alternates]
    return {
        **ui.as_context(), "lang": info.bcp47, "dir": info.direction, "root": root,
        "lang_path": f"{info.bcp47}/", "switcher": alts, "alternates": alts,
        "x_default": config.base_url + f"{locale_info(config.source_language).bcp47}/{current_path}"
        if alternates else "",
        "site": {"name": config.name,
                 "organisation": config.organisation},
        "source_lang": locale_info(config.source_language).bcp47,
        "format_date": date_formatter(locale), "og_locale": _og_locale(locale),
    }


def _og_locale(locale: str) -> str:
    base = PSEUDO_LOCALES.get(locale, (locale,))[0]
    loc = Locale.parse(base)
    territory = loc.territory or {"en": "GB", "zh": "CN", "ar": "SA"}.get(loc.language,
                                                                          loc.language.upper())
    return f"{loc.language}_{territory}"


def article_dict(loc: LocalizedArticle, leaflets: Sequence[LeafletLink],
                 related: Sequence[Mapping[str, str]]) -> dict[str, Any]:
    """The ``article`` variable of the article and leaflet templates."""
    meta = loc.article.meta
    return {
        "id": meta.id, "version": meta.version, "title": loc.title, "summary": loc.summary,
        "body": markup(loc.body_html), "reviewed": meta.reviewed.isoformat(),
        "review_due": meta.review_due.isoformat(), "translated_on": loc.translated_on,
        "modified": max(meta.reviewed.isoformat(), loc.translated_on or ""),
        "sources": meta.sources, "related": related, "leaflets": leaflets,
        "incomplete": loc.coverage.ratio < 1.0,
        "percent": int(loc.coverage.ratio * 100),
    }


def leaflet_links(config: Config, ui: UiStrings, locale: str, article_id: str,
                  prefix: str) -> list[LeafletLink]:
    """Links (with file sizes) to the leaflets of an article that exist in ``build/``."""
    bcp47 = locale_info(locale).bcp47
    links = []
    for variant in config.variants:
        path = config.build_dir / "leaflets" / bcp47 / f"{article_id}-{variant}.pdf"
        if path.exists():
            links.append(LeafletLink(variant, f"{prefix}leaflets/{bcp47}/{path.name}",
                                     variant_label(ui, variant), _size(path.stat().st_size)))
    return links


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _related(project: Project, article: Article, locale: str,
             published: frozenset[tuple[str, str]]) -> list[dict[str, str]]:
    items = []
    links = LinkFactory(project.sources.ids, "../", published, project.config.source_language)
    for other in project.sources.articles:
        if other.id not in article.meta.related:
            continue
        lang = locale if (other.id, locale) in published else project.config.source_language
        loc = localize(project, other, lang, links)
        prefix = "../" if lang == locale else f"../../{locale_info(lang).bcp47}/"
        items.append({"title": loc.title, "href": f"{prefix}{other.id}/", "lang": loc.lang})
    return items


def render_article_page(project: Project, article: Article, locale: str,
                        published: frozenset[tuple[str, str]]) -> str:
    """The HTML page of one article in one locale."""
    config = project.config
    loc = localize(project, article, locale,
                   LinkFactory(project.sources.ids, "../", published, config.source_language))
    ui = ui_strings(project, locale)
    alternates = [lo for lo in config.all_locales if (article.id, lo) in published]
    context = common(config, locale, ui, "../../", alternates, f"{article.id}/")
    leaflets = leaflet_links(config, ui, locale, article.id, "../../../")
    context |= {"article": article_dict(loc, leaflets, _related(project, article, locale,
                                                                 published)),
                "canonical": page_url(config, locale, article.id)}
    return render(config.templates_dir, "article.html", context)


def render_site_files(project: Project, published: frozenset[tuple[str, str]]) -> dict[str, str]:
    """Per-language indexes, the root language list and the stylesheet: path -> text."""
    config = project.config
    languages = [lo for lo in config.all_locales
                 if any((a.id, lo) in published for a in project.sources.articles)]
    files: dict[str, str] = {}
    for locale in languages:
        ui = ui_strings(project, locale)
        items = []
        links = LinkFactory(frozenset(), "", published, "")
        for article in project.sources.articles:
            if (article.id, locale) in published:
                loc = localize(project, article, locale, links)
                items.append({"title": loc.title, "summary": loc.summary,
                              "href": f"{article.id}/",
                              "leaflets": leaflet_links(config, ui, locale, article.id, "../../")})
        context = common(config, locale, ui, "../", languages, "")
        context |= {"articles": items, "canonical": page_url(config, locale)}
        files[f"{locale_info(locale).bcp47}/index.html"] = render(config.templates_dir,
                                                                  "index.html", context)
    ui = ui_strings(project, config.source_language)
    context = common(config, config.source_language, ui, "", [], "")
    context |= {"languages": [{"href": f"{locale_info(lo).bcp47}/", "lang": locale_info(lo).bcp47,
                               "dir": locale_info(lo).direction, "name": locale_info(lo).endonym}
                              for lo in languages],
                "canonical": config.base_url, "switcher": [], "alternates": [], "x_default": ""}
    files["index.html"] = render(config.templates_dir, "root.html", context)
    files["assets/site.css"] = render(config.templates_dir, "assets/site.css", {})
    return files
