"""Statistics agree with GNU msgfmt --statistics and translate-toolkit's pocount."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from polyleaf.catalog.reading import read_catalog
from polyleaf.cli import main
from polyleaf.config import Config
from polyleaf.qa.stats import catalog_stats, project_stats

REPO = Path(__file__).resolve().parents[1]
CATALOGS = sorted((REPO / "locales").rglob("*.po"))
MSGFMT = shutil.which("msgfmt")


def _ours(path: Path):  # type: ignore[no-untyped-def]
    return catalog_stats(read_catalog(path, str(path)), path.parts[-3], path.stem)


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is a test dependency: dev.sh installs it")
@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_message_counts_agree_with_msgfmt(path: Path) -> None:
    out = subprocess.run([MSGFMT or "msgfmt", "--statistics", "-o", "/dev/null", str(path)],
                         capture_output=True, text=True, check=True).stderr
    numbers = {kind: int(n) for n, kind in re.findall(r"(\d+) (translated|fuzzy|untranslated)", out)}
    stats = _ours(path)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (
        numbers.get("translated", 0), numbers.get("fuzzy", 0), numbers.get("untranslated", 0))


@pytest.mark.parametrize("path", CATALOGS, ids=lambda p: p.relative_to(REPO).as_posix())
def test_counts_and_words_agree_with_pocount(path: Path) -> None:
    from translate.tools.pocount import calcstats

    theirs = calcstats(str(path))
    stats = _ours(path)
    assert (stats.translated, stats.fuzzy, stats.untranslated) == (
        theirs["translated"], theirs["fuzzy"], theirs["untranslated"])
    assert (stats.translated_words, stats.fuzzy_words, stats.untranslated_words) == (
        theirs["translatedsourcewords"], theirs["fuzzysourcewords"],
        theirs["untranslatedsourcewords"])


def test_incomplete_german_example_shows_fuzzy_and_untranslated(example: Config) -> None:
    rows, problems = project_stats(example, ("de",))
    assert problems == []
    assert sum(r.fuzzy for r in rows) == 4  # 2 edited paragraphs, 2 pre-filled by the memory
    assert sum(r.untranslated for r in rows) > 0
    total = sum(r.total for r in rows)
    assert 0.6 < sum(r.translated for r in rows) / total < 0.8


def test_stats_command_json_and_table(example: Config) -> None:
    runner = CliRunner()
    result = runner.invoke(main, ["-C", str(example.root), "stats", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"locale": "ar"' in result.output and '"fuzzy_words"' in result.output
    table = runner.invoke(main, ["-C", str(example.root), "stats", "--locale", "de"])
    assert table.exit_code == 0 and "de" in table.output and "site" in table.output
