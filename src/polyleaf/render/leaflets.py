"""Leaflet rendering: the leaflet template's context, and HTML -> PDF for one variant.

Variants come from config (``a4``, ``letter``, ``a4-large``, ``bilingual``); each is its own PDF
``build/leaflets/<bcp47>/<id>-<variant>.pdf``. This module owns what a leaflet *says* and the
checks that make it trustworthy: "page x of y" in the locale's digits, left-to-right runs
(phone numbers, URLs, doses) isolated in right-to-left text, the bilingual pairing of blocks,
and the font checks (a missing glyph or a font fontconfig picked on its own fails the leaflet
with a diagnostic, never a PDF with empty boxes or Japanese glyph shapes in a Chinese leaflet).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import segno
from babel import Locale
from fontTools import unicodedata as ucd
from markupsafe import Markup, escape

from polyleaf.catalog.project import Project
from polyleaf.content.model import Article
from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.i18n import PSEUDO_LOCALES, locale_info, site_endonym
from polyleaf.render.html import render
from polyleaf.render.images import ImageMapper, leaflet_images
from polyleaf.render.localize import LinkFactory, localize, ui_strings
from polyleaf.render.pages import article_dict, common, page_url, variant_label
from polyleaf.render.pdf import PdfResult, render_pdf
from polyleaf.render.publication import Publication
from polyleaf.render.uistrings import UiStrings

PAPER = {"a4": "A4", "letter": "letter", "a4-large": "A4", "bilingual": "A4"}

# CLDR numbering system -> its digit zero (the ten digits follow it in Unicode).
_DIGIT_ZERO = {"arab": 0x660, "arabext": 0x6F0, "beng": 0x9E6, "deva": 0x966, "gujr": 0xAE6,
               "guru": 0xA66, "khmr": 0x17E0, "knda": 0xCE6, "laoo": 0xED0, "mlym": 0xD66,
               "mymr": 0x1040, "olck": 0x1C50, "orya": 0xB66, "tamldec": 0xBE6, "telu": 0xC66,
               "thai": 0xE50, "tibt": 0xF20}


def qr_svg(url: str) -> Markup:
    """An inline SVG QR code for ``url`` (segno), black on white with the standard quiet zone."""
    svg = segno.make(url, error="m").svg_inline(scale=4, border=4, dark="#000", light="#fff")
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


# --- left-to-right runs inside right-to-left text ---------------------------------------------

_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]»،؛]"  # URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+(?:[.,]\d+)?)?\s?"  # dose or measurement with a Latin unit
    r"(?:mg|mcg|µg|μg|kg|g|ml|mL|IU|mmol/L|mmHg|°C|°F|%)(?!\w)"
    r"|\+?\(?\d[\d ()./-]{4,}\d"  # phone number, date: digit groups with separators
)
_TAG = re.compile(r"(<[^>]*>)")
_ISOLATING = re.compile(r"<(bdi|bdo|code|kbd|samp)\b|<(\w+)[^>]*\sdir=", re.I)


def _isolate_match(match: re.Match[str]) -> str:
    text = match.group(0)
    if text[0] in "+(0123456789" and not any(c.isalpha() or c in "%°" for c in text) \
            and sum(c.isdigit() for c in text) < 6:
        return text  # two or three plain numbers side by side read right to left: leave them
    return f'<bdi dir="ltr">{text}</bdi>'


def isolate_ltr(html: str) -> Markup:
    """Wrap phone numbers, URLs, e-mail addresses and doses in ``<bdi dir="ltr">``.

    In right-to-left text the Unicode bidi algorithm reverses digit groups separated by spaces
    (``+44 20 7946 0000`` comes out as ``0000 7946 20 44+``) and moves a unit before its number;
    an isolate keeps each such run in one piece, left to right. Text already inside an isolating
    element (``bdi``, ``code``, anything with ``dir``) is left alone; tags are never touched.
    """
    out: list[str] = []
    open_isolates: list[str] = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            out.append(part)
            if (match := _ISOLATING.match(part)) and not part.endswith("/>"):
                open_isolates.append((match.group(1) or match.group(2)).lower())
            elif open_isolates and part.lower().startswith(f"</{open_isolates[-1]}"):
                open_isolates.pop()
        else:
            out.append(part if open_isolates else _LTR_RUN.sub(_isolate_match, part))
    return Markup("".join(out))


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

def _bilingual(project: Project, article: Article, locale: str, target_body: str,
               links: LinkFactory, images: Callable[[str], ImageMapper],
               rtl: bool) -> dict[str, Any] | None:
    """What the bilingual variant adds: the source text, block by block, beside the target."""
    source_lang = project.config.source_language
    if locale == source_lang:
        return None
    source = localize(project, article, source_lang, links, images)
    info = locale_info(source_lang)
    pairs = pair_blocks(target_body, source.body_html)
    source_rtl = info.direction == "rtl"
    if rtl or source_rtl:
        pairs = [(tag, isolate_ltr(t) if rtl else t, isolate_ltr(s) if source_rtl else s)
                 for tag, t, s in pairs]
    among = project.config.all_locales
    return {"lang": info.bcp47, "dir": info.direction, "name": site_endonym(source_lang, among),
            "target_name": site_endonym(locale, among), "title": source.title,
            "summary": source.summary, "pairs": pairs}


def leaflet_context(project: Project, article: Article, locale: str, variant: str,
                    publication: Publication) -> dict[str, Any]:
    """Everything ``leaflet.html`` needs for one article, locale and variant."""
    config = project.config
    published = publication.pages
    links = LinkFactory(project.sources.ids, config.base_url, published, config.source_language)
    images = leaflet_images(publication.images, article.id)
    loc = localize(project, article, locale, links, images)
    ui = ui_strings(project, locale)
    url = page_url(config, locale if (article.id, locale) in published
                   else config.source_language, article.id)
    rtl = loc.direction == "rtl"
    isolate = isolate_ltr if rtl else Markup
    context = common(config, locale, ui, "", [], "")
    context |= {"article": article_dict(loc, [], []), "variant": variant,
                "variant_label": variant_label(ui, variant),
                "paper": PAPER.get(variant, "A4"), "page_counter": page_counter(ui, locale),
                "counter_style": Markup(counter_style(locale).rule),
                "start": "right" if rtl else "left", "end": "left" if rtl else "right",
                "title_html": isolate(str(escape(loc.title))),
                "summary_html": isolate(str(escape(loc.summary))),
                "body_html": isolate(loc.body_html),
                "qr_svg": qr_svg(url), "page_url": url,
                "bilingual": _bilingual(project, article, locale, loc.body_html, links, images,
                                        rtl)
                if variant == "bilingual" else None}
    return context


# --- fonts: what no font could draw, and what fontconfig drew on its own ---------------------

_CJK_SCRIPTS = {"Hani", "Hira", "Kana", "Hang", "Bopo"}
_EMOJI_BLOCKS = {"Emoticons", "Miscellaneous Symbols and Pictographs", "Transport and Map Symbols",
                 "Supplemental Symbols and Pictographs", "Symbols and Pictographs Extended-A"}
# Scripts whose text must come from the font named in fonts.css, not from fontconfig's guess.
SCRIPT_FAMILIES = {"Arab": ("Noto Sans Arabic", "Noto Naskh Arabic"), "Hebr": ("Noto Sans Hebrew",),
                   "Deva": ("Noto Sans Devanagari",)}
# Han characters take different glyph shapes per language: the CJK font for the leaflet's language.
HAN_FAMILIES = {"zh": "Noto Sans CJK SC", "zh-Hans": "Noto Sans CJK SC", "zh-CN": "Noto Sans CJK SC",
                "zh-SG": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC",
                "zh-TW": "Noto Sans CJK TC", "zh-HK": "Noto Sans CJK HK",
                "zh-MO": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}
_UNCHECKED_SCRIPTS = {"Latn", "Cyrl", "Grek", "Zyyy", "Zinh", "Zzzz"}
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")


def debian_font_package(codepoint: int) -> str:
    """The Debian package whose fonts draw ``codepoint`` ('' when none can: private use...)."""
    script = ucd.script(codepoint)
    block = ucd.block(codepoint)
    if _CJK_SCRIPTS & set(ucd.script_extension(codepoint)) or "CJK" in block \
            or block == "Halfwidth and Fullwidth Forms":
        return "fonts-noto-cjk"
    if block in _EMOJI_BLOCKS:
        return "fonts-noto-color-emoji"
    return "" if script == "Zzzz" else "fonts-noto-core"


def describe(codepoints: list[int], limit: int = 8) -> str:
    """``U+4E2D '中' (CJK UNIFIED IDEOGRAPH-4E2D), ...`` for the first ``limit`` code points."""
    shown = [f"U+{cp:04X} {chr(cp)!r} ({unicodedata.name(chr(cp), 'unnamed')})"
             for cp in codepoints[:limit]]
    more = f" and {len(codepoints) - limit} more" if len(codepoints) > limit else ""
    return ", ".join(shown) + more


def missing_glyph_diagnostic(output: str, lang: str, codepoints: tuple[int, ...]) -> Diagnostic:
    """``pdf.missing-glyph``: the locale, the characters, and the Debian package to install."""
    packages = sorted({debian_font_package(cp) for cp in codepoints} - {""})
    hint = (f"install the Debian package{'s' if len(packages) > 1 else ''} "
            f"{' '.join(packages)} (apt-get install {' '.join(packages)}) and build again; "
            "if it is installed, name a font that has these characters in "
            "templates/assets/fonts.css" if packages else
            "these are private-use or unassigned characters no font package covers: "
            "correct the translation")
    return error(output, 0, "pdf.missing-glyph",
                 f"{lang}: no installed font has {len(codepoints)} character(s): "
                 f"{describe(list(codepoints))}; the leaflet would print empty boxes", hint)


def _expected_families(codepoint: int, lang: str, declared: set[str]) -> set[str] | None:
    script = ucd.script(codepoint)
    if script in _UNCHECKED_SCRIPTS:
        return None
    if script in SCRIPT_FAMILIES:
        return set(SCRIPT_FAMILIES[script])
    if script in _CJK_SCRIPTS:
        primary = HAN_FAMILIES.get(lang) or HAN_FAMILIES.get(lang.split("-")[0])
        return {primary} if primary else {f for f in declared if f.startswith("Noto Sans CJK")}
    return declared


def font_fallback_diagnostic(output: str, lang: str, html: str,
                             result: PdfResult) -> Diagnostic | None:
    """``pdf.font-fallback`` when a script's text was drawn in a font fontconfig chose itself."""
    declared = {name.strip().strip("\"'") for value in _FONT_FAMILY.findall(html)
                for name in value.split(",")}
    missing = set(result.missing_glyphs)
    wrong: dict[str, list[int]] = {}
    expected: set[str] = set()
    for family, chars in result.fonts:
        for codepoint in (ord(c) for c in chars if ord(c) not in missing):
            allowed = _expected_families(codepoint, lang, declared)
            if allowed is not None and family not in allowed:
                wrong.setdefault(family, []).append(codepoint)
                expected |= allowed
    if not wrong:
        return None
    family, codepoints = max(wrong.items(), key=lambda item: len(item[1]))
    package = debian_font_package(codepoints[0])
    return error(output, 0, "pdf.font-fallback",
                 f"{lang}: fontconfig drew {describe(codepoints, 4)} in {family!r}, which no "
                 f"font stack names for this text (expected {' or '.join(map(repr, sorted(expected)))})",
                 f"name the font for :lang({lang}) in templates/assets/fonts.css"
                 + (f" and make sure {package} is installed" if package else ""))


def render_leaflet(project: Project, article: Article, locale: str, variant: str,
                   publication: Publication, output: str) -> PdfResult:
    """Render one leaflet to PDF bytes; a font problem is an error naming the locale."""
    config = project.config
    html = render(config.templates_dir, "leaflet.html",
                  leaflet_context(project, article, locale, variant, publication))
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
