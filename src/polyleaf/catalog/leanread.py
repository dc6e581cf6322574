"""Reading the old catalog of a large merge without holding its translations.

A merge carries most old entries over unchanged: their key is in the template, so all the
merge needs of them until it writes them is that key. :func:`lean_catalog` reads the old
file a piece at a time (:func:`~polyleaf.catalog.encoding.utf8_pieces`) and keeps such an
entry as a :class:`StandIn`: its key, its line, and where it is (piece and place in it). When
the writer reaches it, :class:`OldPieces` reads its piece again, checks that the bytes are the
ones read the first time (size and CRC-32), parses it and hands over the whole entry; a piece
is dropped once the last of its entries the merge wants has been handed over. The old file
stays open from the first read to the last, so a file replaced meanwhile (an editor's save
is a rename) is still read as it was; one rewritten in place is refused (``po.changed``).

Every other entry (the header, obsolete ones, those the template has lost: the ones fuzzy
matching and obsolete-keeping look at) is held whole, as is every entry of a file in another
charset than UTF-8 (decoded whole, see :mod:`polyleaf.catalog.reading`). An obsolete entry
whose key a stand-in has too (a duplicate the merge compares translations of) gets its live
twin read at once. Peak memory is the template, the stand-ins and the pieces still wanted:
one or two when the template's order is the old file's (``polyleaf update`` and ``xgettext``
keep it), all of them at worst (what reading the file whole holds). The merged output is
the same bytes either way (``tests/test_leanmerge.py``).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO

from polyleaf.catalog.encoding import Span
from polyleaf.catalog.pofile import Catalog, Entry, parse_piece
from polyleaf.catalog.reading import read_stream, shared_msgids
from polyleaf.errors import PolyleafError, error, os_error

Key = tuple[str | None, str]


@dataclass(frozen=True, slots=True)
class StandIn(Entry):
    """A live old entry read without its translation: ``index`` of the entries of
    ``piece``."""

    piece: int = 0
    index: int = 0


@contextmanager
def lean_catalog(path: Path, name: str, template: Catalog,
                 ) -> Iterator[tuple[Catalog, OldPieces]]:
    """The old catalog for merging ``template`` into it, its carried entries as
    :class:`StandIn` (none in a file that is not UTF-8), and what hands them over whole.
    Raises :class:`PolyleafError` as :func:`~polyleaf.catalog.reading.load_catalog` does."""
    try:
        stream = path.open("rb")
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    with stream:
        spans: list[Span] = []
        thinner = _Thinner({entry.key for entry in template.entries})
        try:
            catalog = read_stream(stream, name, shared_msgids(template), thinner, spans)[0]
        except OSError as exc:
            raise PolyleafError(os_error(name, exc)) from None
        pieces = OldPieces(stream, name, spans, thinner.wanted)
        yield pieces.twins_resolved(catalog), pieces


class _Thinner:
    """Called with each piece's entries in turn: stands in for the live ones ``keys`` has."""

    def __init__(self, keys: set[Key]) -> None:
        self.keys = keys
        self.piece = -1
        self.wanted: Counter[int] = Counter()

    def __call__(self, found: list[Entry]) -> list[Entry]:
        self.piece += 1
        kept = list(found)
        for index, entry in enumerate(found):
            if not entry.obsolete and entry.key in self.keys:
                kept[index] = StandIn(entry.msgid, msgctxt=entry.msgctxt, line=entry.line,
                                      piece=self.piece, index=index)
                self.wanted[self.piece] += 1
        return kept


class OldPieces:
    """Hands over the whole entry a :class:`StandIn` stands for, reading its piece again."""

    def __init__(self, stream: BinaryIO, name: str, spans: list[Span],
                 wanted: Counter[int]) -> None:
        self._stream, self._name, self._spans, self._wanted = stream, name, spans, wanted
        self._held: dict[int, list[Entry]] = {}

    def resolve(self, entry: Entry) -> Entry:
        """``entry`` itself, or the whole entry it stands in for."""
        if not isinstance(entry, StandIn):
            return entry
        held = self._held.get(entry.piece)
        if held is None:
            held = self._held[entry.piece] = self._read(entry.piece)
        self._wanted[entry.piece] -= 1
        if self._wanted[entry.piece] <= 0:
            del self._held[entry.piece]
        whole = held[entry.index] if entry.index < len(held) else None
        if whole is None or whole.key != entry.key or whole.obsolete:
            raise self._changed()
        return whole

    def twins_resolved(self, catalog: Catalog) -> Catalog:
        """``catalog`` with the stand-ins that share a key with an obsolete entry made whole."""
        obsolete = {entry.key for entry in catalog.entries if entry.obsolete}
        if not obsolete:
            return catalog
        return replace(catalog, entries=tuple(
            self.resolve(e) if isinstance(e, StandIn) and e.key in obsolete else e
            for e in catalog.entries))

    def _read(self, number: int) -> list[Entry]:
        span = self._spans[number]
        try:
            self._stream.seek(span.offset)
            data = self._stream.read(span.size)
        except OSError as exc:
            raise PolyleafError(os_error(self._name, exc)) from None
        if len(data) != span.size or zlib.crc32(data) != span.crc:
            raise self._changed()
        return parse_piece(data.decode("utf-8"))

    def _changed(self) -> PolyleafError:
        return PolyleafError(error(self._name, 0, "po.changed",
                                   "the file changed while it was being merged; nothing was "
                                   "written", "run the merge again once nothing else writes it"))

