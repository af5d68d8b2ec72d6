"""``planmon build``: every report of a plan, fast, incremental, atomic and locked.

:func:`build` loads the plan once, computes the scores once (written to
``data/processed/scores/<fingerprint>.parquet`` and handed to every notebook as
``scores_path``), then runs one job per report:

* ``department_report`` for every department × report year × language,
* ``plan_overview`` and (when the plan has districts) ``district_comparison`` per year × language,
* the yearly publication PDF per year × language (cover, contents, the overview, then every
  department, numbered pages), once its reports are done,

and finally writes ``index.html`` linking every report. Where each file goes:
:mod:`planmon.publish.layout`. The stages: options (:mod:`~planmon.build.options`), jobs and
their input hashes (:mod:`~planmon.build.planner`), the manifest
(:mod:`~planmon.build.manifest`), the lock and work folder (:mod:`~planmon.build.lock`), the
pools (:mod:`~planmon.build.runner`) and one job (:mod:`~planmon.build.worker`).

Guarantees:

* **Failures stay local** — a failing notebook is reported in its
  :class:`~planmon.build.jobs.JobResult` and kept, with its traceback, under
  ``<year>/notebooks/``; the other jobs finish. :meth:`BuildResult.raise_for_failures` raises.
* **Atomic, checked outputs** — every file is written beside its target, checked, and renamed
  into place: an interrupted build, a full disk, never leave a half-written report.
* **Its own files only** — it writes no file it did not write before (its manifest knows
  them), removes only its own temporary files, and refuses an output folder inside the plan.
* **One build at a time**, **incremental** (unchanged outputs are skipped without starting a
  kernel), and **nothing left running** after the build, even after ``kill -9``.
"""

from __future__ import annotations

import os
import time
from typing import TYPE_CHECKING, Any

from planmon.build import steps
from planmon.build.jobs import BuildProgress, BuildResult, NullProgress
from planmon.build.options import BuildOptions
from planmon.core.exceptions import OutputError
from planmon.publish.layout import OutputLayout

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["build", "BuildOptions"]


def build(
    plan: str | os.PathLike[str] | Plan | None = None,
    options: BuildOptions | None = None,
    *,
    progress: BuildProgress | None = None,
    **changes: Any,
) -> BuildResult:
    """Build every report of a plan (only what changed since the last build).

    Parameters
    ----------
    plan : path or Plan, optional
        Plan folder (default: the bundled sample) or an already loaded :class:`Plan`.
    options : BuildOptions, optional
        What to build, where and how (default: ``BuildOptions()``).
    progress : BuildProgress, optional
        Receives progress calls (e.g. :class:`planmon.cli.progress.RichProgress`).
    **changes
        Options to change in ``options``, by name (``years=[1398]``, ``langs="fa,en"``, …).

    Returns
    -------
    BuildResult
        Per-job status and timings. Failed jobs do not raise: call
        :meth:`BuildResult.raise_for_failures` (the CLI does, to exit non-zero).

    Raises
    ------
    ParameterError
        An unknown option, year, department, language, format, executor or notebook
        parameter — before anything is written.
    BuildLockedError
        Another build holds the lock for longer than ``lock_timeout``.
    OutputError
        The output folder cannot be written (read-only, full, permission), lies inside the
        plan, or holds a file planmon did not write where a report goes. ``.result`` holds
        the summary of the jobs done before it, if any.
    PlanValidationError, InputFileError
        The plan cannot be loaded.

    Notes
    -----
    The local pool starts its workers with multiprocessing's ``forkserver`` method, which
    re-imports the calling script: call :func:`build` from a script only under
    ``if __name__ == "__main__":`` (the CLI and notebooks need nothing).
    """
    started = time.perf_counter()
    report = progress if progress is not None else NullProgress()
    checked = (options or BuildOptions()).replace(**changes).checked()
    report.phase("loading the plan")
    loaded = steps.load(plan)
    selection = steps.select(loaded, checked)
    steps.report_completeness(loaded, selection, checked, report)
    layout = OutputLayout(checked.output_dir)
    steps.refuse_output_in_plan(layout, loaded)
    result = BuildResult(jobs=[], output_dir=layout.root)
    try:
        with steps.output_folder(layout), steps.build_lock(layout, checked.lock_timeout, report):
            steps.run(loaded, selection, checked, layout, report, result)
    except OSError as exc:  # the disk said no: a user's problem with a fix, not a bug
        error = OutputError.of(exc)
        if result.jobs:  # some reports were done or found current: say which
            error.result = steps.finish(result, started)
        raise error from None
    report.finish(steps.finish(result, started))
    return result
