"""The aggregation engine of the roll-ups: weighted means from the leaves of the goal tree up.

Rows are *contributions*: per row, the counts (``n_indicators``, ``n_with_value``,
``n_<status>``), and for each averaged measure the weighted value (``wx:<measure>``) and the
weight (``w:<measure>``), both 0 when the row has no number for it, so that summing and
dividing renormalises the weights over the rows that have one. :func:`nested` turns rows keyed
by ``unit``, ``node`` (goal position) and ``year`` into the results of every (unit, goal, year)
and every (unit, year); the rules are in :mod:`planmon.measures.rollup`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.goals import GoalTree
from planmon.measures.common import STATUSES

__all__ = ["COUNT_COLUMNS", "COVERAGE", "group", "aggregate", "nested", "finish"]

#: Plain counts carried up the tree.
COUNT_COLUMNS = ["n_indicators", "n_with_value"] + [f"n_{s}" for s in STATUSES]
#: The 0/100 "has a value" measure averaged into ``coverage_pct``; never missing.
COVERAGE = "coverage_pct"


def group(keys: list[np.ndarray]) -> tuple[np.ndarray, list[np.ndarray]]:
    """Group number of each row by the tuple of non-negative integer ``keys``, and the keys."""
    sizes = [max(int(k.max(initial=-1)) + 1, 1) for k in keys]
    combined = np.zeros(len(keys[0]), dtype="int64")
    for k, size in zip(keys, sizes, strict=True):
        combined = combined * size + k.astype("int64")
    group, uniques = pd.factorize(combined, sort=True)
    out_keys = []
    rest = np.asarray(uniques, dtype="int64")
    for size in reversed(sizes):
        out_keys.append(rest % size)
        rest = rest // size
    return group, out_keys[::-1]


def aggregate(contrib: dict[str, np.ndarray], keys: dict[str, np.ndarray]) -> pd.DataFrame:
    """One row per distinct (``keys``...): counts, weighted means and the plan weight."""
    codes, uniques = group(list(keys.values()))
    n_groups = len(uniques[0])

    def total(column: np.ndarray) -> np.ndarray:
        return np.bincount(codes, weights=column, minlength=n_groups)

    out: dict[str, np.ndarray] = dict(zip(keys, uniques, strict=True))
    for c in COUNT_COLUMNS:
        out[c] = np.rint(total(contrib[c])).astype("int64")
    for m in _measures(contrib):
        w, wx = total(contrib[f"w:{m}"]), total(contrib[f"wx:{m}"])
        # Zero total weight means no child had a number: the unit has no data (NaN), not 0.
        out[m] = np.where(w > 0, wx / np.where(w > 0, w, 1.0), np.nan)
    out["plan_weight_pct"] = 100.0 * total(contrib["plan_weight"])
    return pd.DataFrame(out)


def _measures(contrib: dict[str, np.ndarray]) -> list[str]:
    """The averaged measures of a set of contributions (those with a ``w:`` column)."""
    return [k[2:] for k in contrib if k.startswith("w:")]


def _as_children(
    results: pd.DataFrame, weight: np.ndarray, keys: dict, measures: list[str]
) -> dict:
    """One level's results as contributions to the level above, each with ``weight``."""
    out = {k: np.asarray(v) for k, v in keys.items()}
    for c in COUNT_COLUMNS:
        out[c] = results[c].to_numpy(dtype="float64")
    for m in measures:
        x = results[m].to_numpy(dtype="float64")
        has = ~np.isnan(x)
        out[f"wx:{m}"] = np.where(has, weight * np.where(has, x, 0.0), 0.0)
        out[f"w:{m}"] = np.where(has, weight, 0.0)
    out["plan_weight"] = results["plan_weight_pct"].to_numpy(dtype="float64") / 100.0
    return out


def _concat(parts: list[dict]) -> dict:
    parts = [p for p in parts if p is not None and len(p["year"])]
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def nested(
    rows: dict[str, np.ndarray], tree: GoalTree, goal_weight: np.ndarray
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The one aggregation: weighted means from the leaves of the goal tree up, per unit.

    ``rows`` holds the scores rows' contributions with keys ``unit``, ``node`` (the goal each
    indicator is attached to) and ``year``. Returns the results of every (unit, goal, year)
    and of every (unit, year) (the unit's macro goals, weighted by their weights).
    """
    depth = tree.depth[rows["node"]]
    measures = _measures(rows)
    levels: list[pd.DataFrame] = []
    children = None
    for d in range(int(tree.depth.max(initial=0)), -1, -1):
        at = depth == d
        parts = [{k: v[at] for k, v in rows.items()}, children]
        if not any(p is not None and len(p["year"]) for p in parts):
            children = None
            continue
        merged = _concat(parts)
        level = aggregate(merged, {k: merged[k] for k in ("unit", "node", "year")})
        levels.append(level)
        node = level["node"].to_numpy()
        up = tree.parent[node] >= 0
        children = _as_children(
            level.loc[up],
            goal_weight[node[up]],
            {
                "unit": level["unit"].to_numpy()[up],
                "node": tree.parent[node[up]],
                "year": level["year"].to_numpy()[up],
            },
            measures,
        )
    if not levels:  # no rows at all: empty results with every column
        levels.append(aggregate(rows, {k: rows[k] for k in ("unit", "node", "year")}))
    nodes = pd.concat(levels, ignore_index=True)
    macro = nodes.loc[tree.parent[nodes["node"].to_numpy()] < 0]
    top = _as_children(
        macro,
        goal_weight[macro["node"].to_numpy()],
        {"unit": macro["unit"].to_numpy(), "year": macro["year"].to_numpy()},
        measures,
    )
    return nodes, aggregate(top, {"unit": top["unit"], "year": top["year"]})


def finish(frame: pd.DataFrame, provisional_below: float) -> pd.DataFrame:
    """``coverage_pct`` as a percentage and ``provisional`` from it."""
    n = frame["n_indicators"].to_numpy(dtype="float64")
    plain = np.where(n > 0, 100.0 * frame["n_with_value"] / np.where(n > 0, n, 1.0), np.nan)
    # a unit whose weights are all 0 has no weighted coverage: plain counts then
    frame[COVERAGE] = frame[COVERAGE].fillna(pd.Series(plain, index=frame.index))
    with np.errstate(invalid="ignore"):
        frame["provisional"] = ~(frame[COVERAGE].to_numpy() >= provisional_below)
    return frame
