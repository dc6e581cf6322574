"""Word diffs for reviewers: what changed in a text since it was approved.

Texts are split at Unicode word boundaries (UAX #29, ``unicode-segmentation-rs``), so a
Chinese or Japanese text diffs character by character and an Arabic one word by word. The
common start and end are trimmed in linear time; the middle is aligned by rapidfuzz's
Levenshtein opcodes (bit-parallel, C++). A middle too large to align quickly (both sides long
and different) is shown as one deletion and one insertion: still exact, only coarser.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import Levenshtein
from unicode_segmentation_rs import split_word_bounds

MAX_CELLS = 400_000_000  # tokens x tokens aligned at most (about half a second)


@dataclass(frozen=True, slots=True)
class Change:
    """One run of a diff: ``equal``, ``delete`` (only in the old text) or ``insert``."""

    op: str
    text: str


def _common_prefix(a: list[str], b: list[str]) -> int:
    size = min(len(a), len(b))
    index = 0
    while index < size and a[index] == b[index]:
        index += 1
    return index


def _runs(a: list[str], b: list[str]) -> list[Change]:
    if not a or not b or len(a) * len(b) > MAX_CELLS:
        return [Change(op, "".join(t)) for op, t in (("delete", a), ("insert", b)) if t]
    found: list[Change] = []
    for op in Levenshtein.opcodes(a, b):
        tag, i1, i2, j1, j2 = op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end
        if tag == "equal":
            found.append(Change("equal", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            found.append(Change("delete", "".join(a[i1:i2])))
        if j2 > j1:
            found.append(Change("insert", "".join(b[j1:j2])))
    return found


def word_diff(old: str, new: str) -> list[Change]:
    """The changes that turn ``old`` into ``new``, by words; adjacent runs of one kind merged."""
    a, b = split_word_bounds(old), split_word_bounds(new)
    head = _common_prefix(a, b)
    tail = _common_prefix(a[head:][::-1], b[head:][::-1])
    middle = _runs(a[head:len(a) - tail], b[head:len(b) - tail])
    runs = [Change("equal", "".join(a[:head])), *middle,
            Change("equal", "".join(a[len(a) - tail:]))]
    merged: list[Change] = []
    for run in runs:
        if not run.text:
            continue
        if merged and merged[-1].op == run.op:
            merged[-1] = Change(run.op, merged[-1].text + run.text)
        else:
            merged.append(run)
    return merged


def changed(diff: list[Change]) -> bool:
    """True when the diff holds any insertion or deletion."""
    return any(c.op != "equal" for c in diff)
