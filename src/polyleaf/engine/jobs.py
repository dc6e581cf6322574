"""Running one build job: render, write atomically, report. Runs in any worker process.

A worker loads the project once (cached per process by the input stamp) and keeps one Jinja
environment and one FontConfiguration, so memory stays flat however many leaflets it renders:
each job writes its own output and returns only a small :class:`JobResult`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from polyleaf.catalog.files import rel
from polyleaf.catalog.pofile import Catalog
from polyleaf.catalog.project import CatalogKey, LazyCatalogs, Project, load_project
from polyleaf.catalog.reading import catalog_from_bytes
from polyleaf.config import load_config
from polyleaf.content.model import Article
from polyleaf.content.source import SourceSet
from polyleaf.engine.plan import Job
from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.fsutil import write_atomic
from polyleaf.paths import po_path
from polyleaf.qa.usable import Usability, remembered
from polyleaf.render.pages import render_article_page
from polyleaf.render.publication import Publication
from polyleaf.review.state import Reviews, lazy_reviews


@dataclass(frozen=True, slots=True)
class BuildContext:
    """What every job of one build shares (sent to each worker once)."""

    root: str
    stamp: str
    publication: Publication  # the build's one publishing decision (and, for pages, its leaflets)
    sources: SourceSet | None = None  # the build's articles (None: the worker parses them)
    catalogs: tuple[CatalogKey, ...] = ()  # the catalogs that load; a worker parses those it uses


@dataclass(frozen=True, slots=True)
class JobResult:
    """The outcome of one job."""

    job: Job
    status: str  # built | unchanged | failed
    reason: str = ""
    diagnostics: tuple[Diagnostic, ...] = ()


LOCAL: dict[str, Project] = {}  # stamp -> the building process's own project (serial, fork)


def worker_project(context: BuildContext) -> Project:
    """The project as this process sees it, loaded once per build: the building process's own
    (in-process and forked workers), else the build's articles with catalogs parsed when used."""
    if context.stamp in LOCAL:
        return LOCAL[context.stamp]
    known = _LOADED.get((context.root, context.stamp))
    if known is None:
        if len(_LOADED) > 1:
            _LOADED.clear()
        known = _LOADED[(context.root, context.stamp)] = _load(context)
    return known


_LOADED: dict[tuple[str, str], Project] = {}


def _load(context: BuildContext) -> Project:
    config = load_config(Path(context.root))
    if context.sources is None:
        return load_project(config)

    def load(item: CatalogKey) -> Catalog | None:
        path = po_path(config, *item)
        try:
            return catalog_from_bytes(path.read_bytes(), rel(config, path))[0]
        except (OSError, PolyleafError):
            return None

    return Project(config, context.sources, LazyCatalogs(list(context.catalogs), load), ())


@lru_cache(maxsize=2)
def _reviews(root: str, stamp: str) -> Reviews:
    return lazy_reviews(_LOADED.get((root, stamp)) or LOCAL[stamp])


def worker_reviews(context: BuildContext) -> Reviews:
    """The review records as this process sees them, each read once per build when needed."""
    return _reviews(context.root, context.stamp)


def run_job(context: BuildContext, job: Job) -> JobResult:
    """Render and write one output; user problems become a failed result, never an exception."""
    project = worker_project(context)
    reviews = worker_reviews(context)
    config = project.config
    article = next((a for a in project.sources.articles if a.id == job.article), None)
    target = config.build_dir / job.output
    try:
        if article is None:
            raise PolyleafError(error(job.output, 0, "build.missing-article",
                                      f"article {job.article} vanished during the build",
                                      "run the build again"))
        with remembered(_verdicts(project, article, job.locale)):
            data = _render(project, article, job, context, reviews)
        written = write_atomic(target, data, f"build/{job.output}")
    except PolyleafError as exc:
        return JobResult(job, "failed", exc.diagnostics[0].message, exc.diagnostics)
    except Exception as exc:
        diagnostic = error(job.output, 0, "build.internal", f"{type(exc).__name__}: {exc}",
                           "this is a polyleaf bug; please report it with this message")
        return JobResult(job, "failed", diagnostic.message, (diagnostic,))
    return JobResult(job, "built" if written else "unchanged")


def _render(project: Project, article: Article, job: Job, context: BuildContext,
            reviews: Reviews) -> bytes:
    if job.kind == "leaflet":
        from polyleaf.render.leaflets import render_leaflet  # WeasyPrint: only for PDFs

        return render_leaflet(project, article, job.locale, job.variant, context.publication,
                              f"build/{job.output}", reviews).data
    return render_article_page(project, article, job.locale, context.publication,
                               reviews).encode("utf-8")


def _verdicts(project: Project, article: Article, locale: str) -> dict[Any, Usability]:
    """The QA verdicts the build cached for the catalogs this output shows (its own and its
    related articles' titles): entries checked before are not checked again."""
    from polyleaf.engine.incremental import VerdictFile

    known: dict[Any, Usability] = {}
    for article_id in (article.id, *article.meta.related):
        known |= VerdictFile(project.config.build_dir, locale, article_id).known
    return known


_CONTEXT: list[BuildContext] = []  # per worker process, set by the pool initializer


def init_pool_worker(context: BuildContext) -> None:
    """Process-pool initializer: remember the build context in this worker."""
    _CONTEXT[:] = [context]


def run_pool_job(job: Job) -> JobResult:
    """Entry point for process-pool workers."""
    return run_job(_CONTEXT[0], job)
