"""Benchmark: vectorised trend projection against a statsmodels loop.

Run by hand::

    .venv/bin/python bench/bench_trend.py [--indicators 100000] [--sample 2000]

Builds synthetic indicators with a baseline (1396) and five yearly actuals (1397–1401, about
8 % blank). Like the scores frame, every indicator yields one series per report year
1396–1401, holding the points up to that year, so 100,000 indicators give 600,000 series and
2.1 million point rows. Prints the time of :func:`planmon.measures.trend.project_trends` on all of them,
the per-series time of :func:`planmon.measures.trend.fit_trend_statsmodels` on a random sample,
the extrapolated loop time and the ratio, and peak memory.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd

from planmon.measures.trend import fit_trend_statsmodels, project_trends

BASELINE_YEAR = 1396
HORIZON_YEAR = 1401
REPORT_YEARS = np.arange(BASELINE_YEAR, HORIZON_YEAR + 1)


def build(indicators: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Points and horizons frames for ``indicators`` × 6 report years (int series codes)."""
    rng = np.random.default_rng(seed)
    years = REPORT_YEARS
    level = rng.lognormal(3, 1, indicators)
    growth = rng.normal(0.05, 0.08, indicators)
    noise = rng.normal(0, 0.05, (indicators, years.size))
    values = level[:, None] * (1 + growth[:, None] * (years - BASELINE_YEAR) + noise)
    values[:, 1:][rng.random((indicators, years.size - 1)) < 0.08] = np.nan  # blank reports

    # series code = indicator · 6 + report-year index; it holds the years up to its report year
    report_index, year_index = np.nonzero(np.tri(years.size, dtype=bool))
    per_indicator = report_index.size  # 21 points per indicator
    indicator = np.repeat(np.arange(indicators), per_indicator)
    points = pd.DataFrame(
        {
            "series": indicator * years.size + np.tile(report_index, indicators),
            "year": np.tile(years[year_index], indicators),
            "value": values[indicator, np.tile(year_index, indicators)],
        }
    )
    target = level * (1 + rng.normal(0.25, 0.1, indicators) * (HORIZON_YEAR - BASELINE_YEAR) / 5)
    direction = rng.choice(
        np.array(["increase", "decrease", "maintain"]), indicators, p=[0.6, 0.3, 0.1]
    )
    horizons = pd.DataFrame(
        {
            "horizon_year": float(HORIZON_YEAR),
            "horizon_target": np.repeat(target, years.size),
            "direction": np.repeat(direction, years.size),
        },
        index=pd.Index(np.arange(indicators * years.size), name="series"),
    )
    return points, horizons


def time_loop(points: pd.DataFrame, horizons: pd.DataFrame, sample: int, seed: int = 1) -> float:
    """Seconds per series of the statsmodels reference path on a random sample of series."""
    rng = np.random.default_rng(seed)
    chosen = np.sort(rng.choice(horizons.index.to_numpy(), size=sample, replace=False))
    subset = points[points["series"].isin(chosen)]
    groups = dict(tuple(subset.groupby("series")))
    fit_trend_statsmodels([1396, 1397, 1398], [1.0, 2.0, 4.0], 1401, 5.0, "increase")  # warm up
    start = time.perf_counter()
    for key in chosen:
        row = horizons.loc[key]
        group = groups[key]
        fit_trend_statsmodels(
            group["year"].to_numpy(),
            group["value"].to_numpy(),
            row["horizon_year"],
            row["horizon_target"],
            row["direction"],
        )
    return (time.perf_counter() - start) / sample


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000, help="series for the loop")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of project_trends")
    args = parser.parse_args()

    start = time.perf_counter()
    points, horizons = build(args.indicators)
    build_s = time.perf_counter() - start
    n_series, n_rows = len(horizons), len(points)
    n_values = int(points["value"].notna().sum())

    project_trends(points.head(1000), horizons)  # warm up imports and caches
    runs = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        result = project_trends(points, horizons)
        runs.append(time.perf_counter() - start)
    fast_s = min(runs)

    tracemalloc.start()
    project_trends(points, horizons)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    per_series = time_loop(points, horizons, args.sample)
    loop_s = per_series * n_series

    maxrss_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    reasons = result["trend_reason"].str.split(";").str[0].value_counts()
    print(f"indicators               {args.indicators:>12,}")
    print(f"series                   {n_series:>12,}")
    print(f"point rows (non-blank)   {n_rows:>12,} ({n_values:,})")
    print(f"build synthetic frames   {build_s:>12.2f} s")
    print(
        f"project_trends           {fast_s:>12.3f} s  (best of {args.repeat}: "
        + ", ".join(f"{r:.3f}" for r in runs)
        + ")"
    )
    print(f"  per series             {fast_s / n_series * 1e6:>12.2f} µs")
    print(
        f"statsmodels loop         {per_series * 1e3:>12.3f} ms per series "
        f"({args.sample:,} sampled)"
    )
    print(f"  extrapolated           {loop_s:>12.0f} s  ({loop_s / 60:.1f} min)")
    print(f"speed-up                 {loop_s / fast_s:>12,.0f} ×")
    print(f"peak traced memory       {peak / 2**20:>12.0f} MiB (project_trends call)")
    print(f"process max RSS          {maxrss_kib / 2**10:>12.0f} MiB (whole run)")
    print("fit codes                " + ", ".join(f"{k} {v:,}" for k, v in reasons.items()))


if __name__ == "__main__":
    main()
