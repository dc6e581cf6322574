"""Parse a leaflet's stylesheet once per process, not once per leaflet.

WeasyPrint parses every ``<style>`` of every document it renders: tokenizing, building the
selector matcher (cssselect2 compiles each selector with ``eval``) and the ``@page`` rules. For
a leaflet that is 40-80 ms of 400-600 ms, and the text is the same for every article of a
language and variant. :func:`split_styles` takes the plain ``<style>`` blocks out of the
``<head>``; :func:`parsed` returns them parsed (memoized on their text), to be handed to
``HTML.render(stylesheets=..., counter_style=...)``.

Only a self-contained stylesheet is memoized: one that fetches nothing (no ``url(``, no
``@import``) and has no CSS escapes, so parsing it cannot depend on the document, the project's
files or a fetcher's record. Anything else stays in the HTML and WeasyPrint parses it as usual.
Handed over as WeasyPrint's "user" stylesheets, the rules rank below ``style`` attributes and
above the user-agent sheet, exactly where they ranked inside the document (the leaflet
templates have no other author stylesheet); tests check that the PDFs come out byte-identical.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from weasyprint import CSS
from weasyprint.css.counters import CounterStyle
from weasyprint.text.fonts import FontConfiguration

_OPEN, _CLOSE, _HEAD_END = "<style>", "</style>", "</head>"
_UNSAFE = ("url(", "@import", "\\", "</style")
# In a <head> holding any of these, "<style>" may be text rather than an element: leave it alone.
_OPAQUE = ("<!--", "<script", "<template", "<noscript", "<textarea")


@dataclass(frozen=True, slots=True)
class Styles:
    """The HTML without its memoizable ``<style>`` blocks, and those blocks' texts in order."""

    html: str
    sheets: tuple[str, ...]


def split_styles(html: str) -> Styles:
    """Take the self-contained plain ``<style>`` blocks out of the ``<head>`` (one linear scan;
    a ``<style media=...>`` or any other kind stays where it is)."""
    head_end = html.find(_HEAD_END)
    head = html[:head_end].lower()
    if head_end < 0 or any(mark in head for mark in _OPAQUE):
        return Styles(html, ())
    kept: list[str] = []
    sheets: list[str] = []
    position = 0
    while (start := html.find(_OPEN, position, head_end)) >= 0:
        end = html.find(_CLOSE, start, head_end)
        if end < 0:
            break
        text = html[start + len(_OPEN):end]
        if any(mark in text.lower() for mark in _UNSAFE):
            kept.append(html[position:end + len(_CLOSE)])
        else:
            kept.append(html[position:start])
            sheets.append(text)
        position = end + len(_CLOSE)
    kept.append(html[position:])
    return Styles("".join(kept), tuple(sheets))


@lru_cache(maxsize=128)
def _parse(text: str, font_config: FontConfiguration) -> tuple[CSS, CounterStyle]:
    counters = CounterStyle()
    return CSS(string=text, font_config=font_config, counter_style=counters), counters


def parsed(sheets: tuple[str, ...], font_config: FontConfiguration,
           ) -> tuple[list[CSS], CounterStyle]:
    """The parsed stylesheets, and a fresh counter-style table holding their
    ``@counter-style`` rules (fresh, so no document can change another's)."""
    css: list[CSS] = []
    counters = CounterStyle()
    for text in sheets:
        sheet, defined = _parse(text, font_config)
        css.append(sheet)
        counters.update(defined)
    return css, counters
