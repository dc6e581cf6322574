"""The pure data model: articles, their translatable segments, and localized results.

Everything here is a frozen dataclass with no I/O, so stages can be tested alone and jobs can be
shipped to worker processes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class SegmentKind(StrEnum):
    """What a translatable segment is, as shown to translators in the extracted comment."""

    TITLE = "title"
    SUMMARY = "summary"
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list item"
    QUOTE = "block quote"
    CALLOUT = "call-out"
    TABLE_HEADER = "table header"
    TABLE_CELL = "table cell"
    IMAGE_ALT = "image alt text"
    IMAGE_TITLE = "image title"


@dataclass(frozen=True, slots=True)
class SourceLocation:
    """A place in a source file; lines are 1-based."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True, slots=True)
class Segment:
    """One translatable unit: its msgid is exactly what is looked up when rendering."""

    msgid: str
    kind: SegmentKind
    location: SourceLocation
    context: str | None = None  # msgctxt (front-matter field name), None for body blocks
    heading: str | None = None  # the heading this block sits under
    critical: bool = False  # inside a > [!WARNING] / [!CAUTION] call-out

    @property
    def key(self) -> tuple[str | None, str]:
        """The catalog key: (msgctxt, msgid)."""
        return (self.context, self.msgid)


@dataclass(frozen=True, slots=True)
class Citation:
    """A source the article is based on; its title is not translated."""

    title: str
    url: str


@dataclass(frozen=True, slots=True)
class ArticleMeta:
    """The front matter of an article."""

    id: str
    title: str
    summary: str
    version: str
    reviewed: date
    review_due: date
    audience: str = ""
    sources: tuple[Citation, ...] = ()
    related: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Article:
    """A parsed source article: metadata, Markdown body and its segments in source order."""

    meta: ArticleMeta
    path: str  # project-relative, e.g. source/back-pain.md
    body: str  # the Markdown body, front matter blanked out so token lines are file lines
    segments: tuple[Segment, ...]
    digest: str  # sha256 of the source file bytes
    field_lines: tuple[tuple[str, int], ...] = ()  # front-matter field -> line in the file

    @property
    def id(self) -> str:
        """The article id (also its catalog domain)."""
        return self.meta.id

    def line_of(self, field: str) -> int:
        """The line of a front-matter field (1 when unknown)."""
        return dict(self.field_lines).get(field, 1)


@dataclass(frozen=True, slots=True)
class Resolution:
    """How one segment was resolved for a locale."""

    text: str
    usable: bool  # False: the source text is shown instead
    reason: str = ""  # untranslated, fuzzy, qa:<code>, unreviewed


@dataclass(frozen=True, slots=True)
class Coverage:
    """How much of an article is usable in a locale."""

    total: int
    usable: int
    critical_unusable: tuple[str, ...] = ()  # msgids of critical segments that fell back
    unreviewed: tuple[str, ...] = ()  # msgids usable but not approved (review required)

    @property
    def ratio(self) -> float:
        """Share of usable segments, 1.0 for an empty article."""
        return self.usable / self.total if self.total else 1.0


@dataclass(frozen=True, slots=True)
class Blocker:
    """One entry that holds an output back: where to fix it, and what is wrong with it."""

    path: str  # the catalog (locales/<lang>/LC_MESSAGES/<domain>.po) or the source file
    line: int  # the entry's line (its msgid), 0 when the entry is missing from the catalog
    code: str  # untranslated | fuzzy | the failing QA codes (qa.numbers, ...) | source.*
    msgid: str
    kind: str = ""  # the segment kind: paragraph, heading, ...
    critical: bool = False

    def format(self) -> str:
        """``locales/de/LC_MESSAGES/x.po:42: fuzzy: list item "Eat well."``"""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = self.msgid if len(self.msgid) <= 70 else self.msgid[:69] + "…"
        what = " ".join(w for w in ("critical" if self.critical else "", self.kind) if w)
        return f"{where}: {self.code}: {what} \"{text}\"" if what else f"{where}: {self.code}: \"{text}\""


@dataclass(frozen=True, slots=True)
class LocalizedArticle:
    """An article rendered for one locale: ready for the HTML and PDF templates."""

    article: Article
    locale: str  # gettext code
    lang: str  # BCP 47
    direction: str
    title: str
    summary: str
    body_html: str
    coverage: Coverage
    translated_on: str  # the catalog's PO-Revision-Date, '' for the source language
    # (role, ISO date, reviewer) of the approvals behind a fully reviewed translation
    signoffs: tuple[tuple[str, str, str], ...] = ()
    review_pending: bool = False  # reviews are kept, and this translation's is incomplete
