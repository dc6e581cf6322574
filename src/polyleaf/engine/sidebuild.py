"""In-process builds into a side folder, for the preview server and for pseudo-locale builds.

The real build (:mod:`polyleaf.engine.build`) is incremental, parallel and writes ``build/site`` and
``build/leaflets``, the folders that get published; its workers re-read ``polyleaf.toml``. A
side build renders with a *modified* :class:`~polyleaf.config.Config` (other locales, another
``build_dir``) in this process, with the same renderers the real build uses
(:func:`polyleaf.render.pages.render_article_page`, :func:`polyleaf.render.leaflets.render_leaflet`), so
preview markup and pseudo-locales can never leak into what a publisher deploys.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from polyleaf.catalog.project import Project, load_project
from polyleaf.config import Config
from polyleaf.content.model import Article
from polyleaf.engine.images import write_images
from polyleaf.engine.plan import leaflet_path, page_path
from polyleaf.errors import Diagnostic, PolyleafError
from polyleaf.fsutil import write_atomic
from polyleaf.render.publication import LeafletFile, Publication

# (project, article, locale, publication, page html) -> page html; the preview adds its markup.
Decorate = Callable[[Project, Article, str, Publication, str], str]


@dataclass(frozen=True, slots=True)
class Skipped:
    """An output a side build did not produce, and why."""

    article: str
    locale: str
    output: str  # "html" or a leaflet variant
    reason: str


@dataclass(frozen=True, slots=True)
class SideReport:
    """What a side build wrote (paths relative to its build_dir) and what it held back."""

    written: tuple[str, ...]
    skipped: tuple[Skipped, ...]
    diagnostics: tuple[Diagnostic, ...]


def _decide(project: Project, publish_all: bool) -> tuple[Publication, list[Skipped]]:
    """The publishing decision (every output with ``publish_all``) and what it holds back."""
    from polyleaf.render.publication import decide, publish_everything

    if publish_all:
        return publish_everything(project), []
    publication = decide(project)
    skipped = [Skipped(article, locale, "html" if kind == 0 else "pdf", d.reason)
               for (article, locale), pair in publication.decisions.items()
               for kind, d in enumerate(pair) if not d.publish]
    return publication, skipped


def side_build(config: Config, *, leaflets: bool = True, publish_all: bool = False,
               decorate: Decorate | None = None,
               leaflet_locales: frozenset[str] | None = None) -> SideReport:
    """Render pages (and leaflets, of ``leaflet_locales`` or all) of ``config.all_locales``
    into ``config.build_dir``."""
    project = load_project(config)
    publication, skipped = _decide(project, publish_all)
    problems: list[Diagnostic] = list(project.diagnostics)
    written: list[str] = []
    files: list[tuple[str, str, LeafletFile]] = []
    pairs = [(a, lo) for a in project.sources.articles for lo in config.all_locales]
    for article, locale in pairs:  # leaflets first: pages link them
        if leaflets and (article.id, locale) in publication.printable \
                and (leaflet_locales is None or locale in leaflet_locales):
            for variant in config.variants:
                output = leaflet_path(config, locale, article.id, variant)
                try:
                    data = _leaflet(project, article, locale, variant, publication, output)
                except PolyleafError as exc:
                    _failed(problems, skipped, exc, article, locale, variant)
                    continue
                _write(config, output, data, written)
                files.append((article.id, locale, LeafletFile(variant, len(data))))
    publication = publication.with_leaflets(files)
    pages = []
    for article, locale in pairs:
        if (article.id, locale) in publication.pages:
            try:
                data = _page(project, article, locale, publication, decorate)
            except PolyleafError as exc:
                _failed(problems, skipped, exc, article, locale, "html")
                continue
            _write(config, page_path(locale, article.id), data, written)
            pages.append((article.id, locale))
    publication = publication.with_pages(pages)
    written += _site_files(project, publication, problems)
    images, image_problems = write_images(config, publication)
    written += images
    problems.extend(image_problems)
    _remove_stale(config.build_dir, set(written))
    return SideReport(tuple(written), tuple(skipped), tuple(problems))


def _failed(problems: list[Diagnostic], skipped: list[Skipped], exc: PolyleafError,
            article: Article, locale: str, output: str) -> None:
    problems.extend(exc.diagnostics)
    skipped.append(Skipped(article.id, locale, output, exc.diagnostics[0].message))


def _leaflet(project: Project, article: Article, locale: str, variant: str,
             publication: Publication, output: str) -> bytes:
    from polyleaf.render.leaflets import render_leaflet

    return render_leaflet(project, article, locale, variant, publication, output).data


def _page(project: Project, article: Article, locale: str, publication: Publication,
          decorate: Decorate | None) -> bytes:
    from polyleaf.render.pages import render_article_page

    html = render_article_page(project, article, locale, publication)
    if decorate is not None:
        html = decorate(project, article, locale, publication, html)
    return html.encode("utf-8")


def _site_files(project: Project, publication: Publication,
                problems: list[Diagnostic]) -> list[str]:
    from polyleaf.render.pages import render_site_files

    try:
        files = render_site_files(project, publication)
    except PolyleafError as exc:
        problems.extend(exc.diagnostics)
        return []
    written: list[str] = []
    for name, text in files.items():
        _write(project.config, f"site/{name}", text.encode("utf-8"), written)
    return written


def _write(config: Config, output: str, data: bytes, written: list[str]) -> None:
    write_atomic(config.build_dir / output, data)
    written.append(output)


def _remove_stale(build_dir: Path, expected: set[str]) -> None:
    """Delete outputs of earlier side builds that this one did not produce."""
    for sub in ("site", "leaflets"):
        folder = build_dir / sub
        for path in sorted(folder.rglob("*"), reverse=True) if folder.is_dir() else ():
            if path.is_file() and path.relative_to(build_dir).as_posix() not in expected:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
