"""Translations are untrusted input: text, never markup, never a way out of the project.

Anyone who can send a .po (a Weblate user, an outside translator) must not be able to put markup,
scripts or links to scripts on a page, restyle or hide parts of a leaflet, crash the build, or
make WeasyPrint read a file outside the project or anything from the network. See
docs/security.md for the threat model; each guarantee there has a test here.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import re
import shutil
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.extract import SITE_DOMAIN
from polyleaf.catalog.files import update
from polyleaf.catalog.pofile import Entry
from polyleaf.catalog.project import Project, load_project
from polyleaf.config import Config, load_config
from polyleaf.engine.build import build
from polyleaf.engine.executors import SerialExecutor
from polyleaf.errors import PolyleafError
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path
from polyleaf.qa.checks import is_critical
from polyleaf.qa.usable import usable
from polyleaf.render.html import render
from polyleaf.render.leaflets import leaflet_context, page_counter, render_leaflet
from polyleaf.render.localize import ui_strings
from polyleaf.render.pages import render_article_page
from polyleaf.render.pdf import render_pdf
from polyleaf.render.publication import Publication
from tests.conftest import REPO, copy_project
from tests.test_bad_input import cli, configure

ARTICLE = "back-pain-and-headaches"
PO = f"locales/es/LC_MESSAGES/{ARTICLE}.po"
EXAMPLES = int(os.environ.get("POLYLEAF_HYPOTHESIS_EXAMPLES", "60"))
UNSAFE_SCHEMES = ("javascript:", "vbscript:", "data:")


# ------------------------------------------------------------------------------------ helpers

def plain_paragraphs(root: Path, count: int) -> list[Entry]:
    """Entries of plain source paragraphs (no numbers, markup or links): any text may replace
    them without failing the numbers/markup/links checks."""
    catalog = pofile.parse((root / PO).read_text(encoding="utf-8"))
    found = [e for e in catalog.live if e.msgctxt is None and not is_critical(e)
             and e.auto_comments and e.auto_comments[0].startswith("paragraph")
             and not re.search(r"[\d\[\]*`()%<>&]", e.msgid)]
    assert len(found) >= count
    return found[:count]


def translate(path: Path, table: dict[tuple[str | None, str], str]) -> None:
    """Set msgstr of the entries keyed (msgctxt, msgid) in ``table``; clear their fuzzy flag."""
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    assert set(table) <= {e.key for e in catalog.entries}, "a key is missing from the catalog"
    entries = tuple(replace(e, msgstr=table[e.key], flags=()) if e.key in table else e
                    for e in catalog.entries)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


class Markup(HTMLParser):
    """Everything in a page that is markup: tags, attributes, URLs, comments."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: set[tuple[str, str]] = set()
        self.urls: list[str] = []
        self.other: list[str] = []  # comments, declarations, processing instructions
        self.text: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            self.attributes.add((tag, name))
            if name in ("href", "src", "action", "formaction") and value:
                self.urls.append(value.strip().lower())

    handle_startendtag = handle_starttag

    def handle_comment(self, data: str) -> None:
        self.other.append(data)

    handle_decl = handle_pi = unknown_decl = handle_comment

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def page(root: Path, locale: str = "es", article: str = ARTICLE) -> str:
    return (root / "build" / "site" / locale / article / "index.html").read_text(encoding="utf-8")


def fallback_texts(html: str) -> list[str]:
    """The text of every block shown in the source language because its translation fell back."""
    return [" ".join(m.group(1).split()) for m in
            re.finditer(r'<p lang="en-GB" class="pl-fallback">(.*?)</p>', html, re.S)]


@pytest.fixture
def es_only(example: Config) -> Path:
    """The example with Spanish as the only target and HTML only."""
    return configure(example.root, "[]", '["es"]')


# ------------------------------------------------------------------------- escaping and refusals

def test_html_in_a_translation_is_shown_as_text(es_only: Path) -> None:
    root = es_only
    paragraph = plain_paragraphs(root, 1)[0]
    title = 'Dolor <i>de espalda</i> & "cabeza"'
    text = 'Texto <img src=x> con <b>negrita</b> & "comillas" y &lt;entidades&gt;.'
    translate(root / PO, {paragraph.key: text, ("title", next(
        e.msgid for e in pofile.parse((root / PO).read_text("utf-8")).entries
        if e.msgctxt == "title")): title})
    translate(po_path(load_config(root), "es", SITE_DOMAIN),
              {(None, "Skip to content"): "<em>Saltar</em> al contenido"})
    check = cli(root, "check", "--locale", "es")
    assert "qa.unsafe" not in check.stdout, "harmless HTML is text: nothing to refuse"
    assert cli(root, "build", "--executor", "serial", "-q").exit_code == 0
    html = page(root)
    found = Markup(html)
    assert not {"img", "b", "i", "em"} & set(found.tags)
    visible = " ".join(" ".join(found.text).split())
    assert 'Texto <img src=x> con <b>negrita</b> & "comillas" y <entidades>.' in visible
    assert title in visible and "<em>Saltar</em> al contenido" in visible
    assert "Texto &lt;img src=x&gt; con &lt;b&gt;negrita&lt;/b&gt; &amp;" in html
    assert "<h1>Dolor &lt;i&gt;de espalda&lt;/i&gt; &amp; &#34;cabeza&#34;</h1>" in html


REFUSED = {
    # payload: what must not appear anywhere in the page
    "<script>alert(1)</script>": "alert(1)",
    "<img src=x onerror=alert(2)>": "alert(2)",
    "[enlace](javascript:alert(3))": "alert(3)",
    "[enlace](data:text/html;base64,PHNjcmlwdD4=)": "PHNjcmlwdD4=",
    "<iframe src=https://evil.example/4>": "evil.example/4",
    "<svg onload=alert(5)>": "alert(5)",
}


def test_scripts_handlers_and_script_links_are_refused_and_fall_back(es_only: Path) -> None:
    root = es_only
    targets = plain_paragraphs(root, len(REFUSED))
    table = {entry.key: f"Texto traducido {payload}" for entry, payload in zip(targets, REFUSED,
                                                                                strict=True)}
    translate(root / PO, table)
    check = cli(root, "check", "--locale", "es")
    unsafe = lines_with(check.stdout, "qa.unsafe")
    catalog = pofile.parse((root / PO).read_text(encoding="utf-8"))
    assert unsafe == {e.line for e in catalog.entries if e.key in table}
    assert check.exit_code == 1
    result = cli(root, "build", "--executor", "serial", "-q")
    assert result.exit_code == 0, result.output
    html = page(root)
    for forbidden in REFUSED.values():
        assert forbidden not in html
    assert not {"script", "iframe", "svg"} & set(Markup(html).tags)
    fallbacks = fallback_texts(html)
    for entry in targets:
        assert entry.msgid in fallbacks, f"{entry.msgid!r} should be shown in English"


def lines_with(text: str, code: str) -> set[int]:
    """Lines of the diagnostics with ``code`` in ``path:line: level: code: ...`` output."""
    return {int(m[1]) for m in re.finditer(rf"^\S+?:(\d+): \w+: {re.escape(code)}: ", text, re.M)}


def codes(text: str) -> set[str]:
    """Every diagnostic code in ``text``."""
    return set(re.findall(r"^\S+?: \w+: ([\w.-]+): ", text, re.M))


def test_a_translation_cannot_restyle_the_leaflet_or_crash_the_build(es_only: Path) -> None:
    """A CR ends a CSS string (the page counter), and a stray '%' broke formatting."""
    root = es_only
    site = po_path(load_config(root), "es", SITE_DOMAIN)
    translate(site, {
        (None, "Page %(page)s of %(pages)s"):
            "Página %(page)s de %(pages)s\r} .callout { display: none } x {",
        (None, "%(id)s, version %(version)s"): "%(id)s, versión %(version)s, 100 % revisada",
    })
    check = cli(root, "check", "--locale", "es")
    assert codes(check.stdout) >= {"qa.unsafe", "qa.placeholders"}
    result = cli(root, "build", "--executor", "serial", "-q")
    assert result.exit_code == 0, result.output
    assert "build.internal" not in result.output
    assert "versión" not in page(root) and "version 1.0" in page(root)
    project = load_project(load_config(root))
    counter = str(page_counter(ui_strings(project, "es"), "es"))
    assert "Página" not in counter and "display" not in counter
    assert not re.search(r"[\r\n\f]", counter)


@pytest.mark.parametrize(("entry", "refused"), [
    # the source has the 100 % too: a number the source lacks is qa.numbers, not this test's point
    (Entry(msgid="version %(version)s, 100 %% reviewed",
           msgstr="versión %(version)s, 100 % revisada"), True),
    (Entry(msgid="version %(version)s, 100 %% reviewed",
           msgstr="versión %(version)s, 100 %% revisada"), False),
    (Entry(msgid="Page %(page)s of %(pages)s", msgstr="Página %(page)s de %(pages)s %(page)x"),
     True),
    (Entry(msgid="One leaflet", msgid_plural="Some leaflets",  # plurals are always formatted
           msgstr_plural=("Un folleto, 100 %", "Folletos", "Folletos")), True),
    (Entry(msgid="Take 50% less.", msgstr="Tome un 50% menos."), False),  # not a format string
    (Entry(msgid="Rest.", msgstr="Descanse.\r"), True),
    (Entry(msgid="Rest.", msgstr="Descanse.\x0c"), True),
    (Entry(msgid="Rest.", msgstr="Descanse\tbien.\nMucho."), False),
])
def test_translations_that_would_break_formatting_or_css_are_refused(entry: Entry,
                                                                     refused: bool) -> None:
    assert usable(entry, locale_info("es")).ok is not refused


# ----------------------------------------------------------------------- WeasyPrint's fetcher

class Recorder(http.server.BaseHTTPRequestHandler):
    """A local HTTP server that records every request (nothing may ever reach it)."""

    hits: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        Recorder.hits.append(self.path)
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.end_headers()
        self.wfile.write(PNG)

    def log_message(self, *args: object) -> None:
        """Silence."""


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()


@pytest.fixture
def server() -> Iterator[str]:
    """``http://127.0.0.1:PORT`` of a recording server, its hits cleared."""
    Recorder.hits = []
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def test_weasyprint_reads_only_files_inside_the_project(tmp_path: Path, server: str) -> None:
    root = tmp_path / "project"
    root.mkdir()
    (root / "pic.png").write_bytes(PNG)
    (root / "link.png").symlink_to("/etc/passwd")
    (tmp_path / "outside.png").write_bytes(PNG)
    data = base64.b64encode(PNG).decode()
    html = f"""<html><head><style>body {{ background: url({server}/background.png) }}</style>
    <link rel="stylesheet" href="{server}/style.css"></head><body>
    <img src="file:///etc/passwd"><img src="../../../../../../../etc/passwd">
    <img src="../outside.png"><img src="link.png"><img src="{server}/remote.png">
    <img src="data:image/png;base64,{data}"><p>Text</p></body></html>"""
    result = render_pdf(html, root)
    assert Recorder.hits == []
    assert images(result.data) == 0
    refused = set(result.refused_urls)
    assert {"file:///etc/passwd", (root / "link.png").as_uri(), f"{server}/remote.png",
            f"{server}/background.png", f"{server}/style.css"} <= refused
    # Relative URLs resolve against a stand-in for the project root (location-independent
    # PDFs), so one that climbs out of it is reported by its name, outside any project path.
    assert any(url.endswith("/outside.png") for url in refused)
    assert any(url.startswith("data:") for url in refused)
    control = render_pdf('<img src="pic.png">', root)
    assert images(control.data) == 1 and control.refused_urls == (), "the detector works"


ATTACKS = ("![x]({server}/tracker.png)", "![x](../../../../../../../etc/passwd)",
           "![x](file:///etc/passwd)")


def _attack(example: Config, server: str) -> tuple[Path, list[Entry]]:
    root = configure(example.root, '["a4"]', '["es"]')
    targets = plain_paragraphs(root, len(ATTACKS))
    translate(root / PO, {e.key: f"Texto {a.format(server=server)}"
                          for e, a in zip(targets, ATTACKS, strict=True)})
    return root, targets


def test_an_image_in_a_translation_is_refused_and_the_leaflet_held_back(example: Config,
                                                                          server: str) -> None:
    root, targets = _attack(example, server)
    for other in ("posture-and-neck-strain", "headache-warning-signs"):  # one leaflet is enough
        (root / "source" / f"{other}.md").unlink()
    check = cli(root, "check", "--locale", "es")
    flagged = lines_with(check.stdout, "qa.markup") | lines_with(check.stdout, "qa.links")
    catalog = pofile.parse((root / PO).read_text(encoding="utf-8"))
    assert {e.line for e in catalog.entries if e.msgid in {t.msgid for t in targets}} <= flagged
    report = build(load_config(root), executor=SerialExecutor())
    leaflet = next(o for o in report.outcomes if (o.article, o.locale, o.output) ==
                   (ARTICLE, "es", "a4"))
    assert leaflet.status == "skipped"
    assert not (root / "build/leaflets/es" / f"{ARTICLE}-a4.pdf").exists()
    assert (root / "build/leaflets/en-GB" / f"{ARTICLE}-a4.pdf").exists()
    assert "<img" not in page(root) and "etc/passwd" not in page(root)
    assert Recorder.hits == []


def test_even_past_qa_the_fetcher_keeps_the_leaflet_inside_the_project(
        example: Config, server: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Defence in depth: with QA switched off, WeasyPrint still fetches nothing."""
    monkeypatch.setattr("polyleaf.qa.usable.check_entry", lambda entry, locale, nplurals=None: [])
    root, _ = _attack(example, server)
    project = load_project(load_config(root))
    article = next(a for a in project.sources.articles if a.id == ARTICLE)
    published = Publication(pages=frozenset((a.id, lo) for a in project.sources.articles
                                            for lo in ("en_GB", "es")))
    html = render(project.config.templates_dir, "leaflet.html",
                  leaflet_context(project, article, "es", "a4", published))
    assert f"{server}/tracker.png" in html, "the attack did reach the leaflet HTML"
    result = render_pdf(html, root)
    assert images(result.data) == 0
    assert {f"{server}/tracker.png", "file:///etc/passwd"} <= set(result.refused_urls)
    with pytest.raises(PolyleafError) as refused:  # what the build job reports (and skips)
        render_leaflet(project, article, "es", "a4", published, f"leaflets/es/{ARTICLE}-a4.pdf")
    assert [d.code for d in refused.value.diagnostics] == ["pdf.url-refused"]
    assert Recorder.hits == []


# ----------------------------------------------------------------- identity translation (PBT)

def identity(path: Path) -> None:
    """msgstr = msgid (every plural form too) for every live entry; obsolete ones dropped.

    The CRITICAL: note is dropped too: urgent-care text copied unchanged is refused by design
    (qa.unchanged and qa.source-words are errors there, tests/test_quantities.py); what is
    tested here is that an identity translation renders exactly as the source does."""
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    info = locale_info(catalog.header_value("Language"))
    entries = tuple(
        replace(e, msgstr="" if e.msgid_plural else e.msgid, flags=(),
                auto_comments=tuple(c for c in e.auto_comments if not c.startswith("CRITICAL:")),
                msgstr_plural=(e.msgid, *[e.msgid_plural] * (info.num_plurals - 1))
                if e.msgid_plural else ())
        for e in catalog.live)
    path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")


def comparable_main(html: str, base_url: str, bcp47: str) -> str:
    """<main>, minus what legitimately differs between languages: the provenance list (dates in
    the page's locale, the translation date), the "not yet reviewed" notice (the identity text
    is not the text a reviewer approved), the language segment of absolute URLs, the name of
    an image (a language may have its own copy), the isolates of left-to-right runs in a
    right-to-left page, and whitespace runs (a browser renders a line break in text as one
    space; no-break spaces join numbers to units)."""
    match = re.search(r"<main\b[^>]*>(.*)</main>", html, re.S)
    assert match is not None
    main = re.sub(r'<dl class="provenance">.*?</dl>', "", match.group(1), flags=re.S)
    main = re.sub(r'<p class="notice notice-unreviewed"[^>]*>.*?</p>', "", main, flags=re.S)
    main = main.replace(f"{base_url}{bcp47}/", f"{base_url}LANG/")
    # the left-to-right isolates a right-to-left page adds around URLs, numbers and doses
    main = re.sub(r"</?bdi\b[^>]*>", "", main)
    main = re.sub(r'images/[^"/]+"', 'images/IMAGE"', main)  # a language's own copy of an image
    return " ".join(main.split())


def assert_identity_builds_the_source(config: Config, target: str) -> None:
    for path in (config.locales_dir / target / "LC_MESSAGES").glob("*.po"):
        identity(path)
    shutil.rmtree(config.build_dir, ignore_errors=True)
    report = build(config, executor=SerialExecutor())
    assert [o for o in report.outcomes if o.status != "built"] == []
    bcp47 = locale_info(target).bcp47
    for article in (p.stem for p in config.source_dir.glob("*.md")):
        source_tag = locale_info(config.source_language).bcp47
        source = (config.build_dir / "site" / source_tag / article / "index.html").read_text(
            "utf-8")
        translated = (config.build_dir / "site" / bcp47 / article / "index.html").read_text(
            "utf-8")
        assert 'class="pl-fallback"' not in translated
        assert comparable_main(translated, config.base_url, bcp47) == \
            comparable_main(source, config.base_url, source_tag)


def test_identity_translation_of_the_example_builds_the_source_pages(example: Config) -> None:
    root = configure(example.root, "[]", '["ar"]')
    assert_identity_builds_the_source(load_config(root), "ar")


WORD = st.sampled_from([
    "pain", "neck", "Back", "doctor", "rest", "38", "2.5", "mg", "(often)", "e.g.", "well-known",
    "“quoted”", "'single'", "AT&T", "&amp;", "a < b", "x > y", "50%", "café", "naïve", "颈部",
    "صداع", "—", "…", "?", "!", ":", ";", "\\*not emphasis\\*", "<https://example.org/auto>",
    "`code  span`", "**bold**", "*emphasis*", "[a link](gen)", "[site](https://example.org/x)",
    "[anchor](gen#part)", "~~gone~~",
])
INLINE = st.lists(WORD, min_size=1, max_size=14).flatmap(
    lambda words: st.lists(st.sampled_from([" ", " ", " ", "\n"]), min_size=len(words) - 1,
                           max_size=len(words) - 1).map(
        lambda gaps: words[0] + "".join(g + w for g, w in zip(gaps, words[1:], strict=True))))
ONE_LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
BLOCK = st.one_of(
    INLINE,
    ONE_LINE.map(lambda t: f"## {t}"),
    st.lists(ONE_LINE, min_size=1, max_size=4).map(lambda items: "\n".join(f"- {i}" for i in items)),
    st.lists(ONE_LINE, min_size=1, max_size=3).map(
        lambda items: "\n".join(f"{n}. {i}" for n, i in enumerate(items, 1))),
    INLINE.map(lambda t: "> " + t.replace("\n", "\n> ")),
    st.tuples(st.sampled_from(["NOTE", "TIP", "IMPORTANT", "WARNING", "CAUTION"]), ONE_LINE).map(
        lambda kt: f"> [!{kt[0]}]\n> {kt[1]}"),
    st.tuples(ONE_LINE, ONE_LINE, ONE_LINE, ONE_LINE).map(
        lambda c: f"| {c[0]} | {c[1]} |\n|---|---|\n| {c[2]} | {c[3]} |"),
    ONE_LINE.map(lambda t: f"![{t}](picture.png)"),
)
ARTICLE_TEXT = st.lists(BLOCK, min_size=1, max_size=8).map("\n\n".join)
FRONT = """---
id: gen
title: "{title}"
summary: "A generated article."
version: "1.0"
reviewed: 2026-01-01
review_due: 2099-01-01
---

"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """A one-article project whose article hypothesis rewrites; Arabic (RTL, 6 plurals) target."""
    root = tmp_path_factory.mktemp("generated") / "project"
    (root / "source").mkdir(parents=True)
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "polyleaf.toml").write_text(
        '[project]\nname = "G"\nsource_language = "en"\nlocales = ["ar"]\n'
        'base_url = "https://example.org/"\n[organisation]\nname = "Clinic"\ncontact = "1"\n'
        "[leaflets]\nvariants = []\n", encoding="utf-8")
    Image.new("RGB", (4, 4), "navy").save(root / "source" / "picture.png")  # the image blocks show
    return load_config(root)


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=ARTICLE_TEXT, title=ONE_LINE.filter(lambda t: '"' not in t and "\\" not in t))
def test_identity_translation_builds_the_source_language_page(generated: Config, body: str,
                                                              title: str) -> None:
    (generated.source_dir / "gen.md").write_text(FRONT.format(title=title) + body + "\n",
                                                 encoding="utf-8")
    shutil.rmtree(generated.locales_dir, ignore_errors=True)
    report = update(generated)
    assert [d for d in report.diagnostics if d.level.value == "error"] == []
    assert_identity_builds_the_source(generated, "ar")


def test_identity_translation_keeps_hard_line_breaks(generated: Config) -> None:
    (generated.source_dir / "gen.md").write_text(
        FRONT.format(title="Breaks") + "Call us at\\\nthe clinic  \ntoday.\n", encoding="utf-8")
    shutil.rmtree(generated.locales_dir, ignore_errors=True)
    update(generated)
    assert_identity_builds_the_source(generated, "ar")


# ------------------------------------------------------------- random msgstr is never markup

NASTY = st.sampled_from([
    "<", ">", "&", '"', "'", "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p>",
    "<p>", "<!--", "-->", "<![CDATA[x]]>", "<?php ?>", "javascript:alert(1)",
    "[a](javascript:alert(1))", "[a](b)", "![a](http://127.0.0.1:9/x.png)", "<http://evil.example/>",
    "&lt;b&gt;", "&#60;i&#62;", '"><svg onload=alert(1)>', "{{ 7*7 }}", "{% if x %}", "%(version)s",
    "%(page)s", "%(pages)s", "%", "%%", "**", "*", "`", "\\", "\n", "\r", "\x0c", "\x00", "  \n",
    "\\\n", "}", "{", ";", "</style>", "</title>", "\u202e", "ü", "中文", "العربية", " ", "x",
])
MSGSTR = st.lists(st.one_of(NASTY, st.text(max_size=6)), max_size=14).map("".join)
# Format strings keep their placeholders (else QA refuses them and the attack never renders).
TEXTS = st.fixed_dictionaries({
    "paragraph": MSGSTR, "title": MSGSTR, "skip": MSGSTR,
    "version": st.tuples(MSGSTR, MSGSTR).map(lambda t: f"{t[0]}%(version)s{t[1]}"),
    "counter": st.tuples(MSGSTR, MSGSTR, MSGSTR).map(
        lambda t: f"{t[0]}%(page)s{t[1]}%(pages)s{t[2]}"),
})


@pytest.fixture(scope="module")
def loaded(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The example project, parsed once (catalogs are swapped in memory per example)."""
    root = configure(copy_project(tmp_path_factory.mktemp("random") / "project"), '["a4"]',
                     '["es"]')
    return load_project(load_config(root))


def _swap(project: Project, domain: str, table: dict[tuple[str | None, str], str]) -> Project:
    catalog = project.catalog("es", domain)
    assert catalog is not None
    entries = tuple(replace(e, msgstr=table[e.key], flags=()) if e.key in table else e
                    for e in catalog.entries)
    catalogs = {**project.catalogs, ("es", domain): replace(catalog, entries=entries)}
    return replace(project, catalogs=catalogs)


SAFE = {  # a harmless translation of each target, for the comparison page
    "paragraph": "Texto seguro.", "title": "Título", "skip": "Saltar al contenido",
    "version": "versión %(version)s", "counter": "Página %(page)s de %(pages)s",
}


def _targets(project: Project) -> dict[str, tuple[str, tuple[str | None, str]]]:
    catalog = project.catalog("es", ARTICLE)
    assert catalog is not None
    paragraph = next(e for e in catalog.live if e.msgctxt is None and not is_critical(e)
                     and e.auto_comments[0].startswith("paragraph")
                     and not re.search(r"[\d\[\]*`()%]", e.msgid))
    title = next(e for e in catalog.live if e.msgctxt == "title")
    return {"paragraph": (ARTICLE, paragraph.key), "title": (ARTICLE, title.key),
            "skip": (SITE_DOMAIN, (None, "Skip to content")),
            "version": (SITE_DOMAIN, (None, "version %(version)s")),
            "counter": (SITE_DOMAIN, (None, "Page %(page)s of %(pages)s"))}


def _with(project: Project, texts: dict[str, str]) -> Project:
    targets = _targets(project)
    for domain in (ARTICLE, SITE_DOMAIN):
        project = _swap(project, domain, {key: texts[name] for name, (d, key) in targets.items()
                                          if d == domain})
    return project


def _render(project: Project) -> tuple[str, str]:
    """The Spanish article page and leaflet HTML."""
    article = next(a for a in project.sources.articles if a.id == ARTICLE)
    published = Publication(pages=frozenset((a.id, lo) for a in project.sources.articles
                                            for lo in ("en_GB", "es")))
    leaflet = render(project.config.templates_dir, "leaflet.html",
                     leaflet_context(project, article, "es", "a4", published))
    return render_article_page(project, article, "es", published), leaflet


def _usable(msgid: str, msgstr: str) -> bool:
    return usable(Entry(msgid=msgid, msgstr=msgstr), locale_info("es")).ok


@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(TEXTS)
@example({**SAFE, "counter": "Página %(page)s de %(pages)s\r} .callout { display: none } p {"})
@example({**SAFE, "version": "versión %(version)s, 100 % revisada"})
@example({**SAFE, "paragraph": "<script>alert(1)</script>", "title": "</title><script>"})
def test_random_msgstr_never_produces_markup(loaded: Project, texts: dict[str, str]) -> None:
    targets = _targets(loaded)
    # The comparison page falls back exactly where the random one does, so both have the same
    # notices and fallback attributes; what remains different can only be the translations.
    safe = {name: SAFE[name] if _usable(key[1], texts[name]) else ""
            for name, (_, key) in targets.items()}
    assert all(_usable(key[1], SAFE[name]) for name, (_, key) in targets.items())
    attacked = _with(loaded, texts)
    for (random_html, safe_html) in zip(_render(attacked), _render(_with(loaded, safe)),
                                        strict=True):
        got, want = Markup(random_html), Markup(safe_html)
        breaks = got.tags.count("br") - want.tags.count("br")  # Markdown hard breaks are allowed
        assert breaks >= 0
        assert Counter(t for t in got.tags if t != "br") == Counter(t for t in want.tags
                                                                      if t != "br")
        assert got.attributes == want.attributes
        assert got.other == want.other
        assert not [u for u in got.urls if u.startswith(UNSAFE_SCHEMES)]
        assert random_html.count("<") == safe_html.count("<") + breaks, "an unescaped '<'"
    counter = str(page_counter(ui_strings(attacked, "es"), "es"))  # CSS, inside <style>
    assert re.fullmatch(r'(?:"(?:[^"\\\n\r\f<>]|\\[0-9A-F]+ )*"|counter\(pages?, [\w-]+\)| )+',
                        counter), counter
