"""The ``planmon`` command line: thin wrappers that parse arguments, call one library function
and render its result. Exit codes: 0 ok, 1 invalid data or failed jobs, 2 usage errors.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.table import Table

from planmon import config
from planmon.exceptions import PlanmonError, PlanValidationError, Problem

__all__ = ["app", "main"]

app = typer.Typer(
    name="planmon",
    help="Monitor a city's five-year strategic-operational plan "
    "(validate, score, build reports, dashboard, templates).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)
out = Console()
err = Console(stderr=True)

PlanArg = Annotated[
    Path | None,
    typer.Argument(
        help="Plan folder (plan.xlsx or plan/*.csv, and reports/<year>/). "
        "Default: the bundled Qazvin sample in data/raw/qazvin.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., object])


def _print_problems(problems: list[Problem], title: str, style: str) -> None:
    if not problems:
        return
    err.print(f"[{style}]{title} ({len(problems)}):[/]")
    for problem in problems:
        # markup=False: file names and values are untrusted text and may contain [brackets].
        err.print(f"  {problem}", markup=False, highlight=False, soft_wrap=True)


def handle_errors(func: F) -> F:
    """Turn planmon's exceptions into a clear message and exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PlanValidationError as exc:
            _print_problems(exc.problems, "errors", "bold red")
            _print_problems(exc.warnings, "warnings", "yellow")
            err.print(
                f"[bold red]The plan is invalid: {len(exc.problems)} error(s).[/] "
                "Fix them in the files named above and run again."
            )
            raise typer.Exit(exc.exit_code) from None
        except PlanmonError as exc:
            err.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted; nothing half-written was left behind[/]")
            raise typer.Exit(130) from None

    return wrapper  # type: ignore[return-value]


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
    from planmon.plan import load

    folder = plan or config.SAMPLE_PLAN
    loaded = load(folder)
    if not quiet:
        _print_problems(loaded.warnings, "warnings", "yellow")
    summary = loaded.summary
    table = Table(title=f"{folder}", show_header=False, title_justify="left")
    for key, value in summary.items():
        table.add_row(key, str(value))
    out.print(table)
    out.print("[green]valid[/]")


@app.command()
@handle_errors
def sample(
    out_dir: Annotated[
        Path | None,
        typer.Option("--out", help="Folder to write the plan to. Default: data/raw/qazvin."),
    ] = None,
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
    from planmon.sample import qazvin_sample, synthetic_plan

    if fmt not in ("xlsx", "csv"):
        raise typer.BadParameter("--format must be xlsx or csv")
    target = out_dir or config.SAMPLE_PLAN
    if (target / "plan.xlsx").exists() or (target / "plan").exists():
        if not force:
            raise PlanmonError(f"{target} already holds a plan; pass --force to overwrite it")
    if departments is not None:
        tables = synthetic_plan(departments, indicators_per_dept, years, seed=seed or 0)
    else:
        tables = qazvin_sample(seed=seed if seed is not None else 1397)
    written = write_plan(tables, target, fmt=fmt)
    out.print(f"wrote {len(written)} files to {target}")


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
