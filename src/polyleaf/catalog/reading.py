"""Reading one PO/POT file: refuse links out of the project, decode, parse, reject duplicates.

Kept apart from :mod:`polyleaf.catalog.files` (the project's catalog commands, which pull in
Jinja, the Markdown sources and the translation memory) so that ``polyleaf merge``, which reads
two files and writes one, imports only what it needs (about 20 MB less resident memory).
Every problem is a diagnostic raised as :class:`~polyleaf.errors.PolyleafError`.
"""

from __future__ import annotations

from pathlib import Path

from polyleaf.catalog.encoding import Decoded, decode_po
from polyleaf.catalog.pofile import Catalog, PoSyntaxError, collector_paused, parse
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error
from polyleaf.fsutil import outside_project


def load_catalog(path: Path, name: str, root: Path | None = None,
                 ) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Read and parse one PO/POT file: the catalog and the warnings reading it gave.

    Raises :class:`PolyleafError` (and reads nothing) for a symlink that leaves ``root``, and for
    any file it cannot read completely: such a file is never handed to a writer.
    """
    if root is not None and outside_project(path, root):
        raise PolyleafError(error(name, 0, "fs.outside-project",
                                  "this is a link to a file outside the project; not read",
                                  "copy the file into the project instead of linking to it"))
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    decoded = decode_po(data, name)
    del data  # the bytes are not held while the text is parsed (peak memory: the file's size)
    return _parsed(decoded, name)


def catalog_from_bytes(data: bytes, name: str) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Decode and parse the bytes of a PO/POT file named ``name`` (as :func:`load_catalog`)."""
    return _parsed(decode_po(data, name), name)


def _parsed(decoded: Decoded, name: str) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    with collector_paused():  # over the duplicate check too: its keys are 50,000 tuples
        return _checked(decoded, name)


def _checked(decoded: Decoded, name: str) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    if not decoded.text or decoded.text.isspace():  # (strip() would copy a whole file)
        raise PolyleafError(error(name, 1, "po.empty", "the file is empty",
                                  "delete it and run 'polyleaf update' to recreate it"))
    try:
        catalog = parse(decoded.text)
    except PoSyntaxError as exc:
        raise PolyleafError(error(name, exc.line, exc.code, exc.message,
                                  "compare with a valid entry; 'msgfmt --check' shows the same "
                                  "problem")) from None
    _check_duplicates(catalog, name)
    return catalog, decoded.warnings


def read_catalog(path: Path, name: str, root: Path | None = None) -> Catalog:
    """Like :func:`load_catalog`, without the warnings."""
    return load_catalog(path, name, root)[0]


def _check_duplicates(catalog: Catalog, name: str) -> None:
    seen: dict[tuple[str | None, str], int] = {}
    problems = []
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        if entry.key in seen:
            problems.append(error(name, entry.line, "po.duplicate",
                                  f"duplicate message definition (first at line {seen[entry.key]})",
                                  "keep one of the two entries"))
        seen[entry.key] = entry.line
    if problems:
        raise PolyleafError(*problems)
