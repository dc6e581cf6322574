"""Benchmark: one build on 1 process, on a 2-process pool, and on a local Dask cluster.

Each build is a whole ``polyleaf build`` CLI process on a fresh copy of a synthetic project
(``bench/synth.py``), from an empty ``build/``. For each way of running it reports:

- wall time and throughput (outputs per second of wall time);
- CPU time of every process involved (the CLI, its pool workers, or the Dask workers), so a
  machine loaded by other work does not hide the scaling: ``cpu total`` is the work done;
- ``critical`` = CPU of the CLI process plus that of its busiest worker (the longest path, what
  the wall time would be on idle cores), ``scaling`` = CPU of the 1-process build / critical,
  and ``overhead`` = CPU total / CPU of the 1-process build (what parallelism costs in work).

The Dask cluster is started as a user would: ``dask scheduler`` and two ``dask worker``
processes (one thread each), then ``polyleaf build --executor dask://127.0.0.1:PORT``.

    .venv/bin/python bench/bench_scaling.py --articles 1000 --locales 20 --pages-only
    .venv/bin/python bench/bench_scaling.py --articles 100 --locales 8
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).parent))
from synth import make_project

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class Run:
    """One build: wall seconds, CPU seconds per process, outputs written."""

    mode: str
    wall: float
    cpu: dict[int, float]
    outputs: int
    main: int

    def critical(self) -> float:
        """CPU seconds on the longest path: the CLI process plus its busiest worker."""
        workers = [seconds for pid, seconds in self.cpu.items() if pid != self.main]
        return self.cpu.get(self.main, 0.0) + max(workers, default=0.0)


class CpuSampler:
    """Polls the CPU time of a set of processes (and their children) until stopped."""

    def __init__(self, roots: Sequence[psutil.Process], every: float = 0.05) -> None:
        self.roots, self.every = list(roots), every
        self.last: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _sample(self) -> None:
        for root in self.roots:
            try:
                family = [root, *root.children(recursive=True)]
            except psutil.Error:
                continue
            for process in family:
                try:
                    times = process.cpu_times()
                except psutil.Error:
                    continue
                self.last[process.pid] = times.user + times.system

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._sample()
            time.sleep(self.every)

    def __enter__(self) -> CpuSampler:
        self._sample()
        self.start = dict(self.last)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()

    def used(self) -> dict[int, float]:
        """CPU seconds each process used while sampled."""
        return {pid: seconds - self.start.get(pid, 0.0) for pid, seconds in self.last.items()
                if seconds - self.start.get(pid, 0.0) > 0.005}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def dask_cluster(workers: int, cwd: Path, profile: bool = True,
                 ) -> Iterator[tuple[str, list[psutil.Process]]]:
    """``dask scheduler`` + ``workers`` x ``dask worker`` (1 thread each), as a user starts them;
    ``profile=False`` turns off the workers' statistical profiler (a sampling thread)."""
    port = free_port()
    address = f"127.0.0.1:{port}"
    env = dict(os.environ)
    if not profile:
        env["DASK_DISTRIBUTED__WORKER__PROFILE__ENABLED"] = "False"
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL, "cwd": cwd, "env": env}
    scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1",
                                  "--port", str(port), "--no-dashboard"], **quiet)
    started = [subprocess.Popen([str(BIN / "dask"), "worker", f"tcp://{address}",
                                 "--nthreads", "1", "--nworkers", "1", "--no-dashboard",
                                 "--memory-limit", "4GiB"], **quiet) for _ in range(workers)]
    try:
        from distributed import Client

        with Client(f"tcp://{address}", timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)
        yield address, [psutil.Process(p.pid) for p in started]
    finally:
        for process in [*started, scheduler]:
            process.terminate()
        for process in [*started, scheduler]:
            process.wait(timeout=30)


def build_once(project: Path, mode: str, args: list[str],
               extra: Sequence[psutil.Process] = ()) -> Run:
    """Run ``polyleaf build`` from an empty build directory and sample every process's CPU."""
    shutil.rmtree(project / "build", ignore_errors=True)
    command = [str(BIN / "polyleaf"), "-C", str(project), "build", "--format", "json", *args]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    with CpuSampler([psutil.Process(process.pid), *extra]) as sampler:
        out, _ = process.communicate()
    wall = time.perf_counter() - start
    built = len(re.findall(rb'"status": "built"', out))
    return Run(mode, wall, sampler.used(), built, process.pid)


def report(runs: list[Run]) -> None:
    base = sum(runs[0].cpu.values())
    print(f"{'mode':8} {'outputs':>7} {'wall s':>7} {'out/s':>6} {'cpu total':>9} "
          f"{'cli cpu':>7} {'critical':>8} {'scaling':>7} {'overhead':>8}")
    for run in runs:
        total, critical = sum(run.cpu.values()), run.critical()
        print(f"{run.mode:8} {run.outputs:7d} {run.wall:7.1f} {run.outputs / run.wall:6.1f} "
              f"{total:9.1f} {run.cpu.get(run.main, 0.0):7.1f} {critical:8.1f} "
              f"{base / critical:6.2f}x {total / base:7.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--locales", type=int, default=8)
    parser.add_argument("--pages-only", action="store_true", help="no leaflet variants")
    parser.add_argument("--modes", nargs="*", default=["jobs1", "jobs2", "dask2"],
                        help="jobsN: local pool of N; daskN: N Dask workers; daskN-noprofile: "
                             "with the workers' profiler off")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        project = make_project(Path(tmp) / "project", args.articles, args.locales, REPO)
        if args.pages_only:
            toml = project / "polyleaf.toml"
            toml.write_text(toml.read_text().replace('variants = ["a4"]', "variants = []"))
        print(f"{args.articles} articles x {args.locales + 1} languages"
              f"{', pages only' if args.pages_only else ''}: project made in "
              f"{time.perf_counter() - start:.0f} s; load {os.getloadavg()[0]:.1f}", flush=True)
        runs = []
        for mode in args.modes:
            if mode.startswith("dask"):
                count, _, option = mode[4:].partition("-")
                with dask_cluster(int(count), project, option != "noprofile") as (address,
                                                                                  workers):
                    runs.append(build_once(project, mode, ["--executor", f"dask://{address}"],
                                           workers))
            else:
                runs.append(build_once(project, mode, ["--jobs", mode[4:]]))
            print(f"  {mode}: {runs[-1].wall:.1f} s wall, load {os.getloadavg()[0]:.1f}",
                  flush=True)
        report(runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
