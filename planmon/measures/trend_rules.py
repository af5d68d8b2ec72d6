"""What both trend implementations share: the output columns, the reason codes, and
:func:`finish_trends`, the one place that censors a line at the natural bounds and decides
whether a reach year is stated (rules: :mod:`planmon.measures.trend`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError

__all__ = [
    "TREND_COLUMNS",
    "TREND_REASONS",
    "REACH_WINDOW_YEARS",
    "MAX_REACH_WINDOW_YEARS",
    "LEVEL",
    "PERFECT_FIT_RTOL",
    "FIT_OK",
    "FIT_PERFECT",
    "FIT_TWO",
    "FIT_ONE",
    "FIT_SINGLE_YEAR",
    "FIT_NO_DATA",
    "NO_LINE",
    "H_OK",
    "H_NO_HORIZON",
    "H_NO_TARGET",
    "H_MAINTAIN",
    "H_AGAINST",
    "horizon_codes",
    "reach_when_exact",
    "finish_trends",
    "as_trend_frame",
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
    "trend_truncated",
)

#: ``trend_reason`` is one fit code, then optionally ``"; "`` and a horizon code, then
#: optionally ``"; "`` and a reach code (why a reach year was withheld). Codes are stable so
#: that reports can translate them (e.g. into Persian).
TREND_REASONS: dict[str, str] = {
    # fit codes
    "ok": "line fitted on three or more points, with interval and probability",
    "perfect_fit": "all points lie on the line: the interval collapses and p is 0 or 1",
    "two_points": "line through two points: no interval, no probability and no reach year",
    "one_point": "a single point: no trend",
    "single_year": "all points fall in one year: no trend",
    "no_data": "no reported value: no trend",
    # horizon codes
    "no_horizon": "no horizon year: nothing to project",
    "no_target": "no horizon target: no probability and no reach year",
    "maintain": "direction 'maintain': no one-sided probability and no reach year",
    "against_direction": "targets against the direction: no probability and no reach year",
    # reach codes
    "target_out_of_bounds": "the target lies beyond the natural bounds: no reach year",
    "stale": "no value in the report year: no reach year",
    "beyond_window": "the line meets the target too long after the horizon: no reach year",
}

#: A reach year is stated only up to this many years after the horizon.
REACH_WINDOW_YEARS = 5
#: The largest window a caller may ask for.
MAX_REACH_WINDOW_YEARS = 10

LEVEL = 0.95
# Residuals (or the line's rise over the spread of the years) below this fraction of the
# values' root-mean-square are rounding, not signal: such a fit is perfect (se = 0), such a
# slope is 0. Rounding noise in either implementation is a few 1e-16, so the margin is wide,
# and no plan indicator is measured to 12 significant digits.
PERFECT_FIT_RTOL = 1e-12

_FIT_CODES = ("ok", "perfect_fit", "two_points", "one_point", "single_year", "no_data")
_HORIZON_CODES = ("", "no_horizon", "no_target", "maintain", "against_direction")
_REACH_CODES = ("", "target_out_of_bounds", "stale", "beyond_window")
FIT_OK, FIT_PERFECT, FIT_TWO, FIT_ONE, FIT_SINGLE_YEAR, FIT_NO_DATA = range(len(_FIT_CODES))
H_OK, H_NO_HORIZON, H_NO_TARGET, H_MAINTAIN, H_AGAINST = range(len(_HORIZON_CODES))
_R_OK, _R_BOUNDS, _R_STALE, _R_LATE = range(len(_REACH_CODES))
#: Without a line the horizon does not matter, so only the fit code is reported.
NO_LINE = (FIT_ONE, FIT_SINGLE_YEAR, FIT_NO_DATA)
# Every (fit, horizon, reach) triple as its reason string; a frame's reasons are one take().
_REASON_TABLE = np.array(
    [
        "; ".join(c for c in (f, h, r) if c)
        for f in _FIT_CODES
        for h in _HORIZON_CODES
        for r in _REACH_CODES
    ],
    dtype=object,
)


def horizon_codes(
    has_line: np.ndarray,
    horizon_year: np.ndarray,
    target: np.ndarray,
    sign: np.ndarray,
    against: np.ndarray,
) -> np.ndarray:
    """Horizon code of each series (the last applicable one wins; none without a line)."""
    code = np.full(horizon_year.shape, H_OK, dtype=np.int64)
    code[sign == 0] = H_MAINTAIN
    code[against] = H_AGAINST
    code[np.isnan(target) & ~against] = H_NO_TARGET
    code[np.isnan(horizon_year)] = H_NO_HORIZON
    code[~has_line] = H_OK
    return code


def reach_when_exact(gap: np.ndarray, target: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """p for a zero-variance prediction: 1 if the line ends on the good side of the target.

    ``gap`` is ``sign · (ŷ − target)``; a gap within rounding of zero counts as reached, so the
    answer does not flip on the last bit of the line's value.
    """
    tol = PERFECT_FIT_RTOL * np.maximum(np.abs(scale), np.abs(target))
    return np.where(np.asarray(gap) >= -tol, 1.0, 0.0)


def _censored(values: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore"):
        return np.clip(values, lower, upper)


def finish_trends(
    line: dict[str, np.ndarray],
    *,
    fit_code: np.ndarray,
    horizon_code: np.ndarray,
    horizon_year: np.ndarray,
    target: np.ndarray,
    sign: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
    last_year: np.ndarray,
    report_year: np.ndarray,
    reach_window: float = REACH_WINDOW_YEARS,
) -> dict[str, np.ndarray]:
    """Censor a fitted line at the natural bounds and apply the reach-year rules.

    Parameters
    ----------
    line : dict of numpy.ndarray
        The uncensored line per series: ``trend_horizon_value``, ``trend_low``,
        ``trend_high``, ``p_reach_target``, ``trend_slope``, ``n_points`` and
        ``trend_reach_year`` (NaN where not computed).
    fit_code, horizon_code : numpy.ndarray of int
        Codes of the fit and of the horizon (``FIT_*``, ``H_*``).
    horizon_year, target, sign : numpy.ndarray of float
        Horizon year, horizon target (NaN = none) and direction sign.
    lower, upper : numpy.ndarray of float
        Natural bounds (``-inf``/``inf`` = none).
    last_year, report_year : numpy.ndarray of float
        Year of the series' last point, and the report year (NaN = do not check).
    reach_window : float, default 5
        Years after the horizon within which a reach year is stated (at most 10).

    Returns
    -------
    dict of numpy.ndarray
        The :data:`TREND_COLUMNS` (``trend_reason`` as an object array of codes).
    """
    if not 0 <= reach_window <= MAX_REACH_WINDOW_YEARS:
        raise PlanmonError(
            f"trend: reach_window {reach_window!r} must be between 0 and "
            f"{MAX_REACH_WINDOW_YEARS} years after the horizon"
        )
    out = dict(line)
    raw = [line[c] for c in ("trend_horizon_value", "trend_low", "trend_high")]
    cut = [_censored(v, lower, upper) for v in raw]
    truncated = np.zeros(len(fit_code), dtype=bool)
    for before, after in zip(raw, cut, strict=True):
        truncated |= ~np.isnan(before) & (before != after)
    out["trend_horizon_value"], out["trend_low"], out["trend_high"] = cut
    with np.errstate(invalid="ignore"):
        unreachable = ((sign > 0) & (target > upper)) | ((sign < 0) & (target < lower))
        guaranteed = ((sign > 0) & (target <= lower)) | ((sign < 0) & (target >= upper))
    p = line["p_reach_target"]
    out["p_reach_target"] = np.where(
        np.isnan(p), np.nan, np.where(unreachable, 0.0, np.where(guaranteed, 1.0, p))
    )
    reach = line["trend_reach_year"]
    has_reach = ~np.isnan(reach) & (line["n_points"] >= 3)
    with np.errstate(invalid="ignore"):
        stale = last_year < report_year
        late = reach > horizon_year + reach_window
    reach_code = np.select(
        [has_reach & unreachable, has_reach & stale, has_reach & late],
        [_R_BOUNDS, _R_STALE, _R_LATE],
        default=_R_OK,
    )
    out["trend_reach_year"] = np.where(has_reach & (reach_code == _R_OK), reach, np.nan)
    index = (fit_code * len(_HORIZON_CODES) + horizon_code) * len(_REACH_CODES) + reach_code
    out["trend_reason"] = _REASON_TABLE.take(index)
    out["trend_truncated"] = truncated
    return {c: out[c] for c in TREND_COLUMNS}


def as_trend_frame(columns: dict[str, np.ndarray], index: pd.Index) -> pd.DataFrame:
    """The finished columns as the trend frame (stable dtypes)."""
    frame = pd.DataFrame(
        {
            **{c: columns[c] for c in TREND_COLUMNS if c not in ("trend_reason", "n_points")},
            "n_points": np.asarray(columns["n_points"]).astype(np.int64),
            "trend_reason": pd.array(columns["trend_reason"], dtype="str"),
        },
        index=index.copy(),
    )
    frame["trend_truncated"] = frame["trend_truncated"].astype(bool)
    return frame[list(TREND_COLUMNS)]
