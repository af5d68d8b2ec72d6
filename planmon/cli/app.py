"""The ``planmon`` command line: thin wrappers that parse arguments, call one library function
and render its result. Exit codes: 0 ok, 1 invalid data or failed jobs, 2 usage errors.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from planmon.cli.common import (
    PlanArg,
    app,
    err,
    handle_errors,
    out,
)
from planmon.cli.common import print_problems as _print_problems
from planmon.cli.common import say as _say
from planmon.cli.common import text_of as _text
from planmon.core import config
from planmon.core.exceptions import (
    BuildError,
    ParameterError,
    PlanmonError,
    PlanValidationError,
)

if TYPE_CHECKING:  # pandas is imported by the commands that need it, not by every start
    import pandas as pd

__all__ = ["app", "main"]


@app.command()
@handle_errors
def validate(
    plan: PlanArg = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Do not list warnings.")] = False,
) -> None:
    """Check a plan and its annual reports against the data contract.

    Lists every problem as file:row:column: message. Exit 0 when the plan is valid (warnings
    are listed but do not fail), 1 when it is not.
    """
    from planmon.plan.load import load

    folder = plan or config.SAMPLE_PLAN
    loaded = load(folder)
    if not quiet:
        _print_problems(loaded.warnings, "warnings", "yellow")
    summary = loaded.summary
    table = Table(title=_text(folder), show_header=False, title_justify="left")
    for key, value in summary.items():
        table.add_row(_text(key), _text(value))
    out.print(table)
    out.print("[green]valid[/]")


@app.command()
@handle_errors
def sample(
    out_dir: Annotated[
        Path,
        typer.Option(
            "--out",
            help="Folder to write the plan to (required; data/raw/qazvin rewrites the bundled "
            "sample).",
        ),
    ],
    fmt: Annotated[str, typer.Option("--format", help="xlsx or csv.")] = "xlsx",
    departments: Annotated[
        int | None, typer.Option(help="Write a synthetic plan with this many departments.")
    ] = None,
    indicators_per_dept: Annotated[int, typer.Option(help="Synthetic: indicators each.")] = 50,
    years: Annotated[int, typer.Option(help="Synthetic: report years.")] = 5,
    seed: Annotated[int | None, typer.Option(help="Random seed (default: reproducible).")] = None,
    force: Annotated[bool, typer.Option(help="Overwrite an existing plan folder.")] = False,
) -> None:
    """Write the bundled Qazvin sample plan, or a synthetic plan of any size for benchmarks."""
    from planmon.io.plan_writer import write_plan
    from planmon.sample.qazvin import qazvin_sample
    from planmon.sample.synthetic import synthetic_plan

    if fmt not in ("xlsx", "csv"):
        raise ParameterError("--format must be xlsx or csv")
    target = out_dir
    existing = [n for n in ("plan.xlsx", "plan", "reports") if (target / n).exists()]
    if existing and not force:
        raise PlanmonError(
            f"{target} already holds a plan ({', '.join(existing)}); pass --force to overwrite it"
        )
    if departments is not None:
        tables = synthetic_plan(departments, indicators_per_dept, years, seed=seed or 0)
    else:
        tables = qazvin_sample(seed=seed if seed is not None else 1397)
    written = write_plan(tables, target, fmt=fmt, overwrite=force)
    _say(out, f"wrote {len(written)} files to {target}")


@app.command()
@handle_errors
def scores(
    plan: PlanArg = None,
    year: Annotated[
        int | None, typer.Option(help="Only this report year (default: every report year).")
    ] = None,
    level: Annotated[
        str,
        typer.Option(
            help="indicator (one row per indicator and year), department, goal, "
            "department-goal (department × macro goal) or plan."
        ),
    ] = "indicator",
    out_file: Annotated[
        Path | None,
        typer.Option("--out", help="Write to FILE.csv, .parquet or .xlsx instead of printing."),
    ] = None,
) -> None:
    """Compute every indicator's measures (or the weighted roll-ups) and write or show them."""
    from planmon.io.tables import write_table
    from planmon.measures.rollup import ROLLUP_LEVELS
    from planmon.plan.load import load
    from planmon.plan.selection import report_year

    if level not in ("indicator", *ROLLUP_LEVELS):
        raise ParameterError(
            "--level must be indicator, " + ", ".join(ROLLUP_LEVELS[:-1]) + " or plan"
        )
    loaded = load(plan or config.SAMPLE_PLAN)
    if year is not None:
        report_year(loaded, year)
    frame = loaded.scores(year=year) if level == "indicator" else loaded.rollup(level, year=year)
    if out_file is not None:
        write_table(frame, out_file, sheet_name=level)
        _say(out, f"wrote {len(frame)} rows × {frame.shape[1]} columns to {out_file}")
        return
    _print_frame(frame, level)


@app.command()
@handle_errors
def template(
    plan: PlanArg = None,
    year: Annotated[int, typer.Option(help="The report year the departments will fill in.")] = 0,
    dept: Annotated[
        list[str] | None, typer.Option("--dept", help="Only this department (repeatable).")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Folder for the workbooks (<out>/<year>/<dept_id>.xlsx and a templates.json "
            "record). Default: reports/templates/ under PLANMON_HOME (the checkout).",
        ),
    ] = None,
    contact: Annotated[
        str | None, typer.Option(help="Where to send the filled-in file (printed on the guide).")
    ] = None,
) -> None:
    """Write one Excel data-collection workbook per department for a report year.

    Each workbook lists the department's indicators with this year's target and last year's
    value; the department fills in the value column and sends it back (see `planmon ingest`).
    Nothing is written into the plan folder.
    """
    from planmon.collect.templates import write_templates
    from planmon.plan.load import load

    if not year:
        raise ParameterError("give the report year: planmon template --year 1400")
    written = write_templates(
        load(plan or config.SAMPLE_PLAN), year, dept or None, out_dir, contact=contact
    )
    folder = written[0].parent if written else out_dir
    _say(out, f"wrote {len(written)} templates to {folder}")


@app.command()
@handle_errors
def ingest(
    files: Annotated[
        list[Path], typer.Argument(help="Returned workbooks, each named <dept_id>.xlsx.")
    ],
    year: Annotated[int, typer.Option(help="The report year they belong to.")] = 0,
    plan: Annotated[
        Path | None, typer.Option(help="Plan folder to add them to (required).")
    ] = None,
    replace: Annotated[
        bool,
        typer.Option(help="Replace a report already there (its previous version is kept)."),
    ] = False,
    force_year: Annotated[
        bool, typer.Option(help="Accept a template written for another year.")
    ] = False,
    force_dept: Annotated[
        bool, typer.Option(help="Accept a template written for another department.")
    ] = False,
    force_plan: Annotated[
        bool, typer.Option(help="Accept a template written for another plan.")
    ] = False,
    feedback: Annotated[
        Path | None,
        typer.Option(
            help="If files are refused, write marked-up copies here. Default: "
            "reports/feedback/<year>/ under PLANMON_HOME."
        ),
    ] = None,
    no_feedback: Annotated[
        bool, typer.Option("--no-feedback", help="Write no feedback workbooks.")
    ] = False,
) -> None:
    """Validate returned reports and add them to the plan's reports/<year>/, all or nothing.

    This is the one command that writes a plan's data. It refuses a workbook written for
    another year, department or plan (unless --force-…), never changes an existing report
    unless --replace is given, keeps every previous version in PLAN/.planmon/versions/ and
    records the change in PLAN/.planmon/audit.jsonl (see `planmon history`, `planmon undo`).
    """
    from planmon.cli.collection import print_ingest
    from planmon.collect.feedback import default_folder
    from planmon.collect.guard import IngestRefused
    from planmon.collect.ingest import ingest as ingest_reports

    if not year:
        raise ParameterError("give the report year: planmon ingest FILE... --year 1400 --plan P")
    if plan is None:
        raise ParameterError("give the plan folder: planmon ingest FILE... --year 1400 --plan P")
    forced = [n for n, on in (("force_year", force_year), ("force_dept", force_dept),
                              ("force_plan", force_plan)) if on]  # fmt: skip
    folder = None if no_feedback else (feedback or default_folder(year))
    try:
        result = ingest_reports(
            files, year, plan, replace=replace, force=forced, feedback_dir=folder
        )
    except IngestRefused as exc:
        raise PlanmonError(exc.cli_message()) from None
    except PlanValidationError as exc:
        _print_problems(exc.problems, "errors", "bold red")
        _print_problems(exc.warnings, "warnings", "yellow")
        for path in getattr(exc, "feedback", []):  # ReturnsInvalid
            err.print(f"feedback workbook (send it back): {path}", markup=False, highlight=False)
        err.print(
            f"[bold red]nothing was ingested: {len(exc.problems)} error(s).[/] Fix them in the "
            "files named above (or send the feedback workbooks back) and run again."
        )
        raise typer.Exit(1) from None
    print_ingest(result)


@app.command()
@handle_errors
def build(
    plans: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Plan folders (default: the bundled Qazvin sample). With several (one city "
            "each), each is built into --out DIR/<plan folder name>/.",
            show_default=False,
        ),
    ] = None,
    year: Annotated[
        list[int] | None, typer.Option("--year", help="Only this report year (repeatable).")
    ] = None,
    dept: Annotated[
        list[str] | None,
        typer.Option("--dept", help="Only this department's reports (repeatable)."),
    ] = None,
    lang: Annotated[str, typer.Option(help="Report languages, comma-separated: fa,en.")] = "fa",
    fmt: Annotated[
        str, typer.Option("--format", help="Output formats, comma-separated: html,pdf.")
    ] = "html,pdf",
    jobs: Annotated[
        int | None, typer.Option(help="Notebooks run at once (default: number of cores).")
    ] = None,
    force: Annotated[bool, typer.Option(help="Rebuild outputs that are up to date.")] = False,
    executor: Annotated[
        str, typer.Option(help="local (process pool) or dask (a dask.distributed cluster).")
    ] = "local",
    scheduler: Annotated[
        str | None, typer.Option(help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
    ] = None,
    out_dir: Annotated[
        Path | None, typer.Option("--out", help="Reports folder. Default: reports/.")
    ] = None,
    wait: Annotated[
        float,
        typer.Option(help="Seconds to wait for another build on the same folder to finish."),
    ] = 0.0,
    with_dashboard: Annotated[
        bool,
        typer.Option(
            "--dashboard",
            help="Also write the dashboard (OUT/dashboard) when the reports are built; the "
            "reports link to it from the start.",
        ),
    ] = False,
) -> None:
    """Build every department × year report (HTML and PDF), the overview, the district
    comparison and the yearly publication PDF. Only what changed since the last build is
    rebuilt; one failing report never stops the others.
    """
    from planmon.build.api import BuildOptions

    if executor == "dask" and not scheduler:
        raise ParameterError("--executor dask needs --scheduler ADDRESS (tcp://host:8786)")
    options = BuildOptions(
        years=year or None,
        dept_ids=dept or None,
        langs=lang.split(","),
        formats=fmt.split(","),
        jobs=jobs,
        force=force,
        executor=executor,
        scheduler=scheduler,
        output_dir=out_dir,
        lock_timeout=wait,
        dashboard=with_dashboard,
    )
    if plans and len(plans) > 1:
        _build_several(plans, options, with_dashboard)
    else:
        _build_one(plans[0] if plans else config.SAMPLE_PLAN, options)


def _build_one(plan: Path, options) -> None:
    """One plan: progress, the summary, the dashboard if asked; exit 1 if a report failed."""
    from planmon.build.api import build as build_reports
    from planmon.cli.progress import RichProgress

    try:
        with RichProgress(console=err) as progress:
            result = build_reports(plan, options, progress=progress)
    except PlanmonError as exc:
        if getattr(exc, "result", None) is not None:  # stopped midway: say what was done
            _print_build_summary(exc.result)
        raise
    _print_build_summary(result)
    if options.dashboard:
        _dashboard_after(plan, result)
    result.raise_for_failures()


def _dashboard_after(plan: Path, result) -> None:
    """Write the dashboard beside the reports a build made (kept when nothing changed)."""
    from planmon.dashboard.page import write_dashboard
    from planmon.plan.load import load
    from planmon.publish.layout import DASHBOARD_INDEX

    index = result.output_dir / DASHBOARD_INDEX
    if not result.built and not result.failed and index.is_file():
        _say(out, f"dashboard: {index} (up to date)")
        return
    written = write_dashboard(load(plan), out_dir=index.parent, reports_root=result.output_dir)
    _say(out, f"dashboard: {written}")


def _build_several(plans: list[Path], options, with_dashboard: bool = False) -> None:
    """Several plans in one run (one city each): a summary per plan, exit 1 if any failed."""
    from planmon.build.many import build_plans

    outcomes = build_plans(plans, options)
    for outcome in outcomes:
        _say(out, f"{outcome.plan} → {outcome.output_dir}", style="bold")
        if outcome.result is not None:
            _print_build_summary(outcome.result)
            if with_dashboard:
                _dashboard_after(Path(outcome.plan), outcome.result)
        else:
            _say(err, f"{outcome.plan}: {outcome.error}", style="bold red")
    failed = [o for o in outcomes if not o.ok]
    if failed:
        raise BuildError(f"{len(failed)} of {len(outcomes)} plans did not build cleanly")


def _print_build_summary(result) -> None:
    table = Table(title="planmon build", title_justify="left")
    for column in ("report", "status", "seconds", "note"):
        table.add_column(column, justify="right" if column == "seconds" else "left")
    for job in sorted(result.jobs, key=lambda j: (j.status != "failed", j.key)):
        if job.status == "skipped":
            continue
        style = {"built": "green", "failed": "bold red"}[job.status]
        note = job.error if job.status == "failed" else ""
        if job.status == "failed" and job.executed:
            note += f" (notebook: {job.executed})"
        # keys and errors quote the plan's ids and values: text, not markup
        table.add_row(
            _text(job.key), _text(job.status, style), f"{job.duration_s:.1f}", _text(note)
        )
    if table.row_count:
        out.print(table)
    index = f"; index: {result.index}" if result.index else ""
    _say(
        out,
        f"{len(result.built)} built, {len(result.skipped)} up to date, "
        f"{len(result.failed)} failed in {result.duration_s:.1f} s{index}",
    )


@app.command()
@handle_errors
def dashboard(
    plan: PlanArg = None,
    year: Annotated[
        int | None, typer.Option(help="Show the plan as known in this year (default: latest).")
    ] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Output folder. Default: reports/dashboard."),
    ] = None,
    reports_root: Annotated[
        Path | None,
        typer.Option(
            help="Where the built reports live (for links). Default: the folder above --out."
        ),
    ] = None,
) -> None:
    """Write the static management dashboard (opens from file:// or any web server)."""
    from planmon.dashboard.page import write_dashboard
    from planmon.plan.load import load

    index = write_dashboard(
        load(plan or config.SAMPLE_PLAN), out_dir=out_dir, year=year, reports_root=reports_root
    )
    _say(out, f"dashboard: {index}")


def _print_frame(frame: pd.DataFrame, level: str) -> None:
    keys = {
        "indicator": [
            "indicator_id",
            "dept_id",
            "year",
            "value",
            "target",
            "achievement_pct",
            "distance_covered_pct",
            "score",
            "status",
        ],
        "department": [
            "dept_id",
            "year",
            "n_indicators",
            "conformity_pct",
            "distance_covered_pct",
            "progress_score",
            "coverage_pct",
            "provisional",
            "rank",
        ],
        "department-goal": [
            "dept_id",
            "goal_id",
            "year",
            "conformity_pct",
            "distance_covered_pct",
            "progress_score",
            "coverage_pct",
            "provisional",
        ],
        "goal": [
            "goal_id",
            "year",
            "goal_level",
            "conformity_pct",
            "distance_covered_pct",
            "progress_score",
        ],
        "plan": [
            "year",
            "n_indicators",
            "conformity_pct",
            "distance_covered_pct",
            "progress_score",
            "coverage_pct",
            "provisional",
        ],
    }[level]
    import pandas as pd

    table = Table(title=f"{level} scores ({len(frame)} rows; --out FILE for every column)")
    for key in keys:
        numeric = pd.api.types.is_numeric_dtype(frame[key])
        table.add_column(key, justify="right" if numeric else "left", no_wrap=not numeric)
    for row in frame[keys].itertuples(index=False):
        table.add_row(*(_text(_cell(v)) for v in row))
    out.print(table)


def _cell(value) -> str:
    if isinstance(value, float):
        return "" if value != value else f"{value:,.4g}"
    return str(value)


def main() -> None:  # pragma: no cover - console entry point
    app()


# The collection loop's commands (init, status, check-return, history, undo) live beside.
from planmon.cli import collection as _collection  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    # run as `python -m planmon.cli.app`: this module's commands and the collection loop's are
    # registered on the one app of planmon.cli.common
    sys.exit(app())
