"""Benchmark: validating hostile-sized inputs (issue 14's bar: under 10 s and 1 GiB each).

Run by hand: ``.venv/bin/python bench/bench_validate.py [--rows N] [--columns M]``.
Each case is the tiny fixture plan with one department's report replaced, validated by
``planmon.check`` in a fresh subprocess (so peak memory belongs to that run alone):

* a 200,000-row CSV report: half repeats of one id (duplicates), half unknown ids;
* the same 200,000 rows as an ``.xlsx`` report;
* a report workbook with 10,000 columns (unknown headers) × 100 rows;
* a 5 kB workbook with one value in its last cell, XFD1048576 (refused, not allocated).

Prints wall time, ``tracemalloc`` peak (Python allocations) and ``ru_maxrss`` (the process,
native readers included) per case.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TINY = Path(__file__).resolve().parent.parent / "tests" / "data" / "tiny"

# tracemalloc slows allocation-heavy code several times over: time and RSS come from a run
# without it, the traced peak from a second run.
CHILD = r"""
import json, resource, sys, time, tracemalloc
import planmon
traced = sys.argv[2] == "traced"
if traced:
    tracemalloc.start()
t0 = time.perf_counter()
errors, warnings = planmon.check(sys.argv[1])
elapsed = time.perf_counter() - t0
print(json.dumps({"seconds": elapsed, "errors": len(errors), "warnings": len(warnings),
                  "first": str(errors[0]) if errors else "",
                  "traced_mib": tracemalloc.get_traced_memory()[1] / 2**20 if traced else 0,
                  "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def _plan(work: Path, name: str) -> Path:
    folder = work / name
    shutil.copytree(TINY, folder)
    (folder / "reports" / "1398" / "services.csv").unlink()
    return folder / "reports" / "1398"


def _rows(n: int) -> list[list[object]]:
    half = n // 2
    return [["SRV01", 13.0]] * half + [[f"X{i}", 1.0] for i in range(n - half)]


def make_cases(work: Path, n_rows: int, n_columns: int) -> dict[str, Path]:
    import xlsxwriter

    cases = {}
    folder = _plan(work, "rows-csv")
    lines = [f"{i},{v:g}" for i, v in _rows(n_rows)]
    (folder / "services.csv").write_text("indicator_id,value\n" + "\n".join(lines) + "\n")
    cases[f"{n_rows:,}-row report (.csv)"] = folder.parent.parent

    folder = _plan(work, "rows-xlsx")
    book = xlsxwriter.Workbook(str(folder / "services.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value"])
    for r, row in enumerate(_rows(n_rows), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    cases[f"{n_rows:,}-row report (.xlsx)"] = folder.parent.parent

    folder = _plan(work, "columns")
    book = xlsxwriter.Workbook(str(folder / "services.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value", *(f"extra_{c}" for c in range(n_columns - 2))])
    for r in range(1, 101):
        sheet.write_row(r, 0, ["SRV01" if r == 1 else f"X{r}", 1.0, *([r] * (n_columns - 2))])
    book.close()
    cases[f"{n_columns:,}-column workbook × 100 rows"] = folder.parent.parent

    folder = _plan(work, "far-cell")
    book = xlsxwriter.Workbook(str(folder / "services.xlsx"))
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value"])
    sheet.write_row(1, 0, ["SRV01", 13])
    sheet.write_string(1048575, 16383, "x")
    book.close()
    cases["one value at XFD1048576 (5 kB)"] = folder.parent.parent
    return cases


def _run(plan: Path, mode: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(plan), mode], check=True, capture_output=True, text=True
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure(plan: Path) -> dict:
    """Time and RSS of one plain run (wall time includes ``import planmon``), the
    tracemalloc peak of a second."""
    t0 = time.perf_counter()
    result = _run(plan, "plain")
    result["wall"] = time.perf_counter() - t0
    result["traced_mib"] = _run(plan, "traced")["traced_mib"]
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--columns", type=int, default=10_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="planmon-bench-validate-"))
    try:
        cases = make_cases(work, args.rows, args.columns)
        print(f"{'case':38} {'check s':>8} {'wall s':>7} {'traced MiB':>10} {'RSS MiB':>8} "
              f"{'errors':>7}  target")  # fmt: skip
        for name, plan in cases.items():
            r = measure(plan)
            met = r["seconds"] < 10 and r["rss_mib"] < 1024
            print(
                f"{name:38} {r['seconds']:8.2f} {r['wall']:7.2f} {r['traced_mib']:10.0f} "
                f"{r['rss_mib']:8.0f} {r['errors']:7,}  {'met' if met else 'MISSED'}"
            )
            if r["first"]:
                print(f"{'':38} first error: {r['first'][:110]}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
