"""What every measure shares: statuses, reason phrases, direction signs and array helpers.

Statuses and reasons
--------------------
:data:`STATUSES` lists the progress statuses from best to worst, then ``"not_available"``.
Each measure that can be missing comes with a *reason*: a short English phrase, empty when the
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
``"targets against direction"``            the horizon target lies against the direction
                                           from the baseline: target measures are not
                                           computed and the status is judged as for an
                                           indicator without a target (see
                                           :func:`targets_against_direction`)
=========================================  ==================================================

Direction signs
---------------
:func:`direction_sign` is the one mapping of a direction word to a sign (+1 increase, −1
decrease, 0 maintain). The vectorised measures map an unknown word to NaN (that row's
measures become "not available", reason ``"unknown direction"``); the trend, which fits one
line per series, refuses it (``strict=True``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from numpy.typing import ArrayLike

from planmon.core.exceptions import PlanmonError

__all__ = [
    "STATUSES",
    "STATUS_BY_CODE",
    "TARGET_ACHIEVED",
    "SUBSTANTIAL",
    "MODERATE",
    "LIMITED",
    "DETERIORATION",
    "NOT_AVAILABLE",
    "REASONS",
    "REASON_TABLE",
    "REASON_CODE",
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
    "REASON_TARGETS_AGAINST_DIRECTION",
    "DIRECTION_SIGNS",
    "direction_sign",
    "targets_against_direction",
    "as_floats",
    "reason_code",
    "as_text",
    "safe_power",
    "opposite_signs",
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
TARGET_ACHIEVED, SUBSTANTIAL, MODERATE, LIMITED, DETERIORATION, NOT_AVAILABLE = range(6)
#: ``STATUS_BY_CODE[code]`` is the status word of an integer status code.
STATUS_BY_CODE = np.array(STATUSES, dtype=object)

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
REASON_TARGETS_AGAINST_DIRECTION = "targets against direction"

#: Every reason phrase a measure can return (the empty string means "computed normally").
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
    REASON_TARGETS_AGAINST_DIRECTION,
)

# Reasons travel as small integer codes into this table (0 = computed normally) and become
# text only at the end, which keeps long columns cheap.
REASON_TABLE = np.array(("", *REASONS), dtype=object)
REASON_CODE = {reason: code for code, reason in enumerate(REASON_TABLE)}

#: Sign of "better" for each direction word of the data contract.
DIRECTION_SIGNS: dict[str, float] = {"increase": 1.0, "decrease": -1.0, "maintain": 0.0}


def as_floats(*arrays: ArrayLike) -> list[np.ndarray]:
    """Convert to float64 (pandas NA → NaN) and broadcast to one shape."""
    converted = []
    for a in arrays:
        if isinstance(a, pd.Series | pd.Index):
            a = a.to_numpy(dtype="float64", na_value=np.nan)
        converted.append(np.asarray(a, dtype="float64"))
    return list(np.broadcast_arrays(*converted))


def direction_sign(direction: ArrayLike, *, strict: bool = False) -> np.ndarray:
    """+1 increase, −1 decrease, 0 maintain; numeric input passes through.

    Parameters
    ----------
    direction : array_like of str or float
        Canonical direction words (case and surrounding spaces ignored) or signs.
    strict : bool, default False
        False: an unknown or blank word gives NaN. True: it raises.

    Raises
    ------
    PlanmonError
        With ``strict=True``, for a word that is not a direction.

    Notes
    -----
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
    signs = [DIRECTION_SIGNS.get(str(u).strip().lower(), np.nan) for u in uniques]
    if strict and (np.isnan(signs).any() or (codes < 0).any()):
        bad = next((u for u, s in zip(uniques, signs, strict=True) if np.isnan(s)), None)
        raise PlanmonError(
            f"direction {bad!r} is not one of {', '.join(DIRECTION_SIGNS)}; fix the direction "
            "column of the indicators"
        )
    lookup = np.array([*signs, np.nan], dtype="float64")
    # the sentinel -1 picks the trailing NaN
    return lookup[codes].reshape(shape)


def targets_against_direction(
    direction: ArrayLike, baseline_value: ArrayLike, horizon_target: ArrayLike
) -> np.ndarray:
    """True where the horizon target lies against the direction from the baseline.

    An *increase* indicator whose last target is below its baseline, or a *decrease* indicator
    whose last target is above it (the sample's TRF01: accidents, decrease, 96 → 100), has
    targets that contradict its direction. planmon's rule for such an indicator: its
    target-based measures (conformity, distance, the Open SDG ratio, ESCAP indices, pace, the
    trend's probability and reach year) are not computed, reason
    ``"targets against direction"``, and its status and score are judged against its stated
    direction with Open SDG's rule for indicators without a target. It therefore counts in
    the roll-ups' progress score but not in their conformity or distance, and carries the
    ``targets_against_direction`` caveat.

    Parameters
    ----------
    direction : array_like of str or float
        Direction words or signs.
    baseline_value, horizon_target : array_like of float
        Baseline and last target (NaN for no target: never against).

    Returns
    -------
    numpy.ndarray of bool

    Examples
    --------
    >>> targets_against_direction(["decrease", "increase"], [96.0, 10.0], [100.0, 12.0]).tolist()
    [True, False]
    """
    y0, y_h = as_floats(baseline_value, horizon_target)
    d = np.broadcast_to(direction_sign(direction), y0.shape)
    with np.errstate(invalid="ignore"):
        return np.asarray((d != 0) & (d * (y_h - y0) < 0))


def reason_code(
    conditions: list[np.ndarray], reasons: list[str], shape: tuple[int, ...]
) -> np.ndarray:
    """Code (into :data:`REASON_TABLE`) of the first true condition's reason, 0 where none."""
    codes = [REASON_CODE[r] for r in reasons]
    return np.broadcast_to(np.select(conditions, codes, default=0), shape).astype(np.int8)


def as_text(table: np.ndarray, codes: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``table[codes]`` as a pandas ``str`` array, built in Arrow without Python objects."""
    taken = pa.array(list(table), type=pa.large_string()).take(pa.array(codes.ravel()))
    return pd.array(taken, dtype="str")


def safe_power(base: np.ndarray, exponent: np.ndarray | float) -> np.ndarray:
    """``base ** exponent``, NaN where the base is negative or either operand is not finite.

    NaN operands take a slow path in the C library's ``pow`` (ten times slower on long
    columns with many gaps), so they are swapped for 1 before the call and restored after.
    """
    valid = np.isfinite(base) & (base >= 0) & np.isfinite(exponent)
    with np.errstate(all="ignore"):
        result = np.power(np.where(valid, base, 1.0), np.where(valid, exponent, 1.0))
    return np.where(valid, result, np.nan)


def opposite_signs(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """True where one of ``a``, ``b`` is positive and the other negative."""
    return ((a > 0) & (b < 0)) | ((a < 0) & (b > 0))
