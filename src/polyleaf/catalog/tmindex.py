"""A translation memory's shingle index, kept on disk between runs, keyed by the memory's content.

Finding fuzzy matches for a few new entries in a 50,000-unit memory needs an index of the
memory: reading every unit on every ``update`` costs more than the rest of the update. Building
the index is as costly, so it is saved (:func:`open_index`): a base segment, and a delta over
the origins (a catalog, a TMX file) the base does not hold. A segment records each origin it
covers by the sha256 of that origin's sources (:func:`segment_key`), and serves an origin only
under exactly that digest: an origin that changed goes into the delta, the others are read
back (a few milliseconds). Segments no longer used are removed.

A segment maps the 32-bit key of every shingle of :func:`polyleaf.catalog.fuzzy.shingles`
(:func:`polyleaf.catalog.fuzzy.shingle_key`, as the merge's index) to the numbers of the units
holding it (three flat arrays: sorted keys, offsets, unit numbers). Two
shingles with one CRC share a posting list: a lookup may then compare a few more units, never
fewer (the recall argument of :class:`polyleaf.catalog.fuzzy.ShingleIndex` holds: a shingle that
only seems present spends a pick, but raises the budget by one). Every candidate is compared with
rapidfuzz, so the index decides only what is compared, never what matches.

A file that is truncated, corrupted (CRC of the payload), of another version or byte order, or
unreadable is rebuilt silently: the index only ever saves time.
"""

from __future__ import annotations

import hashlib
import json
import struct
import sys
import zlib
from array import array
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from polyleaf.catalog import fuzzy
from polyleaf.catalog.fuzzy import SHARE_MISSING
from polyleaf.errors import PolyleafError
from polyleaf.fsutil import write_atomic
from polyleaf.linear import FUZZY_LONGEST

VERSION = 5  # 4: the merge index's shingle keys (fuzzy.shingle_key); 5: q-gram twins share keys
_MAGIC = f"polyleaf-tm-index-{VERSION} {sys.byteorder}\n".encode()
_HEAD = struct.Struct("<QQQBI")  # origins JSON, keys, postings, unit width, payload CRC
_UNIT_TYPES = {2: "H", 4: "I"}  # unit numbers: 16 bits when the segment has <= 65,536 units
REBUILD_SHARE = 0.25  # the base is built again when the delta holds more units than this share


def query_keys(text: str, cache: dict[str, int]) -> tuple[set[int], int]:
    """The keys of ``shingles(text)`` (units, unit trigrams and, for a short text, character
    q-grams), and how many shingles they are: two shingles sharing a key are one key but two
    shingles, and the slack of a lookup is a share of the shingles. (Trigrams alone would be
    cheaper, but lose a tenth of the matches that several scattered edits leave above the
    cutoff: measured against comparing everything.)"""
    if len(text) > FUZZY_LONGEST:
        return set(), 0
    keys = fuzzy.shingle_keys(text, 0, cache)  # one key a shingle
    return set(keys), len(keys)


def _unit_keys(text: str, longest: float, cache: dict[str, int]) -> set[int]:
    """The keys of ``shingles(text, longest)`` (:func:`polyleaf.catalog.fuzzy.choice_keys`,
    the merge index's), none for a text over :data:`FUZZY_LONGEST`."""
    return set() if len(text) > FUZZY_LONGEST else fuzzy.choice_keys(text, 0, cache, longest)


def segment_key(sources: Sequence[str], cutoff: float) -> str:
    """The sha256 naming the segment of ``sources`` indexed for ``cutoff``."""
    digest = hashlib.sha256(f"{VERSION} {cutoff!r}\n".encode())
    digest.update("\x00".join(sources).encode("utf-8", "surrogatepass"))
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Origin:
    """A run of units of one origin inside a segment: ``count`` units from number ``start``."""

    name: str
    digest: str  # segment_key of the run's sources
    start: int
    count: int


@dataclass(frozen=True, slots=True)
class Run:
    """A run of the memory's units of one origin, and the number of its first unit."""

    name: str
    sources: tuple[str, ...]
    start: int
    digest: str


def runs_of(groups: Sequence[tuple[str, Sequence[str]]], cutoff: float) -> list[Run]:
    """The memory's runs, numbered one after another, each with its digest."""
    runs, start = [], 0
    for name, sources in groups:
        runs.append(Run(name, tuple(sources), start, segment_key(sources, cutoff)))
        start += len(sources)
    return runs


@dataclass(frozen=True, slots=True)
class Segment:
    """Posting lists of some runs' units: ``units[starts[i]:starts[i + 1]]`` hold ``keys[i]``."""

    origins: tuple[Origin, ...]
    keys: array  # type: ignore[type-arg]
    starts: array  # type: ignore[type-arg]
    units: array  # type: ignore[type-arg]

    @property
    def size(self) -> int:
        """How many units the segment indexes."""
        return sum(o.count for o in self.origins)


def build_segment(runs: Sequence[Run], cutoff: float) -> Segment:
    """The index of the units of ``runs`` (numbered in the segment one run after another)."""
    longest = (200 - cutoff) / max(cutoff, 1.0)
    pairs: list[int] = []
    cache: dict[str, int] = {}
    origins, number = [], 0
    for run in runs:
        origins.append(Origin(run.name, run.digest, number, len(run.sources)))
        for text in run.sources:
            pairs.extend([key << 32 | number for key in _unit_keys(text, longest, cache)])
            number += 1
    pairs.sort()
    # split the sorted (key << 32 | unit) pairs into the three arrays with C-level loops only
    halves = memoryview(array("Q", pairs)).cast("B").cast("I")
    low, high = (0, 1) if sys.byteorder == "little" else (1, 0)
    units = array("H" if number <= 0x10000 else "I", halves[low::2])
    counts = Counter(halves[high::2])  # in key order: the pairs are sorted
    keys = array("I", counts.keys())
    starts = array("I", [0])
    starts.extend(accumulate(counts.values()))
    return Segment(tuple(origins), keys, starts, units)


def dump(segment: Segment) -> bytes:
    """The bytes of a segment file."""
    head = json.dumps([[o.name, o.digest, o.start, o.count] for o in segment.origins]).encode()
    payload = head + segment.keys.tobytes() + segment.starts.tobytes() + segment.units.tobytes()
    return _MAGIC + _HEAD.pack(len(head), len(segment.keys), len(segment.units),
                               segment.units.itemsize, zlib.crc32(payload)) + payload


def load(data: bytes) -> Segment | None:
    """The segment of :func:`dump`'s bytes; None when they are not exactly what was written."""
    if not data.startswith(_MAGIC) or len(data) < len(_MAGIC) + _HEAD.size:
        return None
    head, count, postings, unit_width, crc = _HEAD.unpack_from(data, len(_MAGIC))
    payload = memoryview(data)[len(_MAGIC) + _HEAD.size:]
    width = array("I").itemsize
    if unit_width not in _UNIT_TYPES or zlib.crc32(payload) != crc or \
            len(payload) != head + width * (2 * count + 1) + unit_width * postings:
        return None
    try:
        origins = tuple(Origin(str(n), str(d), int(s), int(c))
                        for n, d, s, c in json.loads(bytes(payload[:head])))
    except (ValueError, TypeError):
        return None
    keys, starts, units = array("I"), array("I"), array(_UNIT_TYPES[unit_width])
    body = payload[head:]
    keys.frombytes(body[:width * count])
    starts.frombytes(body[width * count:width * (2 * count + 1)])
    units.frombytes(body[width * (2 * count + 1):])
    if starts[0] != 0 or starts[-1] != postings:
        return None
    return Segment(origins, keys, starts, units)


def _read(path: Path) -> Segment | None:
    try:
        return load(path.read_bytes())
    except OSError:
        return None


def _save(path: Path, segment: Segment) -> None:
    with suppress(PolyleafError):  # a full or read-only disk costs speed next time only
        write_atomic(path, dump(segment), durable=False)


def open_index(runs: Sequence[Run], cutoff: float, directory: Path | None) -> MemoryIndex:
    """The index of ``runs``: a base segment and a delta, read from ``directory`` or built.

    The base covers every run whose digest it holds; the runs it does not hold (changed or
    new catalogs) go into one delta segment, saved under the digest of those runs. When the
    delta grows past :data:`REBUILD_SHARE` of the base, the base is built again over all runs.
    Files no longer used are removed."""
    if directory is None:
        return MemoryIndex(runs, (build_segment(runs, cutoff),))
    base = _read(directory / "base.idx")
    held = {o.digest for o in base.origins} if base is not None else set()
    fresh = [r for r in runs if r.digest not in held]
    fresh_size = sum(len(r.sources) for r in fresh)
    if base is None or fresh_size > REBUILD_SHARE * max(base.size, 1):
        base, fresh = build_segment(runs, cutoff), []
        _save(directory / "base.idx", base)
    segments = [base]
    used = {"base.idx"}
    if fresh:
        digest = hashlib.sha256(" ".join(r.digest for r in fresh).encode()).hexdigest()
        name = f"delta-{digest}.idx"
        used.add(name)
        delta = _read(directory / name)
        if delta is None:
            delta = build_segment(fresh, cutoff)
            _save(directory / name, delta)
        segments.append(delta)
    prune(directory, used)
    return MemoryIndex(runs, tuple(segments))


def prune(directory: Path, used: set[str], pattern: str = "*.idx") -> None:
    """Remove the files of ``directory`` matching ``pattern`` that are not in ``used``."""
    try:
        stale = [p for p in directory.glob(pattern) if p.name not in used]
    except OSError:
        return
    for path in stale:
        try:
            path.unlink()
        except OSError:
            continue


class MemoryIndex:
    """Candidates of a query among the memory's units, through one or two segments."""

    def __init__(self, runs: Sequence[Run], segments: Sequence[Segment]) -> None:
        self.segments = tuple(segments)
        # per segment: its origins' starts, and where each maps in the memory (-1: not live)
        live: dict[str, int] = {}
        for run in runs:
            live.setdefault(run.digest, run.start)
        claimed: set[str] = set()
        self._maps: list[tuple[list[int], list[tuple[int, int, int]]]] = []
        for segment in reversed(self.segments):  # the delta holds the newest runs
            ranges = []
            for o in segment.origins:
                target = live.get(o.digest, -1) if o.digest not in claimed else -1
                claimed.add(o.digest)
                ranges.append((o.start, o.count, target))
            self._maps.append(([r[0] for r in ranges], ranges))
        self._maps.reverse()
        # a segment whose units are the memory's, number for number (the usual base)
        self._identity = tuple(all(start == target for start, _, target in ranges)
                               for _, ranges in self._maps)

    def _spans_of(self, keys: set[int]) -> dict[int, tuple[int, tuple[tuple[int, int], ...]]]:
        """For each of ``keys`` held by some unit: how many units hold it, and its slice in
        each segment. The keys are looked up in order, so each search starts where the last
        one ended."""
        ordered = sorted(keys)
        found: dict[int, list[tuple[int, int]]] = {}
        for number, segment in enumerate(self.segments):
            table, starts, low = segment.keys, segment.starts, 0
            size = len(table)
            for key in ordered:
                low = bisect_left(table, key, low)
                if low == size:
                    break
                if table[low] == key:
                    spans = found.get(key)
                    if spans is None:
                        spans = found[key] = [(0, 0)] * len(self.segments)
                    spans[number] = starts[low], starts[low + 1]
        return {key: (sum(high - low for low, high in spans), tuple(spans))
                for key, spans in found.items()}

    def candidates_of(self, texts: Sequence[str]) -> list[list[int]]:
        """For each text, the units holding one of its rarest present shingles (sorted; may be
        empty). Every unit lacking at most ``SHARE_MISSING`` of a text's shingles
        (:func:`query_keys`) is among them."""
        cache: dict[str, int] = {}
        owns = [query_keys(text, cache) for text in texts]
        info = self._spans_of(set().union(*(keys for keys, _ in owns)))
        return [self._pick(keys, size, info) for keys, size in owns]

    def _pick(self, own: set[int], size: int,
              info: dict[int, tuple[int, tuple[tuple[int, int], ...]]]) -> list[int]:
        """Units in the posting lists of the rarest present keys: ``SHARE_MISSING`` of the
        ``size`` shingles, less the absent keys, plus one. A unit lacking at most that share
        of the shingles lacks at most as many keys (a key it holds for one of its shingles
        counts as held), so it holds one of them."""
        # ties by key: a CRC, the same in every process
        present = [(hit[0], key, hit[1]) for key in own if (hit := info.get(key))]
        present.sort()
        budget = int(SHARE_MISSING * size) - (len(own) - len(present)) + 1
        found: set[int] = set()
        for *_, spans in present[:max(budget, 0)]:
            for (low, high), segment, (starts, ranges), same in zip(
                    spans, self.segments, self._maps, self._identity, strict=True):
                if same:
                    found.update(segment.units[low:high])
                    continue
                for number in segment.units[low:high]:
                    start, count, target = ranges[bisect_right(starts, number) - 1]
                    if target >= 0 and number < start + count:
                        found.add(target + number - start)
        return sorted(found)


__all__ = ["REBUILD_SHARE", "MemoryIndex", "Origin", "Run", "Segment", "build_segment", "dump",
           "load", "open_index", "prune", "query_keys", "runs_of", "segment_key"]
