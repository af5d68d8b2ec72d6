"""The collection loop's commands: ``init``, ``status``, ``check-return``, ``history``, ``undo``,
and the printing of ``ingest``'s result. Registered on :data:`planmon.cli.common.app`.
"""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from planmon.cli.common import app, err, handle_errors, out
from planmon.cli.common import print_problems as _print_problems
from planmon.core.exceptions import ParameterError

__all__ = ["print_ingest"]

# Characters that reorder terminal text (Trojan-source style); ZWNJ and ZWJ stay (Persian).
_BIDI_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

PlanRequired = Annotated[
    Path, typer.Argument(help="Plan folder (plan.xlsx or plan/*.csv, and reports/<year>/).")
]


def _number(value: float | None) -> str:
    """A reported value for people: thousands grouped, seven digits in all at most (integers whole),
    never in exponent form (28,500; 12.35; -0.5)."""
    if value is None or value != value:
        return ""
    if float(value).is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    text = f"{value:,.7f}".rstrip("0").rstrip(".")
    digits = sum(c.isdigit() for c in text.split(".")[0])
    if "." in text:  # 7 significant digits at most (0.000123456 keeps 7 decimals)
        whole, _, decimals = text.partition(".")
        text = f"{whole}.{decimals[: max(7 - digits, 0)]}".rstrip("0").rstrip(".")
    return text


def _plain(text: object) -> str:
    """Untrusted text for a rich table cell: no markup, no control characters."""
    from rich.markup import escape

    cleaned = "".join(
        c for c in str(text) if unicodedata.category(c) != "Cc" and c not in _BIDI_OVERRIDES
    )
    return escape(cleaned)


def print_ingest(result) -> None:
    """Render an :class:`~planmon.collect.ingest.IngestResult` (numbers formatted for people)."""
    _print_problems(result.warnings, "warnings", "yellow")
    for path in result.written:
        out.print(f"added {path}", highlight=False, markup=False, soft_wrap=True)
    for path in result.identical:
        out.print(
            f"unchanged {path} (identical to the report already there)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
    for path in result.previous:
        out.print(
            f"kept the previous version as {path}", highlight=False, markup=False, soft_wrap=True
        )
    changed = result.changes[result.changes["change"] != "unchanged"]
    if len(changed):
        table = Table(title=f"changes against the previous version ({result.year})")
        for column in ("dept_id", "indicator_id", "change", "old_value", "new_value"):
            table.add_column(column, justify="right" if column.endswith("value") else "left")
        for row in changed.itertuples(index=False):
            table.add_row(
                _plain(row.dept_id),
                _plain(row.indicator_id),
                row.change,
                _number(row.old_value),
                _number(row.new_value),
            )
        out.print(table)
    counts = ", ".join(f"{n} {kind}" for kind, n in result.counts.items() if n)
    record = (
        f"; undo with `planmon undo` (record {result.record_id[:8]})" if result.record_id else ""
    )
    out.print(
        f"[green]ingested[/] {len(result.written)} report(s): {counts or 'no values'}{_plain(record)}"
    )


@app.command()
@handle_errors
def init(
    path: Annotated[Path, typer.Argument(help="The new plan folder (must not exist or be empty).")],
    calendar: Annotated[str, typer.Option(help="jalali or gregorian.")] = "jalali",
    first_year: Annotated[
        int | None, typer.Option(help="First plan year (default: this year).")
    ] = None,
    horizon_year: Annotated[
        int | None, typer.Option(help="Last plan year (default: first year + 4).")
    ] = None,
    name: Annotated[str | None, typer.Option(help="The plan's Persian name.")] = None,
) -> None:
    """Start a new plan: a blank plan.xlsx to fill in (with a guide sheet), reports/, README.md."""
    from planmon.collect.blank import init_plan

    made = init_plan(
        path, calendar=calendar, first_year=first_year, horizon_year=horizon_year, name_fa=name
    )
    out.print(
        f"wrote a new plan for {made.first_year}–{made.horizon_year} to {made.folder}: "
        "plan.xlsx, reports/, README.md",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
    out.print(f"fill in {made.workbook} (see its guide sheet), then: planmon validate {path}")


@app.command()
@handle_errors
def status(
    plan: PlanRequired,
    year: Annotated[int, typer.Option(help="The report year being collected.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")] = False,
    templates: Annotated[
        Path | None,
        typer.Option(help="Where the templates were written. Default: reports/templates/."),
    ] = None,
) -> None:
    """Show which departments have returned their report for a year, which are valid, which
    are missing or late. Always exits 0 for a readable plan."""
    from planmon.collect.status import collection_status

    if not year:
        raise ParameterError("give the report year: planmon status PLAN --year 1400")
    board = collection_status(plan, year, templates_dir=templates)
    if as_json:
        typer.echo(json.dumps(board.to_dict(), ensure_ascii=False, indent=1))
        return
    table = Table(
        title=f"collection {year}" + (f", due {board.deadline}" if board.deadline else "")
    )
    for column in ("department", "template", "returned", "state", "values", "last change"):
        table.add_column(column)
    for d in board.departments:
        style = {"missing": "dim", "valid": "green", "warnings": "yellow", "errors": "bold red"}
        state = f"[{style[d.state]}]{d.state}[/]"
        if d.errors or d.warnings:
            state += f" ({d.errors} errors, {d.warnings} warnings)"
        if d.late:
            state += " [bold red]late[/]"
        table.add_row(
            _plain(f"{d.dept_id} {d.name_fa}"),
            "written" if d.template else "",
            _plain(f"{d.returned} {(d.returned_at or '')[:10]}") if d.returned else "",
            state,
            f"{d.values_filled}/{d.indicators}",
            _plain((d.last_change or "")[:16]),
        )
    out.print(table)
    missing = board.missing
    if missing:
        out.print(
            f"{len(missing)} of {len(board.departments)} departments have not reported yet: "
            + ", ".join(missing),
            highlight=False,
            markup=False,
            soft_wrap=True,
        )


@app.command("check-return")
@handle_errors
def check_return(
    files: Annotated[list[Path], typer.Argument(help="Returned workbooks (<dept_id>.xlsx).")],
    year: Annotated[int, typer.Option(help="The report year they are for.")] = 0,
    plan: Annotated[Path | None, typer.Option(help="The plan folder (required).")] = None,
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder for the feedback workbooks. Default: reports/feedback/<year>/."
        ),
    ] = None,
) -> None:
    """Check returned workbooks as ingest would, without adding them, and write for each one
    with problems a copy with every problem marked in its cell (Persian and English comments)
    and a summary sheet, ready to send back. Exit 1 if any file has errors."""
    from planmon.collect.feedback import check_returns

    if not year or plan is None:
        raise ParameterError("give the year and the plan: planmon check-return F --year Y --plan P")
    checks = check_returns(files, year, plan, out_dir)
    for check in checks:
        verdict = "errors" if check.errors else ("warnings" if check.warnings else "ok")
        out.print(
            f"{check.source}: {verdict} ({len(check.errors)} errors, {len(check.warnings)} "
            "warnings)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        for told in check.problems:
            err.print(f"  {told.problem}", markup=False, highlight=False, soft_wrap=True)
        if check.feedback:
            out.print(
                f"  feedback: {check.feedback}", highlight=False, markup=False, soft_wrap=True
            )
    if any(c.errors for c in checks):
        raise typer.Exit(1)


@app.command()
@handle_errors
def history(
    plan: PlanRequired,
    year: Annotated[int | None, typer.Option(help="Only this report year.")] = None,
    dept: Annotated[str | None, typer.Option(help="Only this department.")] = None,
    changes: Annotated[bool, typer.Option(help="List every value changed.")] = False,
) -> None:
    """Show the plan's collection history: every ingest and undo, who, when, what changed."""
    from planmon.collect.audit import history as read_history
    from planmon.collect.audit import read_log

    frame = read_history(plan, year=year, dept_id=dept)
    if frame.empty:
        out.print("no ingest recorded yet", highlight=False)
        return
    table = Table(title=f"history of {_plain(plan)}")
    for column in ("record", "time (UTC)", "user", "action", "year", "dept", "file", "values"):
        table.add_column(column)
    for row in frame.itertuples(index=False):
        counts = {"new": row.new, "corrected": row.corrected, "removed": row.removed}
        values = ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) or "none"
        action = row.action + (f", undone by {row.undone_by[:8]}" if row.undone_by else "")
        table.add_row(
            row.id[:8],
            _plain((row.time or "")[:16].replace("T", " ")),
            _plain(row.user or ""),
            action,
            str(row.year),
            _plain(row.dept_id or ""),
            _plain(Path(row.source).name if row.source else ""),
            values,
        )
    out.print(table)
    if changes:
        ids = set(frame["id"])
        for record in read_log(plan):
            if record["id"] not in ids:
                continue
            for c in record.get("changes", []):
                if dept is None or c["dept_id"] == dept:
                    old, new = _number(c["old"]), _number(c["new"])
                    line = f"{record['id'][:8]} {c['dept_id']} {c['indicator_id']} {c['change']}"
                    out.print(
                        f"{line}: {old} → {new}", highlight=False, markup=False, soft_wrap=True
                    )


@app.command()
@handle_errors
def undo(
    plan: PlanRequired,
    record: Annotated[
        str | None, typer.Option("--id", help="The ingest to undo (default: the last one).")
    ] = None,
) -> None:
    """Revert the last ingest exactly (every data file as it was); the audit log records it."""
    from planmon.collect.audit import undo as undo_ingest

    result = undo_ingest(plan, record)
    for path in result.restored:
        out.print(f"restored {path}", highlight=False, markup=False, soft_wrap=True)
    for path in result.removed:
        out.print(f"removed {path}", highlight=False, markup=False, soft_wrap=True)
    out.print(
        f"undid ingest {result.undone['id'][:8]} of {result.undone.get('time')} "
        f"(record {result.record_id[:8]})",
        highlight=False,
        markup=False,
        soft_wrap=True,
    )
