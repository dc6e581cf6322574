"""One writing polyleaf process per project at a time, and clean-up after a crash.

``extract``, ``update`` and ``build`` write catalogs and outputs; two of them at once on one
project would interleave merges and builds. Each takes an exclusive lock on
``<project>/.polyleaf.engine.lock`` first. A second process waits (saying so once) up to a timeout, then
fails with the diagnostic ``project.locked``.

The lock is a POSIX record lock (``fcntl.lockf``), not ``flock``: it belongs to the process that
took it, so build workers forked from that process do not inherit it, and the kernel releases it
the moment the holder exits, however it exits (normally, Ctrl-C, SIGKILL). There is never a
stale lock to delete by hand; the file itself stays (add it to the project's .gitignore).

While holding the lock, :func:`sweep_temp_files` removes the temporary files
:func:`polyleaf.fsutil.write_atomic` leaves behind when a process is killed (SIGKILL, power
loss) between creating its temporary file and renaming it; Ctrl-C cleans up after itself. Only
files older than a minute go: a live write holds its temporary file for well under a second, and
commands that do not take the lock (``pseudo``, ``serve``, ``merge -o``) may be writing.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Callable, Container, Iterable
from pathlib import Path
from types import TracebackType

from polyleaf.errors import PolyleafError, error

LOCK_NAME = ".polyleaf.engine.lock"
DEFAULT_TIMEOUT = 120.0
# write_atomic's temporary files: tempfile.mkstemp(prefix=".<name>.", suffix=".tmp").
_TEMP_RE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")
STALE_AFTER = 60.0  # seconds


class ProjectLocked(PolyleafError):
    """Another polyleaf process held the project lock for longer than the timeout."""


class ProjectLock:
    """A held project lock; released by :meth:`release`, on ``with`` exit, or at process exit."""

    def __init__(self, fd: int, path: Path) -> None:
        self._fd: int | None = fd
        self.path = path

    def release(self) -> None:
        """Give the lock up (idempotent)."""
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the record lock
            self._fd = None

    def __enter__(self) -> ProjectLock:
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 traceback: TracebackType | None) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # EACCES or EAGAIN: someone else holds it
        return False
    return True


def _holder(path: Path) -> str:
    try:
        text = path.read_text(encoding="utf-8", errors="replace").strip()
    except OSError:
        return "another polyleaf process"
    return text or "another polyleaf process"


def acquire(root: Path, what: str, timeout: float = DEFAULT_TIMEOUT,
            on_wait: Callable[[str], None] | None = None, poll: float = 0.05) -> ProjectLock:
    """Lock the project at ``root`` for ``what`` (e.g. ``"polyleaf build"``).

    Waits up to ``timeout`` seconds when another process holds the lock, calling ``on_wait``
    once with a message; raises :class:`ProjectLocked` when the wait times out.
    """
    path = root / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise PolyleafError(error(LOCK_NAME, 0, "project.lock-file",
                                  f"cannot open the lock file: {exc.strerror}",
                                  "polyleaf needs to write in the project directory")) from None
    try:
        if not _try_lock(fd):
            holder = _holder(path)
            if on_wait is not None:
                on_wait(f"polyleaf: waiting for {holder} to finish with this project "
                        f"(up to {timeout:g} s)...")
            deadline = time.monotonic() + timeout
            while not _try_lock(fd):
                if time.monotonic() >= deadline:
                    raise ProjectLocked(error(
                        LOCK_NAME, 0, "project.locked",
                        f"{holder} is still working on this project after {timeout:g} s",
                        "wait for it to finish and run the command again (or raise "
                        "--lock-timeout); the lock is released as soon as that process exits"))
                time.sleep(poll)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{what} (pid {os.getpid()})\n".encode(), 0)
    except BaseException:
        os.close(fd)
        raise
    return ProjectLock(fd, path)


def sweep_temp_files(folders: Iterable[Path], min_age: float = STALE_AFTER,
                     skip: Container[str] = ()) -> list[Path]:
    """Remove ``write_atomic`` temporary files older than ``min_age`` seconds below ``folders``
    (call it holding the lock); folders whose path is in ``skip`` are not entered (the build
    sweeps ``site/`` and ``leaflets/`` in its own walk of them)."""
    removed = []
    now = time.time()
    for folder in folders:
        for directory, dirs, names in os.walk(folder):  # os.walk: 3x faster than Path.rglob
            if skip:
                dirs[:] = [d for d in dirs if os.path.join(directory, d) not in skip]
            for name in names:
                if stale_temp(directory, name, now, min_age):
                    removed.append(Path(directory, name))
    return removed


def stale_temp(directory: str, name: str, now: float, min_age: float = STALE_AFTER) -> bool:
    """Remove ``directory/name`` when it is a ``write_atomic`` temporary file older than
    ``min_age`` seconds; True when it was removed."""
    if not _TEMP_RE.match(name):
        return False
    path = os.path.join(directory, name)
    try:
        if now - os.stat(path).st_mtime > min_age:
            os.unlink(path)
            return True
    except OSError:  # renamed or removed meanwhile: not stale
        return False
    return False
