"""The whole-build fast path: one small file saying what the last complete build left behind.

``build/.polyleaf-cache/last-build`` holds the input stamp of the last build that finished
without a problem (:func:`polyleaf.engine.plan.stamp`: the tool's code, the config and the
*content* digest of every input file), the outputs it vouched for, and its outcomes (pickled
once more, so that loading the file costs a read and a sha256, and the 20,000 outcomes are
unpickled only when someone looks at them). When the stamp of this build's inputs is the same
and every one of those outputs is still there, nothing can differ from what the last build made,
and the build ends without loading the entries cache or the manifest.

Every build that does not end here deletes the file *before* it writes anything and writes it
again only as its very last step, so a killed build, a build with problems or a build by an older
polyleaf never leaves one behind that vouches for a half-written ``build/``. A damaged, truncated
or foreign file is no file (its payload is checked against its sha256): the slow path decides.
"""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from polyleaf.engine.digests import pack, unpack
from polyleaf.errors import PolyleafError, os_error
from polyleaf.fsutil import write_atomic

LAST_BUILD = ".polyleaf-cache/last-build"
_MAGIC = b"polyleaf-last-build-1\n"

Row = tuple[object, ...]  # an outcome's fields, in order


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last complete build left: its stamp, outputs and outcomes (still pickled)."""

    stamp: str
    outputs: str  # the outputs' paths relative to the build directory, one a line
    counts: tuple[tuple[str, int], ...]  # outcome status -> how many
    flagged: bytes  # pickled rows of the outcomes that are skipped or failed
    rows: bytes  # pickled rows of all outcomes, in order

    def outputs_exist(self, build_dir: Path) -> bool:
        """True when every output the last build vouched for is still a file there."""
        folder = f"{build_dir}/"
        exists = os.path.isfile
        return all(exists(folder + name) for name in self.outputs.split("\n") if name)


def read_last_build(build_dir: Path) -> LastBuild | None:
    """The last complete build's record, or None (missing, damaged, of another version)."""
    try:
        data = (build_dir / LAST_BUILD).read_bytes()
    except OSError:
        return None
    found = unpack(data, _MAGIC)
    if not isinstance(found, tuple) or len(found) != 5:
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


def save_last_build(build_dir: Path, stamp: str, outputs: Iterable[str],
                    rows: list[Row], flagged: list[Row], counts: Mapping[str, int]) -> None:
    """Write the record of a build that just finished (the last thing a build does)."""
    record = (stamp, "\n".join(sorted(outputs)), tuple(sorted(counts.items())),
              pickle.dumps(flagged, protocol=pickle.HIGHEST_PROTOCOL),
              pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL))
    try:
        write_atomic(build_dir / LAST_BUILD, pack(record, _MAGIC), durable=False)
    except PolyleafError:  # an optimisation only: the next build takes the slow path
        return


def rows_of(blob: bytes) -> list[Row]:
    """The rows pickled by :func:`save_last_build`."""
    found = pickle.loads(blob)
    return found if isinstance(found, list) else []


__all__ = ["LAST_BUILD", "LastBuild", "forget_last_build", "read_last_build", "rows_of",
           "save_last_build"]
