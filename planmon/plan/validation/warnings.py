"""Warnings: legal input that published plans really contain and an analyst should see.

Every warning about an indicator or an indicator-year carries a caveat ``code`` (one of
:data:`planmon.core.vocabulary.CAVEATS`), the ``indicator_id`` and the ``year`` (None = every
year), so the findings can travel with the numbers (``Plan.caveats``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import is_percentage_unit
from planmon.io.read import RawTable
from planmon.plan.validation.keys import isin

__all__ = [
    "SPIKE_RATIO",
    "targets_in_order",
    "direction_warnings",
    "maintain_warnings",
    "no_target_warnings",
    "percentage_warnings",
    "jump_warnings",
    "coverage_warnings",
]

#: A value more than this many times off the previous value or the target is flagged.
SPIKE_RATIO = 10.0


def _fmt(value: float) -> str:
    return f"{value:g}"


def _warning(where: tuple, message: str, code: str | None, indicator, year) -> Problem:
    year = None if year is None or pd.isna(year) else int(year)
    return Problem(*where, message, "warning", code=code, indicator_id=indicator, year=year)


def targets_in_order(inds: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Targets with their indicator's direction and baseline, by indicator and year, with the
    previous step (the previous target, or the baseline for the first)."""
    t = (
        targets.assign(row=targets.index)
        .merge(inds[["indicator_id", "direction", "baseline_value", "unit"]], on="indicator_id")
        .sort_values(["indicator_id", "year"], kind="stable")
    )
    by_ind = t.groupby("indicator_id", sort=False)
    t["previous_year"] = by_ind["year"].shift()
    t["previous"] = by_ind["target"].shift().fillna(t["baseline_value"])
    return t


def direction_warnings(t: pd.DataFrame, raw_t: RawTable) -> list[Problem]:
    """A target that moves against its indicator's direction (code targets_against_direction)."""
    against = ((t["direction"] == "increase") & (t["target"] < t["previous"])) | (
        (t["direction"] == "decrease") & (t["target"] > t["previous"])
    )
    out = []
    for r in t[against].itertuples():
        before = (
            "the baseline" if pd.isna(r.previous_year) else f"the {int(r.previous_year)} target"
        )
        moves = "down" if r.direction == "increase" else "up"
        message = (
            f"target for {int(r.year)} moves {moves} from {before} ({_fmt(r.previous)} → "
            f"{_fmt(r.target)}) but the direction of {r.indicator_id} is {r.direction}; check "
            "the direction or the target"
        )
        where = (raw_t.label, int(r.row), raw_t.header("target"))
        out.append(_warning(where, message, "targets_against_direction", r.indicator_id, r.year))
    return out


def maintain_warnings(t: pd.DataFrame, inds: pd.DataFrame, raw_i: RawTable) -> list[Problem]:
    """A maintain indicator whose every step, baseline → targets, moves the same way
    (at least two steps; code maintain_targets_trend)."""
    m = t[t["direction"] == "maintain"]
    if m.empty:
        return []
    step = np.sign(m["target"] - m["previous"])
    summary = step.groupby(m["indicator_id"], sort=False).agg(["min", "max", "size"])
    one_way = summary[(summary["size"] >= 2) & (summary["min"] == summary["max"])]
    one_way = one_way[one_way["min"] != 0]
    row_of = dict(zip(inds["indicator_id"].tolist(), inds.index, strict=True))
    out = []
    for indicator, s in one_way.iterrows():
        steps = m[m["indicator_id"] == indicator]
        path = " → ".join(_fmt(v) for v in [steps["previous"].iloc[0], *steps["target"]])
        moves = "rises" if s["min"] > 0 else "falls"
        message = (
            f"{indicator} is to be maintained but every yearly target {moves} ({path}); check "
            "the direction (increase or decrease?) or the targets"
        )
        where = (raw_i.label, int(row_of[indicator]), raw_i.header("direction"))
        out.append(_warning(where, message, "maintain_targets_trend", indicator, None))
    return out


def no_target_warnings(inds: pd.DataFrame, targets: pd.DataFrame, raw_i: RawTable) -> list[Problem]:
    """An indicator without targets: monitored but not scored (code no_targets)."""
    without = inds[~isin(inds["indicator_id"], set(targets["indicator_id"].tolist()))]
    return [
        _warning(
            (raw_i.label, int(row), raw_i.header("indicator_id")),
            f"{ind} has no targets: it is monitored but not scored against a target",
            "no_targets",
            ind,
            None,
        )
        for row, ind in sorted(
            zip(without.index, without["indicator_id"].tolist(), strict=True), key=lambda x: x[1]
        )
    ]


def percentage_warnings(
    inds: pd.DataFrame, t: pd.DataFrame, actuals: pd.DataFrame, raw_of: dict[str, RawTable]
) -> list[Problem]:
    """A baseline, target or value of a percentage indicator outside 0–100 (outside_0_100)."""
    pct_ids = set(inds.loc[inds["unit"].map(is_percentage_unit).astype(bool), "indicator_id"])
    raw_i, raw_t = raw_of["indicators"], raw_of["targets"]
    out = []
    checks = (
        (inds, "baseline_value", "baseline_year", lambda row: (raw_i.label, int(row), None)),
        (t.set_index("row"), "target", "year", lambda row: (raw_t.label, int(row), None)),
    )
    for frame, column, year_col, where_of in checks:
        hit = frame[isin(frame["indicator_id"], pct_ids) & ~frame[column].between(0, 100)]
        header = (raw_i if column == "baseline_value" else raw_t).header(column)
        for row, r in hit.iterrows():
            where = (*where_of(row)[:2], header)
            message = f"percentage outside 0–100 ({_fmt(r[column])})"
            out.append(_warning(where, message, "outside_0_100", r["indicator_id"], r[year_col]))
    a = actuals[isin(actuals["indicator_id"], pct_ids) & actuals["value"].notna()]
    for r in a[~a["value"].between(0, 100)].itertuples():
        message = f"percentage outside 0–100 ({_fmt(r.value)})"
        where = (str(r.file), int(r.row), "value")
        out.append(_warning(where, message, "outside_0_100", r.indicator_id, r.year))
    return out


def jump_warnings(
    inds: pd.DataFrame, targets: pd.DataFrame, actuals: pd.DataFrame
) -> list[Problem]:
    """A value more than :data:`SPIKE_RATIO` times off the previous value (or the baseline)
    or the year's target: a unit or decimal-separator slip (code jump)."""
    a = actuals.merge(inds[["indicator_id", "baseline_value"]], on="indicator_id")
    a = a.merge(targets, on=["indicator_id", "year"], how="left")
    a = a.sort_values(["indicator_id", "year"], kind="stable", ignore_index=True)
    previous = a.groupby("indicator_id", sort=False)["value"].shift()
    previous = previous.fillna(a["baseline_value"])
    value = a["value"].to_numpy(dtype="float64")
    out = []
    seen = np.zeros(len(a), dtype=bool)
    for ref, what in ((previous, "the previous value"), (a["target"], "the target")):
        r = ref.to_numpy(dtype="float64")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.abs(value / r)
        off = (r != 0) & (value != 0) & ~np.isnan(r) & ~np.isnan(value)
        off &= (ratio > SPIKE_RATIO) | (ratio < 1 / SPIKE_RATIO)
        for k in np.flatnonzero(off & ~seen):
            message = (
                f"{_fmt(value[k])} is more than ten times off {what} ({_fmt(r[k])}) for "
                f"{a.at[k, 'indicator_id']}; check the unit and the decimal separator"
            )
            where = (str(a.at[k, "file"]), int(a.at[k, "row"]), "value")
            out.append(_warning(where, message, "jump", a.at[k, "indicator_id"], a.at[k, "year"]))
        seen |= off
    return out


def coverage_warnings(
    depts: pd.DataFrame, inds: pd.DataFrame, actuals: pd.DataFrame, report_files: pd.DataFrame
) -> list[Problem]:
    """A department that sent no report for a year that has reports, and an indicator with no
    row in its department's report (code data_gap, one warning per indicator-year)."""
    out = []
    reported = set(zip(report_files["dept_id"], report_files["year"], strict=True))
    responsible = sorted(set(depts["dept_id"]) & set(inds["dept_id"]))
    for year in sorted(report_files["year"].unique()):
        for dept in responsible:
            if (dept, year) not in reported:
                message = f"department {dept!r} sent no report for {year}"
                out.append(Problem(f"reports/{year}/", None, None, message, "warning"))
    seen = set(zip(actuals["indicator_id"].tolist(), actuals["year"].tolist(), strict=True))
    by_dept: dict[str, list[str]] = {}  # a groupby-apply builds 1,000 small Series
    for dept, ind in zip(inds["dept_id"].tolist(), inds["indicator_id"].tolist(), strict=True):
        if isinstance(dept, str):
            by_dept.setdefault(dept, []).append(ind)
    for r in report_files.drop_duplicates(["dept_id", "year"]).itertuples():
        for ind in by_dept.get(r.dept_id, []):
            if (ind, r.year) not in seen:
                message = f"no row for {ind} (a data gap)"
                out.append(_warning((r.file, None, None), message, "data_gap", ind, r.year))
    return out
