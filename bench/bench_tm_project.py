"""Translation memory cost through the real ``update`` of a project, not a stand-in.

A project with one 10,000-paragraph article, translated into German, whose source then gets the
edit of bench/corpus.py (10 % one-word edits, 5 % removed, 5 % new). ``update`` is timed from
the library API (``polyleaf.catalog.files.update``, what ``polyleaf update`` runs after parsing
its options) with ``tm=False`` and with a 50,000-unit memory, two ways:

- ``tmx``: the memory is an agency's TMX, imported with ``polyleaf tm import`` (timed; it
  indexes the memory), read by ``update`` only with TM on;
- ``catalogs``: the memory is 100 other translated articles of the locale, which ``update``
  reads, merges and writes in both runs.

Each run starts from the same files (the catalog before the edit); the memory's index is timed
cold (built and saved: the first update ever) and warm (read back: every later update).

    PYTHONPATH=src .venv/bin/python bench/bench_tm_project.py [--mode tmx|catalogs] [--repeat 3]
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

from bench_tm import memory_units
from corpus import make_corpus
from synth import translate_file

from polyleaf.catalog.files import update
from polyleaf.catalog.memory import TM_CACHE
from polyleaf.catalog.tmx import memory_path, write_tmx
from polyleaf.config import Config, load_config
from polyleaf.paths import po_path
from polyleaf.tools.memory import import_tmx

FRONT = ("---\nid: {id}\ntitle: \"{id}\"\nsummary: \"Bench.\"\nversion: \"1.0\"\n"
         "reviewed: 2026-11-01\nreview_due: 2027-11-01\naudience: \"Adults\"\nsources: []\n---\n\n")


def article(ident: str, paragraphs: list[str]) -> str:
    return FRONT.format(id=ident) + "\n\n".join(paragraphs) + "\n"


def make(root: Path, mode: str, size: int, memory: int) -> tuple[Config, dict[Path, bytes], str]:
    """The project, the bytes of its catalogs before the edit, and the edited article."""
    corpus = make_corpus(size)
    (root / "source").mkdir(parents=True)
    shutil.copytree(Path(__file__).parent.parent / "templates", root / "templates")
    (root / "polyleaf.toml").write_text(
        '[project]\nname = "Bench"\nsource_language = "en"\nlocales = ["de"]\n'
        'base_url = "https://example.org/"\n[organisation]\nname = "Bench"\ncontact = "0"\n',
        encoding="utf-8")
    old = [e.msgid for e in corpus.old.entries]
    new = [e.msgid for e in corpus.template.entries]
    (root / "source" / "big.md").write_text(article("big", old), "utf-8")
    units = memory_units(memory, sorted(corpus.added), catalogs=100)
    if mode == "catalogs":
        by_origin: dict[str, list[str]] = {}
        for unit in units:
            by_origin.setdefault(unit.origin.removesuffix(".po"), []).append(unit.source)
        for name, texts in by_origin.items():
            (root / "source" / f"{name}.md").write_text(article(name, texts), "utf-8")
    config = load_config(root)
    update(config, tm=False)
    for path in sorted((config.locales_dir / "de" / "LC_MESSAGES").glob("*.po")):
        translate_file(path)
    if mode == "tmx":
        agency = root / "agency.tmx"
        agency.write_bytes(write_tmx("en", {u.source: {"de": u.target} for u in units}, "bench"))
        start, cpu = time.perf_counter(), time.process_time()
        import_tmx(config, agency)  # stores locales/de/memory.tmx and indexes the memory
        print(f"tm import of {len(units):,} units: {time.perf_counter() - start:.2f} s wall, "
              f"{time.process_time() - cpu:.2f} s CPU (the memory indexed)")
        assert memory_path(config, "de").exists()
    files = {p: p.read_bytes() for p in (config.locales_dir / "de" / "LC_MESSAGES").glob("*.po")}
    return config, files, article("big", new)


def run(config: Config, files: dict[Path, bytes], tm: bool, cold: bool) -> tuple[float, float]:
    for path, data in files.items():
        path.write_bytes(data)
    if cold:
        shutil.rmtree(config.build_dir / TM_CACHE, ignore_errors=True)
    start, cpu = time.perf_counter(), time.process_time()
    update(config, tm=tm)
    return time.perf_counter() - start, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=("tmx", "catalogs"), default="tmx")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--memory", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "project"
        config, files, edited = make(root, args.mode, args.size, args.memory)
        (root / "source" / "big.md").write_text(edited, "utf-8")
        rows: dict[str, list[tuple[float, float]]] = {"off": [], "cold": [], "warm": []}
        for _ in range(args.repeat):  # interleaved, so a change in machine load hits all
            rows["off"].append(run(config, files, False, False))
            rows["cold"].append(run(config, files, True, True))
            rows["warm"].append(run(config, files, True, False))
        filled = sum(1 for line in po_path(config, "de", "big").read_text("utf-8").splitlines()
                     if line.startswith("# tm:"))
    print(f"update, {args.mode}: catalog {args.size:,} paragraphs, memory {args.memory:,} units, "
          f"{args.repeat} runs, load average {os.getloadavg()[0]:.1f}; {filled} entries pre-filled")
    for label, column in (("wall", 0), ("CPU", 1)):
        base = statistics.median(r[column] for r in rows["off"])
        cells = [f"--no-tm {base:.2f} s"]
        for name, key in (("cache cleared", "cold"), ("index read back", "warm")):
            value = statistics.median(r[column] for r in rows[key])
            cells.append(f"{name} {value:.2f} s (+{(value / base - 1) * 100:.0f} %)")
        print(f"  {label}: " + "; ".join(cells))


if __name__ == "__main__":
    random.seed(0)
    main()
