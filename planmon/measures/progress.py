"""Indicator progress measures for one indicator in one report year, vectorised.

Every function works on whole columns at once (NumPy arrays or pandas Series, broadcast
against each other) and never loops over rows in Python, so a whole plan's scores frame
(hundreds of thousands of indicator-years) takes a fraction of a second.

Terms used throughout:

* *baseline*: the indicator's ``baseline_year`` and ``baseline_value``;
* *horizon*: the indicator's last target year (``horizon_year``) and its target
  (``horizon_target``); NaN when the indicator has no targets;
* *direction*: ``"increase"``, ``"decrease"`` or ``"maintain"`` (the desired direction).

The five families of measures, one module each
----------------------------------------------
1. Annual conformity (:func:`achievement_pct`, :func:`maintain_status`;
   :mod:`planmon.measures.conformity`): the reported value against that year's target.
2. Distance to the horizon (:func:`distance_to_horizon`; same module): share of the
   baseline→horizon distance already covered, the gap left and the years left.
3. Open SDG / Statistics Canada progress measure (:func:`open_sdg_progress`;
   :mod:`planmon.measures.open_sdg`): growth since the baseline (CAGR) against the growth
   needed to reach the horizon target, or against fixed growth thresholds when there is no
   target; a status and a score in [-5, 5].
4. ESCAP progress indices (:func:`escap_indices`; :mod:`planmon.measures.escap`).
5. Required versus observed pace (:func:`pace_ratio`) and the SDSN trend category
   (:func:`pace_status`; :mod:`planmon.measures.pace`).

:func:`compute_progress` applies all five to a frame with one row per indicator and year.
Statuses, reasons and direction signs: :mod:`planmon.measures.common`. This module re-exports
every public name of those modules, so ``from planmon.measures.progress import ...`` keeps
working.

Targets against the direction
-----------------------------
An indicator whose horizon target lies against its direction from the baseline
(:func:`~planmon.measures.common.targets_against_direction`) is judged against its stated
direction: its target-based measures are NaN with reason ``"targets against direction"`` and
its status and score follow Open SDG's rule for indicators without a target.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.schema import DEFAULT_TOLERANCE
from planmon.measures.common import (
    REASON_BASELINE_TARGET_SIGN,
    REASON_CODE,
    REASON_HORIZON_NOT_AFTER_BASELINE,
    REASON_MAINTAIN,
    REASON_NO_BASELINE,
    REASON_NO_TARGET,
    REASON_NO_VALUE,
    REASON_SIGN_CHANGE,
    REASON_TABLE,
    REASON_TARGET_EQUALS_BASELINE,
    REASON_TARGETS_AGAINST_DIRECTION,
    REASON_TOO_SHORT,
    REASON_UNKNOWN_DIRECTION,
    REASON_VALUE_TARGET_SIGN,
    REASON_ZERO_BASELINE,
    REASON_ZERO_BASELINE_REPLACED,
    REASON_ZERO_TARGET,
    REASON_ZERO_TARGET_REPLACED,
    REASON_ZERO_VALUE,
    REASONS,
    STATUS_BY_CODE,
    STATUSES,
    as_floats,
    as_text,
    direction_sign,
    targets_against_direction,
)
from planmon.measures.conformity import (
    DistanceToHorizon,
    achievement_codes,
    achievement_pct,
    distance_to_horizon,
    maintain_codes,
    maintain_status,
)
from planmon.measures.escap import EscapIndices, escap_codes, escap_indices
from planmon.measures.open_sdg import (
    OpenSdgProgress,
    annual_growth,
    limit_coefficient,
    open_sdg_codes,
    open_sdg_progress,
)
from planmon.measures.pace import (
    PACE_BY_CODE,
    PACE_STATUSES,
    pace_codes,
    pace_ratio,
    pace_status,
    pace_status_codes,
)

__all__ = [
    "STATUSES",
    "PACE_STATUSES",
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
    "REASON_TARGETS_AGAINST_DIRECTION",
    "DEFAULT_TOLERANCE",
    "PROGRESS_COLUMNS",
    "INPUT_COLUMNS",
    "OPTIONAL_COLUMNS",
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
    "pace_status",
    "targets_against_direction",
    "compute_progress",
]

#: Columns :func:`compute_progress` reads (those in :data:`OPTIONAL_COLUMNS` may be absent).
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
    "natural_min",
    "natural_max",
)
#: Optional inputs and their meaning when absent: no limit, the default tolerance, no bounds.
OPTIONAL_COLUMNS: tuple[str, ...] = ("limit", "tolerance", "natural_min", "natural_max")

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
    "pace_status",
)

_AGAINST = REASON_CODE[REASON_TARGETS_AGAINST_DIRECTION]


def _inputs(frame: pd.DataFrame) -> dict[str, np.ndarray]:
    """The input columns as float arrays (direction as its sign), defaults for the optional."""
    required = [c for c in INPUT_COLUMNS if c not in OPTIONAL_COLUMNS]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise PlanmonError(
            "compute_progress: the frame lacks column(s) "
            + ", ".join(missing)
            + "; expected "
            + ", ".join(INPUT_COLUMNS)
            + " ("
            + ", ".join(OPTIONAL_COLUMNS)
            + " optional)."
        )
    defaults = {"limit": np.nan, "tolerance": DEFAULT_TOLERANCE}
    defaults |= {"natural_min": -np.inf, "natural_max": np.inf}
    out = {"d": direction_sign(frame["direction"])}
    for name in INPUT_COLUMNS[1:]:
        if name in frame.columns:
            out[name] = as_floats(frame[name])[0]
        else:
            out[name] = np.full(len(frame), defaults[name])
    out["natural_min"] = np.nan_to_num(out["natural_min"], nan=-np.inf)
    out["natural_max"] = np.nan_to_num(out["natural_max"], nan=np.inf)
    return out


def _against_reason(codes: np.ndarray, against: np.ndarray, value: np.ndarray) -> np.ndarray:
    """``"targets against direction"`` where it applies and the value is there."""
    return np.where(against & ~np.isnan(value), _AGAINST, codes).astype(np.int8)


def _statuses(x: dict[str, np.ndarray], against: np.ndarray, target: np.ndarray, open_sdg):
    """Status and status reason codes: Open SDG's, the tolerance band for "maintain"."""
    d, y = x["d"], x["value"]
    # "maintain" rows take their status from the tolerance band around this year's target
    # (else the horizon target); the growth-based measures are already NaN for them
    maintain = d == 0
    level = np.where(np.isnan(target), x["horizon_target"], target)
    m_status, m_reason = maintain_codes(y, level, x["tolerance"])
    status = np.where(maintain, m_status, open_sdg.status)
    maintain_reason = np.where(m_reason == 0, REASON_CODE[REASON_MAINTAIN], m_reason)
    reason = np.where(maintain, maintain_reason, open_sdg.reason)
    # judged as untargeted: the caveat replaces "computed normally" or a zero-replacement note
    computed = open_sdg.status != STATUSES.index("not_available")
    reason = np.where(against & computed, _AGAINST, reason)
    return status, reason


def compute_progress(frame: pd.DataFrame) -> pd.DataFrame:
    """All progress measures for a frame with one row per indicator and report year.

    Parameters
    ----------
    frame : pandas.DataFrame
        Any index; columns ``direction, baseline_year, baseline_value, year, value, target,
        horizon_year, horizon_target`` and optionally ``limit`` (natural limit, NaN = none),
        ``tolerance`` (relative band of "maintain" indicators, NaN = 0.05) and
        ``natural_min``/``natural_max`` (bounds of the ESCAP projection, NaN = none).
        ``target`` is that year's target; ``horizon_target``/``horizon_year`` the
        indicator's last target and its year, NaN when it has no targets. Other columns are
        ignored.

    Returns
    -------
    pandas.DataFrame
        Same index, columns :data:`PROGRESS_COLUMNS`: ``achievement_pct`` (percent) and
        ``achievement_reason``; ``years_left`` (years), ``distance_covered_pct`` (percent),
        ``remaining_gap`` (indicator's unit); ``observed_growth``, ``required_growth``
        (fractions per year), ``cagr_ratio``, ``score`` in [-5, 5], ``status``,
        ``status_reason``; ``current_status_index``, ``projected_horizon_value``
        (indicator's unit), ``anticipated_progress_index``; ``pace_ratio`` and
        ``pace_status`` (one of :data:`PACE_STATUSES`).

        For "maintain" indicators ``status`` comes from :func:`maintain_status` (against
        ``target``, else ``horizon_target``), ``status_reason`` is ``"maintain"`` and the
        growth-based measures are NaN. A missing ``value`` gives ``not_available`` with
        reason ``"no value"`` everywhere. Targets against the direction: module docstring.

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
    x = _inputs(frame)
    d, t0, y0, t, y = x["d"], x["baseline_year"], x["baseline_value"], x["year"], x["value"]
    against = targets_against_direction(d, y0, x["horizon_target"])
    # judged as an indicator without a target: the contradictory targets are not used
    target = np.where(against, np.nan, x["target"])
    t_h, y_h = x["horizon_year"], np.where(against, np.nan, x["horizon_target"])
    pct, pct_reason = achievement_codes(y, target, d)
    distance = distance_to_horizon(
        value=y, year=t, baseline_value=y0, horizon_target=y_h, horizon_year=t_h
    )
    open_sdg = open_sdg_codes(d, t0, y0, t, y, t_h, y_h, x["limit"])
    escap = escap_codes(d, t0, y0, t, y, t_h, y_h, x["natural_min"], x["natural_max"])
    pace, _ = pace_codes(d, t0, y0, t, y, t_h, y_h)
    status, status_reason = _statuses(x, against, target, open_sdg)
    numbers = {
        "achievement_pct": pct,
        "years_left": distance.years_left,
        "distance_covered_pct": distance.distance_covered_pct,
        "remaining_gap": np.where(against, np.nan, distance.remaining_gap),
        "observed_growth": open_sdg.observed_growth,
        "required_growth": open_sdg.required_growth,
        "cagr_ratio": open_sdg.cagr_ratio,
        "score": open_sdg.score,
        "current_status_index": escap.current_status_index,
        "projected_horizon_value": escap.projected_horizon_value,
        "anticipated_progress_index": escap.anticipated_progress_index,
        "pace_ratio": pace,
    }
    texts = {
        "achievement_reason": as_text(REASON_TABLE, _against_reason(pct_reason, against, y)),
        "status": as_text(STATUS_BY_CODE, status),
        "status_reason": as_text(REASON_TABLE, status_reason),
        "pace_status": as_text(PACE_BY_CODE, pace_status_codes(d, y, y_h, pace)),
    }
    return _frame(frame.index, numbers, texts)


def _frame(index: pd.Index, numbers: dict, texts: dict) -> pd.DataFrame:
    # one Fortran-ordered block becomes the frame's float block without another copy
    block = np.empty((len(index), len(numbers)), dtype="float64", order="F")
    for i, values in enumerate(numbers.values()):
        block[:, i] = values
    out = pd.DataFrame(block, index=index, columns=list(numbers), copy=False)
    for name, values in texts.items():
        out.insert(PROGRESS_COLUMNS.index(name), name, values)
    return out
