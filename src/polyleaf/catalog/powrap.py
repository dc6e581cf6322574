"""Wrap PO string literals the way GNU gettext's ``msgcat`` does.

GNU gettext breaks a string at its newlines, then at Unicode line-break opportunities (UAX #14,
via libunistring) so that no line exceeds the page width, counting East Asian wide characters as
two columns. A string that has to wrap, or holds an inner newline, starts with an empty ``""``.
This module implements the subset of UAX #14 that occurs in prose (spaces, hyphens, dashes,
ideographs and their punctuation, slashes) so that polyleaf's output and ``msgcat``'s agree and
re-saving a catalog in either tool yields no diff. Tests compare it with ``msgcat`` itself.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from functools import lru_cache
from itertools import accumulate

_ESCAPE = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
           "\b": "\\b", "\f": "\\f", "\v": "\\v"}
# UAX #14 classes that matter here.
_POSTFIX = set("%‰°¢℃")
_NO_BREAK_BEFORE = set(")]}»›”’,.:;!?、。，．：；！？）］｝〕〉》」』】〙〗〟ヽヾーゝゞ々〻ぁぃぅぇぉっゃゅょゎゕゖァィゥェォッャュョヮヵヶ・‼⁇⁈⁉/")  # noqa: E501
_NO_BREAK_AFTER = set("([{«‹“‘（［｛〔〈《「『【〘〖〝$£¥€#\\")
_QUOTES = set("\"'“”‘’«»")


_ESCAPE_TABLE = str.maketrans(_ESCAPE)


def escape(text: str) -> str:
    """Escape a string for a PO literal."""
    if "\\" in text or '"' in text or not text.isprintable():
        return text.translate(_ESCAPE_TABLE)
    return text


@lru_cache(maxsize=4096)
def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


class _Widths(dict[int, str]):
    """``str.translate`` table: a code point -> its column width as a character (chr 0-2),
    computed on first sight, so a text's widths come out of one C-level translate."""

    def __missing__(self, code: int) -> str:
        value = chr(_char_width(chr(code)))
        if len(self) < 65_536:  # a text of every code point cannot grow it without bound
            self[code] = value
        return value


_WIDTHS = _Widths()


@lru_cache(maxsize=4096)
def _ideographic(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F") and unicodedata.category(char)[0] == "L"


_WIDE_STOPS = {c for c in _NO_BREAK_BEFORE if _char_width(c) == 2 and not _ideographic(c)}


def _can_break(prev: str, nxt: str, before_spaces: str) -> bool:
    """May a line break fall between ``prev`` and ``nxt`` (both escaped-text characters)?

    ``before_spaces`` is the last non-space character before ``nxt``: an opening bracket keeps
    its following spaces and word together (UAX #14 rule LB14).
    """
    if nxt == " " or nxt in _NO_BREAK_BEFORE:
        return False
    if prev == " " and nxt.isalnum() and before_spaces.isalnum():
        return True
    if prev == " ":
        if not before_spaces:
            return False  # spaces that open the text stay with what follows (as in msgcat)
        if before_spaces in _QUOTES and nxt in "([{":  # LB15: QU SP* x OP
            return False
        if before_spaces == "—" and nxt == "—":  # LB17: B2 SP* x B2
            return False
        return before_spaces not in _NO_BREAK_AFTER
    if nxt in _POSTFIX:
        return False
    if prev in ")]}" and nxt not in _QUOTES:
        return nxt in "([{" or _ideographic(nxt)  # break before OP; none before letters (LB30)
    if nxt in "([{" and _ideographic(prev):
        return True  # ID ÷ OP: LB30 joins only letters and digits to an opening bracket
    if prev in _WIDE_STOPS and nxt not in _QUOTES and nxt not in "-‐–":
        return True  # LB31: after a wide closing mark or stop (。」、！) comes a break
    if prev in _NO_BREAK_AFTER or prev in _QUOTES or nxt in _QUOTES:
        return False
    if nxt in "([{" and prev not in ".,:;!?-‐–—/":
        return False  # LB30/LB25: a letter, digit or sign keeps its bracket; a stop or dash not
    if prev in ".,:;":
        return not nxt.isdigit()  # LB25: IS x NU ("2.5", "1,000")
    if prev in "!?":
        return True  # EX breaks before a digit too
    if prev in "-‐–" and prev != nxt:
        return not nxt.isdigit() and nxt not in "-–"
    if prev == "—" or nxt == "—":
        return prev != nxt
    if prev == "/":
        return not nxt.isdigit()
    return _ideographic(prev) or _ideographic(nxt)


def _before_spaces(text: str, index: int) -> str:
    """The last non-space character before ``index`` ('' if none)."""
    index -= 1
    while index >= 0 and text[index] == " ":
        index -= 1
    return text[index] if index >= 0 else ""


def _opportunity(text: str, index: int) -> bool:
    return _can_break(text[index - 1], text[index], _before_spaces(text, index))


# Blocks of only two-column characters (kana, CJK punctuation, Han, Hangul, full-width forms):
# a text of these alone is recognised by one regex scan instead of a per-character translate.
WIDE_RANGES = ("\u3001-\u3029\u3030-\u303e\u3041-\u3096\u309b-\u30ff\u3105-\u312f"
               "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3\uf900-\ufaff\uff01-\uff60"
               "\uffe0-\uffe6")
_ALL_WIDE = re.compile(f"[{WIDE_RANGES}]*")


def _prefix(portion: str) -> list[int] | int:
    """Columns before each index of ``portion`` (and after its end), or, when every character
    takes the same number of columns (1 or 2), that number. One C-level ``translate`` gives
    the widths of a mixed text."""
    if portion.isascii():
        return 1
    if _ALL_WIDE.fullmatch(portion):
        return 2
    widths = portion.translate(_WIDTHS).encode("latin-1")
    if widths.count(1) == len(widths):
        return 1
    return list(accumulate(widths, initial=0))


def _breaks(portion: str, prefix: list[int] | int, width: int, start: int,
            max_cuts: int = 0) -> list[int]:
    """Greedy break positions (indices into ``portion``) so lines fit ``width`` columns.

    A line takes characters while they fit; it then ends at the last break opportunity inside
    it, or, when there is none, overflows to the first opportunity after it. ``prefix`` is
    :func:`_prefix` of ``portion`` (a caller asking twice computes it once).
    """
    breaks: list[int] = []
    line_start, column = 0, start
    length = len(portion)
    while True:
        if prefix == 1:
            over = line_start + width - column  # first index that no longer fits
        elif isinstance(prefix, int):
            over = line_start + (width - column) // prefix
        else:
            over = bisect_right(prefix, width - column + prefix[line_start]) - 1
        if over >= length:
            return breaks
        cut = _last_space(portion, line_start, over) if prefix == 1 \
            else _last_any(portion, line_start, over)
        if cut is None:
            cut = next((i for i in range(max(over + 1, line_start + 1), length)
                        if _opportunity(portion, i)), None)
            if cut is None:
                return breaks
        breaks.append(cut)
        if len(breaks) == max_cuts:
            return breaks
        line_start, column = cut, 0


_CANDIDATE_CHARS = " \\-‐–—/.,:;!?)\\]}"
_LAST_CANDIDATE_RE = re.compile(f"(?s).*[{_CANDIDATE_CHARS}]")


_OTHER_CANDIDATE_RE = re.compile(f"[{_CANDIDATE_CHARS[1:]}]")  # every candidate but the space


def _last_space(text: str, line_start: int, over: int) -> int | None:
    """:func:`_last_narrow`, answered by one ``rfind`` in the common case: the last candidate
    in (line_start, over] follows a space and lies between two words."""
    space = text.rfind(" ", line_start, over)
    cut = space + 1
    if space >= line_start and space and text[cut].isalnum() and text[space - 1].isalnum() \
            and _OTHER_CANDIDATE_RE.search(text, cut, over + 1) is None:
        return cut
    return _last_narrow(text, line_start, over)


def _last_narrow(text: str, line_start: int, over: int) -> int | None:
    """The last opportunity in (line_start, over] of a text without ideographs.

    Only positions after a space or punctuation (or before an em dash) can be opportunities,
    so a regex finds the candidates right to left instead of testing every character.
    """
    end = over
    dash = text.rfind("—", line_start + 1, over + 1)
    while end > line_start:
        match = _LAST_CANDIDATE_RE.match(text, line_start, end)
        position = match.end() if match else -1
        if dash > position:
            position, dash = dash, text.rfind("—", line_start + 1, dash)
        if position <= line_start:
            return None
        if position > 1 and text[position - 1] == " " and text[position].isalnum() \
                and text[position - 2].isalnum():
            return position  # the common case: between two words
        if _opportunity(text, position):
            return position
        end = position - 1 if position - 1 > line_start else line_start
        if match is None or position != match.end():
            end = position
    return None


# Two CJK unified ideographs: UAX #14 class ID on both sides, always a break opportunity.
_HAN_PAIR = re.compile("[\u3400-\u4dbf\u4e00-\u9fff]{2}")


def _last_any(text: str, line_start: int, over: int) -> int | None:
    if over > line_start and _HAN_PAIR.match(text, over - 1):
        return over  # the common case in Chinese and Japanese, without the general test
    return next((i for i in range(over, line_start, -1) if _opportunity(text, i)), None)


def _portions(value: str) -> list[str]:
    parts = value.split("\n")
    portions = [p + "\n" for p in parts[:-1]]
    if parts[-1] or not portions:
        portions.append(parts[-1])
    return portions


def format_string(name: str, value: str, width: int = 79, prefix: str = "") -> list[str]:
    """Lines of ``prefix + name "value"`` wrapped like ``msgcat --width=width`` (79: its default)."""
    return format_block(name, value, width, prefix).split("\n")  # an escaped string has no LF


def format_block(name: str, value: str, width: int = 79, prefix: str = "") -> str:
    """:func:`format_string`'s lines joined by newlines (as a writer wants them): a wrapped
    string's lines come out of one ``str.join``."""
    content_width = width - 1 - (len(prefix) + 1)
    first_start = len(name) + 1
    if "\n" not in value:  # one portion: the common case, without the general loop
        escaped = escape(value)
        if len(escaped) + first_start <= content_width and escaped.isascii():
            return f'{prefix}{name} "{escaped}"'
        columns = _prefix(escaped)
        if not _breaks(escaped, columns, content_width, first_start, 1):
            return f'{prefix}{name} "{escaped}"'
        cuts = _breaks(escaped, columns, content_width, 0)
        pieces = [escaped[a:b] for a, b in zip((0, *cuts), (*cuts, len(escaped)), strict=True)]
        return f'{prefix}{name} ""\n{prefix}"' + f'"\n{prefix}"'.join(pieces) + '"'
    return "\n".join(_portion_lines(name, value, content_width, first_start, prefix))


def _portion_lines(name: str, value: str, content_width: int, first_start: int,
                   prefix: str) -> list[str]:
    """:func:`format_string`'s lines of a value holding a newline: each portion (up to and
    including a newline) wrapped on its own, after an empty first string."""
    portions = _portions(value)
    lines: list[str] = []
    for number, portion in enumerate(portions):
        escaped = escape(portion)
        columns = _prefix(escaped)
        if not lines:
            fits = len(escaped) + first_start <= content_width and escaped.isascii()
            if escaped and (number < len(portions) - 1 or (
                    not fits and _breaks(escaped, columns, content_width, first_start, 1))):
                lines.append(f'{prefix}{name} ""')
        cuts = _breaks(escaped, columns, content_width, first_start if not lines else 0)
        pieces = [escaped[a:b] for a, b in zip([0, *cuts], [*cuts, len(escaped)], strict=True)]
        for piece in pieces:
            lead = f"{prefix}{name} " if not lines else prefix
            lines.append(f'{lead}"{piece}"')
    return lines
