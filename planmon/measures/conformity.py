"""Annual conformity and distance to the horizon, vectorised.

* :func:`achievement_pct` — the reported value against that year's target, in percent;
* :func:`maintain_status` — a "maintain" indicator within its tolerance band or not;
* :func:`distance_to_horizon` — the share of the baseline→horizon distance already covered,
  the gap left (in the indicator's unit) and the years left.

Every function works on whole columns at once (NumPy arrays or pandas Series, broadcast
against each other). Reasons and statuses: :mod:`planmon.measures.common`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from planmon.core.schema import DEFAULT_TOLERANCE
from planmon.measures.common import (
    DETERIORATION,
    NOT_AVAILABLE,
    REASON_NO_BASELINE,
    REASON_NO_TARGET,
    REASON_NO_VALUE,
    REASON_TABLE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_UNKNOWN_DIRECTION,
    REASON_VALUE_TARGET_SIGN,
    REASON_ZERO_TARGET,
    REASON_ZERO_VALUE,
    STATUS_BY_CODE,
    TARGET_ACHIEVED,
    as_floats,
    direction_sign,
    opposite_signs,
    reason_code,
)

__all__ = [
    "DistanceToHorizon",
    "achievement_pct",
    "achievement_codes",
    "maintain_status",
    "maintain_codes",
    "distance_to_horizon",
]


class DistanceToHorizon(NamedTuple):
    """Distance from the baseline to the horizon target (see :func:`distance_to_horizon`)."""

    distance_covered_pct: np.ndarray
    remaining_gap: np.ndarray
    years_left: np.ndarray
    reason: np.ndarray


def achievement_pct(
    value: ArrayLike, target: ArrayLike, direction: ArrayLike
) -> tuple[np.ndarray, np.ndarray]:
    """Annual conformity: the reported value against that year's target, in percent.

    * increase: ``100 * value / target``
    * decrease: ``100 * target / value``
    * maintain: ``max(0, 100 * (1 - |value - target| / |target|))``

    When value and target are both negative the increase and decrease formulas swap, so
    that a value better than its target still scores above 100 (e.g. an increase target of
    -10 met with -5 gives 200 %, not 50 %). A value equal to its target is always 100 %.

    Parameters
    ----------
    value : array_like of float
        Reported values (indicator's unit).
    target : array_like of float
        That year's targets (indicator's unit).
    direction : array_like of str
        ``"increase"``, ``"decrease"`` or ``"maintain"`` (or +1, -1, 0).

    Returns
    -------
    pct : numpy.ndarray of float
        Achievement in percent (100 = on target); NaN where it cannot be computed.
    reason : numpy.ndarray of str (object)
        Empty where computed, otherwise one of ``"no value"``, ``"no target"``,
        ``"unknown direction"``, ``"value and target differ in sign"``, ``"zero target"``,
        ``"zero value"``.

    Examples
    --------
    >>> pct, why = achievement_pct([80.0, 80.0, 12.0], [100.0, 100.0, 0.0], "increase")
    >>> pct.round(1).tolist(), why.tolist()
    ([80.0, 80.0, nan], ['', '', 'zero target'])
    """
    v, t = as_floats(value, target)
    pct, reason = achievement_codes(v, t, np.broadcast_to(direction_sign(direction), v.shape))
    return pct, REASON_TABLE[reason]


def achievement_codes(v: np.ndarray, t: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`achievement_pct` on float arrays (``d`` = direction sign); reasons as codes."""
    shape = v.shape
    both_negative = (v < 0) & (t < 0)
    # with two negative numbers "more" is a smaller magnitude, so the ratio flips
    effective = np.where(both_negative, -d, d)
    numerator = np.where(effective > 0, v, t)
    denominator = np.where(effective > 0, t, v)
    with np.errstate(all="ignore"):
        ratio_pct = 100.0 * numerator / denominator
        maintain_pct = np.maximum(0.0, 100.0 * (1.0 - np.abs(v - t) / np.abs(t)))
    pct = np.where(d == 0, maintain_pct, ratio_pct)
    equal = v == t
    pct = np.where(equal, 100.0, pct)

    missing_value = np.isnan(v)
    missing_target = np.isnan(t)
    unknown = np.isnan(d)
    maintain = d == 0
    sign_differs = opposite_signs(v, t) & ~maintain
    zero_target = (t == 0) & ~equal & ((effective > 0) | maintain)
    zero_value = (v == 0) & ~equal & (effective < 0)
    reason = reason_code(
        [missing_value, missing_target, unknown, sign_differs, zero_target, zero_value],
        [
            REASON_NO_VALUE,
            REASON_NO_TARGET,
            REASON_UNKNOWN_DIRECTION,
            REASON_VALUE_TARGET_SIGN,
            REASON_ZERO_TARGET,
            REASON_ZERO_VALUE,
        ],
        shape,
    )
    pct = np.where(reason == 0, pct, np.nan)
    return pct, reason


def maintain_status(
    value: ArrayLike, target: ArrayLike, tolerance: ArrayLike = DEFAULT_TOLERANCE
) -> tuple[np.ndarray, np.ndarray]:
    """Status of a "maintain" indicator: within its tolerance band or not.

    ``target_achieved`` when ``|value - target| <= tolerance * |target|``, otherwise
    ``deterioration``.

    Parameters
    ----------
    value, target : array_like of float
        Reported value and the level to maintain (indicator's unit).
    tolerance : array_like of float, default 0.05
        Relative half-width of the band (0.05 = ±5 % of the target); NaN means the default.

    Returns
    -------
    status : numpy.ndarray of str (object)
        ``"target_achieved"``, ``"deterioration"`` or ``"not_available"``.
    reason : numpy.ndarray of str (object)
        ``"no value"`` or ``"no target"`` when not available, else empty.

    Examples
    --------
    >>> maintain_status([102.0, 110.0], 100.0)[0].tolist()
    ['target_achieved', 'deterioration']
    """
    status, reason = maintain_codes(*as_floats(value, target, tolerance))
    return STATUS_BY_CODE[status], REASON_TABLE[reason]


def maintain_codes(v: np.ndarray, t: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`maintain_status` on float arrays; status and reason as integer codes."""
    tol = np.where(np.isnan(tol), DEFAULT_TOLERANCE, tol)
    reason = reason_code([np.isnan(v), np.isnan(t)], [REASON_NO_VALUE, REASON_NO_TARGET], v.shape)
    # a hair of slack so that a value exactly on the band edge is not lost to rounding
    within = np.abs(v - t) <= tol * np.abs(t) * (1 + 1e-12)
    code = np.where(reason != 0, NOT_AVAILABLE, np.where(within, TARGET_ACHIEVED, DETERIORATION))
    return code, reason


def distance_to_horizon(
    *,
    value: ArrayLike,
    year: ArrayLike,
    baseline_value: ArrayLike,
    horizon_target: ArrayLike,
    horizon_year: ArrayLike,
) -> DistanceToHorizon:
    """How much of the baseline→horizon distance is covered, and what is left.

    * ``distance_covered_pct = 100 * (value - baseline) / (horizon_target - baseline)``
    * ``remaining_gap = horizon_target - value``
    * ``years_left = horizon_year - year``

    Parameters
    ----------
    value : array_like of float
        Reported value (indicator's unit).
    year : array_like of int
        Report year.
    baseline_value : array_like of float
        Baseline value (indicator's unit).
    horizon_target, horizon_year : array_like of float
        Last target of the indicator and its year (NaN if the indicator has no targets).

    Returns
    -------
    DistanceToHorizon
        ``distance_covered_pct`` (percent; 100 = horizon target reached, negative = moved
        away from it), ``remaining_gap`` (indicator's unit, signed: positive means the value
        must still rise), ``years_left`` (years; negative after the horizon) and ``reason``
        (why ``distance_covered_pct`` is NaN: ``"no value"``, ``"no target"``,
        ``"no baseline"``, ``"horizon target equals baseline"``).

    Examples
    --------
    >>> d = distance_to_horizon(value=10.4, year=2023, baseline_value=14.5,
    ...                         horizon_target=7.25, horizon_year=2030)
    >>> round(float(d.distance_covered_pct), 2), round(float(d.remaining_gap), 2), int(d.years_left)
    (56.55, -3.15, 7)
    """
    v, t, b, h, th = as_floats(value, year, baseline_value, horizon_target, horizon_year)
    with np.errstate(all="ignore"):
        covered = 100.0 * (v - b) / (h - b)
    reason = reason_code(
        [np.isnan(v), np.isnan(h), np.isnan(b), h == b],
        [REASON_NO_VALUE, REASON_NO_TARGET, REASON_NO_BASELINE, REASON_TARGET_EQUALS_BASELINE],
        v.shape,
    )
    covered = np.where(reason == 0, covered, np.nan)
    return DistanceToHorizon(covered, h - v, th - t, REASON_TABLE[reason])
