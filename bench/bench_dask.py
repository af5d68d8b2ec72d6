"""Benchmark: a batch of synthetic cities built on a dask cluster that shares no disk.

Run by hand: ``.venv/bin/python bench/bench_dask.py [--cities 20] [--workers 1,2]
[--notebooks standin|real]``.

Each city is ``planmon sample --departments 3 --indicators-per-dept 4 --years 3`` (its own
seed); its latest year is built in Persian, HTML and PDF: 3 department reports, the overview,
the district comparison and the publication. The workers are ``dask worker`` processes with
their own working directory and temporary folder (tests/build/dask_cluster.py); every plan
folder is removed from disk as soon as its jobs are submitted. For each cluster size the bench
prints the wall time, reports per minute, worker-seconds per report and per city, the scaling
against one worker, and each worker's peak memory: its own process's resident peak
(``worker MiB``) and the proportional set size of the worker with its zygote and the
notebooks' processes together, sampled every 0.1 s (``tree MiB``: shared pages counted once;
what one worker slot needs). Workers run each notebook in a shell forked from their own zygote. ``standin`` notebooks (tests/data/notebooks/report.ipynb: a heading,
two charts, a table) keep a run to minutes; ``real`` runs planmon's own notebooks.
"""

from __future__ import annotations

import argparse
import contextlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).parents[1]
sys.path.insert(0, str(ROOT))

from planmon.build.api import BuildOptions  # noqa: E402
from planmon.build.jobs import JobResult, NullProgress  # noqa: E402
from planmon.build.many import build_plans  # noqa: E402
from planmon.core import config  # noqa: E402
from tests.build.dask_cluster import separate_cluster, worker_peaks  # noqa: E402
from tests.build.helpers import notebooks_folder  # noqa: E402

sys.path.insert(0, str(ROOT / "bench"))
from bench_build import TreeMemory  # noqa: E402


class _RemovePlan(NullProgress):
    """Removes a plan folder at its build's first finished job (all its jobs are submitted)."""

    def __init__(self, plan: Path):
        self.plan = plan

    def job_done(self, result: JobResult) -> None:
        shutil.rmtree(self.plan, ignore_errors=True)


def make_cities(folder: Path, count: int) -> list[Path]:
    """``count`` synthetic plans (3 departments × 4 indicators × 3 years, seeds 1..count)."""
    cities = []
    for number in range(1, count + 1):
        city = folder / f"city{number:02d}"
        command = [sys.executable, "-m", "planmon.cli.app", "sample", "--out", str(city)]
        command += ["--departments", "3", "--indicators-per-dept", "4", "--years", "3"]
        subprocess.run(command + ["--seed", str(number)], check=True, capture_output=True)
        cities.append(city)
    return cities


def run_batch(base: Path, cities: list[Path], workers: int, notebooks: Path) -> dict:
    """Build the cities on a fresh cluster of ``workers`` processes; the figures of the run."""
    plans = base / "plans"
    copies = [Path(shutil.copytree(city, plans / city.name)) for city in cities]
    latest = max(int(year.name) for year in (cities[0] / "reports").iterdir())
    options = BuildOptions(
        years=[latest],
        langs=["fa"],
        formats=["html", "pdf"],
        output_dir=base / "reports",
        notebooks_dir=notebooks,
        scores_dir=base / "scores",
        executor="dask",
    )
    with separate_cluster(base / "cluster", workers) as address:
        options = options.replace(scheduler=address)
        with contextlib.ExitStack() as stack:
            trees = [stack.enter_context(TreeMemory(pid, interval=0.1)) for pid in _workers()]
            t0 = time.perf_counter()
            outcomes = build_plans(copies, options, progress=_RemovePlan)
            elapsed = time.perf_counter() - t0
        peaks = worker_peaks(address)
    jobs = [job for o in outcomes if o.result for job in o.result.jobs]
    failed = [o.plan.name for o in outcomes if not o.ok]
    return {
        "workers": workers,
        "seconds": elapsed,
        "reports": sum(job.status == "built" for job in jobs),
        "failed": failed,
        "worker_mib": max(p["worker_mib"] for p in peaks.values()),
        # the worker, its zygote and the notebooks' processes together (shared pages once)
        "tree_mib": max((t.peak_pss for t in trees), default=0) / 2**20,
        "plans_gone": not any(c.exists() for c in copies),
    }


def _workers() -> list[int]:
    """The ``dask worker`` processes this bench started (its direct children)."""
    import psutil

    found = []
    for child in psutil.Process().children():
        try:
            command = " ".join(child.cmdline())
        except psutil.Error:
            continue
        if "distributed.cli.dask_worker" in command or "dask worker" in command:
            found.append(child.pid)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cities", type=int, default=20)
    parser.add_argument("--workers", default="1,2")
    parser.add_argument("--notebooks", choices=["standin", "real"], default="standin")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        root = Path(tmp)
        cities = make_cities(root / "cities", args.cities)
        notebooks = (
            config.NOTEBOOKS if args.notebooks == "real" else notebooks_folder(root / "notebooks")
        )
        runs = []
        for workers in map(int, args.workers.split(",")):
            runs.append(run_batch(root / f"run{workers}", cities, workers, notebooks))
    first = runs[0]
    print(
        f"{args.cities} cities × 6 reports (latest year, fa, HTML+PDF), {args.notebooks} notebooks"
    )
    header = f"{'workers':>7} {'seconds':>8} {'reports':>7} {'reports/min':>11} "
    header += (
        f"{'w-s/report':>10} {'w-s/city':>8} {'scaling':>7} {'worker MiB':>10} {'tree MiB':>9}"
    )
    print(header)
    for run in runs:
        per_report = run["seconds"] * run["workers"] / max(run["reports"], 1)
        print(
            f"{run['workers']:>7} {run['seconds']:8.1f} {run['reports']:>7} "
            f"{run['reports'] / run['seconds'] * 60:11.1f} {per_report:10.2f} "
            f"{run['seconds'] * run['workers'] / args.cities:8.1f} "
            f"{first['seconds'] / run['seconds']:6.2f}× "
            f"{run['worker_mib']:10.0f} {run['tree_mib']:9.0f}"
        )
        if run["failed"] or not run["plans_gone"]:
            print(f"  failed: {run['failed']}; plan folders removed: {run['plans_gone']}")


if __name__ == "__main__":
    main()
