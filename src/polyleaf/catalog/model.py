"""The data model of a gettext catalog: frozen entries, the catalog that holds them, and the
error a PO file that cannot be parsed raises. :mod:`polyleaf.catalog.pofile` reads and writes
them (and re-exports them: most code imports them from there).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from polyleaf.plurals import InvalidPluralForms, PluralForms, parse_plural_forms


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
