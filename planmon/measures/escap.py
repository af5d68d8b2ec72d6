"""ESCAP progress indices: the current status index and the anticipated progress index.

Source: ESCAP, *Asia and the Pacific SDG Progress Report*, progress assessment methodology
(https://data.unescap.org/resource-guides/progress-assessment-methodology).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from planmon.measures.common import (
    REASON_MAINTAIN,
    REASON_NO_BASELINE,
    REASON_NO_TARGET,
    REASON_NO_VALUE,
    REASON_SIGN_CHANGE,
    REASON_TABLE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_TOO_SHORT,
    REASON_UNKNOWN_DIRECTION,
    REASON_ZERO_BASELINE,
    as_floats,
    direction_sign,
    opposite_signs,
    reason_code,
    safe_power,
)
from planmon.measures.open_sdg import annual_growth

__all__ = ["EscapIndices", "escap_indices", "escap_codes"]


class EscapIndices(NamedTuple):
    """ESCAP progress indices (see :func:`escap_indices`)."""

    current_status_index: np.ndarray
    projected_horizon_value: np.ndarray
    anticipated_progress_index: np.ndarray
    reason: np.ndarray


def escap_indices(
    *,
    direction: ArrayLike,
    baseline_year: ArrayLike,
    baseline_value: ArrayLike,
    year: ArrayLike,
    value: ArrayLike,
    horizon_year: ArrayLike,
    horizon_target: ArrayLike,
    lower: ArrayLike = -np.inf,
    upper: ArrayLike = np.inf,
) -> EscapIndices:
    """ESCAP current status index and anticipated progress index.

    * ``current_status_index = D * (y - y0) / |yT - y0|`` (D = +1 increase, -1 decrease):
      the share of the baseline→target distance covered so far (1 = target reached, negative
      = moved away);
    * ``projected_horizon_value = y * (1 + g) ** (tT - t)`` with ``g`` the observed CAGR
      since the baseline (:func:`~planmon.measures.open_sdg.annual_growth`), i.e. the value
      expected at the horizon if the growth so far continues (the current value when the
      horizon year has passed), cut at the natural bounds ``lower``/``upper``;
    * ``anticipated_progress_index``: the same index as the current status index, for the
      projected value.

    Parameters
    ----------
    direction : array_like of str
        ``"increase"``, ``"decrease"`` or ``"maintain"`` (or +1, -1, 0).
    baseline_year, year : array_like of int
        Baseline year and report year.
    baseline_value, value : array_like of float
        Baseline value and reported value (indicator's unit).
    horizon_year, horizon_target : array_like of float
        Horizon year and target; NaN for indicators without targets.
    lower, upper : array_like of float, optional
        Natural bounds of the indicator (:mod:`planmon.measures.bounds`); none by default.

    Returns
    -------
    EscapIndices
        ``current_status_index`` and ``anticipated_progress_index`` (dimensionless),
        ``projected_horizon_value`` (indicator's unit) and ``reason``: the first reason a
        measure is NaN (``"no value"``, ``"unknown direction"``, ``"maintain"``,
        ``"no baseline"``, ``"no target"``, ``"horizon target equals baseline"``, or — for the
        projection only — ``"less than one year since baseline"``, ``"zero baseline"``,
        ``"sign change since baseline"``).

    Examples
    --------
    >>> e = escap_indices(direction="decrease", baseline_year=2015, baseline_value=14.5,
    ...                   year=2023, value=10.4, horizon_year=2030, horizon_target=7.25)
    >>> [round(float(x), 4) for x in e[:3]]
    [0.5655, 7.7757, 0.9275]
    """
    t0, y0, t, y, t_h, y_h, low, high = as_floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target, lower, upper
    )
    d = np.broadcast_to(direction_sign(direction), y.shape)
    e = escap_codes(d, t0, y0, t, y, t_h, y_h, low, high)
    return e._replace(reason=REASON_TABLE[e.reason])


def escap_codes(
    d: np.ndarray,
    t0: np.ndarray,
    y0: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    t_h: np.ndarray,
    y_h: np.ndarray,
    low: np.ndarray,
    high: np.ndarray,
) -> EscapIndices:
    """:func:`escap_indices` on float arrays (``d`` = direction sign); reason as a code."""
    shape = y.shape
    growth = annual_growth(y0, y, t0, t)
    with np.errstate(all="ignore"):
        span = np.abs(y_h - y0)
        current = d * (y - y0) / span
        projected = y * safe_power(1.0 + growth, np.maximum(t_h - t, 0.0))
        projected = np.clip(projected, low, high)
        anticipated = d * (projected - y0) / span
    index_reason = reason_code(
        [
            np.isnan(y),
            np.isnan(d),
            d == 0,
            np.isnan(y0) | np.isnan(t0),
            np.isnan(y_h) | np.isnan(t_h),
            y_h == y0,
        ],
        [
            REASON_NO_VALUE,
            REASON_UNKNOWN_DIRECTION,
            REASON_MAINTAIN,
            REASON_NO_BASELINE,
            REASON_NO_TARGET,
            REASON_TARGET_EQUALS_BASELINE,
        ],
        shape,
    )
    growth_reason = reason_code(
        [~(t - t0 >= 1), y0 == 0, opposite_signs(y0, y)],
        [REASON_TOO_SHORT, REASON_ZERO_BASELINE, REASON_SIGN_CHANGE],
        shape,
    )
    ok = index_reason == 0
    projected_ok = ok & (growth_reason == 0)
    return EscapIndices(
        current_status_index=np.where(ok, current, np.nan),
        projected_horizon_value=np.where(projected_ok, projected, np.nan),
        anticipated_progress_index=np.where(projected_ok, anticipated, np.nan),
        reason=np.where(ok, growth_reason, index_reason),
    )
