"""``polyleaf xliff export|import``: a locale's catalogs as one XLIFF 2.0 document for CAT tools.

One ``<file>`` per catalog (domain), one ``<unit>`` per live entry. A unit's id is a digest of
its msgctxt and msgid, so it is stable across exports; its ``name`` is the msgctxt. Notes carry
the context comments (``category="context"``, the CRITICAL mark as ``category="critical"`` at
priority 1), locations, translator comments and the previous source (``#|``). Markdown markup
and placeholders are ``<ph>`` codes backed by ``<originalData>``, so a CAT tool protects them.
States: no translation ``initial``; fuzzy ``initial`` with a target; translated ``translated``.
Plural entries are one segment per plural form (``f0``, ``f1``, ...).

Import merges targets back into the ``.po`` files. Each unit records, in polyleaf's namespace,
a digest of the translation it was exported with; when the catalog's translation has changed
since, and the unit brings another one, nothing is overwritten: the unit is reported as a
conflict (``xliff.conflict``). XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path

from lxml import etree

from polyleaf.catalog.files import WriteReport, rel
from polyleaf.catalog.pofile import Catalog, Entry, serialize
from polyleaf.catalog.reading import load_catalog
from polyleaf.catalog.terminology import MARK as TERMINOLOGY_MARK
from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError, error, os_error, warning
from polyleaf.fsutil import write_atomic
from polyleaf.i18n import locale_info
from polyleaf.linear import compile_linear
from polyleaf.paths import po_path
from polyleaf.qa.checks import CRITICAL_MARK
from polyleaf.tools.inline import split_codes

NS = "urn:oasis:names:tc:xliff:document:2.0"
PL = "urn:polyleaf:xliff:1"  # polyleaf's extension attributes (kept by conforming tools)
_X = f"{{{NS}}}"
_NSMAP = {None: NS, "pl": PL}
MAX_BYTES = 64 * 1024 * 1024


def unit_id(entry: Entry) -> str:
    """A stable XML id (NMTOKEN) for an entry: a digest of its msgctxt and msgid."""
    key = (entry.msgctxt or "") + "\x04" + entry.msgid
    return "u" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


def _digest(entry: Entry) -> str:
    """The translation an export started from: texts and fuzziness."""
    texts = entry.msgstr_plural if entry.msgid_plural is not None else (entry.msgstr,)
    raw = "\x00".join((*texts, "fuzzy" if entry.fuzzy else ""))
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()[:16]


# ------------------------------------------------------------------------------------ export

def domains(config: Config, locale: str) -> list[str]:
    """The catalogs of ``locale`` on disk, sorted."""
    folder = config.locales_dir / locale / "LC_MESSAGES"
    return sorted(p.stem for p in folder.glob("*.po")) if folder.is_dir() else []


def export_xliff(config: Config, locale: str) -> tuple[bytes, tuple[Diagnostic, ...]]:
    """The XLIFF 2.0 document of every catalog of ``locale``, and what could not be read."""
    root = etree.Element(_X + "xliff", nsmap=_NSMAP, version="2.0",
                         srcLang=locale_info(config.source_language).bcp47,
                         trgLang=locale_info(locale).bcp47)
    problems: list[Diagnostic] = []
    for domain in domains(config, locale):
        path = po_path(config, locale, domain)
        try:
            catalog, _ = load_catalog(path, rel(config, path), config.root)
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
            continue
        live = [e for e in catalog.entries if not e.obsolete]
        if live:
            root.append(_file(domain, rel(config, path), live))
    if not len(root):
        raise PolyleafError(*problems, error(rel(config, config.locales_dir / locale), 0,
                                             "xliff.empty", f"no catalog of {locale} to export",
                                             "run 'polyleaf update' first"))
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data, tuple(problems)


def _file(domain: str, original: str, entries: list[Entry]) -> etree._Element:
    node = etree.Element(_X + "file", id=_nmtoken(domain), original=original)
    node.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    seen: set[str] = set()
    for entry in entries:
        ident = unit_id(entry)
        if ident not in seen:
            seen.add(ident)
            node.append(_unit(entry, ident))
    return node


def _nmtoken(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-._" else "_" for c in text) or "_"


def _unit(entry: Entry, ident: str) -> etree._Element:
    unit = etree.Element(_X + "unit", id=ident)
    if entry.msgctxt is not None:
        unit.set("name", entry.msgctxt)
    unit.set(f"{{{PL}}}base", _digest(entry))
    notes = list(_notes(entry))
    if notes:
        holder = etree.SubElement(unit, _X + "notes")
        for category, text, priority in notes:
            note = etree.SubElement(holder, _X + "note", category=category)
            if priority != 1:
                note.set("priority", str(priority))
            note.text = text
    codes = _Codes(etree.SubElement(unit, _X + "originalData"))
    for number, (source, target) in enumerate(_pairs(entry)):
        segment = etree.SubElement(unit, _X + "segment", id=f"f{number}", state=_state(entry))
        codes.fill(etree.SubElement(segment, _X + "source"), source, "source")
        if target:
            codes.fill(etree.SubElement(segment, _X + "target"), target, "target")
    if not len(codes.holder):
        unit.remove(codes.holder)
    return unit


def _notes(entry: Entry) -> Iterator[tuple[str, str, int]]:
    for comment in entry.auto_comments:
        critical = comment.startswith(CRITICAL_MARK)
        kind = "terminology" if comment.startswith(TERMINOLOGY_MARK) else "context"
        yield ("critical" if critical else kind), comment, 1 if critical else 2
    if entry.locations:
        yield "location", " ".join(entry.locations), 5
    for comment in entry.translator_comments:
        yield "translator", comment, 3
    if entry.previous_msgctxt is not None:
        yield "previous-context", entry.previous_msgctxt, 4
    if entry.previous_msgid is not None:
        yield "previous-source", entry.previous_msgid, 4
    if entry.previous_msgid_plural is not None:
        yield "previous-source-plural", entry.previous_msgid_plural, 4


def _pairs(entry: Entry) -> list[tuple[str, str]]:
    if entry.msgid_plural is None:
        return [(entry.msgid, entry.msgstr)]
    forms = entry.msgstr_plural or ("", "")
    return [(entry.msgid if n == 0 else entry.msgid_plural, s) for n, s in enumerate(forms)]


def _state(entry: Entry) -> str:
    return "translated" if entry.translated and not entry.fuzzy else "initial"


class _Codes:
    """The ``<originalData>`` of one unit: one ``<data>`` per distinct code text."""

    def __init__(self, holder: etree._Element) -> None:
        self.holder = holder
        self.ids: dict[str, str] = {}
        self.source_ids: dict[str, list[str]] = {}
        self.count = 0  # inline codes numbered across the whole unit

    def fill(self, element: etree._Element, text: str, side: str) -> None:
        """Put ``text`` into ``element`` with its codes as ``<ph>``; target codes reuse the
        source's ids in order (the same code, the same id), as XLIFF requires."""
        used: dict[str, int] = {}
        last: etree._Element | None = None
        for is_code, piece in split_codes(text):
            if not is_code:
                last = _append_text(element, last, piece)
                continue
            data = self._data(piece)
            known = self.source_ids.get(piece, [])
            index = used.get(piece, 0)
            used[piece] = index + 1
            if side == "target" and index < len(known):
                ident = known[index]
            else:
                self.count += 1
                ident = f"c{self.count}"
                if side == "source":
                    self.source_ids.setdefault(piece, []).append(ident)
            last = etree.SubElement(element, _X + "ph", id=ident, dataRef=data, disp=piece)

    def _data(self, code: str) -> str:
        if code not in self.ids:
            self.ids[code] = f"d{len(self.ids) + 1}"
            node = etree.SubElement(self.holder, _X + "data", id=self.ids[code])
            node.text = code
        return self.ids[code]


_XML_CHAR = compile_linear(r"[^\x09\x0a\x0d\x20-\x{D7FF}\x{E000}-\x{FFFD}\x{10000}-\x{10FFFF}]")


def _append_text(element: etree._Element, last: etree._Element | None, text: str,
                 ) -> etree._Element | None:
    """Append text after ``last`` (or into ``element``); characters XML 1.0 cannot hold become
    ``<cp hex="..."/>``. Returns the new last child."""
    position = 0
    for match in [*_XML_CHAR.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        if last is None:
            element.text = (element.text or "") + chunk
        else:
            last.tail = (last.tail or "") + chunk
        if match is None:
            return last
        last = etree.SubElement(element, _X + "cp", hex=f"{ord(match.group(0)):04X}")
        position = match.end()
    return last


def write_export(config: Config, locale: str, output: Path) -> WriteReport:
    """Export ``locale`` to ``output`` (atomically, only when changed)."""
    data, problems = export_xliff(config, locale)
    name = rel(config, output)
    wrote = write_atomic(output, data, name)
    return WriteReport((name,) if wrote else (), () if wrote else (name,), problems)


# ------------------------------------------------------------------------------------ import

@dataclass(frozen=True, slots=True)
class _Offer:
    """What one unit of an imported document brings."""

    ident: str
    base: str | None
    targets: tuple[str | None, ...]
    state: str
    line: int


def read_xliff(data: bytes, name: str) -> tuple[str, dict[str, list[_Offer]]]:
    """(trgLang, offers by file id) of an XLIFF 2.0 document; raises on anything malformed."""
    if len(data) > MAX_BYTES:
        raise PolyleafError(error(name, 0, "xliff.syntax", "the file is larger than 64 MB",
                                  "split the export by locale"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             huge_tree=False, remove_comments=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PolyleafError(error(name, exc.lineno or 0, "xliff.syntax", str(exc.msg),
                                  "export again, or repair the file in your CAT tool")) from None
    if root.tag != _X + "xliff" or not root.get("version", "").startswith("2."):
        raise PolyleafError(error(name, root.sourceline or 1, "xliff.syntax",
                                  "not an XLIFF 2 document", "export XLIFF 2.0 from your tool"))
    offers: dict[str, list[_Offer]] = {}
    for file in root.iterfind(_X + "file"):
        offers.setdefault(file.get("id", ""), []).extend(_offers(file, name))
    return root.get("trgLang", ""), offers


def _offers(file: etree._Element, name: str) -> Iterator[_Offer]:
    for unit in file.iter(_X + "unit"):
        data = {d.get("id", ""): "".join(d.itertext()) for d in unit.iter(_X + "data")}
        targets: list[str | None] = []
        states = []
        for segment in unit.iterfind(_X + "segment"):
            target = segment.find(_X + "target")
            targets.append(None if target is None else _text(target, data, name))
            states.append(segment.get("state", "initial"))
        state = "initial" if "initial" in states or not states else "translated"
        yield _Offer(unit.get("id", ""), unit.get(f"{{{PL}}}base"), tuple(targets), state,
                     unit.sourceline or 0)


def _text(element: etree._Element, data: dict[str, str], name: str) -> str:
    """The plain text of a source or target: codes replaced by their original data."""
    parts = [element.text or ""]
    for child in element:
        if not isinstance(child.tag, str):  # an entity reference, never resolved
            raise PolyleafError(error(name, child.sourceline or 0, "xliff.syntax",
                                      "entity references are not allowed in a translation",
                                      "write the character itself"))
        tag = etree.QName(child).localname
        if tag == "ph":
            parts.append(_code(child, data, child.get("dataRef"), name))
        elif tag == "cp":
            parts.append(chr(int(child.get("hex", "0"), 16)))
        elif tag == "pc":
            parts.append(_code(child, data, child.get("dataRefStart"), name))
            parts.append(_text(child, data, name))
            parts.append(_code(child, data, child.get("dataRefEnd"), name))
        else:  # mrk and other annotations: their content
            parts.append(_text(child, data, name))
        parts.append(child.tail or "")
    return "".join(parts)


def _code(child: etree._Element, data: dict[str, str], ref: str | None, name: str) -> str:
    if ref is None:
        return str(child.get("equiv", ""))
    if ref not in data:
        raise PolyleafError(error(name, child.sourceline or 0, "xliff.bad-code",
                                  f"inline code refers to missing data '{ref}'",
                                  "restore the tag from the source in your CAT tool"))
    return data[ref]


def import_xliff(config: Config, path: Path) -> WriteReport:
    """Merge the targets of the XLIFF document at ``path`` into the catalogs of its locale."""
    name = rel(config, path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    language, offers = read_xliff(data, name)
    locale = next((lo for lo in config.locales if locale_info(lo).bcp47 == language), None)
    if locale is None:
        raise PolyleafError(error(name, 1, "xliff.language",
                                  f"trgLang '{language}' is not a configured locale",
                                  f"configured locales: {', '.join(config.locales)}"))
    written: list[str] = []
    unchanged: list[str] = []
    problems: list[Diagnostic] = []
    known = {_nmtoken(d): d for d in domains(config, locale)}
    for file_id, units in sorted(offers.items()):
        if file_id not in known:
            problems.append(error(name, units[0].line if units else 0, "xliff.unknown-file",
                                  f"no catalog '{file_id}' in {locale}",
                                  "export again from the current project"))
            continue
        _import_domain(config, locale, known[file_id], units, name,
                       (written, unchanged, problems))
    return WriteReport(tuple(written), tuple(unchanged), tuple(problems))


def _import_domain(config: Config, locale: str, domain: str, units: list[_Offer], name: str,
                   report: tuple[list[str], list[str], list[Diagnostic]]) -> None:
    written, unchanged, problems = report
    path = po_path(config, locale, domain)
    po_name = rel(config, path)
    try:
        catalog, _ = load_catalog(path, po_name, config.root)
    except PolyleafError as exc:
        problems.extend(exc.diagnostics)
        return
    merged, found = apply_offers(catalog, units, name)
    problems.extend(found)
    if merged == catalog:
        unchanged.append(po_name)
        return
    try:
        wrote = write_atomic(path, serialize(merged).encode("utf-8"), po_name)
    except PolyleafError as exc:
        problems.extend(exc.diagnostics)
        return
    (written if wrote else unchanged).append(po_name)


def apply_offers(catalog: Catalog, units: list[_Offer], name: str,
                 ) -> tuple[Catalog, list[Diagnostic]]:
    """``catalog`` with the units' targets merged in, and the units that could not be."""
    index = {unit_id(e): n for n, e in enumerate(catalog.entries) if not e.obsolete}
    entries = list(catalog.entries)
    problems: list[Diagnostic] = []
    for unit in units:
        number = index.get(unit.ident)
        if number is None:
            problems.append(warning(name, unit.line, "xliff.unknown-unit",
                                    f"unit {unit.ident} matches no entry (its source changed "
                                    "or was removed since the export)",
                                    "export again and re-apply this translation"))
            continue
        entry, problem = _apply(entries[number], unit, name)
        entries[number] = entry
        if problem is not None:
            problems.append(problem)
    return replace(catalog, entries=tuple(entries)), problems


def _apply(entry: Entry, unit: _Offer, name: str) -> tuple[Entry, Diagnostic | None]:
    if all(t is None for t in unit.targets):
        return entry, None
    texts = tuple(t or "" for t in unit.targets)
    fuzzy = unit.state == "initial"
    if entry.msgid_plural is None:
        new = replace(entry, msgstr=texts[0])
    else:
        new = replace(entry, msgstr_plural=texts)
    new = new.with_flag("fuzzy", fuzzy)
    if not fuzzy:
        new = replace(new, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)
    if _digest(new) == _digest(entry):
        return entry, None
    if unit.base is not None and unit.base != _digest(entry):
        return entry, warning(name, unit.line, "xliff.conflict",
                              f"unit {unit.ident}: the catalog's translation changed after the "
                              "export; the imported one was not applied",
                              "compare both versions, then fix the .po or export again")
    return new, None
