"""Leaflet stylesheets parsed once per process give the very same PDFs (render.stylecache)."""

from __future__ import annotations

import time

import pytest
from weasyprint import HTML

from polyleaf.catalog.project import load_project
from polyleaf.config import Config
from polyleaf.render import pdf
from polyleaf.render.html import render
from polyleaf.render.leaflets import leaflet_context
from polyleaf.render.pdftags import accessible_tags
from polyleaf.render.publication import decide
from polyleaf.render.stylecache import split_styles


def _uncached(html: str, config: Config) -> bytes:
    """What render_pdf did before the cache: WeasyPrint parses the document's own <style>."""
    document = HTML(string=html, base_url=f"file://{pdf.PROJECT_PATH}",
                    url_fetcher=pdf.ProjectFetcher(config.root)).render(
                        font_config=pdf.font_configuration())
    with accessible_tags() as finisher:
        data: bytes = document.write_pdf(finisher=finisher,
                                         **pdf.pdf_options(html, config.pdf_standard))
    return data


def test_every_variant_and_script_gives_byte_identical_pdfs(example: Config) -> None:
    project = load_project(example)
    publication = decide(project)
    article = next(a for a in project.sources.articles if a.id == "headache-warning-signs")
    compared = 0
    # Arabic first: its @counter-style (Arabic-Indic page numbers) must not leak into the others
    for locale in ("ar", "es", "zh_Hans", "fr"):
        for variant in example.variants:
            html = render(example.templates_dir, "leaflet.html",
                          leaflet_context(project, article, locale, variant, publication))
            assert split_styles(html).sheets, "the leaflet's stylesheet should be memoizable"
            cached = pdf.render_pdf(html, example.root, example.pdf_standard).data
            assert cached == _uncached(html, example), (locale, variant)
            compared += 1
    assert compared == 4 * len(example.variants)


HEAD = "<!DOCTYPE html><html><head><title>t</title>{}</head><body><style>b{{}}</style></body></html>"


@pytest.mark.parametrize(("head", "taken"), [
    ("<style>p { color: red }</style>", ("p { color: red }",)),
    ("<style>a{}</style><style>b{}</style>", ("a{}", "b{}")),
    ('<style media="print">p{}</style>', ()),  # not a plain <style>: WeasyPrint's own rules
    ("<style>@font-face { src: url(x.woff) }</style>", ()),  # fetches: never memoized
    ("<style>@import 'x.css';</style>", ()),
    ("<style>p { content: '\\2192' }</style>", ()),  # escapes: left to WeasyPrint
    ("<style>p{}</STYLE>q{}</style>", ()),  # the HTML parser ends it at </STYLE>
    ("<!-- <style>p{}</style> --><style>q{}</style>", ()),  # text, not an element
    ("<script>'<style>p{}</style>'</script>", ()),
    ("<style>p{}", ()),  # unclosed
])
def test_only_plain_self_contained_head_styles_are_taken_out(head: str,
                                                            taken: tuple[str, ...]) -> None:
    html = HEAD.format(head)
    styles = split_styles(html)
    assert styles.sheets == taken
    assert "<body><style>b{}</style></body>" in styles.html  # the body is never touched
    if not taken:
        assert styles.html == html
    else:
        assert "<style>" not in styles.html.split("</head>")[0]


def test_splitting_is_linear_in_the_input() -> None:
    def cost(size: int) -> float:
        html = HEAD.format("<style>" + "p{}" * (size // 6) + "</style>" + "<style>" * (size // 14))
        start = time.perf_counter()
        split_styles(html)
        return time.perf_counter() - start

    small, large = cost(100_000), cost(1_000_000)
    assert large < max(small, 1e-4) * 40  # quadratic would be x100
