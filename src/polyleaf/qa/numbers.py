"""Number QA (``qa.numbers``): every number of the source appears in the translation."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator

from polyleaf.i18n import LocaleInfo
from polyleaf.qa.findings import Finding
from polyleaf.qa.findings import error_finding as _err
from polyleaf.qa.links import LINK_TARGET, URL

_NUMBER = re.compile(r"\d+(?:[.,٫]\d+)?")


def _ascii_digits(text: str) -> str:
    return "".join(str(unicodedata.decimal(c)) if c.isdigit() and not c.isascii()
                   and unicodedata.decimal(c, None) is not None else c for c in text)


def _numbers(text: str) -> Counter[str]:
    text = URL.sub(" ", LINK_TARGET.sub("](", _ascii_digits(text)))
    return Counter(n.replace(",", ".").replace("٫", ".") for n in _NUMBER.findall(text))


def check_numbers(source: str, target: str, locale: LocaleInfo) -> Iterator[Finding]:
    """Every number of the source appears in the translation (any digits, any decimal mark)."""
    missing = _numbers(source) - _numbers(target)
    extra = _numbers(target) - _numbers(source)
    if missing:
        yield _err("qa.numbers", f"number(s) {', '.join(sorted(missing))} of the source are "
                   f"missing{' (found ' + ', '.join(sorted(extra)) + ')' if extra else ''}",
                   "keep every number, dose and range exactly; digits of your script are fine")
