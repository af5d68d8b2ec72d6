"""Benchmark a department report's charts: today's tree against an earlier commit, one run.

    .venv/bin/python bench/bench_charts.py [--base COMMIT] [--dept parks] [--rounds 3]

Each side and language runs in a fresh interpreter, as a report's process would: the base commit's tree is
checked out with ``git worktree add`` into a temporary folder (removed afterwards) and imported
from there. Measured, CPU seconds (``time.process_time``, less sensitive than wall time to the
other processes on a shared machine) of ``indicator_sections`` for one department in ``fa`` and
``en``:

* ``first``: the first call in the process (what a report kernel pays), after
  ``planmon.content.charts.style.warm_up`` where the tree has it — the build's kernel parent
  calls it once before forking kernels, so kernels inherit its work; its own cost, paid once
  per build, is printed as ``warm-up``;
* ``steady``: the median of the next ``--rounds`` calls;
* ``charts_only``: the report's 8 charts alone, as the report shows them (comparison,
  distance, one per indicator: figure, layout, PNG, and for the page charts their
  ``<figure>`` with the HTML legend), median of ``--rounds`` calls, after the above.

The script says whether both sides' charts are the same bytes. Since the report charts' title
and legend moved into the page (``planmon.content.charts.legend``) they are not, by design:
compare the pages with ``pdftoppm``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_SCRIPT = r"""
import hashlib, json, statistics, sys, time
args = json.loads(sys.argv[1])
out = {}
from planmon.content.charts import style
warm = getattr(style, "warm_up", None)
if warm is not None:
    t = time.process_time(); warm(); out["warm_up"] = time.process_time() - t
from planmon.content import department as d
from planmon.content.blocks import Block
from planmon.content.context import open_report
from planmon.content.department import indicator_sections


def report_charts(ctx):
    # The department report's 8 charts as the report shows them (comparison, distance, one
    # per indicator): the page charts and their <figure> where the tree has them, else the
    # figures encoded as PNG.
    lang, frame = ctx.lang, d._labelled(ctx, ctx.dept_scores)
    block = Block(lang)
    ids = list(ctx.dept_scores["indicator_id"])
    if hasattr(d, "indicator_page_chart_of"):
        block.chart(d.comparison_page_chart(frame, lang=lang, label="label"), "c")
        block.chart(d.distance_page_chart(frame, lang=lang, label="label"), "d")
        for i in ids:
            block.chart(d.indicator_page_chart_of(ctx, i))
    else:
        block.figure(d.comparison_chart(frame, lang=lang, label="label"), "c")
        block.figure(d.distance_chart(frame, lang=lang, label="label"), "d")
        for i in ids:
            block.figure(d.indicator_chart_of(ctx, i), i)
    return block


for lang in args["langs"]:
    ctx = open_report("department_report", "", args["year"], args["dept"], lang)
    t = time.process_time(); block = indicator_sections(ctx); first = time.process_time() - t
    times = []
    for _ in range(args["rounds"]):
        t = time.process_time(); indicator_sections(ctx); times.append(time.process_time() - t)
    chart_times = []
    for _ in range(args["rounds"]):
        t = time.process_time(); report_charts(ctx); chart_times.append(time.process_time() - t)
    # a chart is a PNG part (before) or one <figure> of title, PNG and legend (after)
    pngs = [part[1] for part in block.parts if part[0] == "png"]
    pngs += [
        part[1].encode() for part in block.parts
        if part[0] == "html" and part[1].startswith('<figure class="planmon-chart"')
    ]
    out[lang] = {
        "first": first,
        "steady": statistics.median(times),
        "charts_only": statistics.median(chart_times),
        "charts": len(pngs),
        "digest": hashlib.sha256(b"".join(pngs)).hexdigest(),
    }
print(json.dumps(out))
"""


def _run(tree: Path, args: dict) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree), "MPLBACKEND": "agg"}
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, json.dumps(args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tree,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="e4e22ec", help="commit with the charts to beat")
    parser.add_argument("--dept", default="parks")
    parser.add_argument("--year", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    args = {"dept": options.dept, "year": options.year, "rounds": options.rounds}
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores shared with other agents)")
    with tempfile.TemporaryDirectory(prefix="planmon-charts-base-") as tmp:
        base = Path(tmp) / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(base), options.base],
            check=True,
        )
        try:
            if not (base / "data" / "raw" / "qazvin").exists():
                (base / "data" / "raw").mkdir(parents=True, exist_ok=True)
                os.symlink(ROOT / "data" / "raw" / "qazvin", base / "data" / "raw" / "qazvin")
            # each language in its own fresh interpreter: "first" is a report process's first
            before, after = {}, {}
            for lang in ("fa", "en"):
                before.update(_run(base, {**args, "langs": [lang]}))
                after.update(_run(ROOT, {**args, "langs": [lang]}))
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)])
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"warm-up (once per build, in the kernel parent): {after.get('warm_up', 0):.3f} s CPU")
    print(f"{'lang':4} {'charts':>6} {'measure':11} {'before s':>9} {'after s':>8} {'ratio':>6}")
    for lang in ("fa", "en"):
        b, a = before[lang], after[lang]
        for key in ("first", "steady", "charts_only"):
            ratio = b[key] / a[key] if a[key] else float("nan")
            print(f"{lang:4} {a['charts']:6d} {key:11} {b[key]:9.3f} {a[key]:8.3f} {ratio:6.2f}")
        same = "identical" if b["digest"] == a["digest"] else "different"
        print(f"{lang:4} chart bytes before/after: {same} ({b['charts']} / {a['charts']} charts)")


if __name__ == "__main__":
    main()
