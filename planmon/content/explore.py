"""The exploration notebook's helpers: the plan's summary, its loading warnings, roll-ups
and one indicator's chart as a Figure an analyst can restyle."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from planmon.content.blocks import Block, esc, h, p, table
from planmon.content.context import ReportContext
from planmon.content.department import indicator_chart_of
from planmon.core.exceptions import ParameterError
from planmon.core.locale import format_number, format_year
from planmon.core.vocabulary import word

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["explore_title", "warnings_table", "rollups", "indicator_figure"]


def explore_title(ctx: ReportContext) -> Block:
    """A title with the plan's summary counts."""
    lang = ctx.lang
    plan = ctx.plan
    years = word(
        "summary_years_value",
        lang,
        first=format_year(plan.meta["first_year"], lang),
        horizon=format_year(plan.horizon_year, lang),
        baseline=format_year(plan.baseline_year, lang),
    )
    report_years = word("list_separator", lang).join(
        format_year(y, lang) for y in plan.report_years
    )
    items = [
        ("summary_plan", ctx.plan_name),
        ("summary_years", years),
        ("summary_departments", format_number(len(plan.departments), lang)),
        ("summary_goals", format_number(len(plan.goals), lang)),
        ("summary_indicators", format_number(len(plan.indicators), lang)),
        ("summary_report_years", report_years),
        ("summary_reports", format_number(len(plan.report_files), lang)),
        ("summary_warnings", format_number(len(plan.warnings), lang)),
    ]
    summary = "".join(
        f"<li>{html.escape(word(key, lang))}: {html.escape(value)}</li>" for key, value in items
    )
    return Block(lang).html(
        f"<h1>{html.escape(word('explore_title', lang))}</h1><ul>{summary}</ul>"
    )


def warnings_table(ctx: ReportContext) -> Block:
    """The warnings found while loading the plan (legal but suspicious input), located."""
    lang = ctx.lang
    block = Block(lang).html(h(2, word("warnings", lang)))
    if not ctx.plan.warnings:
        return block.html(p(word("no_warnings", lang)))
    headers = [word("file", lang), word("row", lang), word("column", lang), word("message", lang)]
    body = [
        [
            esc(w.file),
            html.escape("" if w.row is None else str(w.row)),
            esc(w.column),
            (esc(w.message), "direction: ltr; text-align: left"),
        ]
        for w in ctx.plan.warnings
    ]
    return block.html(table(headers, body))


def rollups(ctx: ReportContext, level: str = "department") -> pd.DataFrame:
    """The roll-up at ``level`` (department, goal or plan) for the report year, from the
    context's scores, with the change on the previous year."""
    frame = {
        "department": lambda: ctx.department_rollup,
        "goal": lambda: ctx.goal_rollup,
        "plan": lambda: ctx.plan_rollup,
    }.get(level)
    if frame is None:
        raise ParameterError(f"level must be department, goal or plan; got {level!r}")
    out = frame()
    return out[out["year"] == ctx.year].reset_index(drop=True)


def indicator_figure(ctx: ReportContext, indicator_id: str = "") -> Figure:
    """One indicator's chart as a matplotlib Figure, to look at or restyle.

    Parameters
    ----------
    ctx : ReportContext
    indicator_id : str
        The indicator; "" = the first indicator of ``ctx.dept_id`` (or of the plan).
    """
    if not indicator_id:
        frame = ctx.plan.indicators
        if ctx.dept_id:
            frame = frame[frame["dept_id"] == ctx.dept_id]
        if frame.empty:
            raise ParameterError("the plan has no indicators to draw")
        indicator_id = str(frame["indicator_id"].iloc[0])
    try:
        ctx.plan.indicator(indicator_id)
    except KeyError as exc:
        raise ParameterError(str(exc.args[0])) from exc
    return indicator_chart_of(ctx, indicator_id)
