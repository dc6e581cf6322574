"""Hostile and messy input through the CLI: nothing lost, nothing hangs, nothing leaks.

Each case is one a reviewer found (issue 14) or a sibling of it. Every test runs the real
commands on a copy of the example project and asserts: no traceback, a diagnostic with a stable
code and a hint, the user's files untouched where they could not be understood, and the rest of
the project still processed.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

import polib
import pytest
from click.testing import Result

from polyleaf.catalog.pofile import keyword_count, parse
from polyleaf.errors import Diagnostic, Level
from tests.test_bad_input import PO, Found, build, cli, diagnostics, latin1_safe, pages, the

SECRET = "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
ARTICLE = "source/back-pain-and-headaches.md"


def _everywhere(result: Result) -> list[Found]:
    """Diagnostics on stdout (check, lint report there) and stderr."""
    return diagnostics(result, "output")


def one(result: Result, code: str) -> Found:
    """The single diagnostic with ``code`` on either stream, with a hint; no traceback."""
    return the(result, code, "output")


def _translated(path: Path) -> int:
    return len(polib.pofile(str(path)).translated_entries())


@pytest.fixture
def project(example: object) -> Path:
    from tests.test_bad_input import html_only

    return html_only(example.root)  # type: ignore[attr-defined]


# ------------------------------------------------------------------ 1. data loss: line endings

@pytest.mark.parametrize("ending", ["\r", "\r\n", "mixed"])
def test_update_keeps_every_translation_whatever_the_line_endings(project: Path,
                                                                   ending: str) -> None:
    po = project / PO
    before = _translated(po)
    text = po.read_text(encoding="utf-8")
    if ending == "mixed":
        lines = text.split("\n")
        text = "".join(line + ("\r", "\r\n", "\n")[i % 3] for i, line in enumerate(lines))
    else:
        text = text.replace("\n", ending)
    po.write_bytes(text.encode("utf-8"))
    assert before > 20
    stats = cli(project, "stats", "--locale", "es", "--format", "json")
    assert stats.exit_code == 0 and '"translated": 0' not in stats.output
    result = cli(project, "update", "--locale", "es")
    assert result.exit_code == 0, result.output
    assert _translated(po) == before, "update lost translations"
    assert b"\r" not in po.read_bytes()  # rewritten with LF, as msgcat does


def test_a_reader_that_understands_less_refuses(project: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    text = (project / PO).read_text(encoding="utf-8")
    assert keyword_count(text) == len(parse(text).entries) + 1  # + the header
    from polyleaf.catalog import pofile

    understood = pofile._parse_blocks  # a reader that drops the first entry of each piece
    monkeypatch.setattr(pofile, "_parse_blocks",
                        lambda *args: (understood(*args)[0][1:], understood(*args)[1]))
    with pytest.raises(pofile.PoSyntaxError) as caught:
        pofile.parse(text)
    assert caught.value.code == "po.incomplete"
    assert caught.value.message.startswith(f"read {keyword_count(text) - 1} of the "
                                           f"{keyword_count(text)} entries")


# ------------------------------------------------------------------ 3. tracebacks: charsets

@pytest.mark.parametrize("charset", ["utf-7", "raw_unicode_escape", "utf-16-le", "x-no-such"])
def test_a_charset_po_files_may_not_use_is_refused_and_the_rest_still_runs(
        project: Path, charset: str) -> None:
    po = project / PO
    data = po.read_bytes().replace(b"charset=UTF-8", f"charset={charset}".encode())
    data = data.replace(b'msgstr "Dolor', b'msgstr "+2AA- Dolor', 1)
    po.write_bytes(data)
    update = cli(project, "update")
    assert one(update, "po.charset").path == PO and update.exit_code == 1
    assert po.read_bytes() == data, "a file that could not be read was rewritten"
    fr = project / PO.replace("/es/", "/fr/")
    assert b"charset=UTF-8" in fr.read_bytes()  # the other catalogs were processed
    result = build(project)
    assert one(result, "po.charset").path == PO
    assert (project / "build/site/sitemap.xml").is_file()
    assert "fr/back-pain-and-headaches" in pages(project)


def test_utf8_bytes_under_a_latin1_label_are_read_as_utf8_never_mojibake(project: Path) -> None:
    po = project / PO
    data = po.read_bytes().replace(b"charset=UTF-8", b"charset=ISO-8859-1")
    po.write_bytes(data)
    check = cli(project, "check", "--locale", "es")
    found = [d for d in _everywhere(check) if d.code == "po.charset-mismatch"]
    assert len(found) == 1 and found[0].level == "warning" and "ISO-8859-1" in found[0].message
    assert cli(project, "update", "--locale", "es").exit_code == 0
    text = po.read_text(encoding="utf-8")
    assert "charset=UTF-8" in text and "Ã" not in text
    assert "á" in text or "é" in text or "ó" in text


def test_a_legacy_charset_that_matches_its_bytes_is_converted_losslessly(project: Path) -> None:
    po = project / PO
    text = latin1_safe(po.read_text(encoding="utf-8")).replace("charset=UTF-8",
                                                              "charset=ISO-8859-1")
    translations = polib.pofile(po.read_text(encoding="utf-8")).translated_entries()
    po.write_bytes(text.encode("latin-1"))
    assert cli(project, "update", "--locale", "es").exit_code == 0
    after = {e.msgid: e.msgstr for e in polib.pofile(str(po)).translated_entries()}
    assert after == {e.msgid: e.msgstr for e in translations}


# ------------------------------------------------------------------ 3. tracebacks: disk

@pytest.mark.parametrize("code,errno_", [("fs.no-space", errno.ENOSPC),
                                         ("fs.permission", errno.EACCES),
                                         ("fs.read-only", errno.EROFS)])
def test_a_disk_error_is_a_diagnostic_and_leaves_files_intact(
        project: Path, monkeypatch: pytest.MonkeyPatch, code: str, errno_: int) -> None:
    import polyleaf.fsutil as fsutil

    assert build(project).exit_code == 0
    po = project / PO
    po.write_text(po.read_text(encoding="utf-8").replace("#, fuzzy\n", "", 1), encoding="utf-8")
    (project / ARTICLE).write_text((project / ARTICLE).read_text(encoding="utf-8")
                                   + "\nOne more paragraph.\n", encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.po")}
    index = (project / "build/site/index.html").read_bytes()

    def full(path: Path, write: object, durable: bool = True) -> None:
        raise OSError(errno_, os.strerror(errno_), str(path))

    monkeypatch.setattr(fsutil, "_replace", full)  # every writer: whole and streamed
    for args in (("update",), ("build", "--executor", "serial", "-q")):
        result = cli(project, *args)
        assert result.exit_code == 1, result.output
        assert ("Traceback" not in result.output and result.exception is None) or \
            isinstance(result.exception, SystemExit)
        found = [d for d in diagnostics(result) if d.code == code]
        assert found and all(d.hint for d in found), result.stderr
    assert {p: p.read_bytes() for p in before} == before
    assert (project / "build/site/index.html").read_bytes() == index


def test_an_id_too_long_for_a_file_name_is_a_source_error(project: Path) -> None:
    text = (project / ARTICLE).read_text(encoding="utf-8")
    (project / ARTICLE).write_text(text.replace("id: back-pain-and-headaches",
                                                "id: " + "a" * 300, 1), encoding="utf-8")
    for args in (("update",), ("build", "--executor", "serial", "-q"), ("lint",)):
        result = cli(project, *args)
        assert "Traceback" not in result.output
        assert any(d.code == "source.bad-id" and d.path == ARTICLE for d in diagnostics(result)
                   ) or any(f"{ARTICLE}:" in line and "source.bad-id" in line
                            for line in result.output.splitlines()), result.output


@pytest.mark.parametrize("bad", ['"back-pain\\n"', '"back-pain\\n\\u001b[31m"', '"Back-Pain"'])
def test_an_id_that_only_looks_like_a_slug_is_refused(project: Path, bad: str) -> None:
    text = (project / ARTICLE).read_text(encoding="utf-8")
    (project / ARTICLE).write_text(text.replace("id: back-pain-and-headaches", f"id: {bad}", 1),
                                   encoding="utf-8")
    result = build(project)
    found = one(result, "source.bad-id")
    assert found.path == ARTICLE and found.line == 2
    assert not any("\n" in p.name for p in (project / "build").rglob("*"))
    assert "\x1b" not in result.stderr


# ------------------------------------------------------------------ 4. leaks: links out

def _outside_secret(tmp_path: Path, content: str) -> Path:
    secret = tmp_path / "outside" / "credentials"
    secret.parent.mkdir()
    secret.write_text(content, encoding="utf-8")
    return secret


def test_a_po_linked_out_of_the_project_is_refused_unread(project: Path, tmp_path: Path) -> None:
    secret = _outside_secret(tmp_path, SECRET + "\n")
    (project / PO).unlink()
    (project / PO).symlink_to(secret)
    for args in (("check",), ("update",), ("stats",), ("build", "--executor", "serial", "-q")):
        result = cli(project, *args)
        assert SECRET[:12] not in result.output, args
        assert one(result, "fs.outside-project").path == PO
    assert secret.read_text(encoding="utf-8") == SECRET + "\n"


def test_a_valid_po_linked_from_outside_is_not_published(project: Path, tmp_path: Path) -> None:
    po = project / PO
    text = po.read_text(encoding="utf-8").replace('msgstr "Dolor', 'msgstr "FROM-OUTSIDE Dolor')
    outside = _outside_secret(tmp_path, text)
    po.unlink()
    po.symlink_to(outside)
    result = build(project)
    assert one(result, "fs.outside-project").path == PO
    site = project / "build" / "site"
    assert not any("FROM-OUTSIDE" in p.read_text(encoding="utf-8") for p in site.rglob("*.html"))


def test_sources_and_templates_linked_out_are_refused_unread(project: Path,
                                                             tmp_path: Path) -> None:
    secret = _outside_secret(tmp_path, f"---\nid: leak\ntitle: {SECRET}\n---\n{SECRET}\n")
    (project / "source" / "leak.md").symlink_to(secret)
    template = project / "templates" / "leak.html"
    template.symlink_to(secret)
    for args in (("extract",), ("lint",), ("build", "--executor", "serial", "-q")):
        result = cli(project, *args)
        assert SECRET[:12] not in result.output, args
        paths = {d.path for d in _everywhere(result) if d.code == "fs.outside-project"}
        assert "source/leak.md" in paths, (args, result.output)
    assert SECRET[:12] not in (project / "locales" / "site.pot").read_text(encoding="utf-8")
    assert not (project / "locales" / "leak.pot").exists()


# ------------------------------------------------------------------ 5. silent loss

@pytest.mark.parametrize("body", [
    "".join("  " * i + f"- level {i}\n" for i in range(12)),
    ">" * 22 + " deeply quoted advice\n",
])
def test_text_markdown_would_drop_is_a_source_error(project: Path, body: str) -> None:
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    first_body_line = text.count("\n", 0, text.index("\n---\n") + 5) + 1
    path.write_text(text.replace("\n---\n", "\n---\n" + body + "\n", 1), encoding="utf-8")
    for args in (("extract",), ("build", "--executor", "serial", "-q")):
        found = one(cli(project, *args), "source.too-deep")
        assert found.path == ARTICLE and first_body_line <= found.line < first_body_line + 12


def test_a_yaml_alias_bomb_is_refused_quickly(project: Path) -> None:
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        bomb.append(f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},"
                    f"*{prev},*{prev}]")
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("---\n", "---\n" + "\n".join(bomb) + "\n", 1), encoding="utf-8")
    assert len("\n".join(bomb)) < 1024
    for args in (("lint",), ("update",), ("build", "--executor", "serial", "-q")):
        result = cli(project, *args)
        found = one(result, "source.front-matter")
        assert found.path == ARTICLE and "aliases" in found.message


def test_a_recursive_alias_and_deep_nesting_are_refused(project: Path) -> None:
    path = project / ARTICLE
    text = path.read_text(encoding="utf-8")
    for front, code in (("loop: &x [*x]", "source.front-matter"),
                        ("deep: " + "[" * 5000 + "]" * 5000, "source.too-deep")):
        path.write_text(text.replace("---\n", f"---\n{front}\n", 1), encoding="utf-8")
        assert one(cli(project, "lint"), code).path == ARTICLE


def test_duplicate_locales_are_a_config_error(project: Path) -> None:
    toml = project / "polyleaf.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace('locales = ["', 'locales = ["fr", "', 1), encoding="utf-8")
    result = build(project)
    assert one(result, "config.duplicate-locale").path.endswith("polyleaf.toml")
    assert result.exit_code == 2


def test_a_diagnostic_is_always_one_printable_line() -> None:
    text = Diagnostic("locales/x\n.po", 3, Level.ERROR, "po.syntax", "bad \x1b[2J\r\nthing",
                      "hint\u2028more").format()
    assert "\n" not in text and "\x1b" not in text and "\r" not in text and "\u2028" not in text
    assert "\\n" in text and "\\x1b" in text


# ------------------------------------------------------------------ 6. misleading

@pytest.mark.parametrize("char", ["\u2028", "\ue000", "\U000ffffd"])
def test_a_character_no_font_draws_is_found_by_check_at_the_po_line(project: Path,
                                                                   char: str) -> None:
    po = project / PO.replace("/es/", "/ar/")
    text = po.read_text(encoding="utf-8")
    line = next(n for n, t in enumerate(text.splitlines(), 1)
                if t.startswith('msgstr "') and len(t) > 12)
    lines = text.splitlines()
    lines[line - 1] = lines[line - 1][:-1] + char + '"'
    po.write_text("\n".join(lines) + "\n", encoding="utf-8")
    msgid_line = max(n for n, t in enumerate(lines[:line], 1) if t.startswith("msgid "))
    found = one(cli(project, "check", "--locale", "ar"), "qa.missing-glyph")
    assert (found.path, found.line) == (PO.replace("/es/", "/ar/"), msgid_line)
    assert f"U+{ord(char):04X}" in found.message and found.level == "error"


def test_check_and_build_agree_on_a_malformed_plural_count(project: Path) -> None:
    po = project / PO.replace("/es/", "/ar/")
    text = po.read_text(encoding="utf-8")
    import re

    po.write_text(re.sub(r"nplurals=\d+;", "nplurals=0;", text, count=1), encoding="utf-8")
    found = one(cli(project, "check", "--locale", "ar"), "po.plural-forms")
    assert found.level == "error" and found.line == 1
    from polyleaf.catalog.reading import read_catalog

    assert read_catalog(po, "x").nplurals is None  # so QA and build both use CLDR's count
    result = build(project)
    assert "Traceback" not in result.output


def test_a_five_megabyte_translation_is_refused_not_rendered(project: Path) -> None:
    po = project / PO
    text = po.read_text(encoding="utf-8")
    start = text.index('msgstr "Dolor')
    end = text.index("\n", start)
    huge = "Dolor " + "](" * 2_500_000
    po.write_text(text[:start] + f'msgstr "{huge}"' + text[end:], encoding="utf-8")
    found = one(cli(project, "check", "--locale", "es"), "qa.length")
    assert found.level == "error" and "absurdly long" in found.message
    result = build(project)
    assert "Traceback" not in result.output
    page = project / "build/site/es/back-pain-and-headaches/index.html"
    assert page.stat().st_size < 1_000_000  # the source text stood in for it
