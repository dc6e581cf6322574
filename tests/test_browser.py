"""The example site in a real browser: headless Chromium, axe-core, the Nu Html Checker, screenshots.

A local HTTP server on 127.0.0.1 serves the built example the way docs/publishers.md deploys it
(``build/site/`` at the root, ``build/leaflets/`` at ``/leaflets/``, the language's 404 page for a
missing address). Chromium (Debian's ``chromium`` + ``chromium-driver``, driven by Selenium)
loads every page; axe-core, injected from ``tests/browser/node_modules`` (no CDN), must report no
WCAG 2.2 AA violation; ``vnu.jar`` must report no error. These tools are installed by
``bash dev.sh test``; when one is missing the tests fail, naming the command: they never skip.

Screenshots (ar, zh-Hans, de pages, a phone-sized one, printed PDFs) are written to
``$POLYLEAF_SCREENSHOTS`` (default: a pytest temporary folder, printed in the test output).
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import threading
import unicodedata
import urllib.error
import urllib.request
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path
from typing import Any

import polib
import pytest
from PIL import Image
from pypdf import PdfReader
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

from polyleaf.catalog.project import load_project
from polyleaf.config import Config
from polyleaf.engine.build import BuildReport
from polyleaf.paths import po_path
from polyleaf.render.pages import render_article_page, render_site_files
from polyleaf.render.publication import decide
from tests.browser.pagefiles import NODE_MODULES, html_files

Built = tuple[Config, BuildReport]
CHROMIUM = Path(os.environ.get("POLYLEAF_CHROMIUM", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("POLYLEAF_CHROMEDRIVER", "/usr/bin/chromedriver"))
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--window-size=1280,1000"]
INSTALL = "run 'bash dev.sh test' (it installs chromium, chromium-driver, a Java runtime and npm judges)"


def _require(path: Path | None, what: str) -> Path:
    if path is None or not path.exists():
        pytest.fail(f"{what} is missing ({path}): {INSTALL}", pytrace=False)
    return path


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves build/site at /, build/leaflets at /leaflets/, and 404 pages as a web server would."""

    build: Path

    def translate_path(self, path: str) -> str:
        path = path.split("?", 1)[0].split("#", 1)[0]
        if path.startswith("/leaflets/"):
            return str(self.build / path.lstrip("/"))
        return str(self.build / "site" / path.lstrip("/"))

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        site = self.build / "site"
        first = self.path.lstrip("/").split("/", 1)[0]
        page = site / first / "404.html" if first and (site / first / "404.html").is_file() \
            else site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def server(built_example: Built) -> Iterator[str]:
    """The built example on http://127.0.0.1:<free port>/."""
    config, _ = built_example
    handler = type("Handler", (SiteHandler,), {"build": config.build_dir})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Headless Chromium with a fresh profile."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(_require(CHROMIUM, "Chromium (Debian package chromium)"))
    for flag in [*CHROMIUM_FLAGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    service = Service(str(_require(CHROMEDRIVER, "chromedriver (Debian package chromium-driver)")))
    browser = webdriver.Chrome(options=options, service=service)
    browser.set_script_timeout(60)
    yield browser
    browser.quit()


@pytest.fixture(scope="module")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where screenshots go: $POLYLEAF_SCREENSHOTS or a temporary folder."""
    folder = Path(os.environ.get("POLYLEAF_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


def _site_paths(config: Config) -> list[str]:
    site = config.build_dir / "site"
    return [p.relative_to(site).as_posix().removesuffix("index.html") for p in html_files(site)]


AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {runOnly: {type: "tag", values: arguments[0]}, resultTypes: ["violations"]})
  .then(r => done(r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => n.target.join(" ") + ": " + n.failureSummary)}))))
  .catch(e => done([{id: "axe-error", help: String(e), nodes: []}]));
"""
IMAGES = """
return [...document.querySelectorAll("main img")].map(i => ({src: i.src, width: i.naturalWidth}));
"""
RESOURCES = """
return [document.URL, ...performance.getEntriesByType("resource").map(e => e.name)];
"""


@pytest.fixture(scope="module")
def page_reports(built_example: Built, server: str, driver: webdriver.Chrome) -> dict[str, Any]:
    """Every page loaded once: axe violations, resources it loaded, browser console problems."""
    config, _ = built_example
    axe = _require(AXE, "axe-core (npm, tests/browser/node_modules)").read_text(encoding="utf-8")
    reports: dict[str, Any] = {}
    for path in _site_paths(config):
        driver.get(server + path)
        driver.execute_script(axe)
        violations = driver.execute_async_script(AXE_RUN, WCAG_TAGS)
        resources = driver.execute_script(RESOURCES)
        styled = driver.execute_script("return document.styleSheets[0].cssRules.length")
        shown = driver.execute_script(IMAGES)
        assert all(image["width"] > 0 for image in shown), f"{path}: an image did not load"
        console = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        reports[path] = {"violations": violations, "resources": resources, "console": console,
                         "css_rules": styled, "images": [i["src"].removeprefix(server)
                                                         for i in shown]}
    return reports


def test_axe_finds_no_wcag_violation_on_any_page(page_reports: dict[str, Any]) -> None:
    assert len(page_reports) >= 30
    found = {path: r["violations"] for path, r in page_reports.items() if r["violations"]}
    assert found == {}, json.dumps(found, ensure_ascii=False, indent=1)


def test_pages_load_nothing_from_elsewhere_and_nothing_breaks(page_reports: dict[str, Any],
                                                             server: str) -> None:
    for path, report in page_reports.items():
        assert [url for url in report["resources"] if not url.startswith(server)] == [], path
        loaded = {url.removeprefix(server) for url in report["resources"][1:]}
        images = {url for url in loaded if url.startswith("images/")}
        assert loaded - images <= {"assets/site.css", "assets/favicon.svg"}, path
        assert images == set(report["images"]), path  # the page's own images, nothing else
        assert "assets/site.css" in loaded, path
        assert report["console"] == [], path
        assert report["css_rules"] > 20, f"{path}: the stylesheet did not load"


def test_nu_html_checker_finds_no_error(built_example: Built) -> None:
    config, _ = built_example
    java = _require(Path(shutil.which("java") or "/usr/bin/java"), "Java (default-jre-headless)")
    files = [str(p) for p in html_files(config.build_dir / "site")]
    css = str(config.build_dir / "site" / "assets" / "site.css")
    result = subprocess.run(
        [str(java), "-jar", str(_require(VNU, "vnu.jar (npm vnu-jar)")), "--errors-only",
         "--also-check-css", "--format", "json", *files, css],
        capture_output=True, text=True, timeout=300, check=False)
    report = json.loads(result.stderr or result.stdout)
    assert len(files) >= 30
    assert report["messages"] == [], json.dumps(report["messages"], ensure_ascii=False, indent=1)
    assert result.returncode == 0


TEXT_EXTENT = """
const main = document.querySelector("main").getBoundingClientRect();
const pad = parseFloat(getComputedStyle(document.querySelector("main")).paddingInlineStart);
const range = document.createRange();
range.selectNodeContents(document.querySelector("h1"));
const text = range.getBoundingClientRect();
const name = document.querySelector(".site-name").getBoundingClientRect();
const nav = document.querySelector(".language-switcher").getBoundingClientRect();
const callout = getComputedStyle(document.querySelector(".callout"));
return {start: main.left + pad, end: main.right - pad, textLeft: text.left, textRight: text.right,
        nameLeft: name.left, navLeft: nav.left, calloutLeft: callout.borderLeftWidth,
        calloutRight: callout.borderRightWidth, direction: getComputedStyle(document.body).direction};
"""


def test_right_to_left_layout_is_mirrored(server: str, driver: webdriver.Chrome) -> None:
    driver.get(server + "ar/back-pain-and-headaches/")
    ar = driver.execute_script(TEXT_EXTENT)
    driver.get(server + "en-GB/back-pain-and-headaches/")
    en = driver.execute_script(TEXT_EXTENT)
    assert ar["direction"] == "rtl" and en["direction"] == "ltr"
    assert abs(ar["textRight"] - ar["end"]) < 2 and ar["textLeft"] > ar["start"] + 50
    assert abs(en["textLeft"] - en["start"]) < 2 and en["textRight"] < en["end"] - 50
    assert ar["nameLeft"] > ar["navLeft"] and en["nameLeft"] < en["navLeft"]
    assert (ar["calloutRight"], ar["calloutLeft"]) == (en["calloutLeft"], en["calloutRight"])
    assert ar["calloutRight"] == "6px"


def _fonts(driver: webdriver.Chrome, selector: str) -> list[str]:
    """The fonts Chromium really drew ``selector``'s text with (DevTools protocol)."""
    driver.execute_cdp_cmd("DOM.enable", {})
    driver.execute_cdp_cmd("CSS.enable", {})
    document = driver.execute_cdp_cmd("DOM.getDocument", {})
    node = driver.execute_cdp_cmd("DOM.querySelector", {"nodeId": document["root"]["nodeId"],
                                                        "selector": selector})
    fonts = driver.execute_cdp_cmd("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})
    return [f["familyName"] for f in fonts["fonts"]]


@pytest.mark.parametrize(("page", "selector", "family"), [
    ("ar/back-pain-and-headaches/", "h1", "Noto Sans Arabic"),
    ("zh-Hans/back-pain-and-headaches/", "h1", "Noto Sans CJK SC"),
    ("zh-Hans/back-pain-and-headaches/", ".language-switcher a[lang=ar]", "Noto Sans Arabic"),
    ("de/back-pain-and-headaches/", "h1", "Noto Sans"),
])
def test_each_script_is_drawn_with_its_font(server: str, driver: webdriver.Chrome, page: str,
                                            selector: str, family: str) -> None:
    driver.get(server + page)
    assert _fonts(driver, selector) == [family]


FALLBACK = """
const el = document.querySelector(".pl-fallback");
const mark = getComputedStyle(el, "::before");
return {lang: el.lang, border: getComputedStyle(el).borderInlineStartStyle, mark: mark.display,
        width: parseFloat(mark.width), direction: getComputedStyle(el).direction,
        notice: document.querySelector(".notice-incomplete").innerText};
"""


def test_fallback_segments_are_marked_in_the_browser(server: str, driver: webdriver.Chrome) -> None:
    driver.get(server + "de/back-pain-and-headaches/")
    found = driver.execute_script(FALLBACK)
    assert found["lang"] == "en-GB" and found["direction"] == "ltr"
    assert found["border"] == "dotted" and found["mark"] == "inline-block" and found["width"] > 5
    assert found["notice"].startswith("Ein Teil dieser Seite")


PRINTED = """
const shown = s => getComputedStyle(document.querySelector(s)).display !== "none";
return {switcher: shown(".language-switcher"), leaflets: shown(".leaflet-links"),
        online: shown(".print-only"), skip: shown(".skip-link")};
"""


def test_print_stylesheet(server: str, driver: webdriver.Chrome, screenshots: Path) -> None:
    driver.get(server + "es/back-pain-and-headaches/")
    assert driver.execute_script(PRINTED) == {"switcher": True, "leaflets": True, "online": False,
                                              "skip": True}
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        assert driver.execute_script(PRINTED) == {"switcher": False, "leaflets": False,
                                                  "online": True, "skip": False}
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
    for page in ("es/back-pain-and-headaches/", "ar/back-pain-and-headaches/"):
        driver.get(server + page)
        pdf = base64.b64decode(driver.print_page())
        (screenshots / f"print-{page.split('/')[0]}.pdf").write_bytes(pdf)
        pages = PdfReader(BytesIO(pdf)).pages
        text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages))
        assert f"https://leaflets.example.org/{page}" in "".join(text.split()) and len(pages) >= 2


def test_missing_address_gets_the_localized_404(server: str, driver: webdriver.Chrome) -> None:
    with pytest.raises(urllib.error.HTTPError) as answer:
        urllib.request.urlopen(server + "de/no-such-leaflet/deeper/", timeout=10)
    assert answer.value.code == 404
    assert "Seite nicht gefunden" in answer.value.read().decode("utf-8")
    driver.get(server + "de/no-such-leaflet/deeper/")
    assert driver.execute_script("return document.styleSheets[0].cssRules.length") > 20
    assert driver.find_element("css selector", "h1").text == "Seite nicht gefunden"


SHOTS = [("ar/back-pain-and-headaches/", 1280), ("zh-Hans/back-pain-and-headaches/", 1280),
         ("de/back-pain-and-headaches/", 1280), ("ar/", 1280), ("", 1280), ("de/", 1280),
         ("ar/back-pain-and-headaches/", 390), ("zh-Hans/404.html", 390),
         ("ar/headache-warning-signs/", 390)]
IMAGE_PAGES = ("en-GB/headache-warning-signs/", "ar/headache-warning-signs/",
               "zh-Hans/headache-warning-signs/")


def test_images_show_in_each_language_from_the_server_and_from_disk(
        built_example: Built, server: str, driver: webdriver.Chrome, screenshots: Path) -> None:
    """The diary image: each language's own copy, loaded; screenshots scrolled to it."""
    config, _ = built_example
    site = config.build_dir / "site"
    seen = set()
    for page in IMAGE_PAGES:
        for url in (server + page, (site / page / "index.html").as_uri()):
            driver.get(url)
            shown = driver.execute_script(IMAGES)
            assert len(shown) == 1 and shown[0]["width"] > 500, url
            seen.add(shown[0]["src"].rsplit("/", 1)[1])
        driver.execute_script("document.querySelector('main img').scrollIntoView({block: 'center'})")
        name = f"image-{page.split('/')[0]}.png"
        (screenshots / name).write_bytes(base64.b64decode(driver.get_screenshot_as_base64()))
    assert len(seen) == 3  # en, ar and zh-Hans each show their own copy, served or from disk
    assert {name.split(".")[1] for name in seen} >= {"ar", "zh_Hans"}


def test_the_site_opened_from_disk_can_be_browsed(built_example: Built,
                                                  driver: webdriver.Chrome) -> None:
    """build/site/index.html -> a language -> an article -> its leaflet, all from file: URLs."""
    config, _ = built_example
    driver.get((config.build_dir / "site" / "index.html").as_uri())
    driver.find_element("css selector", ".language-list a[hreflang='es']").click()
    assert driver.find_element("css selector", "h1").text  # a page, not a directory listing
    driver.find_element("css selector", ".article-list h2 a").click()
    assert driver.current_url.endswith("/es/back-pain-and-headaches/index.html")
    styled = "return getComputedStyle(document.querySelector('main')).maxInlineSize"
    assert driver.execute_script(styled) != "none"  # the stylesheet loaded (site.css: 44rem)
    pdf = driver.find_element("css selector", "a[type='application/pdf']").get_attribute("href")
    assert pdf is not None and Path(pdf.removeprefix("file://")).is_file()


def test_screenshots(server: str, driver: webdriver.Chrome, screenshots: Path) -> None:
    for page, width in SHOTS:
        height = 2400 if width > 500 else 1600
        driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 500})
        try:
            driver.get(server + page)
            png = base64.b64decode(driver.execute_cdp_cmd("Page.captureScreenshot",
                                                          {"format": "png"})["data"])
            overflow = driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        finally:
            driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
        name = (page.replace("/", "_").removesuffix("_") or "root") + f"-{width}.png"
        (screenshots / name).write_bytes(png)
        image = Image.open(BytesIO(png)).convert("L")
        assert image.size == (width, height)
        dark = sum(image.histogram()[:100])
        assert dark > 1000, f"{name}: nothing drawn"
        assert overflow == 0, f"{name}: the page scrolls sideways"


RTL_FALLBACK = """
const shown = [...document.querySelectorAll(".pl-fallback")].map(el => ({
  tag: el.tagName, lang: el.lang, direction: getComputedStyle(el).direction,
  bullet: getComputedStyle(el).listStylePosition}));
return {shown, notice: document.querySelector(".notice-incomplete").innerText,
        page: getComputedStyle(document.body).direction};
"""


def test_fallback_in_a_right_to_left_page(example: Config, driver: webdriver.Chrome,
                                         screenshots: Path) -> None:
    """English segments left untranslated in an Arabic page stay left-to-right and marked."""
    po = po_path(example, "ar", "back-pain-and-headaches")
    catalog = polib.pofile(str(po))
    for entry in catalog:
        if entry.msgid.startswith(("a slipped disc", "Some other conditions")):
            entry.msgstr = ""
    catalog.save(str(po))
    project = load_project(example)
    published = decide(project)
    article = next(a for a in project.sources.articles if a.id == "back-pain-and-headaches")
    page = example.build_dir / "site" / "ar" / article.id / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(render_article_page(project, article, "ar", published), encoding="utf-8")
    css = example.build_dir / "site" / "assets" / "site.css"
    css.parent.mkdir(parents=True)
    css.write_text(render_site_files(project, published)["assets/site.css"], encoding="utf-8")
    driver.get(page.as_uri())
    found = driver.execute_script(RTL_FALLBACK)
    assert found["page"] == "rtl" and found["notice"].startswith("لم تُترجَم")
    assert {(f["tag"], f["lang"], f["direction"], f["bullet"]) for f in found["shown"]} == {
        ("LI", "en-GB", "ltr", "inside"), ("P", "en-GB", "ltr", "outside")}
    driver.execute_script(AXE.read_text(encoding="utf-8"))
    assert driver.execute_async_script(AXE_RUN, WCAG_TAGS) == []
    driver.save_screenshot(str(screenshots / "ar-with-fallbacks-1280.png"))
