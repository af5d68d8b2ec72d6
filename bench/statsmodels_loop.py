"""The baseline both score benchmarks race: one statsmodels OLS fit per indicator series."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from planmon.measures.trend import fit_trend_statsmodels


def seconds_per_series(points: pd.DataFrame, horizons: pd.DataFrame, chosen: np.ndarray) -> float:
    """Mean wall time of :func:`fit_trend_statsmodels` over the ``chosen`` series.

    ``points`` and ``horizons`` are :func:`planmon.measures.trend.trend_inputs`' frames; a series
    without points is fitted on an empty one, as the vectorised path sees it.
    """
    by_series = points.groupby("series")
    t0 = time.perf_counter()
    for k in chosen:
        pts = by_series.get_group(k) if k in by_series.groups else points.iloc[:0]
        h = horizons.iloc[k]
        fit_trend_statsmodels(
            pts["year"].to_numpy(),
            pts["value"].to_numpy(),
            h["horizon_year"],
            h["horizon_target"],
            h["direction"],
        )
    return (time.perf_counter() - t0) / len(chosen)
