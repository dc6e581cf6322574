"""Inline codes for CAT tools: the Markdown markup and placeholders of a msgid, as protected spans.

A CAT tool (Trados, memoQ, Phrase, OmegaT) must not let a translator break ``**``, a link's
``](target)``, a code span or ``%(page)s``. :func:`split_codes` cuts a text into plain text and
code spans with one linear-time pattern (RE2); exchange formats turn the codes into their
protected elements (``<ph>`` in XLIFF) and back. Joining the pieces gives the text back exactly.
"""

from __future__ import annotations

from polyleaf.linear import compile_linear
from polyleaf.qa.markup import PLACEHOLDER_PATTERN

_CODE = compile_linear("|".join([
    r"`[^`]*`",                     # a code span: never translated
    r"\]\([^()\s]*(?: \"[^\"]*\")?\)",  # the end of a link or image and its target
    r"!?\[",                        # the start of a link or image text
    r"<[A-Za-z][A-Za-z0-9+.-]*:[^<>\s]*>",  # an autolink
    r"\*+", r"~~", r"_+",           # emphasis, strong, strikethrough
    PLACEHOLDER_PATTERN,
]))

Piece = tuple[bool, str]  # (is a code, text)


def split_codes(text: str) -> list[Piece]:
    """``text`` as alternating plain text and codes; ``"".join`` of the texts is ``text``.

    An underscore inside a word (``snake_case``) is text, not emphasis.
    """
    pieces: list[Piece] = []
    position = 0
    for match in _CODE.finditer(text):
        start, end = match.span()
        code = match.group(0)
        if code[0] == "_" and start > 0 and end < len(text) \
                and text[start - 1].isalnum() and text[end].isalnum():
            continue
        if start > position:
            pieces.append((False, text[position:start]))
        pieces.append((True, code))
        position = end
    if position < len(text):
        pieces.append((False, text[position:]))
    return _merge_text(pieces)


def _merge_text(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if merged and not piece[0] and not merged[-1][0]:
            merged[-1] = (False, merged[-1][1] + piece[1])
        else:
            merged.append(piece)
    return merged
