"""Recording a sign-off: ``polyleaf review approve`` appends an approval to a review record.

An approval binds the reviewer's name, role and the date to the digests of exactly the source
and translation texts approved. It is refused for any selected segment that is not usable
(untranslated, fuzzy, or failing an error-level QA check): nobody signs off on text the build
would not print anyway. A record that cannot be read, or that was tampered with, is never
overwritten: it is evidence, and is reported instead.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from polyleaf.catalog.files import rel
from polyleaf.catalog.project import Project
from polyleaf.errors import Diagnostic, error
from polyleaf.fsutil import build_time
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path, review_path
from polyleaf.qa.usable import State, usable
from polyleaf.review.records import FULL, PARTIAL, Approval, ReviewRecord, make_segment, seal
from polyleaf.review.records import write_record as _write_record
from polyleaf.review.state import ArticleReview, Reviews, SegmentReview, Status, load_reviews

SELECTION_WORDS = ("all", "unreviewed", "changed")
_RANGE = re.compile(r"(\d{1,6})(?:-(\d{1,6}))?")


@dataclass(frozen=True, slots=True)
class Signoff:
    """Who approves, in which role, on which day, and how the review was done."""

    reviewer: str
    role: str
    on: date | None = None  # None: today (SOURCE_DATE_EPOCH when set)
    method: str = "review packet"
    note: str = ""


@dataclass(frozen=True, slots=True)
class ApproveReport:
    """What an approval run wrote, and what it refused."""

    written: tuple[str, ...]
    approved: int  # segments approved, all records together
    diagnostics: tuple[Diagnostic, ...]


def select(review: ArticleReview, selection: str, where: str) -> list[SegmentReview]:
    """The segments named by ``selection``: ``all``, ``unreviewed`` (not approved as they are
    now), ``changed`` (changed since approval) or numbers and ranges (``1-4,9``)."""
    text = selection.strip().lower() or "all"
    if text == "all":
        return list(review.segments)
    if text == "unreviewed":
        return [s for s in review.segments if s.status is not Status.APPROVED]
    if text == "changed":
        return [s for s in review.segments if s.status is Status.CHANGED]
    numbers: set[int] = set()
    for part in text.split(","):
        match = _RANGE.fullmatch(part.strip())
        if match is None:
            raise ValueError(f"{where}: '--segments {selection}' is not a list of segment numbers")
        low = int(match.group(1))
        numbers.update(range(low, int(match.group(2) or low) + 1))
    top = len(review.segments)
    if not numbers or min(numbers) < 1 or max(numbers) > top:
        raise ValueError(f"{where}: segments are numbered 1 to {top}")
    return [s for s in review.segments if s.number in numbers]


def _refusals(project: Project, article_id: str, locale: str,
              chosen: list[SegmentReview]) -> list[Diagnostic]:
    """``review.not-usable`` for every chosen segment the build would not print."""
    config = project.config
    catalog = project.catalog(locale, article_id)
    where = rel(config, po_path(config, locale, article_id))
    info = locale_info(locale)
    problems = []
    for item in chosen:
        verdict = usable(item.entry, info, catalog.nplurals if catalog else None)
        if verdict.ok:
            continue
        why = f"fails QA ({', '.join(verdict.codes)})" if verdict.state is State.QA \
            else f"is {verdict.state.value}"
        problems.append(error(where, item.entry.line if item.entry else 0, "review.not-usable",
                              f"segment {item.number} {why}: it cannot be approved",
                              "fix it ('polyleaf check'), or leave it out with --segments"))
    return problems


def approve_one(project: Project, reviews: Reviews, article_id: str, locale: str,
                signoff: Signoff, selection: str = "all") -> tuple[str, int, list[Diagnostic]]:
    """Approve one article in one locale: (record written or '', segments, diagnostics)."""
    config = project.config
    path = review_path(config, locale, article_id)
    where = rel(config, path)
    article = next((a for a in project.sources.articles if a.id == article_id), None)
    if article is None:
        return "", 0, [error(where, 0, "review.unknown-article", f"no article {article_id!r}",
                             f"known articles: {', '.join(sorted(project.sources.ids))}")]
    stale = [d for d in reviews.diagnostics if d.path == where]
    if stale:
        return "", 0, [*stale, error(where, 0, "review.record", "the review record has problems "
                                     "and is not changed", "restore it from version control "
                                     "first; nothing was approved")]
    review = reviews.article_review(project, article, locale)
    try:
        chosen = select(review, selection, where)
    except ValueError as exc:
        return "", 0, [error(where, 0, "review.segments", str(exc).split(": ", 1)[1],
                             f"use numbers from 'polyleaf review status' or one of "
                             f"{', '.join(SELECTION_WORDS)}")]
    if not chosen:
        return "", 0, []
    if refused := _refusals(project, article_id, locale, chosen):
        return "", 0, refused
    approval = seal(article_id, locale, Approval(
        signoff.reviewer.strip(), signoff.role.strip(), signoff.on or build_time().date(),
        signoff.method, FULL if len(chosen) == len(review.segments) else PARTIAL,
        tuple(make_segment(s.segment.context, s.segment.msgid, s.translation) for s in chosen),
        note=signoff.note))
    old = reviews.record(locale, article_id) or ReviewRecord(article_id, locale)
    _write_record(path, ReviewRecord(article_id, locale, (*old.approvals, approval)))
    return where, len(chosen), []


def record_approvals(project: Project, articles: Iterable[str], locales: Iterable[str],
                     signoff: Signoff, selection: str = "all") -> ApproveReport:
    """Approve each article in each locale; one refusal never stops the others."""
    config = project.config
    problems: list[Diagnostic] = []
    if not signoff.reviewer.strip() or not signoff.role.strip():
        return ApproveReport((), 0, (error(str(config.path.name), 0, "review.reviewer",
                                           "an approval needs a reviewer and a role",
                                           "pass --reviewer NAME --role ROLE"),))
    reviews = load_reviews(project)
    written, count = [], 0
    for locale in locales:
        if locale not in config.locales:
            problems.append(error(config.path.name, 0, "review.locale",
                                  f"{locale!r} is not a target locale of this project",
                                  f"configured: {', '.join(config.locales)}"))
            continue
        for article_id in articles:
            path, approved, found = approve_one(project, reviews, article_id, locale, signoff,
                                                selection)
            problems += found
            count += approved
            written += [path] if path else []
    return ApproveReport(tuple(written), count, tuple(problems))

