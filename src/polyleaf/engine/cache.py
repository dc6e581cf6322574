"""The build cache: what was parsed and decided, keyed by the sha256 of everything it depends on.

Files under ``build/.polyleaf-cache/entries.d/``, one per shard (the articles, then what each
locale's files decide): each a pickle of key -> value, preceded by a magic line naming the
tool's code fingerprint and by the sha256 of the payload. Keys are digests of the
*contents* of every input a value was computed from (see :mod:`polyleaf.engine.incremental`), so
an entry can only be found again by the same inputs: an edit misses, a revert hits what the
original content gave, a ``touch`` or a clock change alters no key. The file is written with
:func:`polyleaf.fsutil.write_atomic`: a killed build leaves the old cache or the new one, both
true. A file that is truncated, corrupted, of another polyleaf version or unreadable is an
empty cache, silently; the cache only ever saves time.

The cache lives under ``build/`` and is trusted like Python's ``__pycache__``: whoever can write
there can also replace the outputs it describes.
"""

from __future__ import annotations

from pathlib import Path

from polyleaf.engine.digests import pack, unpack
from polyleaf.engine.plan import code_fingerprint
from polyleaf.errors import PolyleafError
from polyleaf.fsutil import write_atomic

ENTRIES = ".polyleaf-cache/entries.d"  # one file per shard: the articles, each locale
OLD_ENTRIES = ".polyleaf-cache/entries"  # where every entry was kept in one file: removed


def _magic() -> bytes:
    return f"polyleaf-cache-2 {code_fingerprint()}\n".encode()


class BuildCache:
    """Entries of the last build; those this build used or added are saved for the next.

    Entries live in shards (``shard``: "articles", or a locale code for what is computed from
    that locale's files): a shard is read when first used and written only when this build used
    another set of its entries, so an edit of one catalog rewrites one locale's shard."""

    def __init__(self, build_dir: Path | None) -> None:
        self.folder = build_dir / ENTRIES if build_dir is not None else None
        self._old: dict[str, dict[str, object]] = {}  # shard -> the last build's entries
        self._new: dict[str, dict[str, object]] = {}  # shard -> the entries this build used
        self.hits = 0
        self.misses = 0

    def _shard(self, shard: str) -> dict[str, object]:
        found = self._old.get(shard)
        if found is None:
            found = self._old[shard] = self._load(shard)
            self._new[shard] = {}
        return found

    def _load(self, shard: str) -> dict[str, object]:
        if self.folder is None:
            return {}
        try:
            data = (self.folder / (shard or "default")).read_bytes()
        except OSError:
            return {}
        found = unpack(data, _magic())
        return found if isinstance(found, dict) else {}

    def get(self, key: str, shard: str = "") -> object | None:
        """The value saved under ``key`` in ``shard``, or None."""
        old = self._shard(shard)
        new = self._new[shard]
        found = new.get(key)
        if found is None:
            found = old.get(key)
            if found is not None:
                new[key] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, value: object, shard: str = "") -> None:
        """Remember ``value`` under ``key`` (a digest of all it was computed from)."""
        self._shard(shard)
        self._new[shard][key] = value

    def save(self) -> None:
        """Write each shard whose entries differ from the last build's (atomically)."""
        if self.folder is None:
            return
        for shard, entries in self._new.items():
            if entries.keys() == self._old[shard].keys():
                continue
            try:
                write_atomic(self.folder / (shard or "default"), pack(entries, _magic()),
                             durable=False)
            except PolyleafError:  # a full disk costs speed next time, never correctness
                continue
        try:
            (self.folder.parent.parent / OLD_ENTRIES).unlink(missing_ok=True)
        except OSError:
            return


__all__ = ["ENTRIES", "OLD_ENTRIES", "BuildCache"]
