"""The build plan: jobs (article x locale x output), their input digests, and the manifest.

Each job's digest covers every input that can change its output: tool version, config,
templates, the article source (and its related articles), the locale's catalogs, the review
record of the article in the locale, and which of the pages it can link are published (its own
in every language for the switcher, its related and linked articles, the site's languages):
another article being held back re-renders only what links to it. A job whose digest is in the
manifest and whose output exists is not run. A stamp of all input files' contents
(:mod:`polyleaf.engine.digests`) lets a no-op rebuild finish without parsing anything.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from polyleaf import __version__
from polyleaf.config import Config
from polyleaf.engine.digests import DigestStore, sha256_file
from polyleaf.fsutil import write_atomic
from polyleaf.i18n import to_bcp47
from polyleaf.paths import REVIEW_DIR, image_files, po_path

if TYPE_CHECKING:
    from polyleaf.catalog.project import Project
    from polyleaf.render.publication import LeafletFile, Publication

MANIFEST = ".polyleaf-manifest.json"


@dataclass(frozen=True, slots=True)
class Job:
    """One unit of work: an article page, a leaflet variant, or the site-wide files."""

    kind: str  # "leaflet" | "page" | "site"
    article: str
    locale: str
    variant: str
    output: str  # path relative to the build directory
    digest: str = ""


@dataclass(frozen=True, slots=True)
class Manifest:
    """What the last build produced: output -> digest, the input stamp, and its outcomes."""

    stamp: str = ""
    outputs: Mapping[str, str] = field(default_factory=dict)
    outcomes: tuple[Mapping[str, str], ...] = ()


def _names(folder: Path, suffix: str) -> list[str]:
    """The names of the files ``folder/*<suffix>`` (as ``Path.glob``: no hidden names), sorted;
    as strings (20,000 ``Path`` objects cost more than the rest of a no-op build)."""
    try:
        return sorted(n for n in os.listdir(folder) if n.endswith(suffix) and n[:1] != ".")
    except OSError:
        return []


InputGroup = tuple[str, list[str]]  # a folder and names in it, or "" and paths


def input_groups(config: Config) -> list[InputGroup]:
    """Every file a build reads, by folder (:func:`input_files` in the same order)."""
    groups: list[InputGroup] = [("", [str(config.path)])]
    groups.append((str(config.source_dir), _names(config.source_dir, ".md")))
    groups.append(("", [str(p) for p in image_files(config)]))
    groups.append(("", sorted(str(p) for p in config.templates_dir.rglob("*") if p.is_file())))
    for locale in config.locales:
        for sub, suffix in (("LC_MESSAGES", ".po"), (REVIEW_DIR, ".toml")):
            folder = config.locales_dir / locale / sub
            groups.append((str(folder), _names(folder, suffix)))
    return groups


def input_files(config: Config) -> list[str]:
    """Every file a build reads."""
    return [f"{folder}/{name}" if folder else name
            for folder, names in input_groups(config) for name in names]


def stamp(config: Config, digests: DigestStore) -> str:
    """A fingerprint of the tool's code, the config in use and every input file's path and
    *content*.

    (``digests`` reuses a file's digest only when its metadata proves it unchanged.)"""
    digest = hashlib.sha256(f"{code_fingerprint()}\0{config!r}".encode())
    for path in input_files(config):
        digest.update(f"{path}\0{digests.file(path)}\n".encode())
    return digest.hexdigest()


def read_manifest(build_dir: Path) -> Manifest:
    """The previous build's manifest (empty when missing or unreadable)."""
    try:
        data = json.loads((build_dir / MANIFEST).read_text(encoding="utf-8"))
        return Manifest(data["stamp"], data["outputs"], tuple(data.get("outcomes", ())))
    except (OSError, ValueError, KeyError, TypeError):
        return Manifest()


def write_manifest(build_dir: Path, manifest: Manifest) -> None:
    """Save the manifest atomically."""
    data = {"stamp": manifest.stamp, "outputs": dict(sorted(manifest.outputs.items())),
            "outcomes": list(manifest.outcomes)}
    # No indent: json's C encoder (an indented manifest of 20,000 pages took 0.3 s to write)
    write_atomic(build_dir / MANIFEST, json.dumps(data, sort_keys=True).encode())


def _hash(*parts: str) -> str:
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def leaflet_variants(config: Config, locale: str) -> list[str]:
    """The configured variants for a locale (no bilingual leaflet of the source language)."""
    return [v for v in config.variants
            if not (v == "bilingual" and locale == config.source_language)]


def leaflet_path(config: Config, locale: str, article_id: str, variant: str) -> str:
    """``leaflets/<bcp47>/<id>-<variant>.pdf`` relative to the build directory."""
    return f"leaflets/{to_bcp47(locale)}/{article_id}-{variant}.pdf"


def page_path(locale: str, article_id: str) -> str:
    """``site/<bcp47>/<id>/index.html`` relative to the build directory."""
    return f"site/{to_bcp47(locale)}/{article_id}/index.html"


def template_files(templates_dir: Path, name: str) -> list[Path]:
    """``name`` and every template it extends, includes or imports, recursively.

    A dynamic reference (a variable as template name) makes every template a dependency.
    """
    import jinja2  # not on the no-op path
    from jinja2 import meta

    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    seen: dict[str, Path] = {}
    todo = [name]
    while todo:
        current = todo.pop()
        path = templates_dir / current
        if current in seen or not path.is_file():
            continue
        seen[current] = path
        try:
            found = list(meta.find_referenced_templates(env.parse(path.read_text("utf-8"))))
        except (jinja2.TemplateSyntaxError, UnicodeDecodeError):
            found = [None]
        if None in found:
            return sorted(p for p in templates_dir.rglob("*") if p.is_file())
        todo.extend(str(f) for f in found)
    return sorted(seen.values())


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """polyleaf's version and its source files (so an upgrade rebuilds everything)."""
    folder = Path(__file__).resolve().parents[1]
    parts = [__version__]
    for path in sorted(folder.rglob("*.py")):
        parts.append(f"{path.relative_to(folder).as_posix()}:{sha256_file(path)}")
    return _hash(*parts)


@dataclass(frozen=True, slots=True)
class _ArticleInputs:
    """What every output of one article depends on in any locale (computed once, not 20x)."""

    related: tuple[str, ...]  # the article's id and its related articles' ids
    sources: tuple[str, ...]  # "<file name>:<digest>" of those articles' sources
    shown: list[str]  # the locales the article is published in
    targets: list[str]  # the articles it can link (related, linked in the body)


def _article_inputs(project: Project, published: frozenset[tuple[str, str]],
                    digests: DigestStore) -> dict[str, _ArticleInputs]:
    from polyleaf.content.source import link_targets

    config = project.config
    ids = project.sources.ids
    by_id = {a.id: a for a in project.sources.articles}
    root = str(config.root)
    found = {}
    for article in project.sources.articles:
        chain = (article, *(by_id[r] for r in article.meta.related if r in by_id))
        paths = [f"{root}/{a.path}" for a in chain]
        targets = sorted({*article.meta.related,
                          *(h.split("#", 1)[0] for h, _ in link_targets(article.body))} & ids)
        found[article.id] = _ArticleInputs(
            tuple(a.id for a in chain),
            tuple(f"{os.path.basename(p)}:{digests.file(p)}" for p in paths),
            [lo for lo in config.all_locales if (article.id, lo) in published], targets)
    return found


def make_jobs(project: Project, publication: Publication, digests: DigestStore
              ) -> tuple[list[Job], list[Job]]:
    """(leaflet jobs, page jobs) with digests; pages are digested again after leaflets."""
    config = project.config
    published, printable = publication.pages, publication.printable
    common = _hash(code_fingerprint(), digests.file(config.path), repr(config))
    languages = repr([lo for lo in config.all_locales
                      if any((a.id, lo) in published for a in project.sources.articles)])
    leaflet_templates = digests.many(template_files(config.templates_dir, "leaflet.html"))
    page_templates = digests.many(template_files(config.templates_dir, "article.html"))
    leaflets: list[Job] = []
    pages: list[Job] = []
    inputs = _article_inputs(project, published, digests)
    for locale in config.all_locales:
        site = digests.file(po_path(config, locale, "site"))
        folder = f"{config.locales_dir}/{locale}"
        variants = leaflet_variants(config, locale)
        for article in project.sources.articles:
            known = inputs[article.id]
            files = [*known.sources,  # as DigestStore.many: "<name>:<digest>", in this order
                     *(f"{i}.po:{digests.file(f'{folder}/LC_MESSAGES/{i}.po')}"
                       for i in known.related),  # approvals change leaflets:
                     f"{article.id}.toml:{digests.file(f'{folder}/{REVIEW_DIR}/{article.id}.toml')}"]
            base = _hash(common, site, hashlib.sha256("\0".join(files).encode()).hexdigest(),
                         article.id, locale, _images(publication, article.id, locale),
                         _shown(config, published, known, locale), languages)
            if (article.id, locale) in printable:
                for variant in variants:
                    source = _images(publication, article.id, config.source_language) \
                        if variant == "bilingual" else ""  # it shows the source's images too
                    leaflets.append(Job("leaflet", article.id, locale, variant,
                                        leaflet_path(config, locale, article.id, variant),
                                        _hash(base, leaflet_templates, variant, source)))
            if (article.id, locale) in published:
                pages.append(Job("page", article.id, locale, "", page_path(locale, article.id),
                                 _hash(base, page_templates)))
    return leaflets, pages


def _shown(config: Config, published: frozenset[tuple[str, str]], known: _ArticleInputs,
           locale: str) -> str:
    """Which pages an output of an article in ``locale`` can link: its own in every language
    (switcher, hreflang, a leaflet's address) and, in this locale and the source language, the
    related articles and every article its body links (published, or the source's version).
    Other pages being published or held back leave it unchanged; the site's languages are
    added by the caller."""
    source = config.source_language
    return repr((known.shown, [(t, (t, locale) in published, (t, source) in published)
                               for t in known.targets]))


def _images(publication: Publication, article_id: str, locale: str) -> str:
    """The images an output of ``locale`` shows, by their content-hashed names: replacing an
    image re-renders exactly what shows it."""
    images = publication.images.get((article_id, locale))
    if not images:
        return "[]"  # repr(sorted([])), for the 20,000 outputs that show no image
    return repr(sorted((src, image.path) for src, image in images.items()))


def with_leaflets(job: Job, publication: Publication) -> Job:
    """A page job's digest also covers the leaflets it links to (variants and sizes)."""
    files = [f"{f.variant}:{f.size}" for f in publication.leaflet_files(job.article, job.locale)]
    return Job(job.kind, job.article, job.locale, job.variant, job.output,
               _hash(job.digest, *files))


def leaflet_files(config: Config, jobs: Iterable[Job]) -> list[tuple[str, str, LeafletFile]]:
    """(article, locale, file) for leaflet jobs whose output this build wrote or kept."""
    from polyleaf.render.publication import LeafletFile

    return [(job.article, job.locale, LeafletFile(job.variant,
                                                  (config.build_dir / job.output).stat().st_size))
            for job in jobs if job.kind == "leaflet"]


def outcome_dicts(outcomes: Iterable[Any]) -> tuple[dict[str, Any], ...]:
    """Outcomes as plain dicts for the manifest."""
    # asdict, by hand for the top level: 20,000 outcomes through dataclasses.asdict take a second
    return tuple({**{name: getattr(o, name) for name in _OUTCOME_FIELDS},
                  "entries": tuple(asdict(e) for e in o.entries)}
                 for o in outcomes)


_OUTCOME_FIELDS = ("article", "locale", "output", "status", "reason", "path")
