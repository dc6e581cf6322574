"""The review packet: what a reviewer reads, marks and signs, as printable HTML and PDF.

One packet per article and locale, ``build/review/<bcp47>/<article>-review.{html,pdf}`` (never
under ``build/site``: it is not for publishing). For every numbered segment: the source, the
translation, the back-translation if there is one, the QA findings, its review state and, when
it changed since its last approval, a word diff of what changed (source and translation); then
a sign-off block. Texts are shown exactly as approved, Markdown markers included, so what the
reviewer signs is what the record binds. Uses ``templates/review_packet.html``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from polyleaf.catalog.files import rel
from polyleaf.catalog.project import Project
from polyleaf.content.model import Article
from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.fsutil import build_time, write_atomic
from polyleaf.i18n import locale_info
from polyleaf.qa.checks import check_entry
from polyleaf.render.fontcheck import missing_glyph_diagnostic
from polyleaf.render.html import date_formatter, render
from polyleaf.render.pdf import render_pdf
from polyleaf.review.approve import select
from polyleaf.review.backtranslation import read_back_translations
from polyleaf.review.records import segment_digest
from polyleaf.review.state import Reviews, SegmentReview, Status, entry_translation
from polyleaf.review.worddiff import Change, word_diff

TEMPLATE = "review_packet.html"


@dataclass(frozen=True, slots=True)
class PacketReport:
    """What ``polyleaf review packet`` wrote and found."""

    written: tuple[str, ...]
    diagnostics: tuple[Diagnostic, ...]


def packet_dir(project: Project, locale: str) -> Path:
    """``build/review/<bcp47>/``."""
    return project.config.build_dir / "review" / locale_info(locale).bcp47


def _diff(old: str, new: str) -> list[Change] | None:
    return word_diff(old, new) if old != new else None


def _segment(item: SegmentReview, locale: str, nplurals: int | None,
             back: dict[Any, Any]) -> dict[str, Any]:
    info = locale_info(locale)
    entry, segment = item.entry, item.segment
    translation = entry_translation(entry)
    findings = [] if entry is None else [
        {"level": f.level.value, "code": f.code, "message": f.message}
        for f in check_entry(entry, info, nplurals)]
    if entry is None or not translation:
        findings.insert(0, {"level": "error", "code": "untranslated",
                            "message": "not translated: cannot be approved"})
    elif entry.fuzzy:
        findings.insert(0, {"level": "error", "code": "fuzzy",
                            "message": "marked fuzzy: the translator has to confirm it first"})
    previous = item.previous
    approval = item.approval
    return {
        "number": item.number, "kind": segment.kind.value, "critical": segment.critical,
        "context": segment.context, "status": item.status.value,
        "status_class": item.status.name.lower(), "source": segment.msgid,
        "translation": translation, "back": back.get((segment.context, translation)),
        "findings": findings,
        "digest": segment_digest(segment.context, segment.msgid, translation)[:12],
        "approval": None if approval is None else {
            "reviewer": approval.reviewer, "role": approval.role,
            "date": approval.date.isoformat()},
        "source_diff": _diff(previous.source, segment.msgid) if previous else None,
        "translation_diff": _diff(previous.translation, translation) if previous else None,
    }


def packet_context(project: Project, reviews: Reviews, article: Article, locale: str,
                   selection: str = "all") -> dict[str, Any]:
    """Everything ``review_packet.html`` needs for one article in one locale."""
    config = project.config
    review = reviews.article_review(project, article, locale)
    chosen = select(review, selection, rel(config, config.path))
    catalog = project.catalog(locale, article.id)
    back, _ = read_back_translations(project, article, locale)
    target, source = locale_info(locale), locale_info(config.source_language)
    title = next((s.translation for s in review.segments if s.segment.context == "title"), "")
    return {
        "project": config.name, "organisation": config.organisation.name,
        "article": {"id": article.id, "version": article.meta.version,
                    "title": article.meta.title, "translated_title": title,
                    "reviewed": article.meta.reviewed.isoformat()},
        "target": {"lang": target.bcp47, "dir": target.direction, "name": target.endonym,
                   "english": target.english_name, "code": locale},
        "source": {"lang": source.bcp47, "dir": source.direction, "name": source.endonym},
        "generated": build_time().date().isoformat(),
        "counts": {status.value: review.count(status) for status in Status},
        "total": len(review.segments), "shown": len(chosen), "selection": selection,
        "signoffs": [{"role": r, "date": d.isoformat(), "reviewer": w}
                     for r, d, w in review.signoffs()],
        "segments": [_segment(item, locale, catalog.nplurals if catalog else None, dict(back))
                     for item in chosen],
        "format_date": date_formatter(config.source_language),
        "approve_command": f"polyleaf review approve {article.id} --locale {locale} "
                           "--reviewer NAME --role ROLE",
    }


def render_packet(project: Project, reviews: Reviews, article: Article, locale: str,
                  selection: str = "all", pdf: bool = True) -> list[str]:
    """Write the packet's HTML (and PDF) into ``build/review/``; return the paths written."""
    config = project.config
    html = render(config.templates_dir, TEMPLATE,
                  packet_context(project, reviews, article, locale, selection))
    folder = packet_dir(project, locale)
    html_path = folder / f"{article.id}-review.html"
    write_atomic(html_path, html.encode("utf-8"))
    written = [rel(config, html_path)]
    if pdf:
        result = render_pdf(html, config.root, config.pdf_standard)
        if result.missing_glyphs:
            raise PolyleafError(missing_glyph_diagnostic(rel(config, html_path),
                                                         locale_info(locale).bcp47,
                                                         result.missing_glyphs))
        pdf_path = folder / f"{article.id}-review.pdf"
        write_atomic(pdf_path, result.data)
        written.append(rel(config, pdf_path))
    return written


def write_packets(project: Project, reviews: Reviews, articles: Iterable[str],
                  locales: Iterable[str], selection: str = "all",
                  pdf: bool = True) -> PacketReport:
    """One packet per article and locale; one failure never stops the others."""
    config = project.config
    wanted = set(articles)
    written: list[str] = []
    problems: list[Diagnostic] = list(reviews.diagnostics)
    for locale in tuple(locales) or config.locales:
        if locale not in config.locales:
            problems.append(error(config.path.name, 0, "review.locale",
                                  f"{locale!r} is not a target locale of this project",
                                  f"configured: {', '.join(config.locales)}"))
            continue
        for article in project.sources.articles:
            if wanted and article.id not in wanted:
                continue
            try:
                written += render_packet(project, reviews, article, locale, selection, pdf)
            except ValueError as exc:
                problems.append(error(config.path.name, 0, "review.segments", str(exc),
                                      "use numbers from 'polyleaf review status'"))
            except PolyleafError as exc:
                problems += exc.diagnostics
    unknown = sorted(wanted - project.sources.ids)
    problems += [error(config.path.name, 0, "review.unknown-article", f"no article {name!r}",
                       f"known articles: {', '.join(sorted(project.sources.ids))}")
                 for name in unknown]
    return PacketReport(tuple(written), tuple(problems))
