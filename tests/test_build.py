"""Building the example: localized pages with the right lang/dir, A4 leaflets with the text."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from polyleaf.catalog import pofile
from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.paths import po_path

COMPLETE = {"es": "ltr", "fr": "ltr", "ar": "rtl", "zh_Hans": "ltr"}
ARTICLES = ("back-pain-and-headaches", "posture-and-neck-strain", "headache-warning-signs")
A4 = (595.28, 841.89)


def _title(config: Config, locale: str, article: str) -> str:
    catalog = pofile.parse(po_path(config, locale, article).read_text(encoding="utf-8"))
    return next(e.msgstr for e in catalog.entries if e.msgctxt == "title")


def _page(config: Config, bcp47: str, article: str) -> str:
    return (config.build_dir / "site" / bcp47 / article / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("locale", sorted(COMPLETE))
@pytest.mark.parametrize("article", ARTICLES)
def test_page_has_translated_h1_and_lang_dir(built_example: tuple[Config, BuildReport],
                                             locale: str, article: str) -> None:
    config, _ = built_example
    bcp47 = locale.replace("_", "-")
    page = _page(config, bcp47, article)
    assert re.search(rf'<html lang="{bcp47}" dir="{COMPLETE[locale]}">', page)
    h1 = html.unescape(re.search(r"<h1>(.*?)</h1>", page, re.S).group(1))  # type: ignore[union-attr]
    assert h1 == _title(config, locale, article)
    english = re.search(r'^title: "(.*)"$', (config.source_dir / f"{article}.md").read_text(
        encoding="utf-8"), re.M)
    assert english is not None and h1 != english.group(1)


def test_source_language_pages_are_built(built_example: tuple[Config, BuildReport]) -> None:
    config, _ = built_example
    page = _page(config, "en-GB", "back-pain-and-headaches")
    assert '<html lang="en-GB" dir="ltr">' in page
    assert "<h1>Back pain and headaches" in page


def test_arabic_page_is_right_to_left_and_arabic(built_example: tuple[Config, BuildReport]) -> None:
    config, _ = built_example
    page = _page(config, "ar", "back-pain-and-headaches")
    assert '<html lang="ar" dir="rtl">' in page
    body = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1])
    arabic = sum(1 for c in body if "\u0600" <= c <= "\u06ff")
    latin = sum(1 for c in body if c.isascii() and c.isalpha())
    assert arabic > 3 * latin


@pytest.mark.parametrize("locale", sorted(COMPLETE))
@pytest.mark.parametrize("article", ARTICLES)
def test_leaflet_is_a4_and_holds_the_translated_text(built_example: tuple[Config, BuildReport],
                                                      locale: str, article: str) -> None:
    config, _ = built_example
    path = config.build_dir / "leaflets" / locale.replace("_", "-") / f"{article}-a4.pdf"
    reader = PdfReader(path)
    for page in reader.pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width, 1), round(height, 1)) == (round(A4[0], 1), round(A4[1], 1))
    text = " ".join(p.extract_text() or "" for p in reader.pages)
    squash = "".join(text.split())
    title = "".join(_title(config, locale, article).split())
    assert title[:12] in squash
    assert reader.metadata is not None and reader.metadata.title == _title(config, locale, article)


def test_incomplete_german_leaflets_are_held_back(built_example: tuple[Config, BuildReport]) -> None:
    config, report = built_example
    de = [o for o in report.outcomes if o.locale == "de" and o.output == "a4"]
    assert de and all(o.status == "skipped" for o in de)
    assert not (config.build_dir / "leaflets" / "de").exists()


def test_build_writes_nothing_when_nothing_changed(built_example: tuple[Config, BuildReport]) -> None:
    from polyleaf.engine.build import build

    config, _ = built_example
    def outputs() -> dict[Path, int]:  # the cache may learn that an input file has settled
        return {p: p.stat().st_mtime_ns for p in Path(config.build_dir).rglob("*")
                if p.is_file() and ".polyleaf-cache" not in p.parts}

    before = outputs()
    again = build(config)
    assert all(o.status in ("unchanged", "skipped") for o in again.outcomes)
    after = outputs()
    assert after == before
