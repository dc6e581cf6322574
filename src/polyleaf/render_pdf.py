"""Leaflet HTML -> PDF through WeasyPrint, safely and reproducibly.

- WeasyPrint may read only files inside the project: :class:`ProjectFetcher` refuses every
  other URL (network, ``file:`` outside the root, ``data:`` ...), so a translation cannot pull
  ``/etc/passwd`` or a remote image into a leaflet.
- One ``FontConfiguration`` per process.
- PDF/UA-1 (tagged) by default; metadata from the HTML ``<title>``/``<meta>``; dates from the
  content and a content-derived identifier, so the same inputs give byte-identical PDFs.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher


class ProjectFetcher(URLFetcher):  # type: ignore[misc]
    """A URL fetcher that serves only ``file:`` URLs inside ``root``; records refusals."""

    def __init__(self, root: Path) -> None:
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, timeout=1)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Fetch ``url`` if it is a file inside the project, else refuse."""
        parts = urlsplit(url)
        if parts.scheme == "file":
            path = Path(unquote(parts.path)).resolve()
            if path.is_relative_to(self.root) and path.is_file():
                return super().fetch(url, headers)
        self.refused.append(url)
        raise ValueError(f"polyleaf refuses to fetch {url[:80]!r}: only files inside the project")


@lru_cache(maxsize=1)
def font_configuration() -> FontConfiguration:
    """The process-wide font configuration (fontconfig setup is expensive)."""
    return FontConfiguration()


@dataclass(frozen=True, slots=True)
class PdfResult:
    """A rendered PDF and what went wrong on the way."""

    data: bytes
    pages: int
    refused_urls: tuple[str, ...] = ()
    missing_glyphs: tuple[str, ...] = field(default=())


class _GlyphWatcher(logging.Handler):
    """Collects WeasyPrint's warnings about characters no font could draw."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "glyph" in message.lower() or "no font" in message.lower():
            self.messages.append(message)


def render_pdf(html: str, root: Path, standard: str = "pdf/ua-1") -> PdfResult:
    """Render leaflet HTML (its relative URLs resolve against ``root``) to PDF bytes."""
    fetcher = ProjectFetcher(root)
    watcher = _GlyphWatcher()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(watcher)
    try:
        document = HTML(string=html, base_url=root.resolve().as_uri() + "/",
                        url_fetcher=fetcher).render(font_config=font_configuration())
        options: dict[str, Any] = {"pdf_identifier": hashlib.sha256(html.encode()).digest()[:16],
                                   "pdf_tags": standard != "none"}
        if standard != "none":
            options["pdf_variant"] = standard
        data = document.write_pdf(**options)
    finally:
        logger.removeHandler(watcher)
    return PdfResult(data, len(document.pages), tuple(fetcher.refused), tuple(watcher.messages))
