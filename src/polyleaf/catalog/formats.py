"""Would ``msgfmt --check`` accept this entry's translation? The checks a merge can break.

A merge makes an entry live (not fuzzy) in two ways that no translator reviewed: a fuzzy entry
whose source came back to the text it was translated from (:func:`polyleaf.catalog.merge`'s
restore), and an exact match whose template entry gained a format flag (``#, c-format``) the
translation was never checked against. GNU ``msgfmt --check`` refuses a live entry whose
msgstr does not begin and end with a newline where its msgid does, or whose format directives
do not match its msgid's. :func:`sure_valid` answers for those checks conservatively: ``True``
only when the translation passes them for certain (the same directives, in the same order
where order matters; a format kind it does not know is never certain), so a merge that asks it
before making an entry live never writes one that msgfmt refuses.

The patterns run on translator text. They are Python's ``re``, not RE2's
(:func:`polyleaf.linear.compile_linear`), as the PO reader's are. Each starts at a literal
``%`` or brace, and no quantified part shares a character with the part after it (a width
starts with 1-9, a 0 is a flag; a name ends at the first parenthesis), so an attempt never
splits one run two ways and the time is linear in the input (``tests/test_merge_review.py``
at 1 MB; ``bench/bench_patterns.py``). The three over 1 MB of ``%d`` take 0.56 s here;
through RE2's Python binding, about 20 us a match, they took 10 s.
"""

from __future__ import annotations

import re

from polyleaf.catalog.model import Entry

# ASCII digits, as printf and msgfmt read them; a width starts with 1-9 (a 0 is a flag).
_C = re.compile(r"%(?:[1-9][0-9]*\$)?[-+ #0'I]*(?:[1-9][0-9]*|\*(?:[1-9][0-9]*\$)?)?"
                r"(?:\.(?:[0-9]+|\*(?:[1-9][0-9]*\$)?)?)?(?:hh|ll|[hlLqjzZt])?"
                r"[diouxXeEfFgGaAcCsSpnm%]")
_PYTHON = re.compile(r"%(?:\([^()]*\))?[-#0 +]*(?:[1-9][0-9]*|\*)?(?:\.(?:[0-9]+|\*)?)?"
                     r"[hlL]?[diouxXeEfFgGcrsa%]")
_BRACE = re.compile(r"\{\{|\}\}|\{[^{}]*\}")
KNOWN: dict[str, re.Pattern[str]] = {"c-format": _C, "python-format": _PYTHON, "python-brace-format": _BRACE}


def format_kinds(flags: tuple[str, ...]) -> set[str]:
    """The format flags that ask msgfmt to check directives (``c-format``, not ``no-c-format``)."""
    return {f for f in flags if f.endswith("-format") and not f.startswith("no-")}


def sure_valid(entry: Entry) -> bool:
    """Does ``msgfmt --check`` certainly accept ``entry``'s translation, were it live?"""
    sources = (entry.msgid,) if entry.msgid_plural is None else (entry.msgid, entry.msgid_plural)
    targets = (entry.msgstr,) if entry.msgid_plural is None else entry.msgstr_plural
    if not all(_same_newlines(entry.msgid, s) for s in sources):
        return False
    if not all(_same_newlines(entry.msgid, t) for t in targets if t):
        return False
    for kind in format_kinds(entry.flags):
        pattern = KNOWN.get(kind)
        if pattern is None:
            return False
        wanted = {_directives(pattern, s) for s in sources}
        if any(t and _directives(pattern, t) not in wanted for t in targets):
            return False
    return True


def _same_newlines(source: str, target: str) -> bool:
    return (source.startswith("\n") == target.startswith("\n")
            and source.endswith("\n") == target.endswith("\n"))


def _directives(pattern: re.Pattern[str], text: str) -> tuple[str, ...]:
    """The directives of ``text`` and, as the last item, how many ``%``/``{``/``}`` it holds:
    a directive the pattern does not know still makes two texts differ."""
    found = tuple(d for d in pattern.findall(text) if d not in ("%%", "{{", "}}"))
    if pattern is _PYTHON and any(d.startswith("%(") for d in found):
        found = tuple(sorted(found))  # named directives may come in any order
    if pattern is _BRACE:
        found = tuple(sorted(found))
    return (*found, str(text.count("%") + text.count("{") + text.count("}")))
