"""XLIFF exports are valid XLIFF 2.0: judged by an XML Schema of the core (tests/data/xliff).

Every example locale is exported and validated; so is a catalog made hostile on purpose (control
characters, plurals, odd contexts, a domain name that is not an NMTOKEN). Negative controls show
that the schema does reject what the specification forbids, so a pass means something.
"""

from __future__ import annotations

import os
from pathlib import Path

import polib
import pytest
from lxml import etree

from polyleaf.config import Config
from polyleaf.paths import po_path
from polyleaf.tools.xliff import NS, export_xliff

DATA = Path(__file__).parent / "data" / "xliff"
X = f"{{{NS}}}"
LOCALES = ("es", "fr", "de", "ar", "zh_Hans")


def _schema(path: Path) -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.parse(str(path), parser))


SCHEMAS = [_schema(DATA / "xliff_core_2.0.xsd")]
if os.environ.get("POLYLEAF_XLIFF_XSD"):  # the official OASIS file, when a developer has one
    SCHEMAS.append(_schema(Path(os.environ["POLYLEAF_XLIFF_XSD"])))


def _errors(document: etree._Element) -> list[str]:
    found: list[str] = []
    for schema in SCHEMAS:
        if not schema.validate(document):
            found.extend(f"{e.line}: {e.message}" for e in schema.error_log)
    return found


def _export(config: Config, locale: str) -> etree._Element:
    data, problems = export_xliff(config, locale)
    assert problems == ()
    return etree.fromstring(data)


@pytest.mark.parametrize("locale", LOCALES)
def test_every_example_export_is_valid_xliff_2_0(example: Config, locale: str) -> None:
    document = _export(example, locale)
    assert _errors(document) == []
    assert len(document.findall(f".//{X}unit")) > 50


def test_a_hostile_catalog_still_exports_valid_xliff(example: Config) -> None:
    path = po_path(example, "fr", "back-pain-and-headaches")
    catalog = polib.pofile(str(path), wrapwidth=79)
    catalog.append(polib.POEntry(msgctxt="odd context <&> with spaces", msgid="Bell\x07 and tab\t",
                                 msgstr="Cloche\x07 et tab\t"))
    catalog.append(polib.POEntry(msgid="%(n)d tablet", msgid_plural="%(n)d tablets",
                                 msgstr_plural={0: "%(n)d comprimé", 1: "%(n)d comprimés"}))
    catalog.append(polib.POEntry(msgid="**Bold** [link](https://x.example/?a=1&b=2) `code`",
                                 msgstr="", flags=["fuzzy"], previous_msgid="**Old**"))
    catalog.save(str(path))
    odd = po_path(example, "fr", "back-pain-and-headaches").with_name("9 odd name!.po")
    odd.write_bytes(path.read_bytes())
    document = _export(example, "fr")
    assert _errors(document) == []
    assert document.find(f".//{X}cp[@hex='0007']") is not None
    assert document.find(f".//{X}file[@id='9_odd_name_']") is not None


def _broken(example: Config, damage: str) -> etree._Element:
    document = _export(example, "es")
    unit = document.find(f".//{X}unit")
    assert unit is not None
    segment = unit.find(f"{X}segment")
    assert segment is not None
    if damage == "state":
        segment.set("state", "approved")  # an XLIFF 1.2 value, not 2.0
    elif damage == "duplicate-unit":
        unit.getparent().append(etree.fromstring(etree.tostring(unit)))
    elif damage == "no-source":
        segment.remove(segment.find(f"{X}source"))
    elif damage == "dangling-dataRef":
        source = segment.find(f"{X}source")
        etree.SubElement(source, X + "ph", id="zz9", dataRef="nowhere")
    elif damage == "version":
        document.set("version", "1.2")
    elif damage == "priority":
        notes = document.find(f".//{X}note")
        assert notes is not None
        notes.set("priority", "11")
    return document


REASONS = {"state": "enumeration", "duplicate-unit": "groupOrUnitId", "no-source": "Expected is",
           "dangling-dataRef": "phDataRef", "version": "fixed value", "priority": "maxInclusive"}


@pytest.mark.parametrize("damage", sorted(REASONS))
def test_the_schema_rejects_what_xliff_2_0_forbids(example: Config, damage: str) -> None:
    errors = _errors(_broken(example, damage))
    assert errors and REASONS[damage] in errors[0]
