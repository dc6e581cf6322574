"""Inline typography of rendered text: numbers joined to their units, URLs that break after "/"
and "." only, left-to-right runs isolated in right-to-left text -- as HTML, and as WeasyPrint
lays it out."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from polyleaf.render.pdf import render_pdf
from polyleaf.render.typography import (
    NBSP,
    break_urls,
    breakable_url,
    isolate_ltr,
    join_units,
    short_url,
    typeset,
    unit_symbols,
)

CSS = re.sub(r"\{%.*?%\}", "", (Path(__file__).resolve().parents[1]
                                 / "templates/assets/leaflet.css").read_text(encoding="utf-8"))


@pytest.mark.parametrize(("html", "joined"), [
    ("<p>Take 1 g twice</p>", "1\u00a0g"),
    ("<p>a temperature (38 °C or above)</p>", "38\u00a0°C"),
    ("<p>up to 400 mg, or 2.5 mL</p>", "400\u00a0mg"),
    ("<p>up to 400 mg, or 2.5 mL</p>", "2.5\u00a0mL"),
    ("<p>تناول 500 مغم يوميًا</p>", "500\u00a0مغم"),  # CLDR's Arabic symbol
    ("<p>between 10 20 mg doses</p>", "10 20\u00a0mg"),
    ("<p>(1 g).</p>", "1\u00a0g)"),
])
def test_a_number_and_its_unit_are_joined(html: str, joined: str) -> None:
    assert joined in join_units(html, "ar", "en")


@pytest.mark.parametrize("html", [
    "<p>Take 1 good rest</p>",  # a word that starts like a unit
    '<p><a href="/x?1 g">link</a></p>',  # attributes are never touched
    "<p><code>1 g</code></p>",  # code is shown verbatim
    "<p>see page 12 of 40</p>",
])
def test_other_spaces_stay(html: str) -> None:
    assert NBSP not in join_units(html, "en")


def test_units_come_from_cldr_for_both_languages() -> None:
    symbols = set(unit_symbols("zh_Hans", "en"))
    assert {"mg", "°C", "mL", "kg", "毫升"} <= symbols
    assert not any("{" in s or "[" in s for s in symbols)


def test_urls_get_break_points_after_slashes_and_dots_and_keep_hyphenated_parts() -> None:
    html = str(breakable_url("https://www.nhs.uk/conditions/back-pain-and-headaches/"))
    assert html == ('https://www.<wbr>nhs.<wbr>uk/<wbr>conditions/<wbr>'
                    '<span class="nobr">back-pain-and-headaches/</span><wbr>')
    assert str(breakable_url("https://x.org/?a=1&b=<2>")).endswith("?a=1&amp;b=&lt;2&gt;")
    assert "<wbr>" in break_urls("<p>See https://x.org/a-b/c now</p>")
    assert break_urls('<a href="https://x.org/a-b/">x</a>') == '<a href="https://x.org/a-b/">x</a>'


@pytest.mark.parametrize(("url", "short"), [
    ("https://www.nhs.uk/conditions/headaches/", "nhs.uk/conditions/headaches"),
    ("https://medlineplus.gov/headache.html", "medlineplus.gov/headache.html"),
    ("https://pubmed.ncbi.nlm.nih.gov/23375162/?utm=1", "pubmed.ncbi.nlm.nih.gov/23375162"),
])
def test_short_url_is_host_and_path(url: str, short: str) -> None:
    assert short_url(url) == short


@pytest.mark.parametrize(("html", "expected"), [
    ("اتصل بالرقم +44 20 7946 0000 الآن", 'بالرقم <bdi dir="ltr">+44 20 7946 0000</bdi> الآن'),
    ("الجرعة 500 mg مرتين", '<bdi dir="ltr">500\u00a0mg</bdi>'),
    ("حرارة 38 °C", '<bdi dir="ltr">38\u00a0°C</bdi>'),
    ("راجع https://example.org/a/b. ثم", '<bdi dir="ltr">https://example.<wbr>org/<wbr>a/<wbr>b</bdi>. ثم'),
    ("اكتب إلى info@example.org", '<bdi dir="ltr">info@example.org</bdi>'),
    ("من 2 إلى 4 أسابيع", "من 2 إلى 4\u00a0أسابيع"),  # plain numbers stay right to left
    ("<p>خذ <code>400 mg</code></p>", "<code>400 mg</code>"),  # code: isolated by the CSS
])
def test_typeset_isolates_left_to_right_runs_in_rtl_text(html: str, expected: str) -> None:
    result = typeset(html, "ar", "en", rtl=True)
    assert expected in result
    assert result.count("<bdi") == expected.count("<bdi")
    assert "<bdi" not in typeset(html, "es", "en", rtl=False)


def test_isolate_ltr_leaves_existing_isolates_alone() -> None:
    html = '<bdi dir="ltr">+44 20 7946 0000</bdi> <a href="https://x.org/1 2 3 4 5 6">رابط</a>'
    assert str(isolate_ltr(html)) == html


def _lines(pdf: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [line for line in text.splitlines() if line.strip()]


def test_weasyprint_breaks_a_url_only_after_a_slash_or_a_dot(tmp_path: Path) -> None:
    url = "https://www.example-hospital.nhs.uk/conditions/back-pain-and-headaches/long-page/"
    html = (f'<html lang="en"><style>{CSS}</style><body style="width: 42mm">'
            f'<p class="url">{breakable_url(url)}</p></body></html>')
    lines = _lines(render_pdf(html, tmp_path).data, tmp_path)
    assert len(lines) > 2, lines
    assert "".join(lines) == url  # no inserted hyphen, no invisible break characters copied
    assert all(line[-1] in "/." for line in lines[:-1]), lines
    assert "back-pain-and-headaches/" in lines


def test_weasyprint_never_breaks_a_number_from_its_unit(tmp_path: Path) -> None:
    words = " ".join(["word"] * 5)
    for width in range(20, 40, 2):  # somewhere the line must break near "400 mg"
        html = (f'<html lang="en"><body style="width: {width}mm; font-size: 12pt">'
                f'<p>{join_units(f"{words} 400 mg {words} 1 g", "en")}</p></body></html>')
        lines = _lines(render_pdf(html, tmp_path).data, tmp_path)
        assert not any(re.search(r"\d$", line.strip()) for line in lines), (width, lines)
