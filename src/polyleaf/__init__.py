"""Polyleaf: multilingual patient-education pipeline.

Markdown articles are extracted into gettext catalogs, translated with ordinary PO tools, and
rendered into a localized website and printable PDF leaflets. The subpackages follow the data
flow (see ``docs/architecture.md``): :mod:`~polyleaf.content` → :mod:`~polyleaf.catalog` →
:mod:`~polyleaf.qa` → :mod:`~polyleaf.render` → :mod:`~polyleaf.engine` → :mod:`~polyleaf.tools`,
with ``config``, ``errors``, ``i18n``, ``fsutil``, ``paths`` and ``templates`` below them all.

The public API is listed in ``__all__``. Names are imported on first use (PEP 562), so
``import polyleaf`` and the CLI's no-op path stay cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "Config": "polyleaf.config", "load_config": "polyleaf.config", "find_root": "polyleaf.config",
    "Diagnostic": "polyleaf.errors", "Level": "polyleaf.errors", "PolyleafError": "polyleaf.errors",
    "Article": "polyleaf.content.model", "Segment": "polyleaf.content.model",
    "load_sources": "polyleaf.content.source", "parse_article": "polyleaf.content.source",
    "Catalog": "polyleaf.catalog.pofile", "Entry": "polyleaf.catalog.pofile",
    "parse_po": "polyleaf.catalog.pofile", "serialize_po": "polyleaf.catalog.pofile",
    "read_catalog": "polyleaf.catalog.reading", "extract": "polyleaf.catalog.files",
    "update": "polyleaf.catalog.files", "merge": "polyleaf.catalog.merge",
    "project_stats": "polyleaf.qa.stats", "Project": "polyleaf.catalog.project",
    "load_project": "polyleaf.catalog.project",
    "usable": "polyleaf.qa.usable", "Usability": "polyleaf.qa.usable",
    "check_project": "polyleaf.qa.check",
    "build": "polyleaf.engine.build", "BuildReport": "polyleaf.engine.build",
}
_RENAMED = {"parse_po": "parse", "serialize_po": "serialize"}

__all__ = [
    "Article",
    "BuildReport",
    "Catalog",
    "Config",
    "Diagnostic",
    "Entry",
    "Level",
    "PolyleafError",
    "Project",
    "Segment",
    "Usability",
    "__version__",
    "build",
    "check_project",
    "extract",
    "find_root",
    "load_config",
    "load_project",
    "load_sources",
    "merge",
    "parse_article",
    "parse_po",
    "project_stats",
    "read_catalog",
    "serialize_po",
    "update",
    "usable",
]

if TYPE_CHECKING:
    from polyleaf.catalog.files import extract, update
    from polyleaf.catalog.merge import merge
    from polyleaf.catalog.pofile import Catalog, Entry
    from polyleaf.catalog.pofile import parse as parse_po
    from polyleaf.catalog.pofile import serialize as serialize_po
    from polyleaf.catalog.project import Project, load_project
    from polyleaf.catalog.reading import read_catalog
    from polyleaf.config import Config, find_root, load_config
    from polyleaf.content.model import Article, Segment
    from polyleaf.content.source import load_sources, parse_article
    from polyleaf.engine.build import BuildReport, build
    from polyleaf.errors import Diagnostic, Level, PolyleafError
    from polyleaf.qa.check import check_project
    from polyleaf.qa.stats import project_stats
    from polyleaf.qa.usable import Usability, usable


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'polyleaf' has no attribute {name!r}")
    value = getattr(import_module(module), _RENAMED.get(name, name))
    globals()[name] = value
    return value
