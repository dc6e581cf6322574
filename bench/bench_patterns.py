"""Every pattern that reads translator or author text runs in linear time: proof by timing.

For each pattern, the adversarial input that made its backtracking predecessor quadratic (and a
few generic ones) is timed at 100 KB and 1 MB: a linear pattern takes about 10x longer on the
ten-times-larger input, a quadratic one 100x. The old ``re`` patterns are timed too, at 5 KB and
20 KB (at 1 MB they would run for hours), to show the difference. Then the whole QA of one
entry (``check_entry``), the PO reader on the same inputs, and the PO writer's line wrapping.

    .venv/bin/python bench/bench_patterns.py
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any

from polyleaf.catalog import formats
from polyleaf.catalog.pofile import Entry, parse
from polyleaf.catalog.powrap import format_string
from polyleaf.content.markdown import PARSER
from polyleaf.i18n import locale_info
from polyleaf.qa import links, markup, safety, stats, style
from polyleaf.qa.checks import check_entry
from polyleaf.tools import pseudo

UNITS = ("](", "{{", "{", "[a](", "](h ", "<a x=\"", ".", "%(", "<", "\\", "a a ", "1,", "`",
         "%0", "%1$", "%.")
PATTERNS: dict[str, Any] = {
    "qa.links LINK_TARGET": links.LINK_TARGET, "qa.links URL": links.URL,
    "qa.placeholders PLACEHOLDER": markup.PLACEHOLDER, "qa.placeholders PERCENT": markup.PERCENT,
    "qa.unsafe UNSAFE": safety._UNSAFE, "qa.unsafe CONTROL": safety._CONTROL,
    "stats TAG": stats._TAG, "pseudo PROTECTED": pseudo._PROTECTED, "pseudo TAIL": pseudo._TAIL,
    "qa.doubled-word WORD": style._WORD,
    "merge c-format (re)": formats._C, "merge python-format (re)": formats._PYTHON,
    "merge python-brace-format (re)": formats._BRACE,
}
BEFORE = {  # the patterns of the first release, Python re (backtracking)
    "LINK_TARGET (before)": re.compile(r"\]\(([^)\s]*)(?:\s[^)]*)?\)"),
    "PLACEHOLDER (before)": re.compile(r"%\([A-Za-z_]\w*\)[sdif]|%[sdif%]|\{\{.*?\}\}"),
    "TAIL (before)": re.compile(r"[.?!:;]+[ \u00a0\u202f*_)]*$"),
}


def timed(function: Callable[[], object], repeat: int = 3) -> float:
    """Best of ``repeat`` runs, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def worst(pattern: Any, size: int) -> tuple[float, str]:
    """The slowest unit for ``pattern`` at ``size`` characters: (seconds, unit)."""
    results = []
    for unit in UNITS:
        text = unit * (size // len(unit)) + "x"
        method = pattern.search if pattern in (pseudo._TAIL,) else pattern.findall
        results.append((timed(lambda t=text, m=method: m(t)), unit))
    return max(results)


def main() -> None:
    print(f"{'pattern (RE2 unless noted)':34} {'100 KB':>10} {'1 MB':>10} {'ratio':>6}  worst unit")
    for name, pattern in PATTERNS.items():
        small, _ = worst(pattern, 100_000)
        big, unit = worst(pattern, 1_000_000)
        print(f"{name:34} {small * 1e3:8.2f}ms {big * 1e3:8.2f}ms {big / max(small, 1e-9):6.1f}"
              f"  {unit!r}")
    print(f"{'markdown-it inline (qa.markup/links)':34} {'100 KB':>10} {'1 MB':>10}")
    for unit in ("[", "](", "*", "`"):
        row = [timed(lambda n=n, u=unit: PARSER.parseInline(u * n, {}), repeat=1)
               for n in (100_000, 1_000_000)]
        print(f"parseInline {unit!r:22} {row[0] * 1e3:8.0f}ms {row[1] * 1e3:8.0f}ms "
              f"{row[1] / max(row[0], 1e-9):6.1f}")
    print(f"\n{'backtracking predecessor':34} {'5 KB':>9} {'20 KB':>9} {'ratio':>6}")
    for name, pattern in BEFORE.items():
        unit = {"LINK_TARGET (before)": "](", "PLACEHOLDER (before)": "{{",
                "TAIL (before)": "."}[name]
        small = timed(lambda p=pattern, u=unit: p.findall(u * (5_000 // len(u)) + "x"), 1)
        big = timed(lambda p=pattern, u=unit: p.findall(u * (20_000 // len(u)) + "x"), 1)
        print(f"{name:34} {small:8.3f}s {big:8.3f}s {big / max(small, 1e-9):6.1f}")
    info = locale_info("es")
    print(f"\n{'whole QA of one entry':34} {'100 KB':>9} {'1 MB':>9}")
    for unit in ("](", "{{", "[", "a a "):
        row = []
        for size in (100_000, 1_000_000):
            entry = Entry("Take [500 mg](https://example.org) every {n} hours.",
                          unit * (size // len(unit)))
            row.append(timed(lambda e=entry: check_entry(e, info)))
        print(f"check_entry {unit!r:22} {row[0]:8.3f}s {row[1]:8.3f}s")
    print(f"\n{'PO reader, one long msgstr':34} {'100 KB':>9} {'1 MB':>9}")
    for unit in ("\\\\", "\\\"", "](", "x"):
        row = []
        for size in (100_000, 1_000_000):
            po = f'msgid "a"\nmsgstr "{unit * (size // len(unit))}"\n'
            row.append(timed(lambda t=po: parse(t)))
        print(f"parse {unit!r:28} {row[0]:8.3f}s {row[1]:8.3f}s")
    _reader_in_pieces()
    print(f"\n{'PO writer (wrapping), one long msgstr':34} {'100 KB':>9} {'1 MB':>9}")
    for unit in ("word ", "a-b ", "头痛。", "x", "a (b) c, ", "a\u3000", "a a \"", "—"):
        row = []
        for size in (100_000, 1_000_000):
            text = unit * (size // len(unit))
            row.append(timed(lambda t=text: format_string("msgstr", t), 1))
        print(f"format_string {unit!r:20} {row[0]:8.3f}s {row[1]:8.3f}s")


FILE_SHAPES = {  # what a damaged or hostile file may hold between its entries
    "blank lines after a comment": lambda n: "# c\n" + "\n" * n,
    "comment, blank line": lambda n: "# c\n\n" * (n // 5),
    "comment lines": lambda n: "# c\n" * (n // 4),
    "entries after comments": lambda n: "".join(f'# c\n\nmsgid "a{i}"\nmsgstr "b"\n\n'
                                                for i in range(n // 30)),
}


def _reader_in_pieces() -> None:
    """The file reader (``load_catalog``: cut into pieces, never after a comment; comments
    before blank lines kept for the next entry) on 100 KB and 1 MB files, each line end."""
    import tempfile
    from pathlib import Path

    from polyleaf.catalog.reading import load_catalog

    head = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
    print(f"\n{'PO file read in pieces':34} {'100 KB':>9} {'1 MB':>9}")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "x.po"
        for name, shape in FILE_SHAPES.items():
            for end in ("\n", "\r\n", "\r"):
                row = []
                for size in (100_000, 1_000_000):
                    text = head + shape(size) + 'msgid "z"\nmsgstr "y"\n'
                    path.write_bytes(text.replace("\n", end).encode())
                    row.append(timed(lambda: load_catalog(path, "x.po"), 1))
                print(f"{name + ' ' + repr(end):34} {row[0]:8.3f}s {row[1]:8.3f}s")


if __name__ == "__main__":
    main()
