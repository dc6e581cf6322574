"""The build: every (article, locale) as an HTML page and PDF leaflets, plus indexes.

Publishing decisions come first (cheap coverage counts), so links and language switchers only
point at pages that exist. Outputs are written atomically and only when changed; outputs that
are no longer allowed (e.g. a leaflet whose translation went fuzzy) are removed, so a stale
leaflet can never be printed from ``build/``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path

from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError, error
from polyleaf.fsutil import build_time, write_atomic
from polyleaf.i18n import locale_info
from polyleaf.localize import Decision, LinkFactory, decide, localize, resolver_for, ui_strings
from polyleaf.model import Article
from polyleaf.pages import (
    PAPER,
    LeafletLink,
    article_dict,
    common,
    page_counter,
    page_url,
    qr_svg,
    variant_label,
)
from polyleaf.project import Project, load_project
from polyleaf.render_html import render
from polyleaf.render_pdf import render_pdf
from polyleaf.source import check_review_dates
from polyleaf.translate import coverage


@dataclass(frozen=True, slots=True)
class Outcome:
    """One output of the build: built, unchanged, skipped or failed, and why."""

    article: str
    locale: str
    output: str  # "html" or a leaflet variant
    status: str  # built | unchanged | skipped | failed
    reason: str = ""
    path: str = ""


@dataclass(frozen=True, slots=True)
class BuildReport:
    """Everything the build did and found."""

    outcomes: tuple[Outcome, ...]
    diagnostics: tuple[Diagnostic, ...]

    @property
    def skipped(self) -> tuple[Outcome, ...]:
        """Outputs not produced."""
        return tuple(o for o in self.outcomes if o.status in ("skipped", "failed"))

    def to_json(self) -> str:
        """Machine-readable summary."""
        return json.dumps({"outcomes": [asdict(o) for o in self.outcomes],
                           "diagnostics": [d.to_dict() for d in self.diagnostics]},
                          ensure_ascii=False, indent=2)


def plan_decisions(project: Project) -> dict[tuple[str, str], tuple[Decision, Decision]]:
    """(article, locale) -> (html decision, pdf decision)."""
    config = project.config
    decisions = {}
    for locale in config.all_locales:
        for article in project.sources.articles:
            cov = coverage(article, resolver_for(project, locale, article.id))
            decisions[(article.id, locale)] = (decide(cov, config.html_threshold, "a page"),
                                               decide(cov, config.pdf_threshold, "a leaflet"))
    return decisions


def build(config: Config, strict: bool = False) -> BuildReport:
    """Build the whole site and all leaflets into ``config.build_dir``.

    ``strict`` turns an overdue medical review into an error (the CLI also fails on skips).
    """
    project = load_project(config)
    decisions = plan_decisions(project)
    published = frozenset(k for k, (html, _) in decisions.items() if html.publish)
    ids = project.sources.ids
    outcomes: list[Outcome] = []
    problems = list(project.diagnostics)
    problems.extend(check_review_dates(project.sources.articles, build_time().date(), strict))
    expected: set[Path] = set()
    for locale in config.all_locales:
        for article in project.sources.articles:
            html_ok, pdf_ok = decisions[(article.id, locale)]
            found, paths, diags = _build_article(project, article, locale, html_ok, pdf_ok,
                                                 published, ids)
            outcomes.extend(found)
            expected.update(paths)
            problems.extend(diags)
    expected.update(_build_indexes(project, decisions, published))
    _remove_stale(config, expected)
    return BuildReport(tuple(outcomes), tuple(problems))


def _leaflet_path(config: Config, locale: str, article_id: str, variant: str) -> Path:
    return config.build_dir / "leaflets" / locale_info(locale).bcp47 / f"{article_id}-{variant}.pdf"


def _html_path(config: Config, locale: str, article_id: str) -> Path:
    return config.build_dir / "site" / locale_info(locale).bcp47 / article_id / "index.html"


def _rel(config: Config, path: Path) -> str:
    return path.relative_to(config.root).as_posix() if path.is_relative_to(config.root) \
        else str(path)


def _build_article(project: Project, article: Article, locale: str, html_ok: Decision,
                   pdf_ok: Decision, published: frozenset[tuple[str, str]],
                   ids: frozenset[str]) -> tuple[list[Outcome], list[Path], list[Diagnostic]]:
    config = project.config
    outcomes: list[Outcome] = []
    paths: list[Path] = []
    problems: list[Diagnostic] = []
    ui = ui_strings(project, locale)
    leaflets: list[LeafletLink] = []
    for variant in config.variants:
        path = _leaflet_path(config, locale, article.id, variant)
        if not pdf_ok.publish:
            outcomes.append(Outcome(article.id, locale, variant, "skipped", pdf_ok.reason))
            continue
        try:
            status = _write_leaflet(project, article, locale, variant, published, ids, path)
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
            outcomes.append(Outcome(article.id, locale, variant, "failed",
                                    exc.diagnostics[0].message))
            continue
        paths.append(path)
        outcomes.append(Outcome(article.id, locale, variant, status, path=_rel(config, path)))
        leaflets.append(LeafletLink(variant, f"../../../leaflets/{locale_info(locale).bcp47}/"
                                    f"{path.name}", variant_label(ui, variant),
                                    _size(path.stat().st_size)))
    if not html_ok.publish:
        outcomes.append(Outcome(article.id, locale, "html", "skipped", html_ok.reason))
        return outcomes, paths, problems
    path = _html_path(config, locale, article.id)
    try:
        html = _article_page(project, article, locale, published, ids, leaflets)
    except PolyleafError as exc:
        problems.extend(exc.diagnostics)
        outcomes.append(Outcome(article.id, locale, "html", "failed", exc.diagnostics[0].message))
        return outcomes, paths, problems
    status = "built" if write_atomic(path, html.encode("utf-8")) else "unchanged"
    paths.append(path)
    outcomes.append(Outcome(article.id, locale, "html", status, path=_rel(config, path)))
    return outcomes, paths, problems


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _related(project: Project, article: Article, locale: str,
             published: frozenset[tuple[str, str]]) -> list[dict[str, str]]:
    items = []
    for other in project.sources.articles:
        if other.id not in article.meta.related:
            continue
        lang = locale if (other.id, locale) in published else project.config.source_language
        loc = localize(project, other, lang, LinkFactory(project.sources.ids, "../", published,
                                                          project.config.source_language))
        prefix = "../" if lang == locale else f"../../{locale_info(lang).bcp47}/"
        items.append({"title": loc.title, "href": f"{prefix}{other.id}/", "lang": loc.lang})
    return items


def _article_page(project: Project, article: Article, locale: str,
                  published: frozenset[tuple[str, str]], ids: frozenset[str],
                  leaflets: list[LeafletLink]) -> str:
    config = project.config
    links = LinkFactory(ids, "../", published, config.source_language)
    loc = localize(project, article, locale, links)
    ui = ui_strings(project, locale)
    alternates = [lo for lo in config.all_locales if (article.id, lo) in published]
    context = common(config, locale, ui, "../../", alternates, f"{article.id}/")
    context |= {"article": article_dict(loc, leaflets, _related(project, article, locale,
                                                                  published),
                                        config.html_threshold),
                "canonical": page_url(config, locale, article.id)}
    return render(config.templates_dir, "article.html", context)


def _write_leaflet(project: Project, article: Article, locale: str, variant: str,
                   published: frozenset[tuple[str, str]], ids: frozenset[str], path: Path) -> str:
    config = project.config
    links = LinkFactory(ids, config.base_url, published, config.source_language)
    loc = localize(project, article, locale, links)
    ui = ui_strings(project, locale)
    url = page_url(config, locale if (article.id, locale) in published
                   else config.source_language, article.id)
    context = common(config, locale, ui, "", [], "")
    context |= {"article": article_dict(loc, [], [], config.html_threshold), "variant": variant,
                "paper": PAPER.get(variant, "A4"), "page_counter": page_counter(ui, locale),
                "qr_svg": qr_svg(url), "page_url": url}
    html = render(config.templates_dir, "leaflet.html", context)
    result = render_pdf(html, config.root, config.pdf_standard)
    if result.missing_glyphs:
        raise PolyleafError(error(_rel(config, path), 0, "pdf.missing-glyph",
                                  f"{locale}: no font for some characters: "
                                  f"{result.missing_glyphs[0][:120]}",
                                  "install fonts-noto-core and fonts-noto-cjk"))
    return "built" if write_atomic(path, result.data) else "unchanged"


def _build_indexes(project: Project, decisions: dict[tuple[str, str], tuple[Decision, Decision]],
                   published: frozenset[tuple[str, str]]) -> list[Path]:
    config = project.config
    site = config.build_dir / "site"
    paths = []
    languages = [lo for lo in config.all_locales
                 if any((a.id, lo) in published for a in project.sources.articles)]
    for locale in languages:
        ui = ui_strings(project, locale)
        items = []
        for article in project.sources.articles:
            if (article.id, locale) not in published:
                continue
            loc = localize(project, article, locale, LinkFactory(frozenset(), "", published, ""))
            leaflets = [LeafletLink(v, f"../../leaflets/{locale_info(locale).bcp47}/"
                                    f"{article.id}-{v}.pdf", variant_label(ui, v),
                                    _size(p.stat().st_size))
                        for v in config.variants
                        if (p := _leaflet_path(config, locale, article.id, v)).exists()
                        and decisions[(article.id, locale)][1].publish]
            items.append({"title": loc.title, "summary": loc.summary, "href": f"{article.id}/",
                          "leaflets": leaflets})
        context = common(config, locale, ui, "../", languages, "")
        context |= {"articles": items, "canonical": page_url(config, locale)}
        path = site / locale_info(locale).bcp47 / "index.html"
        write_atomic(path, render(config.templates_dir, "index.html", context).encode("utf-8"))
        paths.append(path)
    paths.extend(_build_root(project, languages))
    return paths


def _build_root(project: Project, languages: Iterable[str]) -> list[Path]:
    config = project.config
    site = config.build_dir / "site"
    ui = ui_strings(project, config.source_language)
    context = common(config, config.source_language, ui, "", [], "")
    context |= {"languages": [{"href": f"{locale_info(lo).bcp47}/", "lang": locale_info(lo).bcp47,
                               "dir": locale_info(lo).direction, "name": locale_info(lo).endonym}
                              for lo in languages],
                "canonical": config.base_url, "switcher": [], "alternates": [], "x_default": ""}
    root = site / "index.html"
    css = site / "assets" / "site.css"
    write_atomic(root, render(config.templates_dir, "root.html", context).encode("utf-8"))
    write_atomic(css, render(config.templates_dir, "assets/site.css", {}).encode("utf-8"))
    return [root, css]


def _remove_stale(config: Config, expected: set[Path]) -> None:
    for sub in ("site", "leaflets"):
        folder = config.build_dir / sub
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*"), reverse=True):
            if path.is_file() and path.suffix in (".html", ".pdf", ".css") and path not in expected:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
