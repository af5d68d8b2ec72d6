"""Weighted roll-ups of indicator scores to departments, goals and the whole plan.

The input is the *scores frame* (one row per indicator and report year, see
``docs/internal-frames.md``). Every roll-up is computed separately for each report year, and
every figure for a year uses only that year's rows.

How a unit's figures are built, in plain words
----------------------------------------------
**Three averages.** For each unit and year we report three weighted averages:

* ``conformity_pct`` — the average of the indicators' annual achievement (``achievement_pct``,
  value against that year's target), each first *capped to 0–100 %*. The cap is deliberate:
  without it one indicator at 300 % of its target would hide another at 0 %, and the unit
  would look on track while one of its commitments failed. A unit's conformity therefore says
  "how much of the year's commitments were met", never more than all of them.
* ``distance_covered_pct`` — the average share of the baseline-to-horizon distance covered,
  each indicator *bounded to −100 … 100 %*. The upper bound has the same reason as above. We
  keep negative values (rather than flooring them at 0) because an indicator that moved away
  from its target is worse than one that did not move, and the unit's figure should show it;
  the −100 % floor stops a single collapse on an indicator with a tiny planned gap (which can
  produce −900 %) from swamping every other indicator. Each indicator can therefore move the
  average by at most its weight, in either direction.
* ``progress_score`` — the average Open SDG progress score, already on a −5 … 5 scale.

**Missing numbers are left out, not counted as zero.** An indicator without a number for a
measure (no report, no target, …) is dropped from that average and the weights of the others
are rescaled so they sum to one. A unit in which *no* indicator has a number gets ``NaN``
(shown as "no data"), never 0 %, because 0 % would claim a measured failure. How much of the
unit the averages rest on is reported beside them: ``n_with_value`` indicators with a reported
value out of ``n_indicators`` (``coverage_pct``), and the status counts, in which a missing
status counts as ``not_available``. An indicator counts in a year when the scores frame has a
row for it; the scores frame has one row per indicator and report year, so a blank report is a
row with ``NaN``, not a missing row.

**Who weighs what.**

* *Department*: the department's own indicators, each with its indicator ``weight``.
* *Goal*: a goal's children are (a) its sub-goals, each counting with the sub-goal's
  ``weight`` and carrying the sub-goal's own result, and (b) the indicators attached directly
  to it, each counting with its indicator ``weight``. In the usual two-level plan a micro goal
  (هدف خرد) is the weighted average of its indicators and a macro goal (هدف کلان) is the
  weighted average of its micro goals' results, so a micro goal with weight 2 counts twice as
  much as one with weight 1 however many indicators each has. A sub-goal without a number in
  a year is left out and the other children's weights rescaled, as for indicators. Deeper trees
  are handled the same way, from the leaves up.
* *Plan*: the weighted average of the macro goals' results, with the macro goals' ``weight``.

Counts (``n_indicators``, ``n_with_value`` and the status counts) are plain totals of all the
indicators below a unit; they are not weighted. A goal with no indicator anywhere below it has
no rows. Weights left blank count as 1 (the data-contract default); negative weights are
refused.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.measures.progress import STATUSES

__all__ = [
    "ROLLUP_MEASURES",
    "rollup",
    "change_against_previous",
]


#: Roll-up column -> (scores column it averages, lower bound, upper bound) applied per indicator.
ROLLUP_MEASURES: dict[str, tuple[str, float, float]] = {
    "conformity_pct": ("achievement_pct", 0.0, 100.0),
    "distance_covered_pct": ("distance_covered_pct", -100.0, 100.0),
    "progress_score": ("score", -5.0, 5.0),
}

_COUNT_COLUMNS = ["n_indicators", "n_with_value"] + [f"n_{s}" for s in STATUSES]
_OUTPUT_COLUMNS = [
    "n_indicators",
    "n_with_value",
    *ROLLUP_MEASURES,
    *(f"n_{s}" for s in STATUSES),
    "coverage_pct",
]


#: A set of contributions: one entry per column, all arrays of the same length. Plain NumPy
#: arrays (not a DataFrame) because the roll-up is a handful of bincounts and this keeps
#: 100,000 indicators x 6 years well under half a second.
_Contrib = dict[str, np.ndarray]


def _clean_weights(weight: pd.Series, what: str, ids: pd.Series) -> np.ndarray:
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


def _contributions(
    keys: _Contrib, counts: _Contrib, weight: np.ndarray, values: dict[str, np.ndarray]
) -> _Contrib:
    """Weighted-sum (``wx:``) and weight-sum (``w:``) columns of each measure, plus counts.

    ``values`` maps each roll-up measure to one number per row (NaN = no number). A row's
    weight only enters the denominator of measures for which it has a number; that is what
    renormalises the weights over the rows that have one.
    """
    out = {**keys, **counts}
    for measure, x in values.items():
        has = ~np.isnan(x)
        out[f"wx:{measure}"] = np.where(has, weight * np.where(has, x, 0.0), 0.0)
        out[f"w:{measure}"] = np.where(has, weight, 0.0)
    return out


def _select(contrib: _Contrib, mask: np.ndarray) -> _Contrib:
    return {k: v[mask] for k, v in contrib.items()}


def _concat(parts: list[_Contrib]) -> _Contrib:
    return {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}


def _indicator_contributions(
    scores: pd.DataFrame, indicators: pd.DataFrame
) -> tuple[_Contrib, pd.Index, pd.Index]:
    """One contribution per scores row, keyed by integer department and goal codes.

    Returns the contributions (keys ``dept``, ``goal``, ``year``) and the department and goal
    ids the codes index into.
    """
    needed = {"indicator_id", "year", "value", "status"} | {
        src for src, _, _ in ROLLUP_MEASURES.values()
    }
    missing = sorted(needed - set(scores.columns))
    if missing:
        raise PlanmonError(f"the scores frame lacks column(s) {', '.join(missing)}")
    missing = sorted({"indicator_id", "dept_id", "goal_id", "weight"} - set(indicators.columns))
    if missing:
        raise PlanmonError(f"the indicators frame lacks column(s) {', '.join(missing)}")

    # The plan's indicator table is the authority on department, goal and weight.
    ind_index = pd.Index(indicators["indicator_id"])
    if not ind_index.is_unique:
        dup = ind_index[ind_index.duplicated()][0]
        raise PlanmonError(f"indicator id {dup!r} appears twice in the indicators frame")
    # Look up each distinct id once rather than every row: string hashing dominates otherwise.
    id_codes, id_uniques = pd.factorize(scores["indicator_id"])
    unique_pos = ind_index.get_indexer(id_uniques)
    if (id_codes < 0).any():
        raise PlanmonError("the scores frame has a row without an indicator_id")
    if (unique_pos < 0).any():
        raise PlanmonError(
            f"the scores frame has indicator {id_uniques[unique_pos < 0][0]!r}, "
            "which is not in the indicators frame"
        )
    row_ind = unique_pos[id_codes]
    dept_codes, dept_ids = pd.factorize(indicators["dept_id"])
    goal_codes, goal_ids = pd.factorize(indicators["goal_id"])
    for what, codes in (("dept_id", dept_codes), ("goal_id", goal_codes)):
        if (codes < 0).any():
            raise PlanmonError(
                f"indicator {ind_index[codes < 0][0]!r} has no {what} in the indicators frame"
            )
    ind_weight = _clean_weights(indicators["weight"], "indicator", indicators["indicator_id"])

    year = pd.to_numeric(scores["year"], errors="coerce")
    if year.isna().any():
        raise PlanmonError("the scores frame has a row without a year")
    year = year.to_numpy().astype("int64")
    pair = row_ind.astype("int64") * (year.max(initial=0) - year.min(initial=0) + 1) + (
        year - year.min(initial=0)
    )
    if not pd.Index(pair).is_unique:
        first = np.flatnonzero(pd.Index(pair).duplicated())[0]
        raise PlanmonError(
            f"the scores frame has two rows for indicator {ind_index[row_ind[first]]!r} "
            f"in {year[first]}; it must have one row per indicator and year"
        )

    # A blank status is a missing measure: it counts as not_available.
    status_codes, status_words = pd.factorize(scores["status"])
    position = {s: k for k, s in enumerate(STATUSES)}
    unknown_words = [w for w in status_words if w not in position]
    if unknown_words:
        raise PlanmonError(
            f"unknown status {unknown_words[0]!r} in the scores frame; "
            f"expected one of {', '.join(STATUSES)}"
        )
    lookup = np.array(
        [position[w] for w in status_words] + [position["not_available"]], dtype="int64"
    )
    status_pos = lookup[status_codes]  # code -1 (blank) picks the appended not_available

    counts = {
        "n_indicators": np.ones(len(year), dtype="int64"),
        "n_with_value": scores["value"].notna().to_numpy().astype("int64"),
    }
    for k, s in enumerate(STATUSES):
        counts[f"n_{s}"] = (status_pos == k).astype("int64")
    values = {}
    for measure, (src, low, high) in ROLLUP_MEASURES.items():
        x = pd.to_numeric(scores[src], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        # np.clip keeps NaN as NaN, so a missing number stays missing.
        values[measure] = np.clip(x, low, high)
    keys = {"dept": dept_codes[row_ind], "goal": goal_codes[row_ind], "year": year}
    return _contributions(keys, counts, ind_weight[row_ind], values), dept_ids, goal_ids


def _aggregate(contrib: _Contrib, unit: str | None) -> pd.DataFrame:
    """Sum the contributions per (``unit``, year) and turn the sums into weighted means.

    Returns a frame sorted by unit code then year, with column ``unit`` (the integer code;
    absent when ``unit`` is None) and ``year``.
    """
    year = contrib["year"]
    y0 = year.min(initial=0)
    span = year.max(initial=0) - y0 + 1
    key = (year - y0) if unit is None else contrib[unit].astype("int64") * span + (year - y0)
    group, uniques = pd.factorize(key, sort=True)
    n_groups = len(uniques)

    def total(column: np.ndarray) -> np.ndarray:
        return np.bincount(group, weights=column, minlength=n_groups)

    out: dict[str, np.ndarray] = {}
    if unit is not None:
        out["unit"] = uniques // span
    out["year"] = uniques % span + y0
    for c in _COUNT_COLUMNS:
        out[c] = np.rint(total(contrib[c])).astype("int64")
    for m in ROLLUP_MEASURES:
        w = total(contrib[f"w:{m}"])
        wx = total(contrib[f"wx:{m}"])
        # Zero total weight means no child had a number: the unit has no data (NaN), not 0.
        out[m] = np.where(w > 0, wx / np.where(w > 0, w, 1.0), np.nan)
    n = out["n_indicators"].astype("float64")
    out["coverage_pct"] = np.where(
        n > 0, 100.0 * out["n_with_value"] / np.where(n > 0, n, 1.0), np.nan
    )
    return pd.DataFrame(out)


def _as_child_contributions(
    results: pd.DataFrame, weight: np.ndarray, parent: np.ndarray
) -> _Contrib:
    """Turn one level's results into contributions to their parents (key ``unit``)."""
    keys = {"unit": parent.astype("int64"), "year": results["year"].to_numpy(dtype="int64")}
    counts = {c: results[c].to_numpy(dtype="int64") for c in _COUNT_COLUMNS}
    values = {m: results[m].to_numpy(dtype="float64") for m in ROLLUP_MEASURES}
    return _contributions(keys, counts, weight, values)


def _goal_tree(goals: pd.DataFrame) -> tuple[pd.Index, np.ndarray, np.ndarray, np.ndarray]:
    """Return goal ids, parent positions (-1 = macro), depths (0 = macro) and weights.

    Refuses duplicate ids, unknown parents and cycles.
    """
    missing = sorted({"goal_id", "parent_id", "weight"} - set(goals.columns))
    if missing:
        raise PlanmonError(f"the goals frame lacks column(s) {', '.join(missing)}")
    ids = pd.Index(goals["goal_id"])
    if not ids.is_unique:
        raise PlanmonError(f"goal id {ids[ids.duplicated()][0]!r} appears twice")
    has_parent = goals["parent_id"].notna().to_numpy()
    parent = np.where(has_parent, ids.get_indexer(goals["parent_id"]), -1)
    orphan = has_parent & (parent < 0)
    if orphan.any():
        k = np.flatnonzero(orphan)[0]
        raise PlanmonError(
            f"goal {ids[k]!r} has parent {goals['parent_id'].iloc[k]!r}, which is not a goal"
        )
    weight = _clean_weights(goals["weight"], "goal", goals["goal_id"])

    depth = np.zeros(len(ids), dtype="int64")
    ancestor = parent.copy()
    # A tree of n goals is at most n - 1 deep; walking further means a cycle. Validation
    # rejects cycles, but the bound keeps a bad frame from looping forever.
    for _ in range(len(ids) + 1):
        has = ancestor >= 0
        if not has.any():
            break
        depth[has] += 1
        ancestor = np.where(has, parent[np.where(has, ancestor, 0)], -1)
    else:
        raise PlanmonError("the goal tree has a cycle (a goal is its own ancestor)")
    return ids, parent, depth, weight


def _rollup_goals(
    contrib: _Contrib, goal_ids: pd.Index, goals: pd.DataFrame
) -> tuple[pd.DataFrame, np.ndarray]:
    """Goal-level results (``unit`` = row position in ``goals``) and the goal weights."""
    ids, parent, depth, weight = _goal_tree(goals)
    position = ids.get_indexer(goal_ids)
    if (position < 0).any():
        raise PlanmonError(
            f"goal {goal_ids[position < 0][0]!r} of the indicators frame is not in the goals frame"
        )
    unit_of_row = position[contrib["goal"]]
    contrib = {k: v for k, v in contrib.items() if k not in ("dept", "goal")}
    contrib["unit"] = unit_of_row
    ind_depth = depth[contrib["unit"]]

    levels = []
    children: _Contrib | None = None
    # From the leaves up: each level's results become contributions to the level above.
    for d in range(int(depth.max(initial=0)), -1, -1):
        parts = [_select(contrib, ind_depth == d)]
        if children is not None:
            parts.append(children)
        parts = [p for p in parts if len(p["year"])]
        if not parts:
            children = None
            continue
        level = _aggregate(_concat(parts), "unit")
        levels.append(level)
        unit = level["unit"].to_numpy()
        up = parent[unit] >= 0
        children = _as_child_contributions(level.loc[up], weight[unit[up]], parent[unit[up]])

    cols = ["goal_id", "year", "goal_level", "parent_id", "depth", *_OUTPUT_COLUMNS]
    if not levels:
        return pd.DataFrame({c: [] for c in ["unit", *cols]}), weight
    out = pd.concat(levels, ignore_index=True)
    unit = out["unit"].to_numpy()
    out["goal_id"] = ids.take(unit)
    out["parent_id"] = goals["parent_id"].iloc[unit].to_numpy()
    out["depth"] = depth[unit]
    out["goal_level"] = np.where(depth[unit] == 0, "macro", "micro")
    out = out.sort_values(["depth", "goal_id", "year"], ignore_index=True)
    return out[["unit", *cols]], weight


def rollup(
    scores: pd.DataFrame,
    indicators: pd.DataFrame,
    goals: pd.DataFrame | None,
    level: Literal["department", "goal", "plan"],
) -> pd.DataFrame:
    """Weighted roll-up of the scores frame to departments, goals or the whole plan, per year.

    Parameters
    ----------
    scores : pandas.DataFrame
        The scores frame: one row per indicator and report year with at least
        ``indicator_id, year, value, achievement_pct, distance_covered_pct, score, status``.
    indicators : pandas.DataFrame
        ``indicator_id, dept_id, goal_id, weight`` (weight blank = 1). It decides each
        indicator's department, goal and weight.
    goals : pandas.DataFrame or None
        ``goal_id, parent_id (NA = macro goal), weight`` (weight blank = 1). Needed for the
        ``"goal"`` and ``"plan"`` levels; ignored for ``"department"``.
    level : {"department", "goal", "plan"}
        Which units to roll up to. The weighting rules are in the module docstring.

    Returns
    -------
    pandas.DataFrame
        One row per unit and year, sorted. Keys: ``dept_id, year`` (department);
        ``goal_id, year, goal_level ("macro"|"micro"), parent_id, depth`` (goal; depth 0 =
        macro goal); ``year`` (plan). Then ``n_indicators``, ``n_with_value`` (counts),
        ``conformity_pct`` (%, 0–100), ``distance_covered_pct`` (%, −100–100),
        ``progress_score`` (−5–5), ``n_<status>`` for each of :data:`STATUSES`, and
        ``coverage_pct`` (% of indicators with a reported value). A mean is ``NaN`` when no
        indicator below the unit has a number for it.

    Raises
    ------
    PlanmonError
        On a missing column, an indicator or goal that the plan does not know, two rows for
        one indicator and year, an unknown status word, a negative weight, or a goal tree with
        a cycle.

    Examples
    --------
    >>> import pandas as pd
    >>> scores = pd.DataFrame({"indicator_id": ["a", "b"], "year": [1398, 1398],
    ...     "value": [8.0, 5.0], "achievement_pct": [80.0, 50.0],
    ...     "distance_covered_pct": [60.0, 20.0], "score": [2.0, -1.0],
    ...     "status": ["moderate_progress", "limited_progress"]})
    >>> indicators = pd.DataFrame({"indicator_id": ["a", "b"], "dept_id": ["parks", "parks"],
    ...     "goal_id": ["G1", "G1"], "weight": [2.0, 1.0]})
    >>> rollup(scores, indicators, None, "department")["conformity_pct"].round(1).tolist()
    [70.0]
    """
    if level not in ("department", "goal", "plan"):
        raise PlanmonError(f"unknown roll-up level {level!r}; use department, goal or plan")
    contrib, dept_ids, goal_ids = _indicator_contributions(scores, indicators)

    if level == "department":
        out = _aggregate(contrib, "dept")
        out.insert(0, "dept_id", dept_ids.take(out["unit"].to_numpy()))
        return out[["dept_id", "year", *_OUTPUT_COLUMNS]]

    if goals is None:
        raise PlanmonError(f"the {level!r} roll-up needs the goals frame")
    by_goal, goal_weight = _rollup_goals(contrib, goal_ids, goals)
    if level == "goal":
        return by_goal.drop(columns="unit")

    macro = by_goal.loc[by_goal["depth"] == 0]
    unit = macro["unit"].to_numpy(dtype="int64")
    top = _as_child_contributions(macro, goal_weight[unit], np.zeros(len(macro), dtype="int64"))
    out = _aggregate(top, None)
    return out[["year", *_OUTPUT_COLUMNS]]


def change_against_previous(rolled: pd.DataFrame, by: str | Sequence[str] | None) -> pd.DataFrame:
    """Add the change of conformity and progress score since the unit's previous report year.

    Parameters
    ----------
    rolled : pandas.DataFrame
        Output of :func:`rollup` (any frame with ``year``, ``conformity_pct`` and
        ``progress_score`` works).
    by : str, sequence of str or None
        Column(s) naming the unit, e.g. ``"dept_id"`` or ``"goal_id"``; ``None`` or ``[]``
        for the plan level (the whole frame is one unit).

    Returns
    -------
    pandas.DataFrame
        A copy sorted by unit and year with three more columns: ``previous_year`` (the unit's
        previous report year in the frame as a float, NaN for its first), ``conformity_change`` (this
        year's ``conformity_pct`` minus the previous one, percentage points) and
        ``score_change`` (the same for ``progress_score``, score points). Both are ``NaN`` for
        a unit's first year or when either year has no number.

    Notes
    -----
    "Previous" is the previous year *present for that unit*; roll-ups have a row for every
    report year of every unit with indicators, so this is normally ``year - 1``. The
    ``previous_year`` column states the year compared with, so a text never has to guess.
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    missing = sorted({*keys, "year", "conformity_pct", "progress_score"} - set(rolled.columns))
    if missing:
        raise PlanmonError(f"the rolled-up frame lacks column(s) {', '.join(missing)}")
    out = rolled.sort_values([*keys, "year"], ignore_index=True)
    if out[[*keys, "year"]].duplicated().any():
        raise PlanmonError("the rolled-up frame has two rows for one unit and year")
    cols = ["year", "conformity_pct", "progress_score"]
    prev = out.groupby(keys, sort=False)[cols].shift(1) if keys else out[cols].shift(1)
    # float64 with NaN (not nullable Int64) as the frames contract asks for missing numbers;
    # an Int64 column would also turn NaN into pd.NA in every row read with .loc/.iloc.
    out["previous_year"] = prev["year"].astype("float64")
    out["conformity_change"] = out["conformity_pct"] - prev["conformity_pct"]
    out["score_change"] = out["progress_score"] - prev["progress_score"]
    return out
