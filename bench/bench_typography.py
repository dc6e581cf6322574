"""Benchmark: the typography passes of polyleaf.render.typography are linear in their input.

Each pass runs on ~1 MB and ~4 MB of adversarial text (long digit runs, numbers without units,
hyphen chains in URLs, phone-like digit groups, tags everywhere); linear time means the 4 MB
input takes about four times as long, a quadratic (backtracking) pattern 16 times or more. The
target, 8x, leaves room for a shared machine's noise (best of 3 runs each).

    .venv/bin/python bench/bench_typography.py
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from polyleaf.render.typography import break_urls, isolate_ltr, join_units, typeset

MB = 1_000_000

CASES: dict[str, Callable[[int], str]] = {
    "digits": lambda n: "1" * n,
    "numbers, no unit": lambda n: "12 " * (n // 3),
    "number, unit lookalike": lambda n: "1 gx " * (n // 5),
    "decimal chains": lambda n: "1.2," * (n // 4),
    "url hyphens": lambda n: "https://a" + "-a/" * (n // 3),
    "phone-like groups": lambda n: "+4 (2) " * (n // 7),
    "tags": lambda n: "<b>1 g</b>" * (n // 10),
    "arabic and doses": lambda n: "خذ 500 mg يوميًا " * (n // 17),
}

PASSES: dict[str, Callable[[str], object]] = {
    "join_units": lambda text: join_units(text, "ar", "en"),
    "isolate_ltr": isolate_ltr,
    "break_urls": break_urls,
    "typeset (rtl)": lambda text: typeset(text, "ar", "en", rtl=True),
}


def seconds(work: Callable[[str], object], text: str, repeat: int = 3) -> float:
    """The best of ``repeat`` runs (a shared machine's noise only ever adds time)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work(text)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    worst = 0.0
    for case, make in CASES.items():
        small, large = make(MB), make(4 * MB)
        for name, work in PASSES.items():
            one, two = seconds(work, small), seconds(work, large)
            ratio = two / one if one > 0.005 else 4.0
            worst = max(worst, ratio)
            print(f"{case:24} {name:14} 1 MB {one * 1000:7.0f} ms   4 MB {two * 1000:7.0f} ms"
                  f"   x{ratio:.2f}")
    print(f"worst 4 MB / 1 MB ratio: {worst:.2f} (linear: about 4, quadratic: 16; target <= 8)")
    return 0 if worst <= 8 else 1


if __name__ == "__main__":
    sys.exit(main())
