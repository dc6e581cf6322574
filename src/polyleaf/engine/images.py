"""Copy the images the published pages show into ``build/site/images/`` (content-hashed names).

The names come from the build's :class:`~polyleaf.render.publication.Publication`, the same
object the pages were rendered from, so a page never links an image the site lacks; the build
removes copies no page shows any more (an old hash after the image was replaced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from polyleaf.config import Config
from polyleaf.errors import Diagnostic, PolyleafError, os_error
from polyleaf.fsutil import write_atomic

if TYPE_CHECKING:
    from polyleaf.render.publication import Publication


def write_images(config: Config, publication: Publication) -> tuple[list[str], list[Diagnostic]]:
    """Write each image of a published page once: (their paths below ``build/``, problems).

    An image that cannot be read or written is a diagnostic; the others are still copied, and
    its name is still returned, so an old copy is kept rather than swept."""
    written: list[str] = []
    problems: list[Diagnostic] = []
    for image in publication.site_images():
        target = config.build_dir / "site" / image.path
        written.append(f"site/{image.path}")
        if target.is_file():  # the name is the content's hash: an existing file is the same
            continue
        try:
            write_atomic(target, (config.root / image.file).read_bytes(),
                         f"build/site/{image.path}")
        except PolyleafError as exc:
            problems.extend(exc.diagnostics)
        except OSError as exc:
            problems.append(os_error(image.file, exc))
    return written, problems
