"""The frames the dashboard is handed, and how to compute them when a caller has none.

:func:`planmon.dashboard.payload.build_payload` is handed the scores frame and the roll-ups
(:class:`DashboardFrames`). A build that has computed them already passes them on;
:func:`frames_for` computes them from a loaded plan (the CLI's convenience path).

``district_matches`` is imported from ``content`` by :func:`frames_for` only, because that
package pulls in matplotlib.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from planmon.measures.rollup import rollup
from planmon.plan.model import Plan

__all__ = ["DASHBOARD_ROLLUPS", "DashboardFrames", "frames_for"]

#: The roll-ups the dashboard reads (keys of :attr:`DashboardFrames.rollups`).
DASHBOARD_ROLLUPS: tuple[str, ...] = ("department", "plan", "department-goal", "kind")


@dataclass(frozen=True)
class DashboardFrames:
    """What the dashboard is handed besides the plan.

    Attributes
    ----------
    scores : DataFrame
        The scores frame (``Plan.scores()``).
    rollups : mapping of str to DataFrame
        One roll-up per :data:`DASHBOARD_ROLLUPS` entry: ``department`` (``dept_id, year``),
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
        "department-goal": plan.rollup("department-goal"),
        "kind": by_kind.rename(columns={"dept_id": "kind"}),
    }
    return DashboardFrames(
        scores=scores,
        rollups=rollups,
        districts=district_matches(plan),
        commentary=plan.commentary,
        actions=plan.actions,
    )
