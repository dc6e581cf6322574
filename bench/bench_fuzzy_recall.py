"""Benchmark: recall of the blocked fuzzy pairing against comparing everything, by edit size.

``bench_merge.py`` edits one word an entry. A translator also wants back an entry edited in
several places: a dose and a time changed, a sentence reworded. For each corpus shape this draws
entries (``bench/corpus.py``), edits each ``k`` times at random places (a unit replaced, added
or deleted: a word, or in CJK a character), keeps the pairs that still score >= the cutoff
against their original, and pairs them with ``fuzzy_pairs`` twice: blocked (the merge's index)
and comparing everything. Reported per shape and ``k``: queries, pairs found by comparing
everything, how many of those the blocked pairing misses (its recall loss) and how many it finds
that comparing everything does not (must be 0), and both CPU times.

    .venv/bin/python bench/bench_fuzzy_recall.py
    .venv/bin/python bench/bench_fuzzy_recall.py --shapes cjk --entries 3000 --edits 1,4,8
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SHAPES, make_corpus
from rapidfuzz import fuzz

from polyleaf.catalog.fuzzy import FUZZY_CUTOFF, fuzzy_pairs


def _tokens(text: str) -> tuple[list[str], str]:
    """A text's editable units and their joiner (characters for text without spaces)."""
    return (text.split(" "), " ") if " " in text else (list(text), "")


def edited(text: str, k: int, pool: list[str], rng: random.Random) -> str:
    """``text`` with ``k`` random unit edits: 60 % replaced, 20 % added, 20 % deleted."""
    units, joiner = _tokens(text)
    for _ in range(k):
        place, draw = rng.randrange(len(units)), rng.random()
        if draw < 0.6:
            units[place] = rng.choice(pool)
        elif draw < 0.8:
            units.insert(place, rng.choice(pool))
        elif len(units) > 2:
            del units[place]
    return joiner.join(units)


def row(shape: str, entries: int, k: int, seed: int) -> dict[str, str]:
    """One shape and edit count: queries, pairs, recall loss, CPU seconds."""
    texts = [e.msgid for e in make_corpus(entries, seed=seed, shape=shape).old.entries]
    rng = random.Random(seed * 1000 + k)
    pool = sorted({u for t in texts for u in _tokens(t)[0]})
    queries = []
    for text in texts[::3]:
        query = edited(text, k, pool, rng)
        if query != text and fuzz.ratio(query, text) >= FUZZY_CUTOFF:
            queries.append(query)
    start = time.process_time()
    blocked = set(fuzzy_pairs(queries, texts))
    blocked_cpu = time.process_time() - start
    start = time.process_time()
    everything = set(fuzzy_pairs(queries, texts, blocking=False))
    everything_cpu = time.process_time() - start
    return {"shape": shape, "edits": str(k), "queries": str(len(queries)),
            "pairs (everything)": str(len(everything)), "missed": str(len(everything - blocked)),
            "extra": str(len(blocked - everything)),
            "recall": f"{len(everything & blocked) / max(len(everything), 1):.4f}",
            "blocked CPU s": f"{blocked_cpu:.2f}", "everything CPU s": f"{everything_cpu:.2f}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shapes", default=",".join(s for s in SHAPES if s != "long"))
    parser.add_argument("--entries", type=int, default=3000)
    parser.add_argument("--edits", default="1,2,4,6,8")
    parser.add_argument("--seed", type=int, default=5)
    args = parser.parse_args()
    rows = [row(shape, args.entries, int(k), args.seed) for shape in args.shapes.split(",")
            for k in args.edits.split(",")]
    print("| " + " | ".join(rows[0]) + " |")
    print("| " + " | ".join("---" for _ in rows[0]) + " |")
    for values in rows:
        print("| " + " | ".join(values.values()) + " |")


if __name__ == "__main__":
    main()
