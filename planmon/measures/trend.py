"""Linear trend of an indicator, projected to the plan's horizon year.

For one indicator and one report year the points are the baseline value and every actual
reported up to that year (blank values dropped). An ordinary least-squares line with the year
as regressor is fitted to them and read at the horizon year:

* ``trend_horizon_value`` — the line's value at the horizon year (cut at the natural bounds);
* ``trend_low``, ``trend_high`` — the 95 % *prediction* interval for a new observation at the
  horizon (not a confidence interval for the line), ``ŷ ± t(0.975, n−2) · s ·
  √(1 + 1/n + (h − x̄)² / Sxx)``, cut at the natural bounds;
* ``p_reach_target`` — the predictive probability of landing on the right side of the horizon
  target, ``P(Y_h ≥ target)`` for *increase* and ``P(Y_h ≤ target)`` for *decrease*, where
  ``(Y_h − ŷ) / se`` follows Student's t with ``n − 2`` degrees of freedom;
* ``trend_slope`` (indicator unit per year), ``n_points``;
* ``trend_reach_year`` — the fractional year at which the line meets the horizon target, when it
  moves towards it (rules below);
* ``trend_reason`` — codes from :data:`TREND_REASONS` saying what could not be computed and why;
* ``trend_truncated`` — True when the line's value or the interval was cut at a natural bound.

Two points give a line but no residual degrees of freedom, so no interval, no probability and no
reach year. One point (or several in the same year) gives no line at all. A perfect fit (zero
residuals) collapses the interval onto the line and makes the probability 0 or 1.

Natural bounds: the censored prediction
---------------------------------------
A percentage lies in 0–100 and a count, an area, a time or a sum of money is never negative
(:mod:`planmon.measures.bounds` gives each indicator its ``natural_min``/``natural_max``). A
straight line ignores that, so "between −0.14 and 0.49 m² per capita" or a bus share of
"−16.5 to 36.5 %" could be printed. planmon keeps the straight line and *censors* its
predictive distribution at the bounds: every mass beyond a bound is put on the bound. The
reported figures are the quantiles of that censored law, which are the line's figures clipped
to ``[natural_min, natural_max]``:

* the central value (the median, ŷ for a symmetric t law) becomes ``clip(ŷ)``;
* the 2.5 % and 97.5 % quantiles become ``clip(low)`` and ``clip(high)``; the interval still
  covers 95 % of the (possible) outcomes, because the outcome can never lie outside the bounds;
* ``P(Y_h ≥ target)`` is unchanged for a target inside the bounds, 0 for a target the bounds
  make unreachable (above ``natural_max`` for increase, below ``natural_min`` for decrease)
  and 1 for a target the bounds guarantee.

``trend_truncated`` says when a figure was cut, so a report can state "the interval is cut at
0 %, the lowest possible value". Fitting on a transformed scale (logit for shares, log for
positive quantities) was rejected: it bends the line a reader checks with a ruler, it cannot
take the values that sit on a bound (0 %, 100 %, 0 incidents) without an arbitrary offset, and
on two to six points it changes the slope the reports quote.

The reach year: when it is stated
---------------------------------
``trend_reach_year`` is withheld (NaN, with a third ``trend_reason`` code) when

* the line has fewer than three points (no measure of its uncertainty; fit code
  ``two_points``), or moves away from the target, or the target is against the direction;
* the target lies beyond the natural bounds (``target_out_of_bounds``);
* the series has no value in the report year (``stale``: the projection would rest on old
  figures; the ``report_year`` column of the horizons frame turns this check on);
* the line meets the target more than :data:`REACH_WINDOW_YEARS` (5) years after the horizon
  (``beyond_window``): a line fitted on a handful of yearly figures says nothing about the
  next decade. The window is a parameter, at most :data:`MAX_REACH_WINDOW_YEARS` (10).

It may lie before the report year (the line has already crossed the target).

Why a straight line and not a time-series model
------------------------------------------------
A five-year plan yields two to six annual values per indicator: the baseline and at most five
reports. That is the whole of the evidence.

* Degrees of freedom. A line spends two of them; with four points two are left for the
  residual variance, with three only one. Holt's linear smoothing needs two smoothing constants
  and two initial states, an ARIMA model loses a point to differencing before it estimates
  anything, and GLS with AR(1) errors must estimate an autocorrelation from a handful of
  residuals. On series this short those extra parameters are fitted noise, and their
  prediction intervals treat them as known. The t interval of OLS is exact under its
  assumptions for any ``n ≥ 3`` and honestly very wide when ``n`` is small.
* What the data look like. Plan indicators are administrative yearly figures (kilometres built,
  percentages served, counts of permits): no seasonality, no long memory to model, often a
  missing year, and a target path that the plan itself often drew as a near-straight line
  from baseline to horizon. Using the year as regressor handles gaps with no imputation.
* Explainability. In a review meeting the chart is the model: the points, the line through them,
  a slope in units per year and a shaded band. Anyone can check it with a ruler or a
  spreadsheet's LINEST; a smoothing constant or an MA term cannot be defended that way.
* Practice. The SDSN's SDG trend dashboards and the UN regional commissions' progress
  assessments judge indicators by extrapolating the recent pace to the target year and
  comparing it with the pace required. Readers of those reports already know the idea, and
  planmon's other pace measures (``pace_ratio``) sit on the same footing.

Two implementations give the same numbers: :func:`fit_trend_statsmodels` is the readable
reference for one series (:mod:`planmon.measures.trend_reference`), :func:`project_trends` the
vectorised closed form used for scores of many indicators at once (600,000 series in a fraction
of a second; ``bench/bench_trend.py``). Both hand their line to :func:`finish_trends`, the one
place that applies the bounds and the reach-year rules.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
from scipy import special

from planmon.core.exceptions import PlanmonError
from planmon.measures.common import direction_sign
from planmon.measures.trend_reference import fit_trend_statsmodels
from planmon.measures.trend_rules import (
    FIT_NO_DATA,
    FIT_OK,
    FIT_ONE,
    FIT_PERFECT,
    FIT_SINGLE_YEAR,
    FIT_TWO,
    H_OK,
    LEVEL,
    MAX_REACH_WINDOW_YEARS,
    PERFECT_FIT_RTOL,
    REACH_WINDOW_YEARS,
    TREND_COLUMNS,
    TREND_REASONS,
    as_trend_frame,
    finish_trends,
    horizon_codes,
    reach_when_exact,
)

__all__ = [
    "TREND_COLUMNS",
    "TREND_REASONS",
    "REACH_WINDOW_YEARS",
    "MAX_REACH_WINDOW_YEARS",
    "fit_trend_statsmodels",
    "project_trends",
]


class _Lines(NamedTuple):
    """Per-series least-squares sums, centred on each series' means."""

    n: np.ndarray
    x_mean: np.ndarray
    y_mean: np.ndarray
    sxx: np.ndarray
    sse: np.ndarray
    slope: np.ndarray
    scale_y: np.ndarray
    has_line: np.ndarray
    last_year: np.ndarray


def project_trends(
    points: pd.DataFrame, horizons: pd.DataFrame, *, reach_window: float = REACH_WINDOW_YEARS
) -> pd.DataFrame:
    """Fit and project the trends of many series at once (vectorised closed form).

    Parameters
    ----------
    points : DataFrame
        Columns ``series`` (any hashable key, e.g. int codes), ``year`` (int or float, no NaN)
        and ``value`` (float, indicator unit; NaN rows are dropped). Rows may come in any order.
    horizons : DataFrame
        One row per series, indexed by ``series`` (unique), with columns ``horizon_year``
        (float, NaN when none), ``horizon_target`` (float, NaN when none) and ``direction``
        (``"increase"``, ``"decrease"`` or ``"maintain"``); optionally ``natural_min`` and
        ``natural_max`` (the bounds, NaN = none), ``report_year`` (a series without a point in
        that year gets no reach year) and ``targets_against_direction`` (bool: the target is
        not used).
    reach_window : float, default 5
        Years after the horizon within which a reach year is stated (at most 10).

    Returns
    -------
    DataFrame
        Indexed like ``horizons`` (same order), columns :data:`TREND_COLUMNS`, with the same
        meaning and numbers as :func:`fit_trend_statsmodels`. A series with no points gets
        ``n_points = 0`` and reason ``"no_data"``.

    Raises
    ------
    PlanmonError
        On a missing column, a duplicated ``horizons`` index, a point whose series has no
        ``horizons`` row, a year that is NaN, an infinite value or an unknown direction.

    Notes
    -----
    Per-series sums come from ``np.bincount`` over the row number of each point's series in
    ``horizons`` — no Python loop over series. Years and values are centred on their series
    means before the cross products are summed, because ``Σx² − n·x̄²`` with years near 1400
    cancels about seven of the sixteen digits. The residual sum of squares is summed from the
    residuals themselves for the same reason.

    Examples
    --------
    >>> points = pd.DataFrame(
    ...     {"series": [7, 7, 7], "year": [1396, 1397, 1398], "value": [10.0, 12.0, 15.0]}
    ... )
    >>> horizons = pd.DataFrame(
    ...     {"horizon_year": [1401.0], "horizon_target": [20.0], "direction": ["increase"]},
    ...     index=pd.Index([7], name="series"),
    ... )
    >>> project_trends(points, horizons).loc[7, ["trend_slope", "trend_reach_year"]].tolist()
    [2.5, 1400.0666666666666]
    """
    code, x, y = _points(points, horizons)
    m = len(horizons.index)
    h = _column(horizons, "horizon_year", np.nan)
    sign = direction_sign(horizons["direction"].astype(object).to_numpy(), strict=True)
    against = _column(horizons, "targets_against_direction", 0.0) > 0
    target = np.where(against, np.nan, _column(horizons, "horizon_target", np.nan))
    lines = _lines(code, x, y, m)
    fit_code = _fit_codes(lines)
    h_code = horizon_codes(lines.has_line, h, target, sign, against)
    line = _project(lines, fit_code, h_code, h, target, sign)
    lower = np.nan_to_num(_column(horizons, "natural_min", np.nan), nan=-np.inf)
    upper = np.nan_to_num(_column(horizons, "natural_max", np.nan), nan=np.inf)
    columns = finish_trends(
        line,
        fit_code=fit_code,
        horizon_code=h_code,
        horizon_year=h,
        target=target,
        sign=sign,
        lower=lower,
        upper=upper,
        last_year=lines.last_year,
        report_year=_column(horizons, "report_year", np.nan),
        reach_window=reach_window,
    )
    return as_trend_frame(columns, horizons.index)


def _column(frame: pd.DataFrame, name: str, default: float) -> np.ndarray:
    if name not in frame.columns:
        return np.full(len(frame), default)
    return frame[name].to_numpy(dtype=float, na_value=np.nan)


def _points(
    points: pd.DataFrame, horizons: pd.DataFrame
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Checked points: each one's row in ``horizons``, its year and its value (NaN dropped)."""
    _require_columns(points, ("series", "year", "value"), "points")
    _require_columns(horizons, ("horizon_year", "horizon_target", "direction"), "horizons")
    index = horizons.index
    if not index.is_unique:
        dup = index[index.duplicated()].unique()[:5].tolist()
        raise PlanmonError(f"trend: horizons has repeated series {dup}; give one row per series")
    code = index.get_indexer(points["series"])
    if (code < 0).any():
        missing = pd.unique(points["series"].to_numpy()[code < 0])[:5].tolist()
        raise PlanmonError(
            f"trend: points refer to series {missing} that have no row in horizons; "
            "add a horizons row (NaN horizon and target are allowed) for every series"
        )
    x = points["year"].to_numpy(dtype=float, na_value=np.nan)
    y = points["value"].to_numpy(dtype=float, na_value=np.nan)
    if np.isnan(x).any():
        bad = pd.unique(points["series"].to_numpy()[np.isnan(x)])[:5].tolist()
        raise PlanmonError(f"trend: points of series {bad} have no year; every point needs one")
    if np.isinf(y).any() or np.isinf(x).any():
        bad = pd.unique(points["series"].to_numpy()[np.isinf(y) | np.isinf(x)])[:5].tolist()
        raise PlanmonError(f"trend: points of series {bad} have an infinite year or value")
    keep = ~np.isnan(y)
    return code[keep], x[keep], y[keep]


def _lines(code: np.ndarray, x: np.ndarray, y: np.ndarray, m: int) -> _Lines:
    """Least-squares line of every series from per-series bincounts."""

    def per_series(weights: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=weights, minlength=m)

    n = np.bincount(code, minlength=m)
    last_year = np.full(m, -np.inf)
    np.maximum.at(last_year, code, x)
    with np.errstate(invalid="ignore", divide="ignore"):
        x_mean = per_series(x) / n
        y_mean = per_series(y) / n
        dx = x - x_mean[code]
        dy = y - y_mean[code]
        sxx = per_series(dx * dx)
        sxy = per_series(dx * dy)
        syy = per_series(dy * dy)
        has_line = (n >= 2) & (sxx > 0)
        # RMS of the values themselves (level and spread): the yardstick for "zero"
        scale_y = np.sqrt(y_mean * y_mean + syy / n)
        slope = np.where(has_line, sxy / sxx, np.nan)
        slope[np.abs(slope) * np.sqrt(sxx / n) <= PERFECT_FIT_RTOL * scale_y] = 0.0
        residual = dy - slope[code] * dx
        sse = per_series(residual * residual)
    return _Lines(n, x_mean, y_mean, sxx, sse, slope, scale_y, has_line, last_year)


def _fit_codes(lines: _Lines) -> np.ndarray:
    n = lines.n
    fit_code = np.full(len(n), FIT_OK, dtype=np.int64)
    fit_code[n == 2] = FIT_TWO
    with np.errstate(invalid="ignore", divide="ignore"):
        rms = np.sqrt(lines.sse / np.maximum(n, 1))
    fit_code[(n >= 3) & lines.has_line & (rms <= PERFECT_FIT_RTOL * lines.scale_y)] = FIT_PERFECT
    fit_code[(n >= 2) & ~lines.has_line] = FIT_SINGLE_YEAR
    fit_code[n == 1] = FIT_ONE
    fit_code[n == 0] = FIT_NO_DATA
    return fit_code


def _project(lines: _Lines, fit_code, h_code, h, target, sign) -> dict[str, np.ndarray]:
    """The uncensored line at the horizon: value, interval, probability and reach year."""
    m = len(fit_code)
    n, x_mean, y_mean, slope = lines.n, lines.x_mean, lines.y_mean, lines.slope
    with np.errstate(invalid="ignore", divide="ignore"):
        y_hat = y_mean + slope * (h - x_mean)  # NaN without a line or a horizon
        gap = sign * (y_hat - target)
        reach_year = np.where(sign * slope > 0, x_mean + (target - y_mean) / slope, np.nan)
    low, high, p_reach = np.full(m, np.nan), np.full(m, np.nan), np.full(m, np.nan)

    # Interval and probability need residual degrees of freedom: n ≥ 3 and a horizon.
    scattered = (fit_code == FIT_OK) & ~np.isnan(h)
    if scattered.any():
        df = n[scattered] - 2
        lever = h[scattered] - x_mean[scattered]
        s2 = lines.sse[scattered] / df
        se = np.sqrt(s2 * (1.0 + 1.0 / n[scattered] + lever * lever / lines.sxx[scattered]))
        half = _t_quantiles(df) * se
        low[scattered] = y_hat[scattered] - half
        high[scattered] = y_hat[scattered] + half
        with_p = h_code[scattered] == H_OK
        p_reach[np.flatnonzero(scattered)[with_p]] = special.stdtr(
            df[with_p], gap[scattered][with_p] / se[with_p]
        )
    exact = (fit_code == FIT_PERFECT) & ~np.isnan(h)
    low[exact] = high[exact] = y_hat[exact]
    exact_p = exact & (h_code == H_OK)
    p_reach[exact_p] = reach_when_exact(gap[exact_p], target[exact_p], lines.scale_y[exact_p])
    return {
        "trend_horizon_value": y_hat,
        "trend_low": low,
        "trend_high": high,
        "p_reach_target": p_reach,
        "trend_slope": slope,
        "n_points": n.astype(np.int64),
        "trend_reach_year": reach_year,
    }


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PlanmonError(
            f"trend: {name} lacks column(s) {', '.join(missing)}; "
            f"expected {', '.join(columns)}, found {', '.join(map(str, frame.columns))}"
        )


def _t_quantiles(df: np.ndarray) -> np.ndarray:
    # stdtrit is an iterative inverse; the few distinct df values are solved once each
    distinct, where = np.unique(df, return_inverse=True)
    return special.stdtrit(distinct, (1 + LEVEL) / 2)[where]
