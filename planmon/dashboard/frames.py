"""The frames the dashboard is handed, and how to compute them when a caller has none.

:func:`planmon.dashboard.payload.build_payload` is handed the scores frame and the roll-ups
(:class:`DashboardFrames`). A build that has computed them already passes them on;
:func:`frames_for` computes them from a loaded plan (the CLI's convenience path).

Merge notes
-----------
* The adapters section derives what the measures branch adds (``reported``, ``rank``,
  ``provisional``, ``caveats``, the ``department-goal`` level) when a frame lacks it; after the
  merge it does nothing, and the lead deletes it.
* :func:`macro_goals` is a copy of the goal tree walk; it goes when ``core/goals.py`` exists.
* ``district_matches`` belongs in ``measures`` (districts); until it moves it is imported
  from ``content.report`` by :func:`frames_for` only, because that module pulls in matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.measures.rollup import rollup
from planmon.plan.model import Plan

__all__ = ["ROLLUP_LEVELS", "DashboardFrames", "macro_goals", "frames_for", "fill_missing_columns"]

#: The roll-ups the dashboard reads (keys of :attr:`DashboardFrames.rollups`).
ROLLUP_LEVELS: tuple[str, ...] = ("department", "plan", "department-goal", "kind")


@dataclass(frozen=True)
class DashboardFrames:
    """What the dashboard is handed besides the plan.

    Attributes
    ----------
    scores : DataFrame
        The scores frame (``Plan.scores()``).
    rollups : mapping of str to DataFrame
        One roll-up per :data:`ROLLUP_LEVELS` entry: ``department`` (``dept_id, year``),
        ``plan`` (``year``), ``department-goal`` (``dept_id, goal_id`` of the macro goal,
        ``year``) and ``kind`` (``kind, year``: the department rule applied to all the
        departments of one kind), each with the roll-up measure columns.
    districts : DataFrame, optional
        Indicators shared by districts (``planmon.content.report.district_matches``).
    commentary, actions : DataFrame, optional
        The analysts' commentary and the actions tables (issue 11 items 1–2), when a plan has them.
    """

    scores: pd.DataFrame
    rollups: Mapping[str, pd.DataFrame]
    districts: pd.DataFrame | None = None
    commentary: pd.DataFrame | None = None
    actions: pd.DataFrame | None = None


def macro_goals(goals: pd.DataFrame) -> dict[str, str]:
    """Map every goal id to the id of its macro goal (the root of its tree).

    Raises
    ------
    PlanmonError
        If a parent is unknown or the tree has a cycle.
    """
    parent = {
        str(g): (None if pd.isna(p) else str(p))
        for g, p in zip(goals["goal_id"], goals["parent_id"], strict=True)
    }
    root: dict[str, str] = {}
    for goal in parent:
        seen = [goal]
        node = goal
        while parent[node] is not None:
            node = parent[node]
            if node not in parent:
                raise PlanmonError(f"goal {seen[-1]!r} has parent {node!r}, which is not a goal")
            if node in seen:
                raise PlanmonError(f"the goal tree has a cycle through {node!r}")
            seen.append(node)
        root[goal] = node
    return root


# --------------------------------------------------------------------------------------------
# Adapters until the measures branch is merged (the lead deletes this section)
# --------------------------------------------------------------------------------------------

#: TEMPORARY: the measures branch decides the provisional threshold (plan settings).
_ADAPTER_PROVISIONAL_BELOW_PCT = 50.0


def fill_missing_columns(
    plan: Plan, scores: pd.DataFrame, rollups: Mapping[str, pd.DataFrame]
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """ADAPTER: derive the columns the measures branch adds, when a frame lacks them.

    ``reported`` and ``rank`` on the department roll-up (rank 1 = best ``progress_score``
    among the departments that reported, ties share the better rank; none for the others),
    ``provisional`` on the plan roll-up (``coverage_pct`` below 50 %), ``caveats`` on the
    scores frame (the codes of the plan's warnings that name an indicator). Frames that already
    carry a column are left as they are, so this function is a no-op after the merge.
    """
    out = dict(rollups)
    dept = out["department"].copy()
    if "reported" not in dept.columns:
        sent = plan.report_files[["dept_id", "year"]].astype({"dept_id": str, "year": "int64"})
        sent_set = set(zip(sent["dept_id"], sent["year"], strict=True))
        keys = zip(dept["dept_id"].astype(str), dept["year"].astype("int64"), strict=True)
        dept["reported"] = [k in sent_set for k in keys]
    if "rank" not in dept.columns:
        ranked = dept["progress_score"].where(dept["reported"].astype(bool))
        dept["rank"] = ranked.groupby(dept["year"]).rank(method="min", ascending=False)
    out["department"] = dept
    whole = out["plan"].copy()
    if "provisional" not in whole.columns:
        whole["provisional"] = whole["coverage_pct"] < _ADAPTER_PROVISIONAL_BELOW_PCT
    out["plan"] = whole
    if "caveats" not in scores.columns:
        found: dict[str, list[str]] = {}
        for problem in plan.warnings:
            if problem.code and problem.indicator_id:
                found.setdefault(problem.indicator_id, []).append(problem.code)
        codes = scores["indicator_id"].map(lambda i: ";".join(found.get(i, [])))
        scores = scores.assign(caveats=codes)
    return scores, out


def _department_goal_rollup(
    scores: pd.DataFrame, indicators: pd.DataFrame, goals: pd.DataFrame
) -> pd.DataFrame:
    """ADAPTER: the ``department-goal`` roll-up (``dept_id``, ``goal_id`` of the macro goal).

    The department rule applied with a combined key in place of the department, so each cell
    follows the same weighting as every other roll-up. Replace by
    ``rollup(..., "department-goal")`` once the measures branch has it.
    """
    root = macro_goals(goals)
    key = indicators["dept_id"].astype(str) + "/" + indicators["goal_id"].astype(str).map(root)
    cells = rollup(scores, indicators.assign(dept_id=key), None, "department")
    parts = cells["dept_id"].str.split("/", n=1, expand=True, regex=False)
    return cells.assign(dept_id=parts[0], goal_id=parts[1])


# --------------------------------------------------------------------------------------------
# The frames (for callers that were not handed them)
# --------------------------------------------------------------------------------------------


def frames_for(plan: Plan) -> DashboardFrames:
    """Compute the frames the dashboard needs from a loaded plan (a convenience for the CLI).

    A build that already holds the scores and roll-ups should hand them to
    :func:`planmon.dashboard.payload.build_payload` instead.
    """
    # district_matches belongs in measures (see the module docstring)
    from planmon.content.report import district_matches

    scores = plan.scores()
    kinds = plan.indicators["dept_id"].astype(str).map(plan.kinds())
    by_kind = rollup(scores, plan.indicators.assign(dept_id=kinds), None, "department")
    rollups = {
        "department": plan.rollup("department"),
        "plan": plan.rollup("plan"),
        "department-goal": _department_goal_rollup(scores, plan.indicators, plan.goals),
        "kind": by_kind.rename(columns={"dept_id": "kind"}),
    }
    return DashboardFrames(scores=scores, rollups=rollups, districts=district_matches(plan))
