"""The images of an article: which files they are, their localized copies, and which are missing.

The convention (docs/authors.md, "Images"): an image is a file under ``source/``, written
relative to the article, ``![alt](diary.png)`` or ``![alt](images/diary.png)``. A localized copy
(an image with words in it) sits beside it with the locale's gettext code before the suffix:
``diary.ar.png``, ``diary.zh_Hans.png``; a language code alone (``diary.pt.png``) serves every
``pt_*`` locale. Pages and leaflets of a locale show its copy when there is one, else the image
itself. An image that is not a file under ``source/`` (missing, a URL, outside the folder) is an
error at its Markdown line, ``source.missing-image``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from polyleaf.content.markdown import parse_copy
from polyleaf.content.model import Article
from polyleaf.errors import Diagnostic, error
from polyleaf.paths import IMAGE_SUFFIXES


@dataclass(frozen=True, slots=True)
class ImageRef:
    """One image of an article: its ``src`` as parsed (the key renderers look up) and line."""

    src: str
    line: int


_REFS: dict[str, tuple[ImageRef, ...]] = {}  # body -> its images, parsed once per process


def image_refs(article: Article) -> tuple[ImageRef, ...]:
    """Every image the article's body shows, in source order, each ``src`` once."""
    known = _REFS.get(article.body)
    if known is not None:
        return known
    tokens, _ = parse_copy(article.body)
    found: dict[str, ImageRef] = {}
    line = 1
    for token in tokens:
        if token.map:
            line = token.map[0] + 1
        for child in token.children or ():
            if child.type == "image":
                src = str(child.attrGet("src") or "")
                found.setdefault(src, ImageRef(src, line))
    refs = _REFS[article.body] = tuple(found.values())
    return refs


def remember_refs(body: str, refs: tuple[ImageRef, ...]) -> None:
    """Seed :func:`image_refs` with what a build cache kept for this exact body."""
    _REFS[body] = refs


def _relative(src: str) -> str | None:
    """The path below ``source/`` that ``src`` names, or None (a URL, absolute, a query)."""
    parts = urlsplit(src)
    if parts.scheme or parts.netloc or parts.query or not parts.path \
            or parts.path.startswith("/"):
        return None
    return unquote(parts.path)


def candidates(src: str, locale: str | None) -> list[str]:
    """Relative paths to try for ``src`` in ``locale``: its localized copies, then itself."""
    relative = _relative(src)
    if relative is None:
        return []
    path = Path(relative)
    codes = [locale, locale.split("_")[0]] if locale else []
    names = [path.with_name(f"{path.stem}.{code}{path.suffix}").as_posix()
             for code in dict.fromkeys(codes)]
    return [*names, relative]


def image_file(source_dir: Path, src: str, locale: str | None = None) -> Path | None:
    """The image file ``src`` shows in ``locale`` (its localized copy first), or None."""
    root = source_dir.resolve()
    for relative in candidates(src, locale):
        path = (source_dir / relative).resolve()
        if path.is_relative_to(root) and path.suffix.lower() in IMAGE_SUFFIXES \
                and path.is_file():
            return path
    return None


def missing_images(article: Article, source_dir: Path) -> tuple[ImageRef, ...]:
    """The images of ``article`` that are not files under ``source/``."""
    return tuple(ref for ref in image_refs(article) if image_file(source_dir, ref.src) is None)


def check_images(article: Article, source_dir: Path, rel_dir: str) -> list[Diagnostic]:
    """``source.missing-image`` for every image that is not a file under ``source/``."""
    problems = []
    for ref in missing_images(article, source_dir):
        relative = _relative(ref.src)
        if relative is None:
            why = "is not a file in the project (images are not fetched from the network)"
        elif Path(relative).suffix.lower() not in IMAGE_SUFFIXES:
            why = f"is not a {', '.join(s.lstrip('.') for s in IMAGE_SUFFIXES)} file"
        else:
            why = f"was not found in {rel_dir}/"
        problems.append(error(article.path, ref.line, "source.missing-image",
                              f"image '{ref.src}' {why}",
                              f"put the image in {rel_dir}/ beside the article and write its "
                              "name relative to it, e.g. ![A headache diary](diary.png); the "
                              "article is held back until it is there"))
    return problems
