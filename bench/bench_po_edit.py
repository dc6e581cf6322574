"""Time ``polyleaf -C PROJECT build -q`` after one-.po edits on a kept project (issue 19).

Each run toggles the case of one letter in one catalog, either in the title's msgstr (``title``:
the article's title changes, so its language's index is rendered again) or in the last entry's
(``body``: only that page), then runs the CLI in a subprocess; it prints wall and CPU time (the
child's) and the load average at the start of each run.

``--pin FP`` runs the CLI with polyleaf's code fingerprint pinned to ``FP`` (the one in the
kept build's cache, ``build/.polyleaf-cache/verdicts/*/*``, first line), so code other than the
code that made the build can be timed without rendering all 21,000 pages again. Run once first:
that run settles the manifest for the code being timed.

    .venv/bin/python bench/bench_po_edit.py PROJECT --kind title --runs 5 [--pin FP]
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

TITLE = re.compile(r'msgctxt "title"\nmsgid (?:"[^\n]*"\n)+msgstr ((?:"[^\n]*"\n)+)')
MSGSTR = re.compile(r'msgstr ((?:"[^\n]*"\n)+)')
PINNED = """
import sys
import polyleaf.engine.plan as plan
plan.code_fingerprint = lambda: {fp!r}
from polyleaf.cli import main
sys.argv = ["polyleaf", *sys.argv[1:]]
main()
"""


def toggle(text: str, kind: str) -> str:
    """``text`` with the case of the first letter of the title's (or last) msgstr toggled."""
    found = TITLE.search(text) if kind == "title" else [*MSGSTR.finditer(text)][-1]
    if found is None:
        raise SystemExit("no title entry")
    for i in range(*found.span(1)):
        if text[i].isalpha():
            return text[:i] + text[i].swapcase() + text[i + 1:]
    raise SystemExit("no letter to change")


def timed(command: list[str]) -> tuple[float, float, float]:
    """(wall, CPU of the child, load average) of one run of ``command``."""
    load = os.getloadavg()[0]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, load


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("project", type=Path)
    parser.add_argument("--kind", choices=("title", "body"), default="title")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--catalog", default="locales/de/LC_MESSAGES/article-500.po")
    parser.add_argument("--pin", default="", help="the code fingerprint to run with")
    args = parser.parse_args()
    run = [sys.executable, "-c", PINNED.format(fp=args.pin)] if args.pin \
        else [sys.executable, "-m", "polyleaf"]
    command = [*run, "-C", str(args.project), "build", "-q"]
    po = args.project / args.catalog
    for number in range(args.runs):
        po.write_text(toggle(po.read_text(encoding="utf-8"), args.kind), encoding="utf-8")
        wall, cpu, load = timed(command)
        print(f"{args.kind} edit, run {number + 1}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"load {load:.2f}", flush=True)


if __name__ == "__main__":
    main()
