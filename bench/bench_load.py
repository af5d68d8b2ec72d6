"""Benchmark: loading a synthetic plan of 200 departments × 50 indicators × 5 years.

Run by hand: ``.venv/bin/python bench/bench_load.py [--departments N] [--indicators M]``.
Prints rows/s for a cold load (parse + validate) and a cached load (Parquet), from CSV and from
Excel, and the peak memory of each; the target is a cached load under 1 s. Each measurement runs
in a fresh subprocess so peak memory (ru_maxrss) belongs to that load alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = r"""
import json, resource, sys, time
t0 = time.perf_counter()
import planmon
t_import = time.perf_counter() - t0
t0 = time.perf_counter()
plan = planmon.load(sys.argv[1], cache=sys.argv[2] if sys.argv[2] != "off" else False)
elapsed = time.perf_counter() - t0
rows = len(plan.indicators) + len(plan.targets) + len(plan.actuals) + len(plan.departments)
print(json.dumps({"seconds": elapsed, "rows": rows, "import": t_import,
                  "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def measure(plan: Path, cache: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(plan), cache], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    args = parser.parse_args()

    from planmon.io.plan_writer import write_plan
    from planmon.sample.synthetic import synthetic_plan

    work = Path(tempfile.mkdtemp(prefix="planmon-bench-load-"))
    t0 = time.perf_counter()
    tables = synthetic_plan(args.departments, args.indicators, args.years, seed=0)
    print(
        f"synthetic plan: {args.departments} departments × {args.indicators} indicators × "
        f"{args.years} years generated in {time.perf_counter() - t0:.2f} s"
    )
    print(f"{'format':6} {'load':7} {'seconds':>8} {'rows/s':>11} {'peak MiB':>9}")
    results = {}
    for fmt in ("csv", "xlsx"):
        folder = work / fmt
        write_plan(tables, folder, fmt=fmt)
        cache = work / f"cache-{fmt}"
        for label, cache_arg in (("cold", str(cache)), ("cached", str(cache))):
            r = measure(folder, cache_arg)
            results[(fmt, label)] = r
            print(
                f"{fmt:6} {label:7} {r['seconds']:8.3f} {r['rows'] / r['seconds']:11,.0f} "
                f"{r['peak_mib']:9.0f}"
            )
    cold, cached = results[("xlsx", "cold")], results[("xlsx", "cached")]
    print(f"rows per load: {cold['rows']:,}; `import planmon` {cold['import']:.2f} s (not counted)")
    print(
        f"Excel: cached load is {cold['seconds'] / cached['seconds']:.1f}× faster than cold; "
        f"target cached < 1 s: {'met' if cached['seconds'] < 1 else 'MISSED'} "
        f"({cached['seconds']:.3f} s)"
    )


if __name__ == "__main__":
    main()
