"""Shared helpers of the dashboard tests."""

from __future__ import annotations

from planmon.dashboard.frames import DashboardFrames, frames_for


def as_if_complete(tiny) -> DashboardFrames:
    """The tiny plan's frames with 1398 treated as a complete year.

    district_2's 1398 report covers half its weight, so 1398 covers 77.8 % of the plan weight and is provisional
    under the default 80 % rule (tests/measures/test_rollup.py); the ordinary view is tested
    here, with every department reported and ranked by score.
    """
    frames = frames_for(tiny)
    rollups = dict(frames.rollups)
    rollups["plan"] = rollups["plan"].assign(provisional=False)
    dept = rollups["department"].assign(reported=True)
    dept["rank"] = dept.groupby("year")["progress_score"].rank(method="min", ascending=False)
    rollups["department"] = dept
    return DashboardFrames(frames.scores, rollups, frames.districts)
