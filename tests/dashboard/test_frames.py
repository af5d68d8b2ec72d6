"""Tests of planmon.dashboard.frames: the frames the dashboard is handed (tiny fixture plan)."""

from __future__ import annotations

from pathlib import Path

import pytest

import planmon
from planmon.dashboard.frames import DASHBOARD_ROLLUPS, frames_for


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


def test_frames_for_computes_every_level(tiny):
    frames = frames_for(tiny)
    assert set(frames.rollups) == set(DASHBOARD_ROLLUPS)
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
