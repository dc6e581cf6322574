"""The documentation keeps up with the code: every command and option has help text and a
section in docs/cli.md, every QA and lint code is explained, and links between docs resolve."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from polyleaf.cli import main
from polyleaf.qa.checks import CHECKS

from .conftest import REPO

DOCS = REPO / "docs"
GUIDES = ("authors.md", "translators.md", "architecture.md", "cli.md")


def _commands() -> dict[str, click.Command]:
    return dict(main.commands)


def test_every_command_and_option_has_help_text() -> None:
    assert {"init", "serve", "pseudo", "lint", "doctor", "build", "update"} <= set(_commands())
    for name, command in _commands().items():
        assert (command.help or "").strip(), f"polyleaf {name} has no help text"
        for param in command.params:
            if isinstance(param, click.Option) and not param.hidden:
                assert (param.help or "").strip(), f"polyleaf {name} {param.opts[0]} has no help"


@pytest.mark.parametrize("name", sorted(_commands()))
def test_every_command_has_a_section_in_cli_md(name: str) -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert re.search(rf"^#+ polyleaf {re.escape(name)}\s*$", text, re.M), \
        f"docs/cli.md has no '## polyleaf {name}' section"


def test_every_qa_code_is_explained_to_translators() -> None:
    text = (DOCS / "translators.md").read_text(encoding="utf-8")
    codes = {f"qa.{name}" for name in CHECKS} | {"qa.plurals", "qa.critical"}
    missing = sorted(code for code in codes if f"| `{code}` |" not in text)
    assert missing == [], f"docs/translators.md does not explain {missing}"


def test_every_lint_code_is_explained_to_authors() -> None:
    source = (REPO / "src" / "polyleaf" / "qa" / "lint.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(lint\.[a-z-]+)"', source))
    assert len(codes) >= 7
    for guide in ("authors.md", "cli.md"):
        text = (DOCS / guide).read_text(encoding="utf-8")
        assert sorted(c for c in codes if f"`{c}`" not in text) == [], guide


def test_weblate_settings_match_the_layout() -> None:
    text = (DOCS / "translators.md").read_text(encoding="utf-8")
    assert "`locales/*/LC_MESSAGES/back-pain-and-headaches.po`" in text
    assert "`locales/back-pain-and-headaches.pot`" in text
    assert (REPO / "locales" / "back-pain-and-headaches.pot").is_file()
    assert "# qa-ignore:" in text and "drop flags they do not know" in text


def _prose(text: str) -> str:
    """The text without code blocks and code spans (their links are examples)."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))


@pytest.mark.parametrize("guide", GUIDES)
def test_relative_links_resolve(guide: str) -> None:
    text = _prose((DOCS / guide).read_text(encoding="utf-8"))
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    for target in targets:
        if "://" in target or target.startswith("mailto:"):
            continue
        assert (DOCS / target).exists() or (REPO / target).exists(), f"{guide}: {target}"


@pytest.mark.parametrize("guide", GUIDES)
def test_anchors_into_cli_md_exist(guide: str) -> None:
    headings = {_anchor(h) for h in re.findall(r"^#+ (.+)$", (DOCS / "cli.md").read_text(
        encoding="utf-8"), re.M)}
    text = (DOCS / guide).read_text(encoding="utf-8")
    for anchor in re.findall(r"\]\((?:cli\.md)?#([^)]+)\)", text) if guide == "cli.md" else \
            re.findall(r"\]\(cli\.md#([^)]+)\)", text):
        assert anchor in headings, f"{guide}: #{anchor} is not a heading of cli.md"


def _anchor(heading: str) -> str:
    """GitHub's heading anchor: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def test_docs_name_only_files_that_exist() -> None:
    """Paths like src/polyleaf/x.py or tests/test_x.py mentioned in the guides exist."""
    for guide in GUIDES:
        text = (DOCS / guide).read_text(encoding="utf-8")
        for path in re.findall(r"`((?:src|tests|docs)/[\w/.-]+\.\w+)`", text):
            assert Path(REPO / path).exists(), f"{guide} names {path}"
