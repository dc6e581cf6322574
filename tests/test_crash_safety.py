"""Nothing is lost: SIGKILL at random points of update and build, and two processes at once.

The crash test runs ``polyleaf update`` and ``polyleaf build`` as subprocesses and kills each
(with its build workers: the whole process group) with SIGKILL, either at a random moment or
right after a chosen write event (a temporary file fsynced but not yet renamed, or a rename just
done). A small wrapper, test code only, reports those events on stderr. After every kill:

- every .po and .pot parses, and every .po still holds every translation it ever had (live, fuzzy
  or obsolete);
- no PDF or HTML output is partial;

and at the end one clean update and build succeed, remove the stale temporary files the kills
left (the tools own them and sweep those older than a minute under the project lock), and
produce exactly what a fresh build of the same inputs produces.
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from polyleaf.catalog.reading import read_catalog
from polyleaf.engine.lock import LOCK_NAME
from tests.conftest import copy_project
from tests.test_bad_input import configure

KILLS = int(os.environ.get("POLYLEAF_CRASH_KILLS", "20"))
SEED = int(os.environ.get("POLYLEAF_CRASH_SEED", str(random.SystemRandom().randrange(10**6))))
MSGFMT = shutil.which("msgfmt")
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1767225600"}
# Test-only fault injection: say on stderr when a temporary file is fsynced (written, not yet
# renamed), when it is renamed, and when its directory is fsynced (done), then pause briefly so
# that a kill lands in exactly that state.
WRAPPER = """
import os, stat, sys, time
_fsync, _replace = os.fsync, os.replace
def fsync(fd):
    _fsync(fd)
    kind = b"fsync-dir" if stat.S_ISDIR(os.fstat(fd).st_mode) else b"fsync-file"
    os.write(2, b"@@event " + kind + b"\\n")
    time.sleep(0.005)
def replace(src, dst, **kw):
    _replace(src, dst, **kw)
    os.write(2, ("@@event replace " + os.fspath(dst) + "\\n").encode())
    time.sleep(0.005)
os.fsync, os.replace = fsync, replace
from polyleaf.cli import main
main(prog_name="polyleaf")
"""


@dataclass
class Run:
    """What one (possibly killed) command did."""

    command: str
    events: int
    killed: bool
    seconds: float


@dataclass(frozen=True)
class Calibration:
    """How long a command with work to do takes here, and how many write events it has."""

    seconds: dict[str, float]
    events: dict[str, int]


@dataclass
class Crashes:
    """The project under test, its calibration, and what the kills found."""

    root: Path
    wrapper: Path
    calibration: Calibration
    runs: list[Run] = field(default_factory=list)
    temp_files_seen: int = 0


class EventLog(threading.Thread):
    """Reads a process's stderr, stamping each line; SIGKILLs its group at the first event of
    kind ``target`` (any kind: None) from the ``kill_at``-th event on."""

    def __init__(self, proc: subprocess.Popen[bytes], kill_at: int | None = None,
                 target: bytes | None = None) -> None:
        super().__init__(daemon=True)
        self.proc = proc
        self.kill_at = kill_at
        self.target = target
        self.killed = False
        self.lines: list[tuple[float, bytes]] = []
        self.start()

    def run(self) -> None:
        assert self.proc.stderr is not None
        count = 0
        for line in iter(self.proc.stderr.readline, b""):
            self.lines.append((time.monotonic(), line))
            if not line.startswith(b"@@event"):
                continue
            count += 1
            kind_matches = self.target is None or line.split()[1] == self.target
            if self.kill_at is not None and count >= self.kill_at and kind_matches \
                    and not self.killed and self.proc.poll() is None:
                kill(self.proc)
                self.killed = True
        self.proc.stderr.close()

    def events(self) -> list[float]:
        return [t for t, line in self.lines if line.startswith(b"@@event")]


def kill(proc: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and its build workers (its own process group)."""
    with contextlib.suppress(ProcessLookupError):  # already gone
        os.killpg(proc.pid, signal.SIGKILL)


def start(root: Path, wrapper: Path, *args: str) -> subprocess.Popen[bytes]:
    """``polyleaf -C root ARGS`` through the event-reporting wrapper, in its own group."""
    return subprocess.Popen([sys.executable, str(wrapper), "-C", str(root), *args],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=ENV,
                            start_new_session=True)


def polyleaf(root: Path, wrapper: Path, *args: str, kill_at_event: int | None = None,
             target: bytes | None = None, kill_after: float | None = None) -> Run:
    """Run one command; SIGKILL it right after a write event (the first of kind ``target`` from
    the k-th on) or after some seconds."""
    began = time.monotonic()
    proc = start(root, wrapper, *args)
    log = EventLog(proc, kill_at_event, target)
    killed = False
    if kill_after is not None:
        try:
            proc.wait(timeout=kill_after)
        except subprocess.TimeoutExpired:
            kill(proc)
            killed = True
    proc.wait()
    log.join()
    return Run(args[0], len(log.events()), killed or log.killed, time.monotonic() - began)


def translations(root: Path) -> dict[Path, set[str]]:
    """Every non-empty translation text of every catalog (what must never be lost)."""
    found: dict[Path, set[str]] = {}
    for path in sorted((root / "locales").glob("*/LC_MESSAGES/*.po")):
        catalog = read_catalog(path, str(path))  # raises on anything unreadable
        found[path] = {text for e in catalog.entries for text in (e.msgstr, *e.msgstr_plural)
                       if text}
    return found


def assert_intact(root: Path, kept: dict[Path, set[str]]) -> None:
    """Every catalog parses and keeps its translations; no output is partial."""
    for path in (root / "locales").glob("*.pot"):
        read_catalog(path, str(path))
    now = translations(root)
    for path, texts in kept.items():
        assert not texts - now.get(path, set()), f"{path.name} lost translations"
    for pdf in (root / "build").rglob("*.pdf"):
        data = pdf.read_bytes()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), f"partial {pdf}"
    for html in (root / "build").rglob("*.html"):
        assert html.read_text(encoding="utf-8").rstrip().endswith("</html>"), f"partial {html}"
    manifest = root / "build" / ".polyleaf-manifest.json"
    if manifest.exists():
        json.loads(manifest.read_text(encoding="utf-8"))


def temp_files(root: Path) -> list[Path]:
    return [p for p in root.rglob(".*.tmp") if p.is_file()]


_EDIT = re.compile(r" \(edit \d+\) Rest helps\.")


def _edit_sources(root: Path, run: int) -> None:
    """The first paragraph of every article gains a sentence naming ``run`` (replacing the
    previous one): update has catalogs to merge, and the build has pages to render."""
    for path in (root / "source").glob("*.md"):
        head, sep, body = _EDIT.sub("", path.read_text(encoding="utf-8")).partition("\n---\n\n")
        first, rest = body.split("\n\n", 1)
        path.write_text(f"{head}{sep}{first} (edit {run}) Rest helps.\n\n{rest}", encoding="utf-8")


def _touch_styles(root: Path, run: int) -> None:
    """A leaflet stylesheet comment naming ``run``: every leaflet is out of date."""
    css = root / "templates" / "assets" / "leaflet.css"
    lines = [line for line in css.read_text(encoding="utf-8").splitlines()
             if not line.startswith("/* crash-test run")]
    css.write_text("\n".join([*lines, f"/* crash-test run {run} */"]) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Calibration]:
    """The example, Spanish only, A4: updated (sources edited) and built once, both timed."""
    base = tmp_path_factory.mktemp("crash")
    root = configure(copy_project(base / "project"), '["a4"]', '["es"]')
    wrapper = base / "wrapper.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    _edit_sources(root, -1)
    update = polyleaf(root, wrapper, "update")
    build = polyleaf(root, wrapper, "build", "--executor", "serial")
    assert update.events > 5 and build.events > 10
    return root, Calibration({"update": update.seconds, "build": build.seconds},
                             {"update": update.events, "build": build.events})


@pytest.fixture
def crashes(built: tuple[Path, Calibration], tmp_path: Path) -> Crashes:
    """A copy of the built project, and the wrapper that reports write events."""
    root = tmp_path / "project"
    shutil.copytree(built[0], root)
    wrapper = tmp_path / "polyleaf_with_events.py"
    wrapper.write_text(WRAPPER, encoding="utf-8")
    return Crashes(root, wrapper, built[1])


STATES = (b"fsync-file", b"replace", b"fsync-dir")  # temp file written / renamed / dir synced


def test_sigkill_during_update_and_build_loses_nothing(crashes: Crashes) -> None:
    root, wrapper, calibration = crashes.root, crashes.wrapper, crashes.calibration
    rng = random.Random(SEED)
    kept = translations(root)
    assert sum(map(len, kept.values())) > 50, "the example should have translations to lose"
    for run in range(KILLS):
        command = ("update", "build")[run % 2]
        if command == "update":
            # Back and forth between two states: pages a killed build wrote must not survive a
            # return to inputs an earlier build saw.
            _edit_sources(root, run // 2 % 2)
            args: tuple[str, ...] = ("update",)
        else:
            _touch_styles(root, run)  # every leaflet has work (for their return: test below)
            args = ("build", "--executor", rng.choice(("serial", "serial", "process")), "-j", "2")
        if run < 2:  # right after the first temporary file is written: surely a leftover
            outcome = polyleaf(root, wrapper, *args, kill_at_event=1, target=b"fsync-file")
        elif rng.random() < 0.5:  # right after a random write event of a random kind
            outcome = polyleaf(root, wrapper, *args, target=rng.choice(STATES),
                               kill_at_event=rng.randint(1, calibration.events[command] - 3))
        else:  # at a random moment, mostly after start-up
            outcome = polyleaf(root, wrapper, *args,
                               kill_after=rng.uniform(0.5, 1.0) * calibration.seconds[command])
        crashes.runs.append(outcome)
        crashes.temp_files_seen += len(temp_files(root))
        assert_intact(root, kept)
    for r in crashes.runs:  # shown with -s or on failure: what the kills hit
        print(f"{r.command:7} killed={r.killed!s:5} events={r.events:3} {r.seconds:5.2f}s")
    killed = sum(r.killed for r in crashes.runs)
    assert killed >= KILLS // 2, f"most runs should be killed mid-way (seed {SEED})"
    assert crashes.temp_files_seen > 0, f"no kill landed between write and rename (seed {SEED})"
    _recover_and_compare(crashes, kept)


def _recover_and_compare(crashes: Crashes, kept: dict[Path, set[str]]) -> None:
    root, wrapper = crashes.root, crashes.wrapper
    leftovers = temp_files(root)
    assert leftovers, "the first kills left temporary files behind"
    young = leftovers.pop()
    os.utime(young)  # just written: it might be another (lock-free) writer's, so it stays
    hour_ago = time.time() - 3600
    for path in leftovers:  # what the kills left, as a later run finds it (a minute is enough)
        os.utime(path, (hour_ago, hour_ago))
    for command in ("update", "build"):
        done = subprocess.run([sys.executable, str(wrapper), "-C", str(root), command],
                              capture_output=True, text=True, env=ENV)
        assert done.returncode == 0, done.stderr
    assert_intact(root, kept)
    assert temp_files(root) == [young], "the tools remove stale temporary files, only those"
    if MSGFMT:  # GNU gettext as an external judge when installed (dev.sh installs it)
        for path in kept:
            check = subprocess.run([MSGFMT, "--check", "-o", "/dev/null", str(path)],
                                   capture_output=True, text=True)
            assert check.returncode == 0, check.stderr
    fresh = crashes.root.parent / "fresh"
    for name in ("source", "locales", "templates"):
        shutil.copytree(root / name, fresh / name)
    shutil.copy(root / "polyleaf.toml", fresh / "polyleaf.toml")
    subprocess.run([sys.executable, str(wrapper), "-C", str(fresh), "build"], check=True,
                   capture_output=True, env=ENV)
    assert _outputs(root) == _outputs(fresh), "recovery must converge on a clean build"


def _outputs(root: Path) -> dict[str, bytes]:
    build = root / "build"
    return {p.relative_to(build).as_posix(): p.read_bytes() for p in build.rglob("*")
            if p.is_file() and p.suffix in (".html", ".pdf", ".css", ".xml", ".txt")}


def test_a_killed_build_then_revert_rebuilds_what_it_overwrote(crashes: Crashes) -> None:
    root, wrapper = crashes.root, crashes.wrapper
    css = root / "templates" / "assets" / "leaflet.css"
    original = css.read_text(encoding="utf-8")
    before = _outputs(root)
    css.write_text(original + "\nh1 { color: #a00; }\n", encoding="utf-8")
    proc = start(root, wrapper, "build", "--executor", "serial")
    assert proc.stderr is not None
    replaced = ""
    for line in iter(proc.stderr.readline, b""):
        if line.startswith(b"@@event replace") and line.rstrip().endswith(b".pdf"):
            kill(proc)  # one leaflet replaced, the manifest not yet written
            replaced = Path(line.split(maxsplit=2)[2].decode().strip()).relative_to(
                root / "build").as_posix()
            break
    proc.wait()
    proc.stderr.close()
    assert replaced and _outputs(root)[replaced] != before[replaced], "the scenario happened"
    css.write_text(original, encoding="utf-8")
    subprocess.run([sys.executable, str(wrapper), "-C", str(root), "build"], check=True,
                   capture_output=True, env=ENV)
    after = _outputs(root)
    assert after == before, f"stale: {sorted(k for k in before if after.get(k) != before[k])}"


# -------------------------------------------------------------------------------- the lock

def test_a_second_process_waits_for_the_first_then_runs(crashes: Crashes) -> None:
    root, wrapper = crashes.root, crashes.wrapper
    _touch_styles(root, 1000)  # the build has every output to render again
    build = start(root, wrapper, "build", "--executor", "serial")
    build_log = EventLog(build)
    while not build_log.events():  # it holds the lock and is writing
        assert build.poll() is None
        time.sleep(0.01)
    _edit_sources(root, 1000)  # so that update has catalogs to write
    update = start(root, wrapper, "update")
    update_log = EventLog(update)
    assert build.wait() == 0 and update.wait() == 0
    build_log.join()
    update_log.join()
    waiting = [line for _, line in update_log.lines if line.startswith(b"polyleaf: waiting")]
    assert len(waiting) == 1 and b"polyleaf build (pid" in waiting[0]
    assert update_log.events(), "update wrote its catalogs"
    assert min(update_log.events()) > max(build_log.events()), "no interleaved writes"


def test_a_second_process_gives_up_clearly_after_the_timeout(crashes: Crashes) -> None:
    root, wrapper = crashes.root, crashes.wrapper
    _touch_styles(root, 2000)
    first = start(root, wrapper, "build", "--executor", "serial")
    log = EventLog(first)
    try:
        while not log.events():
            assert first.poll() is None
            time.sleep(0.01)
        catalogs = {p: p.read_bytes() for p in (root / "locales").rglob("*.po")}
        began = time.monotonic()
        second = subprocess.run([sys.executable, "-m", "polyleaf", "-C", str(root),
                                 "--lock-timeout", "0.5", "update"],
                                capture_output=True, text=True, env=ENV)
        waited = time.monotonic() - began
        still_running = first.poll() is None
    finally:
        kill(first)
        first.wait()
        log.join()
    assert still_running, "the build should have outlasted the timeout"
    assert second.returncode == 2
    lines = second.stderr.splitlines()
    assert lines[0].startswith("polyleaf: waiting for polyleaf build (pid ")
    assert lines[1].startswith(f"{LOCK_NAME}: error: project.locked: polyleaf build (pid ")
    assert "(hint: " in lines[1] and len(lines) == 2
    assert waited >= 0.5
    assert {p: p.read_bytes() for p in (root / "locales").rglob("*.po")} == catalogs
    # SIGKILL of the holder released the lock at once: no stale lock to clean up by hand.
    again = subprocess.run([sys.executable, "-m", "polyleaf", "-C", str(root), "--lock-timeout",
                            "0", "update"], capture_output=True, text=True, env=ENV)
    assert again.returncode == 0, again.stderr


def test_read_only_commands_do_not_wait_for_the_lock(crashes: Crashes) -> None:
    from polyleaf.engine.lock import acquire

    held = acquire(crashes.root, "a test")
    try:
        result = subprocess.run([sys.executable, "-m", "polyleaf", "-C", str(crashes.root),
                                 "--lock-timeout", "0", "check"], capture_output=True, text=True,
                                env=ENV)
        locked = subprocess.run([sys.executable, "-m", "polyleaf", "-C", str(crashes.root),
                                 "--lock-timeout", "0", "extract"], capture_output=True,
                                text=True, env=ENV)
    finally:
        held.release()
    assert "project.locked" not in result.stderr
    assert locked.returncode == 2 and "project.locked" in locked.stderr
    assert "a test (pid" in locked.stderr
