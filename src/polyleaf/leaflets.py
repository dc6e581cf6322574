"""Leaflet rendering: the leaflet template's context, and HTML -> PDF for one variant.

Variants come from config (``a4``, ``letter``, ``a4-large``, ``bilingual``); each is its own PDF
``build/leaflets/<bcp47>/<id>-<variant>.pdf``.
"""

from __future__ import annotations

from typing import Any

import segno
from babel import Locale
from markupsafe import Markup

from polyleaf.errors import PolyleafError, error
from polyleaf.i18n import PSEUDO_LOCALES, locale_info
from polyleaf.localize import LinkFactory, localize, ui_strings
from polyleaf.model import Article
from polyleaf.pages import article_dict, common, page_url
from polyleaf.project import Project
from polyleaf.render_html import render
from polyleaf.render_pdf import PdfResult, render_pdf
from polyleaf.uistrings import UiStrings

PAPER = {"a4": "A4", "letter": "letter", "a4-large": "A4", "bilingual": "A4"}
_CSS_COUNTER = {"arab": "arabic-indic", "arabext": "persian", "deva": "devanagari",
                "beng": "bengali", "thai": "thai", "mymr": "myanmar", "khmr": "khmer"}


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for ``url`` (segno), black on white."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=2, dark="#000", light="#fff")
    return Markup(svg)


def page_counter(ui: UiStrings, locale: str) -> Markup:
    """CSS ``content`` value for 'Page x of y' in the locale's words and digits."""
    text = ui.gettext("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    style = _counter_style(locale)
    parts: list[str] = []
    for chunk in text.replace("\x02", "\x00\x02\x00").replace("\x01", "\x00\x01\x00").split("\x00"):
        if chunk == "\x01":
            parts.append(f"counter(page, {style})")
        elif chunk == "\x02":
            parts.append(f"counter(pages, {style})")
        elif chunk:
            parts.append(_css_string(chunk))
    return Markup(" ".join(parts) or '""')


def _counter_style(locale: str) -> str:
    base = PSEUDO_LOCALES.get(locale, (locale,))[0]
    system = Locale.parse(base).default_numbering_system or "latn"
    return _CSS_COUNTER.get(system, "decimal")


def _css_string(text: str) -> str:
    escaped = "".join(f"\\{ord(c):X} " if c in '"\\<>\n' else c for c in text)
    return f'"{escaped}"'


def leaflet_context(project: Project, article: Article, locale: str, variant: str,
                    published: frozenset[tuple[str, str]]) -> dict[str, Any]:
    """Everything ``leaflet.html`` needs for one article, locale and variant."""
    config = project.config
    links = LinkFactory(project.sources.ids, config.base_url, published, config.source_language)
    loc = localize(project, article, locale, links)
    ui = ui_strings(project, locale)
    url = page_url(config, locale if (article.id, locale) in published
                   else config.source_language, article.id)
    context = common(config, locale, ui, "", [], "")
    context |= {"article": article_dict(loc, [], []), "variant": variant,
                "paper": PAPER.get(variant, "A4"), "page_counter": page_counter(ui, locale),
                "qr_svg": qr_svg(url), "page_url": url}
    return context


def render_leaflet(project: Project, article: Article, locale: str, variant: str,
                   published: frozenset[tuple[str, str]], output: str) -> PdfResult:
    """Render one leaflet to PDF bytes; a missing glyph is an error naming the locale."""
    config = project.config
    html = render(config.templates_dir, "leaflet.html",
                  leaflet_context(project, article, locale, variant, published))
    result = render_pdf(html, config.root, config.pdf_standard)
    if result.missing_glyphs:
        raise PolyleafError(error(output, 0, "pdf.missing-glyph",
                                  f"{locale_info(locale).bcp47}: no font for some characters: "
                                  f"{result.missing_glyphs[0][:120]}",
                                  "install fonts-noto-core and fonts-noto-cjk"))
    return result
