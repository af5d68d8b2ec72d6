"""Indicator progress measures for one indicator in one report year, vectorised.

Every function here works on whole columns at once (NumPy arrays or pandas Series, broadcast
against each other) and never loops over rows in Python, so a whole plan's scores frame
(hundreds of thousands of indicator-years) takes a fraction of a second.

Terms used throughout:

* *baseline*: the indicator's ``baseline_year`` and ``baseline_value``;
* *horizon*: the indicator's last target year (``horizon_year``) and its target
  (``horizon_target``); NaN when the indicator has no targets;
* *direction*: ``"increase"``, ``"decrease"`` or ``"maintain"`` (the desired direction).

The five families of measures
-----------------------------
1. Annual conformity (:func:`achievement_pct`, :func:`maintain_status`): the reported value
   against that year's target, in percent.
2. Distance to the horizon (:func:`distance_to_horizon`): share of the baseline→horizon
   distance already covered, the gap left (in the indicator's unit) and the years left.
3. Open SDG / Statistics Canada progress measure (:func:`open_sdg_progress`): growth since
   the baseline (CAGR) against the growth needed to reach the horizon target, or against
   fixed growth thresholds when there is no target; a status and a score in [-5, 5].
   Source: Open SDG documentation, *Progress Measurement Methodology*
   (open-sdg/open-sdg ``docs/progress-methodology.md``) and its reference implementation,
   open-sdg/sdg-build ``sdg/ProgressMeasure.py``.
4. ESCAP progress indices (:func:`escap_indices`): current status index and anticipated
   progress index of the ESCAP *Asia and the Pacific SDG Progress Report* methodology
   (https://data.unescap.org/resource-guides/progress-assessment-methodology).
5. Required versus observed pace (:func:`pace_ratio`): the SDSN *Sustainable Development
   Report* linear trend method, observed yearly change over the yearly change needed.

:func:`compute_progress` applies all five to a frame with one row per indicator and year.

Statuses and reasons
--------------------
:data:`STATUSES` lists the statuses from best to worst, then ``"not_available"``. Each
measure that can be missing comes with a *reason*: a short English phrase, empty when the
measure was computed normally. The phrases are constants of this module (``REASON_*``, all
listed in :data:`REASONS`) so that a report can translate them:

=========================================  ==================================================
reason                                     meaning
=========================================  ==================================================
``"no value"``                             the value for the report year is missing
``"no target"``                            no target for the year / no horizon target
``"no baseline"``                          baseline value or year missing
``"maintain"``                             growth-based measures do not apply to "maintain"
``"unknown direction"``                    direction is not increase/decrease/maintain
``"zero target"``                          the target is 0 and is a denominator
``"zero value"``                           the value is 0 and is a denominator
``"zero baseline"``                        the baseline is 0, so no growth rate exists
``"value and target differ in sign"``      a ratio of numbers of opposite sign is meaningless
``"sign change since baseline"``           baseline and value of opposite sign (no CAGR)
``"baseline and target differ in sign"``   baseline and horizon target of opposite sign
``"less than one year since baseline"``    report year not after the baseline year
``"horizon year not after baseline"``      horizon year not after the baseline year
``"horizon target equals baseline"``       no distance to cover, so ratios are undefined
``"zero baseline replaced by 0.001"``      Open SDG caveat: status computed with y0 = 0.001
``"zero target replaced by 0.001"``        Open SDG caveat: status computed with yT = 0.001
=========================================  ==================================================
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import ArrayLike

from planmon.core.exceptions import PlanmonError

__all__ = [
    "STATUSES",
    "REASONS",
    "REASON_NO_VALUE",
    "REASON_NO_TARGET",
    "REASON_NO_BASELINE",
    "REASON_MAINTAIN",
    "REASON_UNKNOWN_DIRECTION",
    "REASON_ZERO_TARGET",
    "REASON_ZERO_VALUE",
    "REASON_ZERO_BASELINE",
    "REASON_VALUE_TARGET_SIGN",
    "REASON_SIGN_CHANGE",
    "REASON_BASELINE_TARGET_SIGN",
    "REASON_TOO_SHORT",
    "REASON_HORIZON_NOT_AFTER_BASELINE",
    "REASON_TARGET_EQUALS_BASELINE",
    "REASON_ZERO_BASELINE_REPLACED",
    "REASON_ZERO_TARGET_REPLACED",
    "DEFAULT_TOLERANCE",
    "PROGRESS_COLUMNS",
    "INPUT_COLUMNS",
    "DistanceToHorizon",
    "OpenSdgProgress",
    "EscapIndices",
    "annual_growth",
    "achievement_pct",
    "maintain_status",
    "distance_to_horizon",
    "limit_coefficient",
    "open_sdg_progress",
    "escap_indices",
    "pace_ratio",
    "compute_progress",
]

#: Progress statuses from best to worst, then the status used when no measure exists.
STATUSES: tuple[str, ...] = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
)
_TARGET_ACHIEVED, _SUBSTANTIAL, _MODERATE, _LIMITED, _DETERIORATION, _NOT_AVAILABLE = range(6)
_STATUS_LABELS = np.array(STATUSES, dtype=object)

REASON_NO_VALUE = "no value"
REASON_NO_TARGET = "no target"
REASON_NO_BASELINE = "no baseline"
REASON_MAINTAIN = "maintain"
REASON_UNKNOWN_DIRECTION = "unknown direction"
REASON_ZERO_TARGET = "zero target"
REASON_ZERO_VALUE = "zero value"
REASON_ZERO_BASELINE = "zero baseline"
REASON_VALUE_TARGET_SIGN = "value and target differ in sign"
REASON_SIGN_CHANGE = "sign change since baseline"
REASON_BASELINE_TARGET_SIGN = "baseline and target differ in sign"
REASON_TOO_SHORT = "less than one year since baseline"
REASON_HORIZON_NOT_AFTER_BASELINE = "horizon year not after baseline"
REASON_TARGET_EQUALS_BASELINE = "horizon target equals baseline"
REASON_ZERO_BASELINE_REPLACED = "zero baseline replaced by 0.001"
REASON_ZERO_TARGET_REPLACED = "zero target replaced by 0.001"

#: Every reason phrase this module can return (the empty string means "computed normally").
REASONS: tuple[str, ...] = (
    REASON_NO_VALUE,
    REASON_NO_TARGET,
    REASON_NO_BASELINE,
    REASON_MAINTAIN,
    REASON_UNKNOWN_DIRECTION,
    REASON_ZERO_TARGET,
    REASON_ZERO_VALUE,
    REASON_ZERO_BASELINE,
    REASON_VALUE_TARGET_SIGN,
    REASON_SIGN_CHANGE,
    REASON_BASELINE_TARGET_SIGN,
    REASON_TOO_SHORT,
    REASON_HORIZON_NOT_AFTER_BASELINE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_ZERO_BASELINE_REPLACED,
    REASON_ZERO_TARGET_REPLACED,
)

# Reasons are carried as small integer codes into this table (0 = computed normally) and
# turned into text only at the end, which keeps long columns cheap.
_REASON_TABLE = np.array(("", *REASONS), dtype=object)
_REASON_CODE = {reason: code for code, reason in enumerate(_REASON_TABLE)}

#: Relative tolerance of "maintain" indicators when the plan gives none (5 % of the target).
DEFAULT_TOLERANCE = 0.05

#: Columns :func:`compute_progress` requires (``limit`` and ``tolerance`` are optional).
INPUT_COLUMNS: tuple[str, ...] = (
    "direction",
    "baseline_year",
    "baseline_value",
    "year",
    "value",
    "target",
    "horizon_year",
    "horizon_target",
    "limit",
    "tolerance",
)

#: Columns of the frame :func:`compute_progress` returns, in order.
PROGRESS_COLUMNS: tuple[str, ...] = (
    "achievement_pct",
    "achievement_reason",
    "years_left",
    "distance_covered_pct",
    "remaining_gap",
    "observed_growth",
    "required_growth",
    "cagr_ratio",
    "score",
    "status",
    "status_reason",
    "current_status_index",
    "projected_horizon_value",
    "anticipated_progress_index",
    "pace_ratio",
)

# Open SDG replaces a zero base value or target by this, because a growth rate from or to
# zero does not exist (docs: "Special considerations for the base value and the target").
_ZERO_REPLACEMENT = 0.001
# Open SDG thresholds: ratio R with a target; directed CAGR without one (then scaled by C).
_RATIO_HIGH, _RATIO_MED = 0.95, 0.6
_GROWTH_HIGH, _GROWTH_MED = 0.015, 0.005
# Exponent of the natural-limit scaling factor C = 1 - (y0 / ylim) ** 4.44.
_LIMIT_EXPONENT = 4.44

_DIRECTION_SIGNS = {"increase": 1.0, "decrease": -1.0, "maintain": 0.0}


class DistanceToHorizon(NamedTuple):
    """Distance from the baseline to the horizon target (see :func:`distance_to_horizon`)."""

    distance_covered_pct: np.ndarray
    remaining_gap: np.ndarray
    years_left: np.ndarray
    reason: np.ndarray


class OpenSdgProgress(NamedTuple):
    """Open SDG progress measure (see :func:`open_sdg_progress`)."""

    observed_growth: np.ndarray
    required_growth: np.ndarray
    cagr_ratio: np.ndarray
    score: np.ndarray
    status: np.ndarray
    reason: np.ndarray


class EscapIndices(NamedTuple):
    """ESCAP progress indices (see :func:`escap_indices`)."""

    current_status_index: np.ndarray
    projected_horizon_value: np.ndarray
    anticipated_progress_index: np.ndarray
    reason: np.ndarray


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def _floats(*arrays: ArrayLike) -> list[np.ndarray]:
    """Convert to float64 (pandas NA → NaN) and broadcast to one shape."""
    converted = []
    for a in arrays:
        if isinstance(a, pd.Series | pd.Index):
            a = a.to_numpy(dtype="float64", na_value=np.nan)
        converted.append(np.asarray(a, dtype="float64"))
    return list(np.broadcast_arrays(*converted))


def _direction_sign(direction: ArrayLike) -> np.ndarray:
    """+1 increase, -1 decrease, 0 maintain, NaN unknown; numeric input passes through.

    Strings are factorised first so that only the few distinct spellings are parsed, which
    keeps this cheap on long columns.
    """
    if isinstance(direction, pd.Series | pd.Index):
        if pd.api.types.is_numeric_dtype(direction.dtype):
            return direction.to_numpy(dtype="float64", na_value=np.nan)
        codes, uniques = pd.factorize(direction, use_na_sentinel=True)
        shape: tuple[int, ...] = codes.shape
    else:
        arr = np.asarray(direction)
        if arr.dtype.kind in "fiub":
            return arr.astype("float64")
        codes, uniques = pd.factorize(arr.astype(object).ravel(), use_na_sentinel=True)
        shape = arr.shape
    lookup = np.array(
        [_DIRECTION_SIGNS.get(str(u).strip().lower(), np.nan) for u in uniques] + [np.nan],
        dtype="float64",
    )
    # the sentinel -1 picks the trailing NaN
    return lookup[codes].reshape(shape)


def _reason_code(
    conditions: list[np.ndarray], reasons: list[str], shape: tuple[int, ...]
) -> np.ndarray:
    """Code (into ``_REASON_TABLE``) of the first true condition's reason, 0 where none holds."""
    codes = [_REASON_CODE[r] for r in reasons]
    return np.broadcast_to(np.select(conditions, codes, default=0), shape).astype(np.int8)


def _text(table: np.ndarray, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``table[codes]`` as a pandas ``str`` array, built in Arrow without Python objects."""
    taken = pa.array(list(table), type=pa.large_string()).take(pa.array(codes.ravel()))
    return pd.array(taken, dtype="str")


def _power(base: np.ndarray, exponent: np.ndarray | float) -> np.ndarray:
    """``base ** exponent``, NaN where the base is negative or either operand is not finite.

    NaN operands take a slow path in the C library's ``pow`` (ten times slower on long
    columns with many gaps), so they are swapped for 1 before the call and restored after.
    """
    valid = np.isfinite(base) & (base >= 0) & np.isfinite(exponent)
    with np.errstate(all="ignore"):
        result = np.power(np.where(valid, base, 1.0), np.where(valid, exponent, 1.0))
    return np.where(valid, result, np.nan)


def _opposite_signs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a > 0) & (b < 0)) | ((a < 0) & (b > 0))


# --------------------------------------------------------------------------------------
# growth
# --------------------------------------------------------------------------------------


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
    v0, v1, t0, t1 = _floats(start_value, end_value, start_year, end_year)
    with np.errstate(all="ignore"):
        span = t1 - t0
        growth = _power(v1 / v0, 1.0 / span) - 1.0
    bad = ~(span >= 1) | (v0 == 0) | _opposite_signs(v0, v1)
    return np.where(bad, np.nan, growth)


# --------------------------------------------------------------------------------------
# 1. annual conformity
# --------------------------------------------------------------------------------------


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
    v, t = _floats(value, target)
    pct, reason = _achievement(v, t, np.broadcast_to(_direction_sign(direction), v.shape))
    return pct, _REASON_TABLE[reason]


def _achievement(v: np.ndarray, t: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
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
    sign_differs = _opposite_signs(v, t) & ~maintain
    zero_target = (t == 0) & ~equal & ((effective > 0) | maintain)
    zero_value = (v == 0) & ~equal & (effective < 0)
    reason = _reason_code(
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
    status, reason = _maintain(*_floats(value, target, tolerance))
    return _STATUS_LABELS[status], _REASON_TABLE[reason]


def _maintain(v: np.ndarray, t: np.ndarray, tol: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tol = np.where(np.isnan(tol), DEFAULT_TOLERANCE, tol)
    reason = _reason_code([np.isnan(v), np.isnan(t)], [REASON_NO_VALUE, REASON_NO_TARGET], v.shape)
    # a hair of slack so that a value exactly on the band edge is not lost to rounding
    within = np.abs(v - t) <= tol * np.abs(t) * (1 + 1e-12)
    code = np.where(reason != 0, _NOT_AVAILABLE, np.where(within, _TARGET_ACHIEVED, _DETERIORATION))
    return code, reason


# --------------------------------------------------------------------------------------
# 2. distance to the horizon
# --------------------------------------------------------------------------------------


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
    v, t, b, h, th = _floats(value, year, baseline_value, horizon_target, horizon_year)
    with np.errstate(all="ignore"):
        covered = 100.0 * (v - b) / (h - b)
    reason = _reason_code(
        [np.isnan(v), np.isnan(h), np.isnan(b), h == b],
        [REASON_NO_VALUE, REASON_NO_TARGET, REASON_NO_BASELINE, REASON_TARGET_EQUALS_BASELINE],
        v.shape,
    )
    covered = np.where(reason == 0, covered, np.nan)
    return DistanceToHorizon(covered, h - v, th - t, _REASON_TABLE[reason])


# --------------------------------------------------------------------------------------
# 3. Open SDG / Statistics Canada progress measure
# --------------------------------------------------------------------------------------


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
    y0, lim = _floats(baseline_value, limit)
    d = np.broadcast_to(_direction_sign(direction), y0.shape)
    effective = np.where(y0 < 0, -d, d)
    b, big_l = np.abs(y0), np.abs(lim)
    with np.errstate(all="ignore"):
        below = 1.0 - _power(b / big_l, _LIMIT_EXPONENT)
        above = 1.0 - _power((2.0 * big_l - b) / big_l, _LIMIT_EXPONENT)
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
        [_SUBSTANTIAL, _MODERATE, _LIMITED, _DETERIORATION],
        default=_NOT_AVAILABLE,
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
    t0, y0, t, y, t_h, y_h, lim = _floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target, limit
    )
    d = np.broadcast_to(_direction_sign(direction), y.shape)
    p = _open_sdg(d, t0, y0, t, y, t_h, y_h, lim)
    return p._replace(status=_STATUS_LABELS[p.status], reason=_REASON_TABLE[p.reason])


def _open_sdg(
    d: np.ndarray,
    t0: np.ndarray,
    y0: np.ndarray,
    t: np.ndarray,
    y: np.ndarray,
    t_h: np.ndarray,
    y_h: np.ndarray,
    lim: np.ndarray,
) -> OpenSdgProgress:
    """:func:`open_sdg_progress` on float arrays, with status and reason as integer codes."""
    shape = y.shape
    has_target = ~np.isnan(y_h) & ~np.isnan(t_h)

    base = np.where(y0 == 0, _ZERO_REPLACEMENT, y0)
    target = np.where(y_h == 0, _ZERO_REPLACEMENT, y_h)
    sign = np.where(base < 0, -1.0, 1.0)
    directed = sign * d

    too_short = ~(t - t0 >= 1)
    sign_change = _opposite_signs(base, y)
    target_sign = has_target & _opposite_signs(base, target)
    horizon_early = has_target & ~(t_h - t0 >= 1)
    with np.errstate(all="ignore"):
        observed = _power(y / base, 1.0 / (t - t0)) - 1.0
        required = _power(target / base, 1.0 / (t_h - t0)) - 1.0
        ratio = directed * observed / np.abs(required)
    observed = np.where(too_short | sign_change, np.nan, observed)
    required = np.where(has_target & ~target_sign & ~horizon_early, required, np.nan)
    flat_target = required == 0
    ratio = np.where(has_target & ~flat_target, ratio, np.nan)
    ratio = np.where(np.isnan(observed) | np.isnan(required), np.nan, ratio)

    # without a target: directed growth against thresholds scaled near a natural limit
    c = limit_coefficient(base, lim, d)
    growth = directed * observed
    status_free = _status_from_thresholds(growth, _GROWTH_HIGH * c, _GROWTH_MED * c)
    score_free = _score_without_target(growth, c)
    status_target = _status_from_thresholds(ratio, _RATIO_HIGH, _RATIO_MED)
    score_target = _score_with_target(ratio)
    status = np.where(has_target, status_target, status_free)
    score = np.where(has_target, score_target, score_free)

    missing_value = np.isnan(y)
    unknown = np.isnan(d)
    maintain = d == 0
    no_baseline = np.isnan(y0) | np.isnan(t0)
    achieved = has_target & (((d > 0) & (y >= y_h)) | ((d < 0) & (y <= y_h)))
    blocked = missing_value | unknown | maintain | no_baseline
    achieved &= ~blocked

    reason = _reason_code(
        [
            missing_value,
            unknown,
            maintain,
            no_baseline,
            achieved,
            too_short,
            sign_change,
            target_sign,
            horizon_early,
            has_target & flat_target,
            y0 == 0,
            has_target & (y_h == 0),
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
        shape,
    )
    not_available = blocked | (~achieved & (too_short | sign_change | target_sign | horizon_early))
    # Target equal to the baseline and not achieved: the value moved the wrong way from the
    # baseline, the limit of R -> -inf, hence deterioration with the lowest score.
    flat_missed = has_target & flat_target & ~achieved & ~not_available
    status = np.where(flat_missed, _DETERIORATION, status)
    score = np.where(flat_missed, -5.0, score)
    status = np.where(achieved, _TARGET_ACHIEVED, np.where(not_available, _NOT_AVAILABLE, status))
    score = np.where(achieved, 5.0, np.where(not_available, np.nan, score))
    return OpenSdgProgress(
        observed_growth=np.where(blocked, np.nan, observed),
        required_growth=np.where(blocked, np.nan, required),
        cagr_ratio=np.where(blocked, np.nan, ratio),
        score=score,
        status=status,
        reason=reason,
    )


# --------------------------------------------------------------------------------------
# 4. ESCAP progress indices
# --------------------------------------------------------------------------------------


def escap_indices(
    *,
    direction: ArrayLike,
    baseline_year: ArrayLike,
    baseline_value: ArrayLike,
    year: ArrayLike,
    value: ArrayLike,
    horizon_year: ArrayLike,
    horizon_target: ArrayLike,
) -> EscapIndices:
    """ESCAP current status index and anticipated progress index.

    * ``current_status_index = D * (y - y0) / |yT - y0|`` (D = +1 increase, -1 decrease):
      the share of the baseline→target distance covered so far (1 = target reached, negative
      = moved away);
    * ``projected_horizon_value = y * (1 + g) ** (tT - t)`` with ``g`` the observed CAGR
      since the baseline (:func:`annual_growth`), i.e. the value expected at the horizon if
      the growth so far continues (the current value when the horizon year has passed);
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
    t0, y0, t, y, t_h, y_h = _floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target
    )
    shape = y.shape
    d = np.broadcast_to(_direction_sign(direction), shape)
    growth = annual_growth(y0, y, t0, t)
    with np.errstate(all="ignore"):
        span = np.abs(y_h - y0)
        current = d * (y - y0) / span
        projected = y * _power(1.0 + growth, np.maximum(t_h - t, 0.0))
        anticipated = d * (projected - y0) / span

    index_reason = _reason_code(
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
    growth_reason = _reason_code(
        [~(t - t0 >= 1), y0 == 0, _opposite_signs(y0, y)],
        [REASON_TOO_SHORT, REASON_ZERO_BASELINE, REASON_SIGN_CHANGE],
        shape,
    )
    ok = index_reason == 0
    reason = np.where(ok, growth_reason, index_reason)
    projected_ok = ok & (growth_reason == 0)
    return EscapIndices(
        current_status_index=np.where(ok, current, np.nan),
        projected_horizon_value=np.where(projected_ok, projected, np.nan),
        anticipated_progress_index=np.where(projected_ok, anticipated, np.nan),
        reason=_REASON_TABLE[reason],
    )


# --------------------------------------------------------------------------------------
# 5. required versus observed pace
# --------------------------------------------------------------------------------------


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
    t0, y0, t, y, t_h, y_h = _floats(
        baseline_year, baseline_value, year, value, horizon_year, horizon_target
    )
    shape = y.shape
    d = np.broadcast_to(_direction_sign(direction), shape)
    with np.errstate(all="ignore"):
        ratio = ((y - y0) / (t - t0)) / ((y_h - y0) / (t_h - t0))
    reason = _reason_code(
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
        shape,
    )
    return np.where(reason == 0, ratio, np.nan), _REASON_TABLE[reason]


# --------------------------------------------------------------------------------------
# frame level
# --------------------------------------------------------------------------------------


def compute_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """All progress measures for a frame with one row per indicator and report year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any index; columns ``direction, baseline_year, baseline_value, year, value, target,
        horizon_year, horizon_target`` and optionally ``limit`` (natural limit, NaN = none)
        and ``tolerance`` (relative band of "maintain" indicators, NaN = 0.05). ``target``
        is that year's target; ``horizon_target``/``horizon_year`` the indicator's last
        target and its year, NaN when the indicator has no targets. Other columns are
        ignored.

    Returns
    -------
    pandas.DataFrame
        Same index, columns :data:`PROGRESS_COLUMNS`:

        * ``achievement_pct`` (percent), ``achievement_reason`` — :func:`achievement_pct`
          against ``target``;
        * ``years_left`` (years), ``distance_covered_pct`` (percent), ``remaining_gap``
          (indicator's unit) — :func:`distance_to_horizon`;
        * ``observed_growth``, ``required_growth`` (fractions per year), ``cagr_ratio``,
          ``score`` in [-5, 5], ``status``, ``status_reason`` — :func:`open_sdg_progress`;
        * ``current_status_index``, ``projected_horizon_value`` (indicator's unit),
          ``anticipated_progress_index`` — :func:`escap_indices`;
        * ``pace_ratio`` — :func:`pace_ratio`.

        For "maintain" indicators ``status`` comes from :func:`maintain_status` (against
        ``target``, else ``horizon_target``), ``status_reason`` is ``"maintain"`` and the
        growth-based measures are NaN. A missing ``value`` gives ``not_available`` with
        reason ``"no value"`` everywhere.

    Raises
    ------
    PlanmonError
        If a required column is missing.

    Examples
    --------
    >>> rows = pd.DataFrame({"direction": ["decrease"], "baseline_year": [2015],
    ...     "baseline_value": [14.5], "year": [2023], "value": [10.4], "target": [9.0],
    ...     "horizon_year": [2030.0], "horizon_target": [7.25]})
    >>> out = compute_progress(rows)
    >>> str(out.loc[0, "status"]), round(float(out.loc[0, "score"]), 4)
    ('moderate_progress', 2.1507)
    """
    required = [c for c in INPUT_COLUMNS if c not in ("limit", "tolerance")]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PlanmonError(
            "compute_progress: the frame lacks column(s) "
            + ", ".join(missing)
            + "; expected "
            + ", ".join(INPUT_COLUMNS)
            + " (limit and tolerance optional)."
        )
    n = len(frame)

    def column(name: str, default: float = np.nan) -> np.ndarray:
        if name not in frame.columns:
            return np.full(n, default)
        return _floats(frame[name])[0]

    d = _direction_sign(frame["direction"])
    t0, y0 = column("baseline_year"), column("baseline_value")
    t, y, target = column("year"), column("value"), column("target")
    t_h, y_h = column("horizon_year"), column("horizon_target")
    lim, tol = column("limit"), column("tolerance", DEFAULT_TOLERANCE)
    common = dict(
        direction=d, baseline_year=t0, baseline_value=y0, year=t, value=y,
        horizon_year=t_h, horizon_target=y_h,
    )  # fmt: skip

    pct, pct_reason = _achievement(y, target, d)
    distance = distance_to_horizon(
        value=y, year=t, baseline_value=y0, horizon_target=y_h, horizon_year=t_h
    )
    open_sdg = _open_sdg(d, t0, y0, t, y, t_h, y_h, lim)
    escap = escap_indices(**common)
    pace, _ = pace_ratio(**common)

    # "maintain" rows take their status from the tolerance band around this year's target
    # (else the horizon target); the growth-based measures are already NaN for them
    maintain = d == 0
    level = np.where(np.isnan(target), y_h, target)
    m_status, m_reason = _maintain(y, level, tol)
    status = np.where(maintain, m_status, open_sdg.status)
    maintain_reason = np.where(m_reason == 0, _REASON_CODE[REASON_MAINTAIN], m_reason)
    status_reason = np.where(maintain, maintain_reason, open_sdg.reason)

    numbers = {
        "achievement_pct": pct,
        "years_left": distance.years_left,
        "distance_covered_pct": distance.distance_covered_pct,
        "remaining_gap": distance.remaining_gap,
        "observed_growth": open_sdg.observed_growth,
        "required_growth": open_sdg.required_growth,
        "cagr_ratio": open_sdg.cagr_ratio,
        "score": open_sdg.score,
        "current_status_index": escap.current_status_index,
        "projected_horizon_value": escap.projected_horizon_value,
        "anticipated_progress_index": escap.anticipated_progress_index,
        "pace_ratio": pace,
    }
    # one Fortran-ordered block becomes the frame's float block without another copy
    block = np.empty((n, len(numbers)), dtype="float64", order="F")
    for i, values in enumerate(numbers.values()):
        block[:, i] = values
    out = pd.DataFrame(block, index=frame.index, columns=list(numbers), copy=False)
    texts = {
        "achievement_reason": _text(_REASON_TABLE, pct_reason),
        "status": _text(_STATUS_LABELS, status),
        "status_reason": _text(_REASON_TABLE, status_reason),
    }
    for name, values in texts.items():
        out.insert(PROGRESS_COLUMNS.index(name), name, values)
    return out
