"""What a build publishes, decided once: every output is derived from one :class:`Publication`.

:func:`decide` applies the publishing policy (:func:`polyleaf.render.localize.decide`) to every
(article, locale) once. The build (:mod:`polyleaf.engine.build`) and side builds then derive
everything from the result: which pages and leaflets are rendered, which leaflets a page or a
language index links and with what size (:meth:`Publication.with_leaflets`, from the leaflet
files this build produced or kept), the switchers, the sitemap and the manifest. Nothing looks
in ``build/`` to find out what was published, so a page can never link a leaflet that the same
build held back or deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from polyleaf.catalog.project import Project
from polyleaf.content.images import missing_images
from polyleaf.content.model import Article, Blocker
from polyleaf.render.images import ImageTable, SiteImage, image_table
from polyleaf.render.localize import Decision, decisions_for, localized_meta, translated_on

if TYPE_CHECKING:
    from polyleaf.review.state import Reviews

Pair = tuple[str, str]  # (article id, locale)
Meta = tuple[str, str, str]  # an article's title, summary and translation date in a locale
Facts = tuple[Decision, Decision, Meta]  # what the build decides and lists for one pair


@dataclass(frozen=True, slots=True)
class LeafletFile:
    """One leaflet PDF this build vouches for: its variant and size in bytes."""

    variant: str
    size: int


@dataclass(frozen=True, slots=True)
class Publication:
    """The one publishing decision of a build, and the leaflet files that resulted from it."""

    decisions: Mapping[Pair, tuple[Decision, Decision]] = field(default_factory=dict)
    pages: frozenset[Pair] = frozenset()  # (article, locale) with an HTML page
    printable: frozenset[Pair] = frozenset()  # (article, locale) whose leaflets may be printed
    leaflets: Mapping[Pair, tuple[LeafletFile, ...]] = field(default_factory=dict)
    images: ImageTable = field(default_factory=dict)  # (article, locale) -> src -> image
    meta: Mapping[Pair, Meta] = field(default_factory=dict)  # what indexes and sitemap show

    def leaflet_files(self, article_id: str, locale: str) -> tuple[LeafletFile, ...]:
        """The leaflets of one article and locale that exist, in config order."""
        return self.leaflets.get((article_id, locale), ())

    def with_leaflets(self, files: Iterable[tuple[str, str, LeafletFile]]) -> Publication:
        """The same decision, with the leaflet files (article, locale, file) that were written.

        Only printable pairs are kept: a file can never be linked against the decision."""
        found: dict[Pair, list[LeafletFile]] = {}
        for article_id, locale, leaflet in files:
            if (article_id, locale) in self.printable:
                found.setdefault((article_id, locale), []).append(leaflet)
        return replace(self, leaflets={k: tuple(v) for k, v in found.items()})

    def site_images(self) -> list[SiteImage]:
        """The images the published pages show (each once, sorted): what the site copies."""
        found = {image for pair in self.pages for image in self.images.get(pair, {}).values()}
        return sorted(found, key=lambda image: image.path)

    def with_pages(self, pages: Iterable[Pair]) -> Publication:
        """The same decision restricted to ``pages`` (those whose page was actually written)."""
        kept = self.pages & frozenset(pages)
        return replace(self, pages=kept)


def pair_facts(project: Project, reviews: Reviews | None, article: Article,
               locale: str) -> Facts:
    """The decisions of one (article, locale) and what indexes and the sitemap show of it."""
    html, pdf = decisions_for(project, reviews, article, locale)
    title, summary = localized_meta(project, article, locale)
    on = "" if locale == project.config.source_language \
        else translated_on(project.catalog(locale, article.id))
    return html, pdf, (title, summary, on)


def decide(project: Project, reviews: Reviews | None = None,
           facts: Callable[[Article, str], Facts] | None = None) -> Publication:
    """Apply the publishing policy to every (article, locale) of the project, once.

    ``reviews``: the project's review records, for ``[publish] require_review``. An article
    with a missing image (``source.missing-image``) is held back in every language: a picture
    can carry what the text relies on. ``facts``: :func:`pair_facts`, or the build's cached
    equivalent."""
    config = project.config
    decisions: dict[Pair, tuple[Decision, Decision]] = {}
    meta: dict[Pair, Meta] = {}
    images = image_table(project)
    for article in project.sources.articles:
        missing = _missing_images(project, article)
        for locale in config.all_locales:
            if missing:
                held = Decision(False, f"image '{missing[0].msgid}' is missing", missing)
                decisions[(article.id, locale)] = (held, held)
                continue
            html, pdf, meta[(article.id, locale)] = facts(article, locale) if facts \
                else pair_facts(project, reviews, article, locale)
            decisions[(article.id, locale)] = (html, pdf)
    return Publication(decisions,
                       frozenset(k for k, (html, _) in decisions.items() if html.publish),
                       frozenset(k for k, (_, pdf) in decisions.items() if pdf.publish),
                       images=images, meta=meta)


def _missing_images(project: Project, article: Article) -> tuple[Blocker, ...]:
    return tuple(Blocker(article.path, ref.line, "source.missing-image", ref.src, "image")
                 for ref in missing_images(article, project.config.source_dir))


def publish_everything(project: Project) -> Publication:
    """Every page and leaflet (the preview and pseudo-locale side builds)."""
    pairs = frozenset((a.id, lo) for a in project.sources.articles
                      for lo in project.config.all_locales)
    ok = (Decision(True), Decision(True))
    return Publication(dict.fromkeys(pairs, ok), pairs, pairs, images=image_table(project))
