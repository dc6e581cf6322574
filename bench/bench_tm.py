"""Translation memory cost: ``update`` of a 10,000-entry catalog with and without a 50,000-unit memory.

The catalog gets the edit of bench/corpus.py (10 % one-word edits, 5 % removed, 5 % new); the
memory holds 50,000 other translated paragraphs plus, for half of the new entries, a one-word
variant (so lookups both hit and miss). Measured: parse + merge + write without the memory, and
parse + merge + memory build + pre-fill + write with it. Goal: at most 20 % more.

    PYTHONPATH=src .venv/bin/python bench/bench_tm.py [--size 10000] [--memory 50000]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus, shapes

from polyleaf.catalog import pofile
from polyleaf.catalog.memory import Memory, Unit, prefill
from polyleaf.catalog.merge import merge
from polyleaf.i18n import locale_info


def memory_units(size: int, new: list[str], shape_name: str = "zipf", seed: int = 9,
                 ) -> list[Unit]:
    rng = random.Random(seed)
    shape = shapes()[shape_name]
    units = [Unit(shape.sep.join(shape.draw(rng)).capitalize() + ".", f"T{n}", "other.po")
             for n in range(size)]
    for text in new[::2]:
        parts = text.split()
        parts[len(parts) // 2] = "zzvariant"
        units.append(Unit(" ".join(parts), "T-near", "near.po"))
    return units


def run(old_text: str, template: pofile.Catalog, units: list[Unit] | None,
        ) -> tuple[float, float, int]:
    """Wall and CPU seconds of parse + merge (+ memory + pre-fill) + write, and entries filled."""
    start, cpu = time.perf_counter(), time.process_time()
    info = locale_info("de")
    merged = merge(pofile.parse(old_text), template, info, "2026-01-01 00:00+0000")
    filled = 0
    if units is not None:
        merged, filled = prefill(merged, Memory(units))
    pofile.serialize(merged)
    return time.perf_counter() - start, time.process_time() - cpu, filled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--memory", type=int, default=50_000)
    parser.add_argument("--shape", default="zipf")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = make_corpus(args.size, shape=args.shape)
    old_text = pofile.serialize(corpus.old)
    units = memory_units(args.memory, sorted(corpus.added), args.shape)
    plain, with_tm = [], []
    for _ in range(args.repeat):  # interleaved, so a change in machine load hits both
        plain.append(run(old_text, corpus.template, None))
        with_tm.append(run(old_text, corpus.template, units))
    print(f"{args.shape}: catalog {args.size:,} entries ({len(corpus.added)} new), memory "
          f"{len(units):,} units, load average {os.getloadavg()[0]:.1f}")
    for label, column in (("wall", 0), ("CPU", 1)):
        base = statistics.median(r[column] for r in plain)
        tm = statistics.median(r[column] for r in with_tm)
        print(f"  {label}: update without TM {base:.3f} s; with TM {tm:.3f} s "
              f"(+{(tm / base - 1) * 100:.0f} %)")
    print(f"  {with_tm[0][2]} entries pre-filled")


if __name__ == "__main__":
    main()
