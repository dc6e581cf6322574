"""Configuration: valid example loads; every mistake is a diagnostic with a code and a hint."""

from __future__ import annotations

from pathlib import Path

import pytest

from polyleaf.config import load_config
from polyleaf.errors import ConfigError

REPO = Path(__file__).resolve().parents[1]

VALID = """
[project]
name = "T"
source_language = "en"
locales = ["es"]
base_url = "https://example.org/x"
[organisation]
name = "Clinic"
contact = "123"
"""


def _write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "templates").mkdir(exist_ok=True)
    (tmp_path / "polyleaf.toml").write_text(text, encoding="utf-8")
    return tmp_path


def test_example_config_loads() -> None:
    config = load_config(REPO)
    assert config.source_language == "en_GB"
    assert config.locales == ("es", "fr", "de", "ar", "zh_Hans")
    assert config.base_url.endswith("/")


def test_base_url_gets_a_trailing_slash(tmp_path: Path) -> None:
    assert load_config(_write(tmp_path, VALID)).base_url == "https://example.org/x/"


@pytest.mark.parametrize(("change", "code", "hint"), [
    (('["es"]', '["sp"]'), "config.locale", "did you mean"),
    (('["es"]', '["zh-Hans"]'), "config.locale", "zh_Hans"),
    (("https://example.org/x", "example.org"), "config.base-url", "https://"),
    (('name = "Clinic"', 'name = "Clinic"\n[leaflets]\nvariants = ["a5"]'), "config.variant", "a4"),
    (('name = "T"', 'name = "T'), "config.syntax", "TOML"),
])
def test_config_mistakes_are_diagnostics(tmp_path: Path, change: tuple[str, str], code: str,
                                         hint: str) -> None:
    with pytest.raises(ConfigError) as info:
        load_config(_write(tmp_path, VALID.replace(*change)))
    diagnostic = next(d for d in info.value.diagnostics if d.level.value == "error")
    assert diagnostic.code == code
    assert hint in diagnostic.hint or hint in diagnostic.message
    assert diagnostic.path.endswith("polyleaf.toml")


def test_missing_templates_dir_is_reported(tmp_path: Path) -> None:
    (tmp_path / "polyleaf.toml").write_text(VALID, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path)
    assert info.value.diagnostics[0].code == "config.templates"
