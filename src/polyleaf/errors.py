"""Diagnostics: every problem a user can cause, as ``path:line: level: code: message``.

A :class:`Diagnostic` is plain data. Library code reports problems by returning diagnostics or by
raising :class:`PolyleafError` (which carries them); only the CLI prints them and maps them to
exit codes. Codes are stable and documented in ``docs/diagnostics.md``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    """How serious a diagnostic is; errors make an input unusable, warnings do not."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in one place, with a stable code and a hint on what to do."""

    path: str
    line: int
    level: Level
    code: str
    message: str
    hint: str = ""

    def format(self) -> str:
        """Return the one-line GNU-style form, hint appended after ``hint:``."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level.value}: {self.code}: {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        data = asdict(self)
        data["level"] = self.level.value
        return data


def error(path: str, line: int, code: str, message: str, hint: str = "") -> Diagnostic:
    """Shorthand for an error-level diagnostic."""
    return Diagnostic(path, line, Level.ERROR, code, message, hint)


def warning(path: str, line: int, code: str, message: str, hint: str = "") -> Diagnostic:
    """Shorthand for a warning-level diagnostic."""
    return Diagnostic(path, line, Level.WARNING, code, message, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    """True when any diagnostic is an error."""
    return any(d.level is Level.ERROR for d in diagnostics)


def to_json(diagnostics: Iterable[Diagnostic]) -> str:
    """Serialize diagnostics as a stable JSON array."""
    return json.dumps([d.to_dict() for d in diagnostics], ensure_ascii=False, indent=2)


class PolyleafError(Exception):
    """A user-caused problem that stops one operation; carries its diagnostics."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__("\n".join(d.format() for d in diagnostics))
        self.diagnostics: tuple[Diagnostic, ...] = diagnostics


class ConfigError(PolyleafError):
    """The project configuration is unusable (exit code 2)."""
