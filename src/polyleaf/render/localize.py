"""Turn (article, locale) into a :class:`LocalizedArticle` and decide what may be published.

Publishing policy (DESIGN "Which translation is used"): an HTML page needs a usable share of at
least ``html_threshold``; a PDF leaflet at least ``pdf_threshold`` (default 1.0); an unusable
critical segment blocks both. The source language is always complete. For the output kinds in
``[publish] require_review``, a translation counts as usable only while a reviewer's approval
of exactly its text stands (:mod:`polyleaf.review.state`); the reason names the segments.
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
from polyleaf.qa.usable import catalog_plurals
from polyleaf.render.translate import Resolver, coverage, coverages, render_body
from polyleaf.render.typography import typeset
from polyleaf.render.uistrings import UiStrings
from polyleaf.review.state import ArticleReview, Reviews, Status

LinkMapper = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Decision:
    """Whether one output may be published, why not, and the entries that hold it back."""

    publish: bool
    reason: str = ""
    blockers: tuple[Blocker, ...] = ()


def resolver_for(project: Project, locale: str, domain: str,
                 approved: frozenset[tuple[str | None, str]] | None = None) -> Resolver | None:
    """None for the source language; else a resolver over the catalog (empty when missing).

    ``approved``: when given, only these keys are usable (review required)."""
    if locale == project.config.source_language:
        return None
    catalog = project.catalog(locale, domain)
    entries = {e.key: e for e in catalog.entries} if catalog else {}
    info = locale_info(locale, project.config.plural_rules,
                       project.config.source_language)
    return Resolver(entries, info, catalog_plurals(catalog, info).nplurals, approved)


def review_for(project: Project, reviews: Reviews | None, article: Article,
               locale: str) -> ArticleReview | None:
    """The review state of a translation (None: the source language, or reviews not kept)."""
    if reviews is None or locale == project.config.source_language:
        return None
    return reviews.article_review(project, article, locale)


def gated(project: Project, review: ArticleReview | None, kind: str) -> bool:
    """True when output ``kind`` ("leaflets", "pages") may show only approved text."""
    return review is not None and kind in project.config.require_review


def ui_strings(project: Project, locale: str) -> UiStrings:
    """Template strings for a locale (the source language: identity)."""
    catalog = project.catalog(locale, SITE_DOMAIN) if locale != project.config.source_language \
        else None
    entries = {e.key: e for e in catalog.entries} if catalog else {}
    info = locale_info(locale, project.config.plural_rules,
                       project.config.source_language)
    return UiStrings(entries, info, catalog_plurals(catalog, info))


def decide(cov: Coverage, threshold: float, what: str,
           review: ArticleReview | None = None,
           blockers: tuple[Blocker, ...] = ()) -> Decision:
    """Apply the publishing policy to one output (``review``: when review is required;
    ``blockers``: the entries that are not usable, named in the build's summary)."""
    unreviewed = set(cov.unreviewed)
    critical = [m for m in cov.critical_unusable if m not in unreviewed]
    if critical:
        return Decision(False, f"{len(critical)} critical segment(s) not usable",
                        tuple(b for b in blockers if b.critical))
    translated = (cov.usable + len(cov.unreviewed)) / cov.total if cov.total else 1.0
    if translated + 1e-9 < threshold:
        return Decision(False, f"{translated:.0%} usable, {what} needs {threshold:.0%}",
                        blockers)
    if cov.critical_unusable or cov.ratio + 1e-9 < threshold:
        return Decision(False, review_reason(review, unreviewed, what))
    return Decision(True)


def _quote(text: str, width: int = 40) -> str:
    flat = " ".join(text.split())
    return f"“{flat[:width - 1]}…”" if len(flat) > width else f"“{flat}”"


def review_reason(review: ArticleReview | None, unreviewed: set[str], what: str) -> str:
    """Why an output waits for review, naming the segments (numbers as in the review packet)."""
    if review is None:
        return f"{len(unreviewed)} segment(s) not reviewed"
    items = [s for s in review.segments if s.segment.msgid in unreviewed]
    changed = [s for s in items if s.status is Status.CHANGED]
    never = [s for s in items if s.status is not Status.CHANGED]
    parts = []
    if changed:
        named = ", ".join(f"#{s.number} {_quote(s.segment.msgid)}" for s in changed[:3])
        more = f" and {len(changed) - 3} more" if len(changed) > 3 else ""
        parts.append(f"{len(changed)} segment(s) changed since approval ({named}{more})")
    if never and len(never) == len(review.segments):
        parts.append(f"not reviewed yet ({len(never)} segments)")
    elif never:
        numbers = ", ".join(f"#{s.number}" for s in never[:8])
        more = f" and {len(never) - 8} more" if len(never) > 8 else ""
        parts.append(f"{len(never)} never reviewed ({numbers}{more})")
    return (f"{what} prints only reviewed text: {'; '.join(parts)} "
            f"(see 'polyleaf review status')")


def decisions_for(project: Project, reviews: Reviews | None, article: Article,
                  locale: str) -> tuple[Decision, Decision]:
    """(page decision, leaflet decision) for one article in one locale."""
    config = project.config
    review = review_for(project, reviews, article, locale)
    resolver = resolver_for(project, locale, article.id)
    if review is None:
        plain = reviewed = coverage(article, resolver)
    else:
        plain, reviewed = coverages(article, resolver, review.approved_keys)
    blockers = blockers_of(project, article, locale, resolver) \
        if plain.usable < plain.total else ()
    found = []
    for kind, threshold, what in (("pages", config.html_threshold, "a page"),
                                  ("leaflets", config.pdf_threshold, "a leaflet")):
        if gated(project, review, kind):
            found.append(decide(reviewed, threshold, what, review, blockers))
        else:
            found.append(decide(plain, threshold, what, None, blockers))
    return found[0], found[1]


def blockers_of(project: Project, article: Article, locale: str,
                resolver: Resolver | None) -> tuple[Blocker, ...]:
    """Every entry of ``article`` that is not usable in ``locale``: its ``.po`` line and why."""
    if resolver is None:
        return ()
    path = rel(project.config, po_path(project.config, locale, article.id))
    blockers: list[Blocker] = []
    for segment in article.segments:
        verdict = resolver.verdict(segment.context, segment.msgid)
        if verdict.ok:
            continue
        entry = resolver.entries.get(segment.key)
        code = ", ".join(verdict.codes) if verdict.codes else verdict.state.value
        blockers.append(Blocker(path, entry.line if entry is not None else 0, code,
                                segment.msgid, segment.kind.value, segment.critical))
    return tuple(dict.fromkeys(blockers))  # a repeated block is one entry


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
             link_mapper: Callable[[str], LinkMapper], review: ArticleReview | None = None,
             kind: str = "",
             image_mapper: Callable[[str], LinkMapper] | None = None) -> LocalizedArticle:
    """Resolve and render one article in one locale for output ``kind`` ("leaflets", "pages").

    ``review``: the translation's review state; when ``kind`` requires review, only approved
    text is used, and a complete review is stated in the provenance block. ``image_mapper``:
    locale -> the URLs of its images in this output (None leaves image sources as written)."""
    config: Config = project.config
    info: LocaleInfo = locale_info(locale)
    approved = review.approved_keys if review is not None and gated(project, review, kind) \
        else None
    resolver = resolver_for(project, locale, article.id, approved)
    ui = ui_strings(project, locale)
    cov = coverage(article, resolver)
    title = resolver.resolve("title", article.meta.title) if resolver else None
    summary = resolver.resolve("summary", article.meta.summary) if resolver else None
    body = typeset(render_body(article, resolver, config.source_language, ui.gettext,
                               link_mapper(locale),
                               image=image_mapper(locale) if image_mapper is not None else None),
                   locale, config.source_language, info.direction == "rtl")
    catalog = project.catalog(locale, article.id)
    return LocalizedArticle(
        article=article, locale=locale, lang=info.bcp47, direction=info.direction,
        title=title.text if title and title.usable else article.meta.title,
        summary=summary.text if summary and summary.usable else article.meta.summary,
        body_html=body, coverage=cov,
        translated_on="" if resolver is None else translated_on(catalog),
        signoffs=tuple((role, day.isoformat(), who) for role, day, who in review.signoffs())
        if review is not None and review.complete else (),
        review_pending=review is not None and bool(config.require_review)
        and not review.complete,
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


