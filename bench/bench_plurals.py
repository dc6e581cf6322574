"""Reading hostile ``Plural-Forms`` headers is linear, and ``--fix-plurals`` is cheap.

A translator's header is untrusted text: each shape below is parsed just under the length cap
(in full) and at 1 MB and 2 MB (refused by length before any parsing: the time at most doubles
and stays under a millisecond). Then the one-off cost of checking a real rule (evaluated on
every sample number), and ``fix_plurals`` on a catalog of 10,000 plural entries.

    .venv/bin/python bench/bench_plurals.py
"""

from __future__ import annotations

import contextlib
import time

from polyleaf.catalog.headers import fix_plurals
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.plurals import MAX_LENGTH, InvalidPluralForms, parse_plural_forms, reference_plurals

SHAPES = {
    "spaces": lambda size: "nplurals=2; plural=" + " " * size + "n;",
    "semicolons": lambda size: "nplurals=2;" + ";" * size + "plural=(n != 1);",
    "digits": lambda size: "nplurals=" + "9" * size + "; plural=0;",
    "parentheses": lambda size: "nplurals=2; plural=" + "(" * size + "n;",
    "formula": lambda size: "nplurals=2; plural=" + "n%10==1 && " * (size // 11) + "0;",
}
CLDR_ES = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"


def seconds(value: str) -> float:
    start = time.perf_counter()
    with contextlib.suppress(InvalidPluralForms):
        parse_plural_forms(value)
    return time.perf_counter() - start


def main() -> None:
    print(f"{'shape':<12} {'cap ms':>9} {'1 MB ms':>9} {'2 MB ms':>9} {'ratio':>6}")
    for name, make in SHAPES.items():
        cap = seconds(make(MAX_LENGTH - 40))  # parsed in full: just under the length cap
        one, two = seconds(make(1_000_000)), seconds(make(2_000_000))
        print(f"{name:<12} {cap * 1000:9.3f} {one * 1000:9.3f} {two * 1000:9.3f} "
              f"{two / max(one, 1e-9):6.2f}")
    start = time.perf_counter()
    parse_plural_forms("nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && "
                       "n%100<=10 ? 3 : n%100>=11 ? 4 : 5);")
    print(f"checking the Arabic rule once (then cached): {(time.perf_counter() - start) * 1000:.1f} ms")
    entries = tuple(Entry(msgid=f"{i} leaflet", msgid_plural=f"{i} leaflets",
                          msgstr_plural=(f"{i} folleto", f"{i} de folletos", f"{i} folletos"))
                    for i in range(10_000))
    catalog = Catalog(header=(("Plural-Forms", CLDR_ES),), entries=entries)
    start = time.perf_counter()
    fixed = fix_plurals(catalog, reference_plurals("es"))
    fuzzy = sum(e.fuzzy for e in fixed.entries)
    print(f"fix_plurals, 10,000 plural entries: {(time.perf_counter() - start) * 1000:.1f} ms "
          f"({fuzzy} marked fuzzy)")


if __name__ == "__main__":
    main()
