"""Language versions of site pages, and the files crawlers read: ``sitemap.xml`` and ``robots.txt``.

A :class:`PageGroup` is one page of the site in every language it is published in. The
``hreflang`` links of each page, its language switcher and its sitemap entry are all computed
from its group, so every version of a page lists the same set (itself included, plus
``x-default``): the reciprocity search engines require.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from xml.sax.saxutils import quoteattr

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True, slots=True)
class Alternate:
    """One ``<link rel="alternate" hreflang href>``: a BCP 47 tag (or ``x-default``) and a URL."""

    hreflang: str
    url: str


@dataclass(frozen=True, slots=True)
class PageGroup:
    """The same page in several languages: ``<base_url><lang>/<path>`` for each of ``langs``."""

    path: str  # below a language folder: "" for the language index, "<article-id>/" for an article
    langs: tuple[str, ...]  # BCP 47 tags, in config order
    x_default: str  # absolute URL of the version for everyone else

    def url(self, base_url: str, lang: str) -> str:
        """Absolute URL of the ``lang`` version."""
        return f"{base_url}{lang}/{self.path}"

    def alternates(self, base_url: str) -> tuple[Alternate, ...]:
        """Every version, then ``x-default``: the same tuple for every page of the group."""
        if not self.langs:
            return ()
        versions = tuple(Alternate(lang, self.url(base_url, lang)) for lang in self.langs)
        return (*versions, Alternate("x-default", self.x_default))


@dataclass(frozen=True, slots=True)
class SitemapUrl:
    """One ``<url>`` of the sitemap."""

    loc: str
    alternates: tuple[Alternate, ...]
    lastmod: str = ""  # ISO date, "" when unknown


def group_urls(base_url: str, group: PageGroup,
               lastmod: dict[str, str] | None = None) -> list[SitemapUrl]:
    """One sitemap entry per version of ``group`` (``lastmod``: BCP 47 tag -> ISO date)."""
    alternates = group.alternates(base_url)
    return [SitemapUrl(group.url(base_url, lang), alternates, (lastmod or {}).get(lang, ""))
            for lang in group.langs]


def sitemap_xml(urls: Iterable[SitemapUrl]) -> str:
    """A sitemap (sitemaps.org 0.9) with ``xhtml:link`` hreflang alternates for every URL."""
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    # Every page of a group shares one alternates tuple: each is written out once, not 20x
    # (held here, so that an id is not reused while the sitemap is written).
    written: dict[int, tuple[tuple[Alternate, ...], str]] = {}
    for url in urls:
        lines.append("  <url>")
        lines.append(f"    <loc>{_text(url.loc)}</loc>")
        if url.lastmod:
            lines.append(f"    <lastmod>{_text(url.lastmod)}</lastmod>")
        known = written.get(id(url.alternates))
        if known is None:
            known = written[id(url.alternates)] = (url.alternates, "\n".join(
                f'    <xhtml:link rel="alternate" hreflang={quoteattr(alt.hreflang)} '
                f"href={quoteattr(alt.url)}/>" for alt in url.alternates))
        if known[1]:
            lines.append(known[1])
        lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def _text(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def robots_txt(base_url: str) -> str:
    """``robots.txt``: every page may be crawled; where the sitemap is."""
    return ("# Written by polyleaf. Every page may be indexed; the sitemap lists each page\n"
            "# with its language versions (hreflang).\n"
            f"User-agent: *\nAllow: /\n\nSitemap: {base_url}sitemap.xml\n")
