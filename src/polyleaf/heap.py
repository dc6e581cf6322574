"""Handing memory the program has freed back to the operating system.

CPython frees a string's memory when the last reference to it goes, but the C library's
allocator (glibc's malloc) keeps freed blocks in the middle of its heap resident, to reuse
them: a process that reads 170 MB, keeps a tenth of it and reads on holds far more than it
uses (a lean merge of 50,000 long paragraphs: 154 MB resident, 108 MB in use). glibc's
``malloc_trim`` returns such blocks' whole pages; Dask's documentation recommends the same
call for the same reason ("Memory not released back to the OS"). Elsewhere (macOS, musl,
Windows) there is nothing to call and :func:`release_free_memory` does nothing.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # (only here: most runs never need it)

    try:
        trim = ctypes.CDLL(None).malloc_trim  # this process's C library
    except (OSError, AttributeError):  # no glibc (musl)
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int  # int malloc_trim(size_t pad)
    function: Callable[[int], int] = trim
    return function


def release_free_memory() -> bool:
    """Return the freed pages of the C heap to the system; True if there was a way to."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
