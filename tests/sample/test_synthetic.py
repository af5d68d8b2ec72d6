"""Tests for planmon.sample.synthetic: synthetic plans of any size."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from planmon.core.exceptions import ParameterError
from planmon.core.schema import PlanTables
from planmon.sample.synthetic import synthetic_plan
from tests.sample.conftest import TABLES, assert_tables_equal

SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


@pytest.mark.parametrize(("depts", "per_dept", "years"), [(1, 1, 1), (7, 3, 2), (40, 12, 6)])
def test_synthetic_sizes_are_exact(depts: int, per_dept: int, years: int) -> None:
    plan = synthetic_plan(depts, per_dept, years, seed=3)
    n = depts * per_dept
    plan_years = max(years, 5)
    assert len(plan.departments) == depts
    assert len(plan.indicators) == n
    assert len(plan.targets) == n * plan_years
    assert len(plan.reports) == n * years
    assert plan.report_years == list(range(1397, 1397 + years))
    assert plan.meta["horizon_year"] == 1396 + plan_years
    assert plan.indicators["indicator_id"].is_unique
    assert plan.indicators["dept_id"].isin(plan.departments["dept_id"]).all()
    assert plan.departments["parent_id"].dropna().isin(plan.departments["dept_id"]).all()


def test_synthetic_ids_and_dtypes(qazvin: PlanTables) -> None:
    plan = synthetic_plan(12, 4, 3, seed=1)
    assert plan.departments["dept_id"].iloc[0] == "D0001"
    assert plan.indicators["indicator_id"].iloc[5] == "D0002_I002"
    for frame, col in [
        (plan.departments, "dept_id"),
        (plan.indicators, "indicator_id"),
        (plan.goals, "goal_id"),
    ]:
        assert frame[col].str.fullmatch(SLUG.pattern).all()
    for name in TABLES:  # same columns, order and dtypes as the canonical sample
        pd.testing.assert_series_equal(getattr(plan, name).dtypes, getattr(qazvin, name).dtypes)
    assert set(plan.departments["kind"]) == {"deputy", "district", "organization"}
    pct = plan.reports.merge(plan.indicators[["indicator_id", "unit"]])
    assert pct.loc[pct["unit"] == "%", "value"].dropna().between(0, 100).all()


def test_synthetic_is_deterministic() -> None:
    assert_tables_equal(synthetic_plan(5, 6, 4, seed=9), synthetic_plan(5, 6, 4, seed=9))
    a, b = synthetic_plan(5, 6, 4, seed=9), synthetic_plan(5, 6, 4, seed=10)
    assert not a.reports["value"].equals(b.reports["value"])


def test_synthetic_gregorian() -> None:
    plan = synthetic_plan(3, 2, 6, calendar="gregorian")
    assert plan.meta["calendar"] == "gregorian"
    assert (plan.meta["baseline_year"], plan.meta["horizon_year"]) == (2017, 2023)
    assert plan.report_years == list(range(2018, 2024))


def test_synthetic_scales_to_100k_indicators() -> None:
    plan = synthetic_plan(1000, 100, 6)
    assert len(plan.indicators) == 100_000
    assert len(plan.reports) == 600_000
    assert plan.indicators["indicator_id"].iloc[-1] == "D1000_I100"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"departments": 0, "indicators_per_dept": 1, "years": 1},
        {"departments": 1, "indicators_per_dept": -2, "years": 1},
        {"departments": 1, "indicators_per_dept": 1, "years": 1.5},
        {"departments": True, "indicators_per_dept": 1, "years": 1},
        {"departments": 1, "indicators_per_dept": 1, "years": 1, "calendar": "hijri"},
    ],
)
def test_synthetic_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(ParameterError):
        synthetic_plan(**kwargs)
