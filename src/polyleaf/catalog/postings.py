"""Posting arrays of a shingle index: sorted distinct keys, where each key's choices start, the
choices' numbers, and a table of where the keys with each value of their top bits begin.

Built from ``key << 32 | number`` pairs bucketed by the top bits of the key, one bucket at a
time (:func:`posting_arrays`), so the index never holds a Python int per pair at once.
"""

from __future__ import annotations

import sys
from array import array
from bisect import bisect_left
from collections import Counter
from itertools import accumulate, repeat

from polyleaf.heap import release_free_memory

# The buckets' freed memory is handed back to the system (polyleaf.heap) each time this many
# pairs (1 MB of them) have been moved into the arrays: glibc keeps the small freed buckets
# resident beside the growing arrays, which then held both (50,000 long paragraphs: +14 MB
# at the index's peak, +8 MB with the trims; a 10,000-entry catalog has fewer pairs than this)
TRIM_PAIRS = 1 << 17


def starts_by_top_bits(keys: array, bits: int) -> array:  # type: ignore[type-arg]
    """Where the sorted ``keys`` with each value of their top ``bits`` bits begin, and their
    length at the end (one C-level bisect a value)."""
    table = array("I", map(bisect_left, repeat(keys), range(0, 1 << 32, 1 << (32 - bits))))
    table.append(len(keys))
    return table


def posting_arrays(buckets: list[array],  # type: ignore[type-arg]
                    ) -> tuple[array, array, array, array]:  # type: ignore[type-arg]
    """Sorted distinct keys, posting starts, choice numbers and where each bucket's keys begin,
    from ``key << 32 | number`` pairs bucketed by the top bits of the key: each bucket is
    sorted alone and freed, so the index never holds a Python int per pair at once (7,500
    paragraphs have 0.5-0.9 M pairs: 20-36 MB as a list of ints)."""
    keys, starts, numbers, first = array("I"), array("I", [0]), array("I"), array("I", [0])
    low, high = (0, 1) if sys.byteorder == "little" else (1, 0)
    moved = 0
    for position, bucket in enumerate(buckets):
        buckets[position] = array("Q")
        if not bucket:
            first.append(len(keys))
            continue
        ordered = array("Q", sorted(bucket))
        moved += len(bucket)
        del bucket
        if moved >= TRIM_PAIRS:
            moved = 0
            release_free_memory()
        halves = memoryview(ordered).cast("B").cast("I")
        numbers.frombytes(halves[low::2].tobytes())  # copied in C: no int per pair
        counts = Counter(halves[high::2])  # in key order: the pairs are sorted
        keys.extend(counts)
        base = starts[-1]
        starts.extend([base + total for total in accumulate(counts.values())])
        first.append(len(keys))
    return keys, starts, numbers, first
