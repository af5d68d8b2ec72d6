"""What a department report shows beside its figures: the analysts' commentary, the
department's own note and each off-track indicator's actions (issue 11).

The two entry points are called from the sections of :mod:`planmon.content.department`.
"""

from __future__ import annotations

import pandas as pd

from planmon.content.actions import actions_html, actions_of, off_track
from planmon.content.commentary import commentary_for, commentary_html, note_for, note_html
from planmon.content.context import ReportContext

__all__ = ["department_commentary", "indicator_annotations"]


def department_commentary(ctx: ReportContext) -> str:
    """HTML of the commentary about the department as a whole for the report year."""
    rows = commentary_for(ctx.plan.commentary, ctx.year, ctx.dept_id)
    return commentary_html(rows, ctx.lang)


def indicator_annotations(ctx: ReportContext, row: pd.Series) -> str:
    """HTML under one indicator's chart: the department's note, the commentary about it and,
    when it is off track, its actions (or, in a plan that records actions, the flag that it
    has none)."""
    ind = row["indicator_id"]
    parts = [
        note_html(note_for(ctx.plan.actuals, ctx.year, ind), ctx.department_name, ctx.lang),
        commentary_html(commentary_for(ctx.plan.commentary, ctx.year, ctx.dept_id, ind), ctx.lang),
    ]
    recorded = len(ctx.plan.actions) > 0
    if recorded and bool(off_track(row.to_frame().T).iloc[0]):
        actions = actions_of(ctx.plan.actions, ind)
        parts.append(actions_html(actions, ctx.year, ctx.lang, lagging=True))
    return "".join(parts)
