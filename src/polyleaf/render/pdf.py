"""Leaflet HTML -> PDF through WeasyPrint, safely, reproducibly, and with nothing left to guess.

- WeasyPrint may read only files inside the project: :class:`ProjectFetcher` refuses every
  other URL (network, ``file:`` outside the root, ``data:`` ...), so a translation cannot pull
  ``/etc/passwd`` or a remote image into a leaflet.
- One ``FontConfiguration`` per process (fontconfig set-up is the expensive part), and each
  leaflet stylesheet parsed once per process (:mod:`polyleaf.render.stylecache`).
- PDF/UA-1 (tagged) by default, PDF/A-3u (tagged too) for archives, or an untagged plain PDF;
  the structure entries WeasyPrint leaves out (``/Lang``, ``/Scope``, ``/ActualText``) come from
  :mod:`polyleaf.render.pdftags`;
  metadata from the HTML ``<title>``/``<meta>``; dates come from the content and the identifier
  from the HTML, so the same inputs give byte-identical PDFs with or without ``SOURCE_DATE_EPOCH``.
- What WeasyPrint would otherwise only log is returned as data: the characters no installed font
  could draw (WeasyPrint 62+ logs ``.notdef glyph rendered for Unicode string unsupported by
  fonts: "x" (U+XXXX)`` while drawing) and which font family drew which characters, so the
  caller can refuse a leaflet with empty boxes or with glyphs fontconfig picked on its own.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from polyleaf.render.pdftags import accessible_tags
from polyleaf.render.stylecache import parsed, split_styles

# Leaflet HTML resolves relative URLs against this stand-in for the project root, which the
# fetcher maps to the real one: WeasyPrint names an image in the PDF after its URL (md5), so the
# same project gives byte-identical PDFs wherever it lies on disk.
PROJECT_PATH = "/polyleaf-project/"

# The start of WeasyPrint's log message for a character that no font could draw.
NOTDEF_MESSAGE = ".notdef glyph rendered"


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that serves only ``file:`` URLs inside ``root``; records refusals."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.root = root.resolve()
        self.refused: list[str] = []
        self.missing: list[str] = []  # inside the project, but no such file

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is a file inside the project, else refuse."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            given = unquote(parts.path)
            named = self.root / given.removeprefix(PROJECT_PATH) \
                if given.startswith(PROJECT_PATH) else Path(given)
            url = named.as_uri()  # what the messages show: the real place
            path = named.resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(path.as_uri(), headers)
            if path.is_relative_to(self.root):
                self.missing.append(path.relative_to(self.root).as_posix())
                raise ValueError(f"polyleaf: no such file in the project: {url[:80]!r}")
        self.refused.append(url)
        raise ValueError(f"polyleaf refuses to fetch {url[:80]!r}: only files inside the project")


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """The process-wide font configuration (fontconfig setup is expensive)."""
    return FontConfiguration()


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A rendered PDF and what happened on the way."""

    data: bytes
    pages: int
    refused_urls: tuple[str, ...] = ()
    missing_files: tuple[str, ...] = ()  # project-relative paths asked for that do not exist
    missing_glyphs: tuple[int, ...] = ()  # code points drawn as empty boxes (.notdef), sorted
    fonts: tuple[tuple[str, str], ...] = ()  # (font family, the characters it drew), sorted


class _NotdefFilter(logging.Filter):
    """Takes WeasyPrint's missing-glyph warnings off the log and keeps their code points.

    A logger filter, not a handler: the warning becomes data (and then one diagnostic naming
    all characters) instead of one raw log line per empty box on the user's terminal.
    """

    def __init__(self) -> None:
        super().__init__()
        self.codepoints: set[int] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith(NOTDEF_MESSAGE):
            return True
        args = record.args if isinstance(record.args, tuple) else ()
        codepoint = next((a for a in args if isinstance(a, int)), None)
        if codepoint is None:  # a future WeasyPrint wording: take the first character quoted
            text = record.getMessage().partition('"')[2]
            codepoint = ord(text[0]) if text else 0xFFFD
        self.codepoints.add(codepoint)
        return False


@contextmanager
def _watch_missing_glyphs() -> Iterator[_NotdefFilter]:
    logger = logging.getLogger("weasyprint")
    watcher = _NotdefFilter()
    level = logger.level
    if not logger.isEnabledFor(logging.WARNING):  # a quiet logger must not hide empty boxes
        logger.setLevel(logging.WARNING)
    logger.addFilter(watcher)
    try:
        yield watcher
    finally:
        logger.removeFilter(watcher)
        logger.setLevel(level)


def pdf_options(html: str, standard: str) -> dict[str, Any]:
    """``write_pdf`` options: tags, variant, and an identifier derived from the content."""
    options: dict[str, Any] = {"pdf_identifier": hashlib.sha256(html.encode()).digest()[:16],
                               "pdf_tags": standard != "none"}
    if standard != "none":
        options["pdf_variant"] = standard
    return options


def render_pdf(html: str, root: Path, standard: str = "pdf/ua-1",
               font_config: FontConfiguration | None = None) -> PdfResult:
    """Render leaflet HTML (its relative URLs resolve against ``root``) to PDF bytes."""
    fetcher = ProjectFetcher(root)
    fonts = font_config or font_configuration()
    styles = split_styles(html)
    sheets, counters = parsed(styles.sheets, fonts)
    with _watch_missing_glyphs() as watcher:
        document = HTML(string=styles.html, base_url=f"file://{PROJECT_PATH}",
                        url_fetcher=fetcher).render(font_config=fonts, counter_style=counters,
                                                    stylesheets=sheets)
        if standard == "none":
            data = document.write_pdf(**pdf_options(html, standard))
        else:
            with accessible_tags() as finisher:
                data = document.write_pdf(finisher=finisher, **pdf_options(html, standard))
    return PdfResult(data, len(document.pages), tuple(fetcher.refused),
                     tuple(dict.fromkeys(fetcher.missing)), tuple(sorted(watcher.codepoints)),
                     _fonts_used(document))


def _fonts_used(document: Any) -> tuple[tuple[str, str], ...]:
    """(family, characters) for every font the document drew with (WeasyPrint's font table)."""
    drawn: dict[str, set[str]] = {}
    for font in getattr(document, "fonts", {}).values():
        chars = drawn.setdefault(str(getattr(font, "family", "?")), set())
        for text in getattr(font, "to_unicode", {}).values():
            chars.update(str(text))
    return tuple(sorted((family, "".join(sorted(chars))) for family, chars in drawn.items()))
