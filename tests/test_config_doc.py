"""docs/configuration.md documents exactly the keys the config loader accepts."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from polyleaf.config import _KNOWN, load_config

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "configuration.md"


def _documented() -> dict[str, set[str]]:
    """``{section: {key, ...}}`` from the doc's ``## `[section]` `` headings and table rows."""
    found: dict[str, set[str]] = {}
    section = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.fullmatch(r"## `\[(\w+)\]`", line):
            section = heading.group(1)
            found[section] = set()
        elif section and (row := re.match(r"\| `(\w+)` \|", line)):
            found[section].add(row.group(1))
    return found


def test_every_accepted_key_is_documented_and_nothing_else() -> None:
    assert _documented() == {section: set(keys) for section, keys in _KNOWN.items()}


def test_the_doc_examples_are_valid_config(tmp_path: Path) -> None:
    """Every TOML example in the doc, together, loads without a diagnostic."""
    blocks = re.findall(r"```toml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == len(_KNOWN)
    text = "\n".join(blocks)
    assert set(tomllib.loads(text)) == set(_KNOWN)
    (tmp_path / "templates").mkdir()
    (tmp_path / "polyleaf.toml").write_text(text, encoding="utf-8")
    config = load_config(tmp_path)
    assert config.locales == ("es", "fr", "de", "ar", "zh_Hans")
    assert config.variants == ("a4", "letter", "a4-large", "bilingual")


def test_the_example_config_points_at_the_doc() -> None:
    first = (REPO / "polyleaf.toml").read_text(encoding="utf-8").splitlines()[0]
    assert "docs/configuration.md" in first and DOC.is_file()
