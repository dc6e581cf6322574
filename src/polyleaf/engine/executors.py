"""Executors run the same list of jobs serially, on a local process pool, or on Dask.

Results stream back as they finish (``Iterator[JobResult]``), so the caller can show progress
and nothing accumulates. A failing job yields a failed result; the others still run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Protocol

from polyleaf.engine.plan import Job
from polyleaf.errors import ConfigError, error

if TYPE_CHECKING:  # jobs imports WeasyPrint: load it only when jobs run
    from polyleaf.engine.jobs import BuildContext, JobResult


class Executor(Protocol):
    """Runs jobs and yields their results in completion order."""

    def run(self, context: BuildContext, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Run ``jobs``."""
        ...


class SerialExecutor:
    """One job after the other, in this process."""

    def run(self, context: BuildContext, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Run ``jobs`` in order."""
        from polyleaf.engine.jobs import run_job

        for job in jobs:
            yield run_job(context, job)


SMALL = 4  # jobs that run faster in this (warm) process than on a new pool


class PoolExecutor:
    """A local process pool; each worker loads the project once."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)

    def run(self, context: BuildContext, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Run ``jobs`` on the pool (in this process when there is one worker or few jobs:
        starting and warming up workers costs more than a few pages)."""
        if self.workers == 1 or len(jobs) <= SMALL:
            yield from SerialExecutor().run(context, jobs)
            return
        from concurrent.futures import ProcessPoolExecutor, as_completed

        from polyleaf.engine.jobs import init_pool_worker, run_pool_job

        with ProcessPoolExecutor(max_workers=min(self.workers, len(jobs)),
                                 initializer=init_pool_worker, initargs=(context,)) as pool:
            futures = [pool.submit(run_pool_job, job) for job in jobs]
            for future in as_completed(futures):
                yield future.result()


class DaskExecutor:
    """A Dask distributed cluster (``dask://host:port``); workers must see the project path."""

    def __init__(self, address: str) -> None:
        self.address = address

    def run(self, context: BuildContext, jobs: Sequence[Job]) -> Iterator[JobResult]:
        """Submit ``jobs`` to the cluster and yield results as they complete."""
        from distributed import Client
        from distributed import as_completed as dask_completed

        from polyleaf.engine.jobs import run_job

        with Client(self.address, timeout="60s") as client:
            shared = client.scatter(context, broadcast=True)
            futures = client.map(run_job, [shared] * len(jobs), jobs, pure=False)
            for future in dask_completed(futures):
                yield future.result()


def make_executor(spec: str | None, jobs: int | None) -> Executor:
    """``None``/``process`` -> pool, ``serial``, or ``dask://host:port``."""
    if spec in (None, "", "process"):
        return PoolExecutor(jobs or os.cpu_count() or 1)
    if spec == "serial":
        return SerialExecutor()
    if spec.startswith("dask://") or spec.startswith("tcp://"):
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise ConfigError(error("polyleaf", 0, "build.executor",
                                    "the Dask executor needs the 'dask' extra",
                                    "pip install 'polyleaf[dask]'")) from None
        return DaskExecutor("tcp://" + spec.split("://", 1)[1])
    raise ConfigError(error("polyleaf", 0, "build.executor", f"unknown executor '{spec}'",
                            "use process, serial or dask://host:port"))
