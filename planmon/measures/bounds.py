"""Natural bounds of each indicator: the values it can take at all.

A projection must not leave them (:mod:`planmon.measures.trend` censors the line at them,
:mod:`planmon.measures.escap` cuts its projection). Each side of an indicator's range comes
from the first of:

1. the indicator's own ``min`` / ``max`` columns (optional in the data contract);
2. its Open SDG natural ``limit``: an upper bound when it lies at or above the baseline, a
   lower bound when below it (Open SDG treats a limit below the baseline as a minimum, see
   :func:`planmon.measures.open_sdg.limit_coefficient`);
3. its unit (:mod:`planmon.core.schema`): a percentage lies in 0–100
   (:func:`~planmon.core.schema.is_percentage_unit`), a count, length, area, time or sum of
   money is at least 0 (:func:`~planmon.core.schema.is_non_negative_unit`).

A bound taken from the unit is dropped when the indicator's own figures (baseline, targets or
reported values) already lie beyond it: the unit then evidently does not mean a share or a
non-negative quantity (a "%" that is a change, say), and the ``outside_0_100`` caveat tells the
reader. Bounds from ``min``/``max``/``limit`` are the plan's word and are kept. No bound is
``-inf`` / ``inf``; the frames carry NaN for "none".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.schema import is_non_negative_unit, is_percentage_unit

__all__ = ["BOUND_COLUMNS", "natural_bounds"]

#: Columns of :func:`natural_bounds` (and of the scores frame).
BOUND_COLUMNS: tuple[str, ...] = ("natural_min", "natural_max")


def _numbers(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column not in frame.columns:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float, na_value=np.nan)


def _unit_bounds(units: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Bounds implied by each unit (NaN = none), each distinct unit parsed once."""
    codes, uniques = pd.factorize(units.astype(object), use_na_sentinel=True)
    pct = np.array([is_percentage_unit(u) for u in uniques] + [False])
    non_negative = np.array([is_non_negative_unit(u) for u in uniques] + [False])
    lower = np.where(non_negative[codes] | pct[codes], 0.0, np.nan)
    upper = np.where(pct[codes], 100.0, np.nan)
    return lower, upper


def _observed_range(
    ids: pd.Index, baseline: np.ndarray, frames: list[tuple[pd.DataFrame | None, str]]
) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest figure of each indicator (baseline, targets, reported values)."""
    low, high = baseline.copy(), baseline.copy()
    for frame, column in frames:
        if frame is None or len(frame) == 0:
            continue
        values = pd.to_numeric(frame[column], errors="coerce")
        grouped = values.groupby(frame["indicator_id"].to_numpy()).agg(["min", "max"])
        grouped = grouped.reindex(ids)
        low = np.fmin(low, grouped["min"].to_numpy(dtype=float))
        high = np.fmax(high, grouped["max"].to_numpy(dtype=float))
    return low, high


def natural_bounds(
    indicators: pd.DataFrame,
    targets: pd.DataFrame | None = None,
    actuals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The natural bounds of every indicator (rules in the module docstring).

    Parameters
    ----------
    indicators : pandas.DataFrame
        ``indicator_id``, ``unit``, ``baseline_value`` and optionally ``min``, ``max`` and
        ``limit`` (indicator's unit; blank = none).
    targets, actuals : pandas.DataFrame, optional
        ``indicator_id`` with ``target`` / ``value``: figures that can show a unit's default
        bound does not apply.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``indicator_id`` (the indicators' order), columns :data:`BOUND_COLUMNS`
        (indicator's unit; NaN = unbounded on that side).

    Raises
    ------
    PlanmonError
        When an indicator's lower bound is not below its upper bound.

    Examples
    --------
    >>> ind = pd.DataFrame({"indicator_id": ["share", "area", "change"],
    ...     "unit": ["%", "m² per capita", "% change"], "baseline_value": [30.0, 0.2, -3.0]})
    >>> natural_bounds(ind).to_dict("index")
    {'share': {'natural_min': 0.0, 'natural_max': 100.0}, 'area': {'natural_min': 0.0, \
'natural_max': nan}, 'change': {'natural_min': nan, 'natural_max': nan}}
    """
    ids = pd.Index(indicators["indicator_id"], name="indicator_id")
    baseline = _numbers(indicators, "baseline_value")
    unit_low, unit_high = _unit_bounds(indicators["unit"])
    seen_low, seen_high = _observed_range(ids, baseline, [(targets, "target"), (actuals, "value")])
    # a unit's default yields to the indicator's own figures
    unit_low = np.where(seen_low < unit_low, np.nan, unit_low)
    unit_high = np.where(seen_high > unit_high, np.nan, unit_high)
    limit = _numbers(indicators, "limit")
    with np.errstate(invalid="ignore"):
        limit_high = np.where(limit >= baseline, limit, np.nan)
        limit_low = np.where(limit < baseline, limit, np.nan)
    lower = _first(_numbers(indicators, "min"), limit_low, unit_low)
    upper = _first(_numbers(indicators, "max"), limit_high, unit_high)
    with np.errstate(invalid="ignore"):
        bad = lower >= upper
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise PlanmonError(
            f"indicator {ids[k]!r}: its lower bound {lower[k]:g} is not below its upper bound "
            f"{upper[k]:g}; fix its min, max or limit"
        )
    return pd.DataFrame({"natural_min": lower, "natural_max": upper}, index=ids)


def _first(*candidates: np.ndarray) -> np.ndarray:
    out = candidates[0].copy()
    for other in candidates[1:]:
        out = np.where(np.isnan(out), other, out)
    return out
