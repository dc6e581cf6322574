"""Benchmark: where a merge's time goes, phase by phase, against what touching the bytes costs.

For each corpus shape (bench/corpus.py) and size, a child process that holds nothing else reads
the template, reads the old catalog, merges (the fuzzy pairing timed apart), and serialises the
result to bytes, each phase in CPU seconds (the minimum of ``--repeat`` runs, so a loaded
machine inflates it less). Beside it the *floor* of the same input and output: reading and
decoding both files, one regex pass finding every string literal in them, and encoding and
writing the output's bytes; no PO reader or writer in Python can do less than that. The rows
say how far each phase is above its floor and where the end-to-end targets of issue 19 stand.

    .venv/bin/python bench/bench_merge_phases.py                     # zipf, long, cjk at 10k
    .venv/bin/python bench/bench_merge_phases.py --shapes long --sizes 10000,50000
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_merge import write_inputs
from corpus import make_corpus

STRING_LINE = re.compile(r'^(?:#[~|] )*(?:msg\w+(?:\[\d+\])? )?"(.*)"$', re.M)
PHASES = ("read template", "read old", "merge (no pairing)", "pairing", "write")
FLOORS = ("read and decode", "find every string", "encode and write")


def measure(folder: Path, repeat: int) -> dict[str, float]:
    """Each phase's and each floor's minimum CPU seconds over ``repeat`` runs (in this process:
    the child the parent starts)."""
    best: dict[str, float] = {}
    for _ in range(repeat):
        for name, seconds in {**_phases(folder), **_floors(folder)}.items():
            best[name] = min(seconds, best.get(name, seconds))
    return best


def _phases(folder: Path) -> dict[str, float]:
    from polyleaf.catalog import merge as merging
    from polyleaf.catalog.merge import merge_stream
    from polyleaf.catalog.pofile import serialize_stream
    from polyleaf.catalog.reading import read_catalog, shared_msgids
    from polyleaf.i18n import locale_info

    clock, paired = time.process_time, [0.0]
    pairs = merging.fuzzy_pairs

    def timed_pairs(*args: object, **kwargs: object) -> object:
        start = clock()
        try:
            return pairs(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            paired[0] += clock() - start

    merging.fuzzy_pairs = timed_pairs  # type: ignore[assignment]
    try:
        start = clock()
        template = read_catalog(folder / "new.pot", "new.pot")
        read_new = clock()
        old = read_catalog(folder / "old.po", "old.po", known=shared_msgids(template))
        read_old = clock()
        head, stream = merge_stream(old, template, locale_info("de"), "2026-01-01 00:00+0000")
        entries = list(stream)
        merged = clock()
        written = sum(map(len, serialize_stream(head, iter(entries))))
        done = clock()
    finally:
        merging.fuzzy_pairs = pairs
    assert written > 0
    return {"read template": read_new - start, "read old": read_old - read_new,
            "merge (no pairing)": merged - read_old - paired[0], "pairing": paired[0],
            "write": done - merged}


def _floors(folder: Path) -> dict[str, float]:
    clock = time.process_time
    start = clock()
    texts = [(folder / name).read_bytes().decode("utf-8") for name in ("new.pot", "old.po")]
    read = clock()
    found = sum(len(STRING_LINE.findall(text)) for text in texts)
    scanned = clock()
    with tempfile.TemporaryFile() as out:  # the old file stands in for the output (its size)
        out.write(texts[1].encode("utf-8"))
    wrote = clock()
    assert found > 0
    return {"read and decode": read - start, "find every string": scanned - read,
            "encode and write": wrote - scanned}


def report(shape: str, size: int, best: dict[str, float]) -> str:
    total = sum(best[name] for name in PHASES)
    floor = sum(best[name] for name in FLOORS)
    cells = [f"{name} {best[name]:.3f}" for name in (*PHASES, *FLOORS)]
    return (f"shape: {shape} | entries: {size:,} | " + " | ".join(cells)
            + f" | total {total:.3f} s | floor {floor:.3f} s | total / floor {total / floor:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--shapes", default="zipf,long,cjk")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(measure(Path(args.child), args.repeat)))
        return
    for size in (int(s) for s in args.sizes.split(",")):
        for shape in args.shapes.split(","):
            with tempfile.TemporaryDirectory() as folder:
                write_inputs(make_corpus(size, shape=shape), Path(folder))
                done = subprocess.run([sys.executable, __file__, "--child", folder,
                                       "--repeat", str(args.repeat)],
                                      check=True, capture_output=True, text=True)
                print(report(shape, size, json.loads(done.stdout)), flush=True)


if __name__ == "__main__":
    main()
