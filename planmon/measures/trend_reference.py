"""The reference trend of one series with statsmodels, checked against the closed form.

:func:`fit_trend_statsmodels` is deliberately plain: statsmodels fits the line and gives the
prediction interval, scipy gives the t probability, and :func:`finish_trends` applies the same
bounds and reach-year rules as :func:`planmon.measures.trend.project_trends`. The method and
its rules are documented in :mod:`planmon.measures.trend`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from planmon.core.exceptions import PlanmonError
from planmon.measures.common import direction_sign
from planmon.measures.trend_rules import (
    FIT_NO_DATA,
    FIT_OK,
    FIT_ONE,
    FIT_PERFECT,
    FIT_SINGLE_YEAR,
    FIT_TWO,
    H_OK,
    LEVEL,
    NO_LINE,
    PERFECT_FIT_RTOL,
    REACH_WINDOW_YEARS,
    TREND_COLUMNS,
    finish_trends,
    horizon_codes,
    reach_when_exact,
)

__all__ = ["fit_trend_statsmodels"]


def fit_trend_statsmodels(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    horizon_year: float,
    horizon_target: float,
    direction: str,
    *,
    natural_min: float = -np.inf,
    natural_max: float = np.inf,
    report_year: float = np.nan,
    targets_against_direction: bool = False,
    reach_window: float = REACH_WINDOW_YEARS,
) -> dict[str, Any]:
    """Fit and project the trend of one series with statsmodels (the reference path).

    Parameters
    ----------
    years : array_like of int or float
        Year of each point (Jalali or Gregorian); gaps are allowed.
    values : array_like of float
        Indicator value of each point, in the indicator's unit; NaN points are dropped.
    horizon_year : float
        Year to project to; NaN when the indicator has no targets.
    horizon_target : float
        Target at the horizon year, in the indicator's unit; NaN when none.
    direction : {"increase", "decrease", "maintain"}
        Which way is better.
    natural_min, natural_max : float, optional
        Natural bounds of the indicator (none by default).
    report_year : float, optional
        No reach year when the series has no point in this year (NaN: not checked).
    targets_against_direction : bool, default False
        The target contradicts the direction: it is not used.
    reach_window : float, default 5
        Years after the horizon within which a reach year is stated (at most 10).

    Returns
    -------
    dict
        Keys :data:`~planmon.measures.trend.TREND_COLUMNS`: ``trend_horizon_value``,
        ``trend_low``, ``trend_high`` (indicator unit; the 95 % prediction interval),
        ``p_reach_target`` (probability in [0, 1]), ``trend_slope`` (unit per year),
        ``n_points`` (int), ``trend_reach_year`` (fractional year), ``trend_reason`` and
        ``trend_truncated``. Numbers that cannot be computed are NaN.

    Raises
    ------
    PlanmonError
        If ``direction`` is unknown or ``years`` and ``values`` differ in length.

    Notes
    -----
    The interval is statsmodels' ``obs_ci_lower``/``obs_ci_upper`` at ``alpha=0.05``; the
    probability uses ``scipy.stats.t`` with the prediction standard error ``se_obs``. Years are
    shifted to start at 0 before fitting, which changes no prediction but keeps the design
    matrix well conditioned (years near 1400 or 2025 would otherwise cost digits).

    Examples
    --------
    >>> r = fit_trend_statsmodels([1396, 1397, 1398], [10, 12, 15], 1401, 20, "increase")
    >>> round(r["trend_horizon_value"], 4), round(r["p_reach_target"], 4)
    (22.3333, 0.8437)
    """
    sign = float(direction_sign(np.array([direction], dtype=object), strict=True)[0])
    x, y = _clean_points(years, values)
    h = float(horizon_year)
    target = np.nan if targets_against_direction else float(horizon_target)
    line, fit_code, h_code = _fit(x, y, h, target, sign, bool(targets_against_direction))
    bounds = (natural_min, natural_max, report_year, reach_window)
    return _finish_one(line, fit_code, h_code, h, target, sign, x, bounds)


def _finish_one(line, fit_code, h_code, h, target, sign, x, bounds) -> dict[str, Any]:
    """:func:`finish_trends` on one series, as a dict of Python scalars."""
    natural_min, natural_max, report_year, reach_window = bounds
    out = finish_trends(
        {k: np.array([v], dtype=float) for k, v in line.items()},
        fit_code=np.array([fit_code]),
        horizon_code=np.array([h_code]),
        horizon_year=np.array([h]),
        target=np.array([target]),
        sign=np.array([sign]),
        lower=np.array([natural_min], dtype=float),
        upper=np.array([natural_max], dtype=float),
        last_year=np.array([x.max() if x.size else -np.inf]),
        report_year=np.array([report_year], dtype=float),
        reach_window=reach_window,
    )
    result: dict[str, Any] = {c: float(out[c][0]) for c in TREND_COLUMNS[:-2]}
    result["n_points"] = int(out["n_points"][0])
    result["trend_reason"] = str(out["trend_reason"][0])
    result["trend_truncated"] = bool(out["trend_truncated"][0])
    return result


def _clean_points(years: npt.ArrayLike, values: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    x_all = np.asarray(years, dtype=float).ravel()
    y_all = np.asarray(values, dtype=float).ravel()
    if x_all.shape != y_all.shape:
        raise PlanmonError(
            f"trend: {x_all.size} years but {y_all.size} values; give one year per value"
        )
    keep = ~np.isnan(y_all)
    x, y = x_all[keep], y_all[keep]
    if np.isnan(x).any() or np.isinf(x).any() or np.isinf(y).any():
        raise PlanmonError("trend: every point needs a finite year and value (NaN values drop)")
    return x, y


def _fit(
    x: np.ndarray, y: np.ndarray, h: float, target: float, sign: float, against: bool
) -> tuple[dict[str, float], int, int]:
    """The uncensored line of one series, its fit code and its horizon code."""
    import statsmodels.api as sm  # slow to import; only this reference path needs it

    n = int(y.size)
    line = dict.fromkeys(TREND_COLUMNS[:-2], np.nan)
    line["n_points"] = n
    fit_code = _fit_code(x, n)
    has_line = fit_code not in NO_LINE
    h_code = int(
        horizon_codes(
            np.array([has_line]), np.array([h]), np.array([target]), np.array([sign]),
            np.array([against]),
        )[0]
    )  # fmt: skip
    if not has_line:
        return line, fit_code, h_code
    x0 = x.min()
    result = sm.OLS(y, np.column_stack([np.ones(n), x - x0])).fit()
    intercept, slope = (float(v) for v in result.params)
    scale_y = float(np.sqrt(np.mean(y * y)))
    if abs(slope) * np.std(x) <= PERFECT_FIT_RTOL * scale_y:
        slope = 0.0  # a rise within rounding of zero is no rise: no reach year from 1e-16
    line["trend_slope"] = slope
    if sign * slope > 0 and not np.isnan(target):
        line["trend_reach_year"] = x0 + (target - intercept) / slope
    if n >= 3 and np.sqrt(result.ssr / n) <= PERFECT_FIT_RTOL * scale_y:
        fit_code = FIT_PERFECT
    if not np.isnan(h):
        _at_horizon(line, result, x0, h, target, sign, fit_code, h_code, scale_y)
    return line, fit_code, h_code


def _fit_code(x: np.ndarray, n: int) -> int:
    if n == 0:
        return FIT_NO_DATA
    if n == 1:
        return FIT_ONE
    if np.unique(x).size < 2:
        return FIT_SINGLE_YEAR
    return FIT_TWO if n == 2 else FIT_OK


def _at_horizon(line, result, x0, h, target, sign, fit_code, h_code, scale_y) -> None:
    """Fill the line's value, interval and probability at the horizon year."""
    exog_h = np.array([[1.0, h - x0]])
    if fit_code == FIT_TWO:
        # no residual degrees of freedom: statsmodels' interval would divide by zero
        line["trend_horizon_value"] = float(result.predict(exog_h)[0])
        return
    prediction = result.get_prediction(exog_h)
    frame = prediction.summary_frame(alpha=1 - LEVEL)
    y_hat = float(frame["mean"].iloc[0])
    line["trend_horizon_value"] = y_hat
    if fit_code == FIT_PERFECT:
        line["trend_low"] = line["trend_high"] = y_hat
    else:
        line["trend_low"] = float(frame["obs_ci_lower"].iloc[0])
        line["trend_high"] = float(frame["obs_ci_upper"].iloc[0])
    if h_code != H_OK:
        return
    gap = sign * (y_hat - target)
    if fit_code == FIT_PERFECT:
        line["p_reach_target"] = float(reach_when_exact(gap, target, scale_y))
    else:
        se_obs = float(np.asarray(prediction.se_obs)[0])
        # P(Y ≥ target) = P(T ≤ (ŷ − target)/se) for increase, mirrored for decrease
        from scipy import stats  # reference path only: keeps `import planmon` light

        line["p_reach_target"] = float(stats.t.cdf(gap / se_obs, result.df_resid))
