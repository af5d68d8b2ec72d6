"""What a build is made of: jobs, their results, the build's summary and its progress calls.

A :class:`Job` is one report to make (a notebook to execute and export, or a publication to
print); it is planned by :mod:`planmon.build.planner`, done by :func:`planmon.build.worker.run_job`
in a pool worker and answered by a :class:`JobResult`. :class:`BuildResult` collects them.
:class:`BuildProgress` is what the build tells its caller while it runs (the library never
prints: the CLI renders these calls, see :mod:`planmon.cli.progress`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from planmon.core.exceptions import BuildError

__all__ = [
    "REPORT_KINDS",
    "Job",
    "JobResult",
    "BuildResult",
    "BuildProgress",
    "NullProgress",
    "tell",
]

#: Report kinds and the notebook each one runs (the publication runs none).
REPORT_KINDS: dict[str, str | None] = {
    "overview": "plan_overview",
    "districts": "district_comparison",
    "department": "department_report",
    "publication": None,
}


@dataclass(frozen=True)
class Job:
    """One unit of work: a notebook to execute and export, or a publication to print.

    Planned by :func:`planmon.build.planner.plan_jobs` and sent to a worker (so every field
    pickles).

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
    shell : bool
        Run the cells in a shell forked from the zygote (:mod:`planmon.execution.engine`)
        rather than in a kernel (only with the zygote's kernelspec).
    timeout : float or None
        Seconds one cell may run.
    sections : tuple of (title, Path)
        Publication chapters: the HTML files to bind, in order.
    body_html : str
        A report written without a notebook (a department whose report was not received):
        its content, rendered while planning; exported through the reports' HTML template.
    plan_name, subtitle : str
        Publication cover.
    nav : tuple of (label, href)
        The HTML report's links to the site index, the dashboard, the same report's other
        years and its other language (relative hrefs; :mod:`planmon.build.nav`).
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
    shell: bool = False
    timeout: float | None = None
    sections: tuple[tuple[str, Path], ...] = ()
    body_html: str = ""
    plan_name: str = ""
    subtitle: str = ""
    nav: tuple[tuple[str, str], ...] = ()
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

    @classmethod
    def failure(cls, job: Job, error: str, duration: float = 0.0, **fields: Any) -> JobResult:
        """``job`` failed with ``error`` (one line); ``executed`` is kept only if it exists."""
        executed = fields.pop("executed", None)
        if executed is not None and not Path(executed).is_file():
            executed = None
        return cls.of(job, "failed", error=error, executed=executed, duration_s=duration, **fields)

    @classmethod
    def skipped(cls, job: Job) -> JobResult:
        """``job`` was up to date."""
        return cls.of(job, "skipped", outputs=tuple(job.outputs().values()), executed=job.executed)


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


class BuildProgress(Protocol):
    """What :func:`planmon.build.api.build` reports while it runs."""

    def phase(self, text: str) -> None:
        """A preparatory step began (loading the plan, waiting for the lock, …)."""

    def note(self, text: str, *, warning: bool = False) -> None:
        """A line for the reader: a year's completeness, or a ``warning`` (a provisional
        publication about to be built)."""

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

    def note(self, text: str, *, warning: bool = False) -> None:
        pass

    def start(self, total: int, skipped: int) -> None:
        pass

    def job_done(self, result: JobResult) -> None:
        pass

    def finish(self, result: BuildResult) -> None:
        pass


def tell(report: BuildProgress, notes: list[tuple[str, bool]]) -> None:
    """Pass ``notes`` ``(text, warning)`` to ``report``."""
    note = getattr(report, "note", None)
    if note is None:  # a progress object written before notes existed
        return
    for text, warning in notes:
        note(text, warning=warning)
