"""What a QA check returns: a :class:`Finding` with a stable code, a level, a message and a hint."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from polyleaf.errors import Level
from polyleaf.i18n import LocaleInfo


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem with one translation."""

    code: str
    level: Level
    message: str
    hint: str


Check = Callable[[str, str, LocaleInfo], Iterator[Finding]]
"""A check: (source text, translation, locale) -> findings."""


def error_finding(code: str, message: str, hint: str) -> Finding:
    """An error: the translation is not usable."""
    return Finding(code, Level.ERROR, message, hint)


def warning_finding(code: str, message: str, hint: str) -> Finding:
    """A warning: advice that a translator may silence on one entry."""
    return Finding(code, Level.WARNING, message, hint)
