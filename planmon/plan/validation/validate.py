"""The whole validation of a plan: every family of checks, in order, every problem collected."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import PASSPORT_COLUMNS
from planmon.io.read import RawTable
from planmon.plan.validation import warnings as warn
from planmon.plan.validation.meta import plan_meta
from planmon.plan.validation.reports import ReportTable, check_reports
from planmon.plan.validation.tables import (
    PlanFrames,
    baseline_checks,
    parse_plan_tables,
    reference_checks,
)

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


def _target_year_checks(frames: PlanFrames, plan_years: range) -> list[Problem]:
    raw, targets = frames.raw["targets"], frames.typed["targets"]
    if not plan_years:
        return []
    outside = targets["year"].notna() & ~targets["year"].isin(list(plan_years))
    return [
        Problem(
            raw.label,
            int(row),
            raw.header("year"),
            f"target year {int(year)} is outside the plan years "
            f"{plan_years.start}–{plan_years.stop - 1}",
        )
        for row, year in targets.loc[outside, "year"].items()
    ]


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
    t = frames.typed
    meta, meta_problems = plan_meta(tables.get("plan"), t["indicators"], t["targets"])
    warnings = [p for p in meta_problems if p.severity == "warning"]
    problems += [p for p in meta_problems if p.severity == "error"]
    plan_years = (
        range(meta["first_year"], meta["horizon_year"] + 1)
        if "first_year" in meta and "horizon_year" in meta
        else range(0)
    )
    problems += _target_year_checks(frames, plan_years)
    dept_ids = set(t["departments"]["dept_id"].dropna())
    inds = t["indicators"] if "indicators" in frames.available else None
    actuals, report_files, found = check_reports(
        reports,
        inds,
        dept_ids if "departments" in frames.available else None,
        plan_years if plan_years else None,
    )
    problems += found
    for table in tables.values():
        warnings += [p for p in table.problems if p.severity == "warning"]
    if not problems:
        warnings += _warnings(frames, actuals, report_files)
    return ValidatedPlan(
        meta=meta,
        **{name: _finish(t[name], name) for name in _COLUMNS},
        actuals=actuals,
        report_files=report_files,
        problems=problems,
        warnings=warnings,
    )
