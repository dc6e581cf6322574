"""Leaflets as a clinic hands them over: the urgent-care warning on page 1, headings and lead-ins
kept with what they introduce, no page but the last less than 40 % full, bilingual pairs kept
together, one text column shared with the footer, a one-line large-print footer, compact sources.

Every check reads the PDFs of the session's example build (every variant in en, es, fr, ar and
zh-Hans) with poppler (positions) and pikepdf/pypdf (the structure tree) as judges.
"""

from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.catalog.project import Project, load_project
from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.i18n import locale_info
from polyleaf.paths import po_path
from polyleaf.render.localize import ui_strings

from .pdfpages import MM, margins, pages, underfilled
from .pdfua_check import leaves, squash

LOCALES = ("en_GB", "es", "fr", "ar", "zh_Hans")
VARIANTS = ("a4", "letter", "a4-large", "bilingual")
WARNED = ("headache-warning-signs", "back-pain-and-headaches")  # articles with a [!WARNING]


@pytest.fixture(scope="module")
def example(built_example: tuple[Config, BuildReport]) -> Config:
    config, report = built_example
    assert not [o for o in report.outcomes if o.status == "failed"], report.diagnostics
    return config


@pytest.fixture(scope="module")
def project(example: Config) -> Project:
    return load_project(example)


def _leaflets(config: Config) -> list[Path]:
    found = sorted((config.build_dir / "leaflets").glob("*/*.pdf"))
    assert len(found) >= 50
    return found


def _pdf(config: Config, locale: str, article: str, variant: str) -> Path:
    return config.build_dir / "leaflets" / locale_info(locale).bcp47 / f"{article}-{variant}.pdf"


def _page_text(path: Path, page: int) -> str:
    return squash(PdfReader(path).pages[page].extract_text() or "")


def _translation(config: Config, locale: str, article: str, msgid: str) -> str:
    if locale == config.source_language:
        return msgid
    catalog = pofile.parse(po_path(config, locale, article).read_text(encoding="utf-8"))
    return next(e.msgstr for e in catalog.entries if e.msgid == msgid)


# --- urgent-care advice first ----------------------------------------------------------------

@pytest.mark.parametrize("article", WARNED)
@pytest.mark.parametrize("variant", VARIANTS)
@pytest.mark.parametrize("locale", LOCALES)
def test_the_first_warning_is_on_page_one_and_a_pointer_where_it_was(
        example: Config, project: Project, locale: str, variant: str, article: str) -> None:
    path = _pdf(example, locale, article, variant)
    if locale == "en_GB" and variant == "bilingual":
        assert not path.exists()
        return
    source = next(a for a in project.sources.articles if a.id == article)
    first = next(s for s in source.segments if s.critical)
    words = re.sub(r"[*`\[\]]", "", _translation(example, locale, article, first.msgid))
    prefix = squash(re.split(r"[\d(（]", words)[0])[:24]  # letters only: no bidi reordering
    assert len(prefix) >= 8 and prefix in _page_text(path, 0), (locale, variant, words[:40])
    pointer = ui_strings(project, locale).gettext("See the warning on page %(page)s.", page="1")
    whole = "".join(_page_text(path, i) for i in range(len(PdfReader(path).pages)))
    assert squash(pointer.split("1")[0]) in whole
    if variant == "bilingual":  # the English warning too, right after it
        english = squash(re.split(r"[\d(]", first.msgid)[0])[:24]
        assert english in _page_text(path, 0) + _page_text(path, 1)


# --- keep-with-next chains --------------------------------------------------------------------

def _block(path: tuple[tuple[str, tuple[int, int]], ...], kinds: set[str]) -> tuple[int, int] | None:
    return next((ident for kind, ident in reversed(path) if kind in kinds), None)


HEADINGS = {"/H1", "/H2", "/H3", "/H4", "/H5", "/H6"}


def test_headings_and_lead_ins_stay_on_the_page_of_what_they_introduce(example: Config) -> None:
    separated = []
    for pdf in _leaflets(example):
        runs = [r for r in leaves(pdf) if r.text.strip()]
        paragraph_text: dict[tuple[int, int] | None, str] = {}
        for run in runs:
            key = _block(run.path, {"/P"})
            paragraph_text[key] = paragraph_text.get(key, "") + run.text
        for run, after in pairwise(runs):
            heading = _block(run.path, HEADINGS)
            paragraph = _block(run.path, {"/P"})
            lead_in = paragraph is not None and paragraph_text[paragraph].strip()[-1:] in ":："
            for block, is_it in ((heading, heading is not None), (paragraph, lead_in)):
                if is_it and block not in {ident for _, ident in after.path} \
                        and after.page != run.page:
                    separated.append(f"{pdf.parent.name}/{pdf.name}: {run.text.strip()[:40]!r} "
                                     f"(page {run.page + 1}) and {after.text.strip()[:30]!r} "
                                     f"(page {after.page + 1})")
    assert separated == []


# --- no wasted paper ---------------------------------------------------------------------------

def test_no_page_but_the_first_and_the_last_is_less_than_40_percent_full(example: Config) -> None:
    assert [problem for pdf in _leaflets(example) for problem in underfilled(pdf)] == []


def _source_lang_runs(pdf: Path, source: str) -> list[tuple[int, bool, float, str]]:
    """(page, is source language, top, text) of each text run inside the article body's pairs."""
    out = []
    for run in leaves(pdf):
        divs = [ident for kind, ident in run.path if kind == "/Div"]
        if len(divs) >= 3 and run.text.strip():  # article body > pair > target or source
            out.append((run.page, run.lang == source, run.y, str(divs[1])))
    return out


def test_bilingual_pairs_stay_together_where_they_fit(example: Config) -> None:
    """A pair (a block and its English source) split across pages must be taller than a third
    of the text area: smaller ones always fit on one page, so they are never split."""
    split = []
    for pdf in sorted((example.build_dir / "leaflets").glob("*/*-bilingual.pdf")):
        top, _, bottom, _ = margins("bilingual")
        height = pages(pdf)[0].height
        area = height - top - bottom
        fragments: list[tuple[str, int, list[tuple[bool, float]]]] = []
        for page, is_source, y, pair in _source_lang_runs(pdf, "en-GB"):
            if fragments and fragments[-1][0] == pair and fragments[-1][1] == page:
                fragments[-1][2].append((is_source, y))
            else:
                fragments.append((pair, page, [(is_source, y)]))
        for first, second in pairwise(fragments):
            halves = {is_source for is_source, _ in first[2]}
            if halves == {False} and {s for s, _ in second[2]} >= {True}:  # one pair, two pages
                tall = (height - bottom - first[2][0][1]) + (second[2][-1][1] + 14 - top)
                if tall < area / 3:
                    split.append(f"{pdf.parent.name}/{pdf.name}: page {first[1] + 1}, "
                                 f"{tall / MM:.0f} mm tall")
    assert split == []


# --- one column, one-line footer, compact sources -----------------------------------------------

@pytest.mark.parametrize("variant", ("a4", "letter", "bilingual", "a4-large"))
@pytest.mark.parametrize("locale", ("en_GB", "ar", "zh_Hans"))
def test_text_and_footer_share_one_column(example: Config, locale: str, variant: str) -> None:
    path = _pdf(example, locale, "headache-warning-signs", variant)
    if not path.exists():
        assert locale == "en_GB" and variant == "bilingual"
        return
    _, right, bottom, left = margins(variant)
    text_edges, footer_edges = [], []
    for page in pages(path):
        for word in page.words:
            target = footer_edges if word.y0 > page.height - bottom else text_edges
            target.append((word.x0, word.x1))
        width = page.width
    for edges, slack in ((footer_edges, 1.0), (text_edges, 15 * MM)):
        start = min(x0 for x0, _ in edges)
        end = max(x1 for _, x1 in edges)
        assert left - 1 <= start <= left + slack, (locale, variant, start / MM, left / MM)
        assert width - right - slack <= end <= width - right + 1, (end / MM, (width - right) / MM)


def test_large_print_footer_is_one_line_well_clear_of_the_paper_edge(example: Config) -> None:
    for path in sorted((example.build_dir / "leaflets").glob("*/*-a4-large.pdf")):
        _, _, bottom, _ = margins("a4-large")
        for number, page in enumerate(pages(path), 1):
            footer = [w for w in page.words if w.y0 > page.height - bottom]
            assert footer, (path.name, number)
            # one line: every word's box overlaps every other's (two lines would not)
            assert max(w.y0 for w in footer) < min(w.y1 for w in footer), (
                path.parent.name, path.name, number, [w.text for w in footer])
            assert page.height - max(w.y1 for w in footer) >= 12 * MM, (path.name, number)


def _sizes(path: Path) -> Counter[tuple[str, float]]:
    """(text, effective font size in pt) of every text chunk, counted by characters."""
    sizes: Counter[tuple[str, float]] = Counter()
    for page in PdfReader(path).pages:
        def visit(text: str, cm: Any, tm: Any, font: Any, size: float) -> None:
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * (cm[0] ** 2 + cm[1] ** 2) ** 0.5
                sizes[(text.strip(), round(size * scale, 1))] += len(text.strip())
        page.extract_text(visitor_text=visit)
    return sizes


@pytest.mark.parametrize("locale", ("en_GB", "ar", "zh_Hans"))
def test_sources_are_small_and_show_host_and_path(example: Config, locale: str) -> None:
    path = _pdf(example, locale, "headache-warning-signs", "a4")
    text = "".join(_page_text(path, i) for i in range(len(PdfReader(path).pages)))
    assert "nhs.uk/conditions/headaches" in text and "medlineplus.gov/headache.html" in text
    assert "https://www.nhs.uk" not in text  # the full address is on the page online
    assert f"https://leaflets.example.org/{locale_info(locale).bcp47}/headache-warning-signs/" in text
    sizes = _sizes(path)
    body: Counter[float] = Counter()
    for (_, size), count in sizes.items():
        body[size] += count
    source = {size for (chunk, size) in sizes if re.search(r"nhs|medlineplus|conditions", chunk)}
    assert source and max(source) <= 0.85 * body.most_common(1)[0][0], (source, body)


def test_the_long_addresses_break_only_after_a_slash_or_a_dot(example: Config) -> None:
    hyphen_breaks = []
    for path in _leaflets(example):
        data = PdfReader(path)
        for page in data.pages:
            for line in (page.extract_text() or "").splitlines():
                if re.search(r"(https?://|\.org/|\.gov/|\.uk/)\S*-$", line.strip()):
                    hyphen_breaks.append(f"{path.name}: {line.strip()}")
    assert hyphen_breaks == []


# --- nothing cut off ---------------------------------------------------------------------------

def test_the_footer_is_printed_whole_on_the_last_page_of_every_leaflet(example: Config) -> None:
    """The block a clinic needs most (versions, dates, the address online, the phone number)
    is never cut off at the foot of a page: a layout that lets it overflow (floats did) fails."""
    for path in _leaflets(example):
        variant = next(v for v in sorted(VARIANTS, key=len, reverse=True)
                       if path.stem.endswith(f"-{v}"))
        article = path.stem.removesuffix(f"-{variant}")
        last = re.sub(r"\s+", "", _page_text(path, len(PdfReader(path).pages) - 1))
        url = f"{example.base_url.rstrip('/')}/{path.parent.name}/{article}/"
        assert url in last, path
        for part in example.organisation.contact.split("·"):  # the separator is the locale's
            assert re.sub(r"\s+", "", part) in last, path
