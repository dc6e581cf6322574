"""Review records: who approved exactly which text of one article in one locale.

A record is a TOML file beside the catalogs, ``locales/<lang>/review/<article>.toml``, written
by ``polyleaf review approve`` and ``polyleaf review import-weblate`` (with tomli-w) and read
with :mod:`tomllib`. It never touches the translator's ``.po``. Each ``[[approval]]`` is one
sign-off, appended in date order: reviewer, role, date, how it was made (``method``), whether
it covered the whole article (``scope``), and its ``[[approval.segment]]`` tables, each holding
the approved source text, translation, context and their digest.

Digests: a segment's is the sha256 of its context, source and translation; an approval's covers
article, locale, reviewer, role, date, method and every segment digest. A record edited by hand
(a translation, a name, a date, a digest) no longer matches and is reported as
``review.tampered``; that approval is then not honoured. A digest is not a signature (anyone
can recompute one): who wrote a record is for version control to vouch for (signed commits,
protected branches, code review of ``locales/*/review/``).
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

import tomli_w

from polyleaf.errors import Diagnostic, error
from polyleaf.fsutil import write_atomic

SCHEMA = 1
HEADER = ("# Review record: who approved which exact text (see docs/clinics.md).\n"
          "# Written by 'polyleaf review approve'; do not edit by hand: a changed text, name,\n"
          "# date or digest is detected (review.tampered) and that approval no longer counts.\n")
FULL, PARTIAL = "full", "partial"

Key = tuple[str | None, str]  # (msgctxt, msgid), as in catalogs


@dataclass(frozen=True, slots=True)
class ApprovedSegment:
    """One segment as the reviewer saw and approved it."""

    context: str | None
    source: str
    translation: str
    digest: str

    @property
    def key(self) -> Key:
        """The catalog key of the approved entry."""
        return (self.context, self.source)


@dataclass(frozen=True, slots=True)
class Approval:
    """One sign-off: a reviewer approving some or all segments of an article on a date."""

    reviewer: str
    role: str
    date: date
    method: str  # "review packet", "weblate", "xliff"
    scope: str  # FULL or PARTIAL
    segments: tuple[ApprovedSegment, ...]
    digest: str = ""
    note: str = ""


@dataclass(frozen=True, slots=True)
class ReviewRecord:
    """Every approval of one article in one locale, oldest first."""

    article: str
    locale: str
    approvals: tuple[Approval, ...] = ()


def segment_digest(context: str | None, source: str, translation: str) -> str:
    """sha256 over exactly the text approved (context, source, translation)."""
    parts = ("" if context is None else f"ctx:{context}", source, translation)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def approval_digest(article: str, locale: str, approval: Approval) -> str:
    """sha256 binding the sign-off (who, when, how) to the digests of what was approved."""
    parts = [f"polyleaf-review-{SCHEMA}", article, locale, approval.reviewer, approval.role,
             approval.date.isoformat(), approval.method, approval.scope, approval.note,
             *(s.digest for s in approval.segments)]
    return hashlib.sha256("\x1e".join(parts).encode("utf-8")).hexdigest()


def make_segment(context: str | None, source: str, translation: str) -> ApprovedSegment:
    """An approved segment with its digest."""
    return ApprovedSegment(context, source, translation, segment_digest(context, source, translation))


def seal(article: str, locale: str, approval: Approval) -> Approval:
    """The approval with its digest filled in."""
    return replace(approval, digest=approval_digest(article, locale, approval))


# --- writing -------------------------------------------------------------------------------

def _segment_table(segment: ApprovedSegment) -> dict[str, Any]:
    table: dict[str, Any] = {} if segment.context is None else {"context": segment.context}
    return table | {"source": segment.source, "translation": segment.translation,
                    "digest": segment.digest}


def serialize_record(record: ReviewRecord) -> bytes:
    """The record as TOML text (stable: same record, same bytes)."""
    data: dict[str, Any] = {"schema": SCHEMA, "article": record.article, "locale": record.locale,
                            "approval": []}
    for approval in record.approvals:
        table: dict[str, Any] = {"reviewer": approval.reviewer, "role": approval.role,
                                 "date": approval.date, "method": approval.method,
                                 "scope": approval.scope}
        if approval.note:
            table["note"] = approval.note
        table["digest"] = approval.digest
        table["segment"] = [_segment_table(s) for s in approval.segments]
        data["approval"].append(table)
    return (HEADER + "\n" + tomli_w.dumps(data, multiline_strings=True)).encode("utf-8")


def write_record(path: Path, record: ReviewRecord) -> bool:
    """Write atomically, only when changed; True when written."""
    return write_atomic(path, serialize_record(record))


# --- reading -------------------------------------------------------------------------------

_APPROVAL_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*approval[ \t]*\]\]", re.M)


class RecordError(ValueError):
    """A record that cannot be used at all."""

    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.format())
        self.diagnostic = diagnostic


def _text(table: dict[str, Any], key: str, where: str, line: int) -> str:
    value = table.get(key)
    if not isinstance(value, str):
        raise RecordError(error(where, line, "review.format", f"'{key}' must be a string",
                                "restore the record from version control"))
    return value


def _segments(table: dict[str, Any], where: str, line: int) -> tuple[ApprovedSegment, ...]:
    rows = table.get("segment", [])
    if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
        raise RecordError(error(where, line, "review.format", "'segment' must be a list of tables",
                                "restore the record from version control"))
    found = []
    for row in rows:
        context = row.get("context")
        if context is not None and not isinstance(context, str):
            raise RecordError(error(where, line, "review.format", "'context' must be a string",
                                    "restore the record from version control"))
        found.append(ApprovedSegment(context, _text(row, "source", where, line),
                                     _text(row, "translation", where, line),
                                     _text(row, "digest", where, line)))
    return tuple(found)


def _approval(table: Any, where: str, line: int) -> Approval:
    if not isinstance(table, dict):
        raise RecordError(error(where, line, "review.format", "an approval must be a table",
                                "restore the record from version control"))
    day = table.get("date")
    if not isinstance(day, date):
        raise RecordError(error(where, line, "review.format", "'date' must be a TOML date "
                                "(date = 2026-03-10)", "restore the record from version control"))
    return Approval(_text(table, "reviewer", where, line), _text(table, "role", where, line),
                    day, _text(table, "method", where, line), _text(table, "scope", where, line),
                    _segments(table, where, line), _text(table, "digest", where, line),
                    str(table.get("note", "")))


def parse_record(text: str, where: str, article: str,
                 locale: str) -> tuple[ReviewRecord, list[Diagnostic]]:
    """Parse a record; tampered approvals are dropped with a ``review.tampered`` diagnostic.

    Raises :class:`RecordError` when the file cannot be used at all (syntax, shape, names)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RecordError(error(where, getattr(exc, "lineno", 0) or 0, "review.syntax",
                                f"not valid TOML: {exc}", "restore the record from version "
                                "control; records are written by 'polyleaf review approve'")) from None
    if data.get("article") != article or data.get("locale") != locale:
        raise RecordError(error(where, 1, "review.format", f"the record names article "
                                f"{data.get('article')!r} in {data.get('locale')!r}, but its "
                                f"place is {article!r} in {locale!r}",
                                "move the file back to its place or restore it"))
    tables = data.get("approval", [])
    if not isinstance(tables, list):
        raise RecordError(error(where, 1, "review.format", "'approval' must be a list of tables",
                                "restore the record from version control"))
    lines = [text.count("\n", 0, m.start()) + 1 for m in _APPROVAL_HEADER.finditer(text)]
    approvals, problems = [], []
    for index, table in enumerate(tables):
        line = lines[index] if index < len(lines) else 1
        approval = _approval(table, where, line)
        if _is_intact(article, locale, approval):
            approvals.append(approval)
            continue
        problems.append(error(where, line, "review.tampered",
                              f"approval by {approval.reviewer!r} ({approval.role}) of "
                              f"{approval.date.isoformat()} does not match its digest: the record "
                              "was changed after it was written; it no longer counts",
                              "restore the record from version control, or review again"))
    return ReviewRecord(article, locale, tuple(approvals)), problems


def _is_intact(article: str, locale: str, approval: Approval) -> bool:
    if any(s.digest != segment_digest(s.context, s.source, s.translation)
           for s in approval.segments):
        return False
    return approval.digest == approval_digest(article, locale, approval)


def read_record(path: Path, where: str, article: str,
                locale: str) -> tuple[ReviewRecord | None, list[Diagnostic]]:
    """Read ``path`` (None when missing); every problem is a diagnostic, never an exception."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None, []
    except OSError as exc:
        return None, [error(where, 0, "review.unreadable", f"cannot read the record: {exc}",
                            "check the file's permissions and encoding (UTF-8)")]
    return record_from_bytes(data, where, article, locale)


def record_from_bytes(data: bytes, where: str, article: str,
                      locale: str) -> tuple[ReviewRecord | None, list[Diagnostic]]:
    """The record in ``data`` (the bytes of the file ``where``), as :func:`read_record`."""
    try:
        text = data.decode("utf-8").replace("\r\n", "\n").replace("\r", "\n")  # as read_text
    except UnicodeDecodeError as exc:
        return None, [error(where, 0, "review.unreadable", f"cannot read the record: {exc}",
                            "check the file's permissions and encoding (UTF-8)")]
    try:
        return parse_record(text, where, article, locale)
    except RecordError as exc:
        return None, [exc.diagnostic]
