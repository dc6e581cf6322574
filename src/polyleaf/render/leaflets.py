"""Leaflet rendering: the leaflet template's context, and HTML -> PDF for one variant.

Variants come from config (``a4``, ``letter``, ``a4-large``, ``bilingual``); each is its own PDF
``build/leaflets/<bcp47>/<id>-<variant>.pdf``. This module owns what a leaflet *says* and the
checks that make it trustworthy: "page x of y" in the locale's digits, the urgent-care advice
lifted to page 1, the page margins that make the text block the measure, the bilingual pairing
of blocks, and the font checks of :mod:`polyleaf.render.fontcheck` (a missing glyph or a font
fontconfig picked on its own fails the leaflet with a diagnostic, never a PDF with empty boxes).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from typing import Any

import segno
from babel import Locale
from babel.numbers import format_decimal
from markupsafe import Markup, escape

from polyleaf.catalog.project import Project
from polyleaf.content.model import Article
from polyleaf.errors import PolyleafError, error
from polyleaf.i18n import PSEUDO_LOCALES, locale_info, site_endonym
from polyleaf.render.fontcheck import font_fallback_diagnostic, missing_glyph_diagnostic
from polyleaf.render.html import render
from polyleaf.render.images import ImageMapper, leaflet_images
from polyleaf.render.localize import LinkFactory, localize, review_for, ui_strings
from polyleaf.render.pages import article_dict, common, page_url, variant_label
from polyleaf.render.pdf import PdfResult, render_pdf
from polyleaf.render.publication import Publication
from polyleaf.render.typography import breakable_url, isolate_ltr, short_url
from polyleaf.render.uistrings import UiStrings
from polyleaf.review.state import Reviews

PAPER = {"a4": "A4", "letter": "letter", "a4-large": "A4", "bilingual": "A4"}
PAPER_WIDTH_MM = {"A4": 210.0, "letter": 215.9}
# The measure of the standard leaflets: 33rem at 12 pt, 60-75 characters of Latin text a line.
MEASURE_MM = 33 * 12 * 25.4 / 72

# CLDR numbering system -> its digit zero (the ten digits follow it in Unicode).
_DIGIT_ZERO = {"arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "gujr": 0xAE6,
               "guru": 0xA66, "khmr": 0x17E0, "knda": 0xCE6, "laoo": 0xED0, "mlym": 0xD66,
               "mymr": 0x1040, "olck": 0x1C50, "orya": 0xB66, "tamldec": 0xBE6, "telu": 0xC66,
               "thai": 0xE50, "tibt": 0xF20}


@lru_cache(maxsize=512)
def qr_svg(url: str, label: str = "") -> Markup:
    """An inline SVG QR code for ``url`` (segno), black on white with the standard quiet zone.

    ``label`` becomes the SVG's ``<title>``, which WeasyPrint writes as the ``/Figure``'s
    ``/Alt`` (PDF/UA: every figure has alternative text). Memoized: every variant of a leaflet
    carries the same code, and encoding it is a few per cent of a leaflet's time."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff",
                                                title=label or None)
    return Markup(svg)


@dataclass(frozen=True, slots=True)
class CounterStyle:
    """The CSS counter style that writes page numbers in a locale's default digits."""

    name: str  # "decimal", or polyleaf-<numbering system>
    rule: str = ""  # the @counter-style rule defining ``name`` ('' for decimal)


def counter_style(locale: str) -> CounterStyle:
    """CLDR's default numbering system for ``locale`` as a CSS counter style."""
    base = PSEUDO_LOCALES.get(locale, (locale,))[0]
    system = Locale.parse(base).default_numbering_system or "latn"
    zero = _DIGIT_ZERO.get(system)
    if zero is None:
        return CounterStyle("decimal")
    symbols = " ".join(f'"{chr(zero + digit)}"' for digit in range(10))
    name = f"polyleaf-{system}"
    return CounterStyle(name, f"@counter-style {name} {{ system: numeric; symbols: {symbols}; }}")


def page_counter(ui: UiStrings, locale: str) -> Markup:
    """CSS ``content`` value for 'Page x of y' in the locale's words and digits."""
    text = ui.gettext("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    style = counter_style(locale).name
    parts: list[str] = []
    for chunk in text.replace("\x02", "\x00\x02\x00").replace("\x01", "\x00\x01\x00").split("\x00"):
        if chunk == "\x01":
            parts.append(f"counter(page, {style})")
        elif chunk == "\x02":
            parts.append(f"counter(pages, {style})")
        elif chunk:
            parts.append(_css_string(chunk))
    return Markup(" ".join(parts) or '""')


def _css_string(text: str) -> str:
    escaped = "".join(f"\\{ord(c):X} " if c in '"\\<>\n' else c for c in text)
    return f'"{escaped}"'


# --- bilingual: the article's top-level blocks, paired --------------------------------------

_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
         "track", "wbr"}


class _BlockSplitter(HTMLParser):
    """Finds where each top-level element of an HTML fragment starts."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.line_starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
        self.depth = 0
        self.starts: list[tuple[int, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.depth == 0:
            line, column = self.getpos()
            self.starts.append((self.line_starts[line - 1] + column, tag))
        if tag not in _VOID:
            self.depth += 1

    def handle_endtag(self, tag: str) -> None:
        if tag not in _VOID:
            self.depth = max(0, self.depth - 1)


def top_level_blocks(html: str) -> list[tuple[str, str]]:
    """(tag, html) of each top-level element of a rendered article body, in order."""
    splitter = _BlockSplitter(html)
    splitter.feed(html)
    splitter.close()
    bounds = [start for start, _ in splitter.starts] + [len(html)]
    return [(tag, html[bounds[i]:bounds[i + 1]].strip())
            for i, (_, tag) in enumerate(splitter.starts)]


_URGENT = re.compile(r'<div\b[^>]*\bclass="callout callout-(?:warning|caution)"')
_HEADING = re.compile(r"^<h([1-6])([^>]*)>(.*)</h\1>$", re.S)
_ID_ATTR = re.compile(r'\s(?:id|aria-labelledby)="[^"]*"')


def _as_source_block(html: str) -> str:
    """The source-language copy of a block: no duplicate ids, headings not in the outline."""
    html = _ID_ATTR.sub("", html)
    if match := _HEADING.match(html):
        return f'<p class="bi-heading bi-h{match.group(1)}"{match.group(2)}>{match.group(3)}</p>'
    return html


BlockPair = tuple[str, Markup, Markup]  # (tag of the block, target html, source html)


def pair_blocks(target_html: str, source_html: str) -> list[BlockPair]:
    """Pairs of (tag, target block, source block); one pair of whole bodies if they differ."""
    target = top_level_blocks(target_html)
    source = top_level_blocks(source_html)
    if [t for t, _ in target] != [t for t, _ in source]:
        return [("div", Markup(target_html), Markup(_ID_ATTR.sub("", source_html)))]
    return [(tag, Markup(t), Markup(_as_source_block(s)))
            for (tag, t), (_, s) in zip(target, source, strict=True)]


# --- the template context ------------------------------------------------------------------

def lift_urgent(body: str, pointer: str) -> tuple[str, str]:
    """(the first top-level WARNING/CAUTION call-out, the body with ``pointer`` in its place).

    A leaflet puts its urgent-care advice on page 1 (docs/clinics.md): the first critical
    call-out moves under the summary, and where the author put it a one-line pointer says
    where it went. ('', body) when the article has none."""
    blocks = top_level_blocks(body)
    for index, (tag, html) in enumerate(blocks):
        if tag == "div" and _URGENT.match(html):
            rest = [b for _, b in blocks[:index]] + [pointer] + [b for _, b in blocks[index + 1:]]
            return html, "\n".join(rest)
    return "", body


def _pointer(ui: UiStrings, locale: str, source_lang: str) -> str:
    """The line left where the urgent warning was; in the source language (and marked so) when
    the catalog has no usable translation for it."""
    base = PSEUDO_LOCALES.get(locale, (locale,))[0]
    msgid = "See the warning on page %(page)s."
    text = ui.gettext(msgid, page=format_decimal(1, locale=base))
    fallback = locale != source_lang and ui.gettext(msgid, page="1") == msgid % {"page": "1"}
    lang = f' lang="{locale_info(source_lang).bcp47}"' if fallback else ""
    return f'<p class="urgent-pointer"{lang}>{escape(text)}</p>'


_TAGS = re.compile(r"<[^>]*>")
# Characters of Latin text a page holds (the measure x lines, less headings and spacing), per
# variant: a block heavier than a third of a page may break inside rather than, kept whole, leave
# the page before it less than 40 % filled (docs/clinics.md, "No wasted paper").
PAGE_CHARS = {"a4": 2600, "letter": 2400, "bilingual": 2600, "a4-large": 1500}
HEAVY = 0.35


def text_weight(html: str) -> float:
    """How much room the text of ``html`` takes, in Latin characters (CJK counts 1.8)."""
    text = _TAGS.sub("", html)
    return len(text) + 0.8 * sum(1 for c in text if ord(c) >= 0x2E80)


_LEAD_IN_END = re.compile(r"[:：]\W{0,3}$")  # "Common triggers include:", pseudo "[...]:"
_INTRODUCED = {"ul", "ol", "table", "div"}


_OPENING = re.compile(r"^<(\w+)([^>]*)>")
_CLASS = re.compile(r'\sclass="([^"]*)"')


def add_class(html: str, name: str) -> str:
    """``html`` with ``name`` added to the classes of its first (opening) tag."""
    match = _OPENING.match(html)
    if match is None:
        return html
    attrs = match.group(2)
    if found := _CLASS.search(attrs):
        attrs = f'{attrs[:found.start()]} class="{name} {found.group(1)}"{attrs[found.end():]}'
    else:
        attrs = f' class="{name}"{attrs}'
    return f"<{match.group(1)}{attrs}>{html[match.end():]}"


def _has_class(html: str, name: str) -> bool:
    match = _OPENING.match(html)
    found = _CLASS.search(match.group(2)) if match else None
    return found is not None and name in found.group(1).split()


def is_lead_in(tag: str, html: str, next_tag: str | None) -> bool:
    """A paragraph ending in a colon right before the list, table or call-out it introduces."""
    return tag == "p" and next_tag in _INTRODUCED and bool(_LEAD_IN_END.search(
        _TAGS.sub("", html).strip()))


def mark_blocks(body: str, variant: str) -> str:
    """Classes the stylesheet paginates by: ``lead-in`` on a paragraph that introduces the next
    block (kept with it), ``may-split`` on a call-out heavier than a third of a page (kept
    whole, it could leave the page before it mostly empty; its items still stay whole)."""
    limit = PAGE_CHARS.get(variant, 2600) * HEAVY
    blocks = top_level_blocks(body)
    out = []
    for index, (tag, html) in enumerate(blocks):
        following = blocks[index + 1][0] if index + 1 < len(blocks) else None
        if is_lead_in(tag, html, following):
            html = add_class(html, "lead-in")
        elif tag == "div" and text_weight(html) > limit:
            html = add_class(html, "may-split")
        out.append(html)
    return "\n".join(out)


def _bilingual(project: Project, article: Article, locale: str, target: tuple[str, str],
               links: LinkFactory, images: Callable[[str], ImageMapper]) -> dict[str, Any] | None:
    """What the bilingual variant adds: the source text, block by block, beside the target."""
    source_lang = project.config.source_language
    if locale == source_lang:
        return None
    source = localize(project, article, source_lang, links, image_mapper=images)
    urgent, body = lift_urgent(source.body_html,
                               _pointer(ui_strings(project, source_lang), source_lang, source_lang))
    if bool(urgent) != bool(target[0]):  # cannot happen with one source: keep the author's order
        urgent, body = "", source.body_html
    info, among = locale_info(source_lang), project.config.all_locales
    return {"lang": info.bcp47, "dir": info.direction, "name": site_endonym(source_lang, among),
            "target_name": site_endonym(locale, among), "title": source.title,
            "summary": source.summary, "urgent": Markup(_as_source_block(urgent)),
            "pairs": _pairs(target[1], body)}


def _pairs(target: str, source: str) -> list[dict[str, Any]]:
    """The bilingual pairs with what paginates them: a heavy pair may split between or inside
    its halves, a lead-in pair stays with the next (both bodies isolated by localize if RTL)."""
    pairs = pair_blocks(target, source)
    return [{"tag": tag, "target": t, "source": s,
             "heavy": text_weight(t + s) > PAGE_CHARS["bilingual"] * HEAVY,
             "lead_in": _has_class(t, "lead-in")}
            for tag, t, s in pairs]


def page_margins(variant: str) -> str:
    """The ``@page`` margins: the side margins make the text block exactly the measure."""
    if variant == "a4-large":
        return "15mm 15mm 26mm 15mm"
    side = (PAPER_WIDTH_MM[PAPER.get(variant, "A4")] - MEASURE_MM) / 2
    return f"18mm {side:.2f}mm 22mm {side:.2f}mm"


def print_sources(article: Article) -> list[dict[str, Any]]:
    """The article's sources as printed: the title and the short address, breakable."""
    return [{"title": c.title, "url": c.url, "display": breakable_url(short_url(c.url))}
            for c in article.meta.sources]


def leaflet_context(project: Project, article: Article, locale: str, variant: str,
                    publication: Publication, reviews: Reviews | None = None) -> dict[str, Any]:
    """Everything ``leaflet.html`` needs for one article, locale and variant.

    ``reviews``: the project's review records (the build always passes them): with
    ``require_review`` on for leaflets only approved text is printed, and a complete review is
    stated in the provenance block."""
    config = project.config
    published = publication.pages
    links = LinkFactory(project.sources.ids, config.base_url, published, config.source_language)
    images = leaflet_images(publication.images, article.id)
    loc = localize(project, article, locale, links, review_for(project, reviews, article, locale),
                   "leaflets", images)
    ui = ui_strings(project, locale)
    url = page_url(config, locale if (article.id, locale) in published
                   else config.source_language, article.id)
    rtl = loc.direction == "rtl"
    isolate = isolate_ltr if rtl else Markup
    urgent, body = lift_urgent(loc.body_html, _pointer(ui, locale, config.source_language))
    body = mark_blocks(body, variant)
    context = common(config, locale, ui, "", [], "")
    context |= {"article": article_dict(loc, [], []), "variant": variant,
                "variant_label": variant_label(ui, variant),
                "paper": PAPER.get(variant, "A4"), "page_counter": page_counter(ui, locale),
                "margins": page_margins(variant),
                "counter_style": Markup(counter_style(locale).rule),
                "start": "right" if rtl else "left", "end": "left" if rtl else "right",
                "title_html": isolate(str(escape(loc.title))),
                "summary_html": isolate(str(escape(loc.summary))),
                "urgent_html": Markup(urgent), "body_html": Markup(body),
                "sources": print_sources(article),
                "qr_svg": qr_svg,
                "page_url": url, "page_url_html": breakable_url(url),
                "bilingual": _bilingual(project, article, locale, (urgent, body), links, images)
                if variant == "bilingual" else None}
    return context


def render_leaflet(project: Project, article: Article, locale: str, variant: str,
                   publication: Publication, output: str,
                   reviews: Reviews | None = None) -> PdfResult:
    """Render one leaflet to PDF bytes; a font problem is an error naming the locale."""
    config = project.config
    html = render(config.templates_dir, "leaflet.html",
                  leaflet_context(project, article, locale, variant, publication, reviews))
    result = render_pdf(html, config.root, config.pdf_standard)
    lang = locale_info(locale).bcp47
    problems = []
    if result.missing_glyphs:
        problems.append(missing_glyph_diagnostic(output, lang, result.missing_glyphs))
    if fallback := font_fallback_diagnostic(output, lang, html, result):
        problems.append(fallback)
    if result.refused_urls:
        problems.append(error(output, 0, "pdf.url-refused",
                              f"{lang}: the leaflet refers to {result.refused_urls[0][:100]!r}, "
                              "outside the project", "leaflets may only use files inside the "
                              "project (no network): copy the file into the project"))
    if result.missing_files:
        problems.append(error(output, 0, "pdf.missing-file",
                              f"{lang}: the leaflet refers to {result.missing_files[0]!r}, "
                              "which does not exist", "restore the file, or fix the name in "
                              "the template or article that refers to it"))
    if problems:
        raise PolyleafError(*problems)
    return result
