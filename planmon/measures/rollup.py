"""Weighted roll-ups of indicator scores: one function, one weighting rule, every level.

The input is the *scores frame* (one row per indicator and report year, see
``docs/internal-frames.md``). :func:`rollup` gives, for each report year and using only that
year's rows, the figures of one of five kinds of unit:

==================  ================================================================
level               unit
==================  ================================================================
``department``      a department (its own indicators)
``goal``            every goal, macro (هدف کلان) and micro (هدف خرد), with all the
                    indicators anywhere below it
``department-goal`` a department × a macro goal: the department's indicators under it
``plan``            the whole plan
==================  ================================================================

The weighting rule
------------------
**One rule for every unit: weighted means down the goal tree, over what was measured.** A
unit's figure is computed on the goal tree *pruned to the unit's indicators*, from the leaves
up: each goal's figure is the weighted mean of its children that have a number — its
sub-goals, each with the sub-goal's ``weight``, and the indicators attached directly to it,
each with the indicator's ``weight`` — and the unit's figure is the weighted mean of its macro
goals' figures, each with the macro goal's ``weight``. A child without a number in a year is
left out and the other children's weights are rescaled, at every level. So:

* a goal's figure uses the whole tree below it, and the plan's the whole tree; in the usual
  two-level plan a micro goal with weight 2 counts twice as much as one with weight 1 however
  many indicators each has;
* a department × macro goal cell (the heat map) uses the macro goal's tree pruned to the
  department's indicators, and a department's figure (the ranking, tables, cards) is the
  weighted mean of its cells with the macro goals' weights — the pages never disagree;
* without a goals frame (allowed for the department level only) the tree is flat: the unit's
  figure is the mean of its indicators weighted by their ``weight``.

This is the aggregation of the SDSN *Sustainable Development Report*, which scores each goal
as the mean of its indicators with data and the index as the mean of the goals, level by
level; a missing indicator is stood in for by its siblings, not by the whole plan. When every
indicator has a number the rule equals a plain weighted mean with each indicator's *plan
weight* (:func:`~planmon.measures.weights.plan_weights`, the product of its shares down the
tree). Weights left blank count as 1 (the data-contract default); negative weights are refused.

The measures
------------
* ``conformity_pct`` — the mean annual achievement (``achievement_pct``), each indicator first
  *capped to 0–100 %*: one indicator at 300 % of its target must not hide another at 0 %, so a
  unit's conformity says "how much of the year's commitments were met", never more than all.
* ``distance_covered_pct`` — the mean share of the baseline-to-horizon distance covered, each
  indicator *bounded to −100 … 100 %*: negative values stay (moving away from the target is
  worse than not moving) but one collapse on a tiny planned gap (−900 %) cannot swamp the rest.
* ``progress_score`` — the mean Open SDG progress score, already on a −5 … 5 scale.

**Missing numbers are left out, not counted as zero**: an indicator without a number for a
measure drops out of that mean and the other plan weights are rescaled. A unit in which no
indicator has a number gets ``NaN`` ("no data"), never 0 %, because 0 % would claim a measured
failure. An indicator whose targets contradict its direction has no conformity or distance
(:func:`planmon.measures.common.targets_against_direction`) but keeps its progress score.

Coverage, provisional figures, reports received, ranks
------------------------------------------------------
* ``coverage_pct`` — the share of the unit's weight whose indicators have a reported value in
  the year (100 = every indicator reported): the same rule applied to "has a value" (100 or 0,
  never missing), so it is the weight the means above rest on.
* ``provisional`` — True when ``coverage_pct`` is below ``provisional_below`` (default
  :data:`DEFAULT_PROVISIONAL_BELOW` = 80 %, settable per plan with the plan-settings key
  :data:`PROVISIONAL_SETTING`). The threshold follows the SDSN *Sustainable Development
  Report*, which computes no SDG Index score or rank for a country missing data on more than
  20 % of the indicators (https://dashboards.sdgindex.org/chapters/methodology).
* ``reported`` (department and department-goal levels) — the department sent a report for the
  year (from the ``reports`` frame when given, else: at least one of its values is there).
* ``rank`` (department level) — 1 = best ``progress_score``, computed per year over the
  departments that reported, are not provisional and have a score; the others get no rank
  (NaN). Ties share the best rank ("1, 2, 2, 4"); scores equal to six decimals tie.
  ``n_ranked`` is the number of departments ranked that year.
* ``n_departments``, ``n_departments_reported`` (goal and plan levels) — departments with
  indicators in the unit, and how many of them reported.

Counts (``n_indicators``, ``n_with_value`` and ``n_<status>``) are plain totals of the
indicators below a unit, not weighted; a blank status counts as ``not_available``.
``plan_weight_pct`` is the unit's share of the plan's weight in percent.

:func:`change_against_previous` compares each unit with its previous report year; a change
involving a provisional year is not comparable (its changes are NaN, ``change_comparable``
False), so a provisional year is never reported as a gain or a loss.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.goals import GoalTree, goal_tree
from planmon.measures.common import STATUSES
from planmon.measures.nesting import COVERAGE, finish, group, nested
from planmon.measures.weights import clean_weights, plan_weights

__all__ = [
    "STATUSES",
    "ROLLUP_LEVELS",
    "ROLLUP_MEASURES",
    "DEFAULT_PROVISIONAL_BELOW",
    "PROVISIONAL_SETTING",
    "plan_weights",
    "rollup",
    "change_against_previous",
]

#: Roll-up levels, in the order of :func:`rollup`'s table.
ROLLUP_LEVELS: tuple[str, ...] = ("department", "goal", "department-goal", "plan")

#: Roll-up column -> (scores column it averages, lower bound, upper bound) applied per indicator.
ROLLUP_MEASURES: dict[str, tuple[str, float, float]] = {
    "conformity_pct": ("achievement_pct", 0.0, 100.0),
    "distance_covered_pct": ("distance_covered_pct", -100.0, 100.0),
    "progress_score": ("score", -5.0, 5.0),
}

#: Coverage (percent of the plan weight) below which a unit's figures are provisional.
DEFAULT_PROVISIONAL_BELOW = 80.0
#: The plan-settings key that overrides :data:`DEFAULT_PROVISIONAL_BELOW` (percent).
PROVISIONAL_SETTING = "provisional_below_pct"

_MEASURE_COLUMNS = [
    "n_indicators",
    "n_with_value",
    *ROLLUP_MEASURES,
    *(f"n_{s}" for s in STATUSES),
    "coverage_pct",
    "provisional",
    "plan_weight_pct",
]


# ---------------------------------------------------------------------------------- rows


def _status_positions(status: pd.Series) -> np.ndarray:
    """Position of each status in :data:`STATUSES`; a blank status is ``not_available``."""
    codes, words = pd.factorize(status)
    position = {s: k for k, s in enumerate(STATUSES)}
    unknown_words = [w for w in words if w not in position]
    if unknown_words:
        raise PlanmonError(
            f"unknown status {unknown_words[0]!r} in the scores frame; "
            f"expected one of {', '.join(STATUSES)}"
        )
    lookup = np.array([position[w] for w in words] + [position["not_available"]], dtype="int64")
    return lookup[codes]  # code -1 (blank) picks the appended not_available


def _row_indicators(scores: pd.DataFrame, indicators: pd.DataFrame) -> np.ndarray:
    """Position in ``indicators`` of each scores row (the plan decides department and goal)."""
    needed = {"indicator_id", "year", "value", "status"} | {
        src for src, _, _ in ROLLUP_MEASURES.values()
    }
    missing = sorted(needed - set(scores.columns))
    if missing:
        raise PlanmonError(f"the scores frame lacks column(s) {', '.join(missing)}")
    missing = sorted({"indicator_id", "dept_id", "goal_id", "weight"} - set(indicators.columns))
    if missing:
        raise PlanmonError(f"the indicators frame lacks column(s) {', '.join(missing)}")
    ind_index = pd.Index(indicators["indicator_id"])
    if not ind_index.is_unique:
        dup = ind_index[ind_index.duplicated()][0]
        raise PlanmonError(f"indicator id {dup!r} appears twice in the indicators frame")
    # Look up each distinct id once rather than every row: string hashing dominates otherwise.
    id_codes, id_uniques = pd.factorize(scores["indicator_id"])
    if (id_codes < 0).any():
        raise PlanmonError("the scores frame has a row without an indicator_id")
    unique_pos = ind_index.get_indexer(id_uniques)
    if (unique_pos < 0).any():
        raise PlanmonError(
            f"the scores frame has indicator {id_uniques[unique_pos < 0][0]!r}, "
            "which is not in the indicators frame"
        )
    return unique_pos[id_codes]


def _years(scores: pd.DataFrame, row_ind: np.ndarray, ids: pd.Index) -> np.ndarray:
    year = pd.to_numeric(scores["year"], errors="coerce")
    if year.isna().any():
        raise PlanmonError("the scores frame has a row without a year")
    year = year.to_numpy().astype("int64")
    span = year.max(initial=0) - year.min(initial=0) + 1
    pair = pd.Index(row_ind.astype("int64") * span + (year - year.min(initial=0)))
    if not pair.is_unique:
        first = np.flatnonzero(pair.duplicated())[0]
        raise PlanmonError(
            f"the scores frame has two rows for indicator {ids[row_ind[first]]!r} "
            f"in {year[first]}; it must have one row per indicator and year"
        )
    return year


def _contributions(
    scores: pd.DataFrame, row_ind: np.ndarray, weight: np.ndarray, share: np.ndarray
) -> dict[str, np.ndarray]:
    """Per scores row: counts, and weighted sums (``wx:``) and weights (``w:``) per measure.

    A row's weight enters the denominator of a measure only when it has a number for it:
    that is what rescales the other weights over the rows that have one.
    """
    status_pos = _status_positions(scores["status"])
    has_value = scores["value"].notna().to_numpy()
    out = {"n_indicators": np.ones(len(row_ind)), "n_with_value": has_value.astype("float64")}
    for k, s in enumerate(STATUSES):
        out[f"n_{s}"] = (status_pos == k).astype("float64")
    w = weight[row_ind]
    values = {COVERAGE: np.where(has_value, 100.0, 0.0)}
    for measure, (src, low, high) in ROLLUP_MEASURES.items():
        x = pd.to_numeric(scores[src], errors="coerce").to_numpy(dtype="float64", na_value=np.nan)
        values[measure] = np.clip(x, low, high)  # NaN stays NaN: a missing number stays missing
    for measure, x in values.items():
        has = ~np.isnan(x)
        out[f"wx:{measure}"] = np.where(has, w * np.where(has, x, 0.0), 0.0)
        out[f"w:{measure}"] = np.where(has, w, 0.0)
    out["plan_weight"] = share[row_ind]
    return out


# ---------------------------------------------------------------------------------- levels


class _Rows:
    """The scores rows: indicator, department, goal, year, and their contributions."""

    def __init__(
        self,
        scores: pd.DataFrame,
        indicators: pd.DataFrame,
        goals: pd.DataFrame | None,
    ):
        self.ind = _row_indicators(scores, indicators)
        year = _years(scores, self.ind, pd.Index(indicators["indicator_id"]))
        self.first_year = int(year.min(initial=0))
        self.year = year - self.first_year
        dept_codes, self.dept_ids = pd.factorize(indicators["dept_id"])
        if (dept_codes < 0).any():
            bad = indicators["indicator_id"].to_numpy()[dept_codes < 0][0]
            raise PlanmonError(f"indicator {bad!r} has no dept_id in the indicators frame")
        self.dept = dept_codes[self.ind]
        weight = clean_weights(indicators["weight"], "indicator", indicators["indicator_id"])
        if goals is None:  # a flat plan: one root, every indicator attached to it
            self.tree = GoalTree(
                ids=pd.Index(["(plan)"], dtype=object),
                parent=np.array([-1]),
                depth=np.array([0]),
                macro=np.array([0]),
            )
            self.goal_weight = np.ones(1)
            self.node = np.zeros(len(self.ind), dtype="int64")
        else:
            self.tree = goal_tree(goals)
            self.goal_weight = clean_weights(goals["weight"], "goal", goals["goal_id"])
            self.node = self.tree.positions(indicators["goal_id"])[self.ind]
        share = plan_weights(indicators, goals).to_numpy()
        self.contrib = _contributions(scores, self.ind, weight, share)

    def keyed(self, unit: np.ndarray) -> dict[str, np.ndarray]:
        return {"unit": unit, "node": self.node, "year": self.year, **self.contrib}

    def reported(self, reports: pd.DataFrame | None) -> np.ndarray:
        """``table[dept, year]``: the department reported in the year."""
        n_dept, n_year = len(self.dept_ids), int(self.year.max(initial=0)) + 1
        if reports is None:
            seen = np.bincount(
                self.dept * n_year + self.year,
                weights=self.contrib["n_with_value"],
                minlength=n_dept * n_year,
            )
            return (seen > 0).reshape(n_dept, n_year)
        missing = sorted({"dept_id", "year"} - set(reports.columns))
        if missing:
            raise PlanmonError(f"the reports frame lacks column(s) {', '.join(missing)}")
        table = np.zeros((n_dept, n_year), dtype=bool)
        dept = self.dept_ids.get_indexer(reports["dept_id"])
        year = pd.to_numeric(reports["year"], errors="coerce").to_numpy() - self.first_year
        ok = (dept >= 0) & (year >= 0) & (year < n_year)
        table[dept[ok], year[ok].astype("int64")] = True
        return table


def _departments_per_unit(
    frame: pd.DataFrame, keys: list[np.ndarray], dept: np.ndarray, reported: np.ndarray
) -> pd.DataFrame:
    """Add ``n_departments`` and ``n_departments_reported`` to a frame keyed by unit, year."""
    _, (u, y, d) = group([*keys, dept])
    pairs = pd.DataFrame({"unit": u, "year": y, "reported": reported[d, y]})
    counts = pairs.groupby(["unit", "year"]).agg(
        n_departments=("reported", "size"), n_departments_reported=("reported", "sum")
    )
    return frame.join(counts, on=["unit", "year"])


def _ranked(frame: pd.DataFrame) -> pd.DataFrame:
    """``rank`` (1 = best score) over the reported, non-provisional departments of each year."""
    eligible = frame["reported"] & ~frame["provisional"] & frame["progress_score"].notna()
    score = frame["progress_score"].where(eligible).round(6)
    frame["rank"] = score.groupby(frame["year"]).rank(method="min", ascending=False)
    frame["n_ranked"] = eligible.groupby(frame["year"]).transform("sum").astype("int64")
    return frame


def _department_level(rows: _Rows, reported: np.ndarray, below: float) -> pd.DataFrame:
    _, out = nested(rows.keyed(rows.dept), rows.tree, rows.goal_weight)
    out = finish(out, below)
    unit, year = out["unit"].to_numpy(), out["year"].to_numpy()
    out.insert(0, "dept_id", rows.dept_ids.take(unit))
    out["reported"] = reported[unit, year]
    out = _ranked(out)
    return out[["dept_id", "year", *_MEASURE_COLUMNS, "reported", "rank", "n_ranked"]]


def _department_goal_level(rows: _Rows, reported: np.ndarray, below: float) -> pd.DataFrame:
    nodes, _ = nested(rows.keyed(rows.dept), rows.tree, rows.goal_weight)
    out = finish(nodes.loc[rows.tree.parent[nodes["node"].to_numpy()] < 0].copy(), below)
    out = out.sort_values(["unit", "node", "year"], ignore_index=True)
    unit, year = out["unit"].to_numpy(), out["year"].to_numpy()
    out.insert(0, "dept_id", rows.dept_ids.take(unit))
    out.insert(1, "goal_id", rows.tree.ids.take(out["node"].to_numpy()))
    out["reported"] = reported[unit, year]
    return out[["dept_id", "goal_id", "year", *_MEASURE_COLUMNS, "reported"]]


def _goal_level(
    rows: _Rows, reported: np.ndarray, goals: pd.DataFrame, below: float
) -> pd.DataFrame:
    tree = rows.tree
    nodes, _ = nested(rows.keyed(np.zeros(len(rows.year), dtype="int64")), tree, rows.goal_weight)
    out = finish(nodes, below).rename(columns={"unit": "_plan", "node": "unit"})
    # departments under each goal: each row counts for its goal and every goal above it
    units, years, depts = [rows.node[:0]], [rows.year[:0]], [rows.dept[:0]]
    ancestor = rows.node.copy()
    while (ancestor >= 0).any():
        keep = ancestor >= 0
        units.append(ancestor[keep])
        years.append(rows.year[keep])
        depts.append(rows.dept[keep])
        ancestor = np.where(keep, tree.parent[np.maximum(ancestor, 0)], -1)
    keys = [np.concatenate(units), np.concatenate(years)]
    out = _departments_per_unit(out, keys, np.concatenate(depts), reported)
    u = out["unit"].to_numpy()
    out["goal_id"] = tree.ids.take(u)
    out["parent_id"] = goals["parent_id"].iloc[u].to_numpy()
    out["depth"] = tree.depth[u]
    out["goal_level"] = np.where(tree.depth[u] == 0, "macro", "micro")
    out = out.sort_values(["depth", "goal_id", "year"], ignore_index=True, kind="stable")
    cols = ["goal_id", "year", "goal_level", "parent_id", "depth", *_MEASURE_COLUMNS]
    return out[[*cols, "n_departments", "n_departments_reported"]]


def _plan_level(rows: _Rows, reported: np.ndarray, below: float) -> pd.DataFrame:
    unit = np.zeros(len(rows.year), dtype="int64")
    _, out = nested(rows.keyed(unit), rows.tree, rows.goal_weight)
    out = _departments_per_unit(finish(out, below), [unit, rows.year], rows.dept, reported)
    return out[["year", *_MEASURE_COLUMNS, "n_departments", "n_departments_reported"]]


def _check_arguments(level: str, goals: pd.DataFrame | None, provisional_below: float) -> None:
    if level not in ROLLUP_LEVELS:
        raise PlanmonError(
            f"unknown roll-up level {level!r}; use one of {', '.join(ROLLUP_LEVELS)}"
        )
    if not 0 <= float(provisional_below) <= 100:
        raise PlanmonError(
            f"provisional_below must be a percentage between 0 and 100; got {provisional_below!r}"
        )
    if goals is None and level != "department":
        raise PlanmonError(f"the {level!r} roll-up needs the goals frame")


def rollup(
    scores: pd.DataFrame,
    indicators: pd.DataFrame,
    goals: pd.DataFrame | None,
    level: str,
    *,
    reports: pd.DataFrame | None = None,
    provisional_below: float = DEFAULT_PROVISIONAL_BELOW,
) -> pd.DataFrame:
    """Weighted roll-up of the scores frame to one level of units, per report year.

    Parameters
    ----------
    scores : pandas.DataFrame
        The scores frame: one row per indicator and report year with at least
        ``indicator_id, year, value, achievement_pct, distance_covered_pct, score, status``.
    indicators : pandas.DataFrame
        ``indicator_id, dept_id, goal_id, weight`` (weight blank = 1). It decides each
        indicator's department, goal and weight.
    goals : pandas.DataFrame or None
        ``goal_id, parent_id (blank = macro goal), weight`` (weight blank = 1). Needed for
        every level but ``"department"`` (without it the plan weights are the indicators').
    level : {"department", "goal", "department-goal", "plan"}
        Which units to roll up to; the weighting rule is in the module docstring.
    reports : pandas.DataFrame, optional
        ``dept_id, year`` of the reports received (``Plan.report_files``); without it a
        department counts as reported in a year when one of its values is there.
    provisional_below : float, default 80
        Coverage (percent of the plan weight) below which a row is ``provisional``.

    Returns
    -------
    pandas.DataFrame
        One row per unit and year, sorted. Keys: ``dept_id, year`` (department); ``goal_id,
        year, goal_level ("macro"|"micro"), parent_id, depth`` (goal; depth 0 = macro goal);
        ``dept_id, goal_id`` (of the macro goal), ``year`` (department-goal); ``year``
        (plan). Then ``n_indicators``, ``n_with_value``, ``conformity_pct`` (%, 0–100),
        ``distance_covered_pct`` (%, −100–100), ``progress_score`` (−5–5), ``n_<status>``
        for each of :data:`STATUSES`, ``coverage_pct`` (% of the plan weight with a value),
        ``provisional`` (bool), ``plan_weight_pct``; then ``reported`` (department,
        department-goal), ``rank`` and ``n_ranked`` (department), ``n_departments`` and
        ``n_departments_reported`` (goal, plan). A mean is ``NaN`` when no indicator below
        the unit has a number for it.

    Raises
    ------
    PlanmonError
        On an unknown level, a missing column, an indicator or goal the plan does not know,
        two rows for one indicator and year, an unknown status word, a negative weight, a
        goal tree that is not a tree, or a threshold outside 0–100.

    Examples
    --------
    >>> scores = pd.DataFrame({"indicator_id": ["a", "b"], "year": [1398, 1398],
    ...     "value": [8.0, 5.0], "achievement_pct": [80.0, 50.0],
    ...     "distance_covered_pct": [60.0, 20.0], "score": [2.0, -1.0],
    ...     "status": ["moderate_progress", "limited_progress"]})
    >>> indicators = pd.DataFrame({"indicator_id": ["a", "b"], "dept_id": ["parks", "parks"],
    ...     "goal_id": ["G1", "G1"], "weight": [2.0, 1.0]})
    >>> rollup(scores, indicators, None, "department")["conformity_pct"].round(1).tolist()
    [70.0]
    """
    _check_arguments(level, goals, provisional_below)
    rows = _Rows(scores, indicators, goals)
    reported = rows.reported(reports)
    below = float(provisional_below)
    if level == "department":
        out = _department_level(rows, reported, below)
    elif level == "goal":
        out = _goal_level(rows, reported, goals, below)
    elif level == "department-goal":
        out = _department_goal_level(rows, reported, below)
    else:
        out = _plan_level(rows, reported, below)
    out["year"] = out["year"].to_numpy(dtype="int64") + rows.first_year
    return out.reset_index(drop=True)


def change_against_previous(rolled: pd.DataFrame, by: str | Sequence[str] | None) -> pd.DataFrame:
    """Add the change of conformity and progress score since the unit's previous report year.

    Parameters
    ----------
    rolled : pandas.DataFrame
        Output of :func:`rollup` (any frame with ``year``, ``conformity_pct`` and
        ``progress_score`` works; ``provisional`` is used when present).
    by : str, sequence of str or None
        Column(s) naming the unit, e.g. ``"dept_id"``, ``"goal_id"`` or
        ``["dept_id", "goal_id"]``; ``None`` or ``[]`` for the plan level.

    Returns
    -------
    pandas.DataFrame
        A copy sorted by unit and year with four more columns: ``previous_year`` (the unit's
        previous report year in the frame as a float, NaN for its first),
        ``change_comparable`` (bool), ``conformity_change`` (this year's ``conformity_pct``
        minus the previous one, percentage points) and ``score_change`` (the same for
        ``progress_score``, score points).

    Notes
    -----
    The rule for a provisional year: a change is *comparable* only when the unit has a
    previous year and neither year is provisional. Otherwise ``change_comparable`` is False
    and both changes are NaN, so no text or chart can state a provisional year's change as a
    gain or a loss (with a quarter of the reports in, a "rise" says more about who reported
    than about progress). A change is also NaN when either year has no number.

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
    provisional = (
        out["provisional"].astype(bool)
        if "provisional" in out.columns
        else pd.Series(False, index=out.index)
    )
    cols = ["year", "conformity_pct", "progress_score"]
    framed = out[cols].assign(_provisional=provisional.astype("float64"))
    prev = framed.groupby([out[k] for k in keys], sort=False).shift(1) if keys else framed.shift(1)
    # float64 with NaN (not nullable Int64) as the frames contract asks for missing numbers;
    # an Int64 column would also turn NaN into pd.NA in every row read with .loc/.iloc.
    out["previous_year"] = prev["year"].astype("float64")
    comparable = prev["year"].notna() & ~provisional & (prev["_provisional"] == 0)
    out["change_comparable"] = comparable.to_numpy(dtype=bool)
    out["conformity_change"] = (out["conformity_pct"] - prev["conformity_pct"]).where(comparable)
    out["score_change"] = (out["progress_score"] - prev["progress_score"]).where(comparable)
    return out
