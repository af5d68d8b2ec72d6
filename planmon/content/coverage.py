"""How complete a report year is, said up front: the provisional banner, the coverage line and
the departments whose report was not received.

A year is provisional when its plan roll-up row says so (coverage of the plan weight below the
plan's ``provisional_below_pct``, :mod:`planmon.measures.rollup`); such a year's changes against
the previous year are not stated as gains or losses anywhere in the reports.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from planmon.content.blocks import esc, missing, p, pct
from planmon.core.locale import format_number, format_year
from planmon.core.vocabulary import term, word

if TYPE_CHECKING:
    from planmon.content.context import ReportContext

__all__ = ["plan_row", "is_provisional", "coverage_banner", "not_reported_line", "not_ranked_line"]

_BANNER = (
    "border: 1.5px solid {edge}; background: {fill}; padding: 6pt 9pt; margin: 0 0 0.9em; "
    "border-radius: 3pt"
)


def plan_row(ctx: ReportContext) -> Any:
    """The plan roll-up row of the report year (a Series), or None when there is none."""
    rows = ctx.plan_rollup[ctx.plan_rollup["year"] == ctx.year]
    return None if rows.empty else rows.iloc[0]


def is_provisional(row: Any) -> bool:
    """True when a roll-up row is provisional (a missing flag counts as not provisional)."""
    return row is not None and bool(row.get("provisional", False))


def coverage_banner(ctx: ReportContext) -> str:
    """The banner at the top of the overview: "provisional" with the coverage and how many
    departments reported, or a plain coverage line when the year is complete enough."""
    lang = ctx.lang
    row = plan_row(ctx)
    if row is None:
        return ""
    fields = {
        "year": format_year(ctx.year, lang),
        "k": format_number(int(row.get("n_departments_reported", 0) or 0), lang),
        "n": format_number(int(row.get("n_departments", 0) or 0), lang),
        "coverage": pct(row["coverage_pct"], lang) if not missing(row["coverage_pct"]) else "—",
    }
    if is_provisional(row):
        label = term("provisional", lang)
        style = _BANNER.format(edge="#b45309", fill="#fff4e0")
        return (
            f'<div class="planmon-provisional" style="{style}"><strong>'
            f"{html.escape(label[:1].upper() + label[1:])}</strong> — "
            f"{html.escape(word('provisional_banner', lang, **fields))}</div>"
        )
    style = _BANNER.format(edge="#d6d6d6", fill="#f7f8fa")
    return (
        f'<div class="planmon-coverage" style="{style}">'
        f"{html.escape(word('coverage_banner', lang, **fields))}</div>"
    )


def not_reported_line(ctx: ReportContext) -> str:
    """A paragraph naming the departments whose report for the year was not received ("")."""
    missing_ids = ctx.not_reported
    if not missing_ids:
        return ""
    lang = ctx.lang
    sep = "، " if lang == "fa" else ", "
    names = sep.join(esc(ctx.department_names.get(d, d)) for d in missing_ids)
    sentence = html.escape(
        word("not_reported_units", lang, year=format_year(ctx.year, lang), names="\0")
    )
    return f"<p>{sentence.replace(chr(0), names)}</p>"


def not_ranked_line(ctx: ReportContext) -> str:
    """Under the ranking: how many departments have no rank for want of a report ("")."""
    if not ctx.not_reported:
        return ""
    n = format_number(len(ctx.not_reported), ctx.lang)
    year = format_year(ctx.year, ctx.lang)
    return p(word("not_ranked_units", ctx.lang, n=n, year=year), muted=True)
