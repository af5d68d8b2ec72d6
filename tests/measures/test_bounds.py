"""Tests of planmon.measures.bounds and the unit rules of planmon.core.schema.

Each rule is stated beside its test (module docstring of planmon.measures.bounds).
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import planmon
import planmon.measures.bounds as bounds_module
from planmon.core.exceptions import PlanmonError
from planmon.core.schema import is_non_negative_unit, is_percentage_unit
from planmon.measures.bounds import natural_bounds


def test_docstring_examples():
    assert doctest.testmod(bounds_module).failed == 0


@pytest.mark.parametrize(
    ("unit", "non_negative"),
    [
        ("%", True),
        ("درصد", True),
        ("count", True),
        ("persons", True),
        ("نفر", True),
        ("m² per capita", True),
        ("مترمربع سرانه", True),
        ("hectares per year", True),
        ("minutes", True),
        ("روز", True),
        ("billion rials", True),
        ("میلیارد ریال", True),
        ("accidents per 10,000 vehicles", True),
        ("% change", False),  # a change can be negative
        ("درصد تغییر", False),
        ("net balance (billion rials)", False),
        ("°C", False),
        ("index points", False),
        ("", False),
        (None, False),
    ],
)
def test_non_negative_units(unit, non_negative):
    # Rule: counts, lengths, areas, times, money and percentages cannot be negative; a unit
    # naming a change, a balance, a temperature or an index can.
    assert is_non_negative_unit(unit) is non_negative


def indicators(**columns) -> pd.DataFrame:
    base = {"indicator_id": ["A"], "unit": ["%"], "baseline_value": [40.0]}
    return pd.DataFrame({**base, **{k: [v] for k, v in columns.items()}})


def bounds_of(frame, targets=None, actuals=None) -> tuple[float, float]:
    row = natural_bounds(frame, targets, actuals).iloc[0]
    return row["natural_min"], row["natural_max"]


def test_percentages_are_bounded_0_100_and_quantities_below_by_0():
    assert bounds_of(indicators()) == (0.0, 100.0)
    low, high = bounds_of(indicators(unit="km"))
    assert low == 0.0 and np.isnan(high)
    low, high = bounds_of(indicators(unit="% change", baseline_value=-3.0))
    assert np.isnan(low) and np.isnan(high)


def test_min_and_max_columns_come_first():
    # Rule 1: the indicator's own min/max win over its limit and its unit.
    assert bounds_of(indicators(min=10.0, max=90.0, limit=95.0)) == (10.0, 90.0)
    assert bounds_of(indicators(min=np.nan, max=80.0)) == (0.0, 80.0)


def test_limit_is_an_upper_bound_above_the_baseline_and_a_lower_one_below():
    # Rule 2 (Open SDG: a limit below the baseline is a minimum): limit 365 days a year above a
    # baseline of 200 caps the projection; a limit of 5 below a baseline of 40 floors it.
    low, high = bounds_of(indicators(unit="days per year", baseline_value=200.0, limit=365.0))
    assert (low, high) == (0.0, 365.0)
    assert bounds_of(indicators(limit=5.0)) == (5.0, 100.0)


def test_a_unit_default_yields_to_the_indicators_own_figures():
    # Rule 3: a "%" whose figures leave 0–100 is not a share; its default bound is dropped.
    targets = pd.DataFrame({"indicator_id": ["A"], "target": [120.0]})
    low, high = bounds_of(indicators(), targets=targets)
    assert low == 0.0 and np.isnan(high)
    actuals = pd.DataFrame({"indicator_id": ["A"], "value": [-2.0]})
    low, high = bounds_of(indicators(unit="count", baseline_value=3.0), actuals=actuals)
    assert np.isnan(low)
    # an explicit bound is the plan's word and stays
    assert bounds_of(indicators(max=100.0), targets=targets) == (0.0, 100.0)


def test_inconsistent_bounds_are_refused():
    with pytest.raises(PlanmonError, match="'A': its lower bound 50 is not below its upper"):
        natural_bounds(indicators(min=50.0, max=50.0))


def test_every_sample_indicator_has_its_bounds():
    plan = planmon.load()
    b = natural_bounds(plan.indicators, plan.targets, plan.actuals)
    percent = plan.indicators["unit"].map(is_percentage_unit).to_numpy()
    assert (b.loc[percent, "natural_min"] == 0).all() and (
        b.loc[percent, "natural_max"] == 100
    ).all()
    # every unit of the sample names a non-negative quantity
    assert (b["natural_min"] == 0).all()
