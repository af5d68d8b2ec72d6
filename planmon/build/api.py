"""``planmon build``: every report of a plan, fast, incremental, atomic and locked.

:func:`build` loads the plan once, computes the scores once (written to
``data/processed/scores/<fingerprint>.parquet`` and handed to every notebook as
``scores_path``), then runs one job per report:

* ``department_report`` for every department × report year × language,
* ``plan_overview`` and (when the plan has districts) ``district_comparison`` per year × language,
* the yearly publication PDF per year × language (cover, contents, the overview, then every
  department, numbered pages), once its reports are done,

and finally writes ``index.html`` linking every report. Output layout (under
:data:`planmon.core.config.REPORTS` unless ``output_dir`` is given)::

    reports/
      index.html                         links to everything below (works from file://)
      <year>/
        publication.<lang>.pdf           the yearly publication
        <lang>/
          overview.html  overview.pdf    plan_overview
          districts.html districts.pdf   district_comparison
          <dept_id>.html <dept_id>.pdf   department_report
        notebooks/
          department_report.<dept_id>.<lang>.ipynb
          plan_overview.<lang>.ipynb
          district_comparison.<lang>.ipynb
      .manifest.json                     input hash of every output (incremental builds)
      .build.lock  .build.log            the lock; kernels' and workers' stderr

Notebooks run through the papermill API in a process pool. On Linux each notebook gets a
fresh kernel forked from a pre-imported "zygote" (:mod:`planmon.execution.kernel`): no kernel is reused,
but no kernel pays for importing numpy, pandas and matplotlib either. HTML (nbconvert) and
PDF (WeasyPrint) are made in the same worker, in-process.

Guarantees:

* **Failures stay local** — a failing notebook is reported in :class:`BuildResult` (status,
  first line of the error) and kept, with its traceback, under ``<year>/notebooks/``; the
  other jobs finish. The caller turns failures into an exit status
  (:meth:`BuildResult.raise_for_failures` raises :class:`~planmon.core.exceptions.BuildError`).
* **Atomic outputs** — every file is written beside its target and renamed into place, so an
  interrupted build never leaves a half-written report.
* **One build at a time** — a lock on ``<reports>/.build.lock``; a second build waits up to
  ``lock_timeout`` seconds, then stops with :class:`~planmon.core.exceptions.BuildLockedError`.
* **Incremental** — each output is keyed by a hash of its inputs: the report's own slice of
  the plan (a department's indicators, targets, actuals, goals and report files; the whole plan
  for the overview and publication; the districts for the comparison), the notebook file, the
  parameters (not the paths: ``scores_path`` changes with any change to the plan), planmon's
  version and source. Unchanged outputs are skipped without starting a kernel; ``force``
  rebuilds. An executed notebook that is current but lacks its HTML or PDF is only converted.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import datetime as dt
import hashlib
import html as html_lib
import json
import os
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from planmon.core import config
from planmon.core.exceptions import BuildError, BuildLockedError, ParameterError, PlanmonError
from planmon.io.atomic import atomic_path, atomic_write_text

if TYPE_CHECKING:
    import pandas as pd

    from planmon.plan.model import Plan

__all__ = [
    "FORMATS",
    "EXECUTORS",
    "KERNELS",
    "REPORT_KINDS",
    "Job",
    "JobResult",
    "BuildResult",
    "BuildProgress",
    "NullProgress",
    "RichProgress",
    "build",
    "run_job",
]

#: Output formats; HTML is always written (the index and the publication are made from it).
FORMATS: tuple[str, ...] = ("html", "pdf")
#: Where jobs run: a local process pool, or a dask.distributed cluster.
EXECUTORS: tuple[str, ...] = ("local", "dask")
#: Kernel choice: forked from the zygote where possible ("auto"), always ("zygote") or never.
KERNELS: tuple[str, ...] = ("auto", "zygote", "plain")
#: Report kinds and the notebook each one runs (the publication runs none).
REPORT_KINDS: dict[str, str | None] = {
    "overview": "plan_overview",
    "districts": "district_comparison",
    "department": "department_report",
    "publication": None,
}
_LANGUAGES = ("fa", "en")
_MANIFEST_VERSION = 1
_RESERVED_STEMS = {"overview", "districts"}

_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "overview": "نمای کلی برنامه",
        "districts": "مقایسه مناطق",
        "publication": "نشریه سالانه (PDF)",
        "dashboard": "داشبورد مدیریتی",
        "departments": "گزارش واحدها",
        "index": "گزارش‌های پایش برنامه",
        "year": "سال",
        "language": "فارسی",
        "pdf": "PDF",
        "empty": "هنوز گزارشی ساخته نشده است.",
    },
    "en": {
        "overview": "Plan overview",
        "districts": "District comparison",
        "publication": "Yearly publication (PDF)",
        "dashboard": "Management dashboard",
        "departments": "Department reports",
        "index": "Plan monitoring reports",
        "year": "Year",
        "language": "English",
        "pdf": "PDF",
        "empty": "No reports have been built yet.",
    },
}


# --------------------------------------------------------------------------------------------
# Jobs and results
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Job:
    """One unit of work: a notebook to execute and export, or a publication to print.

    Built by :func:`build` and sent to a worker (so every field pickles).

    Attributes
    ----------
    key : str
        ``<year>/<lang>/<kind>[/<dept_id>]``, unique in a build.
    kind : {"department", "overview", "districts", "publication"}
    year : int
    lang : {"fa", "en"}
    dept_id : str
        The department ("" for plan-wide reports).
    name : str
        What the report is about, in ``lang`` (department name, "Plan overview", …).
    title : str
        Document title (``name`` and the year).
    input_hash : str
        SHA-256 of everything the outputs depend on.
    stages : tuple of str
        What to (re)do: ``execute``, ``html``, ``pdf`` (a notebook job) or ``publication``.
    notebook : Path or None
        The notebook to execute.
    parameters : dict
        Papermill parameters.
    executed, html, pdf : Path or None
        Output files.
    kernel_name : str
        Kernelspec to execute with.
    timeout : float or None
        Seconds one cell may run.
    sections : tuple of (title, Path)
        Publication chapters: the HTML files to bind, in order.
    plan_name, subtitle : str
        Publication cover.
    weight : float
        Rough relative cost (a department's number of indicators).
    """

    key: str
    kind: str
    year: int
    lang: str
    dept_id: str
    name: str
    title: str
    input_hash: str = ""
    stages: tuple[str, ...] = ()
    notebook: Path | None = None
    parameters: dict[str, Any] = field(default_factory=dict)
    executed: Path | None = None
    html: Path | None = None
    pdf: Path | None = None
    kernel_name: str = ""
    timeout: float | None = None
    sections: tuple[tuple[str, Path], ...] = ()
    plan_name: str = ""
    subtitle: str = ""
    #: rough relative cost, to start the longest jobs of a year first
    weight: float = 1.0

    def outputs(self) -> dict[str, Path]:
        """Stage → output file, for the files this job produces."""
        out = {"execute": self.executed, "html": self.html, "pdf": self.pdf}
        if self.kind == "publication":
            out = {"publication": self.pdf}
        return {stage: path for stage, path in out.items() if path is not None}


@dataclass
class JobResult:
    """What happened to one job.

    Attributes
    ----------
    key, kind, year, lang, dept_id, name
        As in :class:`Job`.
    status : {"built", "skipped", "failed"}
        ``skipped``: its outputs were up to date.
    outputs : tuple of Path
        Files written (built) or already current (skipped).
    error : str
        First line of the error ("" unless failed).
    executed : Path or None
        The executed notebook (kept on failure, with its traceback).
    duration_s : float
        Wall time of the job in its worker (s).
    kernel_start_s, execute_s, shutdown_s, html_s, pdf_s : float
        Where that time went (s): kernel start (with papermill's setup), running the cells,
        kernel shutdown, HTML export, PDF printing (for a publication: all of it).
    """

    key: str
    kind: str
    year: int
    lang: str
    dept_id: str
    name: str
    status: str
    outputs: tuple[Path, ...] = ()
    error: str = ""
    executed: Path | None = None
    duration_s: float = 0.0
    kernel_start_s: float = 0.0
    execute_s: float = 0.0
    shutdown_s: float = 0.0
    html_s: float = 0.0
    pdf_s: float = 0.0

    @classmethod
    def of(cls, job: Job, status: str, **fields: Any) -> JobResult:
        """The result of ``job``: its identity, ``status`` and the given ``fields``."""
        identity = {k: getattr(job, k) for k in ("key", "kind", "year", "lang", "dept_id", "name")}
        return cls(**identity, status=status, **fields)


@dataclass
class BuildResult:
    """The summary of a build: one :class:`JobResult` per job, built, skipped or failed.

    Attributes
    ----------
    jobs : list of JobResult
    output_dir : Path
    index : Path or None
        ``index.html``.
    scores_path : Path or None
        The scores file handed to the notebooks (None when nothing ran).
    kernel : str
        Kernelspec the notebooks ran with ("" when none ran).
    duration_s : float
        Wall time of the whole build (s).
    """

    jobs: list[JobResult]
    output_dir: Path
    index: Path | None = None
    scores_path: Path | None = None
    kernel: str = ""
    duration_s: float = 0.0

    @property
    def built(self) -> list[JobResult]:
        return [j for j in self.jobs if j.status == "built"]

    @property
    def skipped(self) -> list[JobResult]:
        return [j for j in self.jobs if j.status == "skipped"]

    @property
    def failed(self) -> list[JobResult]:
        return [j for j in self.jobs if j.status == "failed"]

    @property
    def ok(self) -> bool:
        """True when no job failed."""
        return not self.failed

    def summary(self) -> str:
        """One line of counts, then one line per failed job."""
        lines = [
            f"{len(self.built)} built, {len(self.skipped)} up to date, "
            f"{len(self.failed)} failed in {self.duration_s:.1f} s"
        ]
        for job in self.failed:
            where = f" (see {job.executed})" if job.executed else ""
            lines.append(f"  {job.key}: {job.error}{where}")
        return "\n".join(lines)

    def raise_for_failures(self) -> None:
        """Raise :class:`~planmon.core.exceptions.BuildError` (``.result`` = self) if a job failed."""
        if self.failed:
            error = BuildError(self.summary())
            error.result = self
            raise error


# --------------------------------------------------------------------------------------------
# Progress reporting (the library never prints; the CLI renders these calls)
# --------------------------------------------------------------------------------------------


class BuildProgress(Protocol):
    """What :func:`build` reports while it runs."""

    def phase(self, text: str) -> None:
        """A preparatory step began (loading the plan, waiting for the lock, …)."""

    def start(self, total: int, skipped: int) -> None:
        """``total`` jobs will run; ``skipped`` were up to date."""

    def job_done(self, result: JobResult) -> None:
        """A job finished (built or failed)."""

    def finish(self, result: BuildResult) -> None:
        """The build is over."""


class NullProgress:
    """A :class:`BuildProgress` that ignores everything (the default)."""

    def phase(self, text: str) -> None:
        pass

    def start(self, total: int, skipped: int) -> None:
        pass

    def job_done(self, result: JobResult) -> None:
        pass

    def finish(self, result: BuildResult) -> None:
        pass


class RichProgress(NullProgress):
    """A progress bar for the terminal (rich): counts, elapsed time and ETA.

    Use as a context manager around :func:`build`::

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
        self._progress.update(self._task, description=text)

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
            self._progress.console.print(f"[red]failed[/red] {result.key}: {result.error}")
        self._progress.update(
            self._task,
            advance=1,
            failed=f"[red]{self._failed} failed[/red]" if self._failed else "",
            description=f"{result.key}",
        )

    def finish(self, result: BuildResult) -> None:
        self._progress.update(self._task, description="done")


# --------------------------------------------------------------------------------------------
# The build
# --------------------------------------------------------------------------------------------


def build(
    plan: str | os.PathLike[str] | Plan | None = None,
    *,
    years: Iterable[int] | None = None,
    dept_ids: Iterable[str] | None = None,
    langs: Iterable[str] = ("fa",),
    formats: Iterable[str] = FORMATS,
    jobs: int | None = None,
    force: bool = False,
    executor: str = "local",
    scheduler: str | None = None,
    output_dir: str | os.PathLike[str] | None = None,
    notebooks_dir: str | os.PathLike[str] | None = None,
    scores_dir: str | os.PathLike[str] | None = None,
    parameters: Mapping[str, Any] | None = None,
    lock_timeout: float | None = 0.0,
    kernel: str = "auto",
    timeout: float | None = 600.0,
    progress: BuildProgress | None = None,
) -> BuildResult:
    """Build every report of a plan (only what changed since the last build).

    Parameters
    ----------
    plan : path or Plan, optional
        Plan folder (default: the bundled sample) or an already loaded :class:`Plan`.
    years : iterable of int, optional
        Report years to build (default: every report year).
    dept_ids : iterable of str, optional
        Build only these departments' reports. Plan-wide reports (overview, district
        comparison, publication) are built only when no department is selected.
    langs : iterable of {"fa", "en"}
        Report languages.
    formats : iterable of {"html", "pdf"}
        ``pdf`` adds a PDF beside every HTML report and the yearly publication. HTML is
        always written.
    jobs : int, optional
        Notebooks run at the same time (default: the number of usable cores).
    force : bool
        Rebuild everything, even outputs that are up to date.
    executor : {"local", "dask"}
        A local process pool, or the dask.distributed scheduler at ``scheduler`` (the
        workers must see the plan, notebooks and reports folders at the same paths).
    scheduler : str, optional
        Address of the dask scheduler (``tcp://host:8786``); needed with ``executor="dask"``.
    output_dir : path, optional
        Reports folder (default :data:`planmon.core.config.REPORTS`).
    notebooks_dir : path, optional
        Folder of the report notebooks (default :data:`planmon.core.config.NOTEBOOKS`).
    scores_dir : path, optional
        Where the scores file goes (default ``data/processed/scores``).
    parameters : mapping, optional
        Extra notebook parameters for every report; each must be declared in the notebooks.
    lock_timeout : float or None
        Seconds to wait for another build on the same reports folder to finish; 0 (default)
        fails at once, None waits for ever.
    kernel : {"auto", "zygote", "plain"}
        Kernels forked from a pre-imported zygote (Linux; "auto" falls back to "plain"
        elsewhere) or a stock IPython kernel per notebook. Dask workers use "plain".
    timeout : float or None
        Seconds one notebook cell may run before the job fails.
    progress : BuildProgress, optional
        Receives progress calls (e.g. :class:`RichProgress`).

    Returns
    -------
    BuildResult
        Per-job status and timings. Failed jobs do not raise: call
        :meth:`BuildResult.raise_for_failures` (the CLI does, to exit non-zero).

    Raises
    ------
    ParameterError
        An unknown year, department, language, format, executor or notebook parameter —
        before any kernel starts.
    BuildLockedError
        Another build holds the lock for longer than ``lock_timeout``.
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
    options = _Options.check(
        langs=langs,
        formats=formats,
        jobs=jobs,
        executor=executor,
        scheduler=scheduler,
        kernel=kernel,
        parameters=parameters,
        timeout=timeout,
    )
    output_dir = Path(output_dir if output_dir is not None else config.REPORTS).resolve()
    notebooks_dir = Path(notebooks_dir if notebooks_dir is not None else config.NOTEBOOKS)
    scores_dir = Path(scores_dir if scores_dir is not None else config.DATA_PROCESSED / "scores")
    output_dir.mkdir(parents=True, exist_ok=True)

    with _build_lock(output_dir, lock_timeout, report):
        _remove_leftovers(output_dir)
        report.phase("loading the plan")
        loaded = _load(plan)
        selected_years = _check_years(loaded, years)
        selected_depts = _check_depts(loaded, dept_ids)
        report.phase("checking what changed")
        manifest = _Manifest.read(output_dir)
        all_jobs = _plan_jobs(
            loaded,
            years=selected_years,
            dept_ids=selected_depts,
            plan_wide=dept_ids is None,
            options=options,
            output_dir=output_dir,
            notebooks_dir=notebooks_dir.resolve(),
        )
        staged = [_with_stages(job, manifest, force=force) for job in all_jobs]
        results: dict[str, JobResult] = {job.key: _skipped(job) for job in staged if not job.stages}
        to_run = [job for job in staged if job.stages]
        result = BuildResult(jobs=[], output_dir=output_dir)
        if to_run:

            def done(job: Job, outcome: JobResult) -> None:
                results[job.key] = outcome
                if outcome.status == "built":
                    manifest.record(job, loaded)
                    manifest.write()
                report.job_done(outcome)

            # Kernels and workers start first: their imports overlap the checks below.
            with _Runner(to_run, options, output_dir, report) as runner:
                result.scores_path, to_run = _prepare_notebooks(
                    loaded, to_run, scores_dir, notebooks_dir, report
                )
                report.start(len(to_run), len(results))
                runner.run(to_run, results, done)
                result.kernel = runner.kernel_name
        else:
            report.start(0, len(results))
        manifest.remember_plan(loaded)
        manifest.write()
        result.index = _write_index(output_dir, manifest)
    result.jobs = [results[job.key] for job in staged]
    result.duration_s = time.perf_counter() - started
    report.finish(result)
    return result


@dataclass(frozen=True)
class _Options:
    langs: tuple[str, ...]
    pdf: bool
    jobs: int
    executor: str
    scheduler: str | None
    kernel: str
    parameters: dict[str, Any]
    timeout: float | None = None

    @classmethod
    def check(
        cls,
        *,
        langs: Iterable[str],
        formats: Iterable[str],
        jobs: int | None,
        executor: str,
        scheduler: str | None,
        kernel: str,
        parameters: Mapping[str, Any] | None,
        timeout: float | None,
    ) -> _Options:
        langs = tuple(dict.fromkeys(_split(langs)))
        bad = [lang for lang in langs if lang not in _LANGUAGES]
        if bad or not langs:
            raise ParameterError(
                f"unknown report language {', '.join(bad) or '(none)'}; use fa and/or en"
            )
        formats = tuple(dict.fromkeys(_split(formats)))
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ParameterError(
                f"unknown output format {', '.join(bad) or '(none)'}; use html and/or pdf"
            )
        if jobs is None:
            jobs = _usable_cores()
        if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
            raise ParameterError(f"jobs must be a whole number of at least 1, got {jobs!r}")
        if executor not in EXECUTORS:
            raise ParameterError(f"unknown executor {executor!r}; use local or dask")
        if executor == "dask" and not scheduler:
            raise ParameterError(
                "the dask executor needs the scheduler's address, e.g. "
                "--scheduler tcp://127.0.0.1:8786"
            )
        if kernel not in KERNELS:
            raise ParameterError(f"unknown kernel {kernel!r}; use one of {', '.join(KERNELS)}")
        extra = dict(parameters or {})
        fixed = [name for name in extra if name in ("plan_path", "year", "dept_id", "lang")]
        if fixed or "scores_path" in extra:
            raise ParameterError(
                f"parameter {(fixed or ['scores_path'])[0]!r} is set by the build for each "
                "report; choose plans, years, departments and languages with their own options"
            )
        if timeout is not None and not timeout > 0:
            raise ParameterError(f"timeout must be a positive number of seconds, got {timeout!r}")
        return cls(langs, "pdf" in formats, jobs, executor, scheduler, kernel, extra, timeout)


def _split(values: Iterable[str] | str) -> list[str]:
    """Accept ``["fa", "en"]`` as well as the CLI's ``"fa,en"``."""
    if isinstance(values, str):
        values = [values]
    return [part.strip() for value in values for part in str(value).split(",") if part.strip()]


def _usable_cores() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def _load(plan: str | os.PathLike[str] | Plan | None) -> Plan:
    from planmon.plan.model import Plan, load

    return plan if isinstance(plan, Plan) else load(plan)


def _check_years(plan: Plan, years: Iterable[int] | None) -> list[int]:
    known = plan.report_years
    if years is None:
        return known
    chosen = sorted({int(y) for y in years})
    unknown = [y for y in chosen if y not in known]
    if unknown:
        raise ParameterError(
            f"no reports for year {', '.join(map(str, unknown))} in {plan.path}; "
            f"report years: {', '.join(map(str, known)) or 'none'}"
        )
    return chosen


def _check_depts(plan: Plan, dept_ids: Iterable[str] | None) -> list[str]:
    known = plan.dept_ids
    if dept_ids is None:
        chosen = known
    else:
        wanted = set(_split(dept_ids))
        unknown = sorted(wanted - set(known))
        if unknown:
            raise ParameterError(
                f"unknown department {', '.join(unknown)}; departments of the plan: "
                + ", ".join(known)
            )
        chosen = [d for d in known if d in wanted]
    clash = [d for d in chosen if d.lower() in _RESERVED_STEMS]
    if clash:
        raise BuildError(
            f"department id {clash[0]!r} would overwrite the {clash[0].lower()} report "
            f"(reports/<year>/<lang>/{clash[0].lower()}.html); rename the department"
        )
    return chosen


# --------------------------------------------------------------------------------------------
# Job planning and input hashes
# --------------------------------------------------------------------------------------------


def _plan_jobs(
    plan: Plan,
    *,
    years: list[int],
    dept_ids: list[str],
    plan_wide: bool,
    options: _Options,
    output_dir: Path,
    notebooks_dir: Path,
) -> list[Job]:
    """Every job of the build, year by year (so early publications can start early)."""
    import pandas as pd

    digests = _Digests(plan)
    kinds = plan.kinds()
    districts = [d for d in plan.dept_ids if kinds.get(d) == "district"]
    departments = plan.departments.set_index("dept_id")
    n_indicators = plan.indicators["dept_id"].value_counts().to_dict()
    plan_path = str(Path(plan.path).resolve())
    out: list[Job] = []
    for year in years:
        year_dir = output_dir / str(year)
        for lang in options.langs:
            words = _WORDS[lang]
            label = _year_label(year, lang)
            base = {"plan_path": plan_path, "year": int(year), "lang": lang, **options.parameters}
            # kind, dept_id, name, data digest, weight (about one unit per chart drawn)
            wanted: list[tuple[str, str, str, str, float]] = []
            if plan_wide:
                wanted.append(("overview", "", words["overview"], digests.plan, 6.0))
                if districts:
                    wanted.append(("districts", "", words["districts"], digests.districts, 2.0))
            for dept_id in dept_ids:
                name = departments.loc[dept_id, f"name_{lang}"]
                name = str(name) if not pd.isna(name) and str(name).strip() else dept_id
                weight = 2.0 + float(n_indicators.get(dept_id, 0))
                wanted.append(("department", dept_id, name, digests.department(dept_id), weight))
            section_jobs: list[Job] = []
            for kind, dept_id, name, data_digest, weight in wanted:
                notebook_name = REPORT_KINDS[kind]
                assert notebook_name is not None
                notebook = notebooks_dir / f"{notebook_name}.ipynb"
                params = {**base, "dept_id": dept_id}
                stem = dept_id if kind == "department" else kind
                suffix = f".{dept_id}" if dept_id else ""
                job = Job(
                    key=f"{year}/{lang}/{kind}" + (f"/{dept_id}" if dept_id else ""),
                    kind=kind,
                    year=int(year),
                    lang=lang,
                    dept_id=dept_id,
                    name=name,
                    title=f"{name} — {label}",
                    notebook=notebook,
                    parameters=params,
                    executed=year_dir / "notebooks" / f"{notebook_name}{suffix}.{lang}.ipynb",
                    html=year_dir / lang / f"{stem}.html",
                    pdf=year_dir / lang / f"{stem}.pdf" if options.pdf else None,
                    weight=weight,
                )
                job = dataclasses.replace(
                    job, input_hash=_job_hash(job, data_digest, digests.code, notebook)
                )
                out.append(job)
                if kind in ("overview", "department"):
                    section_jobs.append(job)
            if plan_wide and options.pdf and section_jobs:
                sections = tuple((j.name, j.html) for j in section_jobs if j.html is not None)
                pub_hash = _hash_json(
                    {
                        "kind": "publication",
                        "sections": [[j.key, j.name, j.input_hash] for j in section_jobs],
                        "plan": digests.plan,
                        "code": digests.code,
                    }
                )
                out.append(
                    Job(
                        key=f"{year}/{lang}/publication",
                        kind="publication",
                        year=int(year),
                        lang=lang,
                        dept_id="",
                        name=words["publication"],
                        title=f"{_plan_name(plan, lang)} — {label}",
                        input_hash=pub_hash,
                        pdf=year_dir / f"publication.{lang}.pdf",
                        sections=sections,
                        plan_name=_plan_name(plan, lang),
                        subtitle=str(plan.meta.get(f"city_{lang}") or ""),
                    )
                )
    return out


def _plan_name(plan: Plan, lang: str) -> str:
    return str(plan.meta.get(f"name_{lang}") or plan.meta.get("name_fa") or plan.name)


def _year_label(year: int, lang: str) -> str:
    from planmon.content.interpret import format_year

    return format_year(year, lang)  # type: ignore[arg-type]


def _job_hash(job: Job, data_digest: str, code_digest: str, notebook: Path) -> str:
    try:
        notebook_digest = hashlib.sha256(notebook.read_bytes()).hexdigest()
    except OSError:
        notebook_digest = "missing"  # reported as a ParameterError before anything runs
    return _hash_json(
        {
            "kind": job.kind,
            "notebook": notebook_digest,
            # Paths are left out: scores_path names the whole plan's fingerprint, so it would
            # rebuild every report whenever any department changes; plan_path says where the
            # plan is, not what is in it (the data digest does), so a moved plan rebuilds nothing.
            "parameters": {
                k: v for k, v in job.parameters.items() if k not in ("scores_path", "plan_path")
            },
            "data": data_digest,
            "code": code_digest,
            "title": job.title,
        }
    )


def _hash_json(value: Any) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class _Digests:
    """Content hashes of the slices of a plan that each report depends on."""

    def __init__(self, plan: Plan):
        from planmon._version import __version__

        self._plan = plan
        self.plan = hashlib.sha256(f"{plan.fingerprint}".encode()).hexdigest()
        self.code = _code_digest(__version__)
        self._common = _frame_digest(plan.goals) + _hash_json(plan.meta)
        self._cache: dict[str, str] = {}

    def department(self, dept_id: str) -> str:
        """One department's row, indicators, their targets, its actuals and report files."""
        if dept_id in self._cache:
            return self._cache[dept_id]
        plan = self._plan
        indicators = plan.indicators[plan.indicators["dept_id"] == dept_id]
        ids = set(indicators["indicator_id"])
        parts = [
            self._common,
            _frame_digest(plan.departments[plan.departments["dept_id"] == dept_id]),
            _frame_digest(indicators),
            _frame_digest(plan.targets[plan.targets["indicator_id"].isin(ids)]),
            _frame_digest(
                plan.actuals[
                    (plan.actuals["dept_id"] == dept_id) | plan.actuals["indicator_id"].isin(ids)
                ]
            ),
        ]
        files = plan.report_files[plan.report_files["dept_id"] == dept_id]
        for name in sorted(files["file"].astype(str)):
            try:
                content = (Path(plan.path) / name).read_bytes()
            except OSError:
                content = b""
            parts.append(name + hashlib.sha256(content).hexdigest())
        self._cache[dept_id] = hashlib.sha256("\n".join(parts).encode()).hexdigest()
        return self._cache[dept_id]

    @property
    def districts(self) -> str:
        """Every district's slice, plus the department table (names, kinds)."""
        kinds = self._plan.kinds()
        parts = [_frame_digest(self._plan.departments)]
        parts += [self.department(d) for d in self._plan.dept_ids if kinds.get(d) == "district"]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _frame_digest(frame: pd.DataFrame) -> str:
    text = frame.to_csv(index=False, lineterminator="\n")
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _code_digest(version: str) -> str:
    """planmon's version and source: a change to a chart or template rebuilds the reports."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(version.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".html") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


# --------------------------------------------------------------------------------------------
# The manifest: which inputs each output was built from
# --------------------------------------------------------------------------------------------


class _Manifest:
    """``<reports>/.manifest.json``: output file → input hash, and what the index lists."""

    def __init__(self, output_dir: Path, data: dict[str, Any]):
        self.output_dir = output_dir
        self.path = output_dir / ".manifest.json"
        self.outputs: dict[str, str] = data.get("outputs", {})
        self.reports: dict[str, dict[str, Any]] = data.get("reports", {})
        self.plan: dict[str, str] = data.get("plan", {})
        self._written = json.dumps(data, sort_keys=True) if data else ""

    @classmethod
    def read(cls, output_dir: Path) -> _Manifest:
        path = output_dir / ".manifest.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}  # missing or damaged: everything is rebuilt, nothing is trusted
        if data.get("version") != _MANIFEST_VERSION:
            data = {}
        return cls(output_dir, data)

    def rel(self, path: Path) -> str:
        return path.relative_to(self.output_dir).as_posix()

    def current(self, path: Path, input_hash: str) -> bool:
        """True when ``path`` exists and was built from ``input_hash``."""
        return self.outputs.get(self.rel(path)) == input_hash and path.is_file()

    def record(self, job: Job, plan: Plan) -> None:
        for path in job.outputs().values():
            self.outputs[self.rel(path)] = job.input_hash
        self.reports[job.key] = {
            "kind": job.kind,
            "year": job.year,
            "lang": job.lang,
            "dept_id": job.dept_id,
            "name": job.name,
            # departments are listed in the plan's order
            "order": plan.dept_ids.index(job.dept_id) if job.dept_id in plan.dept_ids else -1,
            "html": self.rel(job.html) if job.html else None,
            "pdf": self.rel(job.pdf) if job.pdf else None,
        }

    def remember_plan(self, plan: Plan) -> None:
        self.plan = {"name_fa": _plan_name(plan, "fa"), "name_en": _plan_name(plan, "en")}

    def write(self) -> None:
        data = {
            "version": _MANIFEST_VERSION,
            "plan": self.plan,
            "outputs": self.outputs,
            "reports": self.reports,
        }
        text = json.dumps(data, sort_keys=True)
        if text != self._written:
            atomic_write_text(self.path, json.dumps(data, sort_keys=True, ensure_ascii=False))
            self._written = text


def _with_stages(job: Job, manifest: _Manifest, *, force: bool) -> Job:
    """The job with the stages it still needs (none when everything is current)."""
    if job.kind == "publication":
        assert job.pdf is not None
        stale = force or not manifest.current(job.pdf, job.input_hash)
        return dataclasses.replace(job, stages=("publication",) if stale else ())
    wanted = ["execute", "html"] + (["pdf"] if job.pdf is not None else [])
    outputs = job.outputs()
    for index, stage in enumerate(wanted):
        if force or not manifest.current(outputs[stage], job.input_hash):
            # An up-to-date executed notebook is converted again rather than re-run.
            return dataclasses.replace(job, stages=tuple(wanted[index:]))
    return dataclasses.replace(job, stages=())


def _skipped(job: Job) -> JobResult:
    return JobResult.of(
        job, "skipped", outputs=tuple(job.outputs().values()), executed=job.executed
    )


# --------------------------------------------------------------------------------------------
# Before the first kernel: scores file and parameter checks
# --------------------------------------------------------------------------------------------


def _prepare_notebooks(
    plan: Plan,
    jobs: list[Job],
    scores_dir: Path,
    notebooks_dir: Path,
    report: BuildProgress,
) -> tuple[Path | None, list[Job]]:
    """Write the scores once, check every notebook's parameters, point the jobs at the scores."""
    executing = [job for job in jobs if "execute" in job.stages]
    if not executing:
        return None, jobs
    for job in executing:
        assert job.notebook is not None
        if not job.notebook.is_file():
            raise ParameterError(
                f"report notebook {job.notebook.name} not found in {notebooks_dir} "
                f"(needed for {job.key})"
            )
    report.phase("computing the scores")
    scores_path = (scores_dir / f"{plan.fingerprint}.parquet").resolve()
    with atomic_path(scores_path) as tmp:
        plan.scores().to_parquet(tmp, index=False)
    jobs = [
        dataclasses.replace(job, parameters={**job.parameters, "scores_path": str(scores_path)})
        if job.notebook is not None
        else job
        for job in jobs
    ]
    report.phase("checking the notebooks' parameters")
    from planmon.execution.parameters import validate_parameters

    seen: set[Path] = set()
    for job in jobs:
        if "execute" in job.stages and job.notebook not in seen:
            assert job.notebook is not None
            seen.add(job.notebook)
            validate_parameters(job.notebook, job.parameters, plan=plan)
    return scores_path, jobs


# --------------------------------------------------------------------------------------------
# Running jobs: local process pool (zygote kernels) or dask
# --------------------------------------------------------------------------------------------


class _Runner:
    """The kernel zygote and the worker pool of one build (a context manager).

    Both start on entry, so their imports overlap the build's last checks; both stop on exit,
    and an interrupted build stops its running notebooks before the lock is released.
    """

    def __init__(
        self, to_run: list[Job], options: _Options, output_dir: Path, report: BuildProgress
    ):
        from planmon.execution.kernel import PLAIN_KERNEL, ZYGOTE_KERNEL, zygote_supported

        self.options = options
        self.report = report
        self.log_path = output_dir / ".build.log"
        self.workers = min(options.jobs, len(to_run))
        self.needs_kernel = any("execute" in job.stages for job in to_run)
        self.use_zygote = (
            self.needs_kernel
            and options.executor == "local"
            and (options.kernel == "zygote" or (options.kernel == "auto" and zygote_supported()))
        )
        self.kernel_name = ZYGOTE_KERNEL if self.use_zygote else PLAIN_KERNEL
        self.preload = _preload_modules(to_run) if self.use_zygote else []
        self._stack = contextlib.ExitStack()
        self._pool: _Pool | None = None

    def __enter__(self) -> _Runner:
        from planmon.execution.kernel import PLAIN_KERNEL, Zygote, write_kernelspecs

        stack = self._stack.__enter__()
        try:
            workdir = Path(tempfile.mkdtemp(prefix="planmon-build-"))
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
            jupyter_path = write_kernelspecs(workdir / "jupyter")
            if self.use_zygote:
                self.report.phase("starting the kernel zygote")
                zygote = Zygote(workdir, preload=self.preload)
                try:
                    zygote.start()
                except RuntimeError as exc:
                    if self.options.kernel == "zygote":
                        raise BuildError(f"cannot use forked kernels: {exc}") from exc
                    self.kernel_name = PLAIN_KERNEL  # "auto": a stock kernel still works
                else:
                    stack.callback(zygote.stop)
            if self.options.executor == "dask":
                self._pool = _DaskPool(self.options.scheduler or "")
            else:
                self._pool = _LocalPool(
                    self.workers, jupyter_path, self.log_path, pdf=self.options.pdf
                )
            stack.enter_context(self._pool)
        except BaseException:
            self._stack.__exit__(*sys.exc_info())
            raise
        return self

    def run(
        self,
        to_run: list[Job],
        results: dict[str, JobResult],
        done: Callable[[Job, JobResult], None],
    ) -> None:
        """Run the jobs, each publication after its sections."""
        assert self._pool is not None
        if not self.needs_kernel:
            self.kernel_name = ""
        jobs = [
            dataclasses.replace(job, kernel_name=self.kernel_name, timeout=self.options.timeout)
            for job in to_run
        ]
        self.report.phase("building")
        _schedule(jobs, results, self._pool, done)

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)


def _preload_modules(jobs: list[Job]) -> list[str]:
    """The zygote's imports: planmon's defaults plus what the notebooks import at top level."""
    import ast

    from planmon.execution.kernel import DEFAULT_PRELOAD

    modules = list(DEFAULT_PRELOAD)
    for notebook in {job.notebook for job in jobs if job.notebook is not None}:
        try:
            cells = json.loads(notebook.read_text(encoding="utf-8")).get("cells", [])
        except (OSError, ValueError):
            continue
        for cell in cells:
            if cell.get("cell_type") != "code":
                continue
            source = cell.get("source", "")
            source = "".join(source) if isinstance(source, list) else source
            try:
                tree = ast.parse(source)
            except SyntaxError:
                continue  # IPython magics; the kernel imports what it needs itself
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.append(node.module)
    return list(dict.fromkeys(modules))


def _schedule(
    jobs: list[Job],
    results: dict[str, JobResult],
    pool: _Pool,
    done: Callable[[Job, JobResult], None],
) -> None:
    """Feed the pool: a publication as soon as all its sections are done, else the next job.

    Only as many jobs as the pool has workers are handed over at a time, so a publication
    that becomes ready jumps the queue instead of waiting behind every remaining notebook.
    """
    section_of = {job.html: job.key for job in jobs if job.kind != "publication" and job.html}
    blocked: dict[str, set[str]] = {}
    publications: dict[str, Job] = {}
    queue: deque[Job] = deque()
    urgent: deque[Job] = deque()
    # Longest jobs of each year first (their order in ``jobs``), so no worker is left with
    # a long one at the end while the others idle.
    first: dict[tuple[int, str], int] = {}
    for index, job in enumerate(jobs):
        first.setdefault((job.year, job.lang), index)
    jobs = sorted(jobs, key=lambda job: (first[job.year, job.lang], -job.weight))
    for job in jobs:
        if job.kind == "publication":
            # Sections not in this build are up to date on disk already.
            deps = {section_of[path] for _, path in job.sections if path in section_of}
            if deps:
                blocked[job.key], publications[job.key] = deps, job
            else:
                urgent.append(job)
        else:
            queue.append(job)
    in_flight = 0

    def fill() -> None:
        nonlocal in_flight
        while in_flight < pool.capacity and (urgent or queue):
            pool.submit(urgent.popleft() if urgent else queue.popleft())
            in_flight += 1

    def fail(publication: Job, why: str) -> None:
        failure = _failure(publication, why, 0.0)
        results[publication.key] = failure
        done(publication, failure)

    fill()
    for job, outcome in pool.results():
        in_flight -= 1
        done(job, outcome)
        for key in [k for k, deps in blocked.items() if job.key in deps]:
            if outcome.status == "failed":
                del blocked[key]
                fail(publications.pop(key), f"not printed: its section {job.key} failed")
                continue
            blocked[key].discard(job.key)
            if not blocked[key]:
                del blocked[key]
                urgent.append(publications.pop(key))
        fill()
    for publication in publications.values():  # only if a section's result went missing
        fail(publication, "not printed: a section never finished")


class _Pool:
    """Submit jobs; iterate ``(job, result)`` as they finish, in completion order."""

    #: jobs worth handing over at once
    capacity: int = 1

    def submit(self, job: Job) -> None:
        raise NotImplementedError

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        raise NotImplementedError

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _LocalPool(_Pool):
    def __init__(self, workers: int, jupyter_path: Path, log_path: Path, *, pdf: bool):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers start from a clean process that imported only what they need
        # (papermill, nbconvert, WeasyPrint), never from this one and its threads.
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        if context.get_start_method() == "forkserver":
            preload = [
                "planmon.build.api",
                "planmon.publish.export",
                "papermill",
                "nbconvert",
                "bs4",
            ]
            context.set_forkserver_preload(preload + (["weasyprint"] if pdf else []))
        with contextlib.suppress(OSError):
            log_path.write_bytes(b"")
        self.capacity = max(1, workers)
        self._executor = ProcessPoolExecutor(
            max_workers=self.capacity,
            mp_context=context,
            initializer=_init_worker,
            # The forkserver outlives this build; hand the workers today's environment.
            initargs=(str(jupyter_path), str(log_path), dict(os.environ), pdf),
        )
        self._pending: dict[Any, Job] = {}
        # Workers start on demand, and the first waits for the forkserver's imports: start them
        # all now, from a thread, so they warm up while the build runs its last checks.
        self._starter = threading.Thread(
            target=lambda: [self._executor.submit(_noop) for _ in range(self.capacity)],
            name="planmon-pool-start",
            daemon=True,
        )
        self._starter.start()

    def submit(self, job: Job) -> None:
        self._starter.join()
        self._pending[self._executor.submit(run_job, job)] = job

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        while self._pending:
            finished, _ = wait(list(self._pending), return_when=FIRST_COMPLETED)
            for future in finished:
                job = self._pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker died (killed, out of memory)
                    outcome = _failure(job, f"worker failed: {_first_line(exc)}", 0.0)
                yield job, outcome

    def __exit__(self, *exc: object) -> None:
        interrupted = exc[0] is not None
        self._starter.join()
        self._executor.shutdown(wait=not interrupted, cancel_futures=True)
        if interrupted:
            # Stop the notebooks still running before the lock is released, so that a build
            # started right after this one never meets a straggler writing into the reports.
            processes = getattr(self._executor, "_processes", None) or {}
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.terminate()
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.join(5)


class _DaskPool(_Pool):
    def __init__(self, scheduler: str):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise PlanmonError(
                "the dask executor needs dask.distributed: pip install 'planmon[dask]'"
            ) from exc
        try:
            self._client = Client(scheduler, set_as_default=False, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BuildError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
        self.capacity = 1_000_000  # dask queues and places the work itself
        self._pending: dict[Any, Job] = {}
        self._completed: Any = None

    def submit(self, job: Job) -> None:
        from distributed import as_completed

        future = self._client.submit(run_job, job, key=f"planmon-{job.key}-{job.input_hash[:12]}")
        self._pending[future] = job
        if self._completed is None:
            self._completed = as_completed([future], loop=self._client.loop)
        else:
            self._completed.add(future)

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        while self._pending:
            future = next(self._completed)
            job = self._pending.pop(future)
            try:
                outcome = future.result()
            except Exception as exc:
                outcome = _failure(job, f"dask worker failed: {_first_line(exc)}", 0.0)
            yield job, outcome

    def __exit__(self, *exc: object) -> None:
        for future in self._pending:
            future.cancel()
        self._client.close()


def _noop() -> None:
    pass


def _init_worker(jupyter_path: str, log_path: str, environ: Mapping[str, str], pdf: bool) -> None:
    """Set up a pool worker: find planmon's kernelspecs; send stray output to the build log."""
    os.environ.clear()
    os.environ.update(environ)
    existing = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = jupyter_path + (os.pathsep + existing if existing else "")
    try:
        log = os.open(log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        log = os.open(os.devnull, os.O_WRONLY)
    # Kernels inherit these: their warnings belong in the log, not over the progress bar.
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    _die_with_parent()
    _warm_up(pdf)


def _warm_up(pdf: bool) -> None:
    """Build the HTML exporter (and load WeasyPrint's fonts) now, while the zygote imports."""
    with contextlib.suppress(Exception):
        import nbformat

        from planmon.publish.export import notebook_to_html

        notebook_to_html(nbformat.v4.new_notebook(), lang="fa", title="warm-up")
        if pdf:
            import weasyprint

            weasyprint.HTML(string="<p>گرم</p>").render()


def _die_with_parent() -> None:
    """Ask Linux to end this worker if the process that started it dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


# --------------------------------------------------------------------------------------------
# One job, in a worker
# --------------------------------------------------------------------------------------------

_PLAIN_KERNEL_DIR: Path | None = None


def run_job(job: Job) -> JobResult:
    """Do one job's stages and write its outputs atomically; never raises for the job's errors.

    Runs in a pool worker (or a dask worker, which needs the same paths as the build).

    Returns
    -------
    JobResult
        ``built`` with timings, or ``failed`` with the first line of the error. A notebook
        that raised is still written (with its traceback) to ``job.executed``.
    """
    started = time.perf_counter()
    try:
        if job.kind == "publication":
            return _run_publication(job, started)
        return _run_notebook(job, started)
    except Exception as exc:
        return _failure(job, _first_line(exc), time.perf_counter() - started)


def _run_notebook(job: Job, started: float) -> JobResult:
    import nbformat

    from planmon.publish.export import html_to_pdf, notebook_to_html

    assert job.executed is not None and job.html is not None
    timings: dict[str, float] = {}
    if "execute" in job.stages:
        nb, error = _execute(job, timings)
        if error:
            return _failure(job, error, time.perf_counter() - started, timings, job.executed)
    else:
        nb = nbformat.read(job.executed, as_version=4)
    html_text: str | None = None
    if "html" in job.stages:
        t0 = time.perf_counter()
        html_text = notebook_to_html(nb, lang=job.lang, title=job.title)
        atomic_write_text(job.html, html_text)
        timings["html_s"] = time.perf_counter() - t0
    if "pdf" in job.stages and job.pdf is not None:
        t0 = time.perf_counter()
        if html_text is None:
            html_text = job.html.read_text(encoding="utf-8")
        html_to_pdf(html_text, job.pdf)
        timings["pdf_s"] = time.perf_counter() - t0
    return JobResult.of(
        job,
        "built",
        outputs=tuple(job.outputs().values()),
        executed=job.executed,
        duration_s=time.perf_counter() - started,
        **timings,
    )


def _execute(job: Job, timings: dict[str, float]) -> tuple[Any, str]:
    """Run the notebook with papermill; return ``(notebook, error first line or "")``."""
    import nbformat
    import papermill
    from papermill.exceptions import PapermillExecutionError

    from planmon.execution.kernel import PLAIN_KERNEL, kernel_manager_class

    assert job.notebook is not None and job.executed is not None
    if job.kernel_name == PLAIN_KERNEL:
        _ensure_plain_kernelspec()
    job.executed.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(
        # papermill warns about output names that do not end in .ipynb
        prefix=f".{job.executed.stem}.",
        suffix=".tmp.ipynb",
        dir=job.executed.parent,
    )
    os.close(fd)
    tmp = Path(tmp_name)
    nb: Any = None
    error = ""
    called = time.time()
    try:
        nb = papermill.execute_notebook(
            str(job.notebook),
            str(tmp),
            parameters=job.parameters,
            kernel_name=job.kernel_name,
            cwd=str(job.notebook.parent),
            progress_bar=False,
            log_output=False,
            # Write the notebook once at the end, not after every cell.
            request_save_on_cell_execute=False,
            autosave_cell_every=0,
            execution_timeout=job.timeout,
            # nbclient options: kill the finished kernel instead of waiting for it to exit, and
            # skip the fixed 0.2 s idle wait after it starts (planmon.execution.kernel).
            shutdown_kernel="immediate",
            kernel_manager_class=kernel_manager_class(),
        )
    except PapermillExecutionError as exc:
        error = f"{exc.ename}: {_first_line(exc.evalue)} (cell {exc.exec_count})"
    except Exception as exc:  # kernel died, timed out, could not start
        error = f"{type(exc).__name__}: {_first_line(exc)}"
    except BaseException:  # interrupted: leave no half-written notebook behind
        tmp.unlink(missing_ok=True)
        raise
    returned = time.time()
    if nb is not None and _stable_cell_ids(nb):
        # papermill gave its parameters cell a random id, which the HTML shows
        tmp.write_text(nbformat.writes(nb), encoding="utf-8")
    if tmp.is_file() and tmp.stat().st_size:
        os.chmod(tmp, 0o644)
        os.replace(tmp, job.executed)
    else:
        tmp.unlink(missing_ok=True)
    if nb is not None:
        timings.update(_kernel_timings(nb, called, returned))
    return nb, error


def _stable_cell_ids(nb: Any) -> bool:
    """Give papermill's injected-parameters cell a fixed id; True if one was changed."""
    changed = False
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            if cell.get("id") != "injected-parameters":
                cell["id"] = "injected-parameters"
                changed = True
    return changed


def _kernel_timings(nb: Any, called: float, returned: float) -> dict[str, float]:
    """Split papermill's wall time using the start/end times it records on every cell."""
    starts, ends = [], []
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("papermill", {})
        if cell.get("cell_type") == "code" and meta.get("start_time") and meta.get("end_time"):
            starts.append(dt.datetime.fromisoformat(meta["start_time"]).timestamp())
            ends.append(dt.datetime.fromisoformat(meta["end_time"]).timestamp())
    if not starts:
        return {"execute_s": returned - called}
    return {
        "kernel_start_s": max(0.0, min(starts) - called),
        "execute_s": max(0.0, max(ends) - min(starts)),
        "shutdown_s": max(0.0, returned - max(ends)),
    }


def _ensure_plain_kernelspec() -> None:
    """Make the stock-kernel spec findable in this process (e.g. on a dask worker)."""
    global _PLAIN_KERNEL_DIR
    from planmon.execution.kernel import PLAIN_KERNEL, write_kernelspecs

    existing = os.environ.get("JUPYTER_PATH", "")
    if any((Path(p) / "kernels" / PLAIN_KERNEL).is_dir() for p in existing.split(os.pathsep) if p):
        return
    if _PLAIN_KERNEL_DIR is None or not (_PLAIN_KERNEL_DIR / "kernels" / PLAIN_KERNEL).is_dir():
        _PLAIN_KERNEL_DIR = write_kernelspecs(Path(tempfile.mkdtemp(prefix="planmon-kernels-")))
        atexit.register(shutil.rmtree, _PLAIN_KERNEL_DIR, ignore_errors=True)
    os.environ["JUPYTER_PATH"] = str(_PLAIN_KERNEL_DIR) + (
        os.pathsep + existing if existing else ""
    )


def _run_publication(job: Job, started: float) -> JobResult:
    from planmon.publish.export import Section, merge_publication

    assert job.pdf is not None
    sections = []
    for title, path in job.sections:
        body = Path(path).read_text(encoding="utf-8")
        # A report that opens with its own heading needs no second one from the publication.
        sections.append(Section(title=title, body_html=body, show_title="<h1" not in body))
    merge_publication(
        sections,
        job.pdf,
        plan_name=job.plan_name,
        year=job.year,
        lang=job.lang,
        subtitle=job.subtitle or None,
    )
    elapsed = time.perf_counter() - started
    return JobResult.of(
        job,
        "built",
        outputs=(job.pdf,),
        duration_s=elapsed,
        pdf_s=elapsed,
    )


def _failure(
    job: Job,
    error: str,
    duration: float,
    timings: Mapping[str, float] | None = None,
    executed: Path | None = None,
) -> JobResult:
    return JobResult.of(
        job,
        "failed",
        error=error,
        executed=executed if executed is not None and executed.is_file() else None,
        duration_s=duration,
        **(timings or {}),
    )


def _first_line(value: object) -> str:
    text = str(value).strip()
    if not text:
        text = type(value).__name__ if isinstance(value, BaseException) else "unknown error"
    # papermill and IPython colour their tracebacks; a summary line should be plain text.
    import re

    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return text.splitlines()[0][:300]


# --------------------------------------------------------------------------------------------
# The lock
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _build_lock(output_dir: Path, timeout: float | None, report: BuildProgress) -> Iterator[None]:
    """Hold ``<reports>/.build.lock`` for the whole build (one build per reports folder)."""
    from filelock import FileLock, Timeout

    lock = FileLock(str(output_dir / ".build.lock"))
    owner_file = output_dir / ".build.lock.owner"
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout is not None and timeout <= 0:
            raise BuildLockedError(_locked_message(output_dir, owner_file, timeout)) from None
        report.phase("waiting for another build to finish")
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise BuildLockedError(_locked_message(output_dir, owner_file, timeout)) from None
    try:
        with contextlib.suppress(OSError):
            owner = {"pid": os.getpid(), "started": dt.datetime.now().isoformat(timespec="seconds")}
            atomic_write_text(owner_file, json.dumps(owner))
        yield
    finally:
        with contextlib.suppress(OSError):
            owner_file.unlink()
        lock.release()


def _remove_leftovers(output_dir: Path) -> None:
    """Delete temporary files a killed build left beside its outputs (we hold the lock)."""
    for pattern in (".*.tmp", ".*.tmp.ipynb"):
        for path in output_dir.rglob(pattern):
            with contextlib.suppress(OSError):
                path.unlink()


def _locked_message(output_dir: Path, owner_file: Path, timeout: float | None) -> str:
    who = "another planmon build"
    with contextlib.suppress(OSError, ValueError, KeyError):
        owner = json.loads(owner_file.read_text(encoding="utf-8"))
        who += f" (process {owner['pid']}, started {owner['started']})"
    waited = f" after waiting {timeout:g} s" if timeout else ""
    return (
        f"{who} is writing to {output_dir}{waited}; wait for it to finish, or give a lock "
        "timeout in seconds to wait for it"
    )


# --------------------------------------------------------------------------------------------
# index.html
# --------------------------------------------------------------------------------------------

_INDEX_CSS = """
body { font-family: "Vazirmatn", "Noto Sans Arabic", "DejaVu Sans", sans-serif;
       margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #1f1f1f; line-height: 1.6; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid #ccc; }
h3 { font-size: 1.05rem; margin-bottom: 0.3rem; }
section.lang { margin: 0 0 1.5rem; }
ul { padding-inline-start: 1.2rem; margin: 0.3rem 0; }
a { color: #1F4E79; } .pdf { font-size: 0.85em; margin-inline-start: 0.5em; }
"""


def _write_index(output_dir: Path, manifest: _Manifest) -> Path:
    """Write ``index.html``: every report on disk, by year and language, relative links."""
    target = output_dir / "index.html"
    text = _index_html(output_dir, manifest)
    try:
        unchanged = target.read_text(encoding="utf-8") == text
    except OSError:
        unchanged = False
    if not unchanged:
        atomic_write_text(target, text)
    return target


def _index_html(output_dir: Path, manifest: _Manifest) -> str:
    esc = html_lib.escape
    reports = [
        r for r in manifest.reports.values() if (output_dir / (r.get("html") or r["pdf"])).is_file()
    ]
    langs = [lang for lang in _LANGUAGES if any(r["lang"] == lang for r in reports)] or ["fa"]
    main = langs[0]
    title = manifest.plan.get(f"name_{main}") or _WORDS[main]["index"]

    def link(rel: str | None, text: str, css: str = "") -> str:
        if not rel or not (output_dir / rel).is_file():
            return ""
        cls = f' class="{css}"' if css else ""
        return f'<a href="{esc(urllib.parse.quote(rel))}"{cls}>{esc(text)}</a>'

    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{main}" dir="{"rtl" if main == "fa" else "ltr"}">',
        '<head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title><style>{_INDEX_CSS}</style></head>",
        f"<body><h1>{esc(title)}</h1>",
    ]
    # `planmon dashboard` writes reports/dashboard/ (make reports runs it before the build)
    dashboard = link("dashboard/index.html", _WORDS[main]["dashboard"])
    if dashboard:
        parts.append(f"<p>{dashboard}</p>")
    if not reports:
        parts.append(f"<p>{esc(_WORDS[main]['empty'])}</p>")
    order = {"overview": 0, "districts": 1, "department": 2, "publication": 3}
    for year in sorted({r["year"] for r in reports}, reverse=True):
        parts.append(f"<h2>{esc(_WORDS[main]['year'])} {esc(_year_label(year, main))}</h2>")
        for lang in langs:
            words = _WORDS[lang]
            here = [r for r in reports if r["year"] == year and r["lang"] == lang]
            if not here:
                continue
            here.sort(key=lambda r: (order.get(r["kind"], 9), r.get("order", -1), r["name"]))
            direction = "rtl" if lang == "fa" else "ltr"
            parts.append(f'<section class="lang" lang="{lang}" dir="{direction}">')
            parts.append(f"<h3>{esc(words['language'])}</h3><ul>")
            for r in here:
                if r["kind"] == "publication":
                    parts.append(f"<li>{link(r['pdf'], words['publication'])}</li>")
                    continue
                pdf = link(r.get("pdf"), words["pdf"], "pdf")
                parts.append(f"<li>{link(r['html'], r['name'])}{pdf}</li>")
            parts.append("</ul></section>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
