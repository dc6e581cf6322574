"""``polyleaf init``: a new project builds a leaflet in three commands; the package ships the
templates; nothing existing is overwritten."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from polyleaf.cli import main
from polyleaf.tools.scaffold import EXAMPLE_ID, default_templates, init_project, template_files

from .conftest import REPO

REGENERATE = "rm -rf src/polyleaf/default_templates && cp -r templates src/polyleaf/default_templates"


def test_packaged_templates_are_the_repository_templates() -> None:
    shipped = template_files(default_templates())
    repo = template_files(REPO / "templates")
    assert sorted(shipped) == sorted(repo), f"out of date; regenerate with: {REGENERATE}"
    changed = [name for name in repo if shipped[name] != repo[name]]
    assert changed == [], f"{changed} differ; regenerate with: {REGENERATE}"


def test_the_wheel_ships_the_templates() -> None:
    """setuptools package-data must match every default template (nested folders too)."""
    data = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = data["tool"]["setuptools"]["package-data"]["polyleaf"]
    assert "default_templates/**/*" in patterns
    assert {"assets/site.css", "leaflet.html"} <= set(template_files(default_templates()))


def test_init_then_update_then_build_gives_a_leaflet(tmp_path: Path) -> None:
    runner = CliRunner()
    target = tmp_path / "clinic-leaflets"
    created = runner.invoke(main, ["init", str(target)])
    assert created.exit_code == 0, created.output
    assert "polyleaf -C" in created.output
    for name in ("polyleaf.toml", f"source/{EXAMPLE_ID}.md", "templates/leaflet.html",
                 ".gitignore", ".github/workflows/leaflets.yml"):
        assert (target / name).is_file(), name
    assert (target / "locales").is_dir()
    for command in (["update"], ["build", "--strict", "-q", "--executor", "serial"]):
        result = runner.invoke(main, ["-C", str(target), *command])
        assert result.exit_code == 0, result.output
    leaflet = target / "build" / "leaflets" / "en" / f"{EXAMPLE_ID}-a4.pdf"
    reader = PdfReader(leaflet)
    assert reader.metadata is not None and reader.metadata.title == "Washing your hands"
    assert "20 seconds" in " ".join(p.extract_text() or "" for p in reader.pages)
    assert (target / "build" / "site" / "en" / EXAMPLE_ID / "index.html").is_file()


def test_the_example_article_follows_the_authors_guide(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    result = CliRunner().invoke(main, ["-C", str(tmp_path / "p"), "lint"])
    assert result.exit_code == 0
    assert "0 error(s), 0 warning(s)" in result.output, result.output
    check = CliRunner().invoke(main, ["-C", str(tmp_path / "p"), "check"])
    assert check.exit_code == 0


def test_the_ci_workflow_runs_check_and_strict_build(tmp_path: Path) -> None:
    init_project(tmp_path / "p")
    workflow = (tmp_path / "p" / ".github" / "workflows" / "leaflets.yml").read_text("utf-8")
    assert "polyleaf check" in workflow and "polyleaf build --strict" in workflow
    assert "libharfbuzz-subset0" in workflow and "fonts-noto-cjk" in workflow
    assert "/locales/qps*/" in (tmp_path / "p" / ".gitignore").read_text("utf-8")


def test_init_refuses_an_existing_project_and_overwrites_nothing(tmp_path: Path) -> None:
    target = tmp_path / "p"
    target.mkdir()
    (target / "source").mkdir()
    mine = target / "source" / f"{EXAMPLE_ID}.md"
    mine.write_text("my own article", encoding="utf-8")
    report = init_project(target)
    assert f"source/{EXAMPLE_ID}.md" in report.unchanged
    assert mine.read_text(encoding="utf-8") == "my own article"
    again = CliRunner().invoke(main, ["init", str(target)])
    assert again.exit_code == 2 and "init.exists" in again.output


def test_templates_only_restores_missing_templates(tmp_path: Path) -> None:
    target = tmp_path / "p"
    init_project(target)
    (target / "templates" / "article.html").unlink()
    edited = target / "templates" / "base.html"
    edited.write_text("{# mine #}", encoding="utf-8")
    result = CliRunner().invoke(main, ["-C", str(target), "init", "--templates-only"])
    assert result.exit_code == 0, result.output
    assert (target / "templates" / "article.html").is_file()
    assert edited.read_text(encoding="utf-8") == "{# mine #}"
    assert "1 file(s) created" in result.output


def test_a_file_in_the_way_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x", encoding="utf-8")
    result = CliRunner().invoke(main, ["init", str(tmp_path / "taken")])
    assert result.exit_code == 2 and (tmp_path / "taken").read_text(encoding="utf-8") == "x"


@pytest.mark.parametrize("name", ['Clinic "North" \\ leaflets', "Clínica del Sur"])
def test_any_project_name_gives_valid_toml(tmp_path: Path, name: str) -> None:
    init_project(tmp_path / "p", name)
    data = tomllib.loads((tmp_path / "p" / "polyleaf.toml").read_text(encoding="utf-8"))
    assert data["project"]["name"] == name and data["organisation"]["name"] == name
