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
Each leaflet is timed on the wall clock and in CPU time (``time.process_time``: what a loaded
machine cannot inflate), and reported per variant and per script (Latin, Arabic, CJK).
``--profile`` runs polyleaf's leaflets once more under cProfile and says where the time goes
(layout, CSS, text shaping, font subsetting, PDF/UA tags, QR code, templates, ...).

    .venv/bin/python bench/bench_leaflet.py              # every variant in polyleaf.toml, 3 rounds
    .venv/bin/python bench/bench_leaflet.py --variants a4 --rounds 5 --profile
"""

from __future__ import annotations

import argparse
import gc
import os
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
sys.path.insert(0, str(Path(__file__).parent))
Job = tuple[str, str, str]  # (article id, locale, variant)


def timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds one call takes (garbage collected first, so no run pays for
    another's)."""
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - start, time.process_time() - cpu


def script(locale: str) -> str:
    """The writing system a locale's leaflet is set in."""
    return {"ar": "Arabic", "fa": "Arabic", "he": "Hebrew"}.get(
        locale.split("_")[0], "CJK" if locale.split("_")[0] in ("zh", "ja", "ko") else "Latin")


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
            rounds: int) -> dict[str, list[tuple[float, float]]]:
    """Per-leaflet median (wall, CPU) seconds for each way of rendering."""
    articles = {a.id: a for a in project.sources.articles}
    config = project.config
    times: dict[str, list[list[tuple[float, float]]]] = {"polyleaf": [], "raw": [], "raw+ua": []}
    for _ in range(rounds):
        row: dict[str, list[tuple[float, float]]] = {name: [] for name in times}
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
    return {name: [(statistics.median(r[i][0] for r in rows),
                    statistics.median(r[i][1] for r in rows)) for i in range(len(jobs))]
            for name, rows in times.items()}


def groups(jobs: list[Job], results: dict[str, list[tuple[float, float]]], label: str,
           key: Callable[[Job], str]) -> None:
    """Print ms per leaflet (wall and CPU) and the polyleaf/raw ratio for each group of jobs."""
    by: dict[str, list[int]] = {}
    for index, job in enumerate(jobs):
        by.setdefault(key(job), []).append(index)
    print(f"  per {label}:{'':6} polyleaf wall/cpu ms   raw wall/cpu ms   ratio (cpu)")
    for name, indexes in sorted(by.items()):
        mine = [sum(results["polyleaf"][i][k] for i in indexes) / len(indexes) for k in (0, 1)]
        raw = [sum(results["raw"][i][k] for i in indexes) / len(indexes) for k in (0, 1)]
        print(f"    {name:10} ({len(indexes):2d}) {mine[0] * 1000:7.0f} / {mine[1] * 1000:5.0f}"
              f"       {raw[0] * 1000:6.0f} / {raw[1] * 1000:5.0f}     "
              f"{mine[0] / raw[0]:.3f}x ({mine[1] / raw[1]:.3f}x)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--variants", nargs="*", help="default: the variants in polyleaf.toml")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="where a leaflet's time goes")
    args = parser.parse_args()
    project = load_project(load_config(REPO))
    jobs, published = leaflet_jobs(project, args.variants or list(project.config.variants))
    warm = jobs[0]
    render_leaflet(project, next(a for a in project.sources.articles if a.id == warm[0]),
                   warm[1], warm[2], published, "warm.pdf")  # fontconfig, Jinja, caches
    results = measure(project, jobs, published, args.rounds)
    total = {name: sum(w for w, _ in values) for name, values in results.items()}
    cpu = {name: sum(c for _, c in values) for name, values in results.items()}
    print(f"{len(jobs)} leaflets x {args.rounds} rounds (median per leaflet), "
          f"variants: {' '.join(sorted({v for *_, v in jobs}))}; load {os.getloadavg()[0]:.1f}")
    for name, values in results.items():
        walls = [w for w, _ in values]
        print(f"  {name:9} total {total[name]:7.2f} s wall, {cpu[name]:7.2f} s cpu   per "
              f"leaflet: median {statistics.median(walls) * 1000:6.0f} ms, "
              f"max {max(walls) * 1000:6.0f} ms")
    ratio = total["polyleaf"] / total["raw"]
    print(f"  polyleaf / raw     = {ratio:.3f}x wall, {cpu['polyleaf'] / cpu['raw']:.3f}x cpu "
          "(target <= 1.15x)")
    print(f"  polyleaf / raw+ua  = {total['polyleaf'] / total['raw+ua']:.3f}x "
          "(polyleaf's own work: context, template, checks)")
    groups(jobs, results, "variant", lambda job: job[2])
    groups(jobs, results, "script", lambda job: script(job[1]))
    if args.profile:
        from leaflet_profile import profile_leaflets

        profile_leaflets(project, jobs, published)
    return 0 if ratio <= 1.15 else 1


if __name__ == "__main__":
    sys.exit(main())
