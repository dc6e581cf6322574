"""Turning the bytes of a PO file into text, or refusing to, without ever guessing silently.

A PO file declares its charset in the header. GNU gettext accepts only its "portable" charsets
(``gettext-tools/src/po-charset.c``); Python knows many more, some of which (UTF-7,
``raw_unicode_escape``) decode text that cannot be encoded back and crash a writer. So a label is
accepted only when it names one of GNU's charsets. A label that contradicts the bytes (valid,
non-ASCII UTF-8 under a Latin-1 label: an editor re-saved the file without fixing the header) is
read as what the bytes are, UTF-8, with a ``po.charset-mismatch`` warning: the text is never
turned into mojibake, and a rewrite labels it UTF-8.
"""

from __future__ import annotations

import codecs
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO, NamedTuple

from polyleaf.catalog.polines import is_comment_line
from polyleaf.errors import Diagnostic, PolyleafError, error, warning

_CHARSET_RE = re.compile(rb"charset=([A-Za-z0-9_.:-]+)")

# GNU gettext's portable charsets (po-charset.c, standard_charsets), as Python codec names.
_GNU_CHARSETS = (
    "ASCII", "ANSI_X3.4-1968", "US-ASCII", "ISO-8859-1", "ISO-8859-2", "ISO-8859-3",
    "ISO-8859-4", "ISO-8859-5", "ISO-8859-6", "ISO-8859-7", "ISO-8859-8", "ISO-8859-9",
    "ISO-8859-13", "ISO-8859-14", "ISO-8859-15", "KOI8-R", "KOI8-U", "KOI8-T", "CP850", "CP866",
    "CP874", "CP932", "CP949", "CP950", "CP1250", "CP1251", "CP1252", "CP1253", "CP1254",
    "CP1255", "CP1256", "CP1257", "GB2312", "EUC-JP", "EUC-KR", "EUC-TW", "BIG5", "BIG5-HKSCS",
    "GBK", "GB18030", "SHIFT_JIS", "JOHAB", "TIS-620", "VISCII", "GEORGIAN-PS", "UTF-8",
)


def _codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


_ALLOWED = frozenset(c for c in map(_codec, _GNU_CHARSETS) if c is not None)
_UTF8 = "utf-8"


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a PO file and what reading it found worth saying."""

    text: str
    charset: str  # the Python codec actually used
    warnings: tuple[Diagnostic, ...] = ()


def decode_po(data: bytes, name: str) -> Decoded:
    """Decode PO bytes by the charset its header declares (UTF-8 when absent or a placeholder).

    Raises :class:`PolyleafError` for a binary file, UTF-16, an unknown or non-portable charset,
    or bytes that are not valid in the declared charset.
    """
    data = _without_bom(data)
    codec, label, where = _declared(data, name)
    if codec != _UTF8 and _is_utf8_text(data):
        return Decoded(data.decode(_UTF8), _UTF8, (warning(
            name, _line_of(data, where), "po.charset-mismatch",
            f"the header says charset={label}, but the bytes are UTF-8; read as UTF-8",
            "set the header to charset=UTF-8 ('polyleaf update' writes it so)"),))
    try:
        return Decoded(data.decode(codec), codec)
    except UnicodeDecodeError as exc:
        raise _invalid(name, label, _line_of(data, exc.start)) from None


HEAD = 8192  # the bytes that decide a file's charset (and whether it is binary)
PIECE = 1 << 20  # what a reader of a large UTF-8 file decodes at a time


def utf8_label(head: bytes, name: str) -> str | None:
    """The charset label of a file starting with ``head`` (its first :data:`HEAD` bytes, or all
    of a shorter one) when it means UTF-8, so that :func:`utf8_pieces` may read it, else None.
    Raises as :func:`decode_po` for a binary file or a charset PO files may not use."""
    codec, label, _ = _declared(_without_bom(head), name)
    return label if codec == _UTF8 else None


def utf8_pieces(head: bytes, stream: BinaryIO, name: str, label: str = "UTF-8",
                spans: list[Span] | None = None) -> Iterator[str]:
    """The text of a UTF-8 PO file (``head``, then the rest of ``stream``) as
    :func:`~polyleaf.catalog.pofile.parse_pieces` takes it: pieces of about :data:`PIECE`
    bytes, each cut after a blank line, so the file's bytes and text are never held whole (a
    file without blank lines, CR-only line ends, is one piece). Raises :class:`PolyleafError`
    (``po.encoding``, with the file's line) at the first invalid byte, as :func:`decode_po`
    does; only then is the file read again from its start, to count the lines before it.
    ``spans`` (when given) gets each piece's :class:`Span` before the piece is yielded."""
    bom = len(head) - len(body := _without_bom(head))
    buffer, searched, done = bytearray(), 0, 0  # no blank line in buffer[:searched]
    for block in _blocks(body, stream, PIECE):
        buffer += block
        cut = _after_blank_line(buffer, searched)
        if cut:
            if spans is not None:
                spans.append(_span(buffer, cut, bom + done))
            yield _decoded(buffer, cut, done, stream, name, label)
            del buffer[:cut]
            done += cut
        searched = max(0, len(buffer) - 3)
    if buffer:
        if spans is not None:
            spans.append(_span(buffer, len(buffer), bom + done))
        yield _decoded(buffer, len(buffer), done, stream, name, label)


class Span(NamedTuple):
    """Where one piece of a file is (``offset`` and ``size`` in bytes) and the CRC-32 of its
    bytes, to read it again and know it is the same."""

    offset: int
    size: int
    crc: int


def _span(buffer: bytearray, cut: int, offset: int) -> Span:
    with memoryview(buffer) as view:
        return Span(offset, cut, zlib.crc32(view[:cut]))


def _blocks(head: bytes, stream: BinaryIO, size: int) -> Iterator[bytes]:
    for start in range(0, len(head), size):
        yield head[start:start + size]
    while block := stream.read(size):
        yield block


def _decoded(buffer: bytearray, cut: int, done: int, stream: BinaryIO, name: str,
             label: str) -> str:
    """``buffer[:cut]`` decoded; ``done`` bytes of the file (after a byte-order mark) came
    before it."""
    try:
        with memoryview(buffer) as view:  # decoded in place (the buffer is cut after this)
            return str(view[:cut], _UTF8)
    except UnicodeDecodeError as exc:
        stream.seek(0)
        before = _without_bom(stream.read(3 + done + exc.start))
        raise _invalid(name, label, _line_of(before, done + exc.start)) from None


def _after_blank_line(buffer: bytearray, start: int) -> int:
    """Where the last LF blank line from ``start`` on ends, else the last CRLF one, or 0 (a
    file of LF lines is not searched for CRLF). Not after a comment: it belongs to the entry
    after the blank line (:func:`~polyleaf.catalog.polines.is_comment_line`). Linear: the
    search goes on before the line that decided, and never looks again before ``start``
    (what an earlier call with the same buffer judged; a cut missed there is only later)."""
    for blank in (b"\n\n", b"\r\n\r\n"):
        found = buffer.rfind(blank, start)
        while found >= 0:
            line = _last_line(buffer, found, max(0, start - 3))
            if line is None:
                break  # the line that decides is before start: judged by an earlier call
            if not is_comment_line(bytes(buffer[line[0]:line[1]]).decode("utf-8", "replace")):
                return found + len(blank)
            found = buffer.rfind(blank, start, line[0])
    return 0


def _last_line(buffer: bytearray, end: int, floor: int) -> tuple[int, int] | None:
    """Where the last line that is not blank before ``buffer[end]`` begins and ends (LF, CRLF
    and a lone CR all end a line, as the parser reads them): ``(0, 0)`` if there is none, None
    if it ends at or before ``floor`` (> 0)."""
    while True:
        while end > floor and buffer[end - 1] in b"\r\n":
            end -= 1
        if end <= floor:
            return None if floor else (0, 0)
        newline = buffer.rfind(b"\n", 0, end)  # (a CR is looked for after it: a line's length)
        begin = max(newline, buffer.rfind(b"\r", newline + 1, end)) + 1
        if buffer[begin:end].strip():
            return begin, end
        end = begin


def _without_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(b"\xef\xbb\xbf") else data


def _declared(data: bytes, name: str) -> tuple[str, str, int]:
    """The codec a file's header declares, its label and where it stands; raises for a binary
    file or a charset PO files may not use."""
    _refuse_binary(data, name)
    match = _CHARSET_RE.search(data[:HEAD])
    label = match.group(1).decode("ascii") if match else "UTF-8"
    codec = _UTF8 if label.upper() == "CHARSET" else _codec(label)
    if codec is None or codec not in _ALLOWED:
        raise PolyleafError(error(
            name, _line_of(data, match.start() if match else 0), "po.charset",
            f"charset '{label}' is not one PO files may use",
            "declare charset=UTF-8 and save the file as UTF-8 (GNU gettext accepts only its "
            "portable charsets)"))
    return codec, label, match.start() if match else 0


def _invalid(name: str, label: str, line: int) -> PolyleafError:
    return PolyleafError(error(name, line, "po.encoding", f"bytes are not valid {label}",
                               "save the file in the charset its header declares "
                               "(UTF-8 recommended)"))


def _refuse_binary(data: bytes, name: str) -> None:
    if data[:4] in (b"\xde\x12\x04\x95", b"\x95\x04\x12\xde"):
        raise PolyleafError(error(name, 1, "po.binary", "this is a compiled .mo file, not a PO file",
                                  "put the .po source here; polyleaf never needs .mo files"))
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise PolyleafError(error(name, 1, "po.encoding", "the file is saved as UTF-16",
                                  "save it as UTF-8 (Poedit and Weblate do by default)"))
    if b"\x00" in data[:4096]:
        raise PolyleafError(error(name, 1, "po.binary", "this is a binary file, not a PO file",
                                  "restore the .po from version control, or delete it and run "
                                  "'polyleaf update'"))


def _is_utf8_text(data: bytes) -> bool:
    """Non-ASCII bytes that are valid UTF-8: almost never true of real Latin-1/CJK text."""
    if data.isascii():
        return False
    try:
        data.decode(_UTF8)
    except UnicodeDecodeError:
        return False
    return True


def _line_of(data: bytes, offset: int) -> int:
    head = data[:offset]
    return head.count(b"\n") + (head.count(b"\r") - head.count(b"\r\n")) + 1
