"""Bad input through the command line: a clear diagnostic, the right exit code, the rest builds.

Every case breaks one file of a copy of the example project, runs the ``polyleaf`` CLI, and checks
the one-line diagnostic (``path:line: level: code: message (hint: ...)``), the exit code, that no
traceback escaped, and that every page not fed by the broken file is still built. Most builds
here are HTML-only (``variants = []``) to keep the suite fast; one test builds leaflets too.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import polib
import pytest
from click.testing import CliRunner, Result

from polyleaf.catalog import pofile
from polyleaf.catalog.reading import read_catalog
from polyleaf.cli import main
from polyleaf.config import Config
from tests.conftest import copy_project

PO = "locales/es/LC_MESSAGES/back-pain-and-headaches.po"
SITE_AR = "locales/ar/LC_MESSAGES/site.po"
SRC = "source/posture-and-neck-strain.md"
MSGFMT = shutil.which("msgfmt")
_DIAGNOSTIC = re.compile(r"^(?P<path>[^\s:]+?)(?::(?P<line>\d+))?: (?P<level>error|warning|info): "
                         r"(?P<code>[\w.-]+): (?P<message>.*?)(?: \(hint: (?P<hint>.+)\))?$")


@dataclass(frozen=True)
class Found:
    """One diagnostic line parsed back from the CLI's output."""

    path: str
    line: int
    level: str
    code: str
    message: str
    hint: str


def diagnostics(result: Result, stream: str = "stderr") -> list[Found]:
    """Every diagnostic line on ``stream`` ("stderr", or "output" for both; other lines are
    progress or summaries)."""
    found = []
    for text in getattr(result, stream).splitlines():
        if match := _DIAGNOSTIC.match(text):
            found.append(Found(match["path"], int(match["line"] or 0), match["level"],
                               match["code"], match["message"], match["hint"] or ""))
    return found


def the(result: Result, code: str, stream: str = "stderr") -> Found:
    """The single diagnostic with ``code`` (said once, with a hint); no traceback anywhere."""
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    matching = [d for d in diagnostics(result, stream) if d.code == code]
    assert len(matching) == 1, result.stderr
    assert matching[0].hint, f"no hint: {matching[0]}"
    return matching[0]


def cli(root: Path, *args: str) -> Result:
    """Run ``polyleaf -C root ARGS`` in-process."""
    return CliRunner().invoke(main, ["-C", str(root), *args])


def build(root: Path) -> Result:
    """A quiet serial build (the process pool adds nothing to these checks)."""
    return cli(root, "build", "--executor", "serial", "-q")


def configure(root: Path, variants: str = "[]", locales: str | None = None) -> Path:
    """Set the copy's leaflet variants (default: none, HTML-only) and optionally its locales."""
    toml = root / "polyleaf.toml"
    text = re.sub(r"(?m)^variants = .*$", f"variants = {variants}", toml.read_text("utf-8"))
    if locales is not None:
        text = re.sub(r"(?m)^locales = .*$", f"locales = {locales}", text)
    toml.write_text(text, encoding="utf-8")
    return root


html_only = configure


def pages(root: Path) -> frozenset[str]:
    """``<bcp47>/<article>`` for every article page in build/site."""
    site = root / "build" / "site"
    return frozenset(p.parent.relative_to(site).as_posix() for p in site.glob("*/*/index.html"))


def latin1_safe(text: str) -> str:
    """The catalog without its ``#. Terminology:`` lines, whose arrow Latin-1 cannot encode."""
    return "".join(line for line in text.splitlines(keepends=True)
                   if not line.startswith("#. Terminology:"))


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line starting with ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith(needle))


def line_with(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(text.splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> frozenset[str]:
    """The article pages the unbroken example builds (German warning signs is held back)."""
    root = html_only(copy_project(tmp_path_factory.mktemp("baseline") / "project"))
    result = build(root)
    assert result.exit_code == 0, result.output
    return pages(root)


@pytest.fixture
def project(example: Config) -> Path:
    """A fresh HTML-only copy of the example project."""
    return html_only(example.root)


# ------------------------------------------------------------------------------------ .po files

def _first_msgid(text: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1)
                if line.startswith('msgid "') and line != 'msgid ""')


def _edit_line(text: str, number: int, change: Callable[[str], str]) -> str:
    lines = text.split("\n")
    lines[number - 1] = change(lines[number - 1])
    return "\n".join(lines)


def _duplicate(text: str) -> tuple[bytes, int]:
    """Append a copy of the fourth entry; the copy's msgid line is the duplicate's line."""
    head = text.rstrip("\n") + "\n\n"
    copy = text.split("\n\n")[3].strip("\n")
    return (head + copy + "\n").encode(), head.count("\n") + 1 + line_of(copy, "msgid") - 1


def _mo(text: str) -> bytes:
    catalog = polib.pofile(text)
    return bytes(catalog.to_binary())


PO_REFUSED: dict[str, tuple[Callable[[str], tuple[bytes, int]], str, str]] = {
    # name: (make broken bytes and the expected line, code, a word the message or hint holds)
    "syntax error": (lambda t: (_edit_line(t, _first_msgid(t), lambda s: s + "\nnonsense here")
                                .encode(), _first_msgid(t) + 1), "po.syntax", "neither a keyword"),
    "unterminated string": (lambda t: (_edit_line(t, _first_msgid(t), lambda s: s[:-1]).encode(),
                                       _first_msgid(t)), "po.unterminated", "unterminated"),
    "bad escape": (lambda t: (_edit_line(t, _first_msgid(t), lambda s: s[:-1] + '\\q"').encode(),
                              _first_msgid(t)), "po.bad-escape", "\\q"),
    "duplicate msgid": (_duplicate, "po.duplicate", "first at line"),
    "latin-1 bytes declared UTF-8": (lambda t: (latin1_safe(t).encode("latin-1"),
                                               line_of(latin1_safe(t), "msgstr \"Dolor")),
                                     "po.encoding", "UTF-8"),
    "empty file": (lambda t: (b"", 1), "po.empty", "polyleaf update"),
    "blank file": (lambda t: (b"\n  \n\n", 1), "po.empty", "polyleaf update"),
    "binary garbage": (lambda t: (bytes(range(256)) * 16, 1), "po.binary", "binary"),
    "utf-16": (lambda t: (t.encode("utf-16"), 1), "po.encoding", "UTF-16"),
    "a .mo where the .po belongs": (lambda t: (_mo(t), 1), "po.binary", ".mo"),
    "crlf with a syntax error": (lambda t: (_edit_line(t, _first_msgid(t), lambda s: s + "\nbad")
                                            .replace("\n", "\r\n").encode(), _first_msgid(t) + 1),
                                 "po.syntax", "neither a keyword"),
}


@pytest.mark.parametrize("case", sorted(PO_REFUSED))
def test_a_broken_catalog_is_reported_and_skipped_and_never_overwritten(
        project: Path, baseline: frozenset[str], case: str) -> None:
    make, code, code_word = PO_REFUSED[case]
    data, expected_line = make((project / PO).read_text(encoding="utf-8"))
    (project / PO).write_bytes(data)
    result = build(project)
    found = the(result, code)
    assert (found.path, found.line, found.level) == (PO, expected_line, "error")
    assert code_word in found.message + found.hint
    assert result.exit_code == 1
    assert pages(project) == baseline - {"es/back-pain-and-headaches"}
    update = cli(project, "update")
    assert update.exit_code == 1 and the(update, code).line == expected_line
    assert (project / PO).read_bytes() == data, "update must not touch a catalog it cannot read"


@pytest.mark.parametrize("case", ["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_catalogs_are_read_normally(project: Path, baseline: frozenset[str],
                                                 case: str) -> None:
    data = (project / PO).read_bytes()
    if "crlf" in case:
        data = data.replace(b"\n", b"\r\n")
    if "bom" in case:
        data = b"\xef\xbb\xbf" + data
    (project / PO).write_bytes(data)
    result = build(project)
    assert result.exit_code == 0, result.stderr
    assert diagnostics(result) == []
    assert pages(project) == baseline


def test_a_latin1_catalog_is_read_right_and_update_converts_it_to_utf8(
        project: Path, baseline: frozenset[str]) -> None:
    """Decision: a catalog in the charset its header declares is read, not refused."""
    utf8 = latin1_safe((project / PO).read_text(encoding="utf-8"))
    before = read_catalog(project / PO, PO)
    latin1 = utf8.replace("charset=UTF-8", "charset=ISO-8859-1").encode("latin-1")
    (project / PO).write_bytes(latin1)
    result = build(project)
    assert result.exit_code == 0 and diagnostics(result) == [], result.stderr
    assert pages(project) == baseline
    page = (project / "build/site/es/back-pain-and-headaches/index.html").read_text("utf-8")
    assert "<h1>Dolor de espalda y dolor de cabeza: cómo están relacionados</h1>" in page
    update = cli(project, "update")
    assert update.exit_code == 0, update.output
    text = (project / PO).read_bytes().decode("utf-8")  # now UTF-8 ...
    after = pofile.parse(text)
    assert "charset=UTF-8" in after.header_value("Content-Type")  # ... and says so
    assert [(e.key, e.msgstr) for e in after.entries] == [(e.key, e.msgstr) for e in before.entries]
    if MSGFMT:  # GNU gettext as an external judge when installed (dev.sh installs it)
        check = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(project / PO)],
                               capture_output=True, text=True)
        assert check.returncode == 0, check.stderr


def _without_plural_forms(path: Path) -> None:
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    header = tuple(kv for kv in catalog.header if kv[0] != "Plural-Forms")
    path.write_text(pofile.serialize(replace(catalog, header=header)), encoding="utf-8")


def _with_plural_forms(path: Path, value: str) -> None:
    catalog = pofile.parse(path.read_text(encoding="utf-8"))
    path.write_text(pofile.serialize(catalog.with_header(Plural_Forms=value)), encoding="utf-8")


REFERENCE_ES = "nplurals=2; plural=(n != 1);"
CLDR_ES = "nplurals=3; plural=(n == 1 ? 0 : n != 0 && n % 1000000 == 0 ? 1 : 2);"


@pytest.mark.parametrize(("case", "value", "level", "exit_code"), [
    ("missing", None, "error", 1),
    ("malformed", "nplurals=x; plural=n;", "error", 1),
    ("zero-forms", "nplurals=0; plural=0;", "error", 1),
    ("garbage-formula", "nplurals=2; plural=n +* ;", "error", 1),
    ("out-of-range", "nplurals=2; plural=n;", "error", 1),
    ("huge-count", "nplurals=4000000000; plural=0;", "error", 1),
    ("cldr", CLDR_ES, "warning", 0),
])
def test_missing_invalid_or_other_plural_forms_is_reported_by_check(
        project: Path, baseline: frozenset[str], case: str, value: str | None, level: str,
        exit_code: int) -> None:
    if value is None:
        _without_plural_forms(project / PO)
    else:
        _with_plural_forms(project / PO, value)
    check = cli(project, "check", "--locale", "es")
    found = [d for d in _stdout_diagnostics(check) if d.code == "po.plural-forms"]
    assert [(d.path, d.line, d.level) for d in found] == [(PO, 1, level)]
    assert REFERENCE_ES in found[0].message + found[0].hint  # what to use instead
    if case == "cldr":  # a disagreement names both formulas
        assert CLDR_ES in found[0].message and REFERENCE_ES in found[0].message
    assert check.exit_code == exit_code
    result = build(project)  # QA and the build apply one rule: the catalog's, else the reference
    assert result.exit_code == 0, result.stderr
    assert pages(project) == baseline


def _stdout_diagnostics(result: Result) -> list[Found]:
    return [Found(m["path"], int(m["line"] or 0), m["level"], m["code"], m["message"],
                  m["hint"] or "") for line in result.stdout.splitlines()
            if (m := _DIAGNOSTIC.match(line))]


PLURAL_SNIPPET = ('<p class="count">{% trans count=articles|length %}{{ count }} leaflet'
                  '{% pluralize %}{{ count }} leaflets{% endtrans %}</p>\n')


def test_plural_count_mismatch_is_an_error_and_falls_back(project: Path) -> None:
    index = project / "templates" / "index.html"
    index.write_text(index.read_text(encoding="utf-8").replace(
        "{% block main %}\n", "{% block main %}\n" + PLURAL_SNIPPET, 1), encoding="utf-8")
    assert cli(project, "update").exit_code == 0
    forms = {"ar": ("%(count)s نشرة", "%(count)s نشرات"),  # Arabic has 6 forms: 2 is wrong
             "es": ("%(count)s folleto", "%(count)s folletos")}
    for locale, plural in forms.items():
        path = project / f"locales/{locale}/LC_MESSAGES/site.po"
        catalog = pofile.parse(path.read_text(encoding="utf-8"))
        entries = tuple(replace(e, msgstr_plural=plural) if e.msgid_plural else e
                        for e in catalog.entries)
        path.write_text(pofile.serialize(replace(catalog, entries=entries)), encoding="utf-8")
    check = cli(project, "check", "--locale", "ar", "--locale", "es")
    found = [d for d in _stdout_diagnostics(check) if d.code == "qa.plurals"]
    text = (project / SITE_AR).read_text(encoding="utf-8")
    assert [(d.path, d.line, d.level) for d in found] == [
        (SITE_AR, line_of(text, 'msgid "%(count)s leaflet"'), "error")]
    assert "2 plural forms" in found[0].message and found[0].hint
    assert check.exit_code == 1
    assert build(project).exit_code == 0
    ar = (project / "build/site/ar/index.html").read_text(encoding="utf-8")
    es = (project / "build/site/es/index.html").read_text(encoding="utf-8")
    assert '<p class="count">3 leaflets</p>' in ar  # unusable: the source text, not a wrong form
    assert '<p class="count">3 folletos</p>' in es


def test_a_broken_catalog_does_not_stop_the_other_leaflets(example: Config) -> None:
    """The same isolation with PDF leaflets on (two target locales to keep it quick)."""
    root = configure(example.root, '["a4"]', '["es", "fr"]')
    (root / PO).write_bytes(b"")
    result = cli(root, "build", "-q")
    assert result.exit_code == 1 and the(result, "po.empty").path == PO
    leaflets = {p.relative_to(root / "build/leaflets").as_posix()
                for p in (root / "build/leaflets").rglob("*.pdf")}
    articles = ("back-pain-and-headaches", "headache-warning-signs", "posture-and-neck-strain")
    expected = {f"{lang}/{a}-a4.pdf" for lang in ("en-GB", "es", "fr") for a in articles}
    assert leaflets == expected - {"es/back-pain-and-headaches-a4.pdf"}


# -------------------------------------------------------------------------------------- sources

def _front(text: str, key: str, value: str | None) -> str:
    """Replace (or with None remove) one front-matter line."""
    line = f"{key}: {value}\n" if value is not None else ""
    return re.sub(rf"(?m)^{key}: .*\n", lambda _: line, text, count=1)


POSTURE = frozenset(f"{lang}/posture-and-neck-strain"
                    for lang in ("en-GB", "es", "fr", "de", "ar", "zh-Hans"))

def _first(prefix: str) -> Callable[[str], int]:
    return lambda text: line_of(text, prefix)


SOURCE_CASES: dict[str, tuple[Callable[[str], str], str, str, Callable[[str], int], int]] = {
    # name: (break the text, code, level, the expected line in the broken text, exit code)
    "invalid YAML front matter": (lambda t: _front(t, "version", "[1.0"), "source.front-matter",
                                  "error", lambda t: line_of(t, "version:") + 1, 1),
    "missing required field": (lambda t: _front(t, "summary", None), "source.missing-field",
                               "error", lambda t: 1, 1),
    "unknown field": (lambda t: t.replace("---\n", "---\ncolour: red\n", 1),
                      "source.unknown-field", "warning", _first("colour:"), 0),
    "bad date": (lambda t: _front(t, "reviewed", "2026-13-45"), "source.bad-date", "error",
                 _first("reviewed:"), 1),
    "impossible date": (lambda t: _front(t, "review_due", "2027-02-30"), "source.bad-date",
                        "error", _first("review_due:"), 1),
    "raw HTML": (lambda t: t.replace("\n## ", "\nSome <b>bold</b> and <i>more</i>.\n\n## ", 1),
                 "source.raw-html", "error", _first("Some <b>"), 1),
    "link to an unknown article id": (
        lambda t: t.replace("\n## ", "\nSee [this](posture-and-neck-strian).\n\n## ", 1),
        "source.unknown-article", "warning", _first("See [this]"), 0),
    "empty body": (lambda t: t[: t.index("\n---\n", 4) + 5], "source.empty-body", "error",
                   lambda t: t.count("\n") + 1, 1),
    "10 MB file": (lambda t: t + ("Lots of words in a very long article. " * 50 + "\n\n") * 5500,
                   "source.too-large", "error", lambda t: 1, 1),
}


@pytest.mark.parametrize("case", sorted(SOURCE_CASES))
def test_a_bad_source_is_reported_and_the_other_articles_build(
        project: Path, baseline: frozenset[str], case: str) -> None:
    change, code, level, expected_line, exit_code = SOURCE_CASES[case]
    text = change((project / SRC).read_text(encoding="utf-8"))
    (project / SRC).write_text(text, encoding="utf-8")
    result = build(project)
    found = the(result, code)
    assert (found.path, found.line, found.level) == (SRC, expected_line(text), level)
    assert result.exit_code == exit_code
    refused = level == "error"
    assert pages(project) == (baseline - POSTURE if refused else baseline)
    update = cli(project, "update")
    assert update.exit_code == exit_code
    if refused:
        assert "posture-and-neck-strain" not in update.stdout, "its catalogs are left alone"


def test_invalid_yaml_says_where_the_broken_value_starts(project: Path) -> None:
    text = _front((project / SRC).read_text(encoding="utf-8"), "version", "[1.0")
    (project / SRC).write_text(text, encoding="utf-8")
    found = the(build(project), "source.front-matter")
    assert f"starts on line {line_of(text, 'version:')}" in found.message


def test_unknown_article_link_suggests_the_close_id(project: Path) -> None:
    text = SOURCE_CASES["link to an unknown article id"][0](
        (project / SRC).read_text(encoding="utf-8"))
    (project / SRC).write_text(text, encoding="utf-8")
    found = the(build(project), "source.unknown-article")
    assert found.hint == "did you mean 'posture-and-neck-strain'?"


def test_a_duplicate_article_id_skips_the_second_file_only(project: Path,
                                                           baseline: frozenset[str]) -> None:
    shutil.copy(project / SRC, project / "source" / "zz-copy.md")
    result = build(project)
    found = the(result, "source.duplicate-id")
    text = (project / SRC).read_text(encoding="utf-8")
    assert (found.path, found.line, found.level) == ("source/zz-copy.md", line_of(text, "id:"),
                                                     "error")
    assert SRC in found.message
    assert result.exit_code == 1
    assert pages(project) == baseline


# --------------------------------------------------------------------------------------- config

CONFIG_CASES = {
    # name: (old, new, code, the config line's start, a hint fragment)
    "unknown locale code (case)": ('"zh_Hans"]', '"zh_Hans", "pt-br"]', "config.locale",
                                   "locales", "'pt_BR'"),
    "unknown locale code (typo)": ('"fr",', '"fre",', "config.locale", "locales", "'fr"),
    "unknown variant": ("variants = []", 'variants = ["a5"]', "config.variant", "variants",
                        "a4, letter"),
    "bad base_url": ("https://leaflets.example.org/", "leaflets.example.org", "config.base-url",
                     "base_url", "https://"),
    "missing templates dir": ("[organisation]", '[paths]\ntemplates = "gone"\n\n[organisation]',
                              "config.templates", "templates", "[paths] templates"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_CASES))
@pytest.mark.parametrize("command", ["build", "update", "extract"])
def test_a_config_mistake_stops_with_exit_2_and_writes_nothing(
        project: Path, case: str, command: str) -> None:
    old, new, code, key, hint = CONFIG_CASES[case]
    toml = project / "polyleaf.toml"
    assert old in toml.read_text(encoding="utf-8")
    text = toml.read_text(encoding="utf-8").replace(old, new, 1)
    toml.write_text(text, encoding="utf-8")
    catalogs = {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")}
    result = cli(project, command)
    found = the(result, code)
    assert (found.path, found.line, found.level) == (str(toml), line_of(text, key), "error")
    assert hint in found.hint
    assert result.exit_code == 2
    assert not (project / "build").exists()
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.po*")} == catalogs


# ------------------------------------------------------------------------------------ templates

def test_template_syntax_error_names_file_and_line_once(project: Path) -> None:
    article = project / "templates" / "article.html"
    text = article.read_text(encoding="utf-8")
    number = line_with(text, "{% if article.sources %}")
    article.write_text(text.replace("{% if article.sources %}", "{% if article.sources %%}", 1),
                       encoding="utf-8")
    result = build(project)
    found = the(result, "template.syntax")  # once, though every article page failed on it
    assert (found.path, found.line, found.level) == ("templates/article.html", number, "error")
    assert result.exit_code == 1
    assert pages(project) == frozenset()
    # Pages from other templates build; the language indexes list only pages that exist, so
    # with no article page there is no language index, and the root page lists no language.
    assert (project / "build/site/404.html").is_file(), "pages from other templates build"
    assert (project / "build/site/index.html").is_file()
    assert not (project / "build/site/es/index.html").exists()
    assert 'href="es/' not in (project / "build/site/index.html").read_text(encoding="utf-8")
    site_po = {p: p.read_bytes() for p in (project / "locales").rglob("site.po")}
    for command in ("extract", "update"):
        again = cli(project, command)
        assert again.exit_code == 1
        assert the(again, "template.syntax").line == number
    assert {p: p.read_bytes() for p in (project / "locales").rglob("site.po")} == site_po


def test_template_undefined_variable_is_a_clear_error(project: Path, baseline: frozenset[str]
                                                      ) -> None:
    article = project / "templates" / "article.html"
    assert "{{ article.title }}</h1>" in article.read_text(encoding="utf-8")
    text = article.read_text(encoding="utf-8").replace("{{ article.title }}</h1>",
                                                       "{{ article.titel }}</h1>", 1)
    article.write_text(text, encoding="utf-8")
    result = build(project)
    found = the(result, "template.undefined")
    assert (found.path, found.line) == ("templates/article.html", line_with(text, "article.titel"))
    assert "titel" in found.message
    assert result.exit_code == 1
    assert pages(project) == frozenset()
    assert (project / "build/site/index.html").is_file()


def test_leaflet_template_error_leaves_the_pages_alone(example: Config,
                                                       baseline: frozenset[str]) -> None:
    root = configure(example.root, '["a4"]')
    leaflet = root / "templates" / "leaflet.html"
    leaflet.write_text(leaflet.read_text(encoding="utf-8") + "{% endif %}\n", encoding="utf-8")
    result = cli(root, "build", "--executor", "serial", "-q")
    found = the(result, "template.syntax")
    assert found.path == "templates/leaflet.html"
    assert result.exit_code == 1
    assert not list((root / "build").rglob("*.pdf"))
    assert pages(root) == baseline
