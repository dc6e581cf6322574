"""Font checks of a rendered leaflet: what no font could draw, and what fontconfig drew on its own.

A missing glyph (``pdf.missing-glyph``) or a script drawn in a font no stylesheet named
(``pdf.font-fallback``: Japanese glyph shapes in a Chinese leaflet, DejaVu for Arabic) fails the
leaflet with a diagnostic naming the locale, the characters and the Debian package to install,
never a PDF with empty boxes.
"""

from __future__ import annotations

import re

from fontTools import unicodedata as ucd

from polyleaf.errors import Diagnostic, error
from polyleaf.fonts import describe, font_package
from polyleaf.render.pdf import PdfResult

_CJK_SCRIPTS = {"Hani", "Hira", "Kana", "Hang", "Bopo"}
# Scripts whose text must come from the font named in fonts.css, not from fontconfig's guess.
SCRIPT_FAMILIES = {"Arab": ("Noto Sans Arabic", "Noto Naskh Arabic"), "Hebr": ("Noto Sans Hebrew",),
                   "Deva": ("Noto Sans Devanagari",)}
# Han characters take different glyph shapes per language: the CJK font for the leaflet's language.
HAN_FAMILIES = {"zh": "Noto Sans CJK SC", "zh-Hans": "Noto Sans CJK SC", "zh-CN": "Noto Sans CJK SC",
                "zh-SG": "Noto Sans CJK SC", "zh-Hant": "Noto Sans CJK TC",
                "zh-TW": "Noto Sans CJK TC", "zh-HK": "Noto Sans CJK HK",
                "zh-MO": "Noto Sans CJK HK", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}
_UNCHECKED_SCRIPTS = {"Latn", "Cyrl", "Grek", "Zyyy", "Zinh", "Zzzz"}
_FONT_FAMILY = re.compile(r"font-family\s*:\s*([^;}]+)")


def debian_font_package(codepoint: int) -> str:
    """The Debian package whose fonts draw ``codepoint`` ('' when none can: separators, private
    use, unassigned); one rule with ``polyleaf check`` (:func:`polyleaf.fonts.font_package`)."""
    return font_package(codepoint)


def missing_glyph_diagnostic(output: str, lang: str, codepoints: tuple[int, ...]) -> Diagnostic:
    """``pdf.missing-glyph``: the locale, the characters, and the Debian package to install."""
    packages = sorted({debian_font_package(cp) for cp in codepoints} - {""})
    hint = (f"install the Debian package{'s' if len(packages) > 1 else ''} "
            f"{' '.join(packages)} (apt-get install {' '.join(packages)}) and build again; "
            "if it is installed, name a font that has these characters in "
            "templates/assets/fonts.css" if packages else
            "these are private-use or unassigned characters no font package covers: "
            "correct the translation")
    return error(output, 0, "pdf.missing-glyph",
                 f"{lang}: no installed font has {len(codepoints)} character(s): "
                 f"{describe(list(codepoints))}; the leaflet would print empty boxes", hint)


def _expected_families(codepoint: int, lang: str, declared: set[str]) -> set[str] | None:
    script = ucd.script(codepoint)
    if script in _UNCHECKED_SCRIPTS:
        return None
    if script in SCRIPT_FAMILIES:
        return set(SCRIPT_FAMILIES[script])
    if script in _CJK_SCRIPTS:
        primary = HAN_FAMILIES.get(lang) or HAN_FAMILIES.get(lang.split("-")[0])
        return {primary} if primary else {f for f in declared if f.startswith("Noto Sans CJK")}
    return declared


def font_fallback_diagnostic(output: str, lang: str, html: str,
                             result: PdfResult) -> Diagnostic | None:
    """``pdf.font-fallback`` when a script's text was drawn in a font fontconfig chose itself."""
    declared = {name.strip().strip("\"'") for value in _FONT_FAMILY.findall(html)
                for name in value.split(",")}
    missing = set(result.missing_glyphs)
    wrong: dict[str, list[int]] = {}
    expected: set[str] = set()
    for family, chars in result.fonts:
        for codepoint in (ord(c) for c in chars if ord(c) not in missing):
            allowed = _expected_families(codepoint, lang, declared)
            if allowed is not None and family not in allowed:
                wrong.setdefault(family, []).append(codepoint)
                expected |= allowed
    if not wrong:
        return None
    family, codepoints = max(wrong.items(), key=lambda item: len(item[1]))
    package = debian_font_package(codepoints[0])
    return error(output, 0, "pdf.font-fallback",
                 f"{lang}: fontconfig drew {describe(codepoints, 4)} in {family!r}, which no "
                 f"font stack names for this text (expected {' or '.join(map(repr, sorted(expected)))})",
                 f"name the font for :lang({lang}) in templates/assets/fonts.css"
                 + (f" and make sure {package} is installed" if package else ""))


