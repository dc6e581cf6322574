"""Benchmark the review stage, in one run:

- on a synthetic project (bench/synth.py, default 100 articles x 4 locales): recording every
  approval, reading every record and computing every article's review state, and what the review
  gate adds to the build's publishing decisions (``plan_decisions`` with reviews / without);
- linear time on translator-controlled text, at 0.25, 0.5 and 1 MB (each doubling should about
  double the time, never quadruple it): the word diff of the review packet (similar texts, wholly
  different texts, Chinese), reading a review record (TOML + the approval-header pattern), the
  Weblate JSON and XLIFF importers, and the ``--segments`` parser.

    .venv/bin/python bench/bench_review.py [--articles 100 --locales 4]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from synth import make_project

from polyleaf.catalog.project import load_project
from polyleaf.config import load_config
from polyleaf.engine.build import plan_decisions
from polyleaf.review.approve import Signoff, record_approvals, select
from polyleaf.review.interop import parse_weblate_json, parse_xliff
from polyleaf.review.records import (
    Approval,
    ReviewRecord,
    make_segment,
    parse_record,
    seal,
    serialize_record,
)
from polyleaf.review.state import ArticleReview, load_reviews, project_review
from polyleaf.review.worddiff import word_diff

REPO = Path(__file__).resolve().parents[1]
SIZES = (250_000, 500_000, 1_000_000)


def timed(function: Callable[..., Any], *args: Any, repeat: int = 3) -> float:
    """Median seconds of ``repeat`` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(*args)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def project_numbers(articles: int, locales: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = make_project(Path(folder) / "p", articles, locales, REPO)
        toml = root / "polyleaf.toml"
        toml.write_text(toml.read_text(encoding="utf-8") + '[publish]\nrequire_review = ["leaflets"]\n',
                        encoding="utf-8")
        config = load_config(root)
        project = load_project(config)
        ids = [a.id for a in project.sources.articles]
        start = time.perf_counter()
        report = record_approvals(project, ids, config.locales, Signoff("Bench", "clinician"))
        approve_s = time.perf_counter() - start
        assert not report.diagnostics and len(report.written) == articles * locales
        segments = report.approved
        load_s = timed(lambda: project_review(project, load_reviews(project)))
        items: list[ArticleReview] = project_review(project, load_reviews(project))
        assert all(item.complete for item in items)
        plain = timed(plan_decisions, project)
        gated = timed(lambda: plan_decisions(project, load_reviews(project)))
        print(f"project: {articles} articles x {locales} locales, {segments} approved segments")
        print(f"  approve all:                   {approve_s:7.3f} s ({len(report.written)} records)")
        print(f"  read records + review state:   {load_s:7.3f} s")
        print(f"  plan_decisions without review: {plain:7.3f} s")
        print(f"  plan_decisions with review:    {gated:7.3f} s  (x{gated / plain:.2f})")


def words(rng: random.Random, size: int) -> str:
    vocabulary = ["rest", "pain", "dose", "500", "mg", "twice", "daily", "call", "doctor", "now"]
    out: list[str] = []
    total = 0
    while total < size:
        word = rng.choice(vocabulary)
        out.append(word)
        total += len(word) + 1
    return " ".join(out)


def record_text(size: int) -> str:
    segments, total, number = [], 0, 0
    while total < size:
        text = f"Paragraph {number}: " + "rest and drink water. " * 20
        segments.append(make_segment(None, text, text.upper()))
        total += 2 * len(text) + 100
        number += 1
    approval = seal("a", "es", Approval("Bench", "clinician", date(2026, 1, 1),
                                        "review packet", "full", tuple(segments)))
    return serialize_record(ReviewRecord("a", "es", (approval,))).decode("utf-8")


def units_json(size: int) -> str:
    rows, total, number = [], 0, 0
    while total < size:
        text = f"Segment {number} " + "take 2 tablets with water " * 8
        rows.append({"source": [text], "target": [text], "context": "", "state": 30})
        total += 2 * len(text) + 60
        number += 1
    return json.dumps({"results": rows})


def xliff(size: int) -> str:
    units, total, number = [], 0, 0
    while total < size:
        text = f"Segment {number} " + "take 2 tablets with water " * 8
        units.append(f'<unit id="{number}"><segment state="final"><source>{text}</source>'
                     f"<target>{text}</target></segment></unit>")
        total += 2 * len(text) + 80
        number += 1
    return ('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" srcLang="en" '
            f'trgLang="es"><file id="f">{"".join(units)}</file></xliff>')


def _diff_similar(rng: random.Random, size: int) -> Callable[[], object]:
    old = words(rng, size)
    new = old[: len(old) // 2] + "X" + old[len(old) // 2 + 1:]
    return lambda: word_diff(old, new)


def _diff_different(rng: random.Random, size: int) -> Callable[[], object]:
    old, new = words(rng, size), words(rng, size)
    return lambda: word_diff(old, new)


def _diff_chinese(rng: random.Random, size: int) -> Callable[[], object]:
    old = "休息两天多喝水" * (size // 21)  # 3 bytes a character
    return lambda: word_diff(old, old.replace("两", "三", 1))


def _record(rng: random.Random, size: int) -> Callable[[], object]:
    text = record_text(size)
    return lambda: parse_record(text, "x", "a", "es")


def _units(rng: random.Random, size: int) -> Callable[[], object]:
    text = units_json(size)
    return lambda: parse_weblate_json(text)


def _xliff(rng: random.Random, size: int) -> Callable[[], object]:
    text = xliff(size)
    return lambda: parse_xliff(text)


def _segments(rng: random.Random, size: int) -> Callable[[], object]:
    text = ",".join("1-2" for _ in range(size // 4))
    return lambda: select(_Review(), text, "x")  # type: ignore[arg-type]


CASES: dict[str, Callable[[random.Random, int], Callable[[], object]]] = {
    "word diff, one word changed": _diff_similar, "word diff, different texts": _diff_different,
    "word diff, Chinese": _diff_chinese, "read a review record": _record,
    "Weblate units JSON": _units, "XLIFF 2.0": _xliff, "--segments parser": _segments,
}


def linear_numbers() -> None:
    rng = random.Random(5)
    print("linear time on ~1 MB inputs (seconds at 0.25 / 0.5 / 1 MB; ratio 1 MB / 0.5 MB):")
    for name, make in CASES.items():
        seconds = [timed(make(rng, size), repeat=1) for size in SIZES]
        print(f"  {name:30s} {seconds[0]:7.3f} {seconds[1]:7.3f} {seconds[2]:7.3f}"
              f"   x{seconds[2] / max(seconds[1], 1e-9):.2f}")


class _Review:
    """A stand-in ArticleReview with two segments, for the selection parser."""

    segments = (type("S", (), {"number": 1})(), type("S", (), {"number": 2})())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", type=int, default=4)
    args = parser.parse_args()
    project_numbers(args.articles, args.locales)
    linear_numbers()


if __name__ == "__main__":
    main()
