"""Plan weights: the weight each indicator carries in the plan (the roll-ups' one rule).

An indicator's plan weight is the product of its shares down the goal tree: its ``weight`` as
a share of the weights of its goal's children, times its goal's ``weight`` as a share of its
parent's children, and so on up to the macro goal's ``weight`` as a share of all macro goals'.
A goal's children are its sub-goals and the indicators attached directly to it; only goals
with an indicator somewhere below them count. Blank weights count as 1, negative ones are
refused. When every indicator has a number, each roll-up of :mod:`planmon.measures.rollup` is
the mean of its indicators weighted by these weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.goals import GoalTree, goal_tree

__all__ = ["clean_weights", "plan_weights"]


def clean_weights(weight: pd.Series, what: str, ids: pd.Series) -> np.ndarray:
    """Weights as floats, blank = 1 (the data-contract default); refuses negative ones."""
    w = pd.to_numeric(weight, errors="coerce").astype("float64").fillna(1.0).to_numpy()
    bad = (w < 0) | ~np.isfinite(w)
    if bad.any():
        examples = ", ".join(
            f"{i}={v}" for i, v in zip(ids.to_numpy()[bad][:5], w[bad][:5], strict=True)
        )
        raise PlanmonError(
            f"{what} weights must be zero or positive numbers; found {examples}. "
            "Fix the weight column in the plan."
        )
    return w


def _share(part: np.ndarray, whole: np.ndarray) -> np.ndarray:
    """``part / whole``, 0 where the whole is 0 (children all weighted 0 count nothing)."""
    return np.divide(part, whole, out=np.zeros_like(part, dtype="float64"), where=whole > 0)


def _tree_weights(
    ind_weight: np.ndarray, ind_goal: np.ndarray, tree: GoalTree, goal_weight: np.ndarray
) -> np.ndarray:
    """Plan weight of each indicator: the product of its shares down the goal tree."""
    n_goals = len(tree)
    used = np.zeros(n_goals, dtype=bool)  # goals with an indicator somewhere below
    node = np.unique(ind_goal)
    while node.size:
        used[node] = True
        node = tree.parent[node]
        node = np.unique(node[(node >= 0)])
        node = node[~used[node]]
    child_goal = used & (tree.parent >= 0)
    children = np.bincount(ind_goal, weights=ind_weight, minlength=n_goals)
    children += np.bincount(
        tree.parent[child_goal], weights=goal_weight[child_goal], minlength=n_goals
    )
    macro_total = goal_weight[used & tree.is_macro].sum()
    goal_share = np.where(
        tree.is_macro,
        _share(goal_weight, np.full(n_goals, macro_total)),
        _share(goal_weight, children[np.maximum(tree.parent, 0)]),
    )
    # share of the plan of each goal, from the macro goals down
    path = np.zeros(n_goals)
    for depth in range(int(tree.depth.max(initial=0)) + 1):
        at = tree.depth == depth
        above = np.where(tree.is_macro, 1.0, path[np.maximum(tree.parent, 0)])
        path[at] = goal_share[at] * above[at]
    return _share(ind_weight, children[ind_goal]) * path[ind_goal]


def plan_weights(indicators: pd.DataFrame, goals: pd.DataFrame | None = None) -> pd.Series:
    """Each indicator's plan weight (the module's weighting rule); they sum to one.

    Parameters
    ----------
    indicators : pandas.DataFrame
        ``indicator_id``, ``goal_id``, ``weight`` (blank = 1).
    goals : pandas.DataFrame, optional
        ``goal_id``, ``parent_id`` (blank = macro goal), ``weight`` (blank = 1). Without it
        the plan weights are the indicators' own weights, normalised.

    Returns
    -------
    pandas.Series
        Indexed by ``indicator_id``.

    Examples
    --------
    Macro goal G (weight 1) with micro goals A (weight 3, two indicators) and B (weight 1,
    one indicator): A's indicators get 3/4 · 1/2 = 0.375 each, B's gets 1/4.

    >>> goals = pd.DataFrame({"goal_id": ["G", "A", "B"], "parent_id": [None, "G", "G"],
    ...                       "weight": [1.0, 3.0, 1.0]})
    >>> ind = pd.DataFrame({"indicator_id": ["a1", "a2", "b1"], "goal_id": ["A", "A", "B"],
    ...                     "weight": [1.0, 1.0, 1.0]})
    >>> plan_weights(ind, goals).tolist()
    [0.375, 0.375, 0.25]
    """
    w = clean_weights(indicators["weight"], "indicator", indicators["indicator_id"])
    if goals is None:
        eff = _share(w, np.full(len(w), w.sum()))
    else:
        missing = sorted({"goal_id", "parent_id", "weight"} - set(goals.columns))
        if missing:
            raise PlanmonError(f"the goals frame lacks column(s) {', '.join(missing)}")
        tree = goal_tree(goals)
        goal_weight = clean_weights(goals["weight"], "goal", goals["goal_id"])
        position = tree.positions(indicators["goal_id"])
        eff = _tree_weights(w, position, tree, goal_weight)
    return pd.Series(eff, index=pd.Index(indicators["indicator_id"], name="indicator_id"))
