"""Template contexts for every site page and the leaflets, and the site-wide files.

Pure functions from the project model to plain dicts and texts; :mod:`polyleaf.engine.build` renders
the article pages through :func:`render_article_page` and writes whatever
:func:`render_site_files` returns (language indexes, the root language list, the 404 pages, the
stylesheet, ``sitemap.xml``, ``robots.txt``).

Each page belongs to a :class:`~polyleaf.render.sitemap.PageGroup` (the same page in every language it
is published in); its ``hreflang`` links, its language switcher and its sitemap entry all come
from the group, so they always agree.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from babel import Locale
from babel.units import format_unit
from markupsafe import Markup, escape

from polyleaf.catalog.extract import REVIEW_ROLES
from polyleaf.catalog.project import Project
from polyleaf.config import Config
from polyleaf.content.model import Article, LocalizedArticle
from polyleaf.i18n import PSEUDO_LOCALES, language_name, locale_info, site_endonym
from polyleaf.render.html import date_formatter, markup, render
from polyleaf.render.images import page_images
from polyleaf.render.localize import (
    LinkFactory,
    localize,
    localized_meta,
    review_for,
    translated_on,
    ui_strings,
)
from polyleaf.render.publication import Publication
from polyleaf.render.sitemap import PageGroup, SitemapUrl, group_urls, robots_txt, sitemap_xml
from polyleaf.render.uistrings import UiStrings
from polyleaf.review.state import Reviews

FAVICON = "assets/favicon.svg"
Published = frozenset[tuple[str, str]]  # (article id, locale) pairs that have an HTML page


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


def folder(config: Config, path: str) -> str:
    """A link to a folder's page: ``en/`` as it is, or ``en/index.html`` unless the config's
    ``directory_urls`` says a web server will serve the folders (then the site works opened
    from disk too)."""
    if config.directory_urls or not (path == "" or path.endswith("/")):
        return path
    return f"{path.removesuffix('./')}index.html"


def page_links(project: Project, published: Published) -> LinkFactory:
    """How an article page links other articles (relative, folders as :func:`folder` says)."""
    config = project.config
    return LinkFactory(project.sources.ids, "../", published, config.source_language,
                       folder=lambda path: folder(config, path))


def site_path(config: Config) -> str:
    """The path part of ``base_url`` (``/`` or ``/leaflets/``): root-relative links start here."""
    return urlsplit(config.base_url).path or "/"


def variant_label(ui: UiStrings, variant: str) -> str:
    """A translated human name for a leaflet variant."""
    labels = {"a4": ui.gettext("A4"), "letter": ui.gettext("US Letter"),
              "a4-large": ui.gettext("Large print"), "bilingual": ui.gettext("Bilingual")}
    return labels.get(variant, variant)


def page_group(config: Config, path: str, locales: Sequence[str],
               x_default: str | None = None) -> PageGroup:
    """The group of ``path`` in ``locales``; x-default: the source-language version by default."""
    langs = tuple(locale_info(lo).bcp47 for lo in locales)
    source = locale_info(config.source_language).bcp47
    if x_default is None:
        x_default = f"{config.base_url}{source if source in langs or not langs else langs[0]}/{path}"
    return PageGroup(path, langs, x_default)


def common(config: Config, locale: str, ui: UiStrings, root: str,
           alternates: Sequence[str], current_path: str,
           x_default: str | None = None, languages: Sequence[str] = ()) -> dict[str, Any]:
    """Context every page needs: language, direction, hreflang set, switcher, gettext.

    ``alternates`` are the locales this page is published in (the hreflang set and the
    switcher), ``current_path`` its path below a language folder, ``root`` the way back to the
    site root. ``languages``: the site's languages; those this page is not published in stay in
    the switcher, linking their language index (a reader who came from there can go back).
    """
    info = locale_info(locale)
    group = page_group(config, current_path, alternates, x_default)
    versions = [{"lang": locale_info(lo).bcp47, "dir": locale_info(lo).direction,
                 "name": site_endonym(lo, config.all_locales), "current": lo == locale,
                 "url": group.url(config.base_url, locale_info(lo).bcp47),
                 "href": folder(config, f"{root}{locale_info(lo).bcp47}/{current_path}"),
                 "og_locale": _og_locale(lo), "page": True} for lo in alternates]
    by_lang = {v["lang"]: v for v in versions}
    switcher = [by_lang.get(locale_info(lo).bcp47) or {
        "lang": locale_info(lo).bcp47, "dir": locale_info(lo).direction,
        "name": site_endonym(lo, config.all_locales), "current": False, "page": False,
        "href": folder(config, f"{root}{locale_info(lo).bcp47}/")}
        for lo in dict.fromkeys([*languages, *alternates])] if languages else versions
    return {
        **ui.as_context(), "lang": info.bcp47, "dir": info.direction, "root": root,
        "lang_path": folder(config, f"{info.bcp47}/"), "switcher": switcher, "alternates": versions,
        "x_default": group.x_default if alternates else "",
        "site": {"name": config.name, "organisation": config.organisation},
        "contact": contact_parts(config.organisation.contact),
        "source_lang": locale_info(config.source_language).bcp47,
        "format_date": date_formatter(locale), "og_locale": _og_locale(locale),
        "role_label": lambda role: ui.gettext(role) if role in REVIEW_ROLES else role,
        "og_type": "website", "canonical": "", "noindex": False,
    }


def contact_parts(contact: str) -> list[str]:
    """``+44 20 7946 0000 · x@example.org`` -> its parts, each kept on one line by the page."""
    return [part.strip() for part in contact.replace(";", "·").split("·") if part.strip()]


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
        "id_html": Markup(f'<bdi dir="ltr" class="article-id">{escape(meta.id)}</bdi>'),
        "body": markup(loc.body_html), "reviewed": meta.reviewed.isoformat(),
        "review_due": meta.review_due.isoformat(), "translated_on": loc.translated_on,
        "modified": max(meta.reviewed.isoformat(), loc.translated_on or ""),
        "sources": meta.sources, "related": related, "leaflets": leaflets,
        "incomplete": loc.coverage.ratio < 1.0,
        "percent": int(loc.coverage.ratio * 100),
        "signoffs": [{"role": role, "date": day, "reviewer": who}
                     for role, day, who in loc.signoffs],
        "review_pending": loc.review_pending,
    }


def leaflet_links(config: Config, ui: UiStrings, locale: str, article_id: str, prefix: str,
                  publication: Publication) -> list[LeafletLink]:
    """Links (with localized file sizes) to the leaflets the build vouches for.

    They come from ``publication`` (the build's one decision and the files it produced), never
    from whatever lies in ``build/``. ``prefix`` leads from the page to the site root: the build
    mirrors ``build/leaflets/`` into ``build/site/leaflets/`` (hard links), so ``build/site``
    deploys alone under any base URL.
    """
    bcp47 = locale_info(locale).bcp47
    return [LeafletLink(leaflet.variant,
                        f"{prefix}leaflets/{bcp47}/{article_id}-{leaflet.variant}.pdf",
                        variant_label(ui, leaflet.variant), file_size(leaflet.size, locale))
            for leaflet in publication.leaflet_files(article_id, locale)]


def file_size(size: int, locale: str) -> str:
    """``43 kB``, ``1,2 Mo``, ``43 كيلوبايت``: a file size in the locale's words (CLDR)."""
    babel_locale = PSEUDO_LOCALES.get(locale, (locale,))[0]
    if size < 1000 * 1000:
        return str(format_unit(max(1, round(size / 1000)), "digital-kilobyte", "short",
                               locale=babel_locale))
    return str(format_unit(round(size / 1000 / 1000, 1), "digital-megabyte", "short",
                           locale=babel_locale))


def shown_meta(project: Project, publication: Publication, article: Article,
               locale: str) -> tuple[str, str]:
    """(title, summary) of ``article`` in ``locale``, as the build decided them."""
    known = publication.meta.get((article.id, locale))
    return known[:2] if known is not None else localized_meta(project, article, locale)


def shown_date(project: Project, publication: Publication, article_id: str, locale: str) -> str:
    """The translation date of an article in ``locale`` ('' for the source language)."""
    if locale == project.config.source_language:
        return ""
    known = publication.meta.get((article_id, locale))
    return known[2] if known is not None else translated_on(project.catalog(locale, article_id))


def _related(project: Project, article: Article, locale: str,
             publication: Publication) -> list[dict[str, str]]:
    published = publication.pages
    items = []
    for other in project.sources.articles:
        if other.id not in article.meta.related:
            continue
        lang = locale if (other.id, locale) in published else project.config.source_language
        title, _ = shown_meta(project, publication, other, lang)
        prefix = "../" if lang == locale else f"../../{locale_info(lang).bcp47}/"
        items.append({"title": title, "href": folder(project.config, f"{prefix}{other.id}/"),
                      "lang": locale_info(lang).bcp47, "dir": locale_info(lang).direction})
    return items


def article_locales(config: Config, article_id: str, published: Published) -> list[str]:
    """The locales an article page is published in, in config order."""
    return [lo for lo in config.all_locales if (article_id, lo) in published]


def render_article_page(project: Project, article: Article, locale: str,
                        publication: Publication, reviews: Reviews | None = None) -> str:
    """The HTML page of one article in one locale (``reviews``: see :func:`localize`)."""
    config = project.config
    published = publication.pages
    loc = localize(project, article, locale,
                   page_links(project, published),
                   review_for(project, reviews, article, locale), "pages",
                   page_images(publication.images, article.id, "../../"))
    ui = ui_strings(project, locale)
    context = common(config, locale, ui, "../../", article_locales(config, article.id, published),
                     f"{article.id}/", languages=site_languages(project, published))
    leaflets = leaflet_links(config, ui, locale, article.id, "../../", publication)
    context |= {"article": article_dict(loc, leaflets, _related(project, article, locale,
                                                                 publication)),
                "canonical": page_url(config, locale, article.id), "og_type": "article"}
    return render(config.templates_dir, "article.html", context)


def site_languages(project: Project, published: Published) -> list[str]:
    """Locales with at least one published article, in config order."""
    return [lo for lo in project.config.all_locales
            if any((a.id, lo) in published for a in project.sources.articles)]


def site_groups(project: Project, publication: Publication) -> dict[str, tuple[str, ...]]:
    """The site-wide files by what they are rendered from (what the build keys each group by,
    :mod:`polyleaf.engine.sitekeys`): ``index:<locale>`` (that language's index: its UI strings,
    its articles' titles, summaries and leaflets), ``languages`` (the root page and the 404s:
    every language's UI strings), ``sitemap`` (pages and dates) and ``static`` (stylesheet,
    favicon, ``robots.txt``: templates and config)."""
    config = project.config
    languages = site_languages(project, publication.pages)
    tags = [locale_info(lo).bcp47 for lo in languages]
    groups: dict[str, tuple[str, ...]] = {
        f"index:{lo}": (f"{tag}/index.html",) for lo, tag in zip(languages, tags, strict=True)}
    groups["languages"] = ("index.html", "404.html", *(f"{tag}/404.html" for tag in tags))
    groups["sitemap"] = ("sitemap.xml",)
    favicon = (FAVICON,) if (config.templates_dir / FAVICON).is_file() else ()
    groups["static"] = ("assets/site.css", "robots.txt", *favicon)
    return groups


def render_site_group(project: Project, publication: Publication, group: str,
                      languages: Sequence[str]) -> dict[str, str]:
    """The files of one group of :func:`site_groups`: path -> text (``languages``:
    :func:`site_languages`)."""
    config = project.config
    if group.startswith("index:"):
        locale = group.removeprefix("index:")
        return {f"{locale_info(locale).bcp47}/index.html":
                _index_page(project, publication, locale, languages)}
    if group == "languages":
        listed = _language_items(project, languages, site_path(config))  # the same on every 404
        files = {f"{locale_info(lo).bcp47}/404.html":
                 _not_found_page(project, lo, listed, home=True) for lo in languages}
        files["index.html"] = _root_page(project, languages)
        files["404.html"] = _not_found_page(project, config.source_language, listed, home=False)
        return files
    if group == "sitemap":
        return {"sitemap.xml": sitemap_xml(_sitemap_urls(project, publication, languages))}
    files = {"robots.txt": robots_txt(config.base_url),
             "assets/site.css": render(config.templates_dir, "assets/site.css", {
                 "source_dir": locale_info(config.source_language).direction})}
    if (config.templates_dir / FAVICON).is_file():
        files[FAVICON] = (config.templates_dir / FAVICON).read_text(encoding="utf-8")
    return files


def render_site_files(project: Project, publication: Publication) -> dict[str, str]:
    """Everything under ``build/site/`` except the article pages: path -> text."""
    languages = site_languages(project, publication.pages)
    files: dict[str, str] = {}
    for group in site_groups(project, publication):
        files |= render_site_group(project, publication, group, languages)
    return files


def _index_page(project: Project, publication: Publication, locale: str,
                languages: Sequence[str]) -> str:
    config = project.config
    published = publication.pages
    ui = ui_strings(project, locale)
    source = config.source_language
    items = []
    for article in project.sources.articles:
        if (article.id, locale) in published:
            title, summary = shown_meta(project, publication, article, locale)
            items.append({"title": title, "summary": summary,
                          "href": folder(config, f"{article.id}/"), "lang": "",
                          "leaflets": leaflet_links(config, ui, locale, article.id, "../",
                                                     publication)})
        elif (article.id, source) in published:  # not (yet) in this language: say where it is
            title, summary = article.meta.title, article.meta.summary
            info = locale_info(source)
            items.append({"title": title, "summary": summary, "lang": info.bcp47,
                          "dir": info.direction, "language": language_name(source, locale),
                          "href": folder(config, f"../{info.bcp47}/{article.id}/"),
                          "leaflets": []})
    context = common(config, locale, ui, "../", languages, "", x_default=config.base_url)
    context |= {"articles": items, "canonical": page_url(config, locale)}
    return render(config.templates_dir, "index.html", context)


def _language_items(project: Project, languages: Sequence[str], root: str) -> list[dict[str, str]]:
    """Each language by its own name, with the site's tagline in that language."""
    items = []
    for lo in languages:
        info = locale_info(lo)
        items.append({"href": folder(project.config, f"{root}{info.bcp47}/"), "lang": info.bcp47,
                      "dir": info.direction,
                      "name": site_endonym(lo, project.config.all_locales),
                      "tagline": ui_strings(project, lo).gettext("Patient information leaflets")})
    return items


def _root_page(project: Project, languages: Sequence[str]) -> str:
    """The language list at the site root; it redirects nobody."""
    config = project.config
    ui = ui_strings(project, config.source_language)
    context = common(config, config.source_language, ui, "", languages, "",
                     x_default=config.base_url)
    context |= {"languages": _language_items(project, languages, ""), "switcher": [],
                "canonical": config.base_url, "lang_path": folder(config, "./")}
    return render(config.templates_dir, "root.html", context)


def _not_found_page(project: Project, locale: str, listed: list[dict[str, str]],
                    home: bool) -> str:
    """A 404 page; its links are root-relative, since it is served at any address
    (``listed``: :func:`_language_items` from the site's root)."""
    config = project.config
    root = site_path(config)
    context = common(config, locale, ui_strings(project, locale), root, [], "")
    context |= {"languages": listed, "noindex": True, "home": home}
    if not home:
        context["lang_path"] = folder(config, "")
    return render(config.templates_dir, "404.html", context)


def _sitemap_urls(project: Project, publication: Publication,
                  languages: Sequence[str]) -> list[SitemapUrl]:
    """The root page, every language index and every article page, with their alternates."""
    config = project.config
    published = publication.pages
    modified: dict[str, dict[str, str]] = {}  # article id -> BCP 47 tag -> ISO date
    for article in project.sources.articles:
        for lo in article_locales(config, article.id, published):
            modified.setdefault(article.id, {})[locale_info(lo).bcp47] = max(
                article.meta.reviewed.isoformat(),
                shown_date(project, publication, article.id, lo))
    index = page_group(config, "", languages, x_default=config.base_url)
    index_dates = {lang: max(d.get(lang, "") for d in modified.values()) for lang in index.langs}
    urls = [SitemapUrl(config.base_url, index.alternates(config.base_url),
                       max(index_dates.values(), default="")),
            *group_urls(config.base_url, index, index_dates)]
    for article in project.sources.articles:
        group = page_group(config, f"{article.id}/", article_locales(config, article.id, published))
        urls += group_urls(config.base_url, group, modified.get(article.id, {}))
    return urls
