"""Golden template for a small article with every block kind.

Regenerate after an intended change with:
    POLYLEAF_REGENERATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from polyleaf.catalog.files import extract
from polyleaf.config import load_config

DATA = Path(__file__).parent / "data" / "golden"


@pytest.mark.parametrize("domain", ["every-block", "site"])
def test_pot_matches_golden(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, domain: str) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    root = tmp_path / "golden"
    shutil.copytree(DATA, root, ignore=shutil.ignore_patterns("*.pot"))
    extract(load_config(root))
    produced = (root / "locales" / f"{domain}.pot").read_text(encoding="utf-8")
    golden = DATA / f"{domain}.pot"
    if os.environ.get("POLYLEAF_REGENERATE_GOLDEN"):
        golden.write_text(produced, encoding="utf-8")
    assert produced == golden.read_text(encoding="utf-8")
