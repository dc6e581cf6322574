"""Which segments of an article are approved in a locale, which changed since, which never were.

A segment is **approved** when the latest approval naming its catalog key approved exactly the
text the catalog holds now (same context, source and translation: equal digests). It is
**changed since approval** when an earlier text of it was approved: the same key with another
translation, or an entry whose source was edited (found by ``#| msgid``, or as the closest
approved source no longer in the article). Everything else was **never reviewed**. Reflowing a
source or a catalog, or adding unrelated entries, changes no digest: approvals survive them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from rapidfuzz import fuzz, process

from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Entry
from polyleaf.catalog.project import Project
from polyleaf.config import Config
from polyleaf.content.model import Article, Segment
from polyleaf.errors import Diagnostic, warning
from polyleaf.linear import FUZZY_LONGEST
from polyleaf.paths import REVIEW_DIR, review_path
from polyleaf.review.records import Approval, ApprovedSegment, Key, ReviewRecord, read_record

SIMILAR = 60  # rapidfuzz ratio from which an edited source is taken for the approved one


class Status(StrEnum):
    """The review state of one segment."""

    APPROVED = "approved"
    CHANGED = "changed since approval"
    NEVER = "never reviewed"


def entry_translation(entry: Entry | None) -> str:
    """The translation text a reviewer approves (plural forms one per line)."""
    if entry is None:
        return ""
    return "\n".join(entry.msgstr_plural) if entry.msgid_plural is not None else entry.msgstr


@dataclass(frozen=True, slots=True)
class SegmentReview:
    """One numbered segment of an article and its review state in one locale."""

    number: int  # 1-based, in source order; identical blocks share one number
    segment: Segment
    entry: Entry | None
    status: Status
    approval: Approval | None = None  # the approval covering it (approved) or its old text
    previous: ApprovedSegment | None = None  # what was approved before (changed)

    @property
    def key(self) -> Key:
        """The catalog key of the segment."""
        return self.segment.key

    @property
    def translation(self) -> str:
        """The current translation text ('' when untranslated)."""
        return entry_translation(self.entry)


@dataclass(frozen=True, slots=True)
class ArticleReview:
    """The review state of every segment of one article in one locale."""

    article: str
    locale: str
    segments: tuple[SegmentReview, ...]
    record: ReviewRecord | None = None

    @property
    def approved_keys(self) -> frozenset[Key]:
        """Keys whose current text is approved."""
        return frozenset(s.key for s in self.segments if s.status is Status.APPROVED)

    @property
    def complete(self) -> bool:
        """Every segment approved as it is now."""
        return all(s.status is Status.APPROVED for s in self.segments)

    def count(self, status: Status) -> int:
        """How many segments are in ``status``."""
        return sum(1 for s in self.segments if s.status is status)

    def signoffs(self) -> tuple[tuple[str, date, str], ...]:
        """(role, date, reviewer), latest first, one per role: every role whose approvals
        together cover today's text of every approved segment (a linguist and a clinician who
        both reviewed it all are both named); when no role covers it all, the role of each
        segment's current approval."""
        current = {s.key: s.translation for s in self.segments if s.status is Status.APPROVED}
        covered: dict[str, set[Key]] = {}
        latest: dict[str, tuple[str, date, str]] = {}
        for approval in self.record.approvals if self.record else ():
            keys = {a.key for a in approval.segments if current.get(a.key) == a.translation}
            if not keys:
                continue
            covered.setdefault(approval.role, set()).update(keys)
            if approval.role not in latest or latest[approval.role][1] <= approval.date:
                latest[approval.role] = (approval.role, approval.date, approval.reviewer)
        whole = [role for role, keys in covered.items() if keys >= set(current)]
        if not whole:
            whole = sorted({s.approval.role for s in self.segments
                            if s.status is Status.APPROVED and s.approval is not None})
        return tuple(sorted((latest[r] for r in whole), key=lambda s: (s[1], s[0]), reverse=True))


def numbered_segments(article: Article) -> list[tuple[int, Segment]]:
    """The article's segments with their review numbers (one per catalog key)."""
    seen: dict[Key, int] = {}
    for segment in article.segments:
        seen.setdefault(segment.key, len(seen) + 1)
    first: dict[Key, Segment] = {}
    for segment in article.segments:
        first.setdefault(segment.key, segment)
    return [(number, first[key]) for key, number in seen.items()]


def _latest(record: ReviewRecord | None) -> dict[Key, tuple[Approval, ApprovedSegment]]:
    """Key -> the latest approval naming it, with what it approved."""
    found: dict[Key, tuple[Approval, ApprovedSegment]] = {}
    for approval in record.approvals if record else ():
        for item in approval.segments:
            found[item.key] = (approval, item)
    return found


def review_article(article: Article, locale: str, entries: Mapping[Key, Entry],
                   record: ReviewRecord | None) -> ArticleReview:
    """The state of every segment of ``article`` against ``record``."""
    latest = _latest(record)
    numbered = numbered_segments(article)
    current = {segment.key for _, segment in numbered}
    orphans = {key: value for key, value in latest.items() if key not in current}
    items = []
    for number, segment in numbered:
        entry = entries.get(segment.key)
        approved = latest.get(segment.key)
        if approved is None:
            approved = _edited_from(segment, entry, orphans)
        if approved is None:
            items.append(SegmentReview(number, segment, entry, Status.NEVER))
            continue
        approval, old = approved
        same = (old.key == segment.key and entry is not None and not entry.fuzzy
                and old.translation == entry_translation(entry))
        items.append(SegmentReview(number, segment, entry,
                                   Status.APPROVED if same else Status.CHANGED, approval,
                                   None if same else old))
    return ArticleReview(article.id, locale, tuple(items), record)


def _edited_from(segment: Segment, entry: Entry | None,
                 orphans: Mapping[Key, tuple[Approval, ApprovedSegment]]
                 ) -> tuple[Approval, ApprovedSegment] | None:
    """The approval of this segment's earlier source text, if it can be told."""
    if not orphans:
        return None
    if entry is not None and entry.previous_msgid is not None:
        previous = orphans.get((entry.previous_msgctxt, entry.previous_msgid))
        if previous is not None:
            return previous
    if len(segment.msgid) > FUZZY_LONGEST:  # too long to score: exact matches only
        return None
    same_context = {key[1]: key for key in orphans
                    if key[0] == segment.context and len(key[1]) <= FUZZY_LONGEST}
    match = process.extractOne(segment.msgid, list(same_context), scorer=fuzz.ratio,
                               score_cutoff=SIMILAR)
    return orphans[same_context[match[0]]] if match else None


@dataclass(frozen=True, slots=True)
class Reviews:
    """Every readable review record of a project, and the problems found reading them.

    Made by :func:`load_reviews` (all records read, problems collected) or by
    :func:`lazy_reviews` (each record read on first use: a build worker needs only its own)."""

    records: dict[tuple[str, str], ReviewRecord | None]  # (locale, article) -> record
    diagnostics: tuple[Diagnostic, ...] = ()
    lazy: Config | None = None  # set: read records on first use

    def record(self, locale: str, article: str) -> ReviewRecord | None:
        """The record of one article in one locale (None: never reviewed)."""
        key = (locale, article)
        if self.lazy is not None and key not in self.records:
            path = review_path(self.lazy, locale, article)
            self.records[key] = read_record(path, rel(self.lazy, path), article, locale)[0]
        return self.records.get(key)

    def article_review(self, project: Project, article: Article, locale: str) -> ArticleReview:
        """The state of ``article`` in ``locale`` against the project's catalogs."""
        catalog = project.catalog(locale, article.id)
        entries = {e.key: e for e in catalog.live} if catalog else {}
        return review_article(article, locale, entries, self.record(locale, article.id))


def load_reviews(project: Project) -> Reviews:
    """Read every review record of the configured locales; problems become diagnostics."""
    config = project.config
    records: dict[tuple[str, str], ReviewRecord | None] = {}
    problems: list[Diagnostic] = []
    ids = project.sources.ids
    for locale in config.locales:
        for article in project.sources.articles:
            path = review_path(config, locale, article.id)
            record, found = read_record(path, rel(config, path), article.id, locale)
            problems += found
            if record is not None:
                records[(locale, article.id)] = record
        folder = config.locales_dir / locale / REVIEW_DIR
        for path in sorted(folder.glob("*.toml")) if folder.is_dir() else ():
            if path.stem not in ids:
                problems.append(warning(rel(config, path), 0, "review.orphan",
                                        f"a review record for {path.stem!r}, which is no article",
                                        "delete it if the article was removed, or rename it"))
    return Reviews(records, tuple(problems))


def lazy_reviews(project: Project) -> Reviews:
    """Reviews that read each record when first asked for (diagnostics are not collected)."""
    return Reviews({}, (), project.config)


def project_review(project: Project, reviews: Reviews, locales: tuple[str, ...] = (),
                   articles: tuple[str, ...] = ()) -> list[ArticleReview]:
    """The review state of every article (or those named) in every locale (or those named)."""
    return [reviews.article_review(project, article, locale)
            for locale in locales or project.config.locales
            for article in project.sources.articles if not articles or article.id in articles]


def status_json(items: list[ArticleReview]) -> str:
    """``polyleaf review status --format json``: counts, sign-offs and open segments."""
    rows = []
    for item in items:
        rows.append({
            "article": item.article, "locale": item.locale, "segments": len(item.segments),
            **{status.name.lower(): item.count(status) for status in Status},
            "complete": item.complete,
            "signoffs": [{"role": r, "date": d.isoformat(), "reviewer": w}
                         for r, d, w in item.signoffs()],
            "open": [{"number": s.number, "status": s.status.value, "context": s.segment.context,
                      "msgid": s.segment.msgid}
                     for s in item.segments if s.status is not Status.APPROVED]})
    return json.dumps(rows, ensure_ascii=False, indent=2)
