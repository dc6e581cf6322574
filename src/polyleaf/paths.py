"""Where a project's files live: catalogs, outputs. No heavy imports (used on the no-op path)."""

from __future__ import annotations

from pathlib import Path

from polyleaf.config import Config


def pot_path(config: Config, domain: str) -> Path:
    """``locales/<domain>.pot``."""
    return config.locales_dir / f"{domain}.pot"


def po_path(config: Config, locale: str, domain: str) -> Path:
    """``locales/<lang>/LC_MESSAGES/<domain>.po``."""
    return config.locales_dir / locale / "LC_MESSAGES" / f"{domain}.po"


REVIEW_DIR = "review"


def review_path(config: Config, locale: str, article_id: str) -> Path:
    """``locales/<lang>/review/<article>.toml``: the review record of one article in one locale."""
    return config.locales_dir / locale / REVIEW_DIR / f"{article_id}.toml"


def back_translation_path(config: Config, locale: str, article_id: str) -> Path:
    """``locales/<lang>/review/<article>.back.po``: its back-translation into the source language."""
    return config.locales_dir / locale / REVIEW_DIR / f"{article_id}.back.po"


# Image files an article may show (docs/authors.md "Images"): they live under source/.
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp")


def image_files(config: Config) -> list[Path]:
    """Every image file under ``source/`` (build inputs), sorted."""
    if not config.source_dir.is_dir():
        return []
    return sorted(p for p in config.source_dir.rglob("*")
                  if p.suffix.lower() in IMAGE_SUFFIXES and p.is_file())
