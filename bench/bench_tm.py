"""Translation memory cost: ``update`` of a 10,000-entry catalog with and without a 50,000-unit memory.

The catalog gets the edit of bench/corpus.py (10 % one-word edits, 5 % removed, 5 % new); the
memory holds 50,000 other translated paragraphs plus, for half of the new entries, a one-word
variant (so lookups both hit and miss). Measured: parse + merge + write without the memory, and
parse + merge + memory index + pre-fill + write with it, three ways: the index built and saved
(the first update after the memory changed), built and not kept, and read back from the cache
(every later update). Goal: at most 20 % more.

    PYTHONPATH=src .venv/bin/python bench/bench_tm.py [--size 10000] [--memory 50000]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import make_corpus, shapes

from polyleaf.catalog import pofile
from polyleaf.catalog.memory import Memory, Unit, prefill
from polyleaf.catalog.merge import merge
from polyleaf.i18n import locale_info


def memory_units(size: int, new: list[str], shape_name: str = "zipf", seed: int = 9,
                 catalogs: int = 100) -> list[Unit]:
    """``size`` translated paragraphs in ``catalogs`` catalogs, then near variants of half the
    new entries (one catalog)."""
    rng = random.Random(seed)
    shape = shapes()[shape_name]
    per = -(-size // catalogs)
    units = [Unit(shape.sep.join(shape.draw(rng)).capitalize() + ".", f"T{n}",
                  f"other-{n // per:03d}.po") for n in range(size)]
    for text in new[::2]:
        parts = text.split()
        parts[len(parts) // 2] = "zzvariant"
        units.append(Unit(" ".join(parts), "T-near", "near.po"))
    return units


def run(old_text: str, template: pofile.Catalog, units: list[Unit] | None,
        cache: Path | None = None) -> tuple[float, float, int]:
    """Wall and CPU seconds of parse + merge (+ memory + pre-fill) + write, and entries filled."""
    start, cpu = time.perf_counter(), time.process_time()
    info = locale_info("de")
    merged = merge(pofile.parse(old_text), template, info, "2026-01-01 00:00+0000")
    filled = 0
    if units is not None:
        merged, filled = prefill(merged, Memory(units, cache))
    pofile.serialize(merged)
    return time.perf_counter() - start, time.process_time() - cpu, filled


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--memory", type=int, default=50_000)
    parser.add_argument("--shape", default="zipf")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--catalogs", type=int, default=100, help="catalogs the memory comes from")
    args = parser.parse_args()
    corpus = make_corpus(args.size, shape=args.shape)
    old_text = pofile.serialize(corpus.old)
    units = memory_units(args.memory, sorted(corpus.added), args.shape, catalogs=args.catalogs)
    # one catalog of the memory re-translated since the index was saved: a delta is built
    changed = [Unit(u.source + " Again.", u.target, u.origin) if u.origin == units[0].origin
               else u for u in units]
    plain, cold, warm, delta = [], [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "tm"
        for number in range(args.repeat):  # interleaved, so a change in machine load hits all
            plain.append(run(old_text, corpus.template, None))
            cold.append(run(old_text, corpus.template, units, None))  # index built, not kept
            warm.append(run(old_text, corpus.template, units, cache))
            if number == 0:
                first = warm.pop()  # the index saved: the first update ever
                size = sum(p.stat().st_size for p in cache.iterdir())
            copy = Path(tmp) / f"copy{number}"
            shutil.copytree(cache, copy)
            delta.append(run(old_text, corpus.template, changed, copy))
    print(f"{args.shape}: catalog {args.size:,} entries ({len(corpus.added)} new), memory "
          f"{len(units):,} units in {args.catalogs + 1} catalogs, {args.repeat} runs, "
          f"load average {os.getloadavg()[0]:.1f}")
    for label, column in (("wall", 0), ("CPU", 1)):
        base = statistics.median(r[column] for r in plain)
        print(f"  {label}: update without TM {base:.3f} s")
        for name, rows in (("index built and saved (first update)", [first]),
                           ("index built, no cache", cold),
                           ("index read back (memory unchanged)", warm),
                           (f"one of {args.catalogs} memory catalogs changed", delta)):
            tm = statistics.median(r[column] for r in rows)
            print(f"    with TM, {name}: {tm:.3f} s (+{(tm / base - 1) * 100:.0f} %)")
    print(f"  {warm[0][2]} entries pre-filled; index files {size / 1e6:.1f} MB")
    assert warm[0][2] == cold[0][2] == first[2], "the cached index changed what was filled"
    print(f"  with one catalog changed: {delta[0][2]} entries pre-filled")


if __name__ == "__main__":
    main()
