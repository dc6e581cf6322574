"""Turn (article, locale) into a :class:`LocalizedArticle` and decide what may be published.

Publishing policy (DESIGN "Which translation is used"): an HTML page needs a usable share of at
least ``html_threshold``; a PDF leaflet at least ``pdf_threshold`` (default 1.0); an unusable
critical segment blocks both. The source language is always complete.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Catalog
from polyleaf.catalog.project import Project
from polyleaf.config import Config
from polyleaf.content.model import Article, Blocker, Coverage, LocalizedArticle
from polyleaf.i18n import LocaleInfo, locale_info
from polyleaf.paths import po_path
from polyleaf.render.translate import Resolver, coverage, render_body
from polyleaf.render.uistrings import UiStrings

LinkMapper = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether one output may be published, why not, and the entries that hold it back."""

    publish: bool
    reason: str = ""
    blockers: tuple[Blocker, ...] = ()


def resolver_for(project: Project, locale: str, domain: str) -> Resolver | None:
    """None for the source language; else a resolver over the catalog (empty when missing)."""
    if locale == project.config.source_language:
        return None
    catalog = project.catalog(locale, domain)
    entries = {e.key: e for e in catalog.entries} if catalog else {}
    return Resolver(entries, locale_info(locale), catalog.nplurals if catalog else None)


def ui_strings(project: Project, locale: str) -> UiStrings:
    """Template strings for a locale (the source language: identity)."""
    catalog = project.catalog(locale, SITE_DOMAIN) if locale != project.config.source_language \
        else None
    entries = {e.key: e for e in catalog.entries} if catalog else {}
    return UiStrings(entries, locale_info(locale), catalog.nplurals if catalog else None)


def decide(cov: Coverage, threshold: float, what: str,
           blockers: tuple[Blocker, ...] = ()) -> Decision:
    """Apply the publishing policy to one output; ``blockers``: the entries not usable."""
    if cov.critical_unusable:
        return Decision(False, f"{len(cov.critical_unusable)} critical segment(s) not usable",
                        tuple(b for b in blockers if b.critical))
    if cov.ratio + 1e-9 < threshold:
        return Decision(False, f"{cov.ratio:.0%} usable, {what} needs {threshold:.0%}", blockers)
    return Decision(True)


def assess(project: Project, article: Article, locale: str) -> tuple[Coverage, tuple[Blocker, ...]]:
    """How much of ``article`` is usable in ``locale``, and every entry that is not."""
    resolver = resolver_for(project, locale, article.id)
    if resolver is None:
        return coverage(article, None), ()
    path = rel(project.config, po_path(project.config, locale, article.id))
    usable = 0
    critical: list[str] = []
    blockers: list[Blocker] = []
    for segment in article.segments:
        verdict = resolver.verdict(segment.context, segment.msgid)
        if verdict.ok:
            usable += 1
            continue
        if segment.critical:
            critical.append(segment.msgid)
        entry = resolver.entries.get(segment.key)
        code = ", ".join(verdict.codes) if verdict.codes else verdict.state.value
        blockers.append(Blocker(path, entry.line if entry is not None else 0, code,
                                segment.msgid, segment.kind.value, segment.critical))
    cov = Coverage(len(article.segments), usable, tuple(critical))
    return cov, tuple(dict.fromkeys(blockers))  # a repeated block is one entry


def translated_on(catalog: Catalog | None) -> str:
    """The catalog's PO-Revision-Date as an ISO date, '' when unknown."""
    value = catalog.header_value("PO-Revision-Date") if catalog else ""
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M%z").date().isoformat()
    except ValueError:
        return ""


def localized_meta(project: Project, article: Article, locale: str) -> tuple[str, str]:
    """(title, summary) in ``locale`` (the source text where not usable), without the body."""
    resolver = resolver_for(project, locale, article.id)
    if resolver is None:
        return article.meta.title, article.meta.summary
    title = resolver.resolve("title", article.meta.title)
    summary = resolver.resolve("summary", article.meta.summary)
    return (title.text if title.usable else article.meta.title,
            summary.text if summary.usable else article.meta.summary)


def localize(project: Project, article: Article, locale: str,
             link_mapper: Callable[[str], LinkMapper],
             image_mapper: Callable[[str], LinkMapper] | None = None) -> LocalizedArticle:
    """Resolve and render one article in one locale (``image_mapper``: locale -> the URLs of
    its images in this output; None leaves image sources as written)."""
    config: Config = project.config
    info: LocaleInfo = locale_info(locale)
    resolver = resolver_for(project, locale, article.id)
    ui = ui_strings(project, locale)
    cov = coverage(article, resolver)
    title = resolver.resolve("title", article.meta.title) if resolver else None
    summary = resolver.resolve("summary", article.meta.summary) if resolver else None
    body = render_body(article, resolver, config.source_language, ui.gettext,
                       link_mapper(locale),
                       image=image_mapper(locale) if image_mapper is not None else None)
    catalog = project.catalog(locale, article.id)
    return LocalizedArticle(
        article=article, locale=locale, lang=info.bcp47, direction=info.direction,
        title=title.text if title and title.usable else article.meta.title,
        summary=summary.text if summary and summary.usable else article.meta.summary,
        body_html=body, coverage=cov,
        translated_on="" if resolver is None else translated_on(catalog),
    )


class LinkFactory:
    """Maps article-id link targets to URLs for a locale (relative for pages, absolute for PDFs)."""

    def __init__(self, ids: frozenset[str], base: str, published: frozenset[tuple[str, str]],
                 source_lang: str, folder: Callable[[str], str] = str) -> None:
        self.ids = ids
        self.base = base  # "../" for pages, base_url for leaflets
        self.published = published  # (article id, locale) pairs with an HTML page
        self.source_lang = source_lang
        self.folder = folder  # a page's link to a folder: "x/" or "x/index.html"

    def __call__(self, locale: str) -> LinkMapper:
        def mapper(href: str) -> str:
            target, _, fragment = href.partition("#")
            if target not in self.ids:
                if self.base.startswith("http") and target and ":" not in target:
                    return self.base + target.lstrip("/")  # never a file:// path in a PDF
                return href
            lang = locale if (target, locale) in self.published else self.source_lang
            prefix = self.base if lang == locale else f"{self.base}../{locale_info(lang).bcp47}/"
            if self.base.startswith("http"):
                prefix = f"{self.base}{locale_info(lang).bcp47}/"
            url = self.folder(f"{prefix}{target}/")
            return f"{url}#{fragment}" if fragment else url
        return mapper


