"""Translation memory: update pre-fills new articles from the locale's translations; TMX 1.4b.

translate-toolkit's TMX reader is the external judge of the exported memory.
"""

from __future__ import annotations

from pathlib import Path

from lxml import etree
from translate.storage import tmx as tt_tmx

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.catalog.memory import TM_MARK, Memory, Unit, prefill
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.config import Config
from polyleaf.paths import po_path
from polyleaf.tools.memory import export_tmx, import_tmx

INTRO = ("Your head is heavy. Your neck and upper back muscles hold it up all day. When you keep "
         "your head in an awkward position for a long time, these muscles get tired and sore. The "
         "good news is that small changes to your daily habits can often ease the strain. Most "
         "neck pain gets better on its own within a few weeks.")
EDITED = INTRO.replace("within a few weeks", "within a couple of weeks")
NEW = "A sentence nobody has translated before, about kettles and umbrellas."


def _article(config: Config) -> None:
    (config.source_dir / "neck-care.md").write_text(
        "---\nid: neck-care\ntitle: \"Neck care\"\nsummary: \"Short advice.\"\nversion: \"1.0\"\n"
        "reviewed: 2026-11-01\nreview_due: 2027-11-01\naudience: \"Adults\"\nsources: []\n---\n\n"
        f"{INTRO}\n\n{EDITED}\n\n{NEW}\n", "utf-8")


def _entries(config: Config, locale: str) -> dict[str, Entry]:
    po = po_path(config, locale, "neck-care")
    return {e.msgid: e for e in pofile.parse(po.read_text(encoding="utf-8")).entries}


def test_update_prefills_a_new_article_from_the_locale_fuzzy_with_its_origin(
        example: Config) -> None:
    _article(example)
    update(example, ("fr",))
    entries = _entries(example, "fr")
    source = {e.msgid: e for e in pofile.parse(po_path(
        example, "fr", "posture-and-neck-strain").read_text(encoding="utf-8")).entries}
    exact, fuzzy, fresh = entries[INTRO], entries[EDITED], entries[NEW]
    assert exact.msgstr == source[INTRO].msgstr and exact.fuzzy
    assert any(c.startswith(TM_MARK) and "exact match from posture-and-neck-strain.po" in c
               for c in exact.translator_comments)
    assert fuzzy.fuzzy and fuzzy.msgstr == source[INTRO].msgstr and fuzzy.previous_msgid == INTRO
    assert any("fuzzy match, score 9" in c for c in fuzzy.translator_comments)
    assert fresh.msgstr == "" and not fresh.fuzzy
    assert update(example, ("fr",)).written == ()  # nothing more to do the second time


def test_no_tm_leaves_new_entries_empty(example: Config) -> None:
    _article(example)
    update(example, ("fr",), tm=False)
    assert all(not e.has_translation for e in _entries(example, "fr").values() if e.msgid)


def test_fuzzy_translations_are_not_remembered() -> None:
    memory = Memory([Unit("a b c d e", "A B C D E", "x.po")])
    catalog = Catalog(entries=(Entry(msgid="a b c d e"), Entry(msgid="zzz qqq"),
                               Entry(msgid="n", msgid_plural="ns")))
    filled, count = prefill(catalog, memory)
    assert count == 1 and filled.entries[0].fuzzy and not filled.entries[1].has_translation
    assert not filled.entries[2].has_translation  # plural entries are left to the translator


def test_tmx_export_is_read_by_translate_toolkit(example: Config, tmp_path: Path) -> None:
    out = tmp_path / "memory.tmx"
    report = export_tmx(example, out)
    assert report.diagnostics == ()
    store = tt_tmx.tmxfile.parsefile(str(out))
    sources = {u.source for u in store.units}
    assert INTRO in sources
    fr = pofile.parse(po_path(example, "fr", "posture-and-neck-strain").read_text(
        encoding="utf-8"))
    wanted = next(e.msgstr for e in fr.entries if e.msgid == INTRO)
    tree = etree.parse(str(out))
    (tu,) = [t for t in tree.iter("tu") if t.findtext("tuv/seg") == INTRO]
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert {v.get(lang): v.findtext("seg") for v in tu.iter("tuv")}["fr"] == wanted


def test_an_imported_tmx_prefills_update(example: Config, tmp_path: Path) -> None:
    agency = tmp_path / "agency.tmx"
    agency.write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header creationtool="x" '
        'creationtoolversion="1" srclang="en-US" adminlang="en" datatype="plaintext" '
        'segtype="sentence" o-tmf="x"/><body>'
        f'<tu><tuv xml:lang="en"><seg>{NEW}</seg></tuv>'
        '<tuv xml:lang="de"><seg>Ein Satz über Wasserkocher und Regenschirme.</seg></tuv></tu>'
        '</body></tmx>', "utf-8")
    report = import_tmx(example, agency)
    assert report.written == ("locales/de/memory.tmx",)
    assert import_tmx(example, agency).written == ()  # merged, so importing again is a no-op
    _article(example)
    update(example, ("de",))
    entry = _entries(example, "de")[NEW]
    assert entry.msgstr == "Ein Satz über Wasserkocher und Regenschirme." and entry.fuzzy
    assert any("from agency.tmx" in c or "from memory.tmx" in c for c in entry.translator_comments)
