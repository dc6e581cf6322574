"""Printed leaflets: variants, scripts, fonts, right-to-left layout, footer, PDF/UA and PDF/A,
reproducible bytes, and a missing font that fails clearly instead of printing empty boxes.

Most checks read the PDFs of the session's example build (``built_example``: every variant in
en, es, fr, ar and zh-Hans) with pypdf and poppler's ``pdftotext``/``pdffonts`` as judges.
"""

from __future__ import annotations

import dataclasses
import os
import re
import shutil
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.project import Project, load_project
from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.errors import PolyleafError
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path
from polyleaf.render.html import render
from polyleaf.render.leaflets import (
    counter_style,
    isolate_ltr,
    leaflet_context,
    missing_glyph_diagnostic,
    page_counter,
    pair_blocks,
    qr_svg,
    render_leaflet,
)
from polyleaf.render.localize import ui_strings
from polyleaf.render.pdf import render_pdf
from polyleaf.render.publication import Publication, decide

from .conftest import copy_project

ARTICLE = "headache-warning-signs"
LOCALES = ("en_GB", "es", "fr", "ar", "zh_Hans")
VARIANTS = ("a4", "letter", "a4-large", "bilingual")
SIZES = {"a4": (595.3, 841.9), "letter": (612.0, 792.0), "a4-large": (595.3, 841.9),
         "bilingual": (595.3, 841.9)}
REPO = Path(__file__).resolve().parents[1]


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is needed as a judge: install poppler-utils (bash dev.sh test does)"
    return path


def _pdf(config: Config, locale: str, variant: str, article: str = ARTICLE) -> Path:
    return config.build_dir / "leaflets" / locale_info(locale).bcp47 / f"{article}-{variant}.pdf"


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _squash(text: str) -> str:
    return "".join(text.split())


def _msgstr(config: Config, locale: str, context: str | None, msgid: str | None = None) -> str:
    catalog = pofile.parse(po_path(config, locale, ARTICLE).read_text(encoding="utf-8"))
    return next(e.msgstr for e in catalog.entries
                if (e.msgctxt == context and context) or (msgid and e.msgid == msgid))


def _font_sizes(path: Path) -> Counter[float]:
    """Characters per effective font size (pt), from the text matrices of every page."""
    sizes: Counter[float] = Counter()
    for page in PdfReader(path).pages:
        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes[round(size * scale, 1)] += len(text.strip())
        page.extract_text(visitor_text=visit)
    return sizes


def _words(path: Path, page: int = 1) -> list[tuple[float, float, str]]:
    """(x, y, word) of one page, as poppler lays them out (visual positions)."""
    out = subprocess.run([_tool("pdftotext"), "-bbox", "-f", str(page), "-l", str(page),
                          str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(float(x), float(y), word) for x, y, word in
            re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', out)]


@pytest.fixture(scope="module")
def example(built_example: tuple[Config, BuildReport]) -> Config:
    config, report = built_example
    failed = [o for o in report.outcomes if o.status == "failed"]
    assert not failed, [d.format() for d in report.diagnostics]
    return config


@pytest.fixture(scope="module")
def project(example: Config) -> Project:
    return load_project(example)


# --- variants: paper, pages, text ----------------------------------------------------------

@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("locale", LOCALES)
def test_every_variant_has_its_paper_and_the_translated_title(example: Config, locale: str,
                                                                 variant: str) -> None:
    if locale == "en_GB" and variant == "bilingual":  # nothing to pair the source language with
        assert not _pdf(example, locale, variant).exists()
        return
    reader = PdfReader(_pdf(example, locale, variant))
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1),
                round(float(page.mediabox.height), 1)) == SIZES[variant]
    title = (reader.metadata or {}).get("/Title", "")
    assert title and _squash(title)[:10] in _squash(_text(_pdf(example, locale, variant)))
    if locale != "en_GB":
        assert title == _msgstr(example, locale, "title")


@pytest.mark.parametrize("locale", LOCALES)
def test_page_counts_follow_the_variant(example: Config, locale: str) -> None:
    pages = {v: len(PdfReader(_pdf(example, locale, v)).pages) for v in VARIANTS
             if not (locale == "en_GB" and v == "bilingual")}  # no bilingual of the source language
    assert 2 <= pages["a4"] <= 5
    assert pages["letter"] in (pages["a4"], pages["a4"] + 1)
    assert pages["a4-large"] > pages["a4"]
    if locale != "en_GB":
        assert pages["bilingual"] >= pages["a4"] + 1


def test_arabic_text_extracts_in_logical_order(example: Config) -> None:
    text = _squash(_text(_pdf(example, "ar", "a4")))
    title = _msgstr(example, "ar", "title")
    assert _squash(title) in text  # logical (reading) order, not the visual glyph order
    assert _squash(title)[::-1] not in text
    arabic = sum(1 for c in text if "\u0600" <= c <= "\u06ff")
    assert arabic > 2000


def test_chinese_text_extracts(example: Config) -> None:
    text = _squash(_text(_pdf(example, "zh_Hans", "a4")))
    assert _squash(_msgstr(example, "zh_Hans", "title")) in text
    assert sum(1 for c in text if "\u4e00" <= c <= "\u9fff") > 800
    assert "第1页，共" in text or "第 1 页" in _text(_pdf(example, "zh_Hans", "a4"))


@pytest.mark.parametrize("locale", ("ar", "zh_Hans", "es"))
def test_bilingual_holds_both_languages_block_by_block(example: Config, locale: str) -> None:
    text = _squash(_text(_pdf(example, locale, "bilingual")))
    english_title = "Headache warning signs: when to get help"
    assert _squash(_msgstr(example, locale, "title")) in text and _squash(english_title) in text
    heading = _squash(_msgstr(example, locale, None, "Signs that need emergency care now"))
    target = text.index(heading)
    source = text.index(_squash("Signs that need emergency care now"))
    assert 0 < source - target < 200  # the English heading right after its translation


# --- typography ------------------------------------------------------------------------------

def test_large_print_is_16_pt_and_up_and_standard_is_12(example: Config) -> None:
    for locale in ("en_GB", "ar", "zh_Hans"):
        large = _font_sizes(_pdf(example, locale, "a4-large"))
        assert min(large) >= 16.0, (locale, sorted(large))
        assert large.most_common(1)[0][0] == 16.0
        assert max(large) >= 1.5 * 16  # larger headings
        assert _font_sizes(_pdf(example, locale, "a4")).most_common(1)[0][0] == 12.0


@pytest.mark.parametrize("variant", ("a4", "letter"))
def test_latin_lines_hold_60_to_75_characters(example: Config, variant: str) -> None:
    lengths = []
    for article in ("back-pain-and-headaches", ARTICLE, "posture-and-neck-strain"):
        for line in _text(_pdf(example, "en_GB", variant, article)).splitlines():
            if len(line.strip()) > 45 and " · " not in line and "http" not in line:
                lengths.append(len(line.strip()))
    assert max(lengths) <= 75
    assert statistics.median(lengths) >= 60


def test_stylesheet_never_justifies_and_relies_on_no_colour() -> None:
    css = (REPO / "templates/assets/leaflet.css").read_text(encoding="utf-8")
    assert "justify" not in css
    colours = set(re.findall(r"#[0-9a-fA-F]{3,6}\b", css))
    assert colours <= {"#000", "#fff"}


# --- fonts -----------------------------------------------------------------------------------

def _fonts(path: Path) -> list[tuple[str, bool, bool]]:
    """(font name, embedded, subset) per font, from poppler's pdffonts."""
    out = subprocess.run([_tool("pdffonts"), str(path)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[2:]
    rows = []
    for line in out:
        cells = line.split()
        name = cells[0]
        emb, sub = cells[-5], cells[-4]
        rows.append((name, emb == "yes", sub == "yes"))
    return rows


@pytest.mark.parametrize(("locale", "variant", "family"), [
    ("ar", "a4", "Noto-Sans-Arabic"), ("ar", "a4-large", "Noto-Sans-Arabic"),
    ("ar", "bilingual", "Noto-Sans-Arabic"), ("zh_Hans", "a4", "Noto-Sans-CJK-SC"),
    ("zh_Hans", "bilingual", "Noto-Sans-CJK-SC"), ("es", "a4", "Noto-Sans"),
    ("en_GB", "letter", "Noto-Sans")])
def test_fonts_are_the_scripts_own_embedded_and_subset(example: Config, locale: str,
                                                      variant: str, family: str) -> None:
    fonts = _fonts(_pdf(example, locale, variant))
    names = [name.split("+", 1)[1] for name, _, _ in fonts]
    assert all(embedded and subset for _, embedded, subset in fonts), fonts
    assert family in names
    assert not any("DejaVu" in n or "CJK-JP" in n or "CJK-KR" in n or "CJK-TC" in n
                   for n in names), names
    if variant == "bilingual":
        assert "Noto-Sans" in names  # the English blocks are set in the Latin font


# --- right to left ---------------------------------------------------------------------------

def test_rtl_margin_boxes_are_mirrored(example: Config) -> None:
    width = 595.3
    for locale, side in (("ar", "right"), ("en_GB", "left")):
        words = _words(_pdf(example, locale, "a4"))
        footer = [x for x, y, w in words if w == ARTICLE and y > 780]
        assert footer, words[-10:]
        assert (footer[0] > width / 2) == (side == "right"), (locale, footer)


def test_rtl_phone_number_and_url_keep_their_order(example: Config) -> None:
    path = _pdf(example, "ar", "a4")
    pages = len(PdfReader(path).pages)
    words = _words(path, pages)
    y0 = next(y for _, y, w in words if w == "+44")
    line = sorted((x, w) for x, y, w in words if abs(y - y0) < 6 and re.fullmatch(r"\+?\d+", w))
    assert [w for _, w in line] == ["+44", "20", "7946", "0000"]
    text = " ".join(w for _, _, w in words)
    assert "https://leaflets.example.org/ar/headache-warning-signs/" in text.replace("- ", "-")


@pytest.mark.parametrize(("html", "expected"), [
    ("اتصل بالرقم +44 20 7946 0000 الآن", 'بالرقم <bdi dir="ltr">+44 20 7946 0000</bdi> الآن'),
    ("الجرعة 500 mg مرتين", '<bdi dir="ltr">500 mg</bdi>'),
    ("حرارة 38 °C", '<bdi dir="ltr">38 °C</bdi>'),
    ("راجع https://example.org/a/b. ثم", '<bdi dir="ltr">https://example.org/a/b</bdi>. ثم'),
    ("اكتب إلى info@example.org", '<bdi dir="ltr">info@example.org</bdi>'),
    ("من 2 إلى 4 أسابيع", "من 2 إلى 4 أسابيع"),  # plain numbers read right to left: untouched
    ('<a href="https://x.org/1 2 3 4 5 6">رابط</a>', '<a href="https://x.org/1 2 3 4 5 6">رابط</a>'),
    ('<bdi dir="ltr">+44 20 7946 0000</bdi>', '<bdi dir="ltr">+44 20 7946 0000</bdi>'),
])
def test_isolate_ltr_wraps_only_left_to_right_runs(html: str, expected: str) -> None:
    result = str(isolate_ltr(html))
    assert expected in result
    assert result.count("<bdi") == expected.count("<bdi")


# --- footer, numerals, metadata -------------------------------------------------------------

def test_footer_says_who_when_and_where_online(example: Config, project: Project) -> None:
    text = _squash(_text(_pdf(example, "zh_Hans", "a4")))
    for part in ("Riverside Community Clinic (example)", "+44 20 7946 0000",
                 "https://leaflets.example.org/zh-Hans/headache-warning-signs/",
                 "1.0", "2026年11月1日"):
        assert _squash(part) in text, part
    article = next(a for a in project.sources.articles if a.id == ARTICLE)
    context = leaflet_context(project, article, "ar", "a4", decide(project))
    assert context["page_url"] == "https://leaflets.example.org/ar/headache-warning-signs/"
    html = render(example.templates_dir, "leaflet.html", context)
    label = ui_strings(project, "ar").gettext("QR code linking to this leaflet online")
    assert label != "QR code linking to this leaflet online"
    assert str(qr_svg(context["page_url"], label)) in html and f"<title>{label}</title>" in html


def test_page_counter_uses_the_locales_default_digits(project: Project) -> None:
    ui = ui_strings(project, "ar")
    assert counter_style("ar").name == "decimal"  # CLDR: Arabic's default numbering is latn
    assert str(page_counter(ui, "ar")).startswith('"الصفحة "')
    assert counter_style("ar_EG").name == "polyleaf-arab"
    assert counter_style("fa").name == "polyleaf-arabext"
    assert counter_style("mr").name == "polyleaf-deva"
    assert "counter(pages, polyleaf-arab)" in str(page_counter(ui, "ar_EG"))
    style = counter_style("ar_EG")
    html = (f'<html lang="ar-EG" dir="rtl"><style>{style.rule} @page {{ size: A6; '
            f'@bottom-left {{ content: {page_counter(ui, "ar_EG")}; }} }}</style>'
            '<body style="font-family: \'Noto Sans Arabic\'"><p>نص</p>'
            '<p style="break-before: page">نص</p></body></html>')
    result = render_pdf(html, project.config.root)
    text = _text_of(result.data)
    assert "١" in text and "٢" in text and not result.missing_glyphs


def _text_of(data: bytes) -> str:
    import io

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("locale", ("ar", "zh_Hans", "en_GB"))
def test_pdf_is_tagged_ua1_with_metadata(example: Config, locale: str) -> None:
    reader = PdfReader(_pdf(example, locale, "a4-large"))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    assert root["/Lang"] == locale_info(locale).bcp47
    info = reader.metadata or {}
    assert info.get("/Author") == "Riverside Community Clinic (example)"
    assert info.get("/Subject") and "headache-warning-signs" in info.get("/Keywords", "")
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfuaid:part="1"' in xmp


def test_pdf_a3u_is_an_option(project: Project) -> None:
    archival = dataclasses.replace(project, config=dataclasses.replace(
        project.config, pdf_standard="pdf/a-3u"))
    article = next(a for a in project.sources.articles if a.id == ARTICLE)
    published = dataclasses.replace(decide(archival), pages=frozenset({(ARTICLE, "ar")}))
    data = render_leaflet(archival, article, "ar", "a4", published, "out.pdf").data
    import io

    root = PdfReader(io.BytesIO(data)).trailer["/Root"]
    xmp = root["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in xmp and b'pdfaid:conformance="U"' in xmp
    assert "/OutputIntents" in root and "/StructTreeRoot" in root


# --- reproducible bytes ----------------------------------------------------------------------

REPRINT = """
import sys
from pathlib import Path
from polyleaf.config import load_config
from polyleaf.render.leaflets import render_leaflet
from polyleaf.render.publication import decide
from polyleaf.catalog.project import load_project
from polyleaf.review.state import load_reviews

project = load_project(load_config(Path(sys.argv[1])))
reviews = load_reviews(project)  # as the build does: the provenance names the review
published = decide(project, reviews)
for spec in sys.argv[3:]:
    article_id, locale, variant = spec.split(":")
    article = next(a for a in project.sources.articles if a.id == article_id)
    data = render_leaflet(project, article, locale, variant, published, "x", reviews).data
    Path(sys.argv[2], f"{locale}-{variant}.pdf").write_bytes(data)
"""


@pytest.mark.parametrize("epoch", ("1700000000", None))
def test_rebuild_in_a_new_process_is_byte_identical(example: Config, tmp_path: Path,
                                                    epoch: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    if epoch:
        env["SOURCE_DATE_EPOCH"] = epoch
    specs = [f"{ARTICLE}:ar:bilingual", f"{ARTICLE}:zh_Hans:a4", f"{ARTICLE}:en_GB:a4-large"]
    subprocess.run([sys.executable, "-c", REPRINT, str(example.root), str(tmp_path), *specs],
                   env=env, check=True, timeout=300)
    for spec in specs:
        _, locale, variant = spec.split(":")
        again = (tmp_path / f"{locale}-{variant}.pdf").read_bytes()
        assert again == _pdf(example, locale, variant).read_bytes(), spec


# --- fonts that are missing or guessed fail the leaflet, clearly ----------------------------

def test_unassigned_character_is_reported_from_weasyprints_log(project: Project) -> None:
    html = '<html lang="en"><body><p>dose \u0378 daily</p></body></html>'
    result = render_pdf(html, project.config.root)
    assert result.missing_glyphs == (0x378,)
    diagnostic = missing_glyph_diagnostic("build/x.pdf", "en", result.missing_glyphs)
    assert diagnostic.code == "pdf.missing-glyph" and "U+0378" in diagnostic.message
    assert "private-use or unassigned" in diagnostic.hint


def test_cjk_and_emoji_name_their_debian_packages() -> None:
    hint = missing_glyph_diagnostic("x.pdf", "zh-Hans", (0x3002, 0x4E2D, 0x1FA7A)).hint
    assert "fonts-noto-cjk" in hint and "fonts-noto-color-emoji" in hint
    assert "fonts-noto-core" in missing_glyph_diagnostic("x.pdf", "am", (0x1200,)).hint


FONTS_CONF = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>{fonts}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def test_a_machine_with_only_dejavu_fails_clearly(tmp_path: Path) -> None:
    """fontconfig limited to DejaVu Sans: Chinese has no glyphs, Arabic would be guessed."""
    dejavu = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans"], capture_output=True,
                            text=True, check=True).stdout
    assert "DejaVuSans" in dejavu, "fonts-dejavu-core is needed (bash dev.sh installs it)"
    (tmp_path / "fonts").mkdir()
    shutil.copy(dejavu, tmp_path / "fonts")
    conf = tmp_path / "fonts.conf"
    conf.write_text(FONTS_CONF.format(fonts=tmp_path / "fonts", cache=tmp_path / "cache"),
                    encoding="utf-8")
    root = copy_project(tmp_path / "project")
    for other in ("back-pain-and-headaches", "posture-and-neck-strain"):
        (root / "source" / f"{other}.md").unlink()
    toml = (root / "polyleaf.toml").read_text(encoding="utf-8")
    toml = re.sub(r"locales = \[.*\]", 'locales = ["ar", "zh_Hans"]', toml)
    (root / "polyleaf.toml").write_text(re.sub(r"variants = \[.*\]", 'variants = ["a4"]', toml),
                                        encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)}
    done = subprocess.run([sys.executable, "-m", "polyleaf", "-C", str(root), "build",
                           "--executor", "serial", "-q"], env=env, capture_output=True,
                          text=True, timeout=300)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    zh = re.search(r"^build/leaflets/zh-Hans/\S+: error: pdf\.missing-glyph: zh-Hans: .*$",
                   output, re.M)
    assert zh and "U+4E0D '不'" in zh.group(0) and "apt-get install fonts-noto-cjk" in zh.group(0)
    ar = re.search(r"^build/leaflets/ar/\S+: error: pdf\.font-fallback: ar: .*$", output, re.M)
    assert ar and "'DejaVu Sans'" in ar.group(0) and "Noto Sans Arabic" in ar.group(0)
    assert ".notdef" not in output  # one diagnostic, not WeasyPrint's log line per box
    assert not (root / "build/leaflets/zh-Hans").exists()
    assert not (root / "build/leaflets/ar").exists()
    assert (root / "build/leaflets/en-GB/headache-warning-signs-a4.pdf").exists()


def test_japanese_shapes_in_a_chinese_leaflet_are_refused(project: Project) -> None:
    html = ('<html lang="zh-Hans"><body style="font-family: \'Noto Sans CJK JP\'">'
            '<p>头痛警示征兆</p></body></html>')
    result = render_pdf(html, project.config.root)
    from polyleaf.render.leaflets import font_fallback_diagnostic

    diagnostic = font_fallback_diagnostic("x.pdf", "zh-Hans", html, result)
    assert diagnostic and diagnostic.code == "pdf.font-fallback"
    assert "'Noto Sans CJK JP'" in diagnostic.message and "Noto Sans CJK SC" in diagnostic.message


# --- safety ----------------------------------------------------------------------------------

def test_fetcher_reads_only_project_files(project: Project, tmp_path: Path) -> None:
    outside = tmp_path / "secret.png"
    outside.write_bytes(b"\x89PNG")
    html = (f'<html lang="en"><body><img src="{outside.as_uri()}" alt="">'
            '<img src="http://192.0.2.1/x.png" alt=""><p>x</p></body></html>')
    result = render_pdf(html, project.config.root)
    assert outside.as_uri() in result.refused_urls
    assert "http://192.0.2.1/x.png" in result.refused_urls


def test_a_refused_url_fails_the_leaflet(project: Project, tmp_path: Path) -> None:
    root = copy_project(tmp_path / "p")
    page = root / "templates" / "leaflet.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        "</body>", '<img src="http://192.0.2.1/logo.png" alt="logo"></body>'), encoding="utf-8")
    from polyleaf.config import load_config

    other = load_project(load_config(root))
    article = next(a for a in other.sources.articles if a.id == ARTICLE)
    with pytest.raises(PolyleafError) as caught:
        render_leaflet(other, article, "en_GB", "a4", Publication(), "out.pdf")
    assert caught.value.diagnostics[0].code == "pdf.url-refused"


# --- bilingual pairing ----------------------------------------------------------------------

def test_pair_blocks_pairs_top_level_blocks_and_demotes_source_headings() -> None:
    target = '<h2 id="a">عنوان</h2>\n<p>فقرة</p>\n<ul>\n<li>بند</li>\n</ul>\n<hr>\n<p>x</p>\n'
    source = '<h2 id="a">Title</h2>\n<p>Para</p>\n<ul>\n<li>Item</li>\n</ul>\n<hr>\n<p>y</p>\n'
    pairs = pair_blocks(target, source)
    assert [tag for tag, _, _ in pairs] == ["h2", "p", "ul", "hr", "p"]
    assert str(pairs[0][1]) == '<h2 id="a">عنوان</h2>'
    assert str(pairs[0][2]) == '<p class="bi-heading bi-h2">Title</p>'  # no duplicate id
    assert str(pairs[2][2]) == "<ul>\n<li>Item</li>\n</ul>"


def test_pair_blocks_falls_back_to_whole_bodies_when_structures_differ() -> None:
    pairs = pair_blocks("<p>a</p>\n<p>b</p>", "<p>a</p>")
    assert len(pairs) == 1 and str(pairs[0][1]) == "<p>a</p>\n<p>b</p>"
