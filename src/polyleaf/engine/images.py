"""Copy the images the published pages show into ``build/site/images/`` (content-hashed names).

The names come from the build's :class:`~polyleaf.render.publication.Publication`, the same
object the pages were rendered from, so a page never links an image the site lacks; the build
removes copies no page shows any more (an old hash after the image was replaced).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from polyleaf.config import Config
from polyleaf.fsutil import write_atomic

if TYPE_CHECKING:
    from polyleaf.render.publication import Publication


def write_images(config: Config, publication: Publication) -> list[str]:
    """Write each image of a published page once; its path below ``build/``."""
    written = []
    for image in publication.site_images():
        target = config.build_dir / "site" / image.path
        if not target.is_file():  # the name is the content's hash: an existing file is the same
            write_atomic(target, (config.root / image.file).read_bytes())
        written.append(f"site/{image.path}")
    return written
