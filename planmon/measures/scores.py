"""The scores frame: every indicator's measures for every report year.

One row per indicator and report year. Each year's measures use only the data up to that year
(the baseline, that year's and earlier reported values), so the 1398 row says what an analyst
could have said in 1398. The maths lives in :mod:`planmon.measures.progress` (conformity,
distance, Open SDG, ESCAP, pace), :mod:`planmon.measures.trend` (OLS projection),
:mod:`planmon.measures.bounds` (natural bounds) and :mod:`planmon.measures.caveats` (the
``caveats`` column); this module only lines the data up for them. No I/O.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planmon.measures.bounds import BOUND_COLUMNS, natural_bounds
from planmon.measures.caveats import caveat_column, target_path_caveats
from planmon.measures.common import targets_against_direction
from planmon.measures.progress import PROGRESS_COLUMNS, compute_progress
from planmon.measures.trend import REACH_WINDOW_YEARS, TREND_COLUMNS, project_trends

__all__ = ["SCORE_COLUMNS", "compute_scores", "horizons_of", "score_grid", "trend_inputs"]

#: Columns of the scores frame, in order (``planmon scores`` writes them all).
SCORE_COLUMNS: tuple[str, ...] = (
    "indicator_id",
    "dept_id",
    "goal_id",
    "year",
    "direction",
    "unit",
    "baseline_year",
    "baseline_value",
    "value",
    "target",
    "horizon_year",
    "horizon_target",
    *BOUND_COLUMNS,
    *PROGRESS_COLUMNS,
    *TREND_COLUMNS,
    "caveats",
)


def horizons_of(targets: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's horizon: its last target year and that year's target.

    Returns a frame indexed by ``indicator_id`` with ``horizon_year`` (float, so NaN can stand
    for "no targets" after a join) and ``horizon_target``.
    """
    last = targets.sort_values(["indicator_id", "year"]).groupby("indicator_id").tail(1)
    return pd.DataFrame(
        {
            "horizon_year": last["year"].astype("float64").to_numpy(),
            "horizon_target": last["target"].astype("float64").to_numpy(),
        },
        index=pd.Index(last["indicator_id"].to_numpy(), name="indicator_id"),
    )


def compute_scores(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    years: Iterable[int],
    plan_horizon_year: int | None = None,
    caveats: pd.DataFrame | None = None,
    *,
    reach_window: float = REACH_WINDOW_YEARS,
) -> pd.DataFrame:
    """Compute the scores frame.

    Parameters
    ----------
    indicators, targets, actuals : DataFrame
        As returned by :func:`planmon.load` (see ``docs/internal-frames.md``); ``indicators``
        may carry ``min`` and ``max`` (natural bounds, :mod:`planmon.measures.bounds`).
    years : iterable of int
        Report years to score. Every indicator gets a row for every year, so an indicator
        a department did not report shows as a data gap (``value`` NaN, status
        ``not_available``).
    plan_horizon_year : int, optional
        The plan's horizon. An indicator without targets has no horizon of its own; with this
        set, its trend and ESCAP projection still reach the plan's horizon (its target-based
        measures stay NaN).
    caveats : DataFrame, optional
        Validation's findings that travel with the numbers: ``indicator_id``, ``year`` (NA =
        every year) and ``code`` (one of :data:`planmon.core.vocabulary.CAVEATS`). They are
        merged with the caveats the measures compute themselves
        (:func:`~planmon.measures.caveats.target_path_caveats`).
    reach_window : float, default 5
        Years after the horizon within which a trend reach year is stated (at most 10).

    Returns
    -------
    DataFrame
        Columns :data:`SCORE_COLUMNS`, sorted by ``year``, ``dept_id``, ``indicator_id``.

    Examples
    --------
    >>> ind = pd.DataFrame({"indicator_id": ["A"], "dept_id": ["d"], "goal_id": ["g"],
    ...     "direction": ["decrease"], "unit": ["%"], "baseline_year": [2015],
    ...     "baseline_value": [14.5], "limit": [np.nan], "tolerance": [0.05]})
    >>> tgt = pd.DataFrame({"indicator_id": ["A"], "year": [2030], "target": [7.25]})
    >>> act = pd.DataFrame({"indicator_id": ["A"], "year": [2023], "value": [10.4]})
    >>> row = compute_scores(ind, tgt, act, [2023]).iloc[0]
    >>> str(row.status), round(float(row.cagr_ratio), 5)  # Open SDG worked example
    ('moderate_progress', 0.90109)
    """
    years = sorted({int(y) for y in years})
    if len(indicators) == 0 or not years:
        return pd.DataFrame({c: pd.Series(dtype="float64") for c in SCORE_COLUMNS})
    grid = score_grid(indicators, targets, actuals, years, plan_horizon_year)
    progress = compute_progress(grid)
    points, horizons = trend_inputs(grid, actuals, years)
    trend = project_trends(points, horizons, reach_window=reach_window)
    found = target_path_caveats(indicators, targets)
    out = pd.concat(
        [grid.drop(columns=["limit", "tolerance"]), progress, trend.reset_index(drop=True)],
        axis=1,
    )
    out["caveats"] = caveat_column(grid["indicator_id"], grid["year"], [found, caveats])
    out = out.loc[:, list(SCORE_COLUMNS)]
    return out.sort_values(["year", "dept_id", "indicator_id"], ignore_index=True)


def score_grid(
    indicators: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    years: list[int],
    plan_horizon_year: int | None = None,
) -> pd.DataFrame:
    """One row per (indicator, year), indicator-major, with value, target and horizon.

    Row ``k`` is indicator ``k // len(years)`` in ``years[k % len(years)]``; these are the
    inputs of :func:`planmon.measures.progress.compute_progress`.
    """
    columns = [
        "indicator_id",
        "dept_id",
        "goal_id",
        "direction",
        "unit",
        "baseline_year",
        "baseline_value",
        "limit",
        "tolerance",
    ]
    base = indicators[columns].reset_index(drop=True)
    n_year = len(years)
    grid = base.loc[base.index.repeat(n_year)].reset_index(drop=True)
    grid.insert(3, "year", np.tile(np.asarray(years, dtype="int64"), len(base)))
    values = actuals[["indicator_id", "year", "value"]]
    grid["value"] = _lookup(grid, values[values["year"].isin(years)], "value")
    grid["target"] = _lookup(grid, targets[["indicator_id", "year", "target"]], "target")
    horizons = horizons_of(targets).reindex(pd.Index(base["indicator_id"]))
    horizon_year = horizons["horizon_year"]
    if plan_horizon_year is not None:
        horizon_year = horizon_year.fillna(float(plan_horizon_year))
    grid["horizon_year"] = np.repeat(horizon_year.to_numpy(), n_year)
    grid["horizon_target"] = np.repeat(horizons["horizon_target"].to_numpy(), n_year)
    bounds = natural_bounds(indicators, targets, actuals)
    for column in BOUND_COLUMNS:
        grid[column] = np.repeat(bounds[column].to_numpy(), n_year)
    return grid


def _lookup(grid: pd.DataFrame, frame: pd.DataFrame, column: str) -> np.ndarray:
    """Values of ``frame[column]`` at each grid row's (indicator_id, year), NaN where absent."""
    key = pd.MultiIndex.from_frame(frame[["indicator_id", "year"]])
    series = pd.Series(frame[column].to_numpy(dtype="float64"), index=key)
    series = series[~series.index.duplicated()]
    wanted = pd.MultiIndex.from_arrays([grid["indicator_id"], grid["year"]])
    return series.reindex(wanted).to_numpy()


def trend_inputs(
    grid: pd.DataFrame, actuals: pd.DataFrame, years: list[int]
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points and horizons for :func:`planmon.measures.trend.project_trends`.

    Series ``k`` is row ``k`` of :func:`score_grid`: the indicator's baseline plus every value
    it reported up to that row's year.
    """
    n_year = len(years)
    ind_pos = pd.Index(grid["indicator_id"].to_numpy()[::n_year])
    year_arr = np.asarray(years, dtype="int64")
    base_ind = np.arange(len(ind_pos))
    baseline_year = grid["baseline_year"].to_numpy()[::n_year]
    baseline_value = grid["baseline_value"].to_numpy()[::n_year]

    a = actuals.loc[actuals["value"].notna(), ["indicator_id", "year", "value"]]
    a_ind = ind_pos.get_indexer(a["indicator_id"])
    a = a[a_ind >= 0]
    a_ind = a_ind[a_ind >= 0]
    a_year = a["year"].to_numpy(dtype="int64")
    a_val = a["value"].to_numpy(dtype="float64")

    series_parts, year_parts, value_parts = [], [], []
    for pos, report_year in enumerate(year_arr):
        # the baseline belongs to every series whose report year is after it
        keep = baseline_year <= report_year
        series_parts.append(base_ind[keep] * n_year + pos)
        year_parts.append(baseline_year[keep])
        value_parts.append(baseline_value[keep])
        upto = (a_year <= report_year) & (a_year > baseline_year[a_ind])
        series_parts.append(a_ind[upto] * n_year + pos)
        year_parts.append(a_year[upto])
        value_parts.append(a_val[upto])
    points = pd.DataFrame(
        {
            "series": np.concatenate(series_parts),
            "year": np.concatenate(year_parts).astype("float64"),
            "value": np.concatenate(value_parts),
        }
    )
    horizons = pd.DataFrame(
        {
            "horizon_year": grid["horizon_year"].to_numpy(),
            "horizon_target": grid["horizon_target"].to_numpy(),
            "direction": grid["direction"].astype(object).to_numpy(),
            "natural_min": grid["natural_min"].to_numpy(),
            "natural_max": grid["natural_max"].to_numpy(),
            "report_year": grid["year"].to_numpy(dtype="float64"),
            "targets_against_direction": targets_against_direction(
                grid["direction"], grid["baseline_value"], grid["horizon_target"]
            ),
        },
        index=pd.RangeIndex(len(grid), name="series"),
    )
    return points, horizons
