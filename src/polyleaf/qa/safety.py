"""Safety QA (``qa.unsafe``): translations are text; no HTML, scripts or control characters."""

from __future__ import annotations

from collections.abc import Iterator

from polyleaf.i18n import LocaleInfo
from polyleaf.linear import SPACE, compile_linear
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err

_UNSAFE = compile_linear(
    rf"<{SPACE}*/?{SPACE}*(script|iframe|object|embed|style|link|meta|svg|math)\b"
    rf"|\bon[a-z]+{SPACE}*=|(?:javascript|vbscript|data){SPACE}*:", ignore_case=True)
# C0/C1 controls other than tab and newline: never patient text, and \r or \f would end a CSS
# string (the leaflet's page counter) and let a translation restyle or hide parts of a leaflet.
_CONTROL = compile_linear(r"[\x{00}-\x08\x0b-\x1f\x7f-\x9f]")

def check_unsafe(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """No scripts, event handlers, or javascript:/data: targets that the source lacks."""
    found = {m.group(0).lower() for m in _UNSAFE.finditer(target)}
    found -= {m.group(0).lower() for m in _UNSAFE.finditer(source)}
    found |= {f"control character U+{ord(c):04X}" for c in _CONTROL.findall(target)
              if c not in source}
    if found:
        yield _err("qa.unsafe", f"unsafe content in translation: {sorted(found)}",
                   "translations are text; remove HTML, scripts and javascript:/data: links")
