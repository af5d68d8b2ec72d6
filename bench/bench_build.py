"""Benchmark ``planmon build`` (run by hand; prints every figure of one run side by side).

    .venv/bin/python bench/bench_build.py [--plan FOLDER] [--rounds N] [--jobs N]
                                          [--only a|noop] [--skip-naive]

(a) The naive way — a shell loop of the ``papermill`` CLI, ``jupyter nbconvert --to html`` and
    the ``weasyprint`` CLI per report, one after another — against ``planmon build`` for the
    same 8 department reports of one year (HTML and PDF, cold: ``force``). Target: at least
    10× faster on 2 cores.
(b) A no-op rebuild of the full sample (nothing changed), from the command line
    (``planmon build``, a fresh interpreter; the median of 3 runs, each shown). Target: under
    1 s. ``--only noop`` runs the full build it needs, then only this.
(c) Peak memory of the full build, all processes together (build, workers, zygote, kernels):
    the sum of proportional set sizes (PSS, shared pages counted once) and of resident sizes
    (RSS, an upper bound), sampled every 0.5 s (reading smaps_rollup every 50 ms cost the
    build ~8% of its wall time on 2 cores: 126.8 s against 117.2 s unsampled). Target: under
    2 GiB.
(d) Where a report's time goes: kernel start, execution, shutdown, HTML, PDF (medians).
(e) The full sample cold: every department × report year in Persian and English, the overview
    and the district comparison, HTML and PDF, and the yearly publications. Target: under 90 s;
    a publication costs no more than two department reports of the same build.

Each build runs in a fresh interpreter (as the CLI would), so its times include Python's start
and planmon's imports. Uses the real notebooks in ``notebooks/`` (says so if they are missing)
and the bundled sample plan (generated into a temporary folder if ``data/raw/qazvin`` is
missing). Other processes on the machine skew every figure; compare figures of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = ROOT / ".venv" / "bin"
if not VENV_BIN.exists():  # a git worktree without its own environment
    VENV_BIN = Path(sys.executable).parent
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable

# Run in a fresh interpreter: build, then dump the per-job figures as JSON.
_BUILD_SCRIPT = """
import json, sys
from planmon.build.api import build

def main():
    args = json.loads(sys.argv[1])
    result = build(**args["build"])
    jobs = [
        {k: (str(v) if k in ("outputs", "executed") else v) for k, v in vars(j).items()}
        for j in result.jobs
    ]
    with open(args["out"], "w") as handle:
        json.dump({"duration_s": result.duration_s, "kernel": result.kernel, "jobs": jobs}, handle)

if __name__ == "__main__":
    main()
"""


def _pss_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class TreeMemory:
    """Sample the memory of a process and all its descendants until stopped."""

    def __init__(self, pid: int, interval: float = 0.5):
        self.pid, self.interval = pid, interval
        self.peak_rss = self.peak_pss = 0
        self.peak_processes = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        try:
            root = psutil.Process(self.pid)
        except psutil.Error:
            return
        while not self._stop.is_set():
            try:
                procs = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            rss = pss = 0
            for proc in procs:
                try:
                    rss += proc.memory_info().rss
                except psutil.Error:
                    continue
                kib = _pss_kib(proc.pid)
                pss += kib * 1024 if kib is not None else 0
            self.peak_rss = max(self.peak_rss, rss)
            self.peak_pss = max(self.peak_pss, pss)
            self.peak_processes = max(self.peak_processes, len(procs))
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_build(build_args: dict, workdir: Path, *, memory: bool = False) -> dict:
    """``build(**build_args)`` in a fresh interpreter; returns its figures and the wall time."""
    out = workdir / f"result-{time.monotonic_ns()}.json"
    payload = json.dumps({"build": build_args, "out": str(out)})
    started = time.perf_counter()
    process = subprocess.Popen([PYTHON, "-c", _BUILD_SCRIPT, payload], cwd=ROOT)
    if memory:
        with TreeMemory(process.pid) as sampler:
            code = process.wait()
    else:
        sampler = None
        code = process.wait()
    wall = time.perf_counter() - started
    if code != 0:
        raise SystemExit(f"planmon build failed (exit {code})")
    figures = json.loads(out.read_text())
    figures["wall_s"] = wall
    if sampler is not None:
        figures["peak_pss"] = sampler.peak_pss
        figures["peak_rss"] = sampler.peak_rss
        figures["peak_processes"] = sampler.peak_processes
    return figures


def run_naive(plan: Path, notebook: Path, year: int, dept_ids: list[str], workdir: Path) -> float:
    """The shell loop: papermill CLI then nbconvert CLI, report after report."""
    papermill = str(VENV_BIN / "papermill")
    jupyter = str(VENV_BIN / "jupyter")
    weasyprint = str(VENV_BIN / "weasyprint")
    out = workdir / "naive"
    out.mkdir(exist_ok=True)
    started = time.perf_counter()
    for dept_id in dept_ids:
        executed = out / f"{dept_id}.ipynb"
        subprocess.run(
            [papermill, str(notebook), str(executed), "--no-progress-bar"]
            + ["-p", "plan_path", str(plan), "-p", "year", str(year)]
            + ["-p", "dept_id", dept_id, "-p", "lang", "fa"],
            check=True,
            capture_output=True,
        )
        subprocess.run(
            [jupyter, "nbconvert", "--to", "html", "--no-input", str(executed)],
            check=True,
            capture_output=True,
        )
        html = executed.with_suffix(".html")
        subprocess.run(
            [weasyprint, str(html), str(html.with_suffix(".pdf"))], check=True, capture_output=True
        )
    return time.perf_counter() - started


def sample_plan(workdir: Path) -> tuple[Path, str]:
    from planmon.core import config

    if (config.SAMPLE_PLAN / "plan.xlsx").is_file():
        return config.SAMPLE_PLAN, f"{config.SAMPLE_PLAN}"
    from planmon.io.plan_writer import write_plan
    from planmon.sample.qazvin import qazvin_sample

    folder = workdir / "qazvin"
    write_plan(qazvin_sample(), folder)
    return folder, f"generated into {folder} (data/raw/qazvin missing)"


def _cli_noop(plan: Path, out: Path, runs: int = 3) -> list[float]:
    """Wall times of ``planmon build`` from the command line when nothing changed."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(
            [str(VENV_BIN / "planmon"), "build", str(plan), "--out", str(out), "--lang", "fa,en"],
            check=True,
            capture_output=True,
        )
        times.append(time.perf_counter() - started)
    return times


def _noops(plan: Path, full_args: dict, workdir: Path) -> tuple[dict, list[float], float, list]:
    """(b): build() in a fresh interpreter, the CLI, then build() in this one; what ran."""
    noop = run_build(full_args, workdir)
    cli_noop = _cli_noop(plan, Path(full_args["output_dir"]))
    from planmon.build.api import build

    started = time.perf_counter()
    in_process = build(**{**full_args, "plan": plan})
    noop_in_process = time.perf_counter() - started
    rebuilt = [j.key for j in in_process.jobs if j.status != "skipped"]
    return noop, cli_noop, noop_in_process, rebuilt


def _print_noop(cli_noop: list[float], noop: dict, in_process: float) -> None:
    print(
        f"(b) no-op rebuild of the full sample, CLI  {_median(cli_noop):7.2f} s  "
        f"(runs {', '.join(f'{t:.2f}' for t in cli_noop)}; build() in a fresh interpreter "
        f"{noop['wall_s']:.2f} s, in-process {in_process:.2f} s; target < 1 s)"
    )


def _noop_only(plan: Path, plan_note: str, common: dict, workdir: Path) -> None:
    """``--only noop``: the full sample cold (not timed), then (b)."""
    full_args = {
        **common,
        "langs": ["fa", "en"],
        "formats": ["html", "pdf"],
        "output_dir": str(workdir / "full"),
    }
    full = run_build({**full_args, "force": True}, workdir)
    noop, cli_noop, in_process, rebuilt = _noops(plan, full_args, workdir)
    print(f"plan: {plan_note}; full build first: {len(full['jobs'])} jobs")
    print(f"load average: {os.getloadavg()[0]:.2f} (machine shared with other agents)")
    _print_noop(cli_noop, noop, in_process)
    if rebuilt:
        print(f"    the no-op rebuild was not one: it ran {', '.join(rebuilt)}")


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _print_race(
    naive_times: list[float],
    build_times: list[float],
    kernels: list[str],
    year: int,
    cores: int,
    options: argparse.Namespace,
    plan: object,
    plan_note: str,
) -> None:
    """Print the header and figure (a)."""
    from planmon.core import config

    naive, ours = _median(naive_times), _median(build_times)
    print(f"planmon build benchmark — {cores} cores, Python {sys.version.split()[0]}")
    print(f"plan: {plan_note} ({len(plan.dept_ids)} departments, report years {plan.report_years})")
    print(
        f"notebooks: real ({config.NOTEBOOKS}); kernel: {', '.join(kernels)}; "
        f"jobs: {options.jobs or cores}; rounds: {options.rounds}"
    )
    print()
    print(f"load average: {os.getloadavg()[0]:.2f} (machine shared with other agents)")
    print(f"(a) 8 department reports, year {year}, HTML and PDF, cold")
    if naive_times:
        print(
            f"    naive papermill + nbconvert CLI loop   {naive:7.1f} s  ({naive / 8:.2f} s/report)"
        )
    print(f"    planmon build (fresh interpreter)      {ours:7.1f} s  ({ours / 8:.2f} s/report)")
    if naive_times:
        print(f"    speed-up                               {naive / ours:7.1f} ×   (target ≥ 10×)")
    if options.rounds > 1:
        print(
            f"    rounds: naive {[round(t, 1) for t in naive_times]}, "
            f"build {[round(t, 1) for t in build_times]}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plan", type=Path, help="plan folder (default: the sample)")
    parser.add_argument("--rounds", type=int, default=1, help="repeat (a) and report medians")
    parser.add_argument("--jobs", type=int, default=None, help="planmon build --jobs")
    parser.add_argument("--skip-naive", action="store_true", help="leave out the slow loop")
    parser.add_argument("--only-a", action="store_true", help="only (a), the 8-report race")
    parser.add_argument(
        "--only", choices=("a", "noop"), help="only (a), or only (b) after the full build it needs"
    )
    options = parser.parse_args()
    if options.only == "a":
        options.only_a = True

    import planmon
    from planmon.core import config

    notebooks = config.NOTEBOOKS
    real = all(
        (notebooks / f"{n}.ipynb").is_file()
        for n in ("department_report", "plan_overview", "district_comparison")
    )
    if not real:
        raise SystemExit(f"the report notebooks are missing from {notebooks}; nothing to bench")
    workdir = Path(tempfile.mkdtemp(prefix="planmon-bench-"))
    try:
        if options.plan:
            plan_path, plan_note = options.plan.resolve(), str(options.plan)
        else:
            plan_path, plan_note = sample_plan(workdir)
        plan = planmon.load(plan_path)
        year = plan.report_years[-1]
        dept_ids = plan.dept_ids[:8]
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
        common = {
            "plan": str(plan_path),
            "notebooks_dir": str(notebooks),
            "jobs": options.jobs,
        }

        if options.only == "noop":
            _noop_only(plan_path, plan_note, common, workdir)
            return
        # (a) naive loop against planmon build, 8 department reports, HTML
        naive_times, build_times, kernels = [], [], set()
        for round_ in range(options.rounds):
            if not options.skip_naive:
                naive_times.append(
                    run_naive(
                        plan_path, notebooks / "department_report.ipynb", year, dept_ids, workdir
                    )
                )
            eight = run_build(
                {
                    **common,
                    "years": [year],
                    "dept_ids": dept_ids,
                    "langs": ["fa"],
                    "formats": ["html", "pdf"],
                    "force": True,
                    "output_dir": str(workdir / f"eight-{round_}"),
                },
                workdir,
            )
            build_times.append(eight["wall_s"])
            kernels.add(eight["kernel"])

        if options.only_a:
            _print_race(
                naive_times, build_times, sorted(kernels), year, cores, options, plan, plan_note
            )
            return
        # (e) + (c): the full sample cold, memory sampled; then (b) the no-op rebuild
        full_dir = workdir / "full"
        full_args = {
            **common,
            "langs": ["fa", "en"],
            "formats": ["html", "pdf"],
            "output_dir": str(full_dir),
        }
        full = run_build({**full_args, "force": True}, workdir, memory=True)
        noop, cli_noop, noop_in_process, rebuilt = _noops(plan_path, full_args, workdir)

        # (d) where a department report's time goes, from the full build
        departments = [
            j for j in full["jobs"] if j["kind"] == "department" and j["status"] == "built"
        ]
        publications = [j for j in full["jobs"] if j["kind"] == "publication"]
        failed = [j for j in full["jobs"] if j["status"] == "failed"]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)

    _print_race(naive_times, build_times, sorted(kernels), year, cores, options, plan, plan_note)
    gib = 1024**3
    _print_noop(cli_noop, noop, noop_in_process)
    print(
        f"(c) peak memory of the full build          {full['peak_pss'] / gib:7.2f} GiB PSS "
        f"({full['peak_rss'] / gib:.2f} GiB RSS sum, {full['peak_processes']} processes; "
        "target < 2 GiB)"
    )
    print(f"(d) per department report (median of {len(departments)}):")
    for key, label in (
        ("kernel_start_s", "kernel start"),
        ("execute_s", "execution"),
        ("shutdown_s", "kernel shutdown"),
        ("html_s", "HTML"),
        ("pdf_s", "PDF"),
        ("duration_s", "whole job"),
    ):
        print(f"    {label:<38} {_median([j[key] for j in departments]):7.2f} s")
    print(
        f"    {f'publication PDF (median of {len(publications)})':<38} "
        f"{_median([j['pdf_s'] for j in publications]):7.2f} s"
    )
    print(
        f"(e) full sample cold ({len(full['jobs'])} jobs: departments × {len(plan.report_years)} "
        f"years, overview, comparison, HTML+PDF, publications)"
    )
    print(f"    wall time                              {full['wall_s']:7.1f} s  (target < 90 s)")
    pub, dept = (
        _median([j["duration_s"] for j in publications]),
        _median([j["duration_s"] for j in departments]),
    )
    print(f"    publication / department report         {pub / dept:7.2f}   (target ≤ 2)")
    if rebuilt:
        print(f"    the no-op rebuild was not one: it ran {', '.join(rebuilt)}")
    if failed:
        print(f"    FAILED jobs: {', '.join(j['key'] + ': ' + j['error'] for j in failed)}")


if __name__ == "__main__":
    main()
