"""Synthetic plans of any size, for benchmarks and scale tests.

Random but well-formed: every table follows the data contract, so a synthetic plan loads,
validates and builds like a real one. Everything is built with whole-array NumPy/pandas
operations, so 100,000 indicators with six report years take a few seconds at most. The
generator is pure and seeded; :func:`planmon.io.plan_writer.write_plan` writes it out.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from planmon.core.exceptions import ParameterError
from planmon.core.schema import DEFAULT_TOLERANCE, PlanTables, typed_frame
from planmon.core.vocabulary import KIND_LABELS

__all__ = ["synthetic_plan"]

_PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
_BASELINE_YEARS = {"jalali": 1396, "gregorian": 2017}
_UNITS = np.array(["%", "count", "days", "m² per capita", "minutes", "billion rials"])
_UNIT_P = [0.4, 0.25, 0.1, 0.1, 0.1, 0.05]
_LEVELS = np.array(["input", "output", "outcome", "impact"])
_MACRO_GOALS = 5
_MICRO_PER_MACRO = 4
_MIN_PLAN_YEARS = 5
_NO_DATA = "داده در دسترس نیست"


class _Departments(NamedTuple):
    frame: pd.DataFrame
    ids: np.ndarray
    name_fa: pd.Series


class _Indicators(NamedTuple):
    """The drawn indicators: ids, departments and the arrays the targets and reports need."""

    ids: np.ndarray
    dept: np.ndarray
    number: np.ndarray
    direction: np.ndarray
    unit: np.ndarray
    baseline: np.ndarray
    horizon: np.ndarray
    target: np.ndarray  # (indicator, plan year)

    @property
    def is_pct(self) -> np.ndarray:
        return self.unit == "%"


def _numbered(prefix: str, numbers: np.ndarray, width: int) -> np.ndarray:
    """``prefix`` + zero-padded ``numbers`` as a NumPy string array (vectorised)."""
    return np.strings.add(prefix, np.strings.zfill(numbers.astype("U"), width))


def _persian(numbers: np.ndarray) -> pd.Series:
    """Integers written in Persian digits."""
    return pd.Series(numbers.astype("U"), dtype="str").str.translate(_PERSIAN_DIGITS)


def _check_count(name: str, value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 1:
        raise ParameterError(f"{name} must be a positive integer, got {value!r}")
    return int(value)


def _departments(n_dept: int) -> _Departments:
    """Deputies first, then districts, then organisations, each under a deputy."""
    position = np.arange(n_dept)
    n_deputy = max(1, -(-n_dept // 4))
    n_district = round(n_dept / 3) if n_dept > n_deputy else 0
    kind = np.where(
        position < n_deputy,
        "deputy",
        np.where(position < n_deputy + n_district, "district", "organization"),
    )
    dept_ids = _numbered("D", position + 1, max(4, len(str(n_dept))))
    kind_start = np.select(
        [kind == "district", kind == "organization"], [n_deputy, n_deputy + n_district], 0
    )
    ordinal = position + 1 - kind_start  # "District 1" is the first district, not D0004
    kind_fa = pd.Series(kind).map({k: v["fa"] for k, v in KIND_LABELS.items()})
    kind_en = pd.Series(kind).map({k: v["en"] for k, v in KIND_LABELS.items()})
    name_fa = kind_fa + " " + _persian(ordinal)
    parent = np.where(kind == "deputy", None, dept_ids[position % n_deputy]).astype(object)
    frame = typed_frame(
        {
            "dept_id": dept_ids,
            "kind": kind,
            "name_fa": name_fa,
            "name_en": kind_en + " " + pd.Series(ordinal.astype("U")),
            "parent_id": parent,
        },
        "departments",
    )
    return _Departments(frame, dept_ids, name_fa)


def _goals(rng: np.random.Generator) -> tuple[pd.DataFrame, np.ndarray]:
    """A fixed tree of 5 macro goals with 4 micro goals each; returns it and the micro ids."""
    macro = np.arange(1, _MACRO_GOALS + 1)
    micro_macro = np.repeat(macro, _MICRO_PER_MACRO)
    micro_no = np.tile(np.arange(1, _MICRO_PER_MACRO + 1), _MACRO_GOALS)
    macro_ids = np.strings.add("G", macro.astype("U"))
    micro_ids = np.strings.add(
        np.strings.add(macro_ids[micro_macro - 1], "_"), micro_no.astype("U")
    )
    micro_en = np.strings.replace(np.strings.replace(micro_ids, "G", ""), "_", ".")
    n_goals = _MACRO_GOALS * (_MICRO_PER_MACRO + 1)
    frame = typed_frame(
        {
            "goal_id": np.concatenate([macro_ids, micro_ids]),
            "name_fa": pd.concat(
                [
                    "هدف کلان " + _persian(macro),
                    "هدف خرد " + _persian(micro_macro) + "-" + _persian(micro_no),
                ],
                ignore_index=True,
            ),
            "name_en": np.concatenate(
                [
                    np.strings.add("Macro goal ", macro.astype("U")),
                    np.strings.add("Micro goal ", micro_en),
                ]
            ),
            "parent_id": np.concatenate([np.full(_MACRO_GOALS, None), macro_ids[micro_macro - 1]]),
            "dept_id": np.full(n_goals, None),
            "weight": rng.choice([1.0, 1.5, 2.0], n_goals),
        },
        "goals",
    )
    return frame, micro_ids


def _draw_indicators(
    rng: np.random.Generator, dept_ids: np.ndarray, per_dept: int, n_plan_years: int
) -> _Indicators:
    """Ids, directions, units, baselines and straight-line targets of every indicator."""
    n = len(dept_ids) * per_dept
    dept = np.repeat(dept_ids, per_dept)
    number = np.tile(np.arange(1, per_dept + 1), len(dept_ids))
    ids = np.strings.add(
        np.strings.add(dept, "_"), _numbered("I", number, max(3, len(str(per_dept))))
    )
    direction = rng.choice(["increase", "decrease", "maintain"], n, p=[0.65, 0.3, 0.05])
    unit = rng.choice(_UNITS, n, p=_UNIT_P)
    is_pct = unit == "%"
    # Both arrays are drawn for every indicator (np.where keeps the draws' order fixed).
    baseline = np.round(np.where(is_pct, rng.uniform(10, 70, n), rng.lognormal(3.0, 1.2, n)), 2)
    change = rng.uniform(0.1, 0.6, n)
    horizon = np.select(
        [direction == "increase", direction == "decrease"],
        [baseline * (1 + change), baseline * (1 - change / 2)],
        baseline,
    )
    horizon = np.where(is_pct, np.minimum(horizon, 100.0), horizon)
    share = np.arange(1, n_plan_years + 1) / n_plan_years
    target = np.round(baseline[:, None] + (horizon - baseline)[:, None] * share[None, :], 2)
    return _Indicators(ids, dept, number, direction, unit, baseline, horizon, target)


def _indicators_frame(
    rng: np.random.Generator,
    drawn: _Indicators,
    dept_name_fa: pd.Series,
    micro_ids: np.ndarray,
    baseline_year: int,
) -> pd.DataFrame:
    """The ``indicators`` table; goals, weights and levels are drawn here, in this order."""
    n = len(drawn.ids)
    per_dept = n // len(dept_name_fa)
    return typed_frame(
        {
            "indicator_id": drawn.ids,
            "dept_id": drawn.dept,
            "goal_id": rng.choice(micro_ids, n),
            "name_fa": "شاخص "
            + _persian(drawn.number)
            + " "
            + np.repeat(dept_name_fa.to_numpy(), per_dept),
            "name_en": np.strings.add("Indicator ", drawn.ids),
            "unit": drawn.unit,
            "direction": drawn.direction,
            "baseline_year": np.full(n, baseline_year),
            "baseline_value": drawn.baseline,
            "limit": np.where(drawn.is_pct, 100.0, np.nan),
            "weight": rng.choice([1.0, 1.0, 1.0, 2.0, 3.0], n),
            "tolerance": np.full(n, DEFAULT_TOLERANCE),
            "level": rng.choice(_LEVELS, n),
            "definition": np.full(n, None),
            "formula": np.full(n, None),
            "responsible": np.full(n, None),
            "source": np.full(n, None),
            "frequency": np.full(n, "سالانه"),
        },
        "indicators",
    )


def _reports_frame(
    rng: np.random.Generator, drawn: _Indicators, report_years: np.ndarray
) -> pd.DataFrame:
    """Reports: each indicator covers its planned change at its own pace, with noise."""
    n, n_years = len(drawn.ids), len(report_years)
    baseline = drawn.baseline[:, None]
    pace = rng.normal(0.8, 0.4, n)
    scale = 0.05 * np.abs(drawn.horizon - drawn.baseline) + 0.005 * drawn.baseline
    noise = rng.normal(0.0, 1.0, (n, n_years))
    planned = drawn.target[:, :n_years]
    values = np.where(
        (drawn.direction == "maintain")[:, None],
        baseline * (1 + 0.03 * noise),
        baseline + pace[:, None] * (planned - baseline) + scale[:, None] * noise,
    )
    values = np.clip(values, 0.0, np.where(drawn.is_pct, 100.0, np.inf)[:, None])
    values = np.round(values, 2)
    values[rng.random((n, n_years)) < 0.01] = np.nan
    # Year-major order: each (year, department) report is one contiguous block.
    flat = values.T.ravel()
    return typed_frame(
        {
            "indicator_id": np.tile(drawn.ids, n_years),
            "dept_id": np.tile(drawn.dept, n_years),
            "year": np.repeat(report_years, n),
            "value": flat,
            "note": np.where(np.isnan(flat), _NO_DATA, None),
            "source": np.full(n * n_years, None),
        },
        "reports",
    )


def _targets_frame(drawn: _Indicators, plan_years: np.ndarray) -> pd.DataFrame:
    """The ``targets`` table: one row per indicator and plan year."""
    return typed_frame(
        {
            "indicator_id": np.repeat(drawn.ids, len(plan_years)),
            "year": np.tile(plan_years, len(drawn.ids)),
            "target": drawn.target.ravel(),
        },
        "targets",
    )


def _meta(calendar: str, plan_years: np.ndarray) -> dict[str, object]:
    """The ``plan`` settings: the baseline is the year before the first plan year."""
    return {
        "name_fa": "برنامه آزمایشی",
        "name_en": "Synthetic plan",
        "city_fa": "شهر آزمایشی",
        "city_en": "Synthetic city",
        "baseline_year": int(plan_years[0]) - 1,
        "first_year": int(plan_years[0]),
        "horizon_year": int(plan_years[-1]),
        "calendar": calendar,
    }


def synthetic_plan(
    departments: int,
    indicators_per_dept: int,
    years: int,
    seed: int = 0,
    *,
    calendar: str = "jalali",
) -> PlanTables:
    """A random but well-formed plan of any size, for benchmarks and scale tests.

    Parameters
    ----------
    departments : int
        Number of departments (about a quarter deputies, a third districts, the rest
        organisations). Ids ``D0001``, ``D0002``, …
    indicators_per_dept : int
        Indicators per department. Ids ``D0001_I001``, …
    years : int
        Number of report years, from the first plan year on.
    seed : int, default 0
        Seed for :func:`numpy.random.default_rng`.
    calendar : {"jalali", "gregorian"}, default "jalali"
        Baseline year 1396 (Jalali) or 2017 (Gregorian). The plan runs from the year after the
        baseline for ``max(years, 5)`` years, so short runs still have a five-year horizon.

    Returns
    -------
    PlanTables
        ``departments × indicators_per_dept`` indicators, one target per plan year each, one
        report row per indicator and report year (about 1 % of values blank with a note).

    Raises
    ------
    ParameterError
        If a count is not a positive integer or the calendar is unknown.
    """
    n_dept = _check_count("departments", departments)
    per_dept = _check_count("indicators_per_dept", indicators_per_dept)
    n_years = _check_count("years", years)
    if calendar not in _BASELINE_YEARS:
        raise ParameterError(f"calendar must be 'jalali' or 'gregorian', got {calendar!r}")
    rng = np.random.default_rng(seed)
    baseline_year = _BASELINE_YEARS[calendar]
    plan_years = baseline_year + np.arange(1, max(n_years, _MIN_PLAN_YEARS) + 1)

    depts = _departments(n_dept)
    goals, micro_ids = _goals(rng)
    drawn = _draw_indicators(rng, depts.ids, per_dept, len(plan_years))
    return PlanTables(
        meta=_meta(calendar, plan_years),
        departments=depts.frame,
        goals=goals,
        indicators=_indicators_frame(rng, drawn, depts.name_fa, micro_ids, baseline_year),
        targets=_targets_frame(drawn, plan_years),
        reports=_reports_frame(rng, drawn, plan_years[:n_years]),
    )
