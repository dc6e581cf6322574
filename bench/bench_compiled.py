"""Benchmark: the catalog layer compiled by mypyc against the same source run by CPython.

The question it answers is a project decision issue 19 left open: would compiling the pure-Python
catalog layer (PO reader, writer, merge, fuzzy pairing) close the end-to-end targets that the
interpreter misses on `long` and `cjk`? mypyc (part of mypy, a test dependency) compiles the
typed modules unchanged. This script copies ``src/polyleaf`` into a temporary directory,
compiles the chosen modules there, and then, for each corpus shape, times every phase of a merge
(``bench_merge_phases.py``'s children, minimum CPU seconds) in both trees, round after round
alternating them so a loaded machine shifts both alike. It also checks that both trees write
the same bytes (a compiled build that changed an output would be disqualified, not timed).

Needs a C compiler and the Python headers (Debian: ``gcc``, ``python3-dev``); compiling takes
about a minute on 2 cores.

    .venv/bin/python bench/bench_compiled.py                         # zipf, long, cjk at 10k
    .venv/bin/python bench/bench_compiled.py --shapes cjk --sizes 50000 --rounds 2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_merge import write_inputs
from bench_merge_phases import FLOORS, PHASES, measure
from corpus import make_corpus

SRC = Path(__file__).resolve().parent.parent / "src"
# The modules of a merge's hot path that mypyc compiles as they are. Not leanread: its stand-in
# subclasses a slotted frozen dataclass, which mypyc refuses ("mypyc classes can't have
# __slots__"); it runs interpreted beside the compiled ones.
MODULES = ("fuzzy", "postings", "bitcount", "powrap", "polines", "pofile", "reading", "merge")


def build(modules: list[str], into: Path) -> Path:
    """A copy of ``src/polyleaf`` in ``into`` with ``modules`` (of polyleaf.catalog) compiled."""
    shutil.copytree(SRC / "polyleaf", into / "polyleaf",
                    ignore=shutil.ignore_patterns("__pycache__", "*.so"))
    paths = [f"polyleaf/catalog/{name}.py" for name in modules]
    done = subprocess.run([sys.executable, "-m", "mypyc", *paths], cwd=into,
                          capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"mypyc failed (a C compiler and the Python headers are needed):\n"
                 f"{(done.stdout + done.stderr)[-3000:]}")
    return into


def child(folder: Path, repeat: int) -> dict[str, object]:
    """In the child: which catalog modules are compiled, each phase's minimum CPU seconds and
    the SHA-256 of the merged catalog's bytes."""
    import importlib

    from polyleaf.catalog.merge import merge_stream
    from polyleaf.catalog.pofile import serialize_stream
    from polyleaf.catalog.reading import read_catalog, shared_msgids
    from polyleaf.i18n import locale_info

    compiled = sorted(name for name in MODULES if not str(
        importlib.import_module(f"polyleaf.catalog.{name}").__file__).endswith(".py"))
    template = read_catalog(folder / "new.pot", "new.pot")
    old = read_catalog(folder / "old.po", "old.po", known=shared_msgids(template))
    head, stream = merge_stream(old, template, locale_info("de"), "2026-01-01 00:00+0000")
    digest = hashlib.sha256()
    for chunk in serialize_stream(head, stream):
        digest.update(chunk)
    return {"compiled": compiled, "sha256": digest.hexdigest(), "best": measure(folder, repeat)}


def run(tree: Path, folder: Path, repeat: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, __file__, "--child", str(folder), "--repeat",
                           str(repeat)], env=env, check=True, capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout)
    return result


# Compiled together, merge calls fuzzy_pairs natively, past the wrapper that times the pairing
# apart: the two are reported as one phase.
GROUPS = {"read template": ("read template",), "read old": ("read old",),
          "merge with pairing": ("merge (no pairing)", "pairing"), "write": ("write",),
          "total": PHASES}


def report(shape: str, size: int, pure: dict[str, float], compiled: dict[str, float]) -> str:
    cells = []
    for name, phases in GROUPS.items():
        a, b = (sum(best[p] for p in phases) for best in (pure, compiled))
        cells.append(f"{name} {a:.3f} -> {b:.3f} (x{b / a:.2f})")
    floor = sum(pure[p] for p in FLOORS)
    return f"shape: {shape} | entries: {size:,} | " + " | ".join(cells) + f" | floor {floor:.3f}"


def compare(trees: dict[str, Path], shape: str, size: int, rounds: int, repeat: int) -> str:
    best: dict[str, dict[str, float]] = {"pure": {}, "compiled": {}}
    with tempfile.TemporaryDirectory() as folder:
        write_inputs(make_corpus(size, shape=shape), Path(folder))
        digests = set()
        for _ in range(rounds):
            for name, tree in trees.items():
                result = run(tree, Path(folder), repeat)
                if name == "compiled" and not result["compiled"]:
                    sys.exit("the compiled tree imported no compiled module")
                digests.add(result["sha256"])
                for phase, seconds in result["best"].items():  # type: ignore[attr-defined]
                    best[name][phase] = min(seconds, best[name].get(phase, seconds))
        if len(digests) != 1:
            sys.exit(f"{shape} {size}: the compiled build wrote different bytes")
    return report(shape, size, best["pure"], best["compiled"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000")
    parser.add_argument("--shapes", default="zipf,long,cjk")
    parser.add_argument("--modules", default=",".join(MODULES))
    parser.add_argument("--repeat", type=int, default=3, help="runs a child (minimum)")
    parser.add_argument("--rounds", type=int, default=2, help="children a tree, alternating")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(Path(args.child), args.repeat)))
        return
    with tempfile.TemporaryDirectory() as scratch:
        trees = {"pure": SRC, "compiled": build(args.modules.split(","), Path(scratch))}
        print("compiled:", args.modules, flush=True)
        for size in (int(s) for s in args.sizes.split(",")):
            for shape in args.shapes.split(","):
                print(compare(trees, shape, size, args.rounds, args.repeat), flush=True)


if __name__ == "__main__":
    main()
