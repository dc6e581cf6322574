"""Publishing gates: what falls back, what is held back, and what every output says of itself."""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.cli import main
from polyleaf.config import Config, load_config
from polyleaf.engine.build import build
from polyleaf.paths import po_path

REPO = Path(__file__).resolve().parents[1]

ARTICLE = """---
id: rest
title: "Rest and recovery"
summary: "How to rest."
version: "3.2"
reviewed: 2026-03-01
review_due: {due}
---

Rest for 2 days and drink 8 glasses of water.

Read [our other leaflet](rest) for more.

- Sleep well.
- Eat well.

> [!WARNING]
> Call 999 if you faint.
"""

GERMAN = {
    "Rest and recovery": "Ruhe und Erholung",
    "How to rest.": "Wie man sich ausruht.",
    "Rest for 2 days and drink 8 glasses of water.": "Ruhen Sie 2 Tage und trinken Sie 8 Gläser Wasser.",
    "Read [our other leaflet](rest) for more.": "Lesen Sie [unser anderes Merkblatt](rest) für mehr.",
    "Sleep well.": "Schlafen Sie gut.",
    "Eat well.": "Essen Sie gut.",
    "Call 999 if you faint.": "Rufen Sie 999, wenn Sie ohnmächtig werden.",
}


def make_project(root: Path, due: str = "2099-01-01") -> Config:
    (root / "source").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "source" / "rest.md").write_text(ARTICLE.format(due=due), encoding="utf-8")
    (root / "polyleaf.toml").write_text(
        '[project]\nname = "T"\nsource_language = "en"\nlocales = ["de"]\n'
        'base_url = "https://example.org/"\n[organisation]\nname = "Clinic"\ncontact = "1"\n',
        encoding="utf-8")
    config = load_config(root)
    update(config)
    translate(config, GERMAN)
    return config


def translate(config: Config, table: dict[str, str], fuzzy: tuple[str, ...] = ()) -> None:
    path = po_path(config, "de", "rest")
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    entries = tuple(replace(e, msgstr=table.get(e.msgid, ""),
                            flags=("fuzzy",) if e.msgid in fuzzy else ())
                    for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


def outputs(config: Config) -> tuple[str | None, bool]:
    page = config.build_dir / "site" / "de" / "rest" / "index.html"
    pdf = config.build_dir / "leaflets" / "de" / "rest-a4.pdf"
    return (page.read_text(encoding="utf-8") if page.exists() else None), pdf.exists()


def test_complete_translation_publishes_page_and_leaflet(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    report = build(config)
    page, pdf = outputs(config)
    assert page is not None and pdf
    assert "pl-fallback" not in page and "notice-incomplete" not in page
    assert all(o.status == "built" for o in report.outcomes)


BROKEN = {
    "fuzzy": ({}, ("Sleep well.",), "Sleep well."),
    "changed number": ({"Rest for 2 days and drink 8 glasses of water.":
                        "Ruhen Sie 3 Tage und trinken Sie 8 Gläser Wasser."}, (),
                       "Rest for 2 days and drink 8 glasses of water."),
    "changed link target": ({"Read [our other leaflet](rest) for more.":
                             "Lesen Sie [unser anderes Merkblatt](elsewhere) für mehr."}, (),
                            "Read"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_unusable_segment_falls_back_in_html_and_blocks_the_leaflet(tmp_path: Path,
                                                                     case: str) -> None:
    changes, fuzzy, english = BROKEN[case]
    config = make_project(tmp_path)
    build(config)
    assert outputs(config)[1]  # a leaflet existed before the translation went bad
    translate(config, {**GERMAN, **changes}, fuzzy)
    report = build(config)
    page, pdf = outputs(config)
    assert page is not None, "6 of 7 usable is above the 80 % page threshold"
    fallback = re.search(r'<(p|li) lang="en" class="pl-fallback">([^<]*)', page)
    # (the page joins numbers to their units with no-break spaces: "Rest for 2\u00a0days")
    assert fallback is not None and fallback.group(2).replace("\u00a0", " ").startswith(english)
    assert "notice-incomplete" in page
    assert not pdf, "the stale leaflet must be removed, not left behind"
    skipped = [o for o in report.outcomes if o.output == "a4" and o.locale == "de"]
    assert skipped[0].status == "skipped" and "86%" in skipped[0].reason


def test_unusable_critical_segment_blocks_page_and_leaflet(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    translate(config, {k: v for k, v in GERMAN.items() if not k.startswith("Call")})
    report = build(config)
    assert outputs(config) == (None, False)
    reasons = {o.output: o.reason for o in report.outcomes if o.locale == "de"}
    assert "critical" in reasons["html"] and "critical" in reasons["a4"]


def test_page_below_threshold_is_not_published(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    keep = ("Rest and recovery", "How to rest.", "Call 999 if you faint.")
    translate(config, {k: v for k, v in GERMAN.items() if k in keep})
    report = build(config)
    assert outputs(config) == (None, False)
    assert "a page needs 80%" in next(o.reason for o in report.outcomes if o.output == "html"
                                      and o.locale == "de")


def test_page_and_leaflet_state_their_provenance(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    catalog_path = po_path(config, "de", "rest")
    text = re.sub(r"PO-Revision-Date: [^\\]*", "PO-Revision-Date: 2026-04-02 09:00+0000",
                  catalog_path.read_text(encoding="utf-8"))
    catalog_path.write_text(text, encoding="utf-8")
    build(config)
    page, _ = outputs(config)
    assert page is not None
    for expected in ("rest", "3.2", "1. März 2026", "2. April 2026", "1. Januar 2099"):
        assert expected in page
    pdf_text = " ".join(p.extract_text() for p in PdfReader(
        config.build_dir / "leaflets" / "de" / "rest-a4.pdf").pages)
    for expected in ("rest", "3.2", "1. März 2026", "2. April 2026", "1. Januar 2099"):
        assert expected in pdf_text


def test_overdue_review_is_a_warning_and_strict_makes_it_fail(tmp_path: Path) -> None:
    config = make_project(tmp_path, due="2020-01-01")
    report = build(config)
    overdue = [d for d in report.diagnostics if d.code == "source.review-overdue"]
    assert [(d.level.value, d.path, d.line) for d in overdue] == [("warning", "source/rest.md", 7)]
    runner = CliRunner()
    strict = runner.invoke(main, ["-C", str(config.root), "build", "--strict"])
    assert strict.exit_code == 1
    assert "error: source.review-overdue" in strict.output


def test_summary_as_json_and_strict_exit_on_skips(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    translate(config, GERMAN, ("Eat well.",))
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(config.root), "build", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output[result.output.index("{"):])
    rows = {(o["article"], o["locale"], o["output"]): o for o in data["outcomes"]}
    assert rows[("rest", "de", "a4")]["status"] == "skipped"
    assert rows[("rest", "de", "html")]["status"] in ("built", "unchanged")
    assert runner.invoke(main, ["-C", str(config.root), "build", "--strict"]).exit_code == 1
