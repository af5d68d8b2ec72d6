"""``planmon build`` on the command line: refusals are located messages with an exit code, never a
traceback, and a build stopped by the disk still prints what it did."""

from __future__ import annotations

import errno
import os
import re
import shutil

from typer.testing import CliRunner

from planmon.build import api
from planmon.build.jobs import BuildResult, JobResult
from planmon.cli.app import app
from planmon.cli.progress import RichProgress
from planmon.core.exceptions import OutputError
from tests.conftest import TINY


def _run(*args: str):
    return CliRunner().invoke(app, ["build", *args])


def _said(text: str, output: str) -> bool:
    """``text`` is in ``output``, however the terminal wrapped its lines."""
    return re.sub(r"\s+", "", text) in re.sub(r"\s+", "", output)


def test_out_inside_the_plan_is_refused(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    result = _run(str(plan), "--out", str(plan / "reports"))
    assert result.exit_code == 1
    assert _said(f"error: --out {plan / 'reports'} is inside the plan folder {plan}", result.output)
    assert "Traceback" not in result.output and not (plan / "reports" / "1398" / "fa").exists()


def test_a_bad_department_is_a_usage_error_that_leaves_nothing(tmp_path):
    out = tmp_path / "reports"
    result = _run(str(TINY), "--dept", "../x", "--out", str(out))
    assert result.exit_code == 2
    assert _said("error: unknown department ../x; departments of the plan:", result.output)
    assert os.listdir(tmp_path) == []


def test_a_full_disk_prints_the_summary_then_the_error(tmp_path, monkeypatch):
    done = JobResult("1398/fa/department/x", "department", 1398, "fa", "x", "X", "built")

    def stopped_by_the_disk(*args, **kwargs):
        error = OutputError.of(
            OSError(errno.ENOSPC, "No space left on device", str(tmp_path / "index.html"))
        )
        error.result = BuildResult(jobs=[done], output_dir=tmp_path, duration_s=1.0)
        raise error

    monkeypatch.setattr(api, "build", stopped_by_the_disk)
    result = _run(str(TINY), "--out", str(tmp_path))
    assert result.exit_code == 1
    assert _said("1398/fa/department/x", result.output)
    assert _said("1 built, 0 up to date, 0 failed in 1.0 s", result.output)
    assert _said(
        f"error: cannot write {tmp_path / 'index.html'}: the disk is full (ENOSPC); free some "
        "space or write to another disk",
        result.output,
    )
    assert "Traceback" not in result.output and "internal error" not in result.output


def test_the_progress_bar_shows_plan_text_as_text():
    from io import StringIO

    from rich.console import Console

    output = StringIO()
    failed = JobResult("1398/fa/department/[/]x", "department", 1398, "fa", "[/]x", "X", "failed")
    failed.error = "ValueError: bad value [bold]:x: [/]"
    with RichProgress(Console(file=output, width=200)) as progress:
        progress.phase("loading [/] the plan")
        progress.start(1, 0)
        progress.job_done(failed)
    text = output.getvalue()
    assert "failed 1398/fa/department/[/]x: ValueError: bad value [bold]:x: [/]" in text
    assert "❌" not in text


def test_build_with_the_dashboard_links_it_from_the_first_build_and_then_rebuilds_nothing(
    tmp_path,
):
    plan, out = tmp_path / "plan", tmp_path / "reports"
    shutil.copytree(TINY, plan)
    args = (str(plan), "--out", str(out), "--year", "1398", "--format", "html", "--dashboard")
    first = _run(*args)
    assert first.exit_code == 0, first.output
    board = out / "dashboard" / "index.html"
    assert board.is_file() and _said(f"dashboard: {board}", first.output)
    report = next((out / "1398" / "fa").glob("*.html"))
    assert 'href="../../dashboard/index.html"' in report.read_text(encoding="utf-8")
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*.html")}
    second = _run(*args)
    assert second.exit_code == 0, second.output
    assert _said("0 built", second.output) and _said("(up to date)", second.output)
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.html")} == before  # nothing rewritten
    # without --dashboard a build links only to a dashboard that exists
    plain = _run(str(plan), "--out", str(tmp_path / "plain"), "--year", "1398", "--format", "html")
    assert plain.exit_code == 0, plain.output
    page = next((tmp_path / "plain" / "1398" / "fa").glob("*.html")).read_text(encoding="utf-8")
    assert "dashboard/index.html" not in page
