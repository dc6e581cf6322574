"""The build cache: what was parsed and decided, keyed by the sha256 of everything it depends on.

One file, ``build/.polyleaf-cache/entries``: a pickle of key -> value, preceded by a magic line
naming the tool's code fingerprint and by the sha256 of the payload. Keys are digests of the
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

ENTRIES = ".polyleaf-cache/entries"


def _magic() -> bytes:
    return f"polyleaf-cache-1 {code_fingerprint()}\n".encode()


class BuildCache:
    """Entries of the last build; those this build used or added are saved for the next."""

    def __init__(self, build_dir: Path | None) -> None:
        self.path = build_dir / ENTRIES if build_dir is not None else None
        self._old: dict[str, object] = self._load()
        self._new: dict[str, object] = {}
        self.hits = 0
        self.misses = 0

    def _load(self) -> dict[str, object]:
        if self.path is None:
            return {}
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        found = unpack(data, _magic())
        return found if isinstance(found, dict) else {}

    def get(self, key: str) -> object | None:
        """The value saved under ``key``, or None."""
        found = self._new.get(key)
        if found is None:
            found = self._old.get(key)
            if found is not None:
                self._new[key] = found
        if found is None:
            self.misses += 1
        else:
            self.hits += 1
        return found

    def put(self, key: str, value: object) -> None:
        """Remember ``value`` under ``key`` (a digest of all it was computed from)."""
        self._new[key] = value

    def save(self) -> None:
        """Write this build's entries when they differ from the last build's (atomically)."""
        if self.path is None or self._new.keys() == self._old.keys():
            return
        try:
            write_atomic(self.path, pack(self._new, _magic()), durable=False)
        except PolyleafError:  # a full disk costs speed next time, never correctness
            return


__all__ = ["ENTRIES", "BuildCache"]
