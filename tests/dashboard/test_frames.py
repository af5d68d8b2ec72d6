"""Tests of planmon.dashboard.frames: the frames the dashboard is handed (tiny fixture plan)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import planmon
from planmon.core.exceptions import PlanmonError
from planmon.dashboard.frames import ROLLUP_LEVELS, frames_for, macro_goals


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


def test_frames_for_computes_every_level(tiny):
    frames = frames_for(tiny)
    assert set(frames.rollups) == set(ROLLUP_LEVELS)
    assert len(frames.scores) == 5 * 2  # 5 indicators × 2 report years
    cells = frames.rollups["department-goal"]
    # every tiny indicator is under macro goal G1: one cell per department and year
    assert sorted(zip(cells["dept_id"], cells["goal_id"], cells["year"], strict=True)) == sorted(
        (d, "G1", y) for d in tiny.dept_ids for y in (1397, 1398)
    )
    kinds = frames.rollups["kind"]
    assert sorted(set(kinds["kind"])) == ["deputy", "district"]
    # the deputy kind is services alone, so its row is the department's
    deputy = kinds[(kinds["kind"] == "deputy") & (kinds["year"] == 1398)]["progress_score"]
    dept = frames.rollups["department"]
    services = dept[(dept["dept_id"] == "services") & (dept["year"] == 1398)]["progress_score"]
    assert deputy.iloc[0] == pytest.approx(services.iloc[0])
    assert list(frames.districts["indicator_id"]) == ["D1_01", "D2_01"]


def test_macro_goals_walks_to_the_root(tiny):
    # tests/data/tiny/plan/goals.csv: G1_1 and G1_2 are children of G1.
    assert macro_goals(tiny.goals) == {"G1": "G1", "G1_1": "G1", "G1_2": "G1"}
    deep = pd.DataFrame({"goal_id": ["A", "B", "C"], "parent_id": [None, "A", "B"]})
    assert macro_goals(deep) == {"A": "A", "B": "A", "C": "A"}


def test_macro_goals_refuses_cycles_and_unknown_parents():
    cycle = pd.DataFrame({"goal_id": ["A", "B"], "parent_id": ["B", "A"]})
    with pytest.raises(PlanmonError, match="cycle"):
        macro_goals(cycle)
    orphan = pd.DataFrame({"goal_id": ["A"], "parent_id": ["Z"]})
    with pytest.raises(PlanmonError, match="not a goal"):
        macro_goals(orphan)
