"""Read ``source/*.md`` (YAML front matter + CommonMark) into :class:`Article` objects.

This module owns the source format: required front-matter fields, their types, raw-HTML refusal,
and the extraction of segments through :func:`polyleaf.content.markdown.walk`. Every problem becomes a
diagnostic with the file and line; one bad article never stops the others.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from polyleaf.content.frontmatter import key_lines, load_front
from polyleaf.content.images import check_images
from polyleaf.content.markdown import (
    HTML_PARSER,
    PARSER,
    lost_to_nesting,
    normalize,
    parse_copy,
    segment_text,
    walk,
)
from polyleaf.content.model import Article, ArticleMeta, Citation, Segment, SegmentKind, SourceLocation
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error, warning
from polyleaf.fsutil import leaves

REQUIRED = ("id", "title", "summary", "version", "reviewed", "review_due")
OPTIONAL = ("audience", "sources", "related")
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_ID_LENGTH = 100  # ids name files (<id>.po, <id>-a4-large.pdf): keep well under NAME_MAX
MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True, slots=True)
class SourceSet:
    """All articles that loaded, and the diagnostics of all that did not."""

    articles: tuple[Article, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ids(self) -> frozenset[str]:
        """Every known article id."""
        return frozenset(a.id for a in self.articles)


Parse = Callable[[Path, str], tuple[Article, list[Diagnostic]]]


def read_article(path: Path, rel: str) -> tuple[Article, list[Diagnostic]]:
    """Read and parse one article file (raises :class:`PolyleafError` when it cannot be used)."""
    return parse_article(read_source(path, rel), rel)


def load_sources(source_dir: Path, root: Path, parse: Parse = read_article) -> SourceSet:
    """Parse every ``*.md`` in ``source_dir`` (sorted); check ids are unique and links resolve.

    ``parse``: how one file becomes an article (the build passes a cached :func:`read_article`)."""
    articles: list[Article] = []
    problems: list[Diagnostic] = []
    inside, outside = leaves(source_dir, "*.md", root)
    problems.extend(error(p.relative_to(root).as_posix(), 0, "fs.outside-project",
                          "this is a link to a file outside the project; not read",
                          "copy the article into the project instead of linking to it")
                    for p in outside)
    for path in inside:
        rel = path.relative_to(root).as_posix()
        try:
            article, found = parse(path, rel)
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
            continue
        problems.extend(found)
        articles.append(article)
    articles, dup_problems = _drop_duplicates(articles)
    problems.extend(dup_problems)
    ids = frozenset(a.id for a in articles)
    rel_dir = source_dir.relative_to(root).as_posix() if source_dir.is_relative_to(root) \
        else source_dir.as_posix()
    for article in articles:
        problems.extend(check_links(article, ids))
        problems.extend(check_images(article, source_dir, rel_dir))
    return SourceSet(tuple(articles), tuple(problems))


def _too_large(rel: str, size: int) -> PolyleafError:
    return PolyleafError(error(rel, 1, "source.too-large", f"file is {size:,} bytes; the limit is "
                               f"{MAX_SOURCE_BYTES:,}", "split it into several articles"))


def read_source(path: Path, rel: str) -> bytes:
    """The file's bytes; an oversized file is refused before it is read."""
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            raise _too_large(rel, size)
        return path.read_bytes()
    except OSError as exc:
        raise PolyleafError(os_error(rel, exc)) from None


def _drop_duplicates(articles: list[Article]) -> tuple[list[Article], list[Diagnostic]]:
    seen: dict[str, Article] = {}
    problems = []
    for article in articles:
        if article.id in seen:
            problems.append(error(article.path, article.line_of("id"), "source.duplicate-id",
                                  f"article id '{article.id}' is already used by {seen[article.id].path}",
                                  "give each article a unique id; this one is skipped"))
            continue
        seen[article.id] = article
    return list(seen.values()), problems


def parse_article(data: bytes, rel: str) -> tuple[Article, list[Diagnostic]]:
    """Parse one source file; raise :class:`PolyleafError` when it cannot be used."""
    if len(data) > MAX_SOURCE_BYTES:
        raise _too_large(rel, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolyleafError(error(rel, data[: exc.start].count(b"\n") + 1, "source.encoding",
                                  "file is not valid UTF-8", "save it as UTF-8")) from None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front, body, body_line = split_front_matter(text, rel)
    meta, problems = parse_meta(front, rel)
    html = list(dict.fromkeys(  # one diagnostic per line, however many tags it holds
        error(rel, (t.map[0] + 1) if t.map else body_line, "source.raw-html",
              "raw HTML is not allowed in sources", "use Markdown only; HTML is not translatable")
        for t in _html_tokens(body)))
    if html:
        raise PolyleafError(*html)
    tokens, _ = parse_copy(body)
    lost = lost_to_nesting(body, tokens)
    if lost is not None:
        raise PolyleafError(error(rel, lost, "source.too-deep",
                                  "text nested this deeply (lists, quotes) would be dropped from "
                                  "the catalog, the page and the leaflet",
                                  "flatten the structure: at most 9 list levels or 19 quote "
                                  "levels"))
    segments = [*_meta_segments(meta, front, rel), *_body_segments(tokens, rel)]
    if not any(s.kind not in (SegmentKind.TITLE, SegmentKind.SUMMARY) for s in segments):
        raise PolyleafError(error(rel, body_line, "source.empty-body", "the article has no body text",
                                  "write the article below the front matter"))
    digest = hashlib.sha256(data).hexdigest()
    lines = tuple(sorted(key_lines(front).items(), key=lambda item: item[1]))
    return Article(meta, rel, body, tuple(segments), digest, lines), problems


def split_front_matter(text: str, rel: str) -> tuple[str, str, int]:
    """Return (front matter, body with front-matter lines blanked, first body line)."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise PolyleafError(error(rel, 1, "source.front-matter", "missing YAML front matter",
                                  "start the file with a '---' line, the fields, and '---'"))
    for end in range(1, len(lines)):
        if lines[end].strip() in ("---", "..."):
            front = "\n".join(lines[1:end])
            body = "\n" * (end + 1) + "\n".join(lines[end + 1:])
            return front, body, end + 2
    raise PolyleafError(error(rel, 1, "source.front-matter", "front matter is not closed",
                              "add a '---' line after the last field"))


def _html_tokens(body: str) -> Iterable[Any]:
    for token in HTML_PARSER.parse(body):
        if token.type == "html_block":
            yield token
        for child in token.children or ():
            if child.type == "html_inline":
                child.map = token.map
                yield child


def parse_meta(front: str, rel: str) -> tuple[ArticleMeta, list[Diagnostic]]:
    """Validate the front matter; raise on errors, return warnings."""
    data, lines = load_front(front, rel)
    if not isinstance(data, dict):
        raise PolyleafError(error(rel, 2, "source.front-matter", "front matter is not a mapping",
                                  "write one 'field: value' per line"))
    errors: list[Diagnostic] = []
    problems: list[Diagnostic] = []
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            errors.append(error(rel, 1, "source.missing-field", f"required field '{key}' is missing",
                                f"add '{key}:' to the front matter"))
    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(warning(rel, lines.get(str(key), 1), "source.unknown-field",
                                    f"unknown front-matter field '{key}' is ignored",
                                    f"known fields: {', '.join(REQUIRED + OPTIONAL)}"))
    if errors:
        raise PolyleafError(*errors)
    meta = _build_meta(data, rel, lines)
    return meta, problems


def _date(data: dict[str, Any], key: str, rel: str, lines: dict[str, int]) -> date:
    value = data[key]
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise PolyleafError(error(rel, lines.get(key, 1), "source.bad-date",
                                  f"'{key}' is not a date: {value!r}",
                                  "write dates as YYYY-MM-DD, e.g. 2026-11-01")) from None


def _build_meta(data: dict[str, Any], rel: str, lines: dict[str, int]) -> ArticleMeta:
    article_id = str(data["id"])
    if not ID_PATTERN.fullmatch(article_id) or len(article_id) > MAX_ID_LENGTH:
        shown = article_id if len(article_id) <= 60 else article_id[:60] + "…"
        raise PolyleafError(error(rel, lines.get("id", 1), "source.bad-id",
                                  f"id {shown!r} is not a lowercase slug of at most "
                                  f"{MAX_ID_LENGTH} characters",
                                  "use lowercase letters, digits and hyphens, e.g. back-pain"))
    sources = data.get("sources") or []
    related = data.get("related") or []
    if not isinstance(sources, list) or not all(
            isinstance(s, dict) and s.get("title") and s.get("url") for s in sources):
        raise PolyleafError(error(rel, lines.get("sources", 1), "source.bad-field",
                                  "'sources' must be a list of {title, url}",
                                  "write '- title: ...' and '  url: ...' for each source"))
    if not isinstance(related, list):
        raise PolyleafError(error(rel, lines.get("related", 1), "source.bad-field",
                                  "'related' must be a list of article ids", "write '- other-id'"))
    return ArticleMeta(
        id=article_id, title=normalize(str(data["title"])), summary=normalize(str(data["summary"])),
        version=str(data["version"]), reviewed=_date(data, "reviewed", rel, lines),
        review_due=_date(data, "review_due", rel, lines),
        audience=normalize(str(data.get("audience") or "")),
        sources=tuple(Citation(str(s["title"]), str(s["url"])) for s in sources),
        related=tuple(str(r) for r in related),
    )


def _meta_segments(meta: ArticleMeta, front: str, rel: str) -> list[Segment]:
    lines = key_lines(front)
    return [Segment(getattr(meta, field), kind, SourceLocation(rel, lines.get(field, 1)), field)
            for field, kind in (("title", SegmentKind.TITLE), ("summary", SegmentKind.SUMMARY))]


def _body_segments(tokens: list[Any], rel: str) -> list[Segment]:
    return [Segment(segment_text(tokens, v), v.kind, SourceLocation(rel, v.line), None, v.heading,
                    v.critical) for v in walk(tokens)]


def check_review_dates(articles: Iterable[Article], today: date,
                       strict: bool = False) -> list[Diagnostic]:
    """Articles whose review is overdue: a warning (an error with ``strict``)."""
    found = []
    for article in articles:
        if article.meta.review_due < today:
            make = error if strict else warning
            found.append(make(article.path, article.line_of("review_due"), "source.review-overdue",
                              f"medical review was due on {article.meta.review_due.isoformat()}",
                              "have the article reviewed, then update 'reviewed' and "
                              "'review_due'"))
    return found


def check_links(article: Article, ids: frozenset[str]) -> list[Diagnostic]:
    """Links by article id must name a known article; relative paths are not allowed."""
    problems = []
    for related in article.meta.related:
        if related not in ids:
            problems.append(warning(article.path, 1, "source.unknown-article",
                                    f"related article '{related}' does not exist",
                                    _close_id(related, ids)))
    for href, line in link_targets(article.body):
        target = href.split("#", 1)[0]
        if ":" not in target and not href.startswith("#") and target not in ids:
            problems.append(warning(article.path, line, "source.unknown-article",
                                    f"link target '{href}' is not a known article id",
                                    _close_id(target, ids)))
    return problems


_LINKS: dict[str, tuple[tuple[str, int], ...]] = {}  # body -> its links, parsed once


def link_targets(body: str) -> tuple[tuple[str, int], ...]:
    """(href, line) of every link in an article body (each body parsed once per process)."""
    found = _LINKS.get(body)
    if found is None:
        links = []
        for token in PARSER.parse(body):
            for child in token.children or ():
                href = str(child.attrGet("href") or "") if child.type == "link_open" else ""
                if href:
                    links.append((href, token.map[0] + 1 if token.map else 1))
        found = _LINKS[body] = tuple(links)
    return found


def remember_links(body: str, links: tuple[tuple[str, int], ...]) -> None:
    """Seed :func:`link_targets` with what a build cache kept for this exact body."""
    _LINKS[body] = links


def _close_id(word: str, ids: frozenset[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, sorted(ids), n=1)
    return f"did you mean '{close[0]}'?" if close else "link to an article by its id"
