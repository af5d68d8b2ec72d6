"""Pass 1 of validation (planmon.plan.validation.cells.failures): which cells break a table's
rules, and in which order they are reported."""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.schema import PLAN_TABLES
from planmon.plan.validation.cells import Invalid, failures

SLUG = "is not a simple id: use only letters A-Z a-z, digits, _ and - (at most 64)"
YEAR = "is not a year (expected a whole number like 1398 or 2024)"


def test_missing_columns_first_then_column_by_column_in_row_order():
    # indicators without dept_id, unit, direction and baseline_value; rows out of number order
    frame = pd.DataFrame(
        {
            "indicator_id": ["ok", "bad id", np.nan, "x"],
            "goal_id": ["g", "g", "g", "g"],
            "name_fa": ["a", None, "c", "d"],
            "baseline_year": [Invalid("x", "not_a_year"), 1398.0, None, 1398.0],
            "weight": [None, Invalid("w"), pd.NA, 2.0],
        },
        index=[5, 2, 9, 3],
        dtype=object,
    )
    found = failures(frame, PLAN_TABLES["indicators"])
    assert [(check, column, index) for check, column, index, _ in found] == [
        *[("column_in_dataframe", None, None)] * 4,
        ("not_nullable", "indicator_id", 9),  # NaN is empty
        (SLUG, "indicator_id", 2),
        ("not_nullable", "name_fa", 2),
        # baseline_year may be empty (row 9); its unparsed cell is reported
        (YEAR, "baseline_year", 5),
        ("is not a number", "weight", 2),  # an optional column: empty cells pass
    ]
    assert [f[3] for f in found[:4]] == ["dept_id", "unit", "direction", "baseline_value"]
    assert found[5][3] == "bad id" and found[7][3].seen == "x"


def test_a_clean_table_has_no_failures():
    frame = pd.DataFrame(
        {"indicator_id": ["a", "b"], "year": [1398.0, 1399.0], "target": [1.5, 2.0]},
        index=[2, 3],
        dtype=object,
    )
    assert failures(frame, PLAN_TABLES["targets"]) == []
