"""Linear-time patterns for untrusted text (translations, sources, PO files).

Python's ``re`` backtracks: a pattern such as ``\\{\\{.*?\\}\\}`` or ``\\]\\(([^)]*)\\)`` scans
to the end of the text from every opening it meets, so a translator's ``"{{" * 50000`` costs
minutes. Every pattern that runs on text a user or translator wrote is compiled here with RE2
(``google-re2``), whose automaton runs in time linear in the input, whatever the pattern.
RE2 has no backreferences or look-around, and its ``\\s``, ``\\w`` and ``\\d`` are ASCII only:
patterns use :data:`SPACE`, :data:`WORD` and :data:`DIGIT` for the Unicode meaning Python gives
them. ``bench/bench_patterns.py`` measures each pattern on 100 KB and 1 MB adversarial inputs.

Similarity scores (rapidfuzz's ``ratio``, edit distances) cost the product of the two texts'
lengths, however they are computed: a text over :data:`FUZZY_LONGEST` characters is matched
exactly only (by the merge, the translation memory and the review's "edited from" lookup).
"""

from __future__ import annotations

from typing import Any

import re2

FUZZY_LONGEST = 10_000  # characters: longer texts are never scored for similarity

# Python's str.isspace() set: ASCII whitespace, the information separators, NEL, every Z*.
SPACE = r"[\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}]"
NOT_SPACE = r"[^\t\n\x0b\f\r\x1c-\x1f\x85\p{Z}]"


def not_space(also: str = "") -> str:
    """A class of characters that are neither whitespace nor in ``also`` (class syntax)."""
    return rf"[^{also}\t\n\x0b\f\r\x1c-\x1f\x85\p{{Z}}]"


# Python's \w for str patterns: letters, digits (every script), marks and the underscore.
WORD = r"[\p{L}\p{N}\p{M}_]"
DIGIT = r"\p{Nd}"


def compile_linear(pattern: str, *, ignore_case: bool = False) -> Any:
    """Compile ``pattern`` with RE2 (UTF-8, Perl classes); raise ``re2.error`` if it needs
    backtracking features. The result has ``search``, ``finditer``, ``findall``, ``sub`` and
    ``fullmatch`` like a ``re.Pattern``."""
    options = re2.Options()
    options.case_sensitive = not ignore_case
    options.log_errors = False
    return re2.compile(pattern, options)
