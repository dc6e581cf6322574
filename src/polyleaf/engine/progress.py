"""Build progress: a rich bar on a terminal, plain lines otherwise, nothing with --quiet."""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:  # rich loads only when a bar is shown (not on a no-op or quiet build)
    from rich.progress import Progress


class Reporter:
    """Counts finished jobs and shows them as the mode asks."""

    def __init__(self, mode: str = "auto", stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        if mode == "auto":
            mode = "bar" if self.stream.isatty() else "plain"
        self.mode = mode  # bar | plain | quiet
        self.total = 0
        self.done = 0
        self._progress: Progress | None = None
        self._task: Any = 0

    def __enter__(self) -> Reporter:
        if self.mode == "bar":
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeRemainingColumn,
            )

            self._progress = Progress(TextColumn("{task.description}"), BarColumn(),
                                      MofNCompleteColumn(), TimeRemainingColumn(),
                                      console=Console(file=self.stream), transient=True)
            self._progress.__enter__()
            self._task = self._progress.add_task("building", total=0)
        return self

    def __exit__(self, kind: type[BaseException] | None, value: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, value, trace)

    def add(self, count: int) -> None:
        """More jobs are planned."""
        self.total += count
        if self._progress is not None:
            self._progress.update(self._task, total=self.total)

    def finished(self, status: str, what: str) -> None:
        """One job finished."""
        self.done += 1
        if self._progress is not None:
            self._progress.update(self._task, completed=self.done, description=what)
        elif self.mode == "plain":
            print(f"[{self.done}/{self.total}] {status} {what}", file=self.stream, flush=True)
