"""Which characters the installed fonts can draw: glyph coverage before any PDF is rendered.

WeasyPrint draws text through Pango and fontconfig: a character that no font fontconfig knows
covers prints as an empty box. ``polyleaf check`` asks here, at the ``.po`` line, instead of
waiting for the leaflet to fail. Coverage is the union of every installed font's charset as
fontconfig reports it (``fc-list --format %{charset}``: one subprocess, about 0.1 s), kept per
process. Characters that are never drawn as glyphs (controls, format characters such as ZWJ or
the bidi marks, which Pango treats as default-ignorable) are not asked about.
"""

from __future__ import annotations

import bisect
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fontTools import unicodedata as ucd

_NEVER_DRAWN = {"Cc", "Cf"}
# Line/paragraph separators, private use, surrogates and unassigned code points: some fonts
# list a glyph for them, but Pango does not draw it (WeasyPrint reports a missing glyph).
_NO_GLYPH = {"Zl", "Zp", "Co", "Cs", "Cn"}
_CJK_SCRIPTS = {"Hani", "Hira", "Kana", "Hang", "Bopo"}
_EMOJI_BLOCKS = {"Emoticons", "Miscellaneous Symbols and Pictographs", "Transport and Map Symbols",
                 "Supplemental Symbols and Pictographs", "Symbols and Pictographs Extended-A"}


def font_package(codepoint: int) -> str:
    """The Debian package whose fonts draw ``codepoint`` ('' when none can: separators, private
    use, unassigned)."""
    if unicodedata.category(chr(codepoint)) in _NO_GLYPH:
        return ""
    block = ucd.block(codepoint)
    if _CJK_SCRIPTS & set(ucd.script_extension(codepoint)) or "CJK" in block \
            or block == "Halfwidth and Fullwidth Forms":
        return "fonts-noto-cjk"
    if block in _EMOJI_BLOCKS:
        return "fonts-noto-color-emoji"
    return "fonts-noto-core"


def describe(codepoints: tuple[int, ...] | list[int], limit: int = 8) -> str:
    """``U+4E2D '中' (CJK UNIFIED IDEOGRAPH-4E2D), ...`` for the first ``limit`` code points."""
    shown = [f"U+{cp:04X} {chr(cp)!r} ({unicodedata.name(chr(cp), 'unnamed')})"
             for cp in codepoints[:limit]]
    more = f" and {len(codepoints) - limit} more" if len(codepoints) > limit else ""
    return ", ".join(shown) + more


@dataclass(frozen=True, slots=True)
class Coverage:
    """Sorted, merged code-point ranges ``[start, end]`` some installed font covers."""

    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def covers(self, codepoint: int) -> bool:
        """True when some installed font has a glyph for ``codepoint``."""
        index = bisect.bisect_right(self.starts, codepoint) - 1
        return index >= 0 and codepoint <= self.ends[index]

    def missing(self, text: str) -> tuple[int, ...]:
        """The distinct code points of ``text`` no installed font draws, in text order."""
        found: dict[int, None] = {}
        for char in dict.fromkeys(text):
            codepoint = ord(char)
            category = unicodedata.category(char)
            if category in _NO_GLYPH or (not self.covers(codepoint)
                                         and category not in _NEVER_DRAWN):
                found[codepoint] = None
        return tuple(found)


def parse_charsets(listing: str) -> Coverage:
    """Merge fontconfig charset lines (``20-7e a0 ...``, hexadecimal) into one coverage."""
    ranges: list[tuple[int, int]] = []
    for line in listing.splitlines():
        for item in line.split():
            low, _, high = item.partition("-")
            try:
                ranges.append((int(low, 16), int(high or low, 16)))
            except ValueError:
                continue
    ranges.sort()
    merged: list[list[int]] = []
    for start, end in ranges:
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return Coverage(tuple(r[0] for r in merged), tuple(r[1] for r in merged))


@lru_cache(maxsize=1)
def installed_coverage() -> Coverage | None:
    """What the installed fonts cover; None when fontconfig is not available to ask."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return None
    try:
        listing = subprocess.run([fc_list, "--format", "%{charset}\n"], capture_output=True,
                                 text=True, timeout=60, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    coverage = parse_charsets(listing)
    return coverage if coverage.starts else None
