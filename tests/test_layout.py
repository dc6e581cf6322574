"""The package reads as the pipeline: stages import only earlier stages, never later ones.

Order (docs/architecture.md): the foundation modules (config, errors, fonts, i18n, fsutil,
heap, linear, paths, plurals, templates) < content < catalog < qa < review < render < engine < tools <
the CLI. Every import counts,
including those inside functions and under ``TYPE_CHECKING``: a lazy import is still a
dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "polyleaf"
FOUNDATION = {"config", "errors", "fonts", "i18n", "fsutil", "heap", "linear", "paths",
              "plurals", "templates"}
STAGES = ["content", "catalog", "qa", "review", "render", "engine", "tools"]
TOP = {"cli", "cli_common", "cli_exchange", "cli_review", "__main__"}


def rank(module: str) -> int:
    """The stage of ``polyleaf.<module>...``: 0 foundation, 1..7 the stages, 8 the CLI."""
    head = module.split(".")[1] if module.count(".") else ""
    if head in FOUNDATION:
        return 0
    if head in STAGES:
        return 1 + STAGES.index(head)
    if head in TOP:
        return 1 + len(STAGES)
    raise AssertionError(f"{module}: not in any stage; add it to the layer table")


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported polyleaf module) for every import in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "polyleaf":  # from polyleaf import x: x is a module or the version
                found += [(node.lineno, f"polyleaf.{a.name}") for a in node.names
                          if a.name != "__version__"]
            elif node.module.startswith("polyleaf."):
                found.append((node.lineno, node.module))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("polyleaf.")]
    return found


SOURCES = sorted(p for p in PACKAGE.rglob("*.py") if p != PACKAGE / "__init__.py")


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    here = module_name(path)
    later = [f"{path.name}:{line}: {target}" for line, target in imports(path)
             if rank(target) > rank(here)]
    assert not later, f"{here} (stage {rank(here)}) imports later stages: {later}"


def test_every_module_belongs_to_a_stage() -> None:
    for path in SOURCES:
        rank(module_name(path))  # raises for a module outside the table


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    """The test above can fail: an import of render from catalog is found."""
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from polyleaf.render.html import render\n", encoding="utf-8")
    assert imports(bad) == [(2, "polyleaf.render.html")]
    assert rank("polyleaf.render.html") > rank("polyleaf.catalog.files")


def test_public_api_is_importable() -> None:
    import polyleaf

    for name in polyleaf.__all__:
        assert getattr(polyleaf, name) is not None, name
    with pytest.raises(AttributeError):
        polyleaf.no_such_name  # noqa: B018
