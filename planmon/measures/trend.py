"""Linear trend of an indicator, projected to the plan's horizon year.

For one indicator and one report year the points are the baseline value and every actual
reported up to that year (blank values dropped). An ordinary least-squares line with the year
as regressor is fitted to them and read at the horizon year:

* ``trend_horizon_value`` — the line's value at the horizon year;
* ``trend_low``, ``trend_high`` — the 95 % prediction interval for a *new observation* at the
  horizon, ``ŷ ± t(0.975, n−2) · s · √(1 + 1/n + (h − x̄)² / Sxx)``;
* ``p_reach_target`` — the predictive probability of landing on the right side of the horizon
  target, ``P(Y_h ≥ target)`` for *increase* and ``P(Y_h ≤ target)`` for *decrease*, where
  ``(Y_h − ŷ) / se`` follows Student's t with ``n − 2`` degrees of freedom;
* ``trend_slope`` (indicator unit per year), ``n_points``;
* ``trend_reach_year`` — the fractional year at which the line meets the horizon target, when it
  moves towards it. It may lie beyond the horizon ("at this pace the target is reached around
  1403, two years late") or before the report year (the line has already crossed it);
* ``trend_reason`` — codes from :data:`TREND_REASONS` saying what could not be computed and why.

Two points give a line but no residual degrees of freedom, so no interval and no probability.
One point (or several in the same year) gives no line at all. A perfect fit (zero residuals)
collapses the interval onto the line and makes the probability 0 or 1.

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
reference for one series, :func:`project_trends` the vectorised closed form used for scores of
many indicators at once (600,000 series in a fraction of a second; ``bench/bench_trend.py``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from planmon.core.exceptions import PlanmonError

__all__ = [
    "TREND_COLUMNS",
    "TREND_REASONS",
    "fit_trend_statsmodels",
    "project_trends",
]

#: Output columns, in order, of both implementations.
TREND_COLUMNS: tuple[str, ...] = (
    "trend_horizon_value",
    "trend_low",
    "trend_high",
    "p_reach_target",
    "trend_slope",
    "n_points",
    "trend_reach_year",
    "trend_reason",
)

#: ``trend_reason`` is one fit code, optionally followed by ``"; "`` and one horizon code.
#: Codes are stable so that reports can translate them (e.g. into Persian).
TREND_REASONS: dict[str, str] = {
    # fit codes
    "ok": "line fitted on three or more points, with interval and probability",
    "perfect_fit": "all points lie on the line: the interval collapses and p is 0 or 1",
    "two_points": "line through two points: no interval and no probability",
    "one_point": "a single point: no trend",
    "single_year": "all points fall in one year: no trend",
    "no_data": "no reported value: no trend",
    # horizon codes
    "no_horizon": "no horizon year: nothing to project",
    "no_target": "no horizon target: no probability and no reach year",
    "maintain": "direction 'maintain': no one-sided probability and no reach year",
}

#: Sign of "better": +1 when a higher value is better, −1 when lower is better, 0 for maintain.
_DIRECTION_SIGN: dict[str, int] = {"increase": 1, "decrease": -1, "maintain": 0}

_LEVEL = 0.95
# Residuals (or the line's rise over the spread of the years) below this fraction of the
# values' root-mean-square are rounding, not signal: such a fit is perfect (se = 0), such a
# slope is 0. Rounding noise in either implementation is a few 1e-16, so the margin is wide,
# and no plan indicator is measured to 12 significant digits.
_PERFECT_FIT_RTOL = 1e-12

_FIT_CODES = ("ok", "perfect_fit", "two_points", "one_point", "single_year", "no_data")
_HORIZON_CODES = ("", "no_horizon", "no_target", "maintain")
_OK, _PERFECT, _TWO, _ONE, _SINGLE_YEAR, _NO_DATA = range(len(_FIT_CODES))
_H_OK, _H_NO_HORIZON, _H_NO_TARGET, _H_MAINTAIN = range(len(_HORIZON_CODES))
# Every (fit, horizon) pair as its reason string; a frame's reasons are one take() from this.
_REASON_TABLE = np.array(
    [f + ("; " + h if h else "") for f in _FIT_CODES for h in _HORIZON_CODES], dtype=object
)
# Without a line the horizon does not matter, so only the fit code is reported.
_NO_LINE = (_ONE, _SINGLE_YEAR, _NO_DATA)


def _direction_sign(direction: object) -> int:
    try:
        return _DIRECTION_SIGN[direction]  # type: ignore[index]
    except (KeyError, TypeError):
        raise PlanmonError(
            f"trend: direction {direction!r} is not one of {', '.join(_DIRECTION_SIGN)}"
        ) from None


def _horizon_code(horizon_year: float, target: float, sign: int) -> int:
    if np.isnan(horizon_year):
        return _H_NO_HORIZON
    if np.isnan(target):
        return _H_NO_TARGET
    if sign == 0:
        return _H_MAINTAIN
    return _H_OK


def _reason(fit_code: int, horizon_code: int) -> str:
    if fit_code in _NO_LINE:
        horizon_code = _H_OK
    return str(_REASON_TABLE[fit_code * len(_HORIZON_CODES) + horizon_code])


def _reach_when_exact(gap: npt.ArrayLike, target: npt.ArrayLike, scale: npt.ArrayLike) -> Any:
    """p for a zero-variance prediction: 1 if the line ends on the good side of the target.

    ``gap`` is ``sign · (ŷ − target)``; a gap within rounding of zero counts as reached, so the
    answer does not flip on the last bit of the line's value.
    """
    tol = _PERFECT_FIT_RTOL * np.maximum(np.abs(scale), np.abs(target))
    return np.where(np.asarray(gap) >= -tol, 1.0, 0.0)


def fit_trend_statsmodels(
    years: npt.ArrayLike,
    values: npt.ArrayLike,
    horizon_year: float,
    horizon_target: float,
    direction: str,
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

    Returns
    -------
    dict
        Keys :data:`TREND_COLUMNS`: ``trend_horizon_value``, ``trend_low``, ``trend_high``
        (indicator unit), ``p_reach_target`` (probability in [0, 1]), ``trend_slope`` (unit per
        year), ``n_points`` (int), ``trend_reach_year`` (fractional year) and ``trend_reason``.
        Numbers that cannot be computed are NaN.

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
    import statsmodels.api as sm  # slow to import; only this reference path needs it

    sign = _direction_sign(direction)
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
    n = int(y.size)
    h, target = float(horizon_year), float(horizon_target)
    out: dict[str, Any] = dict.fromkeys(TREND_COLUMNS, np.nan)
    out["n_points"] = n
    h_code = _horizon_code(h, target, sign)

    if n == 0:
        fit_code = _NO_DATA
    elif n == 1:
        fit_code = _ONE
    elif np.unique(x).size < 2:
        fit_code = _SINGLE_YEAR
    else:
        fit_code = _TWO if n == 2 else _OK
    if fit_code in _NO_LINE:
        out["trend_reason"] = _reason(fit_code, h_code)
        return out

    x0 = x.min()
    design = np.column_stack([np.ones(n), x - x0])
    result = sm.OLS(y, design).fit()
    intercept, slope = (float(v) for v in result.params)
    scale_y = float(np.sqrt(np.mean(y * y)))
    if abs(slope) * np.std(x) <= _PERFECT_FIT_RTOL * scale_y:
        slope = 0.0  # a rise within rounding of zero is no rise: no reach year from 1e-16
    out["trend_slope"] = slope
    if sign * slope > 0 and not np.isnan(target):
        out["trend_reach_year"] = x0 + (target - intercept) / slope

    if n >= 3 and np.sqrt(result.ssr / n) <= _PERFECT_FIT_RTOL * scale_y:
        fit_code = _PERFECT
    out["trend_reason"] = _reason(fit_code, h_code)
    if np.isnan(h):
        return out

    exog_h = np.array([[1.0, h - x0]])
    if fit_code == _TWO:
        # no residual degrees of freedom: statsmodels' interval would divide by zero
        out["trend_horizon_value"] = float(result.predict(exog_h)[0])
        return out
    prediction = result.get_prediction(exog_h)
    frame = prediction.summary_frame(alpha=1 - _LEVEL)
    y_hat = float(frame["mean"].iloc[0])
    out["trend_horizon_value"] = y_hat
    if fit_code == _PERFECT:
        out["trend_low"] = out["trend_high"] = y_hat
    else:
        out["trend_low"] = float(frame["obs_ci_lower"].iloc[0])
        out["trend_high"] = float(frame["obs_ci_upper"].iloc[0])
    if h_code != _H_OK:
        return out
    gap = sign * (y_hat - target)
    if fit_code == _PERFECT:
        out["p_reach_target"] = float(_reach_when_exact(gap, target, scale_y))
    else:
        se_obs = float(np.asarray(prediction.se_obs)[0])
        # P(Y ≥ target) = P(T ≤ (ŷ − target)/se) for increase, mirrored for decrease
        from scipy import stats  # reference path only: keeps `import planmon` light

        out["p_reach_target"] = float(stats.t.cdf(gap / se_obs, result.df_resid))
    return out


def project_trends(points: pd.DataFrame, horizons: pd.DataFrame) -> pd.DataFrame:
    """Fit and project the trends of many series at once (vectorised closed form).

    Parameters
    ----------
    points : DataFrame
        Columns ``series`` (any hashable key, e.g. int codes), ``year`` (int or float, no NaN)
        and ``value`` (float, indicator unit; NaN rows are dropped). Rows may come in any order.
    horizons : DataFrame
        One row per series, indexed by ``series`` (unique), with columns ``horizon_year``
        (float, NaN when none), ``horizon_target`` (float, NaN when none) and ``direction``
        (``"increase"``, ``"decrease"`` or ``"maintain"``).

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
    _require_columns(points, ("series", "year", "value"), "points")
    _require_columns(horizons, ("horizon_year", "horizon_target", "direction"), "horizons")
    index = horizons.index
    if not index.is_unique:
        dup = index[index.duplicated()].unique()[:5].tolist()
        raise PlanmonError(f"trend: horizons has repeated series {dup}; give one row per series")
    m = len(index)

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
    if not keep.all():
        code, x, y = code[keep], x[keep], y[keep]

    h = horizons["horizon_year"].to_numpy(dtype=float, na_value=np.nan)
    target = horizons["horizon_target"].to_numpy(dtype=float, na_value=np.nan)
    sign = _direction_signs(horizons["direction"])

    def per_series(weights: np.ndarray) -> np.ndarray:
        return np.bincount(code, weights=weights, minlength=m)

    n = np.bincount(code, minlength=m)
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
        slope[np.abs(slope) * np.sqrt(sxx / n) <= _PERFECT_FIT_RTOL * scale_y] = 0.0
        residual = dy - slope[code] * dx
        sse = per_series(residual * residual)

    fit_code = np.full(m, _OK, dtype=np.int64)
    fit_code[n == 2] = _TWO
    perfect = (n >= 3) & has_line & (np.sqrt(sse / np.maximum(n, 1)) <= _PERFECT_FIT_RTOL * scale_y)
    fit_code[perfect] = _PERFECT
    fit_code[(n >= 2) & ~has_line] = _SINGLE_YEAR
    fit_code[n == 1] = _ONE
    fit_code[n == 0] = _NO_DATA

    h_code = np.full(m, _H_OK, dtype=np.int64)
    h_code[sign == 0] = _H_MAINTAIN
    h_code[np.isnan(target)] = _H_NO_TARGET
    h_code[np.isnan(h)] = _H_NO_HORIZON
    h_code[~has_line] = _H_OK  # without a line only the fit code is reported

    with np.errstate(invalid="ignore", divide="ignore"):
        y_hat = y_mean + slope * (h - x_mean)  # NaN without a line or a horizon
        gap = sign * (y_hat - target)
        moving_towards = sign * slope > 0
        reach_year = np.where(moving_towards, x_mean + (target - y_mean) / slope, np.nan)

    low = np.full(m, np.nan)
    high = np.full(m, np.nan)
    p_reach = np.full(m, np.nan)

    # Interval and probability need residual degrees of freedom: n ≥ 3 and a horizon.
    scattered = (fit_code == _OK) & ~np.isnan(h)
    if scattered.any():
        df = n[scattered] - 2
        s2 = sse[scattered] / df
        lever = h[scattered] - x_mean[scattered]
        se = np.sqrt(s2 * (1.0 + 1.0 / n[scattered] + lever * lever / sxx[scattered]))
        half = _t_quantiles(df) * se
        low[scattered] = y_hat[scattered] - half
        high[scattered] = y_hat[scattered] + half
        with_p = h_code[scattered] == _H_OK
        p_reach[np.flatnonzero(scattered)[with_p]] = special.stdtr(
            df[with_p], gap[scattered][with_p] / se[with_p]
        )

    exact = (fit_code == _PERFECT) & ~np.isnan(h)
    low[exact] = high[exact] = y_hat[exact]
    exact_p = exact & (h_code == _H_OK)
    p_reach[exact_p] = _reach_when_exact(gap[exact_p], target[exact_p], scale_y[exact_p])

    reason_code = fit_code * len(_HORIZON_CODES) + h_code
    return pd.DataFrame(
        {
            "trend_horizon_value": y_hat,
            "trend_low": low,
            "trend_high": high,
            "p_reach_target": p_reach,
            "trend_slope": slope,
            "n_points": n.astype(np.int64),
            "trend_reach_year": reach_year,
            "trend_reason": pd.array(_REASON_TABLE.take(reason_code), dtype="str"),
        },
        index=index.copy(),
    )


def _require_columns(frame: pd.DataFrame, columns: tuple[str, ...], name: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PlanmonError(
            f"trend: {name} lacks column(s) {', '.join(missing)}; "
            f"expected {', '.join(columns)}, found {', '.join(map(str, frame.columns))}"
        )


def _direction_signs(direction: pd.Series) -> np.ndarray:
    # map the few distinct words once, then broadcast: 600k string lookups cost 10× more
    codes, words = pd.factorize(direction, use_na_sentinel=False)
    signs = np.empty(len(words), dtype=np.float64)
    for i, word in enumerate(words):
        signs[i] = _direction_sign(word)
    return signs[codes]


def _t_quantiles(df: np.ndarray) -> np.ndarray:
    # stdtrit is an iterative inverse; the few distinct df values are solved once each
    distinct, where = np.unique(df, return_inverse=True)
    return special.stdtrit(distinct, (1 + _LEVEL) / 2)[where]
