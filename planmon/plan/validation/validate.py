"""The whole validation of a plan: every family of checks, in order, every problem collected."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import PASSPORT_COLUMNS
from planmon.io.read import RawTable
from planmon.plan.validation import warnings as warn
from planmon.plan.validation.commentary import commentary_checks, finish_optional
from planmon.plan.validation.reports import ReportTable, check_reports
from planmon.plan.validation.tables import (
    PlanFrames,
    baseline_checks,
    parse_plan_tables,
    reference_checks,
)
from planmon.plan.validation.values import tolerance_checks, weight_checks
from planmon.plan.validation.years import baseline_year_checks, plan_years, target_year_checks

__all__ = ["ValidatedPlan", "validate_tables"]

_COLUMNS = {
    "departments": ["dept_id", "kind", "name_fa", "name_en", "parent_id"],
    "goals": ["goal_id", "name_fa", "name_en", "parent_id", "dept_id", "weight"],
    "indicators": [
        "indicator_id", "dept_id", "goal_id", "name_fa", "name_en", "unit", "direction",
        "baseline_year", "baseline_value", "limit", "weight", "tolerance", *PASSPORT_COLUMNS,
    ],
    "targets": ["indicator_id", "year", "target"],
}  # fmt: skip
_DEFAULTS = {"goals": {"weight": 1.0}, "indicators": {"weight": 1.0, "tolerance": 0.05}}
_INTEGERS = {"indicators": ("baseline_year",), "targets": ("year",)}


@dataclass
class ValidatedPlan:
    """Typed frames of a plan that passed validation, and the warnings found on the way."""

    meta: dict
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    report_files: pd.DataFrame
    commentary: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


def _finish(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The final frame of a plan table: its columns in order, defaults filled, int years."""
    out = frame.reindex(columns=_COLUMNS[name]).copy()
    for column, default in _DEFAULTS.get(name, {}).items():
        out[column] = out[column].astype("float64").fillna(default)
    if "name_en" in out.columns and "name_fa" in out.columns:
        out["name_en"] = out["name_en"].fillna(out["name_fa"])
    for column in _INTEGERS.get(name, ()):
        if out[column].notna().all():
            out[column] = out[column].astype("int64")
    return out.reset_index(drop=True)


def _warnings(frames: PlanFrames, actuals: pd.DataFrame, files: pd.DataFrame) -> list[Problem]:
    """Every warning family, on a plan without errors (on a broken plan they would be noise)."""
    t = frames.typed
    inds, targets = t["indicators"], t["targets"]
    ordered = warn.targets_in_order(inds, targets)
    found = warn.direction_warnings(ordered, frames.raw["targets"])
    found += warn.maintain_warnings(ordered, inds, frames.raw["indicators"])
    found += warn.no_target_warnings(inds, targets, frames.raw["indicators"])
    found += warn.percentage_warnings(inds, ordered, actuals, frames.raw)
    if len(actuals):
        found += warn.jump_warnings(inds, targets, actuals)
        found += warn.coverage_warnings(t["departments"], inds, actuals, files)
    return found


def validate_tables(
    tables: dict[str, RawTable],
    reports: list[ReportTable],
    earlier: list[Problem] | None = None,
) -> ValidatedPlan:
    """Check a plan's tables and reports; return typed frames with every problem listed.

    Parameters
    ----------
    tables : dict
        Canonical table name → :class:`RawTable` (``departments``, ``goals``, ``indicators``,
        ``targets`` and optionally ``plan``).
    reports : list of ReportTable
        Every annual report file, read.
    earlier : list of Problem, optional
        Errors found while reading the files; they are kept first in ``problems``, and while
        there are any, no warnings about suspicious values are computed (they would be noise).

    Returns
    -------
    ValidatedPlan
        ``problems`` lists the errors (the plan must not be used if it is non-empty) and
        ``warnings`` what is legal but suspicious.
    """
    problems: list[Problem] = list(earlier or [])
    frames, found = parse_plan_tables(tables)
    problems += found + reference_checks(frames) + baseline_checks(frames)
    problems += weight_checks(frames) + tolerance_checks(frames)
    years, found = plan_years(frames, tables.get("plan"), reports)
    warnings = [p for p in found if p.severity == "warning"]
    problems += [p for p in found if p.severity == "error"]
    problems += target_year_checks(frames, years) + baseline_year_checks(frames, years)
    span = range(years.meta["baseline_year"], years.range[-1] + 1) if years.range else range(0)
    problems += commentary_checks(frames, span)
    t, available = frames.typed, frames.available
    actuals, report_files, found = check_reports(
        reports,
        t["indicators"] if "indicators" in available else None,
        set(t["departments"]["dept_id"].dropna()) if "departments" in available else None,
        years.report_problem,
    )
    problems += found
    if not years.complete and years.consistent and not problems:
        problems.append(
            Problem(
                *years.settings.where("baseline_year"),
                "cannot tell the plan years; add "
                "baseline_year, first_year and horizon_year to the plan table",
            )
        )
    for table in tables.values():
        warnings += [p for p in table.problems if p.severity == "warning"]
    if t["indicators"].empty and not problems:
        warnings.append(
            Problem(
                frames.raw["indicators"].label,
                None,
                None,
                "no indicators yet: the plan is valid but empty; fill in the departments, goals, "
                "indicators and targets tables (plan.xlsx has a guide sheet)",
                "warning",
            )
        )
    elif not problems:
        warnings += _warnings(frames, actuals, report_files)
    return ValidatedPlan(
        meta=years.meta,
        **{name: _finish(t[name], name) for name in _COLUMNS},
        actuals=actuals,
        report_files=report_files,
        commentary=finish_optional(t["commentary"], "commentary"),
        actions=finish_optional(t["actions"], "actions"),
        problems=problems,
        warnings=warnings,
    )
