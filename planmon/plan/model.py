"""The :class:`Plan` an analyst works with: tidy frames of a validated plan plus accessors.

:func:`planmon.plan.load.load` is the one way to get one.

>>> import planmon
>>> plan = planmon.load()                         # doctest: +SKIP
>>> plan.indicators.head()                        # doctest: +SKIP
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import FRAME_DTYPES
from planmon.plan.selection import department_id, report_year

__all__ = ["Plan", "FRAMES", "PLAN_CAVEAT_COLUMNS", "caveats_frame", "empty_frame"]

#: The frames of a plan, as cached and as :class:`Plan` holds them.
FRAMES = (
    "departments", "goals", "indicators", "targets", "actuals", "report_files",
    "commentary", "actions",
)  # fmt: skip
#: Columns of :attr:`Plan.caveats`.
PLAN_CAVEAT_COLUMNS = ("indicator_id", "year", "code", "message")


@dataclass
class Plan:
    """A validated plan: tidy frames plus typed accessors.

    Attributes
    ----------
    path : Path
        The plan folder.
    meta : dict
        ``name_fa``, ``name_en``, ``baseline_year``, ``first_year``, ``horizon_year``, ``calendar``.
    departments, goals, indicators, targets, actuals : DataFrame
        See ``docs/internal-frames.md``.
    report_files : DataFrame
        Which department sent a report for which year (``dept_id``, ``year``, ``file``).
    commentary, actions : DataFrame
        The optional tables (docs/data-contract.md); empty frames with their columns when the
        plan has none. An action's ``indicator_id`` holds its indicators joined with ``;``.
    warnings : list of Problem
        Legal but suspicious findings (targets against their direction, spikes, …).
    fingerprint : str
        Content hash of every input file (changes when any input changes).
    """

    path: Path
    meta: dict
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    report_files: pd.DataFrame
    commentary: pd.DataFrame = field(default_factory=lambda: empty_frame("commentary"))
    actions: pd.DataFrame = field(default_factory=lambda: empty_frame("actions"))
    warnings: list[Problem] = field(default_factory=list)
    fingerprint: str = ""

    # ----------------------------------------------------------------- plan facts
    @property
    def name(self) -> str:
        """The plan's Persian name (or its folder name)."""
        return self.meta.get("name_fa") or self.path.name

    @property
    def baseline_year(self) -> int:
        return int(self.meta["baseline_year"])

    @property
    def horizon_year(self) -> int:
        """The plan's five-year horizon (last plan year)."""
        return int(self.meta["horizon_year"])

    @property
    def plan_years(self) -> list[int]:
        """Every plan year, first to horizon."""
        return list(range(int(self.meta["first_year"]), self.horizon_year + 1))

    @property
    def report_years(self) -> list[int]:
        """Years for which at least one department sent a report, ascending."""
        return sorted(int(y) for y in self.report_files["year"].unique())

    @property
    def dept_ids(self) -> list[str]:
        return self.departments["dept_id"].tolist()

    # ----------------------------------------------------------------- accessors
    def department(self, dept_id: str) -> pd.Series:
        """One department's row; raises KeyError (:class:`NotInPlanError`) if unknown."""
        department_id(self, dept_id)
        return _one(self.departments, "dept_id", dept_id, "department")

    def indicator(self, indicator_id: str) -> pd.Series:
        """One indicator's row (passport columns included)."""
        return _one(self.indicators, "indicator_id", indicator_id, "indicator")

    def goal(self, goal_id: str) -> pd.Series:
        return _one(self.goals, "goal_id", goal_id, "goal")

    def indicators_of(self, dept_id: str) -> pd.DataFrame:
        """The indicators a department is responsible for."""
        self.department(dept_id)
        return self.indicators[self.indicators["dept_id"] == dept_id].reset_index(drop=True)

    def targets_of(self, indicator_id: str) -> pd.DataFrame:
        """An indicator's annual targets (``year``, ``target``), by year."""
        self.indicator(indicator_id)
        t = self.targets[self.targets["indicator_id"] == indicator_id]
        return t[["year", "target"]].sort_values("year").reset_index(drop=True)

    def series(self, indicator_id: str) -> pd.DataFrame:
        """Baseline and reported values of one indicator (``year``, ``value``, ``is_baseline``)."""
        ind = self.indicator(indicator_id)
        a = self.actuals[self.actuals["indicator_id"] == indicator_id]
        base = pd.DataFrame(
            {"year": [int(ind["baseline_year"])], "value": [float(ind["baseline_value"])]}
        )
        out = pd.concat(
            [base.assign(is_baseline=True), a[["year", "value"]].assign(is_baseline=False)],
            ignore_index=True,
        )
        return out.sort_values("year", kind="stable").reset_index(drop=True)

    # ----------------------------------------------------------------- scores
    def scores(self, year: int | None = None, dept_id: str | None = None) -> pd.DataFrame:
        """The scores frame: one row per indicator and report year (see ``planmon.measures.scores``).

        Parameters
        ----------
        year : int, optional
            Only this report year (its measures use the data up to that year).
        dept_id : str, optional
            Only this department's indicators.
        """
        frame = self._all_scores
        if year is not None:
            frame = frame[frame["year"] == report_year(self, year)]
        if dept_id is not None:
            self.department(dept_id)
            frame = frame[frame["dept_id"] == dept_id]
        return frame.reset_index(drop=True)

    @cached_property
    def caveats(self) -> pd.DataFrame:
        """The validation findings that concern an indicator or an indicator-year.

        One row per finding: ``indicator_id``, ``year`` (nullable Int64; missing = every year),
        ``code`` (one of :data:`planmon.core.vocabulary.CAVEATS`) and ``message`` (with its
        location). Built from :attr:`warnings`; see :func:`caveats_frame`.
        """
        return caveats_frame(self.warnings)

    @cached_property
    def _all_scores(self) -> pd.DataFrame:
        from planmon.measures.scores import compute_scores

        return compute_scores(
            self.indicators,
            self.targets,
            self.actuals,
            self.report_years,
            plan_horizon_year=self.horizon_year,
            # validation's findings per indicator-year, where the plan exposes them
            caveats=getattr(self, "caveats", None),
        )

    def rollup(self, level: str = "department", year: int | None = None) -> pd.DataFrame:
        """Weighted roll-up of the scores by ``department``, ``goal``, ``department-goal`` or
        ``plan``, per year (see :func:`planmon.measures.rollup.rollup`).

        Rows with a coverage below the plan setting ``provisional_below_pct`` (default 80 %)
        are ``provisional``; departments count as reported from ``report_files``.
        """
        from planmon.core.text import parse_number
        from planmon.measures.rollup import (
            DEFAULT_PROVISIONAL_BELOW,
            PROVISIONAL_SETTING,
            rollup,
        )

        setting = self.meta.get(PROVISIONAL_SETTING)
        below = DEFAULT_PROVISIONAL_BELOW if setting in (None, "") else parse_number(setting)
        frame = rollup(
            self._all_scores,
            self.indicators,
            self.goals,
            level,
            reports=self.report_files,
            provisional_below=below,
        )
        if year is not None:
            frame = frame[frame["year"] == year].reset_index(drop=True)
        return frame

    def not_reported(self, year: int) -> list[str]:
        """Departments with indicators and no report file for ``year``, in the plan's order.

        A department counts as reported when :attr:`report_files` holds a file of its for the
        year (the rule of :func:`planmon.measures.rollup.rollup` given ``reports``).
        """
        files = self.report_files
        sent = set(files.loc[files["year"] == year, "dept_id"].astype(str))
        with_indicators = set(self.indicators["dept_id"].astype(str))
        return [d for d in self.dept_ids if d in with_indicators and d not in sent]

    def kinds(self) -> dict[str, str]:
        """dept_id → kind."""
        return dict(zip(self.departments["dept_id"], self.departments["kind"], strict=True))

    def __repr__(self) -> str:
        return (
            f"Plan({self.name!r}, {len(self.departments)} departments, "
            f"{len(self.indicators)} indicators, report years {self.report_years}, "
            f"{len(self.warnings)} warnings)"
        )

    @cached_property
    def summary(self) -> dict[str, object]:
        """Counts an analyst checks first (used by ``planmon validate``)."""
        return {
            "plan": self.name,
            "years": f"{self.meta['first_year']}–{self.horizon_year} "
            f"(baseline {self.baseline_year})",
            "departments": len(self.departments),
            "goals": len(self.goals),
            "indicators": len(self.indicators),
            "targets": len(self.targets),
            "report years": ", ".join(map(str, self.report_years)) or "none",
            "reports": len(self.report_files),
            "values": int(self.actuals["value"].notna().sum()),
            "warnings": len(self.warnings),
        }


def empty_frame(name: str) -> pd.DataFrame:
    """An empty frame of the optional table ``name`` with its columns and dtypes."""
    text = pd.StringDtype(na_value=np.nan)
    dtypes = {k: (text if v == "str" else v) for k, v in FRAME_DTYPES[name].items()}
    return pd.DataFrame({c: pd.Series(dtype=d) for c, d in dtypes.items()})


def _one(frame: pd.DataFrame, column: str, key: str, what: str) -> pd.Series:
    hit = frame[frame[column] == key]
    if hit.empty:
        known = ", ".join(frame[column].head(20))
        raise KeyError(f"unknown {what} {key!r}; known: {known}")
    return hit.iloc[0]


def caveats_frame(problems: list[Problem]) -> pd.DataFrame:
    """The findings of ``problems`` that carry a caveat code and an indicator, as a frame.

    Columns :data:`PLAN_CAVEAT_COLUMNS`; ``year`` is a nullable ``Int64`` (missing = every year).
    """
    rows = [
        (p.indicator_id, p.year, p.code, str(p))
        for p in problems
        if p.code is not None and p.indicator_id is not None
    ]
    frame = pd.DataFrame(rows, columns=list(PLAN_CAVEAT_COLUMNS))
    frame = frame.astype(
        {
            "indicator_id": pd.StringDtype(na_value=float("nan")),
            "year": "Int64",
            "code": pd.StringDtype(na_value=float("nan")),
            "message": pd.StringDtype(na_value=float("nan")),
        }
    )
    return frame.sort_values(["indicator_id", "year", "code"], ignore_index=True)
