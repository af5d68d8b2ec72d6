"""What every ``planmon`` command shares: the typer application, the two consoles, the way
untrusted text is printed, and the translation of planmon's exceptions into messages and exit
codes. The commands themselves live in :mod:`planmon.cli.app` and :mod:`planmon.cli.collection`.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console
from rich.text import Text

from planmon.core.exceptions import OutputError, PlanmonError, PlanValidationError, Problem
from planmon.core.text import terminal_safe

__all__ = [
    "app",
    "out",
    "err",
    "PlanArg",
    "handle_errors",
    "print_problems",
    "say",
    "text_of",
]

app = typer.Typer(
    name="planmon",
    help="Monitor a city's five-year strategic-operational plan "
    "(validate, score, build reports, dashboard, templates).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    epilog="Where files go: outputs default to reports/ under PLANMON_HOME (default: the "
    "source checkout; notebooks stay in its notebooks/); data/raw/ is written only by "
    "`sample --out`; the bundled sample's caches live in data/processed/, any other plan's in "
    "PLAN/.planmon/ (PLANMON_CACHE_DIR overrides); only `ingest` and `undo` change a plan.",
)
out = Console()
err = Console(stderr=True)


def _version(value: bool) -> None:
    if value:
        from planmon._version import __version__

        out.print(f"planmon {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Show the version."),
    ] = False,
) -> None:
    """Monitor a city's five-year strategic-operational plan (validate, score, build reports,
    dashboard, templates)."""


PlanArg = Annotated[
    Path | None,
    typer.Argument(
        help="Plan folder (plan.xlsx or plan/*.csv, and reports/<year>/). "
        "Default: the bundled Qazvin sample in data/raw/qazvin.",
        show_default=False,
    ),
]

F = TypeVar("F", bound=Callable[..., object])


def text_of(value: object, style: str | None = None) -> Text:
    """Untrusted text (names, paths, values, messages) as rich shows it literally: a
    :class:`~rich.text.Text` is never parsed for markup (``[/]``) or emoji (``:x:``), and
    :func:`~planmon.core.text.terminal_safe` removes escape sequences and control characters."""
    return Text(terminal_safe(value), style=style or "")


def say(console: Console, *parts: object, style: str | None = None) -> None:
    """Print untrusted text literally (see :func:`text_of`)."""
    console.print(text_of("".join(map(str, parts)), style), soft_wrap=True, highlight=False)


def print_problems(problems: list[Problem], title: str, style: str) -> None:
    if not problems:
        return
    err.print(f"[{style}]{title} ({len(problems)}):[/]")
    text = terminal_safe("\n".join(f"  {problem}" for problem in problems))
    try:
        # plain text needs no rich rendering, which takes seconds for 200,000 lines
        err.file.write(text + "\n")
        err.file.flush()
    except UnicodeEncodeError:  # a terminal that cannot show Persian: let rich replace
        say(err, text)


def handle_errors(func: F) -> F:
    """Turn planmon's exceptions into a clear message and exit code, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except PlanValidationError as exc:
            print_problems(exc.problems, "errors", "bold red")
            print_problems(exc.warnings, "warnings", "yellow")
            err.print(
                f"[bold red]The plan is invalid: {len(exc.problems)} error(s).[/] "
                "Fix them in the files named above and run again."
            )
            raise typer.Exit(exc.exit_code) from None
        except PlanmonError as exc:
            err.print("[bold red]error:[/] ", end="")
            # messages quote file names and cell values (untrusted text)
            say(err, exc)
            raise typer.Exit(exc.exit_code) from None
        except KeyboardInterrupt:
            err.print("[yellow]interrupted; nothing half-written was left behind[/]")
            raise typer.Exit(130) from None
        except (typer.Exit, typer.Abort):
            raise
        except OSError as exc:  # a missing, read-only or full output folder: the user's to fix
            err.print("[bold red]error:[/] ", end="")
            say(err, OutputError.of(exc))
            raise typer.Exit(1) from None
        except Exception as exc:  # a bug in planmon, not the user's fault
            if os.environ.get("PLANMON_DEBUG"):
                raise
            err.print(
                f"[bold red]internal error:[/] {type(exc).__name__}: ", end="", highlight=False
            )
            say(err, exc)
            err.print("This is a bug in planmon; run again with PLANMON_DEBUG=1 to see where.")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]
