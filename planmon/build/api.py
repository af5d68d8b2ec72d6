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
* **A no-op costs no load** — when nothing the build reads has changed since the last build
  and every output is as it left it, the plan is not even loaded (:mod:`~planmon.build.stamp`).
"""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.build import stamp
from planmon.build.jobs import BuildProgress, BuildResult, NullProgress, tell
from planmon.build.lock import build_lock
from planmon.build.manifest import Manifest
from planmon.build.options import BuildOptions, CheckedOptions
from planmon.core import config
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
    layout = OutputLayout(checked.output_dir)
    inputs = None
    if plan is None or isinstance(plan, (str, os.PathLike)):  # not a Plan: its files say it all
        inputs = stamp.input_digest(Path(plan or config.SAMPLE_PLAN), checked)
    if inputs is not None and not checked.force:
        done = _nothing_to_do(layout, inputs, checked, report, started)
        if done is not None:
            return done
    from planmon.build import steps  # the build proper: pandas, the plan, the planner

    report.phase("loading the plan")
    loaded = steps.load(plan)
    selection = steps.select(loaded, checked)
    notes = steps.report_completeness(loaded, selection, checked, report)
    steps.refuse_output_in_plan(layout, loaded)
    result = BuildResult(jobs=[], output_dir=layout.root)
    try:
        with steps.output_folder(layout), build_lock(layout, checked.lock_timeout, report):
            steps.run(
                loaded, selection, checked, layout, report, result, inputs=inputs, notes=notes
            )
    except OSError as exc:  # the disk said no: a user's problem with a fix, not a bug
        error = OutputError.of(exc)
        if result.jobs:  # some reports were done or found current: say which
            error.result = _finish(result, started)
        raise error from None
    report.finish(_finish(result, started))
    return result


def _nothing_to_do(
    layout: OutputLayout,
    inputs: str,
    options: CheckedOptions,
    report: BuildProgress,
    started: float,
) -> BuildResult | None:
    """The result of a build that has nothing to do (the last one's stamp holds), or None."""
    if not layout.manifest.is_file():
        return None
    report.phase("checking what changed")
    with build_lock(layout, options.lock_timeout, report):  # one build at a time, even a no-op
        found = stamp.up_to_date(Manifest.read(layout), inputs, dashboard=options.dashboard)
    if found is None:
        return None
    jobs, notes = found
    # Its completeness lines, as the last build told them; not its warning that a provisional
    # publication is being built: nothing is.
    tell(report, [(text, warning) for text, warning in notes if not warning])
    result = BuildResult(jobs=jobs, output_dir=layout.root, index=layout.index)
    report.start(0, len(jobs))
    report.finish(_finish(result, started))
    return result


def _finish(result: BuildResult, started: float) -> BuildResult:
    result.duration_s = time.perf_counter() - started
    return result
