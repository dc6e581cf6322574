"""Images: beside the article in source/, localized copies, content-hashed copies in the site,
embedded in leaflets, build inputs, and a missing image reported at its Markdown line.

Also the one-title rule: an image's title is a translation unit, and a ``# Title`` opening the
body is neither extracted nor printed a second time (``polyleaf lint`` warns).
"""

from __future__ import annotations

import io
import re
import urllib.request
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.files import extract, update
from polyleaf.config import Config
from polyleaf.engine.build import build
from polyleaf.paths import pot_path
from polyleaf.qa.lint import lint_project
from polyleaf.tools.serve import PreviewServer
from tests.browser.pagefiles import parse

from .test_gates import GERMAN, make_project, translate
from .test_publication import dead_links

DIARY = '![A headache diary: date, time and how bad](diary.png "Headache diary")'
GERMAN_IMAGE = {"A headache diary: date, time and how bad": "Ein Kopfschmerztagebuch: Datum, "
                "Uhrzeit und Stärke", "Headache diary": "Kopfschmerztagebuch"}


def png(colour: str, size: tuple[int, int] = (60, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def with_image(root: Path, line: str = DIARY, *, localized: bool = False) -> Config:
    """The gates project with an image paragraph after the first paragraph, and its file."""
    config = make_project(root)
    article = config.source_dir / "rest.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("\nRead [our", f"\n{line}\n\nRead [our", 1), encoding="utf-8")
    (config.source_dir / "diary.png").write_bytes(png("navy"))
    if localized:
        (config.source_dir / "diary.de.png").write_bytes(png("darkred"))
    extract(config)
    update(config)
    translate(config, {**GERMAN, **GERMAN_IMAGE})
    return config


def img(config: Config, page: str) -> dict[str, str]:
    found = parse(config.build_dir / "site" / page).xpath("//main//img")
    assert len(found) == 1, page
    return dict(found[0].attrib)


def site_file(config: Config, page: str) -> Path:
    return (config.build_dir / "site" / page).parent / img(config, page)["src"]


def test_image_beside_the_article_is_copied_with_a_hashed_name(tmp_path: Path) -> None:
    config = with_image(tmp_path / "p")
    report = build(config)
    assert not [o for o in report.outcomes if o.status == "failed"], report.diagnostics
    src = img(config, "en/rest/index.html")["src"]
    assert re.fullmatch(r"\.\./\.\./images/diary\.[0-9a-f]{10}\.png", src), src
    assert site_file(config, "en/rest/index.html").read_bytes() == png("navy")
    assert img(config, "de/rest/index.html")["src"] == src  # no German copy: the same file
    assert dead_links(config) == []
    for locale in ("en", "de"):
        reader = PdfReader(config.build_dir / "leaflets" / locale / "rest-a4.pdf")
        assert sum(len(page.images) for page in reader.pages) == 1, locale


def test_image_title_and_alt_are_extracted_and_translated(tmp_path: Path) -> None:
    config = with_image(tmp_path / "p")
    template = pofile.parse(pot_path(config, "rest").read_text(encoding="utf-8"))
    kinds = {e.msgid: e.auto_comments[0] for e in template.entries}
    assert kinds["Headache diary"].startswith("image title")
    assert kinds["A headache diary: date, time and how bad"].startswith("image alt text")
    build(config)
    assert img(config, "de/rest/index.html")["title"] == "Kopfschmerztagebuch"
    assert img(config, "de/rest/index.html")["alt"] == GERMAN_IMAGE[
        "A headache diary: date, time and how bad"]
    assert img(config, "en/rest/index.html")["title"] == "Headache diary"


def test_a_localized_copy_is_used_for_its_locale_only(tmp_path: Path) -> None:
    config = with_image(tmp_path / "p", localized=True)
    build(config)
    de, en = site_file(config, "de/rest/index.html"), site_file(config, "en/rest/index.html")
    assert de.name.startswith("diary.de.") and de.read_bytes() == png("darkred")
    assert en.name.startswith("diary.") and en.read_bytes() == png("navy")
    reader = PdfReader(config.build_dir / "leaflets" / "de" / "rest-a4.pdf")
    image = next(i for page in reader.pages for i in page.images).image
    assert image is not None and image.convert("RGB").getpixel((5, 5)) == (139, 0, 0)


def test_replacing_an_image_rebuilds_what_shows_it(tmp_path: Path) -> None:
    config = with_image(tmp_path / "p", localized=True)
    build(config)
    old = site_file(config, "en/rest/index.html")
    assert build(config).noop
    (config.source_dir / "diary.png").write_bytes(png("olive"))
    report = build(config)
    assert not report.noop
    assert set(report.ran) == {"site/en/rest/index.html", "leaflets/en/rest-a4.pdf"}
    new = site_file(config, "en/rest/index.html")
    assert new != old and new.read_bytes() == png("olive") and not old.exists()
    reader = PdfReader(config.build_dir / "leaflets" / "en" / "rest-a4.pdf")
    image = next(i for page in reader.pages for i in page.images).image
    assert image is not None and image.convert("RGB").getpixel((5, 5)) == (128, 128, 0)
    assert dead_links(config) == []


def test_a_missing_image_is_reported_at_its_line_and_holds_the_article_back(
        tmp_path: Path) -> None:
    config = with_image(tmp_path / "p")
    build(config)
    (config.source_dir / "diary.png").unlink()
    report = build(config)
    line = next(n for n, text in enumerate((config.source_dir / "rest.md").read_text(
        encoding="utf-8").splitlines(), 1) if "diary.png" in text)
    found = [d for d in report.diagnostics if d.code == "source.missing-image"]
    assert [(d.path, d.line, d.level.value) for d in found] == [("source/rest.md", line, "error")]
    assert "not found in source/" in found[0].message
    skipped = {(o.locale, o.output): o for o in report.outcomes if o.status == "skipped"}
    assert set(skipped) == {("en", "a4"), ("en", "html"), ("de", "a4"), ("de", "html")}
    entry = skipped[("de", "html")].entries[0]
    assert (entry.path, entry.line, entry.code, entry.msgid) == (
        "source/rest.md", line, "source.missing-image", "diary.png")
    assert not (config.build_dir / "site" / "en" / "rest").exists()
    assert not (config.build_dir / "leaflets" / "en" / "rest-a4.pdf").exists()
    assert not list((config.build_dir / "site").rglob("*.png"))
    assert not build(config).noop  # an error: the next build looks again


def test_images_that_are_not_project_files_are_missing_images(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    article = config.source_dir / "rest.md"
    outside = tmp_path / "outside.png"
    outside.write_bytes(png("red"))
    article.write_text(article.read_text(encoding="utf-8") + (
        "\n![remote](https://example.org/x.png)\n\n![up](../../outside.png)\n\n"
        "![not an image](rest.md)\n"), encoding="utf-8")
    report = build(config)
    messages = sorted(d.message for d in report.diagnostics if d.code == "source.missing-image")
    assert len(messages) == 3, messages
    assert any("network" in m for m in messages) and any("not a png" in m for m in messages)


def test_a_title_heading_in_the_body_is_shown_once_and_linted(tmp_path: Path) -> None:
    config = make_project(tmp_path / "p")
    article = config.source_dir / "rest.md"
    text = article.read_text(encoding="utf-8").replace(
        "---\n\nRest for", "---\n\n# Rest and recovery\n\nRest for", 1)
    article.write_text(text + "\n# Another big heading\n\nMore text.\n", encoding="utf-8")
    extract(config)
    msgids = {e.msgid for e in pofile.parse(pot_path(config, "rest").read_text("utf-8")).entries}
    assert "Rest and recovery" in msgids  # the front matter's title, once
    assert "Another big heading" in msgids
    build(config)
    page = parse(config.build_dir / "site" / "en" / "rest" / "index.html")
    assert [h.text_content() for h in page.xpath("//h1")] == ["Rest and recovery"]
    assert "Another big heading" in [h.text_content() for h in page.xpath("//h2")]
    text = " ".join(p.extract_text() for p in PdfReader(
        config.build_dir / "leaflets" / "en" / "rest-a4.pdf").pages)
    assert text.count("Rest and recovery") == 1
    lints = [d for d in lint_project(config) if d.code == "lint.h1"]
    assert [d.line for d in lints] == [
        text_line(article, "# Rest and recovery"), text_line(article, "# Another big heading")]


def text_line(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if line == text)


def test_the_preview_serves_the_images(tmp_path: Path) -> None:
    config = with_image(tmp_path / "p", localized=True)
    with PreviewServer(config.root, ("de",), port=0, watch=False) as server:
        page = urllib.request.urlopen(f"{server.url}de/rest/", timeout=30).read().decode()
        src = re.search(r'<img src="([^"]+)"', page)
        assert src is not None
        url = f"{server.url}de/rest/{src.group(1)}"
        with urllib.request.urlopen(url, timeout=30) as response:
            assert response.status == 200 and response.read() == png("darkred")


def test_a_leaflet_with_an_image_is_the_same_wherever_the_project_lies(tmp_path: Path) -> None:
    """WeasyPrint names an image after its URL: no local path may reach the PDF."""
    import shutil

    config = with_image(tmp_path / "p")
    build(config)
    shutil.copytree(config.root, tmp_path / "elsewhere" / "q", ignore=shutil.ignore_patterns(
        "build"))
    from polyleaf.config import load_config

    other = load_config(tmp_path / "elsewhere" / "q")
    build(other)
    for locale in ("en", "de"):
        name = f"leaflets/{locale}/rest-a4.pdf"
        assert (config.build_dir / name).read_bytes() == (other.build_dir / name).read_bytes()
