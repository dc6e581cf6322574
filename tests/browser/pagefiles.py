"""The built site as files: which pages exist, URL -> file, parsed HTML, links that must resolve."""

from __future__ import annotations

import posixpath
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.html

HERE = Path(__file__).resolve().parent
NODE_MODULES = HERE / "node_modules"


def html_files(site: Path) -> list[Path]:
    """Every HTML file of the built site, sorted."""
    return sorted(site.rglob("*.html"))


def is_not_found(path: Path) -> bool:
    """A 404 page (served for missing addresses, not a page of its own)."""
    return path.name == "404.html"


def url_to_file(base_url: str, site: Path, url: str) -> Path:
    """The file under ``site`` that an absolute URL below ``base_url`` is served from."""
    assert url.startswith(base_url), f"{url} is not below {base_url}"
    rel = url[len(base_url):].split("#", 1)[0]
    if rel == "" or rel.endswith("/"):
        rel += "index.html"
    return site / rel


def page_url(base_url: str, site: Path, path: Path) -> str:
    """The absolute URL a built file is published at (``.../index.html`` -> ``.../``)."""
    rel = path.relative_to(site).as_posix()
    return base_url + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)


def resolve_link(build: Path, site: Path, page: Path, href: str) -> Path:
    """The file a link in ``page`` points to: relative links as on disk, root-relative below site.

    Relative links may leave ``site/`` for ``build/leaflets/`` (published at
    ``<base_url>leaflets/``, see docs/publishers.md).
    """
    path = urlsplit(href).path
    if path.startswith("/"):
        target = site / path.lstrip("/")
    else:
        target = Path(posixpath.normpath((page.parent / path).as_posix()))
    if href.endswith("/") or target.is_dir():
        target = target / "index.html"
    assert build in target.parents, f"{href} in {page} leaves the build folder"
    return target


def parse(path: Path) -> Any:
    """The lxml tree of an HTML file."""
    return lxml.html.fromstring(path.read_bytes())


def hreflang_set(tree: Any) -> set[tuple[str, str]]:
    """The page's ``<link rel=alternate hreflang>`` pairs."""
    return {(link.get("hreflang"), link.get("href"))
            for link in tree.xpath('//head/link[@rel="alternate"][@hreflang]')}


def meta(tree: Any, attribute: str, name: str) -> list[str]:
    """The ``content`` of ``<meta attribute=name>`` elements."""
    return [m.get("content") for m in tree.xpath(f'//head/meta[@{attribute}="{name}"]')]
