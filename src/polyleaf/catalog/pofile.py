"""Fast, lossless gettext PO reading and msgcat-style writing over frozen dataclasses.

polib and Babel take 0.6-3 s to read or write 10,000 paragraph-sized entries; the merge target is
0.5 s for read + merge + write, so the catalog layer reads and writes PO itself. It keeps
everything a translator or a tool wrote: translator comments, flags, previous msgids, obsolete
entries, plurals, contexts, and an unknown ``#`` comment kind verbatim. Syntax errors raise
:class:`PoSyntaxError` with the line. Output is what GNU ``msgcat`` and ``msgmerge`` write by
default (79 columns, see :mod:`polyleaf.catalog.powrap`), so a round trip through either tool
or Poedit is diff-free.
"""

from __future__ import annotations

import gc
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager

from polyleaf.catalog.model import Catalog, Entry, PoSyntaxError
from polyleaf.catalog.polines import BLANK, is_comment_line, literal, parse_lines, unescape
from polyleaf.catalog.powrap import format_block

__all__ = ["GNU_WIDTH", "Catalog", "Entry", "PoSyntaxError", "collector_paused", "keyword_count",
           "normalize_newlines", "parse", "parse_piece", "parse_pieces", "serialize", "serialize_bytes",
           "serialize_chunks", "serialize_stream", "unescape"]


_STRING = r'"[^\n]*"\n(?:"[^\n]*"\n)*'
_BLOCK_RE = re.compile(rf"""
(?P<tc>(?:\#(?:[ \t][^\n]*)?\n)*)
(?P<ac>(?:\#\.[^\n]*\n)*)
(?P<loc>(?:\#:[^\n]*\n)*)
(?P<flags>(?:\#,[^\n]*\n)*)
(?:msgctxt[ ](?P<ctx>{_STRING}))?
msgid[ ](?P<id>{_STRING})
msgstr[ ](?P<str>{_STRING})
""", re.X)


def _join(group: str, line: int) -> str:
    """The unescaped value of a canonical multi-line string group (``"a"\\n"b"\\n``)."""
    raw = group[1:-2].replace('"\n"', "")
    if "\\" in raw or '"' in raw:  # each string unescaped alone, as GNU does: "\1" "23"
        return "".join(literal(piece, line) for piece in group.split("\n")[:-1])
    return raw


def _fast_block(text: str, start: int, end: int, first_line: int,
                known: Mapping[str, str] | None = None) -> Entry | None:
    """Parse one entry, ``text[start:end]`` (ending in a newline), in the canonical msgcat
    layout with a single regex, else None. A msgid equal to a key of ``known`` is its value."""
    match = _BLOCK_RE.fullmatch(text, start, end)
    if match is None:
        return None
    line = first_line + text.count("\n", start, match.start("id"))
    tc, ac, loc, flags, ctx, msgid, msgstr = match.group("tc", "ac", "loc", "flags", "ctx", "id",
                                                         "str")
    try:
        text_id, translation, context = _join(msgid, line), _join(msgstr, line), \
            None if ctx is None else _join(ctx, line)
    except PoSyntaxError:
        return None  # the line-by-line parser reports it, with the line it is on
    return Entry(
        text_id if known is None else known.get(text_id, text_id), translation, context,
        flags=tuple(dict.fromkeys(f.strip() for raw in flags.split("\n") for f in raw[2:].split(",")
                                  if f.strip())) if flags else (),
        locations=tuple(loc.replace("#:", " ").split()) if loc else (),
        auto_comments=tuple(c[2:].strip() for c in ac.split("\n")[:-1]) if ac else (),
        translator_comments=tuple(c[2:] if c.startswith("# ") else c[1:]
                                  for c in tc.split("\n")[:-1]) if tc else (),
        line=line)


def parse(text: str, known: Mapping[str, str] | None = None) -> Catalog:
    """Parse PO text (already decoded) into a :class:`Catalog`.

    Entries in the canonical layout (what msgcat, Poedit and polyleaf write) are matched whole
    by one regex, in place (no copy of the text); anything else goes through the line-by-line
    parser, which accepts every valid PO file and reports the line of any syntax error.
    A msgid equal to a key of ``known`` (another catalog's msgids) is that catalog's string:
    two catalogs read for a merge hold their common msgids once.
    """
    return parse_pieces((text,), known)


def parse_pieces(pieces: Iterable[str], known: Mapping[str, str] | None = None,
                 thin: Callable[[list[Entry]], list[Entry]] | None = None) -> Catalog:
    """Parse PO text given as consecutive pieces as :func:`parse` parses their
    concatenation: every piece but the last must end in a blank line (two newlines, once CRLF
    and CR are made LF), where one entry ends and the next begins. A reader passes a large
    file a piece at a time, so the whole text is never held. ``thin`` (when given) gets
    each piece's entries (:func:`parse_piece`) and returns what the catalog keeps of them."""
    entries: list[Entry] = []
    expected, line = 0, 1
    with collector_paused():
        for piece in pieces:
            text = normalize_newlines(piece)
            found, line = _parse_blocks(text, line, known)
            # complete when no more "msgid" than entries; else count the keyword lines
            expected += len(found) if text.count("msgid") <= len(found) else keyword_count(text)
            entries.extend(found if thin is None else thin(found))
    if len(entries) < expected:  # a reader that understood fewer must never feed a writer
        raise PoSyntaxError(1, f"read {len(entries)} of the {expected} entries this file holds",
                            "po.incomplete")
    return _split_header(entries)


def parse_piece(piece: str) -> list[Entry]:
    """The entries of one piece of :func:`parse_pieces`, in order (the header too), with line
    numbers counted from the piece's start."""
    return _parse_blocks(normalize_newlines(piece), 1, None)[0]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a file's entries are built: they form no
    cycles, and at 50,000 entries its passes over the growing heap cost ~10 % of the read.
    Reference counting still frees everything; the previous state is restored."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _parse_blocks(text: str, line: int, known: Mapping[str, str] | None,
                  ) -> tuple[list[Entry], int]:
    """The entries of ``text``, whose first line is ``line``, and the number of the line after
    it (counted on the way, not by another scan). Comments that end a block belong to the
    next entry, across blank lines, as GNU gettext reads them (at the end: to none)."""
    entries: list[Entry] = []
    start, length = 0, len(text)
    closed = text.endswith("\n")
    pending = (-1, 0)  # where such comments begin, and their line (-1: none)
    while True:  # the blocks of text.split("\n\n"), one at a time
        end = text.find("\n\n", start)
        last = end < 0
        entry = None
        if pending[0] >= 0:
            end = length if last else end
        elif not last:  # a block and its newline, in place
            entry = _fast_block(text, start, end + 1, line, known)
        else:  # in place too unless the text ends without a newline
            end = length
            entry = _fast_block(text, start, end, line, known) if closed else \
                _fast_block(text[start:] + "\n", 0, end - start + 1, line, known)
        if entry is not None:
            entries.append(entry)
        elif text[start:end].strip(BLANK):
            pending = _slow_block(text, start, end, line, pending, entries)
        line += text.count("\n", start, end) + 2
        if last:
            break
        start = end + 2
    return entries, line - 2  # (the last block has no blank line after it)


def _slow_block(text: str, start: int, end: int, line: int, pending: tuple[int, int],
                entries: list[Entry]) -> tuple[int, int]:
    """Parse the block ``text[start:end]`` (line ``line``) with the line parser, after the
    comments ``pending`` (from :func:`_parse_blocks`), into ``entries``; the comments that
    end it, which wait for the next entry."""
    tail = _trailing_comments(text, start, end)
    if tail == start:  # comments alone: they wait, with any that already do
        return pending if pending[0] >= 0 else (start, line)
    begin, first = pending if pending[0] >= 0 else (start, line)
    entries.extend(parse_lines(text[begin:tail], first))
    return (tail, line + text.count("\n", start, tail)) if tail < end else (-1, 0)


def _trailing_comments(text: str, start: int, end: int) -> int:
    """Where the comment lines that end ``text[start:end]`` begin, with the blank lines among
    them (``end``: none do)."""
    tail = end
    while tail > start:
        begin = max(text.rfind("\n", start, tail - 1) + 1, start)
        line = text[begin:tail]
        if line.strip(BLANK) and not is_comment_line(line):
            break
        tail = begin
    return tail


# A msgid keyword line: after a newline (the empty group makes findall return "" for each).
_MSGID_LINE_RE = re.compile(r'\n()[ \t]*(?:#~[ \t]*)?msgid[ \t"]')
_FIRST_MSGID_LINE_RE = re.compile(r'[ \t]*(?:#~[ \t]*)?msgid[ \t"]')


def normalize_newlines(text: str) -> str:
    """CRLF (Windows) and lone CR (classic Mac OS, some CAT tools) line ends become LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def keyword_count(text: str) -> int:
    """How many entries (``msgid`` keyword lines, obsolete ones too) a PO text holds."""
    text = normalize_newlines(text)
    return len(_MSGID_LINE_RE.findall(text)) + (_FIRST_MSGID_LINE_RE.match(text) is not None)


def _split_header(entries: list[Entry]) -> Catalog:
    if entries and entries[0].msgid == "" and entries[0].msgctxt is None and not entries[0].obsolete:
        head = entries[0]
        fields = []
        for raw in head.msgstr.split("\n"):
            if ":" in raw:
                key, _, value = raw.partition(":")
                fields.append((key.strip(), value.strip()))
        return Catalog(tuple(fields), head.translator_comments, head.flags, tuple(entries[1:]))
    return Catalog(entries=tuple(entries))


# ---------------------------------------------------------------------------------------- write

GNU_WIDTH = 79  # gettext's default page width (msgcat, msgmerge, xgettext)


def serialize(catalog: Catalog, width: int = GNU_WIDTH) -> str:
    """Write a catalog as PO text the way ``msgcat`` (default width) would."""
    out: list[str] = []
    header = Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in catalog.header),
                   translator_comments=catalog.header_comments, flags=catalog.header_flags)
    if catalog.header or catalog.header_comments:
        out.append(_entry(header, width))
    out.extend(_entry(e, width) for e in catalog.entries)
    return "\n".join(out)


def serialize_bytes(catalog: Catalog, width: int = GNU_WIDTH) -> bytes:
    """:func:`serialize`, encoded as UTF-8."""
    return b"".join(serialize_chunks(catalog, width))


def serialize_chunks(catalog: Catalog, width: int = GNU_WIDTH,
                     size: int = 1 << 20) -> Iterator[bytes]:
    """:func:`serialize_bytes` in pieces of about ``size`` characters, made as they are
    consumed: a writer that streams them (:func:`polyleaf.fsutil.write_atomic_chunks`) never
    holds the file whole (at 50,000 long paragraphs, 177 MB)."""
    return serialize_stream(catalog, catalog.entries, width, size)


def serialize_stream(head: Catalog, entries: Iterable[Entry], width: int = GNU_WIDTH,
                     size: int = 1 << 20) -> Iterator[bytes]:
    """:func:`serialize_chunks` of ``head``'s header with ``entries`` (which ``head.entries``
    is ignored for): entries made one at a time are written one at a time."""
    header = Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in head.header),
                   translator_comments=head.header_comments, flags=head.header_flags)
    if head.header or head.header_comments:
        entries = itertools.chain((header,), entries)
    pending: list[str] = []
    held = 0  # characters in pending
    for number, entry in enumerate(entries):
        if number:
            pending.append("\n")  # the blank line between two entries
        text = _entry(entry, width)
        pending.append(text)
        held += len(text) + 1
        if held >= size:
            yield "".join(pending).encode("utf-8")
            pending.clear()
            held = 0
    if pending:
        yield "".join(pending).encode("utf-8")


def _entry(entry: Entry, width: int) -> str:
    lines: list[str] = [f"# {c}".rstrip() if c else "#" for c in entry.translator_comments]
    lines.extend(f"#. {c}".rstrip() for c in entry.auto_comments)
    lines.extend(_locations(entry.locations, width))
    if entry.flags:
        lines.append("#, " + ", ".join(entry.flags))
    prefix = "#~ " if entry.obsolete else ""
    previous = "#~| " if entry.obsolete else "#| "
    for name, value in (("msgctxt", entry.previous_msgctxt), ("msgid", entry.previous_msgid),
                        ("msgid_plural", entry.previous_msgid_plural)):
        if value is not None:
            lines.append(format_block(name, value, width, previous))
    body: list[tuple[str, str | None]] = [("msgctxt", entry.msgctxt), ("msgid", entry.msgid)]
    if entry.msgid_plural is not None:
        body.append(("msgid_plural", entry.msgid_plural))
        body.extend((f"msgstr[{i}]", s) for i, s in enumerate(entry.msgstr_plural or ("", "")))
    else:
        body.append(("msgstr", entry.msgstr))
    for name, value in body:
        if value is not None:
            lines.append(format_block(name, value, width, prefix))
    return "\n".join(lines) + "\n"


def _locations(locations: Iterable[str], width: int) -> list[str]:
    lines: list[str] = []
    current = "#:"
    for location in locations:
        if len(current) + 1 + len(location) > width and current != "#:":
            lines.append(current)
            current = "#:"
        current += " " + location
    if current != "#:":
        lines.append(current)
    return lines
