"""Benchmark the build engine on a synthetic project (bench/synth.py), in one run:

- full HTML + PDF build time (process pool, all cores);
- HTML render time against a bare Jinja render of the same template and context (target <= 1.5x);
- PDF time against raw WeasyPrint on the same HTML (target <= 1.15x);
- speed-up from 1 to 2 processes (target >= 1.8x);
- no-op rebuild of 100 articles x 8 locales (target <= 0.3 s), in-process and as a CLI process;
- rebuild after one .po edit;
- peak RSS of the main process and of the largest worker, for a small and a large project.

    .venv/bin/python bench/bench_build.py [--articles 100 --locales 8]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synth import make_project

from polyleaf.config import load_config
from polyleaf.engine.build import build
from polyleaf.engine.executors import PoolExecutor

REPO = Path(__file__).resolve().parents[1]


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - start, result


def render_ratios(root: Path) -> tuple[float, float, float, float]:
    """(polyleaf page s, bare Jinja s, polyleaf pdf s, raw WeasyPrint s), medians."""
    from weasyprint import HTML

    from polyleaf.catalog.project import load_project
    from polyleaf.render import pages
    from polyleaf.render.leaflets import leaflet_context, render_leaflet
    from polyleaf.render.pages import render_article_page
    from polyleaf.render.publication import publish_everything
    from polyleaf.templates import environment

    project = load_project(load_config(root))
    article = project.sources.articles[0]
    published = publish_everything(project)
    env = environment(project.config.templates_dir)
    captured: dict[str, object] = {}
    original = pages.render

    def capture(templates_dir: Path, name: str, context: dict[str, object]) -> str:
        captured.update(context)
        return original(templates_dir, name, context)

    pages.render = capture  # type: ignore[assignment]
    render_article_page(project, article, "es", published)  # warm caches, capture the context
    pages.render = original  # type: ignore[assignment]
    page = statistics.median(timed(render_article_page, project, article, "es", published)[0]
                             for _ in range(20))
    article_template = env.get_template("article.html")
    bare = statistics.median(timed(article_template.render, **captured)[0] for _ in range(20))
    template = env.get_template("leaflet.html")
    context = leaflet_context(project, article, "es", "a4", published)
    html = template.render(**context)
    render_leaflet(project, article, "es", "a4", published, "x")
    ours = statistics.median(timed(render_leaflet, project, article, "es", "a4", published,
                                   "x")[0] for _ in range(5))
    raw = statistics.median(timed(lambda: HTML(string=html, base_url=str(root)).write_pdf())[0]
                            for _ in range(5))
    return page, bare, ours, raw


def peak_rss_mb() -> tuple[float, float]:
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", type=int, default=8)
    parser.add_argument("--speedup-articles", type=int, default=12)
    args = parser.parse_args()
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        small = make_project(Path(tmp) / "small", args.speedup_articles, 4, REPO)
        one, _ = timed(build, load_config(small), executor=PoolExecutor(1))
        (load_config(small).build_dir / ".polyleaf-manifest.json").unlink()
        for pdf in (small / "build").rglob("*.pdf"):
            pdf.unlink()
        two, _ = timed(build, load_config(small), executor=PoolExecutor(2))
        jobs = args.speedup_articles * 5
        print(f"speed-up 1->2 processes ({jobs} leaflets + pages): {one:.1f} s -> {two:.1f} s "
              f"= {one / two:.2f}x (target >= 1.8x; this machine has {cpus} CPUs)", flush=True)
        rss_small = peak_rss_mb()
        page, bare, ours, raw = render_ratios(small)
        print(f"HTML page: polyleaf {page * 1000:.1f} ms (localize + render) vs bare Jinja "
              f"{bare * 1000:.1f} ms (same template and context) = {page / bare:.2f}x "
              "(target <= 1.5x)", flush=True)
        print(f"PDF: polyleaf {ours:.3f} s vs raw WeasyPrint {raw:.3f} s = {ours / raw:.2f}x "
              "(target <= 1.15x)", flush=True)
        big = make_project(Path(tmp) / "big", args.articles, args.locales, REPO)
        config = load_config(big)
        full, report = timed(build, config, executor=PoolExecutor(cpus))
        outputs = len(report.outcomes)
        print(f"full build {args.articles} articles x {args.locales + 1} languages "
              f"({outputs} outputs): {full:.1f} s ({full / outputs * 1000:.0f} ms/output)",
              flush=True)
        noop = statistics.median(timed(build, load_config(big))[0] for _ in range(5))
        cli, _ = timed(subprocess.run, [str(REPO / ".venv/bin/polyleaf"), "-C", str(big),
                                        "build", "-q"], check=True)
        print(f"no-op rebuild: {noop * 1000:.0f} ms in-process (target <= 300 ms), "
              f"{cli * 1000:.0f} ms as a CLI process", flush=True)
        po = config.locales_dir / "es" / "LC_MESSAGES" / "article-000.po"
        po.write_text(po.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
        one_po, report = timed(build, load_config(big), executor=PoolExecutor(cpus))
        print(f"rebuild after one .po edit: {one_po:.2f} s, {len(report.ran)} job(s) ran",
              flush=True)
        rss_big = peak_rss_mb()
        print(f"peak RSS main/worker: {rss_small[0]:.0f}/{rss_small[1]:.0f} MB after the "
              f"{args.speedup_articles}x4 project, {rss_big[0]:.0f}/{rss_big[1]:.0f} MB after "
              f"{args.articles}x{args.locales}", flush=True)


if __name__ == "__main__":
    main()
