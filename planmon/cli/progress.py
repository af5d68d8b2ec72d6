"""The terminal's view of a build: a rich progress bar that renders the build's progress calls.

The library never prints; :func:`planmon.build.api.build` reports to a
:class:`~planmon.build.jobs.BuildProgress`, and :class:`RichProgress` is the one the CLI uses.
Text from the plan (department ids, error messages quoting cell values) is shown as text,
never read as rich markup.
"""

from __future__ import annotations

from typing import Any

from rich.markup import escape

from planmon.build.jobs import BuildResult, JobResult, NullProgress

__all__ = ["RichProgress"]


class RichProgress(NullProgress):
    """A progress bar for the terminal (rich): counts, elapsed time and ETA.

    Use as a context manager around :func:`planmon.build.api.build`::

        with RichProgress() as progress:
            result = build(plan_path, progress=progress)

    Failed jobs are printed above the bar as they happen.

    Parameters
    ----------
    console : rich.console.Console, optional
        Where to draw (default: a new stderr console).
    """

    def __init__(self, console: Any = None):
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        self.console = console or Console(stderr=True)
        self._progress = Progress(
            SpinnerColumn(),
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[failed]}"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            console=self.console,
            transient=False,
        )
        self._task: Any = None
        self._failed = 0

    def __enter__(self) -> RichProgress:
        self._progress.start()
        self._task = self._progress.add_task("planmon build", total=None, failed="")
        return self

    def __exit__(self, *exc: object) -> None:
        self._progress.stop()

    def phase(self, text: str) -> None:
        self._progress.update(self._task, description=escape(text))

    def note(self, text: str, *, warning: bool = False) -> None:
        # Plan text (years, counts) only, but printed as text all the same: no markup, no emoji.
        prefix = "[yellow]warning:[/yellow] " if warning else ""
        self._progress.console.print(prefix + escape(text), highlight=False, emoji=False)

    def start(self, total: int, skipped: int) -> None:
        note = f" ({skipped} up to date)" if skipped else ""
        self._progress.update(
            self._task, total=max(total, 1) if total else 0, description=f"building{note}"
        )
        if not total:
            self._progress.update(self._task, total=1, completed=1)

    def job_done(self, result: JobResult) -> None:
        if result.status == "failed":
            self._failed += 1
            self._progress.console.print(
                f"[red]failed[/red] {escape(result.key)}: {escape(result.error)}",
                highlight=False,
                emoji=False,
            )
        self._progress.update(
            self._task,
            advance=1,
            failed=f"[red]{self._failed} failed[/red]" if self._failed else "",
            description=escape(result.key),
        )

    def finish(self, result: BuildResult) -> None:
        self._progress.update(self._task, description="done")
