"""The published site and the build never disagree with what is on disk.

Every link of every built page resolves to a file the build vouches for, after a leaflet is held
back, after a leaflet fails, and after the next build (which must not call a stale site
"unchanged"). Leaflet links and sizes come from the build's one publishing decision, never from
whatever happens to lie in ``build/``.
"""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from polyleaf.cli import main
from polyleaf.config import Config
from polyleaf.engine.build import build
from polyleaf.render.pages import file_size
from tests.browser.pagefiles import html_files, is_not_found, parse, resolve_link

from .test_gates import GERMAN, make_project, translate


def dead_links(config: Config) -> list[str]:
    """Every local link (a, link, img) of every built page that leads to no file."""
    site = config.build_dir / "site"
    dead = []
    for page in html_files(site):
        if is_not_found(page):
            continue
        tree = parse(page)
        for href in tree.xpath("//a/@href | //link[@rel!='alternate' and @rel!='canonical']/@href"
                               " | //img/@src"):
            if href.startswith(("http:", "https:", "mailto:", "#")):
                continue
            if not resolve_link(config.build_dir, site, page, href).is_file():
                dead.append(f"{page.relative_to(site)}: {href}")
    return dead


def pdf_links(config: Config, page: str) -> list[str]:
    tree = parse(config.build_dir / "site" / page)
    return [str(a.get("href")) for a in tree.xpath("//a[@type='application/pdf']")]


def test_a_held_back_leaflet_is_not_linked_now_or_after_the_next_build(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    build(config)
    assert pdf_links(config, "de/rest/index.html") and pdf_links(config, "de/index.html")
    translate(config, GERMAN, fuzzy=("Eat well.",))  # 6 of 7 usable: page yes, leaflet no
    report = build(config)
    assert not (config.build_dir / "leaflets/de/rest-a4.pdf").exists()
    assert (config.build_dir / "site/de/rest/index.html").exists()
    assert pdf_links(config, "de/rest/index.html") == []
    assert pdf_links(config, "de/index.html") == []
    assert dead_links(config) == []
    again = build(config)
    assert again.noop or "site/de/rest/index.html" not in again.ran
    assert pdf_links(config, "de/rest/index.html") == [] and dead_links(config) == []
    assert {o.status for o in report.outcomes if o.locale == "de" and o.output == "a4"} == {
        "skipped"}


def test_a_failing_leaflet_is_not_linked_and_its_old_file_is_gone(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    build(config)
    template = config.templates_dir / "leaflet.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<body", "{% if lang == 'de' %}{{ no_such_variable }}{% endif %}\n<body", 1),
        encoding="utf-8")
    report = build(config)
    assert [o.output for o in report.outcomes if o.status == "failed"] == ["a4"]
    assert not (config.build_dir / "leaflets/de/rest-a4.pdf").exists()
    assert not (config.build_dir / "site/leaflets/de/rest-a4.pdf").exists()
    assert pdf_links(config, "de/rest/index.html") == []
    assert pdf_links(config, "en/rest/index.html")  # the English leaflet still builds
    assert dead_links(config) == []
    build(config)
    assert pdf_links(config, "de/rest/index.html") == [] and dead_links(config) == []


def test_a_leaflet_that_qualifies_again_is_linked_again_with_its_size(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    translate(config, GERMAN, fuzzy=("Eat well.",))
    build(config)
    assert pdf_links(config, "de/rest/index.html") == []
    translate(config, GERMAN)
    build(config)
    links = pdf_links(config, "de/rest/index.html")
    assert links == ["../../leaflets/de/rest-a4.pdf"]
    pdf = config.build_dir / "site/leaflets/de/rest-a4.pdf"
    text = " ".join(parse(config.build_dir / "site/de/rest/index.html").xpath(
        "string(//a[@type='application/pdf'])").split())
    assert text.endswith(" ".join(file_size(pdf.stat().st_size, "de").split()))
    assert dead_links(config) == []


def test_the_example_site_has_no_dead_link(built_example: tuple[Config, object]) -> None:
    config, _ = built_example
    assert dead_links(config) == []


def test_cli_json_and_text_agree_after_a_hold_back(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    translate(config, GERMAN, fuzzy=("Eat well.",))
    result = CliRunner().invoke(main, ["-C", str(config.root), "build", "--format", "json"])
    data = json.loads(result.output)
    skipped = [o for o in data["outcomes"] if o["status"] == "skipped"]
    assert [(o["locale"], o["output"]) for o in skipped] == [("de", "a4")]
    assert not any(o["path"].endswith("de/rest-a4.pdf") for o in data["outcomes"]
                   if o["status"] != "skipped")


def _entry_line(config: Config, msgid: str) -> int:
    from polyleaf.catalog import pofile
    from polyleaf.paths import po_path

    catalog = pofile.parse(po_path(config, "de", "rest").read_text(encoding="utf-8"))
    return next(e.line for e in catalog.entries if e.msgid == msgid)


def test_reasons_name_the_entries_in_text_and_json(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    translate(config, {**GERMAN, "Sleep well.": ""}, fuzzy=("Eat well.",))
    po = "locales/de/LC_MESSAGES/rest.po"
    fuzzy_at, empty_at = _entry_line(config, "Eat well."), _entry_line(config, "Sleep well.")
    result = CliRunner().invoke(main, ["-C", str(config.root), "build", "--format", "json"])
    outcome = next(o for o in json.loads(result.output)["outcomes"] if o["output"] == "a4"
                   and o["locale"] == "de")
    assert outcome["status"] == "skipped"
    assert [(e["path"], e["line"], e["code"], e["msgid"]) for e in outcome["entries"]] == [
        (po, empty_at, "untranslated", "Sleep well."), (po, fuzzy_at, "fuzzy", "Eat well.")]
    text = CliRunner().invoke(main, ["-C", str(config.root), "build"]).output  # a no-op build
    assert "(nothing changed)" in text
    assert f'{po}:{fuzzy_at}: fuzzy: list item "Eat well."' in text
    assert f'{po}:{empty_at}: untranslated: list item "Sleep well."' in text


def test_a_critical_hold_back_names_the_critical_entry_and_its_qa_code(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    translate(config, {**GERMAN, "Call 999 if you faint.": "Rufen Sie 112, wenn Sie ohnmächtig "
                                                            "werden."})
    report = build(config)
    page = next(o for o in report.outcomes if o.locale == "de" and o.output == "html")
    assert page.status == "skipped" and "critical" in page.reason
    assert [(e.code, e.critical, e.line) for e in page.entries] == [
        ("qa.numbers", True, _entry_line(config, "Call 999 if you faint."))]


def local_links(config: Config) -> list[str]:
    """Every local href/src of every page (404 pages aside), with the page it is on."""
    site = config.build_dir / "site"
    found = []
    for page in html_files(site):
        if is_not_found(page):
            continue
        for href in parse(page).xpath("//a/@href | //link[@rel!='alternate' and "
                                      "@rel!='canonical']/@href | //img/@src"):
            if not href.startswith(("http:", "https:", "mailto:", "#")):
                found.append((page, href))
    return found


def test_the_site_works_opened_from_disk(built_example: tuple[Config, object]) -> None:
    """No link ends at a folder (a browser shows a directory listing for a file: URL)."""
    config, _ = built_example
    site = config.build_dir / "site"
    links = local_links(config)
    assert len(links) > 100
    for page, href in links:
        target = (page.parent / href.split("#")[0]).resolve()
        assert target.is_file(), f"{page.relative_to(site)}: {href}"
    root = parse(site / "index.html")
    assert root.xpath("//ul[@class='language-list']//a/@href")[0] == "en-GB/index.html"


def test_directory_urls_end_links_at_the_folder(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    with config.path.open("a", encoding="utf-8") as toml:
        toml.write("[site]\ndirectory_urls = true\n")
    from polyleaf.config import load_config

    config = load_config(config.root)
    build(config)
    hrefs = [href for _, href in local_links(config) if not href.endswith((".css", ".svg",
                                                                            ".pdf"))]
    assert hrefs and all(h.endswith("/") or "/#" in h for h in hrefs), hrefs
    assert "index.html" not in " ".join(hrefs)
    assert dead_links(config) == []


def test_a_full_source_locale_formats_dates_and_tags_fallbacks_with_it(tmp_path: Path) -> None:
    """source_language = "en_GB": folder en-GB, UK dates, fallbacks tagged en-GB (BCP 47)."""
    config = make_project(tmp_path / "p")
    config.path.write_text(config.path.read_text(encoding="utf-8").replace(
        'source_language = "en"', 'source_language = "en_GB"'), encoding="utf-8")
    from polyleaf.config import load_config

    config = load_config(config.root)
    translate(config, {**GERMAN, "Sleep well.": ""})
    build(config)
    english = parse(config.build_dir / "site" / "en-GB" / "rest" / "index.html")
    assert english.get("lang") == "en-GB"
    provenance = " ".join(english.xpath("string(//dl[@class='provenance'])").split())
    assert "1 March 2026" in provenance  # en_GB, not "March 1, 2026"
    german = parse(config.build_dir / "site" / "de" / "rest" / "index.html")
    assert {e.get("lang") for e in german.find_class("pl-fallback")} == {"en-GB"}
    names = [a.text_content() for a in german.xpath("//nav[contains(@class,'switcher')]//a")]
    assert names == ["English", "Deutsch"]  # the only English of the site
    from polyleaf.i18n import locale_info, site_endonym

    assert locale_info("en_GB").endonym == "British English"  # CLDR's name for the variant
    assert site_endonym("en_GB", ("en_GB", "en_US", "de")) == "British English"
    assert site_endonym("pt_BR", ("en", "pt_BR")) == "Português"
    assert site_endonym("zh_Hans", ("en", "zh_Hans")) == "中文 (简体)"
    assert (config.build_dir / "leaflets" / "en-GB" / "rest-a4.pdf").exists()
    assert dead_links(config) == []
