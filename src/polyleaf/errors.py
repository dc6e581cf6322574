"""Diagnostics: every problem a user can cause, as ``path:line: level: code: message``.

A :class:`Diagnostic` is plain data. Library code reports problems by returning diagnostics or by
raising :class:`PolyleafError` (which carries them); only the CLI prints them and maps them to
exit codes. Codes are stable and documented in ``docs/diagnostics.md``.
"""

from __future__ import annotations

import errno
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
        """Return the one-line GNU-style form, hint appended after ``hint:``.

        Control characters (a newline in a file name, an escape sequence in an id) are shown
        escaped, so one diagnostic is always one line and cannot rewrite a terminal."""
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level.value}: {self.code}: {self.message}"
        text = f"{text} (hint: {self.hint})" if self.hint else text
        return text if text.isprintable() else "".join(_visible(c) for c in text)

    def to_dict(self) -> dict[str, object]:
        """Return a JSON-ready mapping."""
        data = asdict(self)
        data["level"] = self.level.value
        return data


def _visible(char: str) -> str:
    return char if char.isprintable() else repr(char)[1:-1]


_OS_ERRORS = {
    errno.ENOSPC: ("fs.no-space", "no space left on the device",
                   "free some disk space and run the command again; no file was changed"),
    errno.EDQUOT: ("fs.no-space", "disk quota exceeded",
                   "free some space or raise the quota; no file was changed"),
    errno.ENAMETOOLONG: ("fs.name-too-long", "a file name is too long for this file system",
                         "use a shorter article id (at most 100 characters)"),
    errno.EACCES: ("fs.permission", "permission denied",
                   "check the permissions of the file and its folder"),
    errno.EPERM: ("fs.permission", "operation not permitted",
                  "check the permissions of the file and its folder"),
    errno.EROFS: ("fs.read-only", "the file system is read-only",
                  "write the output to a writable place (--output) or remount"),
}


def os_error(path: str, exc: OSError, line: int = 0) -> Diagnostic:
    """The diagnostic for an operating-system error a user's files or disk caused."""
    code, message, hint = _OS_ERRORS.get(exc.errno or 0, (
        "fs.error", exc.strerror or type(exc).__name__,
        "check the file, its folder and the disk"))
    return error(path, line, code, message, hint)


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
