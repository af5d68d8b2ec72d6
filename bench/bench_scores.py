"""Benchmark: scores + trend projections for 100,000 indicators × 6 report years.

Run by hand: ``.venv/bin/python bench/bench_scores.py [--indicators N] [--sample K]``.
Targets (issue 4): the whole scores frame in under 5 s and 2 GiB peak on 2 cores, and at least
50× faster than fitting each series with statsmodels in a loop. The statsmodels loop is timed on
a random sample of K series and scaled to all series (running it on all 600,000 would take
minutes); both figures come from this one run.
"""

from __future__ import annotations

import argparse
import resource
import time
import tracemalloc

import numpy as np
import pandas as pd
from statsmodels_loop import seconds_per_series  # bench/ is on sys.path when a bench runs

from planmon.measures.progress import compute_progress
from planmon.measures.scores import compute_scores, score_grid, trend_inputs

BASELINE_YEAR = 1395
YEARS = list(range(1396, 1402))  # six report years; the horizon is 1401


def synthetic(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    ids = np.char.add("I", np.arange(n).astype(str)).astype(object)
    direction = rng.choice(["increase", "decrease", "maintain"], size=n, p=[0.6, 0.3, 0.1])
    base = rng.uniform(10, 100, n)
    indicators = pd.DataFrame(
        {
            "indicator_id": ids,
            "dept_id": np.char.add("D", (np.arange(n) // 50).astype(str)).astype(object),
            "goal_id": np.char.add("G", (np.arange(n) % 20).astype(str)).astype(object),
            "direction": direction,
            "unit": "%",
            "baseline_year": BASELINE_YEAR,
            "baseline_value": base,
            "limit": np.where(rng.random(n) < 0.2, 100.0, np.nan),
            "tolerance": 0.05,
        }
    )
    sign = np.where(direction == "decrease", -1.0, 1.0)
    step = sign * base * rng.uniform(0.01, 0.06, n)
    years = np.asarray(YEARS)
    targets = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, len(years)),
            "year": np.tile(years, n),
            "target": (base[:, None] + step[:, None] * (years - BASELINE_YEAR)).ravel(),
        }
    )
    drift = step * rng.uniform(-0.5, 1.5, n)
    values = (
        base[:, None]
        + drift[:, None] * (years - BASELINE_YEAR)
        + rng.normal(0, 0.02, (n, len(years))) * base[:, None]
    )
    values[rng.random(values.shape) < 0.05] = np.nan  # data gaps
    actuals = pd.DataFrame(
        {
            "indicator_id": np.repeat(ids, len(years)),
            "year": np.tile(years, n),
            "value": values.ravel(),
        }
    )
    return indicators, targets, actuals


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--indicators", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    indicators, targets, actuals = synthetic(args.indicators)
    n_series = args.indicators * len(YEARS)

    compute_scores(indicators.head(100), targets, actuals, YEARS)  # warm imports and caches
    runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        compute_scores(indicators, targets, actuals, YEARS)
        runs.append(time.perf_counter() - t0)
    vectorised = min(runs)
    # memory in a separate run: tracemalloc slows allocation-heavy code several-fold
    tracemalloc.start()
    compute_scores(indicators, targets, actuals, YEARS)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    # The same trend fits, one statsmodels OLS per series, on a random sample of series.
    grid = score_grid(indicators, targets, actuals, YEARS)
    progress_runs = []
    for _ in range(3):
        t0 = time.perf_counter()
        compute_progress(grid)
        progress_runs.append(time.perf_counter() - t0)
    points, horizons = trend_inputs(grid, actuals, YEARS)
    rng = np.random.default_rng(1)
    chosen = rng.choice(len(horizons), size=min(args.sample, len(horizons)), replace=False)
    per_series = seconds_per_series(points, horizons, chosen)
    loop_total = per_series * n_series

    print(
        f"plan: {args.indicators:,} indicators × {len(YEARS)} report years = "
        f"{n_series:,} indicator-years; {len(points):,} trend points"
    )
    print(f"{'method':44} {'seconds':>9} {'per series':>12}")
    print(
        f"{'planmon compute_scores (all measures)':44} {vectorised:9.2f} "
        f"{vectorised / n_series * 1e6:10.2f} µs   (best of 3: "
        + ", ".join(f"{r:.2f}" for r in runs)
        + ")"
    )
    print(
        f"{'  of which compute_progress (no trend)':44} {min(progress_runs):9.2f} "
        f"{min(progress_runs) / n_series * 1e6:10.2f} µs"
    )
    print(
        f"{'statsmodels loop (trend only, extrapolated)':44} {loop_total:9.1f} "
        f"{per_series * 1e6:10.1f} µs   (measured on {len(chosen):,} series)"
    )
    print(f"speed-up vs statsmodels loop: {loop_total / vectorised:,.0f}× (target ≥ 50×)")
    print(
        f"peak memory: {traced_peak / 2**20:,.0f} MiB traced in compute_scores, "
        f"{rss_peak:,.0f} MiB process RSS (target < 2048 MiB)"
    )
    print(f"target < 5 s: {'met' if vectorised < 5 else 'MISSED'}")


if __name__ == "__main__":
    main()
