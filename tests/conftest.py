"""Shared fixtures: the repository's example project, copied so tests never touch the repo."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from polyleaf.config import Config, load_config
from polyleaf.engine.build import BuildReport, build

REPO = Path(__file__).resolve().parents[1]


def copy_project(target: Path) -> Path:
    """Copy the example project (config, sources, catalogs, templates) into ``target``."""
    for name in ("source", "locales", "templates"):
        shutil.copytree(REPO / name, target / name)
    shutil.copy(REPO / "polyleaf.toml", target / "polyleaf.toml")
    return target


@pytest.fixture
def example(tmp_path: Path) -> Config:
    """A fresh copy of the example project, per test."""
    return load_config(copy_project(tmp_path / "project"))


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Config, BuildReport]]:
    """The example project, built once per session."""
    root = copy_project(tmp_path_factory.mktemp("built") / "project")
    config = load_config(root)
    yield config, build(config)
