"""Reading both catalogs of a large merge without holding what the merge does not look at.

A merge carries most entries over unchanged: the template's entry and the old one with the
same key (msgctxt, msgid). Until it writes such a pair, all the merge needs of their long texts
(the msgid both hold, the old translation) is that they match, so :func:`lean_catalogs` holds
both as a :class:`StandIn` whose key is a 16-byte fingerprint (BLAKE2b). The template is read
first, whole; then the old file, a piece at a time (:func:`~polyleaf.catalog.encoding.utf8_pieces`).
Each old entry whose key the template has turns the template's entry into a stand-in (all of it
but its msgid: locations, comments, flags stay), and a live one becomes a stand-in itself (its
fingerprint and where it is: piece and place). When the writer reaches a pair, :class:`Lean`
reads the old entry's piece again, checks that its bytes are the ones read the first time (size
and CRC-32) and that the entry has the fingerprint it was matched by, and hands over both whole
(the template's msgid is the old one's: the keys are equal). A piece is dropped once the last of
its wanted entries has been handed over. The old file stays open from the first read to the
last, so a file replaced meanwhile (an editor's save is a rename) is still read as it was; one
rewritten in place is refused (``po.changed``).

Held whole: what the merge looks at (the template's new and edited entries and the old ones it
has lost: fuzzy matching compares them; obsolete entries; headers), and every entry of an old
file in another charset than UTF-8 (decoded whole, see :mod:`polyleaf.catalog.reading`). A live
entry with an obsolete twin (a duplicate the merge compares translations of) is read whole at
once. The merge matches by :func:`lean_key`, the fingerprint of every entry's key, held or
computed. Peak memory is the template read whole (each of its carried msgids is freed as its old
entry is read, and the freed memory handed back to the system every few pieces:
:mod:`polyleaf.heap`), then the stand-ins and the pieces still wanted: one or two in the
template's order (which ``polyleaf update`` and ``xgettext`` keep). The output is the same bytes
as a merge of the whole catalogs (``tests/test_leanmerge.py``).
"""

from __future__ import annotations

import zlib
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace
from operator import attrgetter
from pathlib import Path
from typing import BinaryIO

from polyleaf.catalog.encoding import Span
from polyleaf.catalog.merge import Key, exact_key
from polyleaf.catalog.pofile import Catalog, Entry, parse_piece
from polyleaf.catalog.reading import read_catalog, read_stream
from polyleaf.errors import PolyleafError, error, os_error
from polyleaf.heap import release_free_memory

try:  # CPython's own BLAKE2, which hashlib.blake2b is: importing hashlib loads OpenSSL (+4 MB)
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python without it
    from hashlib import blake2b

TRIM_EVERY = 8  # pieces of the old file: freed memory handed back to the system that often
HOLDER = "\0stand-in"  # a stand-in's msgid: never a header's "" (never written: see Lean.pair)


@dataclass(frozen=True, slots=True)
class StandIn(Entry):
    """An entry held without its long texts, its key known by its fingerprint ``mark``: a
    template entry with all but its msgid, or an old live entry as only its line and place
    (``index`` of the entries of ``piece`` of its file)."""

    mark: bytes = b""
    piece: int = 0
    index: int = 0


def fingerprint(msgctxt: str | None, msgid: str) -> bytes:
    """The BLAKE2b-128 digest of an entry's key. The bytes digested are unambiguous: 0, then
    the msgid, without a context; 1, the context's length (8 bytes), the context, the msgid
    with one. So two different keys digest different bytes, whatever their characters."""
    digest = blake2b(digest_size=16)
    if msgctxt is not None:
        context = msgctxt.encode("utf-8", "surrogatepass")
        digest.update(b"\x01" + len(context).to_bytes(8, "little") + context)
    else:
        digest.update(b"\x00")
    digest.update(msgid.encode("utf-8", "surrogatepass"))
    return digest.digest()


# every field of an entry after its msgid (the first), in order: derived, so a field added to
# Entry is carried by a stand-in too
if fields(Entry)[0].name != "msgid":  # pragma: no cover - a guard for whoever reorders Entry
    raise TypeError("leanread expects an Entry's msgid to be its first field")
_BUT_MSGID = attrgetter(*(field.name for field in fields(Entry)[1:]))


def without_msgid(whole: Entry, mark: bytes) -> StandIn:
    """``whole`` as a stand-in whose key has the fingerprint ``mark``: all of it but its msgid."""
    # (mypy cannot tell that the star fills exactly the fields before mark)
    return StandIn(HOLDER, *_BUT_MSGID(whole), mark=mark)  # type: ignore[misc]


def with_msgid(held: Entry, msgid: str) -> Entry:
    """The whole entry :func:`without_msgid` made ``held`` of."""
    return Entry(msgid, *_BUT_MSGID(held))


def lean_key(entry: Entry) -> bytes:
    """What a lean merge matches entries by: the fingerprint of the key."""
    return entry.mark if isinstance(entry, StandIn) else fingerprint(entry.msgctxt, entry.msgid)


@contextmanager
def lean_catalogs(old: Path, old_name: str, template: Path, template_name: str,
                  ) -> Iterator[tuple[Catalog, Catalog, Lean]]:
    """The old catalog and the template for merging them, the entries they carry as
    :class:`StandIn` (none if the old file is not UTF-8), and what hands those over whole.
    Raises :class:`PolyleafError` as :func:`~polyleaf.catalog.reading.load_catalog` does."""
    new = _Template(read_catalog(template, template_name))
    try:  # unbuffered: a piece read again comes from the file, never from a buffer of it
        stream = old.open("rb", buffering=0)
    except OSError as exc:
        raise PolyleafError(os_error(old_name, exc)) from None
    with stream:
        thinner = _Thinner(new)
        try:
            catalog = read_stream(stream, old_name, thin=thinner, spans=thinner.spans,
                                  key=lean_key)[0]
        except OSError as exc:
            raise PolyleafError(os_error(old_name, exc)) from None
        release_free_memory()
        lean = Lean(stream, old_name, thinner.spans, thinner.wanted)
        yield lean.twins_resolved(catalog), new.result, lean


class _Template:
    """The template, read whole; turns into a stand-in each entry whose key the old catalog
    turns out to have (:meth:`thin`): all of it but its msgid, which is the old entry's."""

    def __init__(self, catalog: Catalog) -> None:
        self.entries, self.head = list(catalog.entries), replace(catalog, entries=())
        self.index = {exact_key(e): n for n, e in enumerate(self.entries)
                      if not e.obsolete and (e.msgid or e.msgctxt is not None)}

    def thin(self, key: Key) -> bytes | None:
        """The fingerprint of ``key`` if the template has it still whole (then no longer)."""
        number = self.index.pop(key, None)
        if number is None:
            return None
        whole = self.entries[number]
        mark = fingerprint(whole.msgctxt, whole.msgid)
        self.entries[number] = without_msgid(whole, mark)
        return mark

    @property
    def result(self) -> Catalog:
        return replace(self.head, entries=tuple(self.entries))


class _Thinner:
    """Called with each piece of the old file's entries in turn: for every entry whose key
    the template has, thins the template's and stands in for the live old one."""

    def __init__(self, template: _Template) -> None:
        self.template = template
        self.spans: list[Span] = []
        self.wanted: Counter[int] = Counter()

    def __call__(self, found: list[Entry]) -> list[Entry]:
        piece, thin = len(self.spans) - 1, self.template.thin
        if piece % TRIM_EVERY == TRIM_EVERY - 1:
            release_free_memory()  # what the template's carried msgids held (see polyleaf.heap)
        kept = list(found)
        for index, entry in enumerate(found):
            mark = thin(exact_key(entry))
            if mark is not None and not entry.obsolete:
                kept[index] = StandIn(HOLDER, line=entry.line, mark=mark, piece=piece,
                                      index=index)
                self.wanted[piece] += 1
        return kept


class Lean:
    """Hands over the whole entries of a carried pair, reading the old entry's piece again (a
    piece is held until the last of its wanted entries has been handed over)."""

    def __init__(self, stream: BinaryIO, name: str, spans: list[Span],
                 wanted: Counter[int]) -> None:
        self._stream, self._name, self._spans, self._wanted = stream, name, spans, wanted
        self._held: dict[int, list[Entry]] = {}

    def pair(self, new: Entry, old: Entry) -> tuple[Entry, Entry]:
        """The template entry ``new`` and the old entry ``old`` it carries, whole. Raises
        ``po.changed`` unless the old entry read again has the key the pair was matched by
        (a file changed, or two keys read whole share a fingerprint; nothing is written)."""
        old = self._whole(old)
        if isinstance(new, StandIn):
            if new.msgctxt != old.msgctxt or fingerprint(old.msgctxt, old.msgid) != new.mark:
                raise self._changed()
            return with_msgid(new, old.msgid), old
        if new.msgid != old.msgid or new.msgctxt != old.msgctxt:
            raise self._changed()
        return new, old

    def twins_resolved(self, catalog: Catalog) -> Catalog:
        """``catalog`` with the stand-ins that share a key with an obsolete entry made whole."""
        obsolete = {lean_key(entry) for entry in catalog.entries if entry.obsolete}
        if not obsolete:
            return catalog
        return replace(catalog, entries=tuple(
            self._twin(e) if isinstance(e, StandIn) and e.mark in obsolete else e
            for e in catalog.entries))

    def _twin(self, entry: StandIn) -> Entry:
        whole = self._whole(entry)
        if lean_key(whole) != entry.mark:
            raise self._changed()
        return whole

    def _whole(self, entry: Entry) -> Entry:
        """``entry`` itself, or the whole old entry it stands in for."""
        if not isinstance(entry, StandIn):
            return entry
        held = self._held.get(entry.piece)
        if held is None:
            held = self._held[entry.piece] = self._read(entry.piece)
        self._wanted[entry.piece] -= 1
        if self._wanted[entry.piece] <= 0:
            del self._held[entry.piece]
        whole = held[entry.index] if entry.index < len(held) else None
        if whole is None or whole.obsolete:
            raise self._changed()
        return whole

    def _read(self, number: int) -> list[Entry]:
        span = self._spans[number]
        try:
            self._stream.seek(span.offset)
            data = bytearray()
            while len(data) < span.size and (more := self._stream.read(span.size - len(data))):
                data += more
        except OSError as exc:
            raise PolyleafError(os_error(self._name, exc)) from None
        if len(data) != span.size or zlib.crc32(data) != span.crc:
            raise self._changed()
        return parse_piece(data.decode("utf-8"))  # (lines counted from the piece's start)

    def _changed(self) -> PolyleafError:
        """The diagnostic for a file that is not what it was when it was first read."""
        return PolyleafError(error(self._name, 0, "po.changed",
                                   "the file changed while it was being merged; the merge "
                                   "stopped and left its output file as it was",
                                   "run the merge again once nothing else writes it"))
