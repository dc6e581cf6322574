"""Content digests of a build's input files, with a stat record that can only skip re-hashing.

Every decision the build caches is keyed by the sha256 of file *contents*, never by a file's
dates. Hashing 20,000 catalogs costs about a second, so the digest of a file whose metadata is
exactly as recorded is reused, under a rule that cannot hide a change of content:

- the record holds size, ``mtime_ns``, ``ctime_ns``, inode and device, and all five must match.
  Any write of a file's bytes sets its ctime to the kernel's current time, and no program can
  set a ctime (``touch``/``os.utime`` set mtime, and set ctime to *now*): putting an old mtime
  back on an edited file is seen;
- a file is recorded only when its ctime and mtime are at least :data:`RACY` seconds older than
  the clock at recording time ("racy git"): two writes in one timestamp tick (coarse clocks,
  FAT's 2 s) cannot share a record. A later write then gets a ctime later than the recorded one
  unless the clock went back;
- the clock going back is detected through the boot time the kernel derives from it
  (``/proc/stat`` ``btime`` moves by the size of any step of the wall clock): when it differs
  from the recorded one, or cannot be read, or the clock reads earlier than the recording time,
  every file is hashed again.

What is left is a clock stepped back and forward again by the same amount, to the second,
with an edit of the same size landing exactly in the timestamp tick of the file's previous
change in between. ``POLYLEAF_REHASH=1`` (or :func:`DigestStore` with ``trust_stat=False``)
hashes every file regardless.
"""

from __future__ import annotations

import hashlib
import os
import time
from pathlib import Path

from polyleaf.errors import PolyleafError
from polyleaf.fsutil import pack, unpack, write_atomic

RACY = 3.0  # seconds: a file changed more recently than this is hashed on every build
STORE = ".polyleaf-cache/digests"
_MAGIC = b"polyleaf-digests-1\n"

Record = tuple[int, int, int, int, int, str]  # size, mtime_ns, ctime_ns, ino, dev, sha256


def boot_time() -> int | None:
    """The kernel's boot time in wall-clock seconds (Linux), None when unknown."""
    try:
        with open("/proc/stat", "rb") as handle:
            for line in handle:
                if line.startswith(b"btime "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def sha256_file(path: Path) -> str:
    """sha256 of a file's bytes ('-' when it cannot be read)."""
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return "-"


class DigestStore:
    """sha256 of input files for one build; ``save`` keeps the safe stat records for the next."""

    def __init__(self, build_dir: Path, trust_stat: bool | None = None,
                 seen: dict[str, os.stat_result] | None = None) -> None:
        self.path = build_dir / STORE
        # stat results taken before this store was made (so before any file is read): a
        # record made from one holds metadata at least as old as the bytes hashed, which is
        # all the rule above needs
        self._seen = seen or {}
        if trust_stat is None:
            trust_stat = os.environ.get("POLYLEAF_REHASH", "") in ("", "0")
        self.now = time.time()
        self.boot = boot_time()
        self._old: dict[str, Record] = self._load() if trust_stat else {}
        self._new: dict[str, Record] = {}
        self._digests: dict[str, str] = {}
        self.hashed = 0  # files read this build (the others' records held)

    def _load(self) -> dict[str, Record]:
        try:
            data = self.path.read_bytes()
        except OSError:
            return {}
        saved = unpack(data, _MAGIC)
        if not isinstance(saved, tuple) or len(saved) != 3:
            return {}
        boot, written, records = saved
        if self.boot is None or boot != self.boot or not isinstance(written, float) \
                or self.now < written or not isinstance(records, dict):
            return {}  # the clock was stepped (or cannot be checked): hash everything
        return records

    def file(self, path: Path | str) -> str:
        """sha256 of ``path``'s bytes ('-' when missing or unreadable)."""
        key = path if isinstance(path, str) else str(path)
        found = self._digests.get(key)
        if found is not None:
            return found
        st = self._seen.pop(key, None)
        if st is None:
            try:
                st = os.stat(key)
            except OSError:
                self._digests[key] = "-"
                return "-"
        meta = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, st.st_dev)
        old = self._old.get(key)
        if old is not None and old[:5] == meta:
            digest = old[5]
        else:
            digest = sha256_file(Path(key))
            self.hashed += 1
        newest = max(st.st_mtime_ns, st.st_ctime_ns) / 1e9
        if digest != "-" and newest <= self.now - RACY:
            self._new[key] = (*meta, digest)
        self._digests[key] = digest
        return digest

    def many(self, paths: list[Path] | list[str]) -> str:
        """One digest over several files, in the given order."""
        return hashlib.sha256("\0".join(f"{os.path.basename(p)}:{self.file(p)}"
                                        for p in paths).encode()).hexdigest()

    def save(self) -> None:
        """Keep this build's records (only files it looked at) for the next build."""
        if self.boot is None:
            return
        if self._new == self._old:
            return
        try:
            write_atomic(self.path, pack((self.boot, self.now, self._new), _MAGIC),
                         durable=False)
        except PolyleafError:  # a cache is an optimisation: a failed write costs speed only
            return


__all__ = ["RACY", "DigestStore", "boot_time", "pack", "sha256_file", "unpack"]
