"""Tests for the plan as in-memory frames: PlanTables and typed_frame (planmon.core.schema)."""

from __future__ import annotations

import numpy as np
import pandas as pd

import planmon
from planmon.core.schema import FRAME_DTYPES, PlanTables, typed_frame


def test_typed_frame_orders_and_types_the_columns() -> None:
    frame = typed_frame(
        {
            "target": [1, 2.5],
            "extra": ["ignored"] * 2,
            "year": [1397, 1398],
            "indicator_id": ["A", "B"],
        },
        "targets",
    )
    assert list(frame.columns) == ["indicator_id", "year", "target"]
    assert frame["year"].dtype == np.int64 and frame["target"].dtype == np.float64
    assert frame["target"].tolist() == [1.0, 2.5]


def test_report_years_are_the_years_with_a_report() -> None:
    empty = {
        name: typed_frame(dict.fromkeys(cols, []), name) for name, cols in FRAME_DTYPES.items()
    }
    reports = typed_frame(
        {
            "indicator_id": ["A", "A", "B"],
            "dept_id": ["d", "d", "d"],
            "year": [1399, 1397, 1399],
            "value": [1.0, np.nan, 2.0],
            "note": [None, "blank", None],
            "source": [None] * 3,
        },
        "reports",
    )
    tables = PlanTables(meta={}, **{**empty, "reports": reports})
    assert tables.report_years == [1397, 1399]
    assert PlanTables(meta={}, **empty).report_years == []


def test_the_facade_exports_the_one_plan_tables() -> None:
    from planmon.io.plan_writer import write_plan
    from planmon.sample.qazvin import qazvin_sample
    from planmon.sample.synthetic import synthetic_plan

    assert planmon.PlanTables is PlanTables
    assert (planmon.write_plan, planmon.qazvin_sample, planmon.synthetic_plan) == (
        write_plan,
        qazvin_sample,
        synthetic_plan,
    )
    assert isinstance(planmon.qazvin_sample().departments, pd.DataFrame)
