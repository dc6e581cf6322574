"""Benchmark the build engine on a synthetic project (bench/synth.py), in one run:

- full HTML + PDF build time (process pool, all cores);
- HTML render time against a bare Jinja render of the same template and context (target <= 1.5x);
- PDF time against raw WeasyPrint on the same HTML (target <= 1.15x);
- speed-up from 1 to 2 processes (target >= 1.8x);
- no-op rebuild of 100 articles x 8 locales (target <= 0.3 s), in-process and as a CLI process;
- rebuild after one .po edit;
- peak RSS of the main process and of the largest worker, for a small and a large project
  (the worker's is an upper bound: Linux carries ``ru_maxrss`` over ``exec`` from the process
  that started it, so a worker reports at least the main process's peak at that moment).

    .venv/bin/python bench/bench_build.py [--articles 100 --locales 8]

``--incremental`` measures only the incremental build (issue 19) on 100 x 8 (with leaflets) and
1,000 x 20 (pages only: 21,000 leaflets would take hours on 2 cores): the cold build, a no-op
CLI run (a subprocess, wall time), a one-.po edit and a one-source edit, wall and CPU time
(this process and its children), the load average. ``--sizes 100x8,1000x20p`` picks them.

    .venv/bin/python bench/bench_build.py --incremental
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


def cpu() -> float:
    """CPU seconds of this process and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measured(label: str, function, *args, **kwargs):  # type: ignore[no-untyped-def]
    load = os.getloadavg()[0]
    start, used = time.perf_counter(), cpu()
    result = function(*args, **kwargs)
    wall, spent = time.perf_counter() - start, cpu() - used
    ran = f", {len(result.ran)} job(s) ran" if hasattr(result, "ran") else ""
    print(f"  {label}: {wall:.2f} s wall, {spent:.2f} s CPU{ran} (load {load:.1f})", flush=True)
    return result


def one_word(text: str) -> str:
    """The catalog with the first word of its first one-line translation changed."""
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith('msgstr "') and len(line) > 12)
    lines[at] = lines[at].replace('msgstr "', 'msgstr "Muy ', 1)
    return "\n".join(lines)


def incremental(size: str, tmp: Path) -> None:
    """Cold, no-op CLI, one .po edit, one source edit on a synthetic project ``AxL[p]``."""
    pages = size.endswith("p")
    articles, locales = (int(n) for n in size.rstrip("p").split("x"))
    start = time.perf_counter()
    root = make_project(tmp / size, articles, locales, REPO, variants=() if pages else ("a4",))
    print(f"{articles} articles x {locales + 1} languages"
          f"{' (pages only)' if pages else ' (pages + a4 leaflets)'}, made in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    config = load_config(root)
    cpus = os.cpu_count() or 1
    measured("cold build", build, config, executor=PoolExecutor(cpus))
    script = REPO / ".venv/bin/polyleaf"  # a worktree has none: this interpreter runs the CLI
    command = [*([str(script)] if script.exists() else [sys.executable, "-m", "polyleaf"]),
               "-C", str(root), "build", "-q"]
    for _ in range(3):
        measured("no-op CLI (subprocess)", subprocess.run, command, check=True)
    po = config.locales_dir / "es" / "LC_MESSAGES" / "article-000.po"
    for round_ in range(2):  # a comment appended (no entry changes), then a one-word fix
        text = po.read_text(encoding="utf-8")
        po.write_text(text + f"\n# edited {round_}\n" if round_ == 0 else
                      one_word(text), encoding="utf-8")
        measured(f"one .po edit ({'comment' if round_ == 0 else 'one word'})", build,
                 load_config(root), executor=PoolExecutor(cpus))
    measured("no-op CLI after it", subprocess.run, command, check=True)
    source = config.source_dir / "article-000.md"
    source.write_text(source.read_text(encoding="utf-8").replace(" for more.", " for more!", 1),
                      encoding="utf-8")
    measured("one source edit (a sentence's punctuation)", build, load_config(root),
             executor=PoolExecutor(cpus))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", type=int, default=8)
    parser.add_argument("--speedup-articles", type=int, default=12)
    parser.add_argument("--incremental", action="store_true")
    parser.add_argument("--sizes", default="100x8,1000x20p")
    parser.add_argument("--keep", type=Path, default=None, help="make projects here, kept")
    args = parser.parse_args()
    if args.incremental:
        with tempfile.TemporaryDirectory() as tmp:
            for size in args.sizes.split(","):
                incremental(size, args.keep or Path(tmp))
        return
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
