"""Benchmark: merge a new template into a translated catalog (read, merge, write).

Corpora (bench/corpus.py, every shape in ``SHAPES``: Zipf paragraphs, a ~50-word uniform
vocabulary, near-duplicate families, table cells, very long paragraphs, CJK without spaces);
10 % edited by one word, 5 % removed, 5 % added. Reports, in one run per shape and size:
polyleaf's end-to-end time (read, merge, write; median of 3, in-process) and the CPU time of the
fuzzy pairing alone, the process's peak RSS, its quality (recoverable edits -- those scoring >=
the cutoff against their original -- recovered with the right previous msgid; fuzzy matches on
added entries, which on near-duplicate and cell corpora are real look-alikes), whether the
blocked pairing equals comparing everything (where that is affordable), and with ``--anchors``
the same for GNU msgmerge --previous and translate-toolkit's pot2po, with ratios.

    .venv/bin/python bench/bench_merge.py                     # every shape at 10k and 50k
    .venv/bin/python bench/bench_merge.py --shapes uniform --sizes 2000,10000 --anchors
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from corpus import SHAPES, Corpus, make_corpus
from rapidfuzz import fuzz

from polyleaf.catalog import pofile
from polyleaf.catalog.fuzzy import FUZZY_CUTOFF, fuzzy_pairs
from polyleaf.catalog.mergefile import merged_files
from polyleaf.fsutil import write_atomic_chunks

BIN = Path(sys.executable).parent  # the venv's console scripts


def write_inputs(corpus: Corpus, folder: Path) -> tuple[Path, Path]:
    """old.po and new.pot on disk."""
    old, pot = folder / "old.po", folder / "new.pot"
    old.write_text(pofile.serialize(corpus.old), encoding="utf-8")
    pot.write_text(pofile.serialize(corpus.template), encoding="utf-8")
    return old, pot


def polyleaf_once(old: Path, pot: Path, out: Path) -> tuple[float, float]:
    """Read both files, merge, write: wall and CPU seconds."""
    out.unlink(missing_ok=True)  # a new file each run, as msgmerge -o writes one
    gc.collect()
    start, cpu = time.perf_counter(), time.process_time()
    # as `polyleaf merge -o` reads, merges and writes (streamed; without its fsync: the tools
    # compared make none); an old file over mergefile.LEAN_OVER is read lean
    with merged_files(old, pot, "2026-01-01 00:00+0000", "de") as (head, entries):
        write_atomic_chunks(out, pofile.serialize_stream(head, entries), durable=False)
    return time.perf_counter() - start, time.process_time() - cpu


def peak_rss_kb() -> int:
    """This process's own peak RSS in KiB: ``VmHWM`` of its address space. Not ``ru_maxrss``:
    Linux carries that over ``exec`` from the address space the child was forked (vforked)
    from, so a child of this benchmark would report the parent's peak -- the corpus it holds
    (780 MB for ``long`` at 50k) -- instead of its own."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def polyleaf_child(old: Path, pot: Path, out: Path, repeat: int) -> tuple[float, float, float]:
    """Median wall and CPU seconds of ``repeat`` runs in a fresh process that does nothing
    else (the corpus generator's memory is not counted), and the peak RSS (MB) of another
    that merges once, as ``polyleaf merge`` does (runs after the first add the allocator's
    fragmentation to the peak)."""
    runs, _ = _child_runs(old, pot, out, repeat)
    _, peak = _child_runs(old, pot, out, 1)
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), peak)


def _child_runs(old: Path, pot: Path, out: Path, repeat: int,
                ) -> tuple[list[tuple[float, float]], float]:
    code = ("import json, sys; sys.path.insert(0, sys.argv[1]); "
            "from bench_merge import peak_rss_kb, polyleaf_once; from pathlib import Path; "
            "runs = [polyleaf_once(Path(sys.argv[2]), Path(sys.argv[3]), Path(sys.argv[4])) "
            "for _ in range(int(sys.argv[5]))]; "
            "print(json.dumps([runs, peak_rss_kb()]))")
    done = subprocess.run([sys.executable, "-c", code, str(Path(__file__).parent), str(old),
                           str(pot), str(out), str(repeat)], check=True, capture_output=True,
                          text=True)
    runs, peak = json.loads(done.stdout)
    return runs, peak / 1024


def quality(corpus: Corpus, out: Path) -> tuple[int, int, int]:
    """(recoverable edits recovered, fuzzy matches on added entries, wrong previous msgids)."""
    result = pofile.parse(out.read_text(encoding="utf-8"))
    fuzzy = [e for e in result.entries if not e.obsolete and e.fuzzy]
    recoverable = _recoverable(corpus)
    recovered = sum(1 for e in fuzzy if e.msgid in recoverable
                    and corpus.edited.get(e.msgid) == e.previous_msgid)
    false = sum(1 for e in fuzzy if e.msgid in corpus.added)
    wrong = sum(1 for e in fuzzy if e.msgid in corpus.edited
                and corpus.edited[e.msgid] != e.previous_msgid)
    return recovered, false, wrong


def _recoverable(corpus: Corpus) -> set[str]:
    return {new for new, old in corpus.edited.items() if fuzz.ratio(new, old) >= FUZZY_CUTOFF}


def pairing(corpus: Corpus, exhaustive: bool) -> tuple[float, str]:
    """CPU seconds of the blocked pairing, and whether it equals comparing everything."""
    old = {e.msgid for e in corpus.old.entries}
    new = {e.msgid for e in corpus.template.entries}
    queries = [e.msgid for e in corpus.template.entries if e.msgid not in old]
    choices = [e.msgid for e in corpus.old.entries if e.msgid not in new]
    start = time.process_time()
    blocked = fuzzy_pairs(queries, choices)
    seconds = time.process_time() - start
    if not exhaustive:
        return seconds, "not run"
    start = time.process_time()
    same = fuzzy_pairs(queries, choices, blocking=False) == blocked
    return seconds, f"{same} (exhaustive {time.process_time() - start:.1f} s CPU)"


def run_tool(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def bench_size(size: int, shape: str, folder: Path, anchors: set[str],
               exhaustive: bool, repeat: int = 3) -> dict[str, str]:
    corpus = make_corpus(size, shape=shape)
    old, pot = write_inputs(corpus, folder)
    out = folder / "polyleaf.po"
    ours, cpu, peak = polyleaf_child(old, pot, out, repeat)
    rec, false, wrong = quality(corpus, out)
    pair_cpu, same = pairing(corpus, exhaustive)
    row = {"shape": shape, "entries": f"{size:,}", "end-to-end s": f"{ours:.3f}",
           "end-to-end CPU s": f"{cpu:.3f}", "pairing CPU s": f"{pair_cpu:.3f}",
           "peak RSS MB": f"{peak:.0f}", "load": f"{os.getloadavg()[0]:.1f}",
           "recovered": f"{rec}/{len(_recoverable(corpus))} (of {len(corpus.edited)} edits)",
           "on added": f"{false}/{len(corpus.added)}", "wrong": str(wrong),
           "blocked == exhaustive": same}
    if "cli" not in anchors:
        return row
    cli = run_tool([str(BIN / "polyleaf"), "merge", str(old), str(pot),
                    "-o", str(folder / "cli.po")])
    row["polyleaf CLI s"] = f"{cli:.2f}"
    if "msgmerge" in anchors and shutil.which("msgmerge"):
        target = folder / "msgmerge.po"
        seconds = run_tool(["msgmerge", "--previous", "--quiet", "-o", str(target), str(old),
                            str(pot)])
        rec_m, false_m, _ = quality(corpus, target)
        row["msgmerge s"] = f"{seconds:.1f} ({seconds / ours:.0f}x)"
        row["msgmerge quality"] = f"{rec_m}/{len(corpus.edited)} recovered, {false_m} false"
    pot2po = BIN / "pot2po"
    if "pot2po" in anchors and pot2po.exists():
        target = folder / "pot2po.po"
        seconds = run_tool([str(pot2po), "-t", str(old), str(pot), str(target)])
        rec_p, false_p, _ = quality(corpus, target)
        row["pot2po s"] = f"{seconds:.1f} ({seconds / ours:.0f}x)"
        row["pot2po quality"] = f"{rec_p}/{len(corpus.edited)} recovered, {false_p} false"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--anchors", action="store_true",
                        help="also time the CLI, pot2po (<= 10k) and msgmerge (<= 2k); "
                             "without it (the default) they are skipped")
    parser.add_argument("--full", action="store_true", help="msgmerge at 10,000 too (minutes)")
    parser.add_argument("--sizes", default="10000,50000")
    parser.add_argument("--shapes", default=",".join(SHAPES))
    parser.add_argument("--exhaustive-max", type=int, default=10000,
                        help="compare everything too up to this size (2k for long paragraphs)")
    parser.add_argument("--repeat", type=int, default=3, help="end-to-end runs (median)")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # shape,size: one row, in a child
    args = parser.parse_args()
    if args.one:
        shape, size = args.one.split(",")
        with tempfile.TemporaryDirectory() as tmp:
            anchors = set()
            if args.anchors:
                anchors.add("cli")
                if int(size) <= 2000 or (int(size) <= 10000 and args.full):
                    anchors.add("msgmerge")
                if int(size) <= 10000:
                    anchors.add("pot2po")
            limit = args.exhaustive_max if shape != "long" else min(args.exhaustive_max, 2000)
            row = bench_size(int(size), shape, Path(tmp), anchors, int(size) <= limit,
                             args.repeat)
        print(" | ".join(f"{k}: {v}" for k, v in row.items()), flush=True)
        return
    for shape in args.shapes.split(","):
        for size in args.sizes.split(","):
            # one child process a row: its peak RSS is that row's alone
            subprocess.run([sys.executable, __file__, "--one", f"{shape},{size}",
                            "--exhaustive-max", str(args.exhaustive_max),
                            "--repeat", str(args.repeat), *(["--anchors"] if args.anchors else []),
                            *(["--full"] if args.full else [])], check=True)


if __name__ == "__main__":
    main()
