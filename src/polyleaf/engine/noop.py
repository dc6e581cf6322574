"""The whole-build fast path: one small file saying what the last complete build left behind.

``build/.polyleaf-cache/last-build`` holds the input stamp of the last build that finished
without a problem (:func:`polyleaf.engine.plan.stamp`: the tool's code, the config and the
*content* digest of every input file), the outputs it vouched for, and its outcomes (pickled
once more, so that loading the file costs a read and a sha256, and the 20,000 outcomes are
unpickled only when someone looks at them). When the stamp of this build's inputs is the same
and every one of those outputs is still there, nothing can differ from what the last build made,
and the build ends without loading the entries cache or the manifest. A build that does not
end there learns from the record which files the last one left under ``site/`` and
``leaflets/``: it deletes those it no longer vouches for without walking 20,000 folders (with
no record, after a killed build, it walks them all).

Finding this build's stamp means reading the stat records of 20,000 digests; cheaper still, the
record also holds a digest of every input's (and every polyleaf source file's) path and *stat*
record -- size, ``mtime_ns``, ``ctime_ns``, inode, device -- under the rule of
:mod:`polyleaf.engine.digests`: it is kept only when every one of those files was settled
(changed at least :data:`~polyleaf.engine.digests.RACY` seconds before the stat), and is trusted
only under the same boot time and a clock not earlier than when it was made. Any write of a
file's bytes sets its ctime to the kernel's current time, so an equal digest proves every input
unchanged since the stamp was taken; a ``touch`` alone changes it and costs the stamp path once.
``POLYLEAF_REHASH=1`` turns this off with the stat records.

Every build that does not end here deletes the file *before* it writes anything and writes it
again only as its very last step, so a killed build, a build with problems or a build by an older
polyleaf never leaves one behind that vouches for a half-written ``build/``. A damaged, truncated
or foreign file is no file (its payload is checked against its sha256): the slow path decides.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from polyleaf import __version__
from polyleaf.config import Config
from polyleaf.engine import digests
from polyleaf.engine.digests import boot_time, pack, sha256_file, unpack
from polyleaf.engine.plan import input_groups
from polyleaf.errors import PolyleafError, os_error
from polyleaf.fsutil import write_atomic

LAST_BUILD = ".polyleaf-cache/last-build"
_MAGIC = b"polyleaf-last-build-3\n"

Row = tuple[object, ...]  # an outcome's fields, in order


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last complete build left: its stamp, outputs and outcomes (still pickled)."""

    stamp: str
    state: str  # :func:`input_state` when the stamp was taken, "" when a file was not settled
    outputs: str  # the outputs' paths relative to the build directory, one a line
    counts: tuple[tuple[str, int], ...]  # outcome status -> how many
    flagged: bytes  # pickled rows of the outcomes that are skipped or failed
    rows: bytes  # pickled rows of all outcomes, in order
    left: str | None = None  # every output file under site/ and leaflets/ it left, one a line

    def outputs_exist(self, build_dir: Path) -> bool:
        """True when every output the last build vouched for is still there (looked up
        relative to the build directory: 20,000 paths are not resolved from ``/`` again)."""
        try:
            folder = os.open(build_dir, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return False
        try:
            there = partial(os.access, mode=os.F_OK, dir_fd=folder)
            return all(map(there, self.outputs.split("\n") if self.outputs else ()))
        finally:
            os.close(folder)


class OutputCheck(threading.Thread):
    """:meth:`LastBuild.outputs_exist` in a thread, while the inputs are looked at (the lookups
    wait on the kernel, not on the interpreter)."""

    def __init__(self, last: LastBuild | None, build_dir: Path) -> None:
        super().__init__(daemon=True)
        self.last, self.build_dir, self.ok = last, build_dir, False
        if last is not None:
            self.start()

    def run(self) -> None:
        """Look (the thread's body)."""
        assert self.last is not None
        self.ok = self.last.outputs_exist(self.build_dir)

    def result(self) -> bool:
        """Whether every output is there (False without a record)."""
        if self.last is None:
            return False
        self.join()
        return self.ok


MAX_RACY = 64  # files changed within the racy window that a record may hash instead


@dataclass(frozen=True, slots=True)
class InputState:
    """The stat records of a build's inputs as one line per file (``trusted``: stat records
    may be used at all: ``POLYLEAF_REHASH`` unset, boot time known)."""

    head: str  # the tool's version, the boot time, the config in use
    taken: float  # the clock when the first file was looked at
    trusted: bool
    lines: tuple[str, ...]  # "<path>\0<size mtime ctime inode device>\n" (or "-"), in order
    paths: tuple[str, ...] = ()  # each line's file ("" for a folder's line)
    stats: tuple[os.stat_result | None, ...] = ()  # each line's stat result

    def racy(self) -> list[str]:
        """The files changed less than :data:`~polyleaf.engine.digests.RACY` seconds before
        they were looked at: their stat records prove nothing."""
        limit = (self.taken - digests.RACY) * 1e9
        return sorted(p for p, st in zip(self.paths, self.stats, strict=True)
                      if st is not None and max(st.st_mtime_ns, st.st_ctime_ns) > limit)

    def seen(self) -> dict[str, os.stat_result]:
        """path -> stat result, for the files that could be looked at."""
        return {p: st for p, st in zip(self.paths, self.stats, strict=True) if st is not None}

    def digest(self, hashed: Iterable[str], content: Callable[[str], str]) -> str:
        """The digest of every line, the files ``hashed`` by their ``content`` digest instead."""
        lines = list(self.lines)
        wanted = set(hashed)
        if wanted:
            found = {p: i for i, p in enumerate(self.paths) if p in wanted}
            if len(found) != len(wanted):  # one is no input now: the lines cannot match
                return "-"
            for path, at in found.items():
                lines[at] = f"{path}\0sha256:{content(path)}\n"
        return hashlib.sha256("".join([self.head, *lines]).encode()).hexdigest()


def code_files() -> list[str]:
    """polyleaf's own source files (what :func:`~polyleaf.engine.plan.code_fingerprint` reads)."""
    folder = Path(__file__).resolve().parents[1]
    return sorted(str(p) for p in folder.rglob("*.py"))


def input_state(config: Config) -> InputState:
    """The tool's version, the config in use, the boot time and the path and stat record of
    every input file and every polyleaf source file."""
    now = time.time()
    boot = boot_time()
    trusted = os.environ.get("POLYLEAF_REHASH", "") in ("", "0") and boot is not None
    lines: list[str] = []
    paths: list[str] = []
    stats: list[os.stat_result | None] = []
    for folder, names in [("", code_files()), *input_groups(config)]:
        lines.append(f"{folder}\0{len(names)}\n")
        paths.append("")
        stats.append(None)
        found = _stats(folder, names)
        stats += found
        for name, st in zip(names, found, strict=True):
            path = f"{folder}/{name}" if folder else name
            paths.append(path)
            lines.append(f"{path}\0-\n" if st is None else
                         f"{path}\0{st.st_size} {st.st_mtime_ns} {st.st_ctime_ns} {st.st_ino} "
                         f"{st.st_dev}\n")
    return InputState(f"{__version__}\0{boot}\0{config!r}\0", now, trusted, tuple(lines),
                      tuple(paths), tuple(stats))


def _stats(folder: str, names: list[str]) -> list[os.stat_result | None]:
    """``os.stat`` of each name in ``folder`` (or of each path when ``folder`` is ""), None
    when it cannot be read; relative to the folder, so each path is not resolved again."""
    try:
        fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY) if folder else None
    except OSError:
        return [None] * len(names)
    found: list[os.stat_result | None] = []
    try:
        for name in names:
            try:
                found.append(os.stat(name, dir_fd=fd))
            except OSError:
                found.append(None)
    finally:
        if fd is not None:
            os.close(fd)
    return found


def unchanged(last: LastBuild | None, state: InputState) -> bool:
    """True when ``state`` proves the inputs as they were when ``last``'s stamp was taken: the
    same stat records, except for the files that were racy then, whose bytes must have the
    digest the stamp had; and the clock did not go back since."""
    if last is None or not last.state or not state.trusted:
        return False
    head, _, racy = last.state.partition("\n")
    digest, _, then = head.partition(" ")
    try:
        if state.taken < float(then):
            return False
    except ValueError:
        return False
    return digest == state.digest(racy.split("\n") if racy else (),
                                  lambda path: sha256_file(Path(path)))


def read_last_build(build_dir: Path) -> LastBuild | None:
    """The last complete build's record, or None (missing, damaged, of another version)."""
    try:
        data = (build_dir / LAST_BUILD).read_bytes()
    except OSError:
        return None
    found = unpack(data, _MAGIC)
    if not isinstance(found, tuple) or len(found) != 7:
        return None
    try:
        return LastBuild(*found)
    except TypeError:
        return None


def forget_last_build(build_dir: Path) -> None:
    """Delete the record (a build that writes anything calls this first)."""
    try:
        os.unlink(build_dir / LAST_BUILD)
    except FileNotFoundError:
        return
    except OSError as exc:  # a record that cannot be removed must not vouch for what follows
        raise PolyleafError(os_error(f"build/{LAST_BUILD}", exc)) from None


def save_last_build(build_dir: Path, stamp: str, state: str, outputs: Iterable[str],
                    rows: list[Row], flagged: list[Row], counts: Mapping[str, int],
                    left: Iterable[str] | None) -> None:
    """Write the record of a build that just finished (the last thing a build does);
    ``state``: :func:`state_of`; ``left``: the files it left under site/ and leaflets/ (None:
    not known)."""
    write(build_dir, LastBuild(stamp, state,
                               "\n".join(sorted(outputs)), tuple(sorted(counts.items())),
                               pickle.dumps(flagged, protocol=pickle.HIGHEST_PROTOCOL),
                               pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL),
                               None if left is None else "\n".join(sorted(left))))


def state_of(state: InputState, content: Callable[[str], str]) -> str:
    """What a record keeps of ``state``: its digest, time and racy files (hashed by
    ``content``, the digests the stamp was taken from), or "" when it cannot be trusted."""
    racy = state.racy()
    code = f"{Path(__file__).resolve().parents[1]}{os.sep}"  # the code is stamped by its own
    if not state.trusted or len(racy) > MAX_RACY or any(p.startswith(code) for p in racy):
        return ""
    return "\n".join([f"{state.digest(racy, content)} {state.taken!r}", *racy])


def write(build_dir: Path, record: LastBuild) -> None:
    """Save ``record`` atomically (a failure costs the next build its fast path only)."""
    fields = (record.stamp, record.state, record.outputs, record.counts, record.flagged,
              record.rows, record.left)
    try:
        write_atomic(build_dir / LAST_BUILD, pack(fields, _MAGIC), durable=False)
    except PolyleafError:
        return


def rows_of(blob: bytes) -> list[Row]:
    """The rows pickled by :func:`save_last_build`."""
    found = pickle.loads(blob)
    return found if isinstance(found, list) else []


__all__ = ["LAST_BUILD", "MAX_RACY", "InputState", "LastBuild", "OutputCheck", "code_files",
           "forget_last_build", "input_state", "read_last_build", "rows_of", "save_last_build",
           "state_of", "unchanged", "write"]
