"""Required versus observed pace, and the SDSN trend category.

The SDSN *Sustainable Development Report* judges each indicator's trend by comparing its
observed linear pace since the baseline with the pace needed to reach the target by the
horizon (Sachs, Lafortune et al., *Sustainable Development Report*, "Methods summary and data
tables", SDG Trend Dashboards; https://dashboards.sdgindex.org/chapters/methodology, which
"builds on annual growth rates since 2015, extrapolated to 2030"; detailed method in
Lafortune et al., 2018, *SDG Index and Dashboards – Detailed Methodological Paper*).

:func:`pace_ratio` is the ratio of the two paces; :func:`pace_status` is the SDR trend category:

=========================  ===============================================================
``pace_status``            rule (``R`` = :func:`pace_ratio`)
=========================  ===============================================================
``achieved``               the value is at or beyond the horizon target in the desired
                           direction (SDR: "maintaining SDG achievement")
``on_track``               ``R ≥ 1``: at or above the required pace
``moderately_improving``   ``0.5 < R < 1``: more than half the required pace
``stagnating``             ``0 ≤ R ≤ 0.5``: at most half the required pace, or no movement
``decreasing``             ``R < 0``: moving the wrong way
``not_available``          no pace (no value, no target, "maintain", targets against the
                           direction, less than a year since the baseline, …)
=========================  ===============================================================
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from planmon.measures.common import (
    REASON_HORIZON_NOT_AFTER_BASELINE,
    REASON_MAINTAIN,
    REASON_NO_BASELINE,
    REASON_NO_TARGET,
    REASON_NO_VALUE,
    REASON_TABLE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_TOO_SHORT,
    REASON_UNKNOWN_DIRECTION,
    as_floats,
    direction_sign,
    reason_code,
)

__all__ = [
    "PACE_STATUSES",
    "PACE_BY_CODE",
    "MODERATE_PACE",
    "pace_ratio",
    "pace_codes",
    "pace_status",
    "pace_status_codes",
]

#: SDSN trend categories from best to worst, then the category used when there is no pace.
PACE_STATUSES: tuple[str, ...] = (
    "achieved",
    "on_track",
    "moderately_improving",
    "stagnating",
    "decreasing",
    "not_available",
)
#: ``PACE_BY_CODE[code]`` is the category word of an integer code.
PACE_BY_CODE = np.array(PACE_STATUSES, dtype=object)
_ACHIEVED, _ON_TRACK, _MODERATELY, _STAGNATING, _DECREASING, _NO_PACE = range(6)
#: Share of the required pace above which an indicator is "moderately improving" (SDR: 50 %).
MODERATE_PACE = 0.5


def pace_ratio(
    *,
    direction: ArrayLike,
    baseline_year: ArrayLike,
    baseline_value: ArrayLike,
    year: ArrayLike,
    value: ArrayLike,
    horizon_year: ArrayLike,
    horizon_target: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Observed linear pace over the pace required to reach the horizon target (SDSN).

    ``pace_ratio = ((y - y0) / (t - t0)) / ((yT - y0) / (tT - t0))``

    1 means the value moves exactly as fast as needed, above 1 faster, between 0 and 1 too
    slowly, below 0 the wrong way. Both paces are signed, so no direction factor is needed.

    Parameters
    ----------
    direction : array_like of str
        ``"increase"``, ``"decrease"`` or ``"maintain"`` (or +1, -1, 0); "maintain" has no
        pace (reason ``"maintain"``).
    baseline_year, year : array_like of int
        Baseline year and report year.
    baseline_value, value : array_like of float
        Baseline and reported values (indicator's unit).
    horizon_year, horizon_target : array_like of float
        Horizon year and target; NaN for indicators without targets.

    Returns
    -------
    ratio : numpy.ndarray of float
        Dimensionless pace ratio.
    reason : numpy.ndarray of str (object)
        Empty where computed, else ``"no value"``, ``"unknown direction"``, ``"maintain"``,
        ``"no baseline"``, ``"no target"``, ``"less than one year since baseline"``,
        ``"horizon year not after baseline"`` or ``"horizon target equals baseline"``.

    Examples
    --------
    >>> ratio, _ = pace_ratio(direction="increase", baseline_year=2020, baseline_value=50.0,
    ...                       year=2022, value=54.0, horizon_year=2025, horizon_target=60.0)
    >>> round(float(ratio), 6)
    1.0
    """
    t0, y0, t, y, t_h, y_h = as_floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target
    )
    d = np.broadcast_to(direction_sign(direction), y.shape)
    ratio, reason = pace_codes(d, t0, y0, t, y, t_h, y_h)
    return ratio, REASON_TABLE[reason]


def pace_codes(d, t0, y0, t, y, t_h, y_h) -> tuple[np.ndarray, np.ndarray]:
    """:func:`pace_ratio` on float arrays (``d`` = direction sign); reason as a code."""
    with np.errstate(all="ignore"):
        ratio = ((y - y0) / (t - t0)) / ((y_h - y0) / (t_h - t0))
    reason = reason_code(
        [
            np.isnan(y),
            np.isnan(d),
            d == 0,
            np.isnan(y0) | np.isnan(t0),
            np.isnan(y_h) | np.isnan(t_h),
            ~(t - t0 >= 1),
            ~(t_h - t0 >= 1),
            y_h == y0,
        ],
        [
            REASON_NO_VALUE,
            REASON_UNKNOWN_DIRECTION,
            REASON_MAINTAIN,
            REASON_NO_BASELINE,
            REASON_NO_TARGET,
            REASON_TOO_SHORT,
            REASON_HORIZON_NOT_AFTER_BASELINE,
            REASON_TARGET_EQUALS_BASELINE,
        ],
        y.shape,
    )
    return np.where(reason == 0, ratio, np.nan), reason


def pace_status(
    *, direction: ArrayLike, value: ArrayLike, horizon_target: ArrayLike, pace: ArrayLike
) -> np.ndarray:
    """SDSN trend category of each indicator-year (see the module docstring for the rules).

    Parameters
    ----------
    direction : array_like of str
        ``"increase"``, ``"decrease"`` or ``"maintain"`` (or +1, -1, 0).
    value, horizon_target : array_like of float
        Reported value and horizon target (indicator's unit); NaN when missing.
    pace : array_like of float
        :func:`pace_ratio` (NaN when there is no pace).

    Returns
    -------
    numpy.ndarray of str (object)
        One of :data:`PACE_STATUSES` per row.

    Examples
    --------
    Hand calculation: baseline 50 (2020), target 60 (2025), so the required pace is 2 a year;
    a value of 53 in 2022 is 1.5 a year, R = 0.75:

    >>> r, _ = pace_ratio(direction="increase", baseline_year=2020, baseline_value=50.0,
    ...                   year=2022, value=53.0, horizon_year=2025, horizon_target=60.0)
    >>> str(pace_status(direction="increase", value=53.0, horizon_target=60.0, pace=r))
    'moderately_improving'
    """
    y, y_h, ratio = as_floats(value, horizon_target, pace)
    d = np.broadcast_to(direction_sign(direction), y.shape)
    return PACE_BY_CODE[pace_status_codes(d, y, y_h, ratio)]


def pace_status_codes(d, y, y_h, ratio) -> np.ndarray:
    """:func:`pace_status` on float arrays (``d`` = direction sign); integer codes."""
    with np.errstate(invalid="ignore"):
        achieved = (d != 0) & (d * (y - y_h) >= 0)
    return np.select(
        [achieved, ratio >= 1.0, ratio > MODERATE_PACE, ratio >= 0.0, ratio < 0.0],
        [_ACHIEVED, _ON_TRACK, _MODERATELY, _STAGNATING, _DECREASING],
        default=_NO_PACE,
    ).astype(np.int8)
