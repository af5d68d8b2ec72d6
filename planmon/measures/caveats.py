"""Caveats that travel with the numbers: the ``caveats`` column of the scores frame.

A caveat is a code of :data:`planmon.core.vocabulary.CAVEATS` attached to an indicator (every
year) or to one indicator-year. The scores frame carries them in ``caveats``: the codes that
concern the row, in the vocabulary's order, separated by ``;`` (``""`` when none).

Two sources are merged:

* the findings of validation, given to :func:`planmon.measures.scores.compute_scores` as a
  frame ``indicator_id, year (NA = every year), code``;
* the caveats that are a property of the plan's numbers and that the measures themselves act
  on, computed here by :func:`target_path_caveats` so that the column is right even without
  validation's frame:

  - ``targets_against_direction``: a target moves against the indicator's direction from the
    previous target (the first from the baseline): down for *increase*, up for *decrease*.
    When the *horizon* target lies against the direction from the baseline the indicator is
    also scored as one without a target (:func:`planmon.measures.common.targets_against_direction`);
  - ``maintain_targets_trend``: a *maintain* indicator whose path from the baseline through
    its targets moves the same way at every step (at least two steps, none flat).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.vocabulary import CAVEATS

__all__ = ["CAVEAT_COLUMNS", "SEPARATOR", "target_path_caveats", "caveat_column"]

#: Columns of a caveats frame.
CAVEAT_COLUMNS: tuple[str, ...] = ("indicator_id", "year", "code")
#: Separator of the codes in the ``caveats`` column.
SEPARATOR = ";"
_ORDER = {code: k for k, code in enumerate(CAVEATS)}


def _steps(indicators: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """One row per target with ``step`` = target − previous target (the baseline first)."""
    base = indicators[["indicator_id", "direction", "baseline_value"]]
    t = targets[["indicator_id", "year", "target"]].merge(base, on="indicator_id", how="inner")
    t = t.sort_values(["indicator_id", "year"], kind="stable")
    previous = t.groupby("indicator_id", sort=False)["target"].shift()
    previous = previous.fillna(t["baseline_value"])
    return t.assign(step=t["target"] - previous)


def target_path_caveats(indicators: pd.DataFrame, targets: pd.DataFrame) -> pd.DataFrame:
    """Caveats on each indicator's path from its baseline through its targets.

    Parameters
    ----------
    indicators : pandas.DataFrame
        ``indicator_id``, ``direction``, ``baseline_value``.
    targets : pandas.DataFrame
        ``indicator_id``, ``year``, ``target``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`CAVEAT_COLUMNS`, ``year`` NA (the caveat concerns every year).

    Examples
    --------
    The sample's TRF01 (accidents, decrease, baseline 96) has targets 97, 98, 99, 100:

    >>> ind = pd.DataFrame({"indicator_id": ["TRF01"], "direction": ["decrease"],
    ...                     "baseline_value": [96.0]})
    >>> tgt = pd.DataFrame({"indicator_id": ["TRF01"] * 4, "year": [1397, 1398, 1399, 1400],
    ...                     "target": [97.0, 98.0, 99.0, 100.0]})
    >>> target_path_caveats(ind, tgt)["code"].tolist()
    ['targets_against_direction']
    """
    t = _steps(indicators, targets)
    against = ((t["direction"] == "increase") & (t["step"] < 0)) | (
        (t["direction"] == "decrease") & (t["step"] > 0)
    )
    ids_against = pd.unique(t.loc[against, "indicator_id"])
    m = t[t["direction"] == "maintain"]
    sign = np.sign(m["step"].to_numpy(dtype=float))
    counts = (
        pd.DataFrame(
            {"steps": 1, "up": sign > 0, "down": sign < 0}, index=m["indicator_id"].to_numpy()
        )
        .groupby(level=0)
        .sum()
    )
    one_way = (counts["steps"] >= 2) & (
        (counts["up"] == counts["steps"]) | (counts["down"] == counts["steps"])
    )
    ids_maintain = counts.index[one_way.to_numpy()]
    frames = [
        pd.DataFrame({"indicator_id": ids, "code": code})
        for ids, code in (
            (ids_against, "targets_against_direction"),
            (ids_maintain, "maintain_targets_trend"),
        )
    ]
    out = pd.concat(frames, ignore_index=True)
    out.insert(1, "year", pd.array([pd.NA] * len(out), dtype="Int64"))
    return out[list(CAVEAT_COLUMNS)]


def _checked(caveats: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in CAVEAT_COLUMNS if c not in caveats.columns]
    if missing:
        raise PlanmonError(
            f"the caveats frame lacks column(s) {', '.join(missing)}; expected "
            f"{', '.join(CAVEAT_COLUMNS)} (year blank = every year)"
        )
    unknown = sorted(set(caveats["code"].dropna().astype(str)) - set(CAVEATS))
    if unknown:
        raise PlanmonError(
            f"unknown caveat code {unknown[0]!r}; expected one of {', '.join(CAVEATS)} "
            "(planmon.core.vocabulary.CAVEATS)"
        )
    out = caveats.loc[caveats["code"].notna(), list(CAVEAT_COLUMNS)].copy()
    out["year"] = pd.to_numeric(out["year"], errors="coerce").astype("float64")
    out["code"] = out["code"].astype(str)
    return out


def caveat_column(ids: pd.Series, years: pd.Series, caveats: list[pd.DataFrame]) -> np.ndarray:
    """The ``caveats`` text of each (indicator, year) row.

    Parameters
    ----------
    ids, years : pandas.Series
        Each row's ``indicator_id`` and report year.
    caveats : list of pandas.DataFrame
        Caveats frames (:data:`CAVEAT_COLUMNS`); their union is used.

    Returns
    -------
    numpy.ndarray of str (object)
        Codes in the vocabulary's order, ``;``-separated, ``""`` where none applies.
    """
    n = len(ids)
    frames = [_checked(c) for c in caveats if c is not None and len(c)]
    if not frames or n == 0:
        return np.full(n, "", dtype=object)
    cav = pd.concat(frames, ignore_index=True).drop_duplicates()
    rows = pd.DataFrame(
        {
            "indicator_id": ids.to_numpy(),
            "year": pd.to_numeric(years).to_numpy(dtype="float64"),
            "row": np.arange(n),
        }
    )
    every = cav[cav["year"].isna()].drop(columns="year").merge(rows, on="indicator_id")
    dated = cav[cav["year"].notna()].merge(rows, on=["indicator_id", "year"])
    pairs = pd.concat([every[["row", "code"]], dated[["row", "code"]]], ignore_index=True)
    # Each row's set of codes as a bit mask (one bit per vocabulary code, in its order); the
    # few distinct masks are turned into text once each, however long the frame.
    bits = np.left_shift(1, pairs["code"].map(_ORDER).to_numpy(dtype=np.int64))
    mask = np.zeros(n, dtype=np.int64)
    np.bitwise_or.at(mask, pairs["row"].to_numpy(dtype=np.int64), bits)
    distinct, where = np.unique(mask, return_inverse=True)
    codes = list(CAVEATS)
    texts = np.array(
        [SEPARATOR.join(c for k, c in enumerate(codes) if m >> k & 1) for m in distinct],
        dtype=object,
    )
    return texts[where]
