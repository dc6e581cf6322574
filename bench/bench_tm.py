"""Translation memory cost: ``update`` of a 10,000-entry catalog with and without a 50,000-unit memory.

The catalog gets the edit of bench/corpus.py (10 % one-word edits, 5 % removed, 5 % new); the
memory holds 50,000 other translated paragraphs plus, for half of the new entries, a one-word
variant (so lookups both hit and miss). Measured: parse + merge + write without the memory, and
parse + merge + memory build + pre-fill + write with it. Goal: at most 20 % more.

    PYTHONPATH=src .venv/bin/python bench/bench_tm.py [--size 10000] [--memory 50000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus, paragraph, vocabulary

from polyleaf.catalog import pofile
from polyleaf.catalog.memory import Memory, Unit, prefill
from polyleaf.catalog.merge import merge
from polyleaf.i18n import locale_info


def memory_units(size: int, new: list[str], seed: int = 9) -> list[Unit]:
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(words))]
    units = [Unit(paragraph(rng, words, weights), f"T{n}", "other.po") for n in range(size)]
    for text in new[::2]:
        parts = text.split()
        parts[len(parts) // 2] = "zzvariant"
        units.append(Unit(" ".join(parts), "T-near", "near.po"))
    return units


def run(old_text: str, template: pofile.Catalog, units: list[Unit] | None) -> tuple[float, int]:
    start = time.perf_counter()
    info = locale_info("de")
    merged = merge(pofile.parse(old_text), template, info, "2026-01-01 00:00+0000")
    filled = 0
    if units is not None:
        merged, filled = prefill(merged, Memory(units))
    pofile.serialize(merged)
    return time.perf_counter() - start, filled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--memory", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = make_corpus(args.size)
    old_text = pofile.serialize(corpus.old)
    units = memory_units(args.memory, sorted(corpus.added))
    plain = [run(old_text, corpus.template, None)[0] for _ in range(args.repeat)]
    with_tm = [run(old_text, corpus.template, units) for _ in range(args.repeat)]
    base, tm = statistics.median(plain), statistics.median(t for t, _ in with_tm)
    print(f"catalog {args.size:,} entries ({len(corpus.added)} new), memory {len(units):,} units")
    print(f"update without TM: {base:.3f} s; with TM: {tm:.3f} s "
          f"(+{(tm / base - 1) * 100:.0f} %), {with_tm[0][1]} entries pre-filled")


if __name__ == "__main__":
    main()
