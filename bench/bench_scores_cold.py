"""Benchmark: ``planmon scores`` end to end, cold, against a plain statsmodels OLS loop.

Run by hand::

    planmon sample --out /tmp/big --departments 1000 --indicators-per-dept 10 --years 5
    .venv/bin/python bench/bench_scores_cold.py /tmp/big [--runs 1] [--sample 2000]

Target (issue 13, item 4): the CLI (start, imports, reading and validating every report file,
all measures, writing the Parquet) at least 3× faster than one statsmodels OLS fit per series
of the same plan. The CLI runs in a fresh process with no parse cache (``--out`` into a temp
folder, the plan's ``.planmon/`` cache removed first). The statsmodels loop is timed on a
random sample of series (one per indicator: its baseline and every value reported up to the
last report year, as :func:`~planmon.measures.scores.trend_inputs` builds them from the loaded
plan) and scaled to all of them; both figures come from this one run.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from statsmodels_loop import seconds_per_series  # bench/ is on sys.path when a bench runs


def cli_cold(plan: Path) -> float:
    """Seconds for one ``planmon scores PLAN --out X.parquet`` with no parse cache."""
    shutil.rmtree(plan / ".planmon", ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        command = [sys.executable, "-m", "planmon.cli.app", "scores", str(plan)]
        command += ["--out", str(Path(tmp) / "scores.parquet")]
        t0 = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        return time.perf_counter() - t0


def statsmodels_loop(plan_dir: Path, sample: int) -> tuple[float, int, int]:
    """(extrapolated seconds, series, series timed) for one OLS fit per series."""
    import planmon
    from planmon.measures.scores import score_grid, trend_inputs

    plan = planmon.load(plan_dir, cache=False)
    years = sorted(plan.actuals["year"].unique().tolist())
    grid = score_grid(plan.indicators, plan.targets, plan.actuals, years)
    points, horizons = trend_inputs(grid, plan.actuals, years)
    # one series per indicator: its baseline and every value it reported, to the last year
    series = np.flatnonzero(grid["year"].to_numpy() == years[-1])
    chosen = np.random.default_rng(1).choice(series, min(sample, len(series)), replace=False)
    per_series = seconds_per_series(points, horizons, chosen)
    return per_series * len(series), len(series), len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("plan", type=Path)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    runs = [cli_cold(args.plan) for _ in range(args.runs)]
    loop, n_series, timed = statsmodels_loop(args.plan, args.sample)
    files = len(list((args.plan / "reports").glob("*/*")))
    cli = min(runs)
    print(f"plan: {args.plan} ({files:,} report files, {n_series:,} series)")
    print(f"{'method':52} {'seconds':>9}")
    print(f"{'planmon scores (CLI, cold, no parse cache)':52} {cli:9.2f}   (runs: ", end="")
    print(", ".join(f"{r:.2f}" for r in runs) + ")")
    print(f"{'statsmodels OLS loop (extrapolated from sample)':52} {loop:9.2f}   ({timed:,} timed)")
    print(f"ratio: planmon is {loop / cli:.2f}× the statsmodels loop (target ≥ 3×)")


if __name__ == "__main__":
    main()
