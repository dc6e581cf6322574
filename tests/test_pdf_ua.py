"""PDF/UA and right-to-left text: every leaflet passes the PDF/UA checker (tests/pdfua_check.py),
languages are tagged where they change, table headers have a scope, the QR code has alternative
text, Arabic ligatures copy in reading order, and left-to-right runs (phone numbers, doses,
codes) keep their order inside Arabic and pseudo right-to-left text, in pages and leaflets.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pikepdf
import pytest

from polyleaf.catalog import pofile
from polyleaf.catalog.files import extract, update
from polyleaf.catalog.project import Project, load_project
from polyleaf.config import Config, load_config
from polyleaf.engine.build import BuildReport, build
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path
from polyleaf.render.localize import ui_strings
from polyleaf.render.pdf import render_pdf
from polyleaf.tools.pseudo import build_pseudo, pseudo_config

from .conftest import copy_project
from .pdfpages import pages
from .pdfua_check import leaves, problems, squash

ARTICLE = "headache-warning-signs"


@pytest.fixture(scope="module")
def example(built_example: tuple[Config, BuildReport]) -> Config:
    config, report = built_example
    assert not [o for o in report.outcomes if o.status == "failed"], report.diagnostics
    return config


@pytest.fixture(scope="module")
def project(example: Config) -> Project:
    return load_project(example)


def _pdf(config: Config, locale: str, variant: str, article: str = ARTICLE) -> Path:
    return config.build_dir / "leaflets" / locale_info(locale).bcp47 / f"{article}-{variant}.pdf"


# --- the checker on every leaflet --------------------------------------------------------------

def test_every_leaflet_of_the_example_passes_the_pdf_ua_checker(example: Config) -> None:
    paths = sorted((example.build_dir / "leaflets").glob("*/*.pdf"))
    assert len(paths) >= 50
    assert {str(p.relative_to(example.build_dir)): problems(p) for p in paths
            if problems(p)} == {}


def test_the_pdfua_package_finds_no_error_either(example: Config) -> None:
    from pdfua import Severity, validate

    for locale, variant in (("en_GB", "a4"), ("ar", "bilingual"), ("zh_Hans", "a4-large")):
        report = validate(str(_pdf(example, locale, variant)))
        errors = [f"{f.rule_id}: {f.message}" for f in report.findings
                  if f.severity is Severity.ERROR]
        assert errors == [], (locale, variant)


def test_the_checker_catches_what_weasyprint_alone_leaves_out(project: Project) -> None:
    """WeasyPrint's own tags (polyleaf's additions switched off) fail these checkpoints."""
    html = ('<html lang="en"><head><title>t</title></head><body><p>a</p>'
            '<p lang="es">texto</p><table><tr><th>h</th></tr><tr><td>1</td></tr></table>'
            '<svg width="10" height="10"><rect width="10" height="10"/></svg></body></html>')
    from weasyprint import HTML

    from polyleaf.render.pdf import pdf_options

    plain = HTML(string=html).write_pdf(**pdf_options(html, "pdf/ua-1"))
    found = "\n".join(problems(plain))
    assert "13-004" in found and "15-003" in found
    assert [r.lang for r in leaves(plain) if r.text.strip() == "texto"] == ["en"]
    ours = render_pdf(html, project.config.root).data
    assert "15-003" not in "\n".join(problems(ours))
    assert [r.lang for r in leaves(ours) if r.text.strip() == "texto"] == ["es"]


# --- languages ------------------------------------------------------------------------------------

def _entries(config: Config, locale: str) -> list[tuple[str, str]]:
    catalog = pofile.parse(po_path(config, locale, ARTICLE).read_text(encoding="utf-8"))
    return [(e.msgid, e.msgstr) for e in catalog.entries if e.msgstr]


@pytest.mark.parametrize("locale", ("es", "ar", "zh_Hans"))
def test_bilingual_leaflets_tag_each_block_with_its_language(example: Config, locale: str) -> None:
    runs = [r for r in leaves(_pdf(example, locale, "bilingual")) if len(squash(r.text)) >= 20]
    english = {squash(re.sub(r"[*`]", "", msgid)) for msgid, _ in _entries(example, locale)}
    own = {squash(re.sub(r"[*`]", "", msgstr)) for _, msgstr in _entries(example, locale)}
    bcp47 = locale_info(locale).bcp47
    seen = {"en-GB": 0, bcp47: 0}
    for run in runs:
        text = squash(run.text)
        if any(text in e for e in english) and not any(text in o for o in own):
            assert run.lang == "en-GB", run
            seen["en-GB"] += 1
        elif any(text in o for o in own) and not any(text in e for e in english):
            assert run.lang == bcp47, run
            seen[bcp47] += 1
    assert min(seen.values()) > 20, seen


def test_a_block_in_another_language_is_tagged_with_it(project: Project) -> None:
    html = ('<html lang="de"><head><title>t</title></head><body><p>Deutsch hier</p>'
            '<p lang="en" class="pl-fallback">English fallback text</p>'
            '<p>mit <span lang="fr">un mot français</span> darin</p></body></html>')
    runs = {r.text.strip(): r.lang for r in leaves(render_pdf(html, project.config.root).data)}
    assert runs["Deutsch hier"] == "de" and runs["English fallback text"] == "en"
    assert runs["un mot français"] == "fr" and runs["darin"] == "de"


# --- table headers, the QR code, the running footer ------------------------------------------

def test_table_headers_are_column_headers(example: Config) -> None:
    with pikepdf.open(_pdf(example, "es", "a4", "posture-and-neck-strain")) as pdf:
        scopes = [str(o.A.Scope) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                  and o.get("/S") == "/TH"]
    assert scopes and set(scopes) == {"/Column"}


@pytest.mark.parametrize("locale", ("es", "ar", "zh_Hans"))
def test_the_qr_code_has_alternative_text_in_the_leaflets_language(
        example: Config, project: Project, locale: str) -> None:
    label = ui_strings(project, locale).gettext("QR code linking to this leaflet online")
    with pikepdf.open(_pdf(example, locale, "a4")) as pdf:
        alts = [str(o.Alt) for o in pdf.objects if isinstance(o, pikepdf.Dictionary)
                and o.get("/S") == "/Figure"]
    assert label in alts and label != "QR code linking to this leaflet online"
    translated = {msgstr for _, msgstr in _entries(example, locale)}
    others = [alt for alt in alts if alt != label]  # the article's images: their translated alt
    assert len(others) == len(alts) - 1 and all(alt in translated for alt in others), others


def test_the_running_footer_is_a_pagination_artifact(example: Config) -> None:
    with pikepdf.open(_pdf(example, "en_GB", "a4")) as pdf:
        for page in pdf.pages:
            artifacts = [ops for ops, op in pikepdf.parse_content_stream(page)
                         if str(op) == "BDC" and ops[0] == "/Artifact"]
            assert artifacts and all(a[1].Type == "/Pagination" and a[1].Subtype == "/Footer"
                                     for a in artifacts)


# --- Arabic ligatures: copy and search --------------------------------------------------------

def _pdftotext(path: Path) -> str:
    tool = shutil.which("pdftotext")
    assert tool, "poppler-utils is needed as a judge"
    out = subprocess.run([tool, str(path), "-"], capture_output=True, text=True,
                         check=True).stdout
    return re.sub("[\u202a-\u202e]", "", out)  # the direction marks poppler adds to RTL lines


@pytest.mark.parametrize("variant", ("a4", "bilingual"))
def test_poppler_copies_arabic_ligatures_in_reading_order(example: Config, variant: str) -> None:
    """lam-alef (العلامات) and lam-yeh (على) are single glyphs; poppler used to give عىل."""
    text = squash(_pdftotext(_pdf(example, "ar", variant)))
    title = dict(_entries(example, "ar"))["Headache warning signs: when to get help"]
    assert squash(title) in text
    for word in ("العلامات", "على", "الصداع"):
        assert word in text, word
    assert "عىل" not in text and "العالمات" not in text


# --- right to left: phone numbers, doses, codes, in leaflets and pages ---------------------------

DOSE_ARTICLE = """---
id: dose-check
title: "Doses, phone numbers and codes"
summary: "Call the clinic, take the right dose and quote your code."
version: "1.0"
reviewed: 2026-11-01
review_due: 2027-11-01
sources:
  - title: "NHS: Back pain and headaches, a page with a long address"
    url: "https://www.nhs.uk/conditions/back-pain-and-headaches/long-address-with-many-hyphens-in-it/"
---

Call the clinic on +44 20 7946 0958 if the pain gets worse.

Take `400 mg` of ibuprofen, or 1 g of paracetamol, at most 4 times a day.

Quote the code `HD-2026` when you call.

| Medicine | Dose |
| --- | --- |
| Paracetamol | 1 g |
"""

ARABIC = {
    "title": "الجرعات وأرقام الهاتف والرموز",
    "summary": "اتصل بالعيادة، وتناول الجرعة الصحيحة، واذكر الرمز الخاص بك.",
    "Call the clinic on +44 20 7946 0958 if the pain gets worse.":
        "اتصل بالعيادة على الرقم +44 20 7946 0958 إذا ازداد الألم سوءًا.",
    "Take `400 mg` of ibuprofen, or 1 g of paracetamol, at most 4 times a day.":
        "تناول `400 mg` من الإيبوبروفين، أو 1 g من الباراسيتامول، 4 مرات في اليوم على الأكثر.",
    "Quote the code `HD-2026` when you call.": "اذكر الرمز `HD-2026` عندما تتصل.",
    "Medicine": "الدواء", "Dose": "الجرعة", "Paracetamol": "الباراسيتامول", "1 g": "1 g",
}


@pytest.fixture(scope="module")
def rtl_build(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Config]:
    """A project of one article full of left-to-right runs, built in ar and both pseudo-locales."""
    root = copy_project(tmp_path_factory.mktemp("rtl") / "project")
    for path in (root / "source").glob("*.md"):
        path.unlink()
    (root / "source" / "dose-check.md").write_text(DOSE_ARTICLE, encoding="utf-8")
    toml = (root / "polyleaf.toml").read_text(encoding="utf-8")
    toml = re.sub(r"locales = \[.*\]", 'locales = ["ar"]', toml)
    toml = re.sub(r"require_review = .*", "require_review = false", toml)  # not what is tested
    (root / "polyleaf.toml").write_text(re.sub(r"variants = \[.*\]", 'variants = ["a4"]', toml),
                                        encoding="utf-8")
    config = load_config(root)
    extract(config)
    update(config)
    path = po_path(config, "ar", "dose-check")
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    entries = tuple(replace(e, msgstr=ARABIC.get(e.msgctxt or e.msgid, "")) for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")
    report = build(config)
    assert not [o for o in report.outcomes if o.status == "failed"], \
        [d.format() for d in report.diagnostics]
    build_pseudo(config)
    yield config


def _line_of(path: Path, anchor: str) -> list[str]:
    """The words of the line holding ``anchor``, left to right as printed."""
    for page in pages(path):
        for word in page.words:
            if word.text == anchor:
                line = [w for w in page.words if abs((w.y0 + w.y1) / 2 - (word.y0 + word.y1) / 2) < 4]
                return [w.text for w in sorted(line, key=lambda w: w.x0)]
    raise AssertionError(f"{anchor!r} not found in {path}")


def _rtl_leaflets(config: Config) -> list[Path]:
    return [config.build_dir / "leaflets" / "ar" / "dose-check-a4.pdf",
            pseudo_config(config).build_dir / "leaflets" / "qps-plocm" / "dose-check-a4.pdf"]


def test_rtl_leaflets_keep_phone_numbers_doses_and_codes_left_to_right(rtl_build: Config) -> None:
    for path in _rtl_leaflets(rtl_build):
        line = _line_of(path, "7946")
        start = line.index("+44")
        assert line[start:start + 4] == ["+44", "20", "7946", "0958"], (path.parent.name, line)
        line = _line_of(path, "400")
        assert line[line.index("400") + 1] == "mg", (path.parent.name, line)  # not "mg 400"
        assert "HD-2026" in _line_of(path, "HD-2026")  # one word on one line
        assert problems(path) == [], path


def test_rtl_pages_isolate_left_to_right_runs(rtl_build: Config) -> None:
    for site, lang in ((rtl_build.build_dir / "site", "ar"),
                       (pseudo_config(rtl_build).build_dir / "site", "qps-plocm")):
        html = (site / lang / "dose-check" / "index.html").read_text(encoding="utf-8")
        assert '<bdi dir="ltr">+44 20 7946 0958</bdi>' in html, lang
        assert "<code>400 mg</code>" in html and "<code>HD-2026</code>" in html
    css = (rtl_build.build_dir / "site" / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"code \{[^}]*direction: ltr; unicode-bidi: isolate", css)


def test_a_number_and_its_unit_share_a_no_break_space(rtl_build: Config) -> None:
    html = (rtl_build.build_dir / "site" / "ar" / "dose-check" / "index.html").read_text(
        encoding="utf-8")
    assert "1\u00a0g" in html and "1 g" not in html.replace("<code>400 mg</code>", "")
    source = pofile.parse(po_path(rtl_build, "ar", "dose-check").read_text(encoding="utf-8"))
    assert not any("\u00a0" in e.msgid for e in source.entries)  # the catalog keeps plain spaces


def test_a_long_source_address_breaks_after_a_slash_never_at_a_hyphen(rtl_build: Config) -> None:
    path = rtl_build.build_dir / "leaflets" / "en-GB" / "dose-check-a4.pdf"
    lines = [line.strip() for line in _pdftotext(path).splitlines()]
    assert not any(re.search(r"[a-z]-$", line) for line in lines), lines
    text = squash(" ".join(lines))
    assert "nhs.uk/conditions/back-pain-and-headaches/long-address-with-many-hyphens-in-it" in text
