"""Where a leaflet's time goes: cProfile over polyleaf's leaflets, grouped by stage.

Every function's own time (``tottime``) is charged to a stage by the file it lives in. Time in C
code called through cffi or builtins (Pango, HarfBuzz, zlib) has no file of its own: it is
charged to the stages of its callers, in proportion to what each caller spent in it.
"""

from __future__ import annotations

import cProfile
import pstats
from collections import defaultdict
from pathlib import Path
from typing import Any

from polyleaf.catalog.project import Project
from polyleaf.render.leaflets import render_leaflet
from polyleaf.render.publication import Publication

# (path fragment, stage): the first fragment found in a function's file names its stage
STAGES = (
    ("polyleaf/render/pdftags", "PDF/UA tags (polyleaf)"),
    ("polyleaf/render/typography", "typography (polyleaf)"),
    ("polyleaf/render/fontcheck", "font checks (polyleaf)"),
    ("polyleaf/", "other polyleaf (context, localize, QA)"),
    ("segno/", "QR code (segno)"),
    ("jinja2/", "templates (Jinja)"),
    ("markdown_it/", "Markdown"),
    ("weasyprint/layout/", "layout"),
    ("weasyprint/css/", "CSS cascade and computed values"),
    ("weasyprint/text/", "text shaping and line breaking (Pango)"),
    ("weasyprint/pdf/fonts", "fonts: subsetting and embedding"),
    ("fontTools/", "fonts: subsetting and embedding"),
    ("weasyprint/pdf/", "PDF drawing and writing"),
    ("pydyf/", "PDF drawing and writing"),
    ("weasyprint/draw", "PDF drawing and writing"),
    ("weasyprint/formatting_structure", "box tree"),
    ("weasyprint/", "other WeasyPrint (HTML, images, fetch)"),
    ("tinycss2/", "CSS parsing"),
    ("cssselect2/", "CSS cascade and computed values"),
    ("tinyhtml5/", "HTML parsing"),
    ("html5lib/", "HTML parsing"),
    ("PIL/", "images"),
)
Key = tuple[str, int, str]


def stage_of(filename: str) -> str | None:
    """The stage a Python file belongs to; None for C code with no file."""
    if filename.startswith("~") or filename.startswith("<"):
        return None
    path = filename.replace("\\", "/")
    for fragment, stage in STAGES:
        if fragment in path:
            return stage
    return "Python standard library and the rest"


def charge(stats: dict[Key, Any]) -> dict[str, float]:
    """Seconds of own time per stage, C time handed up to the callers' stages."""
    totals: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, own, _, callers) in stats.items():
        stage = stage_of(filename)
        if stage is not None:
            totals[stage] += own
            continue
        shares = {caller: edge[2] for caller, edge in callers.items()}
        spent = sum(shares.values()) or 1.0
        for caller, part in shares.items():
            totals[stage_of(caller[0]) or "C code called from C"] += own * part / spent
    return totals


def profile_leaflets(project: Project, jobs: list[tuple[str, str, str]],
                     published: Publication) -> dict[str, float]:
    """Profile one pass over ``jobs`` and print the share of each stage."""
    articles = {a.id: a for a in project.sources.articles}
    profiler = cProfile.Profile()
    profiler.enable()
    for article_id, locale, variant in jobs:
        render_leaflet(project, articles[article_id], locale, variant, published,
                       str(Path("profile.pdf")))
    profiler.disable()
    totals = charge(pstats.Stats(profiler).stats)  # type: ignore[attr-defined]
    whole = sum(totals.values())
    print(f"  where the time goes ({len(jobs)} leaflets, {whole:.1f} s under cProfile, "
          f"{whole / len(jobs) * 1000:.0f} ms per leaflet):")
    for stage, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"    {seconds / whole * 100:5.1f} %  {seconds / len(jobs) * 1000:6.1f} ms  {stage}")
    return totals
