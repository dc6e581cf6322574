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
import re
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field, replace

from polyleaf.catalog.powrap import format_string
from polyleaf.plurals import InvalidPluralForms, PluralForms, parse_plural_forms

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
# as GNU reads them: up to three octal digits, every hex digit that follows (a byte: the last two)
_ESCAPE_RE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]+|.)")


@dataclass(frozen=True, slots=True)
class Entry:
    """One message of a PO file."""

    msgid: str
    msgstr: str = ""
    msgctxt: str | None = None
    msgid_plural: str | None = None
    msgstr_plural: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    locations: tuple[str, ...] = ()
    auto_comments: tuple[str, ...] = ()
    translator_comments: tuple[str, ...] = ()
    previous_msgctxt: str | None = None
    previous_msgid: str | None = None
    previous_msgid_plural: str | None = None
    obsolete: bool = False
    line: int = 0  # line of the msgid in the file it was read from (0: not read)

    @property
    def key(self) -> tuple[str | None, str]:
        """(msgctxt, msgid): what makes an entry unique in a catalog."""
        return (self.msgctxt, self.msgid)

    @property
    def fuzzy(self) -> bool:
        """Marked fuzzy: the translation needs review and is not used."""
        return "fuzzy" in self.flags

    @property
    def translated(self) -> bool:
        """Has a complete translation (all plural forms non-empty); fuzziness aside."""
        if self.msgid_plural is not None:
            return bool(self.msgstr_plural) and all(self.msgstr_plural)
        return bool(self.msgstr)

    @property
    def has_translation(self) -> bool:
        """Holds any non-empty translation text (what must never be lost)."""
        return bool(self.msgstr) or any(self.msgstr_plural)

    def with_flag(self, flag: str, present: bool = True) -> Entry:
        """A copy with ``flag`` added or removed."""
        flags = tuple(f for f in self.flags if f != flag)
        if present:
            flags = (flag, *flags) if flag == "fuzzy" else (*flags, flag)
        return replace(self, flags=flags)


@dataclass(frozen=True, slots=True)
class Catalog:
    """A whole PO/POT file: header fields in order, header comments, entries in file order."""

    header: tuple[tuple[str, str], ...] = ()
    header_comments: tuple[str, ...] = ()
    header_flags: tuple[str, ...] = ()
    entries: tuple[Entry, ...] = field(default=())

    def header_value(self, name: str, default: str = "") -> str:
        """The value of one header field."""
        for key, value in self.header:
            if key.lower() == name.lower():
                return value
        return default

    def with_header(self, **fields: str) -> Catalog:
        """A copy with header fields set (``Plural_Forms`` -> ``Plural-Forms``)."""
        updates = {k.replace("_", "-"): v for k, v in fields.items()}
        header = [(k, updates.pop(k, v)) for k, v in self.header]
        header.extend(updates.items())
        return replace(self, header=tuple(header))

    @property
    def plurals(self) -> PluralForms | None:
        """The rule of the ``Plural-Forms`` header; None when missing or invalid
        (:func:`polyleaf.plurals.parse_plural_forms` says why)."""
        try:
            return parse_plural_forms(self.header_value("Plural-Forms"))
        except InvalidPluralForms:
            return None

    @property
    def nplurals(self) -> int | None:
        """``nplurals`` of a valid ``Plural-Forms`` header; None when missing or invalid."""
        plurals = self.plurals
        return plurals.nplurals if plurals is not None else None

    @property
    def live(self) -> tuple[Entry, ...]:
        """Entries that are not obsolete."""
        return tuple(e for e in self.entries if not e.obsolete)


class PoSyntaxError(ValueError):
    """A PO file that cannot be parsed; ``line`` is 1-based."""

    def __init__(self, line: int, message: str, code: str = "po.syntax") -> None:
        super().__init__(f"line {line}: {message}")
        self.line = line
        self.message = message
        self.code = code


def unescape(text: str, line: int = 0) -> str:
    """Decode the C escapes of a PO string literal."""
    if "\\" not in text:
        return text

    def sub(match: re.Match[str]) -> str:
        char = match.group(1)
        if char in _ESCAPES:
            return _ESCAPES[char]
        if char[0] in "01234567":
            return _byte(int(char, 8) & 0xFF, char, line)
        if char[0] == "x" and len(char) > 1:
            return _byte(int(char[1:][-2:], 16), char[:12], line)
        raise PoSyntaxError(line, f"invalid escape sequence '\\{char}'", "po.bad-escape")

    return _ESCAPE_RE.sub(sub, text)


def _byte(value: int, written: str, line: int) -> str:
    """The character a numeric escape stands for. GNU gettext reads one above 0x7F as a raw
    byte of the file's charset (half of a UTF-8 character, say): refused, never guessed."""
    if value < 0x80:
        return chr(value)
    raise PoSyntaxError(line, f"the escape '\\{written}' stands for a byte above 0x7F, which "
                        "GNU gettext reads as a raw byte of the file's charset",
                        "po.bad-escape")


class _Builder:
    """Accumulates the raw (still escaped) string pieces and comments of one entry."""

    __slots__ = ("auto", "current", "fields", "flags", "line", "locations", "obsolete",
                 "previous", "translator")

    def __init__(self) -> None:
        self.auto: list[str] = []
        self.locations: list[str] = []
        self.flags: list[str] = []
        self.translator: list[str] = []
        self.previous: dict[str, list[str]] = {}
        self.fields: dict[str, list[str]] = {}  # msgctxt, msgid, msgid_plural, msgstr, msgstr[N]
        self.current: list[str] | None = None
        self.line = 0
        self.obsolete = False

    def build(self) -> Entry:
        fields = self.fields
        if "msgid" not in fields:
            raise PoSyntaxError(self.line, "entry has no msgid")
        plural_keys = sorted((k for k in fields if k.startswith("msgstr[")),
                             key=lambda k: int(k[7:-1]))
        if "msgid_plural" not in fields and "msgstr" not in fields:
            raise PoSyntaxError(self.line, "entry has no msgstr", "po.missing-msgstr")
        line = self.line
        flags = [f.strip() for raw in self.flags for f in raw.split(",") if f.strip()]
        previous = {k: _unescaped(v, line) for k, v in self.previous.items()}
        msgctxt = fields.get("msgctxt")
        msgid_plural = fields.get("msgid_plural")
        return Entry(
            msgid=_unescaped(fields["msgid"], line),
            msgstr=_unescaped(fields.get("msgstr", ()), line),
            msgctxt=None if msgctxt is None else _unescaped(msgctxt, line),
            msgid_plural=None if msgid_plural is None else _unescaped(msgid_plural, line),
            msgstr_plural=tuple(_unescaped(fields[k], line) for k in plural_keys),
            flags=tuple(dict.fromkeys(flags)),
            locations=tuple(loc for raw in self.locations for loc in raw.split()),
            auto_comments=tuple(self.auto), translator_comments=tuple(self.translator),
            previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
            previous_msgid_plural=previous.get("msgid_plural"),
            obsolete=self.obsolete, line=line,
        )


def _unescaped(pieces: Iterable[str], line: int) -> str:
    """The value of a string given in pieces (its quoted lines): each is unescaped alone, as
    GNU gettext reads them ("\\1" "23" is U+0001 then "23", not U+0053)."""
    return "".join(unescape(piece, line) for piece in pieces)


_ESCAPED_PAIR_RE = re.compile(r"\\.")  # a backslash and what it escapes (linear, no look-behind)
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})


def _literal(rest: str, number: int, escapes: bool = True) -> str:
    """The inside of a quoted PO string (still escaped), checking it is terminated and, with
    ``escapes``, that its escapes are valid (so an error names the line it is on)."""
    rest = rest.strip()
    if len(rest) < 2 or rest[0] != '"' or rest[-1] != '"' or _odd_backslashes(rest):
        raise PoSyntaxError(number, "unterminated or malformed string", "po.unterminated")
    inner = rest[1:-1]
    if '"' in inner and '"' in _ESCAPED_PAIR_RE.sub("", inner):
        raise PoSyntaxError(number, "unescaped '\"' inside a string", "po.syntax")
    if escapes and "\\" in inner:
        unescape(inner, number)
    return inner


def _odd_backslashes(quoted: str) -> bool:
    """True when the final quote is escaped (an odd run of backslashes precedes it)."""
    if quoted[-2] != "\\" or len(quoted) == 2:
        return False
    run = len(quoted) - 1 - len(quoted[:-1].rstrip("\\"))
    return run % 2 == 1


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
        return "".join(unescape(_literal(piece, line, escapes=False), line)  # (an escaped
                       for piece in group.split("\n")[:-1])  # closing quote is refused)
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
    return parse_pieces(((text, 1),), known)


def parse_pieces(pieces: Iterable[tuple[str, int]],
                 known: Mapping[str, str] | None = None) -> Catalog:
    """Parse PO text given as consecutive pieces, each with the number of its first line, as
    :func:`parse` parses their concatenation: every piece but the last must end in a blank line
    (two newlines, once CRLF and CR are made LF), where one entry ends and the next begins. A
    reader passes a large file a piece at a time, so the whole text is never held."""
    entries: list[Entry] = []
    expected = 0
    with collector_paused():
        for piece, line in pieces:
            text = normalize_newlines(piece)
            found = _parse_blocks(text, line, known)
            # complete when no more "msgid" than entries; else count the keyword lines
            expected += len(found) if text.count("msgid") <= len(found) else keyword_count(text)
            entries.extend(found)
    if len(entries) < expected:  # a reader that understood fewer must never feed a writer
        raise PoSyntaxError(1, f"read {len(entries)} of the {expected} entries this file holds",
                            "po.incomplete")
    return _split_header(entries)


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


def _parse_blocks(text: str, line: int, known: Mapping[str, str] | None) -> list[Entry]:
    entries: list[Entry] = []
    start, length = 0, len(text)
    while True:  # the blocks of text.split("\n\n"), one at a time
        end = text.find("\n\n", start)
        last = end < 0
        if last:
            end = length
        # a block and its newline: in place unless the text ends without one
        entry = _fast_block(text, start, min(end + 1, length), line, known) \
            if not last or text.endswith("\n") else \
            _fast_block(text[start:] + "\n", 0, end - start + 1, line, known)
        if entry is not None:
            entries.append(entry)
        elif text[start:end].strip():
            entries.extend(_parse_lines(text[start:end], line))
        line += text.count("\n", start, end) + 2
        if last:
            break
        start = end + 2
    return entries


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


def _parse_lines(text: str, first_line: int = 1) -> list[Entry]:
    """The general line-by-line parser."""
    entries: list[Entry] = []
    builder = _Builder()
    for number, raw in enumerate(text.split("\n"), first_line):
        line = raw.strip()
        obsolete = line.startswith("#~")
        if obsolete:
            line = line[2:].lstrip()
            if line[:1] == "|":
                line = "#" + line
        if not line:
            continue
        first = line[0]
        if first == '"':
            if builder.current is None:
                raise PoSyntaxError(number, "string continuation without a keyword")
            builder.current.append(_literal(line, number))
            continue
        if first == "#":
            if builder.fields:
                entries.append(builder.build())
                builder = _Builder()
            _comment(builder, line, number)
            continue
        builder = _keyword(builder, entries, line, number, obsolete)
    if builder.fields:
        entries.append(builder.build())
    return entries


def _comment(builder: _Builder, line: str, number: int) -> None:
    kind = line[:2]
    if kind == "#:":
        builder.locations.append(line[2:])
    elif kind == "#.":
        builder.auto.append(line[2:].strip())
    elif kind == "#,":
        builder.flags.append(line[2:])
    elif kind == "#|":
        name, _, rest = line[2:].strip().partition(" ")
        if name in ("msgctxt", "msgid", "msgid_plural"):
            builder.previous[name] = [_literal(rest, number)]
            builder.current = builder.previous[name]
        elif name.startswith('"') and builder.previous:
            builder.current = builder.current if builder.current is not None else []
            builder.current.append(_literal(name + (" " + rest if rest else ""), number))
        else:
            raise PoSyntaxError(number, "cannot parse this previous-msgid ('#|') line")
    else:
        builder.translator.append(line[2:] if line.startswith("# ") else line[1:])
        builder.current = None


def _keyword(builder: _Builder, entries: list[Entry], line: str, number: int,
             obsolete: bool) -> _Builder:
    name, _, rest = line.partition(" ")
    if '"' in name:  # msgid"text" without a space
        name, rest = name[: name.index('"')], line[name.index('"'):]
    base = name[:6] if name.startswith("msgstr[") else name
    if base not in _KEYWORDS and not (base == "msgstr" and name.endswith("]")):
        if line.startswith(("msgid", "msgstr", "msgctxt")):
            raise PoSyntaxError(number, "unterminated or malformed string", "po.unterminated")
        raise PoSyntaxError(number, "a line that is neither a keyword, a string nor a comment")
    value = _literal(rest, number)
    fields = builder.fields
    if name in ("msgctxt", "msgid") and "msgid" in fields:
        if "msgstr" in fields or any(k.startswith("msgstr[") for k in fields):
            entries.append(builder.build())
            builder = _Builder()
            fields = builder.fields
        else:
            raise PoSyntaxError(builder.line, "entry has no msgstr", "po.missing-msgstr")
    elif name == "msgctxt" and "msgctxt" in fields:
        raise PoSyntaxError(number, "duplicate 'msgctxt' in one entry")
    if name in fields:
        raise PoSyntaxError(number, f"duplicate '{name}' in one entry")
    if name == "msgid":
        builder.line = number
    builder.obsolete = obsolete
    builder.current = fields[name] = [value]
    return builder


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
    header = Entry(msgid="", msgstr="".join(f"{k}: {v}\n" for k, v in catalog.header),
                   translator_comments=catalog.header_comments, flags=catalog.header_flags)
    entries: Iterable[Entry] = (header, *catalog.entries) \
        if catalog.header or catalog.header_comments else catalog.entries
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
            lines.extend(format_string(name, value, width, previous))
    body: list[tuple[str, str | None]] = [("msgctxt", entry.msgctxt), ("msgid", entry.msgid)]
    if entry.msgid_plural is not None:
        body.append(("msgid_plural", entry.msgid_plural))
        body.extend((f"msgstr[{i}]", s) for i, s in enumerate(entry.msgstr_plural or ("", "")))
    else:
        body.append(("msgstr", entry.msgstr))
    for name, value in body:
        if value is not None:
            lines.extend(format_string(name, value, width, prefix))
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
