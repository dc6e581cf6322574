"""The general, line-by-line PO parser and the rules of a PO string literal.

:mod:`polyleaf.catalog.pofile` reads an entry in the canonical layout with one regex; anything
else (indented lines, comments in unusual places, plurals, obsolete and ``#|`` entries, and
every syntax error) comes here, which accepts every valid PO file and reports the line of any
error. String literals are read as GNU gettext reads them: each quoted line is unescaped alone,
an octal escape takes up to three digits and a hex escape every digit that follows.
"""

from __future__ import annotations

import re

from polyleaf.catalog.model import Entry, PoSyntaxError

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r", "a": "\a", "b": "\b",
            "f": "\f", "v": "\v"}
# as GNU reads them: up to three octal digits, every hex digit that follows (a byte: the last two)
_ESCAPE_RE = re.compile(r"\\([0-7]{1,3}|x[0-9A-Fa-f]+|.)")


# What a blank line may hold: ASCII whitespace only, as GNU gettext reads PO files and as the
# reader cuts a file into pieces at blank lines (``bytes.strip``). A line of U+00A0 or U+3000
# is not blank: it is a syntax error, never a separator that cuts comments from their entry.
BLANK = " \t\n\r\f\v"


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
    byte of the file's charset (half of a UTF-8 character, say): refused, never guessed. A NUL
    ends the string for GNU gettext (``msgfmt`` and ``msgcat`` drop the rest, silently), and
    written raw it makes the file binary: refused too."""
    if not value:
        raise PoSyntaxError(line, f"the escape '\\{written}' stands for a NUL character, where "
                            "GNU gettext ends the string and drops the rest", "po.bad-escape")
    if value < 0x80:
        return chr(value)
    raise PoSyntaxError(line, f"the escape '\\{written}' stands for a byte above 0x7F, which "
                        "GNU gettext reads as a raw byte of the file's charset",
                        "po.bad-escape")


class _Builder:
    """Accumulates the string pieces (each unescaped already) and comments of one entry."""

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
        plural_keys = [k for k in fields if k.startswith("msgstr[")]
        if [int(k[7:-1]) for k in plural_keys] != list(range(len(plural_keys))):
            # msgstr[0], msgstr[5]: read as two forms, [5] would become [1] (msgfmt: an error)
            raise PoSyntaxError(self.line, "plural form has wrong index (msgstr[0], "
                                "msgstr[1], ... in order, none left out)", "po.plural-index")
        if "msgid_plural" not in fields and "msgstr" not in fields:
            raise PoSyntaxError(self.line, "entry has no msgstr", "po.missing-msgstr")
        line = self.line
        flags = [f.strip() for raw in self.flags for f in raw.split(",") if f.strip()]
        previous = {k: "".join(v) for k, v in self.previous.items()}
        msgctxt = fields.get("msgctxt")
        msgid_plural = fields.get("msgid_plural")
        return Entry(
            msgid="".join(fields["msgid"]),
            msgstr="".join(fields.get("msgstr", ())),
            msgctxt=None if msgctxt is None else "".join(msgctxt),
            msgid_plural=None if msgid_plural is None else "".join(msgid_plural),
            msgstr_plural=tuple("".join(fields[k]) for k in plural_keys),
            flags=tuple(dict.fromkeys(flags)),
            locations=tuple(loc for raw in self.locations for loc in raw.split()),
            auto_comments=tuple(self.auto), translator_comments=tuple(self.translator),
            previous_msgctxt=previous.get("msgctxt"), previous_msgid=previous.get("msgid"),
            previous_msgid_plural=previous.get("msgid_plural"),
            obsolete=self.obsolete, line=line,
        )


_ESCAPED_PAIR_RE = re.compile(r"\\.")  # a backslash and what it escapes (linear, no look-behind)
_KEYWORDS = frozenset({"msgctxt", "msgid", "msgid_plural", "msgstr"})
_PLURAL_FORM_RE = re.compile(r"msgstr\[[0-9]+\]")  # as GNU gettext reads one (msgstr[01] too)


def literal(rest: str, number: int) -> str:
    """The value of a quoted PO string, unescaped alone as GNU gettext reads each quoted line
    ("\\1" "23" is U+0001 then "23"), checking that it is terminated and that its escapes are
    valid, so an error names the line it is on."""
    rest = rest.strip()
    if len(rest) < 2 or rest[0] != '"' or rest[-1] != '"' or _odd_backslashes(rest):
        raise PoSyntaxError(number, "unterminated or malformed string", "po.unterminated")
    inner = rest[1:-1]
    if '"' in inner and '"' in _ESCAPED_PAIR_RE.sub("", inner):
        raise PoSyntaxError(number, "unescaped '\"' inside a string", "po.syntax")
    return unescape(inner, number)


def _odd_backslashes(quoted: str) -> bool:
    """True when the final quote is escaped (an odd run of backslashes precedes it)."""
    if quoted[-2] != "\\" or len(quoted) == 2:
        return False
    run = len(quoted) - 1 - len(quoted[:-1].rstrip("\\"))
    return run % 2 == 1


def is_comment_line(line: str) -> bool:
    """A line that belongs to the entry after it: a comment, or an obsolete entry's ``#~|``
    previous msgid or ``#~ #`` comment (blank lines are not)."""
    line = line.strip(BLANK)
    if not line.startswith("#"):
        return False
    if not line.startswith("#~"):
        return True
    rest = line[2:].lstrip()
    return rest.startswith(("#", "|"))


def parse_lines(text: str, first_line: int = 1) -> list[Entry]:
    """The general line-by-line parser."""
    entries: list[Entry] = []
    builder = _Builder()
    for number, raw in enumerate(text.split("\n"), first_line):
        line = raw.strip(BLANK)
        if not line:  # a string after a blank line continues nothing (the comments before
            builder.current = None  # it still belong to the next entry)
            continue
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
            builder.current.append(literal(line, number))
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
            builder.previous[name] = [literal(rest, number)]
            builder.current = builder.previous[name]
        elif name.startswith('"') and builder.previous:
            builder.current = builder.current if builder.current is not None else []
            builder.current.append(literal(name + (" " + rest if rest else ""), number))
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
    if name not in _KEYWORDS and _PLURAL_FORM_RE.fullmatch(name) is None:
        if name.startswith("msgstr["):  # msgstr[x], msgstr[], msgstr[0 cut by another line
            raise PoSyntaxError(number, f"'{name}' is not a plural form (msgstr[0], "
                                "msgstr[1], ...: a decimal index in brackets)")
        if line.startswith(("msgid", "msgstr", "msgctxt")):
            raise PoSyntaxError(number, "unterminated or malformed string", "po.unterminated")
        raise PoSyntaxError(number, "a line that is neither a keyword, a string nor a comment")
    value = literal(rest, number)
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
