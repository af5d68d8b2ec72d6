"""The steps of one build, in order, as :func:`planmon.build.api.build` takes them.

Everything that can be refused is refused before the output folder is touched: the options,
the plan, the years and departments, an output folder inside the plan. Then, holding the lock:
clear what a killed build left, plan the jobs, refuse to replace files planmon did not write,
run what is stale, forget the reports of departments the plan no longer has, write the
manifest and the index.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from planmon.build.jobs import BuildProgress, BuildResult, Job, JobResult, tell
from planmon.build.lock import build_lock, remove_stale_temps, remove_stale_work_folders
from planmon.build.manifest import Manifest
from planmon.build.options import CheckedOptions
from planmon.build.planner import Selection, plan_jobs, prepare_notebooks, select, with_stages
from planmon.build.stamp import make_stamp
from planmon.core import config
from planmon.core.exceptions import OutputError
from planmon.publish.index import check_index, write_index
from planmon.publish.layout import OutputLayout

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = [
    "load",
    "select",
    "completeness",
    "report_completeness",
    "refuse_output_in_plan",
    "output_folder",
    "build_lock",
    "run",
]


def load(plan: str | os.PathLike[str] | Plan | None) -> Plan:
    """The plan: as given, or loaded from its folder (default: the sample)."""
    from planmon.plan.load import load
    from planmon.plan.model import Plan

    return plan if isinstance(plan, Plan) else load(plan)


def refuse_output_in_plan(layout: OutputLayout, plan: Plan) -> None:
    """Refuse an output folder inside the plan folder (PDFs there would break the plan).

    Raises
    ------
    OutputError
        Naming both folders and a place to build instead.
    """
    folder = Path(plan.path).resolve()
    root = layout.root.resolve()
    if root == folder or folder in root.parents:
        raise OutputError(
            f"--out {root} is inside the plan folder {folder}: the reports would become part "
            f"of the plan's input and make it invalid. Build somewhere outside it, e.g. "
            f"{folder.parent / 'reports'}"
        )


@contextlib.contextmanager
def output_folder(layout: OutputLayout) -> Iterator[None]:
    """Create the reports folder; if the build fails before writing a report, remove it again.

    Only what this build created goes: the folders it made (when still empty) and its lock
    and log files in them.
    """
    missing = [p for p in [layout.root, *layout.root.parents] if not p.exists()]
    try:
        layout.root.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError.of(exc, layout.root) from exc
    try:
        yield
    except BaseException:
        ours = {layout.lock.name, layout.lock_owner.name, layout.log.name}
        with contextlib.suppress(OSError):
            if missing and set(os.listdir(layout.root)) <= ours:  # no report was written
                for name in ours:
                    with contextlib.suppress(OSError):
                        (layout.root / name).unlink()
                for folder in missing:  # the deepest first
                    folder.rmdir()
        raise


def _refuse_foreign(manifest: Manifest, jobs: list[Job]) -> None:
    foreign = manifest.foreign(path for job in jobs for path in job.outputs().values())
    if foreign:
        more = f" and {len(foreign) - 1} more" if len(foreign) > 1 else ""
        raise OutputError(
            f"{foreign[0]}{more} exist(s) where planmon writes its reports, and planmon did "
            f"not write them (they are not in {manifest.layout.manifest}); planmon will not "
            "overwrite them. Move them away, or build into another folder (--out)"
        )


def run(
    plan: Plan,
    selection: Selection,
    options: CheckedOptions,
    layout: OutputLayout,
    report: BuildProgress,
    result: BuildResult,
    *,
    inputs: str | None = None,
    notes: list[tuple[str, bool]] | None = None,
) -> None:
    """The build proper, holding the lock; fills ``result`` as jobs finish.

    ``inputs`` is the build's :func:`~planmon.build.stamp.input_digest` (None: unknown, e.g. a
    plan given as an object) and ``notes`` its completeness lines: with both, a build without
    a failed job leaves a stamp for the next build's no-op check.
    """
    from planmon.build.runner import Runner

    manifest = Manifest.read(layout)
    if manifest.stamp is not None:  # this build changes the folder: the old stamp no longer holds
        manifest.stamp = None
        manifest.write()
    remove_stale_work_folders()  # of builds that were killed, anywhere
    remove_stale_temps(layout.existing_folders(), manifest.known_paths())
    report.phase("checking what changed")
    check_index(layout.root)
    jobs = plan_jobs(plan, selection, options, layout)
    _refuse_foreign(manifest, jobs)
    staged = [with_stages(job, manifest, force=options.force) for job in jobs]
    results = {job.key: JobResult.skipped(job) for job in staged if not job.stages}
    result.jobs = list(results.values())
    to_run = [job for job in staged if job.stages]
    if to_run:

        def done(job: Job, outcome: JobResult) -> None:
            results[job.key] = outcome
            result.jobs.append(outcome)
            if outcome.status == "built":
                manifest.record(job, plan)
            elif outcome.executed is not None:
                manifest.record_file(outcome.executed)
            manifest.write()
            report.job_done(outcome)

        # Kernels and workers start first: their imports overlap the checks below.
        with Runner(to_run, options, layout.log, report) as runner:
            result.scores_path, to_run = prepare_notebooks(
                plan,
                to_run,
                options.scores_dir or config.cache_dir_for(plan.path, "scores"),
                report,
            )
            report.start(len(to_run), len(results))
            runner.run(to_run, results, done)
            result.kernel = runner.kernel_label
    else:
        report.start(0, len(results))
    manifest.prune(plan)
    manifest.remember_plan(plan)
    manifest.write()
    result.index = write_index(
        layout.root, manifest.entries(), manifest.plan, dashboard=options.dashboard
    )
    result.jobs = [results[job.key] for job in staged]
    if inputs is not None and result.ok:
        manifest.stamp = make_stamp(
            manifest, inputs, staged, notes or [], dashboard=options.dashboard
        )
        manifest.write()


def completeness(plan: Plan, years: tuple[int, ...]) -> list[tuple[int, str, bool]]:
    """One line per year on how complete its reports are: ``(year, line, provisional)``.

    For example ``"1400: 1 of 14 departments reported, 6% of the plan weight — provisional"``
    (coverage and provisional from the plan roll-up, :meth:`Plan.rollup`).
    """
    from planmon.core.locale import format_percent
    from planmon.core.vocabulary import term, word

    rolled = plan.rollup("plan").set_index("year")
    out = []
    for year in years:
        if year not in rolled.index:
            continue
        row = rolled.loc[year]
        provisional = bool(row["provisional"])
        line = word(
            "completeness_line",
            "en",
            year=str(year),
            k=int(row["n_departments_reported"]),
            n=int(row["n_departments"]),
            coverage=format_percent(row["coverage_pct"], "en"),
        )
        out.append(
            (
                int(year),
                line + (f" — {term('provisional', 'en')}" if provisional else ""),
                provisional,
            )
        )
    return out


def report_completeness(
    plan: Plan, selection: Selection, options: CheckedOptions, report: BuildProgress
) -> list[tuple[str, bool]]:
    """Tell ``report`` each year's completeness line, and warn before a provisional
    publication is built (through :meth:`BuildProgress.note`; the library never prints).

    Returns the notes told, ``(text, warning)``: the stamp keeps them for a no-op rebuild.
    """
    notes = []
    for year, line, provisional in completeness(plan, selection.years):
        notes.append((line, False))
        if provisional and selection.plan_wide and options.pdf:
            notes.append(
                (
                    f"building a provisional publication for {year}: its figures will be "
                    "marked provisional until the missing reports arrive",
                    True,
                )
            )
    tell(report, notes)
    return notes
