"""Every diagnostic code the code can emit is documented in docs/diagnostics.md."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FAMILIES = "po|source|config|template|qa|pdf|build|project|init|serve|lint|fs|input|review|xliff|tm|glossary"
CODE = re.compile(rf'"((?:{FAMILIES})\.[a-z-]+)"')


def test_every_code_is_documented() -> None:
    codes = {m for path in (REPO / "src" / "polyleaf").rglob("*.py")
             for m in CODE.findall(path.read_text(encoding="utf-8"))}
    codes.discard("project.locales")  # a config key named in config.type messages, not a code
    assert len(codes) > 40
    doc = (REPO / "docs" / "diagnostics.md").read_text(encoding="utf-8")
    cli = (REPO / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = sorted(c for c in codes if f"`{c}`" not in doc
                     and not (c.startswith("lint.") and f"`{c}`" in cli))
    assert missing == []
