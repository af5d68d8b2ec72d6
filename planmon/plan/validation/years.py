"""The plan years: the settings and the evidence combined (:mod:`.meta`), then every year of
the tables checked against them: one calendar, targets within the plan years, each indicator's
baseline before its targets, reports after the baseline up to the horizon."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import parse_year
from planmon.io.read import RawTable
from planmon.plan.validation.meta import (
    Settings,
    calendar_of,
    infer_years,
    other_calendar,
    plan_calendar,
    read_settings,
)
from planmon.plan.validation.reports import ReportTable
from planmon.plan.validation.tables import PlanFrames

__all__ = ["PlanYears", "plan_years", "target_year_checks", "baseline_year_checks"]


@dataclass
class PlanYears:
    """The plan's settings with its years (``baseline_year``, ``first_year``,
    ``horizon_year``) and ``calendar`` filled in."""

    meta: dict
    settings: Settings
    #: False when the years contradict each other (already an error): nothing is checked
    #: against them then, which would only repeat that error for every target and report.
    consistent: bool = True

    @property
    def complete(self) -> bool:
        """All three years are known and consistent: targets and reports can be checked."""
        known = all(
            self.meta.get(k) is not None for k in ("baseline_year", "first_year", "horizon_year")
        )
        return known and self.consistent

    @property
    def span(self) -> str:
        return f"{self.meta['first_year']}–{self.meta['horizon_year']}"

    @property
    def range(self) -> range:
        """The plan years, first to horizon (empty if unknown)."""
        if not self.complete:
            return range(0)
        return range(self.meta["first_year"], self.meta["horizon_year"] + 1)

    def report_problem(self, year: int) -> str | None:
        """Why ``year`` cannot be a report year (None if it can)."""
        if not self.complete:
            return None
        other = other_calendar(year, self.meta["calendar"], self.span)
        if other:
            return f"report year {other}"
        base, horizon = self.meta["baseline_year"], self.meta["horizon_year"]
        if year > horizon:
            return f"report year {year} is outside the plan years {self.span}"
        if year <= base:
            return (
                f"report year {year} is outside the plan years {self.span} (reports are for "
                f"the years after the baseline year {base})"
            )
        return None


def _years(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame[column].dropna().astype("int64")


def plan_years(
    frames: PlanFrames, plan_table: RawTable | None, reports: list[ReportTable]
) -> tuple[PlanYears, list[Problem]]:
    """The plan's settings and years, with the problems of the ``plan`` table (errors and
    warnings) and of the years' order."""
    settings, problems = read_settings(plan_table)
    baselines = _years(frames.typed["indicators"], "baseline_year").tolist()
    targets = _years(frames.typed["targets"], "year").tolist()
    report_years = [y for y in (parse_year(r.year_text) for r in reports) if y is not None]
    calendar, found = plan_calendar(settings, baselines + targets + report_years)
    problems += found

    def ours(years: list[int]) -> list[int]:
        return [y for y in years if calendar_of(y) == calendar]

    meta, found = infer_years(settings, ours(baselines), ours(targets), ours(report_years))
    meta["calendar"] = calendar
    consistent = not any(p.severity == "error" for p in problems + found)
    return PlanYears(meta, settings, consistent), problems + found


def _year_messages(years: pd.Series, plan: PlanYears, what: str) -> dict[int, str | None]:
    """Each distinct year of ``years`` → its message if it is of the other calendar."""
    calendar, span = plan.meta["calendar"], plan.span
    found = {int(y): other_calendar(int(y), calendar, span) for y in years.unique()}
    return {y: None if other is None else f"{what} {other}" for y, other in found.items()}


def target_year_checks(frames: PlanFrames, years: PlanYears) -> list[Problem]:
    """A target year of the other calendar, or outside the plan years."""
    raw, targets = frames.raw["targets"], frames.typed["targets"]
    if not years.complete:
        return []
    column = _years(targets, "year")
    messages = _year_messages(column, years, "target year")
    for year, message in messages.items():
        if message is None and year not in years.range:
            messages[year] = f"target year {year} is outside the plan years {years.span}"
    flagged = column[column.map(lambda y: messages[int(y)] is not None).astype(bool)]
    return [
        Problem(raw.label, int(row), raw.header("year"), messages[int(year)])
        for row, year in flagged.items()
    ]


def baseline_year_checks(frames: PlanFrames, years: PlanYears) -> list[Problem]:
    """An indicator's baseline year of the other calendar, or not before its first target."""
    raw, inds = frames.raw["indicators"], frames.typed["indicators"]
    if not years.complete:
        return []
    first_target = frames.typed["targets"].groupby("indicator_id")["year"].min()
    inds = inds.dropna(subset=["baseline_year"])
    baseline = inds["baseline_year"].astype("int64")
    messages = _year_messages(baseline, years, "baseline year")
    other = baseline.map(lambda y: messages[y] is not None).astype(bool)
    first = inds["indicator_id"].map(first_target).astype("float64")
    late = first.notna() & (baseline >= first)
    problems = []
    for row, year, first_year, is_other in zip(
        baseline.index[other | late],
        baseline[other | late].tolist(),
        first[other | late].tolist(),
        other[other | late].tolist(),
        strict=True,
    ):
        if is_other:
            message = messages[year]
        else:
            message = (
                f"baseline year {year} is not before the indicator's first target year "
                f"{int(first_year)}; the baseline is the value before the plan's targets"
            )
        problems.append(Problem(raw.label, int(row), raw.header("baseline_year"), message))
    return problems
