"""``polyleaf doctor``: passes on a machine set up by dev.sh; names the exact package to install
when a font, fontconfig or HarfBuzz subsetting is missing."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from polyleaf.cli import main
from polyleaf.config import Config
from polyleaf.tools import doctor
from polyleaf.tools.doctor import Status, check_fonts, fc_patterns, install_hint, run_checks, script_of


def test_this_machine_is_ready(example: Config) -> None:
    """dev.sh installs every runtime package, so everything must be ok here."""
    result = CliRunner().invoke(main, ["-C", str(example.root), "doctor"])
    assert result.exit_code == 0, result.output
    for what in ("WeasyPrint", "Pango", "HarfBuzz subsetting", "fonts for ar (Arab)",
                 "fonts for zh_Hans (Hans)"):
        assert f"ok    {what}" in result.output
    assert "apt-get" not in result.output


@pytest.mark.parametrize(("code", "script"), [
    ("en", "Latn"), ("es", "Latn"), ("ar", "Arab"), ("zh_Hans", "Hans"), ("zh_Hant", "Hant"),
    ("ja", "Jpan"), ("he", "Hebr"), ("ru", "Cyrl"), ("hi", "Deva"), ("qps_ploc", "Latn"),
    ("qps_plocm", "Arab"),
])
def test_scripts_come_from_cldr(code: str, script: str) -> None:
    assert script_of(code) == script


def test_fontconfig_patterns() -> None:
    assert fc_patterns("zh_Hans")[0] == ":lang=zh-cn"
    assert fc_patterns("zh_Hant")[0] == ":lang=zh-tw"
    assert fc_patterns("pt_BR") == [":lang=pt", ":lang=en"]
    assert fc_patterns("qps_ploc")[0].startswith(":charset=")  # the accented letters


def test_a_missing_cjk_font_names_fonts_noto_cjk(example: Config,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    real = doctor.fc_families
    monkeypatch.setattr(doctor, "fc_families",
                        lambda pattern: [] if "zh" in pattern else real(pattern))
    check = check_fonts("zh_Hans")
    assert check.status is Status.FAIL and check.packages == ("fonts-noto-cjk",)
    result = CliRunner().invoke(main, ["-C", str(example.root), "doctor"])
    assert result.exit_code == 1
    assert "fail  fonts for zh_Hans (Hans)" in result.output
    assert "apt-get install -y --no-install-recommends fonts-noto-cjk" in result.output


def test_a_missing_arabic_font_names_fonts_noto_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "fc_families", lambda pattern: [])
    assert check_fonts("ar").packages == ("fonts-noto-core",)


def test_without_fc_list_install_fontconfig(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(doctor, "fc_families", lambda pattern: None)
    check = check_fonts("en")
    assert check.status is Status.FAIL and check.packages == ("fontconfig",)


def test_missing_harfbuzz_subset_is_a_failure(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint.text.ffi as ffi

    monkeypatch.setattr(ffi, "harfbuzz_subset", None)
    checks = {c.what: c for c in run_checks(None)}
    assert checks["HarfBuzz subsetting"].status is Status.FAIL
    assert "libharfbuzz-subset0" in install_hint(list(checks.values()))


def test_install_hint_uses_sudo_when_not_root(monkeypatch: pytest.MonkeyPatch) -> None:
    checks = [doctor.Check(Status.FAIL, "x", "y", ("fonts-noto-cjk", "fontconfig"))]
    monkeypatch.setattr(doctor, "_is_root", lambda: False)
    assert install_hint(checks) == ("sudo apt-get update && sudo apt-get install -y "
                                    "--no-install-recommends fontconfig fonts-noto-cjk")
    monkeypatch.setattr(doctor, "_is_root", lambda: True)
    assert install_hint(checks).startswith("apt-get update && apt-get install")
    assert install_hint([doctor.Check(Status.OK, "x", "y")]) == ""


def test_outside_a_project_fonts_are_not_checked(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["doctor"])
    assert result.exit_code == 0, result.output
    assert "warn  fonts: no polyleaf.toml here" in result.output


def test_a_missing_spelling_dictionary_is_a_warning_naming_the_package(
        monkeypatch: pytest.MonkeyPatch) -> None:


    assert doctor.check_dictionary("es").status is doctor.Status.OK  # dev.sh installs it
    monkeypatch.setattr(doctor, "dictionary", lambda code: None)
    missing = doctor.check_dictionary("es")
    assert missing.status is doctor.Status.WARN and "hunspell-es" in missing.packages
    assert doctor.check_dictionary("zh_Hans").status is doctor.Status.OK  # a change of script tells
