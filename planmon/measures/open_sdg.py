"""Open SDG / Statistics Canada progress measure: growth since the baseline against the growth
needed, a status and a score in [-5, 5].

Source: Open SDG documentation, *Progress Measurement Methodology* (open-sdg/open-sdg
``docs/progress-methodology.md``) and its reference implementation, open-sdg/sdg-build
``sdg/ProgressMeasure.py``.

Indicators without a target
---------------------------
Open SDG judges an indicator without a quantitative target by its *signed progress value*,
the compound annual growth since the baseline turned towards the desired direction:
``s · d · g_o``, with ``d`` = +1 (increase) or −1 (decrease) and ``s`` = −1 for a negative
baseline (the direction then applies to the magnitude). planmon's ``observed_growth`` column is
``g_o`` itself, unsigned, so that it reads as the indicator's own growth ("accidents fell 1.8 %
a year" is ``observed_growth = -0.018``); the signed progress value the thresholds (1.5 % C,
0.5 % C, 0) are applied to is ``s · d · observed_growth`` (+0.018 for that decrease
indicator). An indicator whose targets contradict its direction
(:func:`planmon.measures.common.targets_against_direction`) is judged by this rule too.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from planmon.measures.common import (
    DETERIORATION,
    LIMITED,
    MODERATE,
    NOT_AVAILABLE,
    REASON_BASELINE_TARGET_SIGN,
    REASON_HORIZON_NOT_AFTER_BASELINE,
    REASON_MAINTAIN,
    REASON_NO_BASELINE,
    REASON_NO_VALUE,
    REASON_SIGN_CHANGE,
    REASON_TABLE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_TOO_SHORT,
    REASON_UNKNOWN_DIRECTION,
    REASON_ZERO_BASELINE_REPLACED,
    REASON_ZERO_TARGET_REPLACED,
    STATUS_BY_CODE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
    as_floats,
    direction_sign,
    opposite_signs,
    reason_code,
    safe_power,
)

__all__ = [
    "OpenSdgProgress",
    "annual_growth",
    "limit_coefficient",
    "open_sdg_progress",
    "open_sdg_codes",
]

# Open SDG replaces a zero base value or target by this, because a growth rate from or to
# zero does not exist (docs: "Special considerations for the base value and the target").
_ZERO_REPLACEMENT = 0.001
# Open SDG thresholds: ratio R with a target; directed CAGR without one (then scaled by C).
_RATIO_HIGH, _RATIO_MED = 0.95, 0.6
_GROWTH_HIGH, _GROWTH_MED = 0.015, 0.005
# Exponent of the natural-limit scaling factor C = 1 - (y0 / ylim) ** 4.44.
_LIMIT_EXPONENT = 4.44


class OpenSdgProgress(NamedTuple):
    """Open SDG progress measure (see :func:`open_sdg_progress`)."""

    observed_growth: np.ndarray
    required_growth: np.ndarray
    cagr_ratio: np.ndarray
    score: np.ndarray
    status: np.ndarray
    reason: np.ndarray


def annual_growth(
    start_value: ArrayLike, end_value: ArrayLike, start_year: ArrayLike, end_year: ArrayLike
) -> np.ndarray:
    """Compound annual growth rate between two observations.

    ``g = (end_value / start_value) ** (1 / (end_year - start_year)) - 1``

    Parameters
    ----------
    start_value, end_value : array_like of float
        Values at the start and end (any unit; only their ratio matters).
    start_year, end_year : array_like of int or float
        Years of the two values.

    Returns
    -------
    numpy.ndarray of float
        Growth per year as a fraction (0.02 = 2 % a year). NaN where a value is missing,
        the start value is 0, the two values have opposite signs, or the end year is less
        than one year after the start year. For two negative values the rate describes the
        growth of the magnitude.

    Examples
    --------
    >>> round(float(annual_growth(100.0, 121.0, 2020, 2022)), 6)
    0.1
    """
    v0, v1, t0, t1 = as_floats(start_value, end_value, start_year, end_year)
    with np.errstate(all="ignore"):
        span = t1 - t0
        growth = safe_power(v1 / v0, 1.0 / span) - 1.0
    bad = ~(span >= 1) | (v0 == 0) | opposite_signs(v0, v1)
    return np.where(bad, np.nan, growth)


def limit_coefficient(
    baseline_value: ArrayLike, limit: ArrayLike, direction: ArrayLike
) -> np.ndarray:
    """Open SDG scaling factor C for growth thresholds near a natural limit.

    With ``b = |baseline|`` and ``L = |limit|`` (Open SDG progress methodology, "Indicators
    without quantitative targets"; sdg-build ``get_progress_thresholds``)::

        C = 1 - (b / L) ** 4.44             if b <= L        (maximum limit)
        C = 1 - ((2L - b) / L) ** 4.44      if L < b < 2L    (minimum limit, mirrored)
        C = 1                               if b >= 2L

    As the methodology states, only a limit in the desired direction counts: a maximum limit
    (above the baseline) for an increasing indicator, a minimum limit (below it) for a
    decreasing one; otherwise, and when there is no limit, ``C = 1``. For a negative
    baseline the desired direction applies to the magnitude, so it is reversed.

    Parameters
    ----------
    baseline_value : array_like of float
        Baseline values (after Open SDG's zero replacement, if any).
    limit : array_like of float
        Natural limit (indicator's unit); NaN when none.
    direction : array_like of str
        ``"increase"`` or ``"decrease"`` (or +1, -1); anything else gives ``C = 1``.

    Returns
    -------
    numpy.ndarray of float
        C in [0, 1].

    Examples
    --------
    >>> round(float(limit_coefficient(90.0, 100.0, "increase")), 4)
    0.3736
    """
    y0, lim = as_floats(baseline_value, limit)
    d = np.broadcast_to(direction_sign(direction), y0.shape)
    effective = np.where(y0 < 0, -d, d)
    b, big_l = np.abs(y0), np.abs(lim)
    with np.errstate(all="ignore"):
        below = 1.0 - safe_power(b / big_l, _LIMIT_EXPONENT)
        above = 1.0 - safe_power((2.0 * big_l - b) / big_l, _LIMIT_EXPONENT)
    # b >= 2L is tested first so that b = L = 0 gives 1, as in sdg-build
    c = np.where(b >= 2.0 * big_l, 1.0, np.where(b <= big_l, below, above))
    relevant = ~np.isnan(lim) & (
        ((effective > 0) & (b <= big_l)) | ((effective < 0) & (b >= big_l))
    )
    return np.where(relevant, c, 1.0)


def _score_with_target(ratio: np.ndarray) -> np.ndarray:
    # sdg-build get_score (method 2): lines through (-0.6, -5), (0.6, 0), (1.3, 5). The
    # coefficients are the rounded ones the reference implementation publishes, so scores
    # match published figures to the 4th decimal.
    return np.where(
        ratio >= _RATIO_MED,
        np.minimum(7.1429 * ratio - 4.2857, 5.0),
        np.maximum(4.1667 * ratio - 2.5, -5.0),
    )


def _score_without_target(growth: np.ndarray, c: np.ndarray) -> np.ndarray:
    # sdg-build get_score (method 1): -5 at -2 %, -2.5 at 0, 0 at 0.5 % C, 2.5 at 1.5 % C,
    # 5 at 2 % C; positive growth is divided by C to compare on the unscaled basis.
    with np.errstate(all="ignore"):
        scaled = growth / c
        positive = np.where(
            growth >= _GROWTH_HIGH * c,
            np.minimum(500.0 * scaled - 5.0, 5.0),
            np.where(growth >= _GROWTH_MED * c, 250.0 * scaled - 1.25, 500.0 * scaled - 2.5),
        )
    return np.where(
        growth < 0,
        np.maximum(125.0 * growth - 2.5, -5.0),
        # C = 0: the baseline sits on the limit and did not move away, "on track"
        np.where(c == 0, 5.0, positive),
    )


def _status_from_thresholds(value: np.ndarray, high: np.ndarray, med: np.ndarray) -> np.ndarray:
    return np.select(
        [value >= high, value >= med, value >= 0, value < 0],
        [SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION],
        default=NOT_AVAILABLE,
    )


def open_sdg_progress(
    *,
    direction: ArrayLike,
    baseline_year: ArrayLike,
    baseline_value: ArrayLike,
    year: ArrayLike,
    value: ArrayLike,
    horizon_year: ArrayLike = np.nan,
    horizon_target: ArrayLike = np.nan,
    limit: ArrayLike = np.nan,
) -> OpenSdgProgress:
    """Open SDG / Statistics Canada progress measure, status and score.

    Observed growth ``g_o = (y / y0) ** (1 / (t - t0)) - 1`` (CAGR since the baseline).

    *With a target* (``horizon_target`` not NaN): the growth required to reach it,
    ``g_r = (yT / y0) ** (1 / (tT - t0)) - 1``, gives ``cagr_ratio = s * d * g_o / |g_r|``
    with ``d`` = +1 (increase) or -1 (decrease) and ``s`` = -1 for a negative baseline
    (else +1). Status: ``target_achieved`` when the value already meets or passes the
    horizon target in the desired direction; otherwise ratio >= 0.95 substantial,
    >= 0.6 moderate, >= 0 limited, < 0 deterioration. Score (sdg-build):
    ``min(7.1429 R - 4.2857, 5)`` for R >= 0.6, else ``max(4.1667 R - 2.5, -5)``; 5 when the
    target is achieved.

    *Without a target*: the directed growth ``s * d * g_o`` is compared with 1.5 % C,
    0.5 % C and 0, where C is :func:`limit_coefficient` (1 without a limit). Score:
    ``max(125 g - 2.5, -5)`` for g < 0; ``500 g / C - 2.5`` up to 0.5 % C;
    ``250 g / C - 1.25`` up to 1.5 % C; ``min(500 g / C - 5, 5)`` above; 5 when C = 0.

    Special cases, as in the methodology: a base value or target of 0 is replaced by 0.001
    (and the reason says so); a sign change between baseline and value, or less than one
    year between them, makes the measure not available. As in sdg-build, an achieved target
    is reported as ``target_achieved`` (score 5) even then. Unlike sdg-build, whether the
    target is achieved is judged on the target as given, before the zero replacement, so
    a value of 0 meets a target of 0.

    Parameters
    ----------
    direction : array_like of str
        ``"increase"``, ``"decrease"`` or ``"maintain"`` (or +1, -1, 0). The measure does
        not apply to "maintain" (reason ``"maintain"``).
    baseline_year, year : array_like of int
        Baseline year ``t0`` and report year ``t``.
    baseline_value, value : array_like of float
        Baseline value ``y0`` and the value ``y`` reported in ``year`` (indicator's unit).
    horizon_year, horizon_target : array_like of float, optional
        Target year ``tT`` and target ``yT``; NaN (default) for an indicator without
        targets.
    limit : array_like of float, optional
        Natural limit of an indicator without targets (e.g. 100 for a percentage); NaN
        (default) for none. Ignored when there is a target, as in sdg-build.

    Returns
    -------
    OpenSdgProgress
        ``observed_growth`` and ``required_growth`` (fractions per year; the latter NaN
        without a target), ``cagr_ratio`` (NaN without a target), ``score`` in [-5, 5],
        ``status`` (one of :data:`STATUSES`) and ``reason`` (see the module docstring).

    Examples
    --------
    Canada's poverty rate (CIF 1.1.1), to be halved from 14.5 % in 2015 to 7.25 % by 2030,
    was 10.4 % in 2023:

    >>> p = open_sdg_progress(direction="decrease", baseline_year=2015,
    ...                       baseline_value=14.5, year=2023, value=10.4,
    ...                       horizon_year=2030, horizon_target=7.25)
    >>> round(float(p.cagr_ratio), 5), str(p.status), round(float(p.score), 4)
    (0.90109, 'moderate_progress', 2.1507)
    """
    t0, y0, t, y, t_h, y_h, lim = as_floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target, limit
    )
    d = np.broadcast_to(direction_sign(direction), y.shape)
    p = open_sdg_codes(d, t0, y0, t, y, t_h, y_h, lim)
    return p._replace(status=STATUS_BY_CODE[p.status], reason=REASON_TABLE[p.reason])


class _Growth(NamedTuple):
    """Open SDG's growth rates and the special cases that block them."""

    observed: np.ndarray
    required: np.ndarray
    ratio: np.ndarray
    base: np.ndarray
    directed: np.ndarray
    has_target: np.ndarray
    flat_target: np.ndarray
    too_short: np.ndarray
    sign_change: np.ndarray
    target_sign: np.ndarray
    horizon_early: np.ndarray


def _growth(d, t0, y0, t, y, t_h, y_h) -> _Growth:
    """Observed and required CAGR and their ratio, with Open SDG's zero replacement."""
    has_target = ~np.isnan(y_h) & ~np.isnan(t_h)
    base = np.where(y0 == 0, _ZERO_REPLACEMENT, y0)
    target = np.where(y_h == 0, _ZERO_REPLACEMENT, y_h)
    directed = np.where(base < 0, -1.0, 1.0) * d
    too_short = ~(t - t0 >= 1)
    sign_change = opposite_signs(base, y)
    target_sign = has_target & opposite_signs(base, target)
    horizon_early = has_target & ~(t_h - t0 >= 1)
    with np.errstate(all="ignore"):
        observed = safe_power(y / base, 1.0 / (t - t0)) - 1.0
        required = safe_power(target / base, 1.0 / (t_h - t0)) - 1.0
        ratio = directed * observed / np.abs(required)
    observed = np.where(too_short | sign_change, np.nan, observed)
    required = np.where(has_target & ~target_sign & ~horizon_early, required, np.nan)
    flat_target = required == 0
    ratio = np.where(has_target & ~flat_target, ratio, np.nan)
    ratio = np.where(np.isnan(observed) | np.isnan(required), np.nan, ratio)
    return _Growth(
        observed, required, ratio, base, directed, has_target, flat_target,
        too_short, sign_change, target_sign, horizon_early,
    )  # fmt: skip


def open_sdg_codes(
    d: np.ndarray,
    t0: np.ndarray,
    y0: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    t_h: np.ndarray,
    y_h: np.ndarray,
    lim: np.ndarray,
) -> OpenSdgProgress:
    """:func:`open_sdg_progress` on float arrays (``d`` = direction sign); codes, not words."""
    g = _growth(d, t0, y0, t, y, t_h, y_h)
    # without a target: directed growth against thresholds scaled near a natural limit
    c = limit_coefficient(g.base, lim, d)
    growth = g.directed * g.observed
    status = np.where(
        g.has_target,
        _status_from_thresholds(g.ratio, _RATIO_HIGH, _RATIO_MED),
        _status_from_thresholds(growth, _GROWTH_HIGH * c, _GROWTH_MED * c),
    )
    score = np.where(g.has_target, _score_with_target(g.ratio), _score_without_target(growth, c))

    blocked = np.isnan(y) | np.isnan(d) | (d == 0) | np.isnan(y0) | np.isnan(t0)
    achieved = g.has_target & (((d > 0) & (y >= y_h)) | ((d < 0) & (y <= y_h))) & ~blocked
    reason = _reason(d, t0, y0, y, y_h, g, achieved)
    not_available = blocked | (
        ~achieved & (g.too_short | g.sign_change | g.target_sign | g.horizon_early)
    )
    # Target equal to the baseline and not achieved: the value moved the wrong way from the
    # baseline, the limit of R -> -inf, hence deterioration with the lowest score.
    flat_missed = g.has_target & g.flat_target & ~achieved & ~not_available
    status = np.where(flat_missed, DETERIORATION, status)
    score = np.where(flat_missed, -5.0, score)
    status = np.where(achieved, TARGET_ACHIEVED, np.where(not_available, NOT_AVAILABLE, status))
    score = np.where(achieved, 5.0, np.where(not_available, np.nan, score))
    return OpenSdgProgress(
        observed_growth=np.where(blocked, np.nan, g.observed),
        required_growth=np.where(blocked, np.nan, g.required),
        cagr_ratio=np.where(blocked, np.nan, g.ratio),
        score=score,
        status=status,
        reason=reason,
    )


def _reason(d, t0, y0, y, y_h, g: _Growth, achieved: np.ndarray) -> np.ndarray:
    """The first reason the measure is missing or caveated (codes; 0 = computed normally)."""
    return reason_code(
        [
            np.isnan(y),
            np.isnan(d),
            d == 0,
            np.isnan(y0) | np.isnan(t0),
            achieved,
            g.too_short,
            g.sign_change,
            g.target_sign,
            g.horizon_early,
            g.has_target & g.flat_target,
            y0 == 0,
            g.has_target & (y_h == 0),
        ],
        [
            REASON_NO_VALUE,
            REASON_UNKNOWN_DIRECTION,
            REASON_MAINTAIN,
            REASON_NO_BASELINE,
            "",
            REASON_TOO_SHORT,
            REASON_SIGN_CHANGE,
            REASON_BASELINE_TARGET_SIGN,
            REASON_HORIZON_NOT_AFTER_BASELINE,
            REASON_TARGET_EQUALS_BASELINE,
            REASON_ZERO_BASELINE_REPLACED,
            REASON_ZERO_TARGET_REPLACED,
        ],
        y.shape,
    )
