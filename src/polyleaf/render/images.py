"""Images in the outputs: the site's content-hashed copies and the files leaflets embed.

Each image an article shows is resolved once per locale (:func:`image_table`, its localized copy
first, :mod:`polyleaf.content.images`) to a :class:`SiteImage`: the file under ``source/`` and
its name in the site, ``images/<name>.<hash><suffix>``. The hash is of the file's bytes, so a
replaced image gets a new address (no browser or CDN shows the old one) and two articles
showing the same picture share one file. Pages link the copy; leaflets embed the file itself
(WeasyPrint reads files inside the project only). The names also go into the build's job
digests: replacing an image re-renders exactly the pages and leaflets that show it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from polyleaf.catalog.project import Project
from polyleaf.content.images import image_file, image_refs

ImageMapper = Callable[[str], str]  # an image's src as written -> its URL in one output


@dataclass(frozen=True, slots=True)
class SiteImage:
    """One image file as the outputs use it."""

    file: str  # project-relative: source/diary.ar.png
    path: str  # below build/site: images/diary.ar.1f2e3d4c5b.png


ImageTable = Mapping[tuple[str, str], Mapping[str, SiteImage]]  # (article, locale) -> src -> image


def site_image(root: Path, file: Path, cache: dict[Path, SiteImage]) -> SiteImage:
    """The :class:`SiteImage` of one file (each file read once per ``cache``)."""
    if file not in cache:
        digest = hashlib.sha256(file.read_bytes()).hexdigest()[:10]
        cache[file] = SiteImage(file.relative_to(root).as_posix(),
                                f"images/{file.stem}.{digest}{file.suffix.lower()}")
    return cache[file]


def image_table(project: Project) -> dict[tuple[str, str], dict[str, SiteImage]]:
    """Every (article, locale) -> {src: image} of the project; missing images are left out
    (``source.missing-image`` reports them and holds the article back)."""
    config = project.config
    root = config.root.resolve()
    cache: dict[Path, SiteImage] = {}
    table: dict[tuple[str, str], dict[str, SiteImage]] = {}
    for article in project.sources.articles:
        refs = image_refs(article)
        for locale in config.all_locales:
            found = {}
            for ref in refs:
                file = image_file(config.source_dir, ref.src, locale)
                if file is not None:
                    found[ref.src] = site_image(root, file, cache)
            if found:
                table[(article.id, locale)] = found
    return table


def page_images(table: ImageTable, article_id: str, prefix: str) -> Callable[[str], ImageMapper]:
    """locale -> mapper to the site's copies, ``prefix`` leading from the page to the root."""
    def for_locale(locale: str) -> ImageMapper:
        images = table.get((article_id, locale), {})
        return lambda src: prefix + images[src].path if src in images else src
    return for_locale


def leaflet_images(table: ImageTable, article_id: str) -> Callable[[str], ImageMapper]:
    """locale -> mapper to the files themselves, relative to the project root (the leaflet's
    base URL): no local path gets into the PDF, which stays the same wherever it is built."""
    def for_locale(locale: str) -> ImageMapper:
        images = table.get((article_id, locale), {})
        return lambda src: quote(images[src].file) if src in images else src
    return for_locale
