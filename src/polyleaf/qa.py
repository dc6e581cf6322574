"""Translation QA: checks that decide whether a translation may be used.

(Expanded by the QA issue; for now the error-level checks that protect patients: placeholders
and link targets must survive translation.)
"""

from __future__ import annotations

import re

from polyleaf.i18n import LocaleInfo
from polyleaf.pofile import Entry

_PLACEHOLDER = re.compile(r"%\([A-Za-z_]\w*\)[sd]|%[sd]")
_LINK = re.compile(r"\]\(([^)\s]*)")


def entry_passes(entry: Entry, locale: LocaleInfo) -> bool:
    """True when ``entry`` has no error-level problem."""
    for text in (entry.msgstr, *entry.msgstr_plural):
        if not text:
            continue
        if sorted(_PLACEHOLDER.findall(text)) != sorted(_PLACEHOLDER.findall(entry.msgid)):
            return False
        if sorted(_LINK.findall(text)) != sorted(_LINK.findall(entry.msgid)):
            return False
    return True
