"""Catalogs on disk: every committed catalog is valid for GNU gettext; update is a no-op twice."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from polyleaf.catalog import pofile
from polyleaf.catalog.files import update
from polyleaf.config import Config
from polyleaf.paths import po_path

REPO = Path(__file__).resolve().parents[1]
MSGFMT = shutil.which("msgfmt")
CATALOGS = sorted((REPO / "locales").rglob("*.po")) + sorted((REPO / "locales").glob("*.pot"))


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is a test dependency: dev.sh installs it")
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_msgfmt_check_accepts_every_catalog(path: Path) -> None:
    result = subprocess.run([MSGFMT or "msgfmt", "--check", "-o", "/dev/null", str(path)],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    if path.suffix == ".po":
        assert "warning" not in result.stderr, result.stderr


def test_catalogs_exist_for_every_configured_locale_and_domain(example: Config) -> None:
    domains = [p.stem for p in example.locales_dir.glob("*.pot")]
    assert "site" in domains and len(domains) == 4
    for locale in example.locales:
        for domain in domains:
            assert po_path(example, locale, domain).is_file(), (locale, domain)


def test_headers_are_right_for_the_language(example: Config) -> None:
    ar = pofile.parse(po_path(example, "ar", "site").read_text(encoding="utf-8"))
    assert ar.header_value("Language") == "ar"
    assert ar.header_value("Plural-Forms").startswith("nplurals=6;")
    assert "charset=UTF-8" in ar.header_value("Content-Type")
    zh = pofile.parse(po_path(example, "zh_Hans", "site").read_text(encoding="utf-8"))
    assert zh.header_value("Plural-Forms").startswith("nplurals=1;")


def test_update_twice_writes_nothing_the_second_time(example: Config) -> None:
    update(example)
    stamps = {p: p.stat().st_mtime_ns for p in example.locales_dir.rglob("*.po")}
    report = update(example)
    assert report.written == ()
    assert {p: p.stat().st_mtime_ns for p in example.locales_dir.rglob("*.po")} == stamps


def test_update_creates_a_new_locale_with_a_complete_header(example: Config) -> None:
    report = update(example, ("pt_BR",))
    assert len(report.written) == 4
    catalog = pofile.parse(po_path(example, "pt_BR", "site").read_text(encoding="utf-8"))
    assert catalog.header_value("Language") == "pt_BR"
    assert catalog.header_value("Plural-Forms").startswith("nplurals=")
    if MSGFMT:
        result = subprocess.run([MSGFMT, "--check", "-o", "/dev/null",
                                 str(po_path(example, "pt_BR", "site"))], capture_output=True)
        assert result.returncode == 0


def test_repo_catalogs_are_merged_with_current_templates(example: Config) -> None:
    """'polyleaf update' on the committed project changes nothing: catalogs are current."""
    report = update(example)
    assert report.written == (), f"run 'polyleaf update': stale {report.written}"
