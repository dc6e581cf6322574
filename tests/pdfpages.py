"""Pages of a PDF as poppler lays them out (``pdftotext -bbox``): words with positions, and how
full each page's text area is. Shared by the leaflet layout tests and the pseudo-locale tests."""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from polyleaf.render.leaflets import page_margins

MM = 72 / 25.4


@dataclass(frozen=True, slots=True)
class Word:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float
    words: tuple[Word, ...]


def pages(path: Path) -> list[Page]:
    """Every page with its words (positions in pt from the top left)."""
    tool = shutil.which("pdftotext")
    assert tool, "pdftotext is needed as a judge: install poppler-utils (bash dev.sh test does)"
    out = subprocess.run([tool, "-bbox", str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    found = []
    for chunk in out.split("<page ")[1:]:
        size = re.match(r'width="([\d.]+)" height="([\d.]+)"', chunk)
        assert size
        words = tuple(Word(float(a), float(b), float(c), float(d), w) for a, b, c, d, w in
                      re.findall(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                                 r'yMax="([\d.-]+)">([^<]*)</word>', chunk))
        found.append(Page(float(size.group(1)), float(size.group(2)), words))
    return found


def margins(variant: str) -> tuple[float, float, float, float]:
    """The template's page margins for ``variant`` (top, right, bottom, left), in pt."""
    top, right, bottom, left = (float(v.removesuffix("mm")) * MM
                                for v in page_margins(variant).split())
    return top, right, bottom, left


def fills(path: Path, variant: str) -> list[float]:
    """How far down its text area each page's text goes (0..1): the running footer, below the
    text area, does not count."""
    top, _, bottom, _ = margins(variant)
    result = []
    for page in pages(path):
        area_bottom = page.height - bottom
        ys = [w.y1 for w in page.words if w.y1 <= area_bottom + 1]
        result.append((max(ys) - top) / (area_bottom - top) if ys else 0.0)
    return result


def variant_of(path: Path) -> str:
    """The variant in a leaflet's file name (``<id>-<variant>.pdf``)."""
    return next(v for v in ("a4-large", "bilingual", "letter", "a4")
                if path.stem.endswith(f"-{v}"))


def underfilled(path: Path, minimum: float = 0.4) -> list[str]:
    """The pages after the first and before the last filled to less than ``minimum``."""
    found = fills(path, variant_of(path))
    return [f"{path.parent.name}/{path.name} page {i + 1}: {fill:.0%} filled"
            for i, fill in enumerate(found) if 0 < i < len(found) - 1 and fill < minimum]
