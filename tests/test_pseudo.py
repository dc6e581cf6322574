"""Pseudo-locales: the text transform keeps what QA checks, the catalogs pass ``polyleaf check``
and msgfmt, and a build with both pseudo-locales shows no untranslated template string and keeps
every leaflet's text inside the text column."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.pofile import Entry
from polyleaf.config import Config, load_config
from polyleaf.engine.sidebuild import SideReport
from polyleaf.errors import Level
from polyleaf.i18n import locale_info
from polyleaf.qa.check import check_project
from polyleaf.qa.checks import check_entry
from polyleaf.render.uistrings import UiStrings
from polyleaf.tools.pseudo import PSEUDO_CODES, build_pseudo, pseudo_config, pseudo_text, write_pseudo

from .conftest import copy_project

PLOC, PLOCM = (locale_info(c) for c in PSEUDO_CODES)


def _findings(source: str, target: str, code: str) -> list[str]:
    entry = Entry(msgid=source, msgstr=target)
    return [f"{f.code}: {f.message}" for f in check_entry(entry, locale_info(code))]


@pytest.mark.parametrize("code", PSEUDO_CODES)
@pytest.mark.parametrize("source", [
    "Back pain and headaches: how they are linked",
    "**Call 999 or go to A&E.**",
    "You can read more about [how to look after your neck](posture-and-neck-strain) in our leaflet.",
    "Page %(page)s of %(pages)s",
    "See https://www.nhs.uk/conditions/headaches/ for 2 more tips.",
    "Use `ibuprofen` *only* if a doctor says so?",
    "![A person sitting upright at a desk](posture.png)",
    "  Rest.  ",
])
def test_pseudo_text_passes_every_qa_check(source: str, code: str) -> None:
    target = pseudo_text(source, code)
    assert target != source
    assert _findings(source, target, code) == []


def test_ploc_is_accented_bracketed_and_about_35_percent_longer() -> None:
    source = "Researchers looked at the results of 14 studies on this topic in 2019."
    target = pseudo_text(source, "qps_ploc")
    assert target.startswith("[") and target.endswith("].")
    assert not re.search(r"[A-Za-z]", target), target  # every letter accented
    assert "14" in target and "2019" in target
    assert 1.3 <= len(target) / len(source) <= 1.5


def test_plocm_is_right_to_left_script_with_left_to_right_islands() -> None:
    target = pseudo_text("Read [our leaflet](posture-and-neck-strain) on 2 topics.", "qps_plocm")
    letters = [c for c in target if c.isalpha()]
    arabic = [c for c in letters if "\u0600" <= c <= "\u06ff"]
    assert len(arabic) > 0.6 * len(letters)
    assert "](posture-and-neck-strain)" in target and " 2 " in target
    assert PLOCM.direction == "rtl" and PLOC.direction == "ltr"


_WORDS = st.sampled_from(["rest", "Drink", "water", "pain", "headache", "the", "of", "doctor"])
_PIECES = st.one_of(
    _WORDS,
    st.integers(0, 5000).map(str),
    _WORDS.map(lambda w: f"**{w}**"),
    _WORDS.map(lambda w: f"*{w}*"),
    _WORDS.map(lambda w: f"[{w}](some-article)"),
    st.sampled_from(["%(name)s", "%(num)d", "{count}", "`code`", "https://example.org/a.b"]),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_PIECES, min_size=1, max_size=12), st.sampled_from(["", ".", "?", "!", ":"]),
       st.sampled_from(PSEUDO_CODES))
def test_any_markdown_message_stays_qa_clean(pieces: list[str], end: str, code: str) -> None:
    source = " ".join(pieces) + end
    assert [f for f in _findings(source, pseudo_text(source, code), code)
            if not f.startswith(("qa.doubled-word", "qa.length"))] == []


def test_plural_forms_follow_each_pseudo_locales_rules() -> None:
    from polyleaf.tools.pseudo import pseudo_entry

    entry = Entry(msgid="%(num)s leaflet", msgid_plural="%(num)s leaflets", msgstr_plural=("", ""))
    ploc = pseudo_entry(entry, PLOC)
    plocm = pseudo_entry(entry, PLOCM)
    assert len(ploc.msgstr_plural) == 2 and len(plocm.msgstr_plural) == 6
    assert "ļéåƒļéţš" not in ploc.msgstr_plural[0] and "ļéåƒļéţš" in ploc.msgstr_plural[1]
    assert check_entry(plocm, PLOCM) == []


def test_catalogs_pass_check_and_are_not_rewritten(example: Config) -> None:
    first = write_pseudo(example)
    domains = {p.stem for p in example.source_dir.glob("*.md")} | {"site"}
    for code in PSEUDO_CODES:
        written = {p.stem for p in (example.locales_dir / code / "LC_MESSAGES").glob("*.po")}
        assert written == domains
    assert len(first.written) == 2 * len(domains)
    assert check_project(example, PSEUDO_CODES) == []
    again = write_pseudo(example)
    assert again.written == () and len(again.unchanged) == len(first.written)


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext (msgfmt) not installed")
def test_catalogs_pass_msgfmt_check(example: Config) -> None:
    write_pseudo(example)
    for path in sorted(example.locales_dir.glob("qps_*/LC_MESSAGES/*.po")):
        done = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                              capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{path}: {done.stderr}"


def test_a_deleted_article_takes_its_pseudo_catalog_along(example: Config) -> None:
    write_pseudo(example)
    victim = sorted(example.source_dir.glob("*.md"))[0]
    victim.unlink()
    write_pseudo(example)
    for code in PSEUDO_CODES:
        assert not (example.locales_dir / code / "LC_MESSAGES" / f"{victim.stem}.po").exists()


# --- a build with both pseudo-locales ------------------------------------------------------

Lookup = tuple[str, str | None, str, str]  # locale, msgctxt, msgid, returned text


@pytest.fixture(scope="module")
def pseudo_build(tmp_path_factory: pytest.TempPathFactory
                 ) -> Iterator[tuple[Config, SideReport, list[Lookup]]]:
    """The example built with both pseudo-locales; every template-string lookup recorded."""
    config = load_config(copy_project(tmp_path_factory.mktemp("pseudo") / "project"))
    lookups: list[Lookup] = []
    original_p, original_np = UiStrings.pgettext, UiStrings.npgettext

    def pgettext(self: UiStrings, context: str | None, message: str, **variables: object) -> str:
        text = original_p(self, context, message, **variables)
        lookups.append((self.locale.code, context, message, text))
        return text

    def npgettext(self: UiStrings, context: str | None, singular: str, plural: str, num: int,
                  **variables: object) -> str:
        text = original_np(self, context, singular, plural, num, **variables)
        lookups.append((self.locale.code, context, singular, text))
        return text

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(UiStrings, "pgettext", pgettext)
        patch.setattr(UiStrings, "npgettext", npgettext)
        report = build_pseudo(config)
    yield config, report, lookups


def test_pseudo_build_writes_only_build_pseudo(pseudo_build: tuple[Config, SideReport,
                                                                   list[Lookup]]) -> None:
    config, report, _ = pseudo_build
    assert report.diagnostics == () and report.skipped == ()
    assert not (config.build_dir / "site").exists()
    assert not (config.build_dir / "leaflets").exists()
    out = pseudo_config(config).build_dir
    for code in PSEUDO_CODES:
        info = locale_info(code)
        pages = sorted((out / "site" / info.bcp47).glob("*/index.html"))
        leaflets = sorted((out / "leaflets" / info.bcp47).glob("*.pdf"))
        assert len(pages) == 3 and len(leaflets) == 3 * len(config.variants)
        assert f'<html lang="{info.bcp47}" dir="{info.direction}"' in pages[0].read_text("utf-8")


def test_every_template_string_is_looked_up_and_translated(
        pseudo_build: tuple[Config, SideReport, list[Lookup]]) -> None:
    config, _, lookups = pseudo_build
    pseudo = [item for item in lookups if item[0] in PSEUDO_CODES]
    assert len({(c, m) for _, c, m, _ in pseudo}) >= 15
    for code, context, msgid, text in pseudo:
        site = pofile.parse((config.locales_dir / code / "LC_MESSAGES" / "site.po")
                            .read_text(encoding="utf-8"))
        assert (context, msgid) in {e.key for e in site.entries}, f"{msgid!r} is not in site.pot"
        assert text.startswith("[") and text != msgid, f"{msgid!r} shown untranslated in {code}"


class _Text(HTMLParser):
    """Visible text (and alt/title/aria-label) per effective lang attribute."""

    SKIP = frozenset({"script", "style", "title", "svg"})

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.found: list[tuple[str, str]] = []  # (lang, text)

    def _lang(self) -> str:
        return next((lang for _, lang in reversed(self.stack) if lang), "")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag not in ("meta", "link", "br", "img", "input"):
            self.stack.append((tag, values.get("lang") or ""))
        for name in ("alt", "title", "aria-label"):
            if values.get(name):
                self.found.append((values.get("lang") or self._lang(), str(values[name])))

    def handle_endtag(self, tag: str) -> None:
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data: str) -> None:
        if data.strip() and not any(tag in self.SKIP for tag, _ in self.stack):
            self.found.append((self._lang(), data))


def _known_data(config: Config) -> list[str]:
    """Text that is data, not template wording: names, ids, citations, URLs, dates, units."""
    from polyleaf.content.source import load_sources
    from polyleaf.i18n import site_endonym
    from polyleaf.render.pages import contact_parts

    sources = load_sources(config.source_dir, config.root)
    data = [config.name, config.organisation.name, *contact_parts(config.organisation.contact),
            *(locale_info(code).endonym for code in config.all_locales + PSEUDO_CODES),
            *(site_endonym(code, config.all_locales) for code in config.all_locales)]
    for article in sources.articles:
        data += [article.id, *(c.title for c in article.meta.sources),
                 *(c.url for c in article.meta.sources)]
    return sorted((d for d in data if d), key=len, reverse=True)


_MONTHS = r"January|February|March|April|May|June|July|August|September|October|November|December"
_ALLOWED = re.compile(rf"https?://\S+|\b(?:{_MONTHS})\b|\b(?:PDF|KB|MB|kB)\b")


def _english_words(text: str, data: list[str]) -> list[str]:
    for value in data:
        text = text.replace(value, " ")
    return re.findall(r"[A-Za-z]{2,}", _ALLOWED.sub(" ", text))


@pytest.mark.parametrize("code", PSEUDO_CODES)
def test_pages_show_no_untranslated_template_string(
        pseudo_build: tuple[Config, SideReport, list[Lookup]], code: str) -> None:
    config, _, _ = pseudo_build
    info = locale_info(code)
    data = _known_data(config)
    folder = pseudo_config(config).build_dir / "site" / info.bcp47
    pages = sorted(folder.rglob("*.html"))
    assert pages
    for page in pages:
        parser = _Text()
        parser.feed(page.read_text(encoding="utf-8"))
        own = [text for lang, text in parser.found if lang == info.bcp47]
        assert len(own) > 5
        english = [w for text in own for w in _english_words(html.unescape(text), data)]
        assert english == [], f"{page.relative_to(folder)}: English in {code} text: {english[:12]}"


def _words(pdf: Path) -> Iterator[tuple[int, float, float, float, float, float, float]]:
    """(page, page width, page height, xMin, yMin, xMax, yMax) of every word (pdftotext)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True,
                         check=True).stdout
    number = 0
    width = height = 0.0
    for line in out.splitlines():
        if page := re.search(r'<page width="([\d.]+)" height="([\d.]+)"', line):
            number += 1
            width, height = float(page.group(1)), float(page.group(2))
        elif word := re.search(r'xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" '
                               r'yMax="([\d.-]+)"', line):
            x0, y0, x1, y1 = (float(v) for v in word.groups())
            yield number, width, height, x0, y0, x1, y1


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_leaflet_text_stays_inside_the_text_column(
        pseudo_build: tuple[Config, SideReport, list[Lookup]]) -> None:
    """Left-to-right text starts at the column's left edge, right-to-left text at its right
    edge: the two pseudo-locales measure the column, and no word of any leaflet (longer
    accented text, right-to-left text, the margin boxes) may cross it or leave the page."""
    config, _, _ = pseudo_build
    out = pseudo_config(config).build_dir / "leaflets"
    ltr = [w for pdf in sorted((out / "qps-ploc").glob("*.pdf")) for w in _words(pdf)]
    rtl = [w for pdf in sorted((out / "qps-plocm").glob("*.pdf")) for w in _words(pdf)]
    assert len(ltr) > 500 and len(rtl) > 500
    left = min(w[3] for w in ltr)
    right = max(w[5] for w in rtl)
    width = ltr[0][1]
    assert 0 < left < right < width
    assert abs(left - (width - right)) < 30  # a plausible column: similar margins
    for name, words in (("qps_ploc", ltr), ("qps_plocm", rtl)):
        outside = [w for w in words if w[3] < left - 1.5 or w[5] > right + 1.5
                   or w[4] < 0 or w[6] > w[2]]
        assert outside == [], f"{name}: {len(outside)} word(s) outside the column: {outside[:3]}"


def test_leaflets_carry_the_pseudo_text(pseudo_build: tuple[Config, SideReport,
                                                             list[Lookup]]) -> None:
    config, _, lookups = pseudo_build
    out = pseudo_config(config).build_dir / "leaflets" / "qps-ploc"
    reader = PdfReader(sorted(out.glob("*.pdf"))[0])
    squashed = "".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    shown = {text for code, _, msgid, text in lookups
             if code == "qps_ploc" and msgid in ("Sources", "Read this leaflet online:")}
    assert shown and all("".join(text.split()) in squashed for text in shown)
    assert reader.metadata is not None and (reader.metadata.title or "").startswith("[")


def test_every_pseudo_entry_is_clean_for_check(pseudo_build: tuple[Config, SideReport,
                                                                   list[Lookup]]) -> None:
    config, _, _ = pseudo_build
    found = check_project(config, PSEUDO_CODES)
    assert [d.format() for d in found if d.level is Level.ERROR] == []
    assert found == []


def test_pseudo_leaflets_pass_the_pdf_ua_checker_and_waste_no_page(
        pseudo_build: tuple[Config, SideReport, list[Lookup]]) -> None:
    """135 % longer text and right-to-left script: still no untagged content, no figure without
    alternative text, reading order = visual order, no page but the last under 40 % full."""
    from .pdfpages import underfilled
    from .pdfua_check import problems

    config, _, _ = pseudo_build
    paths = sorted((pseudo_config(config).build_dir / "leaflets").glob("*/*.pdf"))
    assert len(paths) == 2 * 3 * 4
    assert {p.name: problems(p) for p in paths if problems(p)} == {}
    assert [u for p in paths for u in underfilled(p)] == []
