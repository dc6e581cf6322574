"""Merging one template file into one catalog file, as ``polyleaf merge`` does: read both,
merge (:mod:`polyleaf.catalog.merge`), hand the merged entries to a writer one at a time.

With a UTF-8 old file over :data:`LEAN_OVER` bytes both files are read lean
(:mod:`polyleaf.catalog.leanread`): the entries carried over unchanged are read again when they
are written instead of being held, which keeps a merge of 50,000 long paragraphs (a 172 MB
catalog and an 87 MB template) under 150 MB of memory. Smaller ones are read whole, which is
faster (each file read once, not about twice). Both give the same bytes. Every problem
reading either file is a :class:`~polyleaf.errors.PolyleafError`; an unknown
language is :class:`~polyleaf.i18n.UnknownLocale`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from polyleaf.catalog.encoding import HEAD, utf8_label
from polyleaf.catalog.leanread import lean_catalogs, lean_key
from polyleaf.catalog.merge import merge_stream
from polyleaf.catalog.pofile import Catalog, Entry
from polyleaf.catalog.reading import read_catalog, shared_msgids
from polyleaf.errors import PolyleafError
from polyleaf.i18n import LocaleInfo, locale_info

LEAN_OVER = 64 << 20  # bytes: an old catalog larger than this is read lean

Merged = tuple[Catalog, Iterator[Entry]]  # the header (no entries) and the entries


@contextmanager
def merged_files(old: Path, template: Path, now: str, lang: str | None = None,
                 lean_over: int | None = None) -> Iterator[Merged]:
    """``template`` merged into ``old`` (``msgmerge --previous old template``): the header and
    the entries, made as they are consumed, which must be inside the ``with`` block (a lean
    read reads ``old`` again meanwhile). The language is ``lang`` if given, else ``old``'s
    ``Language`` header, else English; ``lean_over`` is :data:`LEAN_OVER` unless given."""
    if _size(old) <= (LEAN_OVER if lean_over is None else lean_over) or not _utf8(old):
        new = read_catalog(template, str(template))  # (first: its problems are told first)
        catalog = read_catalog(old, str(old), known=shared_msgids(new))
        merged = merge_stream(catalog, new, _locale(catalog, lang), now)
        del catalog, new  # held only as far as the merged entries need them (peak memory)
        yield merged
        return
    with lean_catalogs(old, str(old), template, str(template)) as (catalog, new, lean):
        yield merge_stream(catalog, new, _locale(catalog, lang), now, resolve=lean.pair,
                           key=lean_key)


def _utf8(path: Path) -> bool:
    """Is ``path`` a UTF-8 PO file (which can be read lean)? False if it cannot be read: the
    whole read says why. Another charset is decoded whole anyway (as the check of its bytes
    needs), and then sharing the template's msgids saves more than standing in would."""
    try:
        with path.open("rb") as stream:
            return utf8_label(stream.read(HEAD + 3), str(path)) is not None
    except (OSError, PolyleafError):
        return False


def _size(path: Path) -> int:
    """The size of ``path``; 0 if it cannot be read (reading it then says why)."""
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _locale(old: Catalog, lang: str | None) -> LocaleInfo:
    return locale_info(lang or old.header_value("Language") or "en")
