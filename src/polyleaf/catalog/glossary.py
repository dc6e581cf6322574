"""Glossaries: the approved (and forbidden) translation of each medical term, per locale.

A locale's glossary is ``locales/<lang>/glossary.tbx`` (TBX-Basic or TBX v3, see
:mod:`polyleaf.catalog.tbx`) and/or ``locales/<lang>/glossary.csv`` (Weblate's CSV glossary:
a header row naming ``source`` and ``target``, optionally ``context``, ``developer_comments``,
``translator_comments`` and ``flags``). In the CSV, each row is one source term with one target
term; several rows with one source give alternatives (the first is preferred); the flag
``forbidden`` makes the row's target a forbidden translation, ``read-only`` means the term stays
as it is (its target is the source). Both files may exist: their terms are merged.

Every problem is a diagnostic at the file's line with a ``glossary.*`` code; a term that cannot
be used is skipped and the others are kept. Files over :data:`MAX_BYTES`, or over
:data:`MAX_TERMS` terms, are refused whole.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, replace
from pathlib import Path

from polyleaf.catalog.terms import MAX_TERM_TOKENS, tokens
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error, warning
from polyleaf.fsutil import outside_project

MAX_BYTES = 16 * 1024 * 1024
MAX_TERMS = 100_000
MAX_TERM_CHARS = 200
GLOSSARY_SUFFIXES = ("tbx", "csv")  # locales/<lang>/glossary.<suffix>, read in this order
# Text that would make a term unreadable in the ``#. Terminology:`` comment (catalog.terminology).
RESERVED = (";", "→", " / ", "(not:", "\n", "\r", "\t")


@dataclass(frozen=True, slots=True)
class Term:
    """One source term and how the locale translates it."""

    source: str
    approved: tuple[str, ...] = ()  # the preferred first
    forbidden: tuple[str, ...] = ()
    note: str = ""
    line: int = 0  # where it is defined (the first definition, when merged)
    path: str = ""


@dataclass(frozen=True, slots=True)
class Glossary:
    """The terms of one locale (empty when it has no glossary file)."""

    locale: str
    terms: tuple[Term, ...] = ()
    paths: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Loaded:
    """A glossary and what reading it found wrong."""

    glossary: Glossary
    diagnostics: tuple[Diagnostic, ...]


def glossary_paths(config: Config, locale: str) -> list[Path]:
    """The glossary files of ``locale`` that exist."""
    folder = config.locales_dir / locale
    return [p for suffix in GLOSSARY_SUFFIXES if (p := folder / f"glossary.{suffix}").exists()]


def load_glossary(config: Config, locale: str) -> Loaded:
    """Read every glossary file of ``locale``; never raises for a user's problem."""
    from polyleaf.catalog.tbx import parse_tbx

    terms: list[Term] = []
    found: list[Diagnostic] = []
    names: list[str] = []
    for path in glossary_paths(config, locale):
        name = path.relative_to(config.root).as_posix()
        try:
            data = read_capped(path, name, config.root)
            parsed, problems = (parse_tbx(data, name, config.source_language, locale)
                                if path.suffix == ".tbx" else parse_csv(data, name))
        except PolyleafError as exc:
            found.extend(exc.diagnostics)
            continue
        names.append(name)
        found.extend(problems)
        terms.extend(parsed)
    merged, problems = merge_terms(terms)
    found.extend(problems)
    return Loaded(Glossary(locale, merged, tuple(names)), tuple(found))


def read_capped(path: Path, name: str, root: Path) -> bytes:
    """The file's bytes; raises a diagnostic for links out of the project and oversized files."""
    if outside_project(path, root):
        raise PolyleafError(error(name, 0, "fs.outside-project",
                                  "this is a link to a file outside the project; not read",
                                  "copy the file into the project instead of linking to it"))
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    if len(data) > MAX_BYTES:
        raise PolyleafError(error(name, 0, "glossary.too-large",
                                  f"the glossary is larger than {MAX_BYTES // 2**20} MB; not read",
                                  "split it, or remove terms that are not used"))
    return data


def check_term(text: str, name: str, line: int) -> Diagnostic | None:
    """Why ``text`` cannot be a term (None: it can)."""
    reason = ""
    if not tokens(text):
        reason = "has no letters or digits"
    elif len(text) > MAX_TERM_CHARS or len(tokens(text)) > MAX_TERM_TOKENS:
        reason = f"is longer than {MAX_TERM_CHARS} characters or {MAX_TERM_TOKENS} words"
    elif any(r in text for r in RESERVED) or text.startswith("/") or text.endswith("/"):
        reason = "contains ';', '→', ' / ', '(not:' or a line break, or begins or ends with '/'"
    if not reason:
        return None
    return error(name, line, "glossary.bad-term", f"the term {text[:60]!r} {reason}; skipped",
                 "write the term as it appears in running text, one term per entry")


def merge_terms(terms: list[Term]) -> tuple[tuple[Term, ...], list[Diagnostic]]:
    """One term per source (case-folded): alternatives merged in order; a target both approved
    and forbidden is a ``glossary.conflict`` (it stays forbidden)."""
    by_source: dict[str, Term] = {}
    for term in terms:
        slot = term.source.casefold()
        old = by_source.get(slot)
        if old is None:
            by_source[slot] = term
            continue
        by_source[slot] = replace(old, approved=_union(old.approved, term.approved),
                                  forbidden=_union(old.forbidden, term.forbidden),
                                  note=old.note or term.note)
    problems = []
    result = []
    for term in by_source.values():
        banned = {f.casefold() for f in term.forbidden}
        clash = [a for a in term.approved if a.casefold() in banned]
        if clash:
            problems.append(error(term.path, term.line, "glossary.conflict",
                                  f"{term.source!r}: {clash[0]!r} is both approved and "
                                  "forbidden; it is treated as forbidden",
                                  "keep it in one of the two lists"))
        result.append(replace(term, approved=tuple(a for a in term.approved
                                                   if a.casefold() not in banned)))
    if len(result) > MAX_TERMS:
        return (), [error(result[0].path, 0, "glossary.too-large",
                          f"more than {MAX_TERMS} terms; not used",
                          "split the glossary")]
    return tuple(result), problems


def _union(a: tuple[str, ...], b: tuple[str, ...]) -> tuple[str, ...]:
    seen = {x.casefold() for x in a}
    return a + tuple(x for x in b if x.casefold() not in seen)


CSV_COLUMNS = {"source", "target", "context", "developer_comments", "translator_comments", "flags",
               "location", "id", "fuzzy", "notes", "developer comments", "translator comments",
               "original", "translation", "translated", "untranslated", "explanation"}


def parse_csv(data: bytes, name: str) -> tuple[list[Term], list[Diagnostic]]:
    """Terms of a Weblate CSV glossary (UTF-8, with a header row)."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PolyleafError(error(name, data[:exc.start].count(b"\n") + 1, "glossary.encoding",
                                  "the glossary is not UTF-8", "save it as UTF-8")) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = [h.strip().lower() for h in next(reader, [])]
    except csv.Error as exc:
        raise PolyleafError(error(name, 1, "glossary.syntax", str(exc), "fix the header row")) \
            from None
    columns = {_alias(h): i for i, h in reversed(list(enumerate(header)))}
    if "source" not in columns or "target" not in columns:
        raise PolyleafError(error(name, 1, "glossary.syntax",
                                  "the first row must name the columns, with 'source' and "
                                  "'target'", "use Weblate's CSV glossary layout: "
                                  "source,target,context,developer_comments,flags"))
    found = [warning(name, 1, "glossary.unknown-column", f"unknown column {h!r} is ignored",
                     "see docs/translators.md, Terminology") for h in header if h not in CSV_COLUMNS]
    terms: list[Term] = []
    line = 2
    try:
        for row in reader:
            term, problem = _row(row, columns, name, line)
            line = reader.line_num + 1
            if problem is not None:
                found.append(problem)
            if term is not None:
                terms.append(term)
    except csv.Error as exc:
        found.append(error(name, reader.line_num, "glossary.syntax", f"{exc}; the rest of the "
                           "file is not read", "close the quote, or quote the whole field"))
    return terms, found


def _alias(column: str) -> str:
    return {"original": "source", "untranslated": "source", "translation": "target",
            "translated": "target", "explanation": "developer_comments",
            "developer comments": "developer_comments", "notes": "translator_comments",
            "translator comments": "translator_comments"}.get(column, column)


def _row(row: list[str], columns: dict[str, int], name: str, line: int
         ) -> tuple[Term | None, Diagnostic | None]:
    def cell(column: str) -> str:
        index = columns.get(column)
        return row[index].strip() if index is not None and index < len(row) else ""

    if not any(c.strip() for c in row):
        return None, None
    source, target = cell("source"), cell("target")
    flags = {f.strip().lower() for f in cell("flags").split(",") if f.strip()}
    if "read-only" in flags:
        target = target or source
    problem = check_term(source, name, line) or (check_term(target, name, line) if target
                                                 else None)
    if problem is not None or not target:
        return None, problem  # an untranslated term (Weblate exports them) is no rule yet
    note = cell("developer_comments") or cell("translator_comments")
    if "forbidden" in flags:
        return Term(source, (), (target,), note, line, name), None
    return Term(source, (target,), (), note, line, name), None
