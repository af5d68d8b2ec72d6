"""A department's data gaps in a report year: a missing report, blank or missing values,
indicators without targets. Pure analysis of the plan; the report's words are elsewhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from planmon.content.blocks import missing, text

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["data_gaps"]


def data_gaps(plan: Plan, dept_id: str, year: int) -> pd.DataFrame:
    """The department's data gaps in a report year.

    Parameters
    ----------
    plan : Plan
        The plan (its indicators, targets, actuals and report files).
    dept_id : str
        The department.
    year : int
        The report year.

    Returns
    -------
    DataFrame
        One row per gap, columns ``gap``, ``indicator_id`` (missing for the report as a
        whole) and ``note`` (the department's note on a blank value, else missing). ``gap`` is one
        of ``no_report`` (no report file for the year; the indicators' own "not reported"
        gaps are then implied and not listed), ``blank_value``, ``not_reported``,
        ``no_targets`` (the plan sets none at all) and ``no_target_year`` (none for this year
        although the year is within the indicator's target years).
    """
    indicators = plan.indicators[plan.indicators["dept_id"] == dept_id]
    files = plan.report_files
    sent = bool(((files["dept_id"] == dept_id) & (files["year"] == year)).any())
    actuals = plan.actuals[(plan.actuals["dept_id"] == dept_id) & (plan.actuals["year"] == year)]
    reported = dict(zip(actuals["indicator_id"], actuals.itertuples(index=False), strict=True))
    targets = plan.targets
    rows: list[dict[str, Any]] = []
    if not sent and not indicators.empty:  # a unit with no indicators owes no report
        rows.append({"gap": "no_report", "indicator_id": None, "note": None})
    for ind in indicators["indicator_id"]:
        own = targets[targets["indicator_id"] == ind]
        if sent:
            if ind not in reported:
                rows.append({"gap": "not_reported", "indicator_id": ind, "note": None})
            elif missing(reported[ind].value):
                note = text(reported[ind].note) or None
                rows.append({"gap": "blank_value", "indicator_id": ind, "note": note})
        if own.empty:
            rows.append({"gap": "no_targets", "indicator_id": ind, "note": None})
        elif own["year"].min() <= year <= own["year"].max() and not (own["year"] == year).any():
            rows.append({"gap": "no_target_year", "indicator_id": ind, "note": None})
    return pd.DataFrame(rows, columns=["gap", "indicator_id", "note"])
