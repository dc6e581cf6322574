"""The one segment traversal shared by extraction and re-injection.

:func:`walk` visits the translatable inline tokens of a parsed Markdown body in source order and
says what each one is. Extraction turns each visit into a :class:`Segment`; rendering replaces the
same token's content with the translation. Because both use this walk, the msgid that is extracted
is always the msgid that is looked up.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token

from polyleaf.content.model import SegmentKind

CRITICAL_ALERTS = frozenset({"WARNING", "CAUTION"})


def make_parser(*, html: bool = False) -> MarkdownIt:
    """CommonMark + GFM tables + GitHub alerts; raw HTML is text unless ``html``."""
    return MarkdownIt("commonmark", {"alerts": True, "html": html}).enable("table")


PARSER = make_parser()
HTML_PARSER = make_parser(html=True)
_PROBE_NESTING = 60


def lost_to_nesting(body: str, tokens: list[Token]) -> int | None:
    """The first line markdown-it dropped for nesting deeper than its limit, or None.

    markdown-it silently skips blocks nested past ``maxNesting``; a token at the last level it
    keeps is the sign. Only then is the body parsed again with a higher limit, and the first
    paragraph the real parse lost is named."""
    limit = PARSER.options["maxNesting"]
    if not tokens or max(t.level for t in tokens) < limit - 1:
        return None
    kept = {tuple(t.map) for t in tokens if t.type == "inline" and t.map}
    probe = MarkdownIt("commonmark", {"alerts": True, "maxNesting": _PROBE_NESTING}).enable("table")
    try:
        deep = probe.parse(body)
    except RecursionError:
        return 1
    for token in deep:
        if token.type == "inline" and token.map and tuple(token.map) not in kept:
            return token.map[0] + 1
    deepest = [t for t in deep if t.level >= _PROBE_NESTING - 1]
    if deepest:  # even the probe hit its limit: name where the deepest structure begins
        return next((t.map[0] + 1 for t in deepest if t.map), 1)
    return None


@lru_cache(maxsize=256)
def _parsed(body: str) -> tuple[tuple[Token, ...], dict[str, object]]:
    env: dict[str, object] = {}
    return tuple(without_title(PARSER.parse(body, env))), env


def leading_title(tokens: list[Token]) -> Token | None:
    """The inline token of a level-1 heading that opens the body (the title written twice)."""
    if len(tokens) >= 3 and tokens[0].type == "heading_open" and tokens[0].tag == "h1":
        return tokens[1]
    return None


def without_title(tokens: list[Token]) -> list[Token]:
    """The body without a leading ``# Title`` (the front matter's title is the page's h1; the
    heading is neither extracted nor rendered, and ``polyleaf lint`` warns); any later level-1
    heading is shown as a level-2 one, so a page and a leaflet have exactly one h1."""
    if leading_title(tokens) is not None:
        tokens = tokens[3:]
    for token in tokens:
        if token.type in ("heading_open", "heading_close") and token.tag == "h1":
            token.tag = "h2"
    return tokens


def parse_copy(body: str) -> tuple[list[Token], dict[str, object]]:
    """Tokens of ``body``, parsed once per process; the caller gets copies it may modify.

    Block tokens and their attributes are copied; inline children lists are shared, so code
    that changes a child must replace the list (``inject`` does, link rewriting copies first).
    """
    tokens, env = _parsed(body)
    return [t.copy(attrs=dict(t.attrs)) for t in tokens], dict(env)


_HARD_BREAK = re.compile(r"(?: {2,}|\\)\n")


def normalize(text: str) -> str:
    """Collapse whitespace so that reflowing a source paragraph does not change its msgid.

    A hard line break (two trailing spaces or a backslash before the newline) is kept, in its
    visible backslash form, so the translation can keep the ``<br>`` too.
    """
    return "\\\n".join(" ".join(part.split()) for part in _HARD_BREAK.split(text))


@dataclass(frozen=True, slots=True)
class Visit:
    """A translatable inline token found by :func:`walk`."""

    index: int  # index of the inline token in the token list
    kind: SegmentKind
    line: int  # 1-based line in the source file
    heading: str | None
    critical: bool
    image: Token | None = None  # an image-only paragraph's image: its alt text or title
    child: int = 0  # the image's position among the inline token's children


def _image_only(token: Token) -> int | None:
    """The position of the only child that is an image (whitespace aside), else None."""
    found = [k for k, c in enumerate(token.children or [])
             if not (c.type == "text" and not c.content.strip())]
    if len(found) == 1 and (token.children or [])[found[0]].type == "image":
        return found[0]
    return None


def _container_kind(stack: list[str]) -> SegmentKind:
    for entry in reversed(stack):
        if entry.startswith("alert"):
            return SegmentKind.CALLOUT
        if entry == "blockquote":
            return SegmentKind.QUOTE
        if entry == "list_item":
            return SegmentKind.LIST_ITEM
    return SegmentKind.PARAGRAPH


_OPENERS = {"blockquote_open": "blockquote", "list_item_open": "list_item"}
_CLOSERS = {"blockquote_close", "list_item_close", "alert_close"}


def walk(tokens: list[Token]) -> Iterator[Visit]:
    """Yield every translatable inline token of ``tokens`` in source order."""
    stack: list[str] = []
    heading: str | None = None
    line = 1
    for index, token in enumerate(tokens):
        if token.map:
            line = token.map[0] + 1
        if token.type in _OPENERS:
            stack.append(_OPENERS[token.type])
        elif token.type == "alert_open":
            stack.append(f"alert:{token.meta.get('kind', '')}")
        elif token.type in _CLOSERS:
            stack.pop()
        if token.type != "inline" or token.map is None or not token.content.strip():
            continue  # alert titles have no map: they come from the site catalog
        critical = any(s.removeprefix("alert:") in CRITICAL_ALERTS for s in stack if s[:6] == "alert:")
        opener = tokens[index - 1].type
        if opener == "heading_open":
            kind = SegmentKind.HEADING
        elif opener in ("th_open", "td_open"):
            kind = SegmentKind.TABLE_HEADER if opener == "th_open" else SegmentKind.TABLE_CELL
        elif (child := _image_only(token)) is not None:
            image = (token.children or [])[child]
            if image.content.strip():  # no alt text: nothing to translate (lint warns)
                yield Visit(index, SegmentKind.IMAGE_ALT, line, heading, critical, image, child)
            if str(image.attrGet("title") or "").strip():
                yield Visit(index, SegmentKind.IMAGE_TITLE, line, heading, critical, image, child)
            continue
        else:
            kind = _container_kind(stack)
        yield Visit(index, kind, line, heading, critical)
        if kind is SegmentKind.HEADING:
            heading = normalize(token.content)


def segment_text(tokens: list[Token], visit: Visit) -> str:
    """The normalized source text of a visit: the msgid."""
    if visit.kind is SegmentKind.IMAGE_TITLE and visit.image is not None:
        return normalize(str(visit.image.attrGet("title") or ""))
    if visit.image is not None:
        return normalize(visit.image.content)
    return normalize(tokens[visit.index].content)


def writable_image(tokens: list[Token], visit: Visit) -> Token:
    """The visit's image token as a copy the caller may change (copy-on-write: the parsed
    tokens and their children lists are shared, see :func:`parse_copy`)."""
    inline = tokens[visit.index]
    siblings = list(inline.children or [])
    image = siblings[visit.child].copy(attrs=dict(siblings[visit.child].attrs))
    siblings[visit.child] = image
    inline.children = siblings
    return image


def inject(tokens: list[Token], visit: Visit, text: str, env: dict[str, object]) -> None:
    """Replace the visited token's text with ``text`` (parsed as inline Markdown, HTML off;
    an image title is plain text)."""
    if visit.kind is SegmentKind.IMAGE_TITLE:
        writable_image(tokens, visit).attrSet("title", text)
        return
    children = PARSER.parseInline(text, env)[0].children or []
    if visit.image is not None:
        image = writable_image(tokens, visit)
        image.content = text
        image.children = children
        return
    tokens[visit.index].content = text
    tokens[visit.index].children = children


def block_opener(tokens: list[Token], visit: Visit) -> Token:
    """The visible opening token of a visit's block (tight-list paragraphs are hidden)."""
    index = visit.index - 1
    while index > 0 and tokens[index].hidden:
        index -= 1
    return tokens[index]
