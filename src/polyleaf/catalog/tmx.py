"""TMX 1.4b: the translation memory exchanged with agencies and CAT tools.

``polyleaf tm export`` writes one multilingual TMX of every finished translation (one ``<tu>``
per English text, one ``<tuv>`` per locale). ``polyleaf tm import`` keeps an agency's memory
as ``locales/<lang>/memory.tmx`` (one per locale, merged with what was imported before), which
``update`` uses beside the catalogs. XML is parsed without entities, DTDs or network access.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from contextlib import suppress
from pathlib import Path

from lxml import etree

from polyleaf.catalog.memory import Unit
from polyleaf.catalog.tmindex import prune
from polyleaf.config import Config
from polyleaf.errors import PolyleafError, error, os_error
from polyleaf.fsutil import pack, unpack, write_atomic
from polyleaf.i18n import locale_info

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
MAX_BYTES = 256 * 1024 * 1024


def memory_path(config: Config, locale: str) -> Path:
    """``locales/<lang>/memory.tmx``: the imported memory of one locale."""
    return config.locales_dir / locale / "memory.tmx"


def _same_language(tag: str, locale: str) -> bool:
    wanted = locale_info(locale).bcp47.lower()
    return tag.replace("_", "-").lower() == wanted


def parse_tmx(data: bytes, name: str) -> list[dict[str, tuple[str, str]]]:
    """Each ``<tu>`` as {language tag lowercased: (tag, text)}; raises ``tm.syntax``."""
    if len(data) > MAX_BYTES:
        raise PolyleafError(error(name, 0, "tm.syntax", "the file is larger than 256 MB",
                                  "split the memory by language"))
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                             remove_comments=True, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise PolyleafError(error(name, exc.lineno or 0, "tm.syntax", str(exc.msg),
                                  "export the memory again from your tool")) from None
    if root.tag != "tmx":
        raise PolyleafError(error(name, root.sourceline or 1, "tm.syntax", "not a TMX document",
                                  "export TMX 1.4 from your tool"))
    units = []
    for tu in root.iter("tu"):
        variants: dict[str, tuple[str, str]] = {}
        for tuv in tu.iterfind("tuv"):
            tag = tuv.get(XML_LANG) or tuv.get("lang") or ""
            seg = tuv.find("seg")
            if seg is not None and tag:
                variants[tag.replace("_", "-").lower()] = (tag, "".join(seg.itertext()))
        units.append(variants)
    return units


def read_memory(path: Path, name: str, locale: str, source: str = "en") -> list[Unit]:
    """The (source, ``locale``) units of a TMX file."""
    return [Unit(src, trg, path.name) for src, trg in read_pairs(path, name, locale, source)]


def read_pairs(path: Path, name: str, locale: str, source: str = "en",
               cache: Path | None = None) -> list[tuple[str, str]]:
    """The (source text, ``locale`` text) pairs of a TMX file.

    With ``cache`` (a directory), the pairs read are kept there under the sha256 of the file's
    bytes and the two languages, and read back while the file is unchanged (parsing a
    50,000-unit TMX costs more than looking all its units up)."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise PolyleafError(os_error(name, exc)) from None
    if cache is None:
        return _pairs(data, name, locale, source)
    key = hashlib.sha256(f"{_UNITS_MAGIC!r} {locale} {source}\n".encode() + data).hexdigest()
    stored = cache / f"tmx-{key}.units"
    pairs = _load_pairs(stored)
    if pairs is None:
        pairs = _pairs(data, name, locale, source)
        with suppress(PolyleafError):  # a cache only ever saves time
            write_atomic(stored, pack(pairs, _UNITS_MAGIC), durable=False)
    prune(cache, {stored.name}, "tmx-*.units")
    return pairs


_UNITS_MAGIC = b"polyleaf-tmx-units-2\n"


def _load_pairs(path: Path) -> list[tuple[str, str]] | None:
    """The pairs kept at ``path``; None when missing or not exactly what was written."""
    try:
        pairs = unpack(path.read_bytes(), _UNITS_MAGIC)
    except OSError:
        return None
    return pairs if isinstance(pairs, list) else None  # the sha256 vouches: polyleaf wrote it


def _pairs(data: bytes, name: str, locale: str, source: str) -> list[tuple[str, str]]:
    wanted = locale_info(locale).bcp47.lower()
    source_tag = locale_info(source).bcp47.lower()
    found = []
    for variants in parse_tmx(data, name):
        src = source_text(variants, source_tag)
        trg = variants.get(wanted)
        if src and trg and src[1] and trg[1]:
            found.append((src[1], trg[1]))
    return found


def _prefixed(variants: dict[str, tuple[str, str]], tag: str) -> tuple[str, str] | None:
    """Another variant of the source language: ``en``, ``en-US`` or ``en-GB`` for a source
    language ``en`` or ``en-GB`` (the bare language first, then by tag)."""
    language = tag.split("-")[0]
    found = sorted((k != language, k) for k in variants if k.split("-")[0] == language)
    return variants[found[0][1]] if found else None


def source_text(variants: dict[str, tuple[str, str]], tag: str) -> tuple[str, str] | None:
    """The source-language ``<tuv>`` of a unit: ``tag`` itself, else another variant of it."""
    return variants.get(tag) or _prefixed(variants, tag)


def write_tmx(source: str, by_source: dict[str, dict[str, str]], tool_version: str) -> bytes:
    """A TMX 1.4b document: one ``<tu>`` per source text, one ``<tuv>`` per language."""
    root = etree.Element("tmx", version="1.4")
    etree.SubElement(root, "header", creationtool="polyleaf", creationtoolversion=tool_version,
                     srclang=locale_info(source).bcp47, adminlang="en", datatype="plaintext",
                     segtype="paragraph", **{"o-tmf": "PO"})
    body = etree.SubElement(root, "body")
    for text in sorted(by_source):
        tu = etree.SubElement(body, "tu")
        for tag, value in [(locale_info(source).bcp47, text), *sorted(by_source[text].items())]:
            tuv = etree.SubElement(tu, "tuv", {XML_LANG: tag})
            etree.SubElement(tuv, "seg").text = value
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True))


def collect(units: Iterable[tuple[str, Unit]]) -> dict[str, dict[str, str]]:
    """(BCP 47 tag, unit) pairs grouped by source text; the first target per language wins."""
    grouped: dict[str, dict[str, str]] = {}
    for tag, unit in units:
        grouped.setdefault(unit.source, {}).setdefault(tag, unit.target)
    return grouped
