"""Benchmark: one leaflet through polyleaf against WeasyPrint alone on the same HTML.

For every printable leaflet of the example project (3 articles x 5 complete languages x the
configured variants), in one process and one run, interleaved leaflet by leaflet:

- ``polyleaf``: :func:`polyleaf.render.leaflets.render_leaflet` end to end: localize the article,
  render the Jinja template, WeasyPrint with the project-only URL fetcher, the shared
  FontConfiguration, PDF/UA-1 tags, and polyleaf's font checks (missing glyphs, guessed fonts).
- ``raw``: ``weasyprint.HTML(string=html).write_pdf()`` of the very same HTML, WeasyPrint's
  defaults (a new FontConfiguration per document, no tags): the baseline the target is set on.
- ``raw+ua``: WeasyPrint alone with polyleaf's options (shared FontConfiguration, PDF/UA-1 tags,
  fixed identifier), to show what polyleaf's own work costs on top of the PDF it asks for.

The ratio is the sum of per-leaflet medians over ``--rounds`` rounds; target: polyleaf <= 1.15x raw.

    .venv/bin/python bench/bench_leaflet.py              # every variant in polyleaf.toml, 3 rounds
    .venv/bin/python bench/bench_leaflet.py --variants a4 --rounds 5
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

from weasyprint import HTML

from polyleaf.catalog.project import Project, load_project
from polyleaf.config import load_config
from polyleaf.render.html import render
from polyleaf.render.leaflets import leaflet_context, render_leaflet
from polyleaf.render.pdf import font_configuration, pdf_options
from polyleaf.render.publication import Publication, decide

REPO = Path(__file__).resolve().parents[1]
Job = tuple[str, str, str]  # (article id, locale, variant)


def timed(work: Callable[[], object]) -> float:
    """Seconds one call takes (garbage collected first, so no run pays for another's)."""
    gc.collect()
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def raw(html: str) -> bytes:
    """WeasyPrint alone, with its defaults."""
    data: bytes = HTML(string=html).write_pdf()
    return data


def raw_with_polyleaf_options(html: str, standard: str) -> bytes:
    """WeasyPrint alone, with the font configuration and PDF options polyleaf uses."""
    data: bytes = HTML(string=html).render(font_config=font_configuration()).write_pdf(
        **pdf_options(html, standard))
    return data


def leaflet_jobs(project: Project, variants: list[str]) -> tuple[list[Job], Publication]:
    """Every printable (article, locale, variant), and the publishing decision."""
    publication = decide(project)
    jobs = [(article, locale, variant) for (article, locale) in sorted(publication.printable)
            for variant in variants]
    return jobs, publication


def measure(project: Project, jobs: list[Job], published: Publication,
            rounds: int) -> dict[str, list[float]]:
    """Per-leaflet median seconds for each way of rendering."""
    articles = {a.id: a for a in project.sources.articles}
    config = project.config
    times: dict[str, list[list[float]]] = {"polyleaf": [], "raw": [], "raw+ua": []}
    for _ in range(rounds):
        row: dict[str, list[float]] = {name: [] for name in times}
        for article_id, locale, variant in jobs:
            article = articles[article_id]
            html = render(config.templates_dir, "leaflet.html",
                          leaflet_context(project, article, locale, variant, published))
            row["polyleaf"].append(timed(partial(render_leaflet, project, article, locale,
                                                 variant, published, "bench.pdf")))
            row["raw"].append(timed(partial(raw, html)))
            row["raw+ua"].append(timed(partial(raw_with_polyleaf_options, html,
                                                   config.pdf_standard)))
        for name, values in row.items():
            times[name].append(values)
    return {name: [statistics.median(r[i] for r in rows) for i in range(len(jobs))]
            for name, rows in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="*", help="default: the variants in polyleaf.toml")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    project = load_project(load_config(REPO))
    jobs, published = leaflet_jobs(project, args.variants or list(project.config.variants))
    warm = jobs[0]
    render_leaflet(project, next(a for a in project.sources.articles if a.id == warm[0]),
                   warm[1], warm[2], published, "warm.pdf")  # fontconfig, Jinja, caches
    results = measure(project, jobs, published, args.rounds)
    total = {name: sum(values) for name, values in results.items()}
    print(f"{len(jobs)} leaflets x {args.rounds} rounds (median per leaflet), "
          f"variants: {' '.join(sorted({v for *_, v in jobs}))}")
    for name, values in results.items():
        print(f"  {name:9} total {total[name]:7.2f} s   per leaflet: median "
              f"{statistics.median(values) * 1000:6.0f} ms, max {max(values) * 1000:6.0f} ms")
    ratio = total["polyleaf"] / total["raw"]
    print(f"  polyleaf / raw     = {ratio:.3f}x (target <= 1.15x)")
    print(f"  polyleaf / raw+ua  = {total['polyleaf'] / total['raw+ua']:.3f}x "
          "(polyleaf's own work: context, template, checks)")
    by_variant: dict[str, list[int]] = {}
    for index, (_, _, variant) in enumerate(jobs):
        by_variant.setdefault(variant, []).append(index)
    for variant, indexes in sorted(by_variant.items()):
        mine = sum(results["polyleaf"][i] for i in indexes)
        raw = sum(results["raw"][i] for i in indexes)
        print(f"    {variant:9} polyleaf {mine / len(indexes) * 1000:5.0f} ms/leaflet, "
              f"raw {raw / len(indexes) * 1000:5.0f} ms/leaflet, ratio {mine / raw:.3f}x")
    return 0 if ratio <= 1.15 else 1


if __name__ == "__main__":
    sys.exit(main())
