"""Glossary files: Weblate's CSV and TBX (TBX-Basic 2008, TBX v3), and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyleaf.catalog import glossary as glossary_module
from polyleaf.catalog.glossary import Term, load_glossary, parse_csv
from polyleaf.catalog.tbx import parse_tbx
from polyleaf.config import Config
from polyleaf.errors import Level, PolyleafError


def _csv(text: str) -> tuple[list[Term], list[str]]:
    terms, found = parse_csv(text.encode("utf-8"), "g.csv")
    return terms, [f"{d.line}:{d.code}" for d in found]


def test_weblate_csv_rows_give_alternatives_forbidden_and_read_only_terms(example: Config) -> None:
    path = example.locales_dir / "es" / "glossary.csv"
    path.write_text("\ufeffsource,target,context,developer_comments,flags\n"
                    "paracetamol,paracetamol,,Spain's name,\n"
                    "paracetamol,acetaminofén,,,forbidden\n"
                    "tension headache,dolor de cabeza tensional,,,\n"
                    "Tension headache,cefalea tensional,,,\n"
                    "Riverside,,,,read-only\n"
                    "untranslated term,,,,\n", encoding="utf-8")
    loaded = load_glossary(example, "es")
    assert loaded.diagnostics == ()
    terms = {t.source: t for t in loaded.glossary.terms}
    assert terms["paracetamol"].approved == ("paracetamol",)
    assert terms["paracetamol"].forbidden == ("acetaminofén",)
    assert terms["paracetamol"].note == "Spain's name"
    assert terms["tension headache"].approved == ("dolor de cabeza tensional", "cefalea tensional")
    assert terms["Riverside"].approved == ("Riverside",)
    assert "untranslated term" not in terms  # Weblate exports terms not translated yet
    assert terms["paracetamol"].line == 2


def test_csv_problems_are_diagnostics_at_their_line() -> None:
    with pytest.raises(PolyleafError) as exc:
        _csv("migraine,migraña\n")
    assert exc.value.diagnostics[0].code == "glossary.syntax"
    with pytest.raises(PolyleafError) as exc:
        parse_csv("source,target\nmigraine,migra\xf1a\n".encode("latin-1"), "g.csv")
    assert (exc.value.diagnostics[0].code, exc.value.diagnostics[0].line) == ("glossary.encoding", 2)
    terms, found = _csv('source,target,colour\n'
                        'a;b,x\n'
                        '---,y\n'
                        'migraine,migraña\n'
                        '"multi\nline",z\n'
                        'ok,"unclosed\n')
    assert [t.source for t in terms] == ["migraine"]
    assert found[0] == "1:glossary.unknown-column"
    assert "2:glossary.bad-term" in found and "3:glossary.bad-term" in found
    assert "5:glossary.bad-term" in found  # a line break inside a term
    assert found[-1].endswith("glossary.syntax")


def test_a_target_both_approved_and_forbidden_is_a_conflict(example: Config) -> None:
    (example.locales_dir / "es" / "glossary.csv").write_text(
        "source,target,flags\nmigraine,migraña,\nmigraine,Migraña,forbidden\n", encoding="utf-8")
    loaded = load_glossary(example, "es")
    assert [(d.code, d.path, d.line) for d in loaded.diagnostics] == \
        [("glossary.conflict", "locales/es/glossary.csv", 2)]
    term = next(t for t in loaded.glossary.terms if t.source == "migraine")
    assert term.approved == () and term.forbidden == ("Migraña",)


TBX2 = """<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE martif SYSTEM "TBXBasiccoreStructV02.dtd">
<martif type="TBX-Basic" xml:lang="en">
  <text><body>
    <termEntry id="c1">
      <descrip type="definition">Pain and fever medicine.</descrip>
      <langSet xml:lang="en-GB">
        <tig><term>paracetamol</term></tig>
        <tig><term>acetaminophen</term><SN>deprecatedTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="fr-FR">
        <ntig><termGrp><term>acétaminophène</term><SN>supersededTerm-admn-sts</termNote></termGrp></ntig>
        <tig><term>doliprane</term><SN>admittedTerm-admn-sts</termNote></tig>
        <tig><term>para<hi>cétamol</hi></term><SN>preferredTerm-admn-sts</termNote></tig>
      </langSet>
      <langSet xml:lang="de"><tig><term>Paracetamol</term></tig></langSet>
    </termEntry>
    <termEntry id="c2">
      <langSet xml:lang="en"><tig><term>stroke</term></tig></langSet>
      <langSet xml:lang="fr"><tig><term>AVC</term><SN>forbidden</termNote></tig>
        <tig><term>attaque</term><SN>mystery</termNote></tig></langSet>
    </termEntry>
  </body></text>
</martif>
""".replace("<SN>", '<termNote type="administrativeStatus">')

TBX3 = """<?xml version="1.0"?>
<tbx type="TBX-Basic" style="dca" xml:lang="en" xmlns="urn:iso:std:iso:30042:ed-2">
  <text><body>
    <conceptEntry id="m">
      <langSec xml:lang="en"><termSec><term>migraine</term></termSec></langSec>
      <langSec xml:lang="zh-Hans"><termSec><term>偏头痛</term>
        <termNote type="administrativeStatus">preferredTerm-admn-sts</termNote></termSec></langSec>
    </conceptEntry>
  </body></text>
</tbx>
"""


def test_tbx_basic_statuses_order_and_languages() -> None:
    terms, found = parse_tbx(TBX2.encode(), "g.tbx", "en_GB", "fr")
    by = {t.source: t for t in terms}
    assert set(by) == {"paracetamol", "stroke"}  # the deprecated English term is not looked for
    assert by["paracetamol"].approved == ("paracétamol", "doliprane")  # preferred first
    assert by["paracetamol"].forbidden == ("acétaminophène",)
    assert by["paracetamol"].note == "Pain and fever medicine."
    assert by["stroke"].forbidden == ("AVC",)  # Weblate's own status value
    assert by["stroke"].approved == ("attaque",)
    assert [(d.code, d.level) for d in found] == [("glossary.status", Level.WARNING)]
    assert found[0].line == 21


def test_tbx_v3_with_its_namespace() -> None:
    terms, found = parse_tbx(TBX3.encode(), "g.tbx", "en", "zh_Hans")
    assert found == [] and [(t.source, t.approved) for t in terms] == [("migraine", ("偏头痛",))]


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    b'<martif><text><body><termEntry><langSet xml:lang="en"><tig><term>&b;</term></tig>'
    b'</langSet></termEntry></body></text></martif>',
    b'<?xml version="1.0"?><!DOCTYPE martif [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
    b'<martif><text><body>&x;</body></text></martif>',
    b'<martif><text><body>&undefined;</body></text></martif>',
    b'<html><body/></html>',
    b'<martif><text><body><termEntry>',
    b'\x00\xff binary',
])
def test_hostile_tbx_is_refused_with_a_diagnostic(data: bytes) -> None:
    with pytest.raises(PolyleafError) as exc:
        parse_tbx(data, "g.tbx", "en", "fr")
    assert exc.value.diagnostics[0].code == "glossary.syntax"
    assert "passwd" not in exc.value.diagnostics[0].message


def test_oversized_and_linked_out_glossaries_are_not_read(example: Config, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(glossary_module, "MAX_BYTES", 100)
    (example.locales_dir / "es" / "glossary.csv").write_text("source,target\n" + "a,b\n" * 50,
                                                              encoding="utf-8")
    loaded = load_glossary(example, "es")
    assert [d.code for d in loaded.diagnostics] == ["glossary.too-large"]
    assert loaded.glossary.terms == ()
    outside = tmp_path / "elsewhere.tbx"
    outside.write_bytes(TBX2.encode())
    (example.locales_dir / "fr" / "glossary.tbx").unlink()
    (example.locales_dir / "fr" / "glossary.tbx").symlink_to(outside)
    assert [d.code for d in load_glossary(example, "fr").diagnostics] == ["fs.outside-project"]


def test_tbx_and_csv_of_one_locale_are_merged(example: Config) -> None:
    (example.locales_dir / "fr" / "glossary.csv").write_text(
        "source,target\nmigraine,crise migraineuse\nheadache diary,agenda des maux de tête\n",
        encoding="utf-8")
    loaded = load_glossary(example, "fr")
    terms = {t.source: t for t in loaded.glossary.terms}
    assert terms["migraine"].approved == ("migraine", "crise migraineuse")  # TBX first
    assert "headache diary" in terms
    assert loaded.glossary.paths == ("locales/fr/glossary.tbx", "locales/fr/glossary.csv")


def test_a_regional_locale_takes_its_own_sections_when_the_file_has_them() -> None:
    concept = ('<termEntry><langSet xml:lang="en"><tig><term>paracetamol</term></tig></langSet>'
               '<langSet xml:lang="pt-PT"><tig><term>paracetamol</term></tig></langSet>'
               '<langSet xml:lang="pt-BR"><tig><term>acetaminofeno</term></tig></langSet>'
               '</termEntry>')
    data = f"<martif><text><body>{concept}</body></text></martif>".encode()
    brazil, _ = parse_tbx(data, "g.tbx", "en", "pt_BR")
    assert [t.approved for t in brazil] == [("acetaminofeno",)]
    portugal, _ = parse_tbx(data, "g.tbx", "en", "pt_PT")
    assert [t.approved for t in portugal] == [("paracetamol",)]
    plain, _ = parse_tbx(data, "g.tbx", "en", "pt")  # no "pt" section: the language's
    assert [t.approved for t in plain] == [("paracetamol", "acetaminofeno")]


def load_glossary_file(repo: Path, locale: str) -> list[Term]:
    return parse_csv((repo / f"locales/{locale}/glossary.csv").read_bytes(), "g.csv")[0]



def test_translate_toolkit_reads_the_example_glossaries_as_weblate_would() -> None:
    """Weblate reads glossaries through translate-toolkit: the example's files pass it."""
    from translate.storage import csvl10n, tbx

    repo = Path(__file__).resolve().parents[1]
    for locale, pair in (("es", ("paracetamol", "acetaminofén")), ("zh_Hans", ("migraine", "偏头痛"))):
        with (repo / f"locales/{locale}/glossary.csv").open("rb") as handle:
            units = [u for u in csvl10n.csvfile(handle).units if u.source]
        assert pair in {(u.source, u.target) for u in units}
        assert len({(u.source, u.getcontext()) for u in units}) == len(units)  # no duplicates
        ours = load_glossary_file(repo, locale)
        assert {t.source for t in ours} == {u.source for u in units}
    store = tbx.tbxfile.parsefile(str(repo / "locales/fr/glossary.tbx"))
    assert {u.source for u in store.units} >= {"migraine", "cervicogenic headache", "paracetamol"}
