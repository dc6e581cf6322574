"""Reading one PO/POT file: refuse links out of the project, decode, parse, reject duplicates.

Kept apart from :mod:`polyleaf.catalog.files` (the project's catalog commands, which pull in
Jinja, the Markdown sources and the translation memory) so that ``polyleaf merge``, which reads
two files and writes one, imports only what it needs (about 20 MB less resident memory).
Every problem is a diagnostic raised as :class:`~polyleaf.errors.PolyleafError`.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import BinaryIO

from polyleaf.catalog.encoding import HEAD, Decoded, Span, decode_po, utf8_label, utf8_pieces
from polyleaf.catalog.pofile import Catalog, Entry, PoSyntaxError, collector_paused, parse, parse_pieces
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error
from polyleaf.fsutil import outside_project


def load_catalog(path: Path, name: str, root: Path | None = None,
                 known: Mapping[str, str] | None = None,
                 ) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Read and parse one PO/POT file: the catalog and the warnings reading it gave.

    Raises :class:`PolyleafError` (and reads nothing) for a symlink that leaves ``root``, and for
    any file it cannot read completely: such a file is never handed to a writer. A msgid
    equal to a key of ``known`` is its value (:func:`shared_msgids`).
    """
    if root is not None and outside_project(path, root):
        raise PolyleafError(error(name, 0, "fs.outside-project",
                                  "this is a link to a file outside the project; not read",
                                  "copy the file into the project instead of linking to it"))
    try:
        with path.open("rb") as stream:
            return read_stream(stream, name, known)
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None


def read_stream(stream: BinaryIO, name: str, known: Mapping[str, str] | None = None,
                thin: Callable[[list[Entry]], list[Entry]] | None = None,
                spans: list[Span] | None = None, key: Callable[[Entry], Hashable] | None = None,
                ) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """:func:`load_catalog` of an open file, from its start (``OSError`` is the caller's).
    A UTF-8 file is read in pieces: ``thin`` and ``spans`` as
    :func:`~polyleaf.catalog.pofile.parse_pieces` and
    :func:`~polyleaf.catalog.encoding.utf8_pieces` take them (neither is used otherwise).
    Two live entries are duplicates when their ``key`` (default :attr:`Entry.key`) is equal."""
    head = stream.read(HEAD + 3)  # (and a byte-order mark)
    label = utf8_label(head, name)
    if label is None:  # another charset: decoded whole, as decode_po checks the bytes
        return _parsed(decode_po(head + stream.read(), name), name, known, key)
    return _streamed(utf8_pieces(head, stream, name, label, spans), name, known, thin, key), ()


def _streamed(pieces: Iterator[str], name: str, known: Mapping[str, str] | None,
              thin: Callable[[list[Entry]], list[Entry]] | None = None,
              key: Callable[[Entry], Hashable] | None = None) -> Catalog:
    """Parse a UTF-8 file a piece at a time: its peak memory is its entries and one piece, not
    the entries and the whole text. Reports what :func:`_checked` would for the whole text.
    ``thin``: as :func:`~polyleaf.catalog.pofile.parse_pieces` takes it."""
    blank = [True]
    try:
        with collector_paused():
            catalog = parse_pieces(_watched(pieces, blank), known, thin)
            if blank[0]:
                raise _empty(name)
            _check_duplicates(catalog, name, key)
    except PoSyntaxError as exc:
        for _ in pieces:  # an invalid byte anywhere is reported first, as decoding it whole
            pass
        raise _syntax(name, exc) from None
    return catalog


def _watched(pieces: Iterable[str], blank: list[bool]) -> Iterator[str]:
    """The pieces, as they come; ``blank[0]`` stays True while they hold only white space."""
    for text in pieces:
        if blank[0] and text and not text.isspace():
            blank[0] = False
        yield text


def catalog_from_bytes(data: bytes, name: str) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    """Decode and parse the bytes of a PO/POT file named ``name`` (as :func:`load_catalog`)."""
    return _parsed(decode_po(data, name), name)


def _parsed(decoded: Decoded, name: str, known: Mapping[str, str] | None = None,
            key: Callable[[Entry], Hashable] | None = None,
            ) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    with collector_paused():  # over the duplicate check too: its keys are 50,000 tuples
        return _checked(decoded, name, known, key)


def _checked(decoded: Decoded, name: str, known: Mapping[str, str] | None,
             key: Callable[[Entry], Hashable] | None = None,
             ) -> tuple[Catalog, tuple[Diagnostic, ...]]:
    if not decoded.text or decoded.text.isspace():  # (strip() would copy a whole file)
        raise _empty(name)
    try:
        catalog = parse(decoded.text, known)
    except PoSyntaxError as exc:
        raise _syntax(name, exc) from None
    _check_duplicates(catalog, name, key)
    return catalog, decoded.warnings


def _empty(name: str) -> PolyleafError:
    return PolyleafError(error(name, 1, "po.empty", "the file is empty",
                               "delete it and run 'polyleaf update' to recreate it"))


def _syntax(name: str, exc: PoSyntaxError) -> PolyleafError:
    return PolyleafError(error(name, exc.line, exc.code, exc.message,
                               "compare with a valid entry; 'msgfmt --check' shows the same "
                               "problem"))


def read_catalog(path: Path, name: str, root: Path | None = None,
                 known: Mapping[str, str] | None = None) -> Catalog:
    """Like :func:`load_catalog`, without the warnings."""
    return load_catalog(path, name, root, known)[0]


def shared_msgids(catalog: Catalog) -> dict[str, str]:
    """``known`` for reading a second catalog to merge with ``catalog``: the msgids both hold
    are then one string each, not two (a 50,000-entry merge of long paragraphs: -60 MB)."""
    return {entry.msgid: entry.msgid for entry in catalog.entries}


def _check_duplicates(catalog: Catalog, name: str,
                      key: Callable[[Entry], Hashable] | None = None) -> None:
    seen: dict[Hashable, int] = {}
    problems = []
    for entry in catalog.entries:
        if entry.obsolete:
            continue
        unique = entry.key if key is None else key(entry)
        if unique in seen:
            problems.append(error(name, entry.line, "po.duplicate",
                                  f"duplicate message definition (first at line {seen[unique]})",
                                  "keep one of the two entries"))
        seen[unique] = entry.line
    if problems:
        raise PolyleafError(*problems)
