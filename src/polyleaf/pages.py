"""Template contexts for every output: article pages, indexes, the root page and leaflets.

Pure functions from the project model to plain dicts; :mod:`polyleaf.build` renders and writes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import segno
from babel import Locale
from markupsafe import Markup

from polyleaf.config import Config
from polyleaf.i18n import PSEUDO_LOCALES, locale_info
from polyleaf.model import LocalizedArticle
from polyleaf.render_html import date_formatter, markup
from polyleaf.uistrings import UiStrings

PAPER = {"a4": "A4", "letter": "letter", "a4-large": "A4", "bilingual": "A4"}
_CSS_COUNTER = {"arab": "arabic-indic", "arabext": "persian", "deva": "devanagari",
                "beng": "bengali", "thai": "thai", "mymr": "myanmar", "khmr": "khmer"}


@dataclass(frozen=True, slots=True)
class LeafletLink:
    """A link to one PDF variant of an article."""

    variant: str
    href: str
    label: str
    size: str


def page_url(config: Config, locale: str, article_id: str | None = None) -> str:
    """Absolute URL of a locale's index or article page."""
    path = f"{locale_info(locale).bcp47}/"
    return config.base_url + path + (f"{article_id}/" if article_id else "")


def variant_label(ui: UiStrings, variant: str) -> str:
    """A translated human name for a leaflet variant."""
    labels = {"a4": ui.gettext("A4"), "letter": ui.gettext("US Letter"),
              "a4-large": ui.gettext("Large print"), "bilingual": ui.gettext("Bilingual")}
    return labels.get(variant, variant)


def common(config: Config, locale: str, ui: UiStrings, root: str,
           alternates: Sequence[str], current_path: str) -> dict[str, Any]:
    """Context every site page needs: language, direction, switcher, gettext."""
    info = locale_info(locale)
    alts = [{"lang": locale_info(a).bcp47, "dir": locale_info(a).direction,
             "name": locale_info(a).endonym, "current": a == locale,
             "url": config.base_url + f"{locale_info(a).bcp47}/{current_path}",
             "href": f"{root}{locale_info(a).bcp47}/{current_path}"} for a in alternates]
    return {
        **ui.as_context(), "lang": info.bcp47, "dir": info.direction, "root": root,
        "lang_path": f"{info.bcp47}/", "switcher": alts, "alternates": alts,
        "x_default": config.base_url + f"{locale_info(config.source_language).bcp47}/{current_path}"
        if alternates else "",
        "site": {"name": config.name,
                 "organisation": config.organisation},
        "source_lang": locale_info(config.source_language).bcp47,
        "format_date": date_formatter(locale), "og_locale": _og_locale(locale),
    }


def _og_locale(locale: str) -> str:
    base = PSEUDO_LOCALES.get(locale, (locale,))[0]
    loc = Locale.parse(base)
    territory = loc.territory or {"en": "GB", "zh": "CN", "ar": "SA"}.get(loc.language,
                                                                          loc.language.upper())
    return f"{loc.language}_{territory}"


def article_dict(loc: LocalizedArticle, leaflets: Sequence[LeafletLink],
                 related: Sequence[Mapping[str, str]], html_threshold: float) -> dict[str, Any]:
    """The ``article`` variable of the article and leaflet templates."""
    meta = loc.article.meta
    return {
        "id": meta.id, "version": meta.version, "title": loc.title, "summary": loc.summary,
        "body": markup(loc.body_html), "reviewed": meta.reviewed.isoformat(),
        "review_due": meta.review_due.isoformat(), "translated_on": loc.translated_on,
        "modified": max(meta.reviewed.isoformat(), loc.translated_on or ""),
        "sources": meta.sources, "related": related, "leaflets": leaflets,
        "incomplete": loc.coverage.ratio < 1.0,
        "percent": int(loc.coverage.ratio * 100),
    }


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
