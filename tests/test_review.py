"""Clinical review: approvals bound to the exact text, the leaflet gate, packets,
back-translations and imports from Weblate / XLIFF."""

from __future__ import annotations

import json
import re
import shutil
import tomllib
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from babel.dates import format_date
from click.testing import CliRunner
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.catalog.project import load_project
from polyleaf.cli import main
from polyleaf.config import Config, load_config
from polyleaf.engine.build import BuildReport, build
from polyleaf.errors import ConfigError
from polyleaf.paths import back_translation_path, po_path, review_path
from polyleaf.render.packet import packet_context, write_packets
from polyleaf.review.approve import Signoff, record_approvals
from polyleaf.review.backtranslation import export_back_translations, import_back_translations
from polyleaf.review.interop import import_approvals
from polyleaf.review.records import parse_record
from polyleaf.review.state import Status, load_reviews
from polyleaf.review.worddiff import word_diff

from .conftest import REPO

ARTICLE = """---
id: rest
title: "Rest and recovery"
summary: "How to rest."
version: "3.2"
reviewed: 2026-03-01
review_due: 2099-01-01
---

Rest for 2 days and drink 8 glasses of water.

- Sleep well.
- Eat well.

> [!WARNING]
> Call 999 if you faint.
"""

TEXT = {
    "de": {"Rest and recovery": "Ruhe und Erholung", "How to rest.": "Wie man sich ausruht.",
           "Rest for 2 days and drink 8 glasses of water.":
               "Ruhen Sie 2 Tage und trinken Sie 8 Gläser Wasser.",
           "Sleep well.": "Schlafen Sie gut.", "Eat well.": "Essen Sie gut.",
           "Call 999 if you faint.": "Rufen Sie 999, wenn Sie ohnmächtig werden."},
    "es": {"Rest and recovery": "Descanso y recuperación", "How to rest.": "Cómo descansar.",
           "Rest for 2 days and drink 8 glasses of water.":
               "Descanse 2 días y beba 8 vasos de agua.",
           "Sleep well.": "Duerma bien.", "Eat well.": "Coma bien.",
           "Call 999 if you faint.": "Llame al 999 si se desmaya."},
}
CLINICIAN = Signoff("Dr. Test Reviewer", "clinician")


def make_project(root: Path, require: str = '["leaflets"]') -> Config:
    (root / "source").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "source" / "rest.md").write_text(ARTICLE, encoding="utf-8")
    (root / "polyleaf.toml").write_text(
        '[project]\nname = "T"\nsource_language = "en"\nlocales = ["de", "es"]\n'
        'base_url = "https://example.org/"\n[organisation]\nname = "Clinic"\ncontact = "1"\n'
        f'[publish]\nrequire_review = {require}\n', encoding="utf-8")
    config = load_config(root)
    update(config)
    for locale in TEXT:
        translate(config, locale)
    return config


def translate(config: Config, locale: str, changes: dict[str, str] | None = None) -> None:
    path = po_path(config, locale, "rest")
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    table = {**TEXT[locale], **(changes or {})}
    entries = tuple(replace(e, msgstr=table.get(e.msgid, e.msgstr), flags=()) if e.msgid else e
                    for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


def approve(config: Config, locales: tuple[str, ...] = ("de", "es"), selection: str = "all",
            signoff: Signoff = CLINICIAN) -> None:
    report = record_approvals(load_project(config), ["rest"], locales, signoff, selection)
    assert not report.diagnostics, report.diagnostics


def leaflet(config: Config, locale: str) -> Path:
    return config.build_dir / "leaflets" / locale / "rest-a4.pdf"


def reason(report: object, locale: str) -> str:
    outcomes = report.outcomes
    return next(o.reason for o in outcomes if o.locale == locale and o.output == "a4")


def states(config: Config, locale: str) -> dict[str, Status]:
    project = load_project(config)
    review = load_reviews(project).article_review(project, project.sources.articles[0], locale)
    return {s.segment.msgid: s.status for s in review.segments}


# --- the gate --------------------------------------------------------------------------------

def test_unreviewed_translation_is_not_printed_but_its_page_is_published(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    report = build(config)
    assert not leaflet(config, "de").exists()
    assert "prints only reviewed text" in reason(report, "de")
    assert "not reviewed yet (6 segments)" in reason(report, "de")
    page = (config.build_dir / "site" / "de" / "rest" / "index.html").read_text(encoding="utf-8")
    assert "notice-unreviewed" in page and "pl-fallback" not in page
    assert leaflet(config, "en").exists(), "the source language needs no review"


def test_approval_is_recorded_and_honoured_with_provenance(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config, ("de",), signoff=Signoff("Dr. Test Reviewer", "clinician", date(2026, 4, 2)))
    record = review_path(config, "de", "rest")
    assert record.is_file() and "Dr. Test Reviewer" in record.read_text(encoding="utf-8")
    assert set(states(config, "de").values()) == {Status.APPROVED}
    build(config)
    text = " ".join(p.extract_text() for p in PdfReader(leaflet(config, "de")).pages)
    # the project's de/site.po is untranslated: the UI strings show in English
    assert "Translation reviewed" in text and "2. April 2026" in text and "clinician" in text
    page = (config.build_dir / "site" / "de" / "rest" / "index.html").read_text(encoding="utf-8")
    assert "notice-unreviewed" not in page and "Translation reviewed" in page
    assert not leaflet(config, "es").exists(), "only de was approved"


def test_an_edit_after_approval_blocks_exactly_that_leaflet_and_names_the_segment(
        tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config)
    build(config)
    assert leaflet(config, "de").exists() and leaflet(config, "es").exists()
    translate(config, "es", {"Eat well.": "Coma sano."})
    report = build(config)
    assert leaflet(config, "de").exists(), "the German leaflet is untouched"
    assert not leaflet(config, "es").exists(), "the stale Spanish leaflet is removed"
    why = reason(report, "es")
    assert "1 segment(s) changed since approval" in why and "#5 “Eat well.”" in why
    german = next(o for o in report.outcomes if o.locale == "de" and o.output == "a4")
    assert german.status == "unchanged", "the German leaflet's bytes did not change"
    strict = CliRunner().invoke(main, ["-C", str(config.root), "build", "--strict", "-q"])
    assert strict.exit_code == 1, "--strict fails on a review gap"


def test_a_source_edit_invalidates_the_segment_in_every_locale(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config)
    source = config.source_dir / "rest.md"
    source.write_text(source.read_text(encoding="utf-8").replace("Sleep well.", "Sleep well at night."),
                      encoding="utf-8")
    update(config)
    for locale in TEXT:  # the translators confirm their old text: only review can catch it
        translate(config, locale, {"Sleep well at night.": TEXT[locale]["Sleep well."]})
        assert states(config, locale)["Sleep well at night."] is Status.CHANGED
        assert list(states(config, locale).values()).count(Status.APPROVED) == 5
    report = build(config)
    for locale in TEXT:
        assert not leaflet(config, locale).exists()
        assert "#4 “Sleep well at night.”" in reason(report, locale)


def test_approvals_survive_reflow_and_unrelated_new_entries(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config)
    source = config.source_dir / "rest.md"
    text = source.read_text(encoding="utf-8").replace(
        "Rest for 2 days and drink 8 glasses of water.",
        "Rest for 2 days\nand drink 8 glasses\nof water.").replace(
        "- Eat well.", "- Eat well.\n\nA new paragraph nobody reviewed.")
    source.write_text(text, encoding="utf-8")
    update(config)
    catalog = po_path(config, "es", "rest")
    assert "A new paragraph" in catalog.read_text(encoding="utf-8")
    found = states(config, "es")
    assert found.pop("A new paragraph nobody reviewed.") is Status.NEVER
    assert set(found.values()) == {Status.APPROVED}
    translate(config, "es", {"A new paragraph nobody reviewed.": "Un párrafo nuevo."})
    approve(config, ("es",), "unreviewed")
    assert set(states(config, "es").values()) == {Status.APPROVED}
    record = review_path(config, "es", "rest").read_text(encoding="utf-8")
    assert record.count("[[approval]]") == 2 and 'scope = "partial"' in record


def test_a_tampered_record_is_detected_and_not_honoured(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config, ("es",))
    path = review_path(config, "es", "rest")
    path.write_text(path.read_text(encoding="utf-8").replace("Coma bien.", "Coma mal."),
                    encoding="utf-8")
    project = load_project(config)
    reviews = load_reviews(project)
    assert [d.code for d in reviews.diagnostics] == ["review.tampered"]
    assert reviews.diagnostics[0].line == path.read_text(encoding="utf-8").splitlines().index(
        "[[approval]]") + 1
    report = build(config)
    assert "review.tampered" in {d.code for d in report.diagnostics}
    assert not leaflet(config, "es").exists()
    refused = record_approvals(project, ["rest"], ["es"], CLINICIAN)
    assert "review.record" in {d.code for d in refused.diagnostics}, "evidence is not overwritten"
    assert "Coma mal." in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("field", ["reviewer", "date", "digest"])
def test_any_signature_field_edit_is_tampering(tmp_path: Path, field: str) -> None:
    config = make_project(tmp_path)
    approve(config, ("de",))
    text = review_path(config, "de", "rest").read_text(encoding="utf-8")
    edits = {"reviewer": ("Dr. Test Reviewer", "Dr. Someone Else"),
             "date": (re.search(r"date = (\S+)", text).group(1), "2020-01-01"),  # type: ignore[union-attr]
             "digest": (re.search(r'digest = "(\w+)"', text).group(1), "0" * 64)}  # type: ignore[union-attr]
    old, new = edits[field]
    record, problems = parse_record(text.replace(old, new, 1), "x.toml", "rest", "de")
    assert record.approvals == () and [p.code for p in problems] == ["review.tampered"]


def test_approval_is_refused_for_text_failing_qa(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    translate(config, "de", {"Rest for 2 days and drink 8 glasses of water.":
                             "Ruhen Sie 3 Tage und trinken Sie 8 Gläser Wasser."})
    report = record_approvals(load_project(config), ["rest"], ["de"], CLINICIAN)
    assert [d.code for d in report.diagnostics] == ["review.not-usable"]
    assert "segment 3 fails QA (qa.numbers)" in report.diagnostics[0].message
    assert report.diagnostics[0].path == "locales/de/LC_MESSAGES/rest.po"
    assert not review_path(config, "de", "rest").exists()
    partial = record_approvals(load_project(config), ["rest"], ["de"], CLINICIAN, "1-2,4-6")
    assert partial.approved == 5 and not partial.diagnostics


def test_cli_approve_and_status(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    runner = CliRunner()
    base = ["-C", str(config.root), "review"]
    done = runner.invoke(main, [*base, "approve", "rest", "--locale", "es", "--reviewer", "Dr. X",
                                "--role", "linguist", "--segments", "1-3", "--date", "2026-05-01"])
    assert done.exit_code == 0, done.output
    assert "3 segment(s) approved" in done.output
    status = runner.invoke(main, [*base, "status", "--format", "json"])
    rows = {r["locale"]: r for r in json.loads(status.output)}
    assert rows["es"]["approved"] == 3 and rows["es"]["never"] == 3 and rows["de"]["never"] == 6
    assert rows["es"]["signoffs"] == [{"role": "linguist", "date": "2026-05-01", "reviewer": "Dr. X"}]
    text = runner.invoke(main, [*base, "status", "--locale", "es", "--segments"]).output
    assert "rest [es]: 3/6 approved" in text and "#4 never reviewed: Sleep well." in text
    bad = runner.invoke(main, [*base, "approve", "rest", "--locale", "es", "--reviewer", "Dr. X",
                               "--role", "linguist", "--segments", "9"])
    assert bad.exit_code == 1 and "review.segments" in bad.output


def test_config_require_review_values(tmp_path: Path) -> None:
    config = make_project(tmp_path, "true")
    assert config.require_review == ("leaflets", "pages")
    (config.root / "polyleaf.toml").write_text(
        (config.root / "polyleaf.toml").read_text(encoding="utf-8").replace(
            "require_review = true", 'require_review = ["posters"]'), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config.root)
    assert caught.value.diagnostics[0].code == "config.review"


def test_reviewed_pages_show_only_approved_text(tmp_path: Path) -> None:
    config = make_project(tmp_path, '["pages"]')
    approve(config, ("es",), "1-4,6")  # 5 of 6 pass the page threshold; #6 is critical
    build(config)
    page = (config.build_dir / "site" / "es" / "rest" / "index.html").read_text(encoding="utf-8")
    assert "Duerma bien." in page and "Coma bien." not in page
    assert re.search(r'<li lang="en" class="pl-fallback">\s*Eat well', page)
    assert leaflet(config, "es").exists(), "leaflets are not gated in this project"


# --- the packet ------------------------------------------------------------------------------

def test_packet_lists_what_changed_since_approval(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config, ("es",))
    translate(config, "es", {"Rest for 2 days and drink 8 glasses of water.":
                             "Descanse 2 días y beba 8 vasos grandes de agua."})
    project = load_project(config)
    context = packet_context(project, load_reviews(project), project.sources.articles[0], "es")
    changed = [s for s in context["segments"] if s["status"] == "changed since approval"]
    assert [s["number"] for s in changed] == [3]
    diff = changed[0]["translation_diff"]
    assert [(c.op, c.text) for c in diff if c.op != "equal"] == [("insert", "grandes ")]
    assert changed[0]["source_diff"] is None
    assert context["counts"]["approved"] == 5
    report = write_packets(project, load_reviews(project), ["rest"], ["es"])
    assert not report.diagnostics and len(report.written) == 2
    pdf = config.root / report.written[1]
    text = " ".join(p.extract_text() for p in PdfReader(pdf).pages)
    for expected in ("Translation review packet", "#3", "changed since approval", "grandes",
                     "Sign-off", "urgent-care advice", "Llame al 999 si se desmaya."):
        assert expected in text, expected
    assert not (config.build_dir / "site" / "review").exists()


def test_packet_of_changed_segments_only(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    approve(config, ("es",))
    translate(config, "es", {"Eat well.": "Coma sano."})
    project = load_project(config)
    context = packet_context(project, load_reviews(project), project.sources.articles[0], "es",
                             "changed")
    assert [s["number"] for s in context["segments"]] == [5]


def test_word_diff_of_chinese_is_by_character_and_exact() -> None:
    diff = word_diff("休息两天", "休息三天")
    assert [(c.op, c.text) for c in diff] == [("equal", "休息"), ("delete", "两"),
                                               ("insert", "三"), ("equal", "天")]
    old, new = "a b c " * 50, "a b d " * 50
    rebuilt = "".join(c.text for c in word_diff(old, new) if c.op != "delete")
    assert rebuilt == new


# --- back-translation ----------------------------------------------------------------------

def test_back_translation_catalog_hides_the_source_and_round_trips(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    project = load_project(config)
    report = export_back_translations(project, ["rest"], ["es"])
    path = back_translation_path(config, "es", "rest")
    assert report.written == ("locales/es/review/rest.back.po",)
    text = path.read_text(encoding="utf-8")
    for english in TEXT["es"]:
        assert english not in text, "the back-translator must not see the source"
    catalog = pofile.parse(text)
    assert catalog.header_value("Language") == "en"
    assert {e.msgctxt for e in catalog.live} == {"title", "summary", None}
    assert any("segment 6: call-out (urgent-care advice)" in c for e in catalog.live
               for c in e.auto_comments)
    returned = tmp_path / "returned.po"
    entries = tuple(replace(e, msgstr="Rest for two days and drink eight glasses of water.")
                    if e.msgid.startswith("Descanse") else e for e in catalog.entries)
    returned.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")
    imported = import_back_translations(project, [returned])
    assert imported.written == ("locales/es/review/rest.back.po",) and not imported.diagnostics
    context = packet_context(project, load_reviews(project), project.sources.articles[0], "es")
    back = context["segments"][2]["back"]
    assert back.text == "Rest for two days and drink eight glasses of water." and back.current
    translate(config, "es", {"Rest for 2 days and drink 8 glasses of water.":
                             "Descanse 2 días y beba 8 vasos de agua fresca."})
    again = export_back_translations(load_project(config), ["rest"], ["es"])
    assert again.written and "Rest for two days" in path.read_text(encoding="utf-8"), \
        "the back-translator's work is kept (fuzzy) when the translation changes"
    project = load_project(config)
    stale = packet_context(project, load_reviews(project), project.sources.articles[0], "es")
    assert stale["segments"][2]["back"] is None or not stale["segments"][2]["back"].current


# --- imports from Weblate and XLIFF ---------------------------------------------------------

def _weblate_units(approved: dict[str, str]) -> str:
    results = [{"source": [src], "target": [tgt], "context": "", "state": 30 if ok else 20,
                "translation": "https://weblate.example.org/api/translations/leaflets/rest/es/"}
               for src, (tgt, ok) in approved.items()]
    return json.dumps({"count": len(results), "next": None, "results": results})


def test_import_weblate_units_json_records_only_matching_text(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    units = {"Sleep well.": ("Duerma bien.", True), "Eat well.": ("Coma sano.", True),
             "Call 999 if you faint.": ("Llame al 999 si se desmaya.", False)}
    export = tmp_path / "units.json"
    export.write_text(_weblate_units(units), encoding="utf-8")
    report = import_approvals(load_project(config), export, CLINICIAN)
    assert report.approved == 1 and report.written == ("locales/es/review/rest.toml",)
    assert [d.code for d in report.diagnostics] == ["review.import-mismatch"]
    assert "segment 5" in report.diagnostics[0].message
    found = states(config, "es")
    assert found["Sleep well."] is Status.APPROVED and found["Eat well."] is Status.NEVER
    assert 'method = "weblate"' in review_path(config, "es", "rest").read_text(encoding="utf-8")


XLIFF_12 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
 <file original="rest.po" source-language="en" target-language="de" datatype="po">
  <body>
   <trans-unit id="1" approved="yes"><source>Sleep well.</source>
    <target>Schlafen Sie gut.</target></trans-unit>
   <trans-unit id="2"><source>Eat well.</source><target>Essen Sie gut.</target></trans-unit>
  </body>
 </file>
</xliff>"""
XLIFF_20 = """<?xml version="1.0" encoding="UTF-8"?>
<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0" srcLang="en" trgLang="de">
 <file id="rest">
  <unit id="1"><segment state="final"><source>Eat well.</source>
   <target>Essen Sie gut.</target></segment></unit>
  <unit id="2"><segment state="translated"><source>Sleep well.</source>
   <target>Schlafen Sie gut.</target></segment></unit>
  <unit id="3"><segment state="reviewed"><source>Not in the article.</source>
   <target>X.</target></segment></unit>
 </file>
</xliff>"""


@pytest.mark.parametrize(("body", "approved", "codes"), [
    (XLIFF_12, "Sleep well.", []), (XLIFF_20, "Eat well.", ["review.import-unknown"])])
def test_import_xliff_review_states(tmp_path: Path, body: str, approved: str,
                                    codes: list[str]) -> None:
    config = make_project(tmp_path)
    export = tmp_path / "de.xlf"
    export.write_text(body, encoding="utf-8")
    report = import_approvals(load_project(config), export, CLINICIAN, article="rest")
    assert report.approved == 1 and [d.code for d in report.diagnostics] == codes
    assert [m for m, s in states(config, "de").items() if s is Status.APPROVED] == [approved]


def test_import_refuses_unknown_files_and_xml_entities(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    bomb = tmp_path / "bomb.xlf"
    bomb.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xliff>&a;</xliff>',
                    encoding="utf-8")
    report = import_approvals(load_project(config), bomb, CLINICIAN, "rest", "de")
    assert [d.code for d in report.diagnostics] == ["review.import-format"]
    where = tmp_path / "units.json"
    where.write_text(json.dumps({"results": [{"source": ["Eat well."], "target": ["x"],
                                              "state": 30}]}), encoding="utf-8")
    report = import_approvals(load_project(config), where, CLINICIAN)
    assert [d.code for d in report.diagnostics] == ["review.import-target"]


# --- the example project ----------------------------------------------------------------------

def test_the_example_approves_four_locales_and_leaves_german_unreviewed(example: Config) -> None:
    assert example.require_review == ("leaflets",)
    project = load_project(example)
    reviews = load_reviews(project)
    assert reviews.diagnostics == ()
    for locale in ("es", "fr", "ar", "zh_Hans"):
        for article in project.sources.articles:
            assert reviews.article_review(project, article, locale).complete, (locale, article.id)
    assert all(reviews.record("de", a.id) is None for a in project.sources.articles)
    french = reviews.article_review(project, project.sources.articles[0], "fr").signoffs()
    assert [role for role, _, _ in french] == ["clinician", "linguist"], \
        "both roles reviewed the whole French text: both are named"


def test_the_example_build_states_reviews_and_shows_the_gate(
        built_example: tuple[Config, BuildReport]) -> None:
    config, report = built_example
    spanish = config.build_dir / "leaflets" / "es" / "headache-warning-signs-a4.pdf"
    # words, not lines: the provenance block may wrap anywhere in the 14 cm text column
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(spanish).pages).split())
    assert "Traducción revisada" in text and "profesional clínico" in text
    french = config.build_dir / "leaflets" / "fr" / "headache-warning-signs-a4.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(french).pages).split())
    record = tomllib.loads((config.locales_dir / "fr" / "review" / "headache-warning-signs.toml")
                           .read_text(encoding="utf-8"))
    for role, word in (("clinician", "clinicien"), ("linguist", "linguiste")):
        latest = max(a["date"] for a in record["approval"] if a["role"] == role)
        assert f"{format_date(latest, 'long', locale='fr')} · {word}" in text, (role, latest)
    german = config.build_dir / "site" / "de" / "posture-and-neck-strain" / "index.html"
    assert "Diese Übersetzung wurde noch nicht geprüft." in german.read_text(encoding="utf-8")
    assert not any(d.code.startswith("review.") for d in report.diagnostics)


def test_one_pass_coverages_agree_with_the_gated_resolver(example: Config) -> None:
    from polyleaf.render.localize import resolver_for
    from polyleaf.render.translate import coverage, coverages

    project = load_project(example)
    for locale in ("es", "de"):
        for article in project.sources.articles:
            keys = sorted({s.key for s in article.segments}, key=repr)
            approved = frozenset(keys[::2])  # every other segment approved
            plain, gated = coverages(article, resolver_for(project, locale, article.id), approved)
            assert plain == coverage(article, resolver_for(project, locale, article.id))
            assert gated == coverage(article, resolver_for(project, locale, article.id, approved))
            assert gated.unreviewed or locale == "de"
