"""Apply a locale's catalog to an article: resolve every segment and render the body HTML.

Resolution follows DESIGN "Which translation is used", decided by
:func:`polyleaf.qa.usable.usable` alone; anything that is not usable falls back to the source
text, rendered with the source language's ``lang`` and the ``pl-fallback`` class, and is
counted. Rendering re-parses the source and walks it with
:func:`polyleaf.content.markdown.walk`, the same traversal extraction used, so the looked-up
msgid is exactly the extracted one.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from markdown_it.token import Token

from polyleaf.catalog.pofile import Entry
from polyleaf.content.markdown import (
    PARSER,
    block_opener,
    inject,
    parse_copy,
    segment_text,
    walk,
    writable_image,
)
from polyleaf.content.model import Article, Coverage, Resolution, Segment
from polyleaf.i18n import LocaleInfo, to_bcp47
from polyleaf.qa.usable import Usability, usable

CALLOUT_TITLES = {"NOTE": "Note", "TIP": "Tip", "IMPORTANT": "Important", "WARNING": "Warning",
                  "CAUTION": "Caution"}
FALLBACK_CLASS = "pl-fallback"
UNREVIEWED = "unreviewed"  # usable, but not approved as it is now (review required)

Gettext = Callable[[str], str]
LinkMapper = Callable[[str], str]


@dataclass(frozen=True, slots=True)
class Resolver:
    """Looks segments up in one locale's catalog of one article."""

    entries: Mapping[tuple[str | None, str], Entry]
    locale: LocaleInfo
    nplurals: int | None = None  # the catalog's own Plural-Forms count
    approved: frozenset[tuple[str | None, str]] | None = None  # None: no review required

    def verdict(self, context: str | None, msgid: str) -> Usability:
        """What :func:`polyleaf.qa.usable.usable` says of the entry for this segment."""
        return usable(self.entries.get((context, msgid)), self.locale, self.nplurals)

    def resolve(self, context: str | None, msgid: str) -> Resolution:
        """Return the usable translation or the source text with the reason it fell back."""
        verdict = self.verdict(context, msgid)
        if verdict.ok and self.approved is not None and (context, msgid) not in self.approved:
            return Resolution(msgid, False, UNREVIEWED)
        if verdict.ok:
            return Resolution(self.entries[(context, msgid)].msgstr, True)
        return Resolution(msgid, False, verdict.state.value)


@dataclass(frozen=True, slots=True)
class RenderedBody:
    """The body HTML and how much of it is translated."""

    html: str
    coverage: Coverage
    fallbacks: tuple[tuple[Segment | None, str, str], ...]  # (segment, msgid, reason)


def coverage(article: Article, resolver: Resolver | None) -> Coverage:
    """Count usable segments (front matter included) without rendering."""
    if resolver is None:
        return Coverage(len(article.segments), len(article.segments))
    usable = 0
    critical: list[str] = []
    unreviewed: list[str] = []
    for segment in article.segments:
        result = resolver.resolve(segment.context, segment.msgid)
        if result.usable:
            usable += 1
            continue
        if segment.critical:
            critical.append(segment.msgid)
        if result.reason == UNREVIEWED:
            unreviewed.append(segment.msgid)
    return Coverage(len(article.segments), usable, tuple(critical), tuple(unreviewed))


def coverages(article: Article, resolver: Resolver | None,
              approved: frozenset[tuple[str | None, str]]) -> tuple[Coverage, Coverage]:
    """(coverage, coverage when only ``approved`` keys may be used), each segment resolved once:
    the same counts as :func:`coverage` with and without ``Resolver.approved``."""
    if resolver is None:
        return coverage(article, None), coverage(article, None)
    verdicts: dict[tuple[str | None, str], bool] = {}
    usable = reviewed = 0
    critical: list[str] = []
    gated_critical: list[str] = []
    unreviewed: list[str] = []
    for segment in article.segments:
        key = segment.key
        if key not in verdicts:
            verdicts[key] = resolver.resolve(segment.context, segment.msgid).usable
        ok, approved_now = verdicts[key], key in approved
        usable += ok
        reviewed += ok and approved_now
        if ok and not approved_now:
            unreviewed.append(segment.msgid)
        if segment.critical and not ok:
            critical.append(segment.msgid)
        if segment.critical and not (ok and approved_now):
            gated_critical.append(segment.msgid)
    total = len(article.segments)
    return (Coverage(total, usable, tuple(critical)),
            Coverage(total, reviewed, tuple(gated_critical), tuple(unreviewed)))


def render_body(article: Article, resolver: Resolver | None, source_lang: str,
                gettext: Gettext, link: LinkMapper, preview_po: str | None = None,
                image: LinkMapper | None = None) -> str:
    """The article body as HTML in the resolver's locale (None: the source language).

    ``image`` maps an image's source (``diary.png``) to its URL in this output (the site's
    hashed copy, or the file itself for a leaflet). ``preview_po`` (the preview server only,
    never the build): the catalog's path; every block that falls back also gets ``data-pl-*``
    attributes and a ``title`` naming the reason, the msgid and ``path:line`` of its entry."""
    tokens, env = parse_copy(article.body)
    for visit in walk(tokens):
        if resolver is None:
            continue
        result = resolver.resolve(None, segment_text(tokens, visit))
        if result.usable:
            inject(tokens, visit, result.text, env)
        elif visit.image is None:
            opener = block_opener(tokens, visit)
            opener.attrSet("lang", to_bcp47(source_lang))  # en_GB -> en-GB
            opener.attrSet("class", _join_class(opener.attrGet("class"), FALLBACK_CLASS))
        if preview_po is not None and not result.usable:
            target = writable_image(tokens, visit) if visit.image is not None \
                else block_opener(tokens, visit)
            _mark_preview(target, resolver, segment_text(tokens, visit), result.reason,
                          preview_po)
    _localize_tokens(tokens, gettext, link, image)
    return str(PARSER.renderer.render(tokens, PARSER.options, env))


def _mark_preview(token: Token, resolver: Resolver, msgid: str, reason: str, po: str) -> None:
    entry = resolver.entries.get((None, msgid))
    where = f"{po}:{entry.line}" if entry is not None and entry.line else po
    token.attrSet("data-pl-reason", reason)
    token.attrSet("data-pl-msgid", msgid)
    token.attrSet("data-pl-po", where)
    token.attrSet("title", f"{reason} · {where}\nmsgid: {msgid}")


def _join_class(existing: object, extra: str) -> str:
    return f"{existing} {extra}" if existing else extra


def _localize_tokens(tokens: list[Token], gettext: Gettext, link: LinkMapper,
                     image: LinkMapper | None) -> None:
    """Translate call-out titles, map article-id links to localized URLs and image sources to
    the output's copies."""
    for index, token in enumerate(tokens):
        if token.type == "alert_open":
            kind = str(token.meta.get("kind", "NOTE"))
            title = tokens[index + 2]
            title.content = gettext(CALLOUT_TITLES.get(kind, kind.title()))
            title.children = PARSER.parseInline(title.content, {})[0].children
            token.attrSet("role", "note")
            token.attrSet("class", f"callout callout-{kind.lower()}")
        if token.type == "alert_title_open":
            token.attrSet("class", "callout-title")
        if any(child.type in ("link_open", "image") for child in token.children or ()):
            token.children = [c.copy(attrs=dict(c.attrs)) for c in token.children or ()]
            for child in token.children:
                if child.type == "link_open":
                    child.attrSet("href", link(str(child.attrGet("href") or "")))
                elif child.type == "image" and image is not None:
                    child.attrSet("src", image(str(child.attrGet("src") or "")))
