"""Extraction of the example articles: msgids, locations, contexts, comments, critical marks."""

from __future__ import annotations

from pathlib import Path

from polyleaf.catalog import pofile
from polyleaf.catalog.extract import CRITICAL_NOTE
from polyleaf.catalog.files import extract
from polyleaf.config import Config
from polyleaf.content.source import load_sources

REPO = Path(__file__).resolve().parents[1]


def _pot(config: Config, domain: str) -> pofile.Catalog:
    return pofile.parse((config.locales_dir / f"{domain}.pot").read_text(encoding="utf-8"))


def test_every_article_gets_a_template_with_title_and_summary_contexts(example: Config) -> None:
    extract(example)
    sources = load_sources(example.source_dir, example.root)
    assert {a.id for a in sources.articles} == {
        "back-pain-and-headaches", "posture-and-neck-strain", "headache-warning-signs"}
    for article in sources.articles:
        pot = _pot(example, article.id)
        by_ctx = {e.msgctxt: e for e in pot.entries if e.msgctxt}
        assert by_ctx["title"].msgid == article.meta.title
        assert by_ctx["summary"].msgid == article.meta.summary
        assert by_ctx["title"].locations[0].startswith(f"source/{article.id}.md:")


def test_locations_point_at_the_source_line_of_each_block(example: Config) -> None:
    extract(example)
    for path in sorted(example.source_dir.glob("*.md")):
        lines = path.read_text(encoding="utf-8").split("\n")
        for entry in _pot(example, path.stem).entries:
            if entry.msgctxt:
                continue
            for location in entry.locations:
                file, _, number = location.rpartition(":")
                assert file == f"source/{path.name}"
                first_words = entry.msgid.split()[0].lstrip("*[")
                assert first_words[:4] in lines[int(number) - 1], (location, entry.msgid)


def test_blocks_are_whole_paragraphs_with_inline_markdown_and_no_line_breaks(example: Config) -> None:
    extract(example)
    entries = [e for p in example.source_dir.glob("*.md") for e in _pot(example, p.stem).entries]
    assert all("\n" not in e.msgid and e.msgid == " ".join(e.msgid.split()) for e in entries)
    assert any("**" in e.msgid for e in entries)
    assert any("](posture-and-neck-strain)" in e.msgid for e in entries)


def test_comments_name_the_block_kind_and_heading_and_mark_critical(example: Config) -> None:
    extract(example)
    pot = _pot(example, "headache-warning-signs")
    comments = [c for e in pot.entries for c in e.auto_comments]
    assert any(c.startswith("heading") for c in comments)
    assert any(c.startswith('list item under "') for c in comments)
    critical = [e for e in pot.entries if CRITICAL_NOTE in e.auto_comments]
    assert len(critical) >= 2
    assert all(any(c.startswith(("call-out", "list item")) for c in e.auto_comments)
               for e in critical)


def test_site_template_strings_come_from_jinja_templates(example: Config) -> None:
    extract(example)
    site = _pot(example, "site")
    ids = {e.msgid for e in site.entries}
    assert {"Sources", "Medically reviewed", "Warning", "Page %(page)s of %(pages)s"} <= ids
    version = next(e for e in site.entries if e.msgid == "version %(version)s")
    assert "python-format" in version.flags
    assert any(loc.startswith("templates/leaflet.html:") for loc in version.locations)
    provenance = next(e for e in site.entries if e.msgid == "%(id)s, version %(version)s")
    assert "python-format" in provenance.flags  # gettext_html() is extracted like _()
    assert any(loc.startswith("templates/provenance.html:") for loc in provenance.locations)
    assert any("comma" in comment for comment in provenance.auto_comments)


def test_extract_does_not_rewrite_unchanged_templates(example: Config) -> None:
    first = extract(example)
    stamps = {p: p.stat().st_mtime_ns for p in example.locales_dir.glob("*.pot")}
    second = extract(example)
    assert second.written == ()
    assert len(second.unchanged) == len(first.written) + len(first.unchanged)
    assert {p: p.stat().st_mtime_ns for p in example.locales_dir.glob("*.pot")} == stamps


def test_repo_templates_are_up_to_date(example: Config) -> None:
    """The committed .pot files are what 'polyleaf extract' produces (dates aside)."""
    report = extract(example)
    assert report.written == (), f"run 'polyleaf extract': stale {report.written}"
