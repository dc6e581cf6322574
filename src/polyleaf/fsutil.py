"""Atomic, change-only file writes, checked cache payloads and reproducible timestamps.

Users own their .po files and outputs: a crash or Ctrl-C must never leave a truncated file, and a
file whose content did not change is not touched (its mtime stays, version control stays quiet).
Caches under ``build/`` are written as :func:`pack` payloads, which :func:`unpack` refuses
unless they are exactly what was written.
"""

from __future__ import annotations

import errno
import os
import pickle
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

from polyleaf.errors import PolyleafError, os_error


def write_atomic(path: Path, data: bytes, name: str = "", durable: bool = True) -> bool:
    """Write ``data`` to ``path`` atomically; return False (and touch nothing) when unchanged.

    An operating-system error (full disk, name too long, permissions) raises
    :class:`~polyleaf.errors.PolyleafError` naming ``name`` (default: the path); the old file,
    if any, is left as it was. ``durable=False`` skips the fsyncs (caches: after a power cut
    the file may be empty or old, never a mix)."""
    try:
        return _write_atomic(path, data, durable)
    except OSError as exc:
        raise PolyleafError(os_error(name or str(path), exc)) from None


def _write_atomic(path: Path, data: bytes, durable: bool = True) -> bool:
    try:
        # sizes first: a changed file is not read whole just to find it differs
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        pass
    _replace(path, lambda handle: handle.write(data), durable)
    return True


def write_atomic_chunks(path: Path, chunks: Iterable[bytes], name: str = "",
                        durable: bool = True) -> bool:
    """:func:`write_atomic` of ``b"".join(chunks)``, never holding the whole content.

    The chunks are compared with the file as they come; only from the first difference on is
    a temporary file written (the equal part copied from the old file), so an unchanged file
    is read once and not touched, and a 170 MB catalog costs one chunk of memory, not two
    copies of itself."""
    try:
        return _write_chunks(path, iter(chunks), durable)
    except OSError as exc:
        raise PolyleafError(os_error(name or str(path), exc)) from None


def _write_chunks(path: Path, chunks: Iterator[bytes], durable: bool) -> bool:
    try:
        existing: BinaryIO | None = path.open("rb")
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        existing = None
    with existing or nullcontext():
        same, differing = 0, b""  # bytes equal to the old file's start; the first chunk not
        if existing is not None:
            for chunk in chunks:
                if existing.read(len(chunk)) != chunk:
                    differing = chunk
                    break
                same += len(chunk)
            else:
                if not existing.read(1):
                    return False
            existing.seek(0)

        def write(handle: BinaryIO) -> None:
            if existing is not None:
                _copy(existing, handle, same)
            handle.write(differing)
            for chunk in chunks:
                handle.write(chunk)

        _replace(path, write, durable)
    return True


def _copy(source: BinaryIO, target: BinaryIO, size: int) -> None:
    """The first ``size`` bytes of ``source`` to ``target``, 1 MB at a time."""
    while size > 0:
        block = source.read(min(size, 1 << 20))
        if not block:
            raise OSError(errno.EIO, "the file shrank while it was being rewritten")
        target.write(block)
        size -= len(block)


def _replace(path: Path, write: Callable[[BinaryIO], object], durable: bool) -> None:
    """Write a temporary file next to ``path`` with ``write`` and move it over ``path``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # (random, shutil: not on a no-op build's path)

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            if durable:
                os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    if durable:
        _fsync_dir(path.parent)


def outside_project(path: Path, root: Path) -> bool:
    """True when ``path`` (a link, or inside a linked folder) resolves outside ``root``."""
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return True
    except OSError:  # a link loop
        return True
    return False


def leaves(folder: Path, pattern: str, root: Path) -> tuple[list[Path], list[Path]]:
    """Files under ``folder`` matching ``pattern`` (sorted), split into (inside, outside root).

    The outside ones are links out of the project: callers refuse them by name, unread."""
    inside: list[Path] = []
    outside: list[Path] = []
    for path in sorted(folder.glob(pattern)):
        (outside if outside_project(path, root) else inside).append(path)
    return inside, outside


def _fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def build_time() -> datetime:
    """Now, or ``SOURCE_DATE_EPOCH`` when set (reproducible builds)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    return datetime.fromtimestamp(time.time(), tz=UTC)


def po_date(moment: datetime) -> str:
    """Format a timestamp as PO headers do: ``2026-11-28 14:05+0000``."""
    return moment.strftime("%Y-%m-%d %H:%M%z")


def unpack(data: bytes, magic: bytes) -> object | None:
    """The object saved by :func:`pack` with ``magic``; None when the bytes are not exactly what
    was written (truncated, corrupted, another version): the caller starts empty."""
    if not data.startswith(magic):
        return None
    import hashlib  # here, not at the top: OpenSSL is 3.5 MB of RSS that reading a PO never uses

    head, _, payload = data[len(magic):].partition(b"\n")
    if head.decode("ascii", "replace") != hashlib.sha256(payload).hexdigest():
        return None
    try:
        value: object = pickle.loads(payload)
        return value
    except Exception:  # a verified payload of another Python or polyleaf: start empty
        return None


def pack(value: object, magic: bytes) -> bytes:
    """``magic``, the sha256 of the payload, the payload (a pickle)."""
    import hashlib  # as in unpack

    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    return magic + hashlib.sha256(payload).hexdigest().encode() + b"\n" + payload
