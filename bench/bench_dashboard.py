"""Benchmark: writing the dashboard, and its first render in Chromium.

Run by hand: ``.venv/bin/python bench/bench_dashboard.py [--departments N] [--indicators M]``.

For the Qazvin sample and a synthetic plan (default 200 departments × 50 indicators × 5 report
years) it prints, side by side:

* generation: :func:`planmon.dashboard.page.write_dashboard` on a freshly loaded plan, so the time
  includes the scores frame and the roll-ups (loading the plan files is not counted); best of
  three. Target: under 3 s for the synthetic plan.
* first render: ``performance.mark('rendered')`` set by app.js after tiles, table and heat map
  are drawn, in ms since navigation start, median of five page loads from file:// in Debian's
  Chromium. Target: under 1 s for the sample.
* first chart: from a click on a department and on an indicator (which opens the indicator's
  page) to the plotly SVG, once plotly.js has been preloaded (what a reader waits for when
  drilling down).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def generation_seconds(folder: Path, out: Path, cache: Path, repeat: int = 3) -> float:
    import planmon
    from planmon.dashboard.page import write_dashboard

    best = float("inf")
    for _ in range(repeat):
        plan = planmon.load(folder, cache=cache)  # fresh Plan: scores not yet computed
        t0 = time.perf_counter()
        write_dashboard(plan, out)
        best = min(best, time.perf_counter() - t0)
    return best


def browser_times(index: Path, loads: int = 5) -> tuple[float, float]:
    """Median first-render time (ms) and the first chart's time (ms) after a click."""
    from playwright.sync_api import sync_playwright

    renders = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(loads):
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(index.as_uri())
            page.wait_for_selector("body[data-ready]")
            renders.append(page.evaluate("performance.getEntriesByName('rendered')[0].startTime"))
            page.close()
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(index.as_uri())
        page.wait_for_function("window.Plotly !== undefined", timeout=30_000)
        t0 = page.evaluate("performance.now()")
        page.click("#dept-table tbody tr >> nth=0 >> button.link")
        page.click("#ind-table tbody tr >> nth=0 >> a.ind-link")
        page.wait_for_selector("#chart svg.main-svg")
        chart = page.evaluate("performance.now()") - t0
        browser.close()
    return statistics.median(renders), chart


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--departments", type=int, default=200)
    parser.add_argument("--indicators", type=int, default=50)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--no-browser", action="store_true", help="skip the Chromium timings")
    args = parser.parse_args()

    import planmon
    from planmon.io.plan_writer import write_plan
    from planmon.sample.qazvin import qazvin_sample
    from planmon.sample.synthetic import synthetic_plan

    work = Path(tempfile.mkdtemp(prefix="planmon-bench-dashboard-"))
    cache = work / "cache"
    plans = {
        "sample": qazvin_sample(),
        f"synthetic {args.departments}×{args.indicators}×{args.years}": synthetic_plan(
            args.departments, args.indicators, args.years, seed=0
        ),
    }
    rows = []
    for label, tables in plans.items():
        folder = work / label.split()[0]
        write_plan(tables, folder, fmt="csv")
        plan = planmon.load(folder, cache=cache)  # parse once; timed loads hit the cache
        out = work / f"{label.split()[0]}-reports" / "dashboard"
        seconds = generation_seconds(folder, out, cache)
        size = (out / "index.html").stat().st_size
        render = chart = float("nan")
        if not args.no_browser and Path(CHROMIUM).exists():
            render, chart = browser_times(out / "index.html")
        rows.append(
            (label, len(plan.departments), len(plan.indicators), size, seconds, render, chart)
        )

    print(
        f"{'plan':24} {'depts':>6} {'indicators':>10} {'index.html':>11} "
        f"{'generate s':>10} {'1st render ms':>13} {'1st chart ms':>12}"
    )
    for label, n_dept, n_ind, size, seconds, render, chart in rows:
        print(
            f"{label:24} {n_dept:6d} {n_ind:10d} {size / 1e6:9.2f} MB {seconds:10.3f} "
            f"{render:13.0f} {chart:12.0f}"
        )
    sample, synthetic = rows[0], rows[1]
    print(
        f"targets: synthetic generation < 3 s: {'met' if synthetic[4] < 3 else 'MISSED'}; "
        f"sample first render < 1000 ms: "
        f"{'met' if sample[5] < 1000 else 'MISSED' if sample[5] == sample[5] else 'not measured'}"
    )
    print("plotly.js is preloaded after the first render and is not counted in it.")


if __name__ == "__main__":
    main()
