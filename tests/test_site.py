"""The built website as files: hreflang sets, switchers, sitemap, robots.txt, 404s, indexes, CSS.

Everything here reads the example built once per session (``built_example``); the same site in a
real browser (axe-core, the Nu Html Checker, screenshots) is tests/test_browser.py.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest

from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.i18n import locale_info, site_endonym
from polyleaf.render.pages import file_size
from polyleaf.render.sitemap import PageGroup, SitemapUrl, robots_txt, sitemap_xml
from tests.browser.pagefiles import (
    hreflang_set,
    html_files,
    is_not_found,
    meta,
    page_url,
    parse,
    resolve_link,
    url_to_file,
)

Built = tuple[Config, BuildReport]
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9", "xhtml": "http://www.w3.org/1999/xhtml"}
ARTICLES = ("back-pain-and-headaches", "headache-warning-signs", "posture-and-neck-strain")
ENGLISH_NOTICE = "Part of this page has not been translated yet."


def _site(config: Config) -> Path:
    return config.build_dir / "site"


def _published(report: BuildReport) -> set[tuple[str, str]]:
    return {(o.article, o.locale) for o in report.outcomes
            if o.output == "html" and o.status in ("built", "unchanged")}


def _pages(config: Config) -> list[Path]:
    return [p for p in html_files(_site(config)) if not is_not_found(p)]


def _text(element: Any) -> str:
    return " ".join(element.text_content().split())


def test_the_example_publishes_different_language_sets(built_example: Built) -> None:
    _, report = built_example
    published = _published(report)
    assert ("back-pain-and-headaches", "de") in published
    assert ("headache-warning-signs", "de") not in published
    assert all((article, "en_GB") in published for article in ARTICLES)


def test_every_page_has_lang_and_dir_of_its_folder(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    for path in html_files(site):
        root = parse(path)
        folder = path.relative_to(site).parts[0]
        code = folder.replace("-", "_") if path.parent != site else config.source_language
        info = locale_info(code)
        assert (root.get("lang"), root.get("dir")) == (info.bcp47, info.direction), path


def test_hreflang_sets_are_reciprocal_and_resolve(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    checked = 0
    for path in _pages(config):
        tree = parse(path)
        alternates = hreflang_set(tree)
        assert alternates, f"{path} has no hreflang links"
        langs = [lang for lang, _ in alternates]
        assert langs.count("x-default") == 1 and len(set(langs)) == len(langs), path
        for lang, url in alternates:
            target = url_to_file(config.base_url, site, url)
            assert target.is_file(), f"{path}: hreflang {lang} -> {url} is not built"
            if lang != "x-default":
                assert parse(target).get("lang") == lang, url
                assert hreflang_set(parse(target)) == alternates, f"{url} and {path} disagree"
                checked += 1
        own = page_url(config.base_url, site, path)
        if path.parent != site:  # the root page is the x-default of the language indexes
            assert (tree.get("lang"), own) in alternates, f"{path} does not list itself"
    assert checked > 50


def test_hreflang_sets_follow_what_is_published(built_example: Built) -> None:
    config, report = built_example
    published = _published(report)
    for article in ARTICLES:
        expected = {locale_info(lo).bcp47 for lo in config.all_locales if (article, lo) in published}
        tree = parse(_site(config) / "en-GB" / article / "index.html")
        langs = {lang for lang, _ in hreflang_set(tree)}
        assert langs == expected | {"x-default"}
        assert ("x-default", f"{config.base_url}en-GB/{article}/") in hreflang_set(tree)
    warning = {lang for lang, _ in hreflang_set(parse(_site(config) / "en-GB" / ARTICLES[1] / "index.html"))}
    assert "de" not in warning


def test_canonical_description_and_open_graph(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    for path in _pages(config):
        tree = parse(path)
        own = page_url(config.base_url, site, path)
        assert tree.xpath('//head/link[@rel="canonical"]/@href') == [own], path
        assert meta(tree, "property", "og:url") == [own], path
        description = meta(tree, "name", "description")
        assert len(description) == 1 and description[0].strip(), path
        assert meta(tree, "property", "og:description") == description, path
        title = " ".join(meta(tree, "property", "og:title")[0].split())
        assert title in _text(tree.find(".//title")), path
        og_locale = meta(tree, "property", "og:locale")[0]
        assert og_locale.split("_")[0] == tree.get("lang").split("-")[0], path
        for url in tree.xpath("//head/link/@href"):
            assert url.startswith(config.base_url) or not re.match(r"\w+:", url), url


def test_article_meta_come_from_the_translated_summary(built_example: Built) -> None:
    config, _ = built_example
    for lang in ("en-GB", "es", "ar", "zh-Hans", "de"):
        tree = parse(_site(config) / lang / "back-pain-and-headaches" / "index.html")
        summary = _text(tree.find_class("summary")[0])
        assert [" ".join(d.split()) for d in meta(tree, "name", "description")] == [summary]
        assert [" ".join(t.split()) for t in meta(tree, "property", "og:title")] == [
            _text(tree.find(".//h1"))]
        assert meta(tree, "property", "og:type") == ["article"]
    zh = parse(_site(config) / "zh-Hans" / "back-pain-and-headaches" / "index.html")
    assert meta(zh, "property", "og:locale") == ["zh_CN"]
    assert "ar_SA" in meta(zh, "property", "og:locale:alternate")


def _switcher(tree: Any) -> list[Any]:
    return list(tree.xpath('//nav[contains(@class, "language-switcher")]//a'))


@pytest.mark.parametrize("article", ARTICLES)
def test_switcher_offers_every_site_language(built_example: Built, article: str) -> None:
    """The page's own versions link each other; a language without this page stays in the
    switcher and links its language index (a reader who came from there can go back)."""
    config, report = built_example
    site = _site(config)
    published = _published(report)
    locales = [lo for lo in config.all_locales if (article, lo) in published]
    languages = [lo for lo in config.all_locales if any((a, lo) in published for a in ARTICLES)]
    for locale in locales:
        path = site / locale_info(locale).bcp47 / article / "index.html"
        links = _switcher(parse(path))
        assert [a.get("lang") for a in links] == [locale_info(lo).bcp47 for lo in languages]
        assert [_text(a) for a in links] == [site_endonym(lo, config.all_locales) for lo in languages]
        for a, lo in zip(links, languages, strict=True):
            assert a.get("hreflang") == a.get("lang")
            assert a.get("dir") == locale_info(lo).direction
            assert (a.get("aria-current") == "page") == (lo == locale)
            target = resolve_link(config.build_dir, site, path, a.get("href"))
            assert target.is_file()
            expected = f"{article}/index.html" if lo in locales else "index.html"
            assert target == site / locale_info(lo).bcp47 / expected
    if article == "headache-warning-signs":  # not published in German: its switcher says so
        assert "de" in languages and "de" not in locales


def test_switcher_names_are_endonyms(built_example: Built) -> None:
    config, _ = built_example
    names = [_text(a) for a in _switcher(parse(_site(config) / "fr" / "index.html"))]
    assert names == ["English", "Español", "Français", "Deutsch", "العربية", "中文 (简体)"]


def test_root_page_lists_languages_and_redirects_nobody(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    path = site / "index.html"
    text = path.read_text(encoding="utf-8")
    assert "http-equiv" not in text.lower() and "<script" not in text.lower()
    items = parse(path).xpath('//ul[@class="language-list"]/li')
    assert [li.get("lang") for li in items] == ["en-GB", "es", "fr", "de", "ar", "zh-Hans"]
    assert _text(items[4].find_class("endonym")[0]) == "العربية" and items[4].get("dir") == "rtl"
    assert _text(items[3].find_class("tagline")[0]) != "Patient information leaflets"
    for li in items:
        assert resolve_link(config.build_dir, site, path, li.find("a").get("href")).is_file()


def test_language_index_lists_its_articles_with_leaflet_sizes(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    de = parse(site / "de" / "index.html")
    assert [a.get("href") for a in de.xpath("//ul[@class='article-list']//h2/a")] == [
        "back-pain-and-headaches/index.html", "../en-GB/headache-warning-signs/index.html",
        "posture-and-neck-strain/index.html"]
    other = de.xpath("//ul[@class='article-list']/li[@class='other-language']")
    assert len(other) == 1 and other[0].find(".//a").get("lang") == "en-GB"
    assert _text(other[0].find_class("available-in")[0]) == "Verfügbar auf Englisch"
    assert not other[0].xpath(".//a[@type='application/pdf']")
    path = site / "fr" / "index.html"
    fr = parse(path)
    items = fr.xpath("//ul[@class='article-list']/li")
    assert len(items) == 3
    for item in items:
        assert _text(item.find(".//p"))
        pdf = item.xpath(".//a[@type='application/pdf']")[0]
        target = resolve_link(config.build_dir, site, path, pdf.get("href"))
        assert target.is_file() and target.suffix == ".pdf"
        assert _text(pdf).endswith(" ".join(file_size(target.stat().st_size, "fr").split()))
        assert "ko" in _text(pdf)  # French for kilobytes


def test_not_found_pages_are_localized_and_not_indexed(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    headings = set()
    for path in [site / "404.html", *sorted(site.glob("*/404.html"))]:
        tree = parse(path)
        assert meta(tree, "name", "robots") == ["noindex"], path
        assert not tree.xpath('//link[@rel="canonical" or @rel="alternate"]'), path
        for href in tree.xpath("//a[not(starts-with(@href, '#'))]/@href | //link/@href"):
            assert href.startswith("/"), f"{path}: {href} must work at any address"
            assert resolve_link(config.build_dir, site, path, href).is_file(), href
        headings.add(_text(tree.find(".//h1")))
    assert len(headings) == 6  # one per language: translated
    assert _text(parse(site / "de" / "404.html").find(".//h1")) == "Seite nicht gefunden"


def test_fallback_segments_keep_the_source_language_and_a_notice(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    de = parse(site / "de" / "back-pain-and-headaches" / "index.html")
    fallbacks = de.find_class("pl-fallback")
    assert len(fallbacks) >= 3
    assert {f.get("lang") for f in fallbacks} == {"en-GB"}
    notice = de.find_class("notice-incomplete")
    assert len(notice) == 1 and ENGLISH_NOTICE not in _text(notice[0]) and _text(notice[0])
    for lang in ("en-GB", "es", "ar"):
        complete = parse(site / lang / "back-pain-and-headaches" / "index.html")
        assert not complete.find_class("pl-fallback") and not complete.find_class("notice-incomplete")


def test_sitemap_lists_every_page_with_its_alternates(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{{{NS['sm']}}}urlset"
    listed = {}
    for url in root.findall("sm:url", NS):
        loc = url.findtext("sm:loc", namespaces=NS)
        assert loc and loc not in listed
        links = {(link.get("hreflang"), link.get("href"))
                 for link in url.findall("xhtml:link", NS) if link.get("rel") == "alternate"}
        listed[loc] = links
        lastmod = url.findtext("sm:lastmod", namespaces=NS)
        assert lastmod is None or re.fullmatch(r"\d{4}-\d\d-\d\d", lastmod)
    pages = {page_url(config.base_url, site, p): p for p in _pages(config)}
    assert set(listed) == set(pages)
    for loc, links in listed.items():
        assert links == hreflang_set(parse(pages[loc])), loc
    assert not any(loc.endswith("404.html") for loc in listed)


def test_robots_txt_points_at_the_sitemap(built_example: Built) -> None:
    config, _ = built_example
    text = (_site(config) / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in text and "Disallow: /\n" not in text
    assert f"Sitemap: {config.base_url}sitemap.xml" in text.splitlines()


def test_no_scripts_no_external_resources(built_example: Built) -> None:
    config, _ = built_example
    site = _site(config)
    for path in html_files(site):
        tree = parse(path)
        assert not tree.xpath("//script | //iframe | //object | //embed"), path
        assert not [a for el in tree.iter() for a in el.attrib if a.startswith("on")], path
        for href in tree.xpath('//link[@rel="stylesheet"]/@href | //img/@src'):
            assert not re.match(r"(\w+:)?//", href), f"{path} loads {href}"
    css = (site / "assets" / "site.css").read_text(encoding="utf-8")
    assert not re.search(r"@import|@font-face|url\(", css)


def _css_declarations(css: str) -> str:
    return re.sub(r"/\*.*?\*/", "", css, flags=re.S)


def test_stylesheet_uses_logical_properties_only(built_example: Built) -> None:
    config, _ = built_example
    css = _css_declarations((_site(config) / "assets" / "site.css").read_text(encoding="utf-8"))
    css = re.sub(r"vertical-align:\s*top", "", css)  # the line box, not a side of the page
    physical = re.findall(r"[\w-]*\b(?:left|right|top|bottom)\b[\w-]*", css)
    assert physical == []
    assert "margin-inline" in css and "border-inline-start" in css and "inset-inline-start" in css
    printing = css[css.index("@media print"):]
    assert re.search(r"\.language-switcher[^{]*\{\s*display:\s*none", printing)


def test_fallback_direction_follows_the_source_language(built_example: Built) -> None:
    config, _ = built_example
    css = (_site(config) / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"\.pl-fallback \{ direction: ltr;", css)


def test_file_sizes_are_localized() -> None:
    assert file_size(43_400, "en") == "43 kB"
    assert file_size(43_400, "fr") == "43\u202fko"  # narrow no-break space, as CLDR says
    assert file_size(1_250_000, "de") == "1,2 MB"
    assert "كيلوبايت" in file_size(2_000, "ar")


def test_sitemap_xml_escapes_and_lists_alternates() -> None:
    group = PageGroup("a&b/", ("en", "zh-Hans"), "https://x.example/en/a&b/")
    urls = [SitemapUrl(group.url("https://x.example/", lang), group.alternates("https://x.example/"))
            for lang in group.langs]
    root = ET.fromstring(sitemap_xml(urls))
    locs = [u.findtext("sm:loc", namespaces=NS) for u in root.findall("sm:url", NS)]
    assert locs == ["https://x.example/en/a&b/", "https://x.example/zh-Hans/a&b/"]
    hreflangs = [link.get("hreflang") for link in root.findall("sm:url/xhtml:link", NS)]
    assert hreflangs == ["en", "zh-Hans", "x-default"] * 2
    assert PageGroup("", (), "https://x.example/").alternates("https://x.example/") == ()


def test_robots_txt_text() -> None:
    assert robots_txt("https://x.example/sub/").endswith("Sitemap: https://x.example/sub/sitemap.xml\n")
