"""Wrap PO string literals the way GNU gettext's ``msgcat`` does.

GNU gettext breaks a string at its newlines, then at Unicode line-break opportunities (UAX #14,
via libunistring) so that no line exceeds the page width, counting East Asian wide characters as
two columns. A string that has to wrap, or holds an inner newline, starts with an empty ``""``.
This module implements the subset of UAX #14 that occurs in prose (spaces, hyphens, dashes,
ideographs and their punctuation, slashes) so that polyleaf's output and ``msgcat``'s agree and
re-saving a catalog in either tool yields no diff. Tests compare it with ``msgcat`` itself.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
           "\b": "\\b", "\f": "\\f", "\v": "\\v"}
# UAX #14 classes that matter here.
_POSTFIX = set("%‰°¢℃")
_NO_BREAK_BEFORE = set(")]}»›”’,.:;!?、。，．：；！？）］｝〕〉》」』】〙〗〟ヽヾーゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・‼⁇⁈⁉/")  # noqa: RUF001, E501
_NO_BREAK_AFTER = set("([{«‹“‘（［｛〔〈《「『【〘〖〝$£¥€#\\")  # noqa: RUF001
_QUOTES = set("\"'“”‘’«»")  # noqa: RUF001


def escape(text: str) -> str:
    """Escape a string for a PO literal."""
    return "".join(_ESCAPE.get(c, c) for c in text)


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _ideographic(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char)[0] == "L"


def _can_break(prev: str, nxt: str, before_spaces: str) -> bool:
    """May a line break fall between ``prev`` and ``nxt`` (both escaped-text characters)?

    ``before_spaces`` is the last non-space character before ``nxt``: an opening bracket keeps
    its following spaces and word together (UAX #14 rule LB14).
    """
    if nxt == " " or nxt in _NO_BREAK_BEFORE:
        return False
    if prev == " ":
        if before_spaces in _QUOTES and nxt in "([{":  # LB15: QU SP* x OP
            return False
        if before_spaces == "—" and nxt == "—":  # LB17: B2 SP* x B2
            return False
        return before_spaces not in _NO_BREAK_AFTER
    if nxt in _POSTFIX:
        return False
    if prev in ")]}" and nxt not in _QUOTES:
        return nxt in "([{" or _ideographic(nxt)  # break before OP; none before letters (LB30)
    if prev in _NO_BREAK_AFTER or prev in _QUOTES or nxt in _QUOTES or nxt in "([{":
        return False
    if prev in ".,:;!?":
        return not nxt.isdigit()
    if prev in "-‐–" and prev != nxt:  # noqa: RUF001
        return not nxt.isdigit() and nxt not in "-–"  # noqa: RUF001
    if prev == "—" or nxt == "—":
        return prev != nxt
    if prev == "/":
        return not nxt.isdigit()
    return _ideographic(prev) or _ideographic(nxt)


def _breaks(portion: str, width: int, start: int) -> list[int]:
    """Greedy break positions (indices into ``portion``) so lines fit ``width`` columns."""
    breaks: list[int] = []
    column = start
    last_opportunity = -1
    column_at_opportunity = 0
    before_spaces = ""
    for index, char in enumerate(portion):
        if index and _can_break(portion[index - 1], char, before_spaces):
            last_opportunity = index
            column_at_opportunity = column
        column += _char_width(char)
        if char != " ":
            before_spaces = char
        if column > width and last_opportunity > (breaks[-1] if breaks else 0):
            breaks.append(last_opportunity)
            column -= column_at_opportunity
            last_opportunity = -1
    return breaks


def _portions(value: str) -> list[str]:
    parts = value.split("\n")
    portions = [p + "\n" for p in parts[:-1]]
    if parts[-1] or not portions:
        portions.append(parts[-1])
    return portions


def format_string(name: str, value: str, width: int = 76, prefix: str = "") -> list[str]:
    """Lines of ``prefix + name "value"`` wrapped like ``msgcat --width=width``."""
    content_width = width - 1 - (len(prefix) + 1)
    portions = _portions(value)
    first_start = len(name) + 1 + 1 - 1
    lines: list[str] = []
    for number, portion in enumerate(portions):
        escaped = escape(portion)
        start = first_start if not lines else 0
        cuts = _breaks(escaped, content_width, start)
        if not lines and escaped and (number < len(portions) - 1 or cuts):
            lines.append(f'{prefix}{name} ""')
            cuts = _breaks(escaped, content_width, 0)
        pieces = [escaped[a:b] for a, b in zip([0, *cuts], [*cuts, len(escaped)], strict=True)]
        for piece in pieces:
            lead = f"{prefix}{name} " if not lines else prefix
            lines.append(f'{lead}"{piece}"')
    return lines
