"""Freed memory handed back to the system (polyleaf.heap) really leaves the process."""

from __future__ import annotations

import platform
import sys

import pytest

from polyleaf.heap import release_free_memory


def _resident_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))


@pytest.mark.skipif(not sys.platform.startswith("linux") or platform.libc_ver()[0] != "glibc",
                    reason="malloc_trim is glibc's; elsewhere release_free_memory does nothing")
def test_freed_blocks_in_the_middle_of_the_heap_are_handed_back() -> None:
    assert release_free_memory()
    kept, spare = [], []
    for number in range(60_000):  # 2 KB strings: malloc's heap, not Python's small-object pools
        (kept if number % 10 == 0 else spare).append(f"{number:05d}" * 400)
    before = _resident_kb()
    del spare  # 108 MB freed, every block between two kept ones: nothing at the heap's top
    held = _resident_kb()
    assert release_free_memory()
    after = _resident_kb()
    assert len(kept) == 6000
    assert before - after > 60_000, (before, held, after)  # most of the 108 MB
