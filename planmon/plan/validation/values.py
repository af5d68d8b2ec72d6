"""Numbers that parse but break the contract: negative weights, tolerances that are not a
fraction in [0, 1) (with a hint when a percentage was meant)."""

from __future__ import annotations

from planmon.core.exceptions import Problem
from planmon.plan.validation.tables import PlanFrames

__all__ = ["weight_checks", "tolerance_checks"]


def weight_checks(frames: PlanFrames) -> list[Problem]:
    """A goal's or indicator's weight must be 0 or more (0 = monitored but not weighted)."""
    problems = []
    for name in ("goals", "indicators"):
        raw, frame = frames.raw[name], frames.typed[name]
        if "weight" not in raw.frame.columns:
            continue
        for row, weight in frame.loc[frame["weight"] < 0, "weight"].items():
            problems.append(
                Problem(
                    raw.label,
                    int(row),
                    raw.header("weight"),
                    f"weight must be 0 or more ({weight:g} seen); 0 means monitored but not "
                    "weighted",
                )
            )
    return problems


def tolerance_checks(frames: PlanFrames) -> list[Problem]:
    """An indicator's tolerance is a fraction in [0, 1): 0.05 is ±5 %."""
    raw, inds = frames.raw["indicators"], frames.typed["indicators"]
    if "tolerance" not in raw.frame.columns:
        return []
    problems = []
    bad = inds["tolerance"].notna() & ~inds["tolerance"].between(0, 1, inclusive="left")
    for row, tolerance in inds.loc[bad, "tolerance"].items():
        hint = f"; did you mean {tolerance / 100:g}?" if 1 <= tolerance <= 100 else ""
        problems.append(
            Problem(
                raw.label,
                int(row),
                raw.header("tolerance"),
                f"tolerance must be a fraction from 0 up to 1, e.g. 0.05 for ±5 % "
                f"({tolerance:g} seen){hint}",
            )
        )
    return problems
