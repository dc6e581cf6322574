"""Benchmark: merge a new template into a translated catalog (read, merge, write).

Corpus (bench/corpus.py): paragraph-sized entries of 10-60 words; 10 % edited by one word, 5 %
removed, 5 % added. Reports, in one run: polyleaf's end-to-end time at several sizes (median of
3 runs, in-process, and once as a CLI process), its quality (edits recovered as fuzzy with the
right previous msgid, false fuzzy matches on added paragraphs), and the same for GNU msgmerge
--previous and translate-toolkit's pot2po as anchors, with ratios.

    .venv/bin/python bench/bench_merge.py            # sizes 10k, 20k, 50k; anchors at 2k/10k
    .venv/bin/python bench/bench_merge.py --full     # msgmerge at 10k too (about 6 minutes)
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import Corpus, make_corpus

from polyleaf.catalog import pofile
from polyleaf.catalog.files import read_catalog
from polyleaf.catalog.merge import merge
from polyleaf.i18n import locale_info

REPO = Path(__file__).resolve().parents[1]


def write_inputs(corpus: Corpus, folder: Path) -> tuple[Path, Path]:
    """old.po and new.pot on disk."""
    old, pot = folder / "old.po", folder / "new.pot"
    old.write_text(pofile.serialize(corpus.old), encoding="utf-8")
    pot.write_text(pofile.serialize(corpus.template), encoding="utf-8")
    return old, pot


def polyleaf_once(old: Path, pot: Path, out: Path) -> float:
    """Read both files, merge, write: seconds."""
    gc.collect()
    start = time.perf_counter()
    merged = merge(read_catalog(old, "old.po"), read_catalog(pot, "new.pot"), locale_info("de"),
                   "2026-01-01 00:00+0000")
    out.write_text(pofile.serialize(merged), encoding="utf-8")
    return time.perf_counter() - start


def quality(corpus: Corpus, out: Path) -> tuple[int, int, int]:
    """(edits recovered, false fuzzy matches on added entries, wrong previous msgids)."""
    result = pofile.parse(out.read_text(encoding="utf-8"))
    fuzzy = [e for e in result.entries if not e.obsolete and e.fuzzy]
    recovered = sum(1 for e in fuzzy if corpus.edited.get(e.msgid) == e.previous_msgid)
    false = sum(1 for e in fuzzy if e.msgid in corpus.added)
    wrong = sum(1 for e in fuzzy if e.msgid in corpus.edited
                and corpus.edited[e.msgid] != e.previous_msgid)
    return recovered, false, wrong


def run_tool(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_size(size: int, folder: Path, anchors: set[str]) -> dict[str, str]:
    corpus = make_corpus(size)
    old, pot = write_inputs(corpus, folder)
    out = folder / "polyleaf.po"
    times = [polyleaf_once(old, pot, out) for _ in range(3)]
    ours = statistics.median(times)
    rec, false, wrong = quality(corpus, out)
    row = {"entries": f"{size:,}", "polyleaf s": f"{ours:.3f}",
           "recovered": f"{rec}/{len(corpus.edited)}", "false": str(false), "wrong": str(wrong),
           "added": str(len(corpus.added))}
    cli = run_tool([str(REPO / ".venv" / "bin" / "polyleaf"), "merge", str(old), str(pot),
                    "-o", str(folder / "cli.po")])
    row["polyleaf CLI s"] = f"{cli:.2f}"
    if "msgmerge" in anchors and shutil.which("msgmerge"):
        target = folder / "msgmerge.po"
        seconds = run_tool(["msgmerge", "--previous", "--quiet", "-o", str(target), str(old),
                            str(pot)])
        rec_m, false_m, _ = quality(corpus, target)
        row["msgmerge s"] = f"{seconds:.1f} ({seconds / ours:.0f}x)"
        row["msgmerge quality"] = f"{rec_m}/{len(corpus.edited)} recovered, {false_m} false"
    pot2po = REPO / ".venv" / "bin" / "pot2po"
    if "pot2po" in anchors and pot2po.exists():
        target = folder / "pot2po.po"
        seconds = run_tool([str(pot2po), "-t", str(old), str(pot), str(target)])
        rec_p, false_p, _ = quality(corpus, target)
        row["pot2po s"] = f"{seconds:.1f} ({seconds / ours:.0f}x)"
        row["pot2po quality"] = f"{rec_p}/{len(corpus.edited)} recovered, {false_p} false"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--full", action="store_true", help="also run msgmerge at 10,000")
    parser.add_argument("--sizes", default="2000,10000,20000,50000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            anchors = set()
            if size == 2000 or (size == 10000 and args.full):
                anchors.add("msgmerge")
            if size in (2000, 10000):
                anchors.add("pot2po")
            folder = Path(tmp) / str(size)
            folder.mkdir()
            row = bench_size(size, folder, anchors)
            print(" | ".join(f"{k}: {v}" for k, v in row.items()), flush=True)


if __name__ == "__main__":
    main()
