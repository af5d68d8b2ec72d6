"""What runs one job, in a pool worker: execute, export to HTML, print to PDF; or a publication.

:func:`run_job` never raises for the job's own errors (a cell that raised, a full disk): it
returns a failed :class:`~planmon.build.jobs.JobResult` whose error line names the file and the
fix, and the build goes on with the other jobs. Every file is written atomically and checked
before it lands (:mod:`planmon.io.atomic`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from planmon.build.jobs import Job, JobResult
from planmon.core.exceptions import OutputError, PlanmonError
from planmon.execution.papermill import first_line

if TYPE_CHECKING:
    from planmon.publish.publication import Cover

__all__ = ["run_job"]


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
        if job.notebook is None:
            return _run_written(job, started)
        return _run_notebook(job, started)
    except OSError as exc:  # the output folder: read-only, full, no permission
        error = first_line(OutputError.of(exc))
    except PlanmonError as exc:
        error = first_line(exc)
    except Exception as exc:
        error = f"{type(exc).__name__}: {first_line(exc)}"
    return JobResult.failure(job, error, time.perf_counter() - started)


def _run_notebook(job: Job, started: float) -> JobResult:
    import nbformat

    from planmon.publish.html import notebook_to_html
    from planmon.publish.pdf import html_to_pdf

    assert job.executed is not None and job.html is not None
    timings: dict[str, float] = {}
    if "execute" in job.stages:
        nb, error, timings = _execute(job)
        if error:
            duration = time.perf_counter() - started
            return JobResult.failure(job, error, duration, executed=job.executed, **timings)
    else:
        nb = nbformat.read(job.executed, as_version=4)
    html_text: str | None = None
    if "html" in job.stages:
        from planmon.io.atomic import atomic_write_text

        t0 = time.perf_counter()
        html_text = notebook_to_html(nb, lang=job.lang, title=job.title, nav=job.nav)
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


def _run_written(job: Job, started: float) -> JobResult:
    """A report written without a kernel (``job.body_html``), through the reports' template."""
    import nbformat

    from planmon.io.atomic import atomic_write_text
    from planmon.publish.html import notebook_to_html
    from planmon.publish.pdf import html_to_pdf

    assert job.html is not None
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cell = nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data", data={"text/html": job.body_html})]
    )
    nb = nbformat.v4.new_notebook(cells=[cell])
    html_text = notebook_to_html(nb, lang=job.lang, title=job.title)
    atomic_write_text(job.html, html_text)
    timings["html_s"] = time.perf_counter() - t0
    if "pdf" in job.stages and job.pdf is not None:
        t0 = time.perf_counter()
        html_to_pdf(html_text, job.pdf)
        timings["pdf_s"] = time.perf_counter() - t0
    outputs = tuple(job.outputs().values())
    return JobResult.of(
        job, "built", outputs=outputs, duration_s=time.perf_counter() - started, **timings
    )


def _execute(job: Job) -> tuple[object, str, dict[str, float]]:
    """Run the notebook; write it (with its traceback, if a cell raised). ``(nb, error, times)``."""
    from planmon.execution.kernel import PLAIN_KERNEL, ensure_plain_kernelspec
    from planmon.execution.papermill import execute, write_notebook

    assert job.notebook is not None and job.executed is not None
    if job.kernel_name == PLAIN_KERNEL:
        ensure_plain_kernelspec()
    run = execute(
        job.notebook,
        job.parameters,
        kernel_name=job.kernel_name,
        cwd=job.notebook.parent,
        timeout=job.timeout,
        shell=job.shell,
    )
    if run.notebook is not None:
        write_notebook(run.notebook, job.executed)
    return run.notebook, run.error, run.timings()


def _publication_cover(job: Job) -> Cover:
    """The cover's issuer, date of issue and provisional banner, from the plan of the job."""
    from planmon.plan.load import load
    from planmon.publish.publication import Cover

    plan_path = str(job.parameters.get("plan_path") or "")
    if not plan_path:
        return Cover(subtitle=job.subtitle)
    plan = load(plan_path)
    rolled = plan.rollup("plan", year=job.year)
    provisional = bool(len(rolled)) and bool(rolled["provisional"].fillna(False).any())
    return Cover(
        subtitle=job.subtitle,
        issuer=str(plan.meta.get(f"issuer_{job.lang}") or ""),
        issue_date=str(plan.meta.get("issue_date") or ""),
        provisional=provisional,
    )


def _run_publication(job: Job, started: float) -> JobResult:
    """Bind the chapters' PDFs (made by this build) behind a freshly rendered cover + contents."""
    from planmon.publish.publication import assemble_publication

    assert job.pdf is not None
    chapters = [(title, Path(path).with_suffix(".pdf")) for title, path in job.sections]
    assemble_publication(
        chapters,
        job.pdf,
        plan_name=job.plan_name,
        year=job.year,
        lang=job.lang,
        cover=_publication_cover(job),
    )
    elapsed = time.perf_counter() - started
    return JobResult.of(job, "built", outputs=(job.pdf,), duration_s=elapsed, pdf_s=elapsed)
