"""Inline typography of rendered article text: where a line may break, and what reads left to right.

Applied at render time to the HTML of article bodies (pages and leaflets alike), never to the
catalogs, so translators write plain spaces and plain URLs:

- **A number and its unit never split**: the space between them becomes a no-break space
  (``1 g``, ``38 °C``, ``400 mg``). The units are CLDR's short and narrow unit symbols (Babel)
  of the page's language and of the source language, so ``مغ`` or ``毫升`` count as well.
- **Left-to-right runs in right-to-left text** (phone numbers, URLs, e-mail addresses, doses with
  Latin units) are isolated in ``<bdi dir="ltr">``, so ``+44 20 7946 0958`` never comes out as
  ``0958 7946 20 44+`` (:func:`isolate_ltr`).
- **URLs break after ``/`` and ``.`` only**, never at a hyphen (which reads like a hyphenated
  word) and never with an inserted hyphen: ``<wbr>`` after each ``/`` and ``.``, hyphenated
  parts kept whole (:func:`breakable_url`); :func:`short_url` is the host and path a printed
  list of sources shows when the full address is online.

Every pattern is linear in its input (possessive quantifiers, literal alternations, no nested
repetition): ``bench/bench_typography.py`` runs them on 1 MB inputs.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urlsplit

from babel import Locale
from markupsafe import Markup, escape

from polyleaf.i18n import PSEUDO_LOCALES

NBSP = "\u00a0"

_TAG = re.compile(r"(<[^>]*>)")
# Elements whose text is shown verbatim: no typography inside.
_VERBATIM = re.compile(r"<(code|kbd|samp|pre)\b", re.I)


def _text_nodes(html: str, transform: Callable[[str], str], skip: re.Pattern[str]) -> str:
    """Apply ``transform`` to the text between tags, outside the elements ``skip`` opens."""
    out: list[str] = []
    open_skipped: list[str] = []
    for part in _TAG.split(html):
        if part.startswith("<"):
            out.append(part)
            if (match := skip.match(part)) and not part.endswith("/>"):
                open_skipped.append(next(g for g in match.groups() if g).lower())
            elif open_skipped and part.lower().startswith(f"</{open_skipped[-1]}"):
                open_skipped.pop()
        else:
            out.append(part if open_skipped or not part else transform(part))
    return "".join(out)


# --- a number and its unit ------------------------------------------------------------------

@lru_cache(maxsize=64)
def unit_symbols(*locales: str) -> tuple[str, ...]:
    """CLDR's short and narrow unit symbols of ``locales`` (``mg``, ``°C``, ``ملغ``...)."""
    symbols: set[str] = set()
    for locale in locales:
        base = PSEUDO_LOCALES.get(locale, (locale,))[0]
        for unit in Locale.parse(base)._data["unit_patterns"].values():
            for width in ("short", "narrow"):
                for form, pattern in dict(unit.get(width, {})).items():
                    if form == "per" or "{0}" not in pattern:
                        continue
                    symbol = pattern.replace("{0}", "").strip(" \u00a0\u202f")
                    if symbol and not any(c.isdigit() or c in "{[(" for c in symbol):
                        symbols.add(symbol)
    return tuple(sorted(symbols, key=lambda s: (-len(s), s)))


# A number, one plain space, and the token after it (a unit is looked up in a set: a regex
# alternation of 500 symbols would be tried one by one at every number).
_NUMBER_TOKEN = re.compile(r"(?<![\w.,])(\d++(?:[.,]\d++)*+) (?=([^\s<>&]{1,16}))")


@lru_cache(maxsize=64)
def _unit_set(symbols: tuple[str, ...]) -> frozenset[str]:
    return frozenset(symbols)


def _starts_with_unit(token: str, units: frozenset[str]) -> bool:
    """Whether ``token`` begins with a unit symbol that is not the start of a longer word."""
    for end in range(len(token), 0, -1):
        if token[:end] in units and (end == len(token) or not token[end].isalnum()):
            return True
    return False


def join_units(html: str, *locales: str) -> str:
    """Join each number to the unit after it with a no-break space (text nodes only)."""
    units = _unit_set(unit_symbols(*locales))

    def joined(match: re.Match[str]) -> str:
        number, token = match.group(1), match.group(2)
        return f"{number}{NBSP if _starts_with_unit(token, units) else ' '}"

    def transform(text: str) -> str:
        return _NUMBER_TOKEN.sub(joined, text)
    return _text_nodes(html, transform, _VERBATIM)


# --- left-to-right runs inside right-to-left text ---------------------------------------------

_LTR_RUN = re.compile(
    r"(?:https?://|www\.)[^\s<>\"]*[^\s<>\".,;:!?)\]»،؛]"  # URL
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail address
    r"|\d+(?:[.,]\d+)?(?:\s?[-–]\s?\d+(?:[.,]\d+)?)?\s?"  # dose or measurement with a Latin unit
    r"(?:mg|mcg|µg|μg|kg|g|ml|mL|IU|mmol/L|mmHg|°C|°F|%)(?!\w)"
    r"|\+?\(?\d[\d ()./-]{4,}\d"  # phone number, date: digit groups with separators
)
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
    element (``bdi``, ``code`` -- the stylesheets isolate it --, anything with ``dir``) is left
    alone; tags are never touched.
    """
    def transform(text: str) -> str:
        return _LTR_RUN.sub(_isolate_match, text)
    return Markup(_text_nodes(html, transform, _ISOLATING))


# --- URLs -------------------------------------------------------------------------------------

_URL_IN_TEXT = re.compile(r"https?://[^\s<>\"]*[^\s<>\".,;:!?)\]»،؛]")
_URL_PIECE = re.compile(r"[a-z][a-z0-9+.-]*+://|[^/.]++[/.]?|[/.]", re.I)


def breakable_url(url: str) -> Markup:
    """``url`` as HTML that may break after ``/`` and ``.`` only, never inside a hyphenated part."""
    return Markup(_breakable(str(escape(url))))


def _breakable(escaped: str) -> str:
    out: list[str] = []
    for piece in _URL_PIECE.findall(escaped):
        text = f'<span class="nobr">{piece}</span>' if "-" in piece else piece
        out.append(text + ("<wbr>" if piece[-1] in "/." and not piece.endswith("://") else ""))
    return "".join(out)


def short_url(url: str) -> str:
    """Host and path (no scheme, no ``www.``, no trailing ``/``, no query): ``nhs.uk/conditions``."""
    parts = urlsplit(url)
    if not parts.netloc:
        return url
    host = parts.netloc.removeprefix("www.")
    return (host + parts.path).rstrip("/")


def break_urls(html: str) -> str:
    """Make every URL in the text of ``html`` break as :func:`breakable_url` does."""
    def transform(text: str) -> str:
        return _URL_IN_TEXT.sub(lambda m: _breakable(m.group(0)), text)
    return _text_nodes(html, transform, _VERBATIM)


def typeset(html: str, locale: str, source_locale: str, rtl: bool) -> str:
    """All of the above for an article body in ``locale``."""
    html = join_units(html, locale, source_locale)
    if rtl:
        html = str(isolate_ltr(html))
    return break_urls(html)
