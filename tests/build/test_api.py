"""planmon.build.api: one build of the tiny plan with stand-in notebooks, then what follows from it.

The stand-ins (tests/data/notebooks) are small: ``report.ipynb`` shows a heading with the
department's name, two charts and a table; ``fails.ipynb`` raises. One module-scoped build
serves most tests; the incremental, failure, lock and dask tests build again on copies.
"""

from __future__ import annotations

import errno
import json
import re
import shutil
import subprocess
import sys
import threading
from types import SimpleNamespace

import nbformat
import pytest

from planmon.build.jobs import BuildResult, JobResult
from planmon.cli.progress import RichProgress
from planmon.core import config
from planmon.core.exceptions import BuildError, BuildLockedError, OutputError, ParameterError
from planmon.execution.kernel import ENGINE, PLAIN_KERNEL, zygote_supported
from tests.build.helpers import (
    NAMES_FA,
    YEAR,
    build_tiny,
    normalise,
    notebooks_folder,
    pdf_text,
    statuses,
)
from tests.conftest import TINY


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny plan, year 1398, Persian, HTML and PDF, built once with the stand-ins."""
    root = tmp_path_factory.mktemp("built")
    plan = root / "plan"
    shutil.copytree(TINY, plan)
    notebooks = notebooks_folder(root / "notebooks")
    with pytest.MonkeyPatch.context() as patch:
        # Kernels cache the parsed plan under PLANMON_HOME: keep it out of the project.
        patch.setenv("PLANMON_HOME", str(root / "home"))
        result = build_tiny(root, plan, notebooks, formats=["html", "pdf"])
    return SimpleNamespace(root=root, plan=plan, notebooks=notebooks, result=result)


# ------------------------------------------------------------------------------ a full build


def test_build_makes_every_report_of_the_year(built):
    reports = built.root / "reports"
    assert statuses(built.result) == {
        f"{YEAR}/fa/overview": "built",
        f"{YEAR}/fa/districts": "built",
        f"{YEAR}/fa/department/services": "built",
        f"{YEAR}/fa/department/district_1": "built",
        f"{YEAR}/fa/department/district_2": "built",
        f"{YEAR}/fa/publication": "built",
    }
    assert built.result.ok and built.result.index == reports / "index.html"
    # the cells ran in shells forked from the zygote (planmon.execution.engine)
    assert built.result.kernel == (ENGINE if zygote_supported() else PLAIN_KERNEL)
    for stem in ("overview", "districts", "services", "district_1", "district_2"):
        assert (reports / str(YEAR) / "fa" / f"{stem}.html").is_file()
        assert (reports / str(YEAR) / "fa" / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
    assert (reports / str(YEAR) / "notebooks" / "department_report.services.fa.ipynb").is_file()
    assert (reports / str(YEAR) / "notebooks" / "plan_overview.fa.ipynb").is_file()
    assert (reports / str(YEAR) / "publication.fa.pdf").is_file()
    # the scores were computed once, in the build, and handed to every notebook
    assert built.result.scores_path.parent == built.root / "scores"
    job = next(j for j in built.result.jobs if j.dept_id == "services")
    assert job.kernel_start_s > 0 and job.execute_s > 0 and job.html_s > 0 and job.pdf_s > 0


def test_notebooks_run_with_the_injected_parameters(built):
    executed = (
        built.root / "reports" / str(YEAR) / "notebooks" / "department_report.services.fa.ipynb"
    )
    nb = nbformat.read(executed, as_version=4)
    injected = [c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    source = injected[0].source
    assert 'dept_id = "services"' in source and f"year = {YEAR}" in source
    assert f'scores_path = "{built.result.scores_path}"' in source
    markdown = [
        o for c in nb.cells for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})
    ]
    assert markdown[0]["data"]["text/markdown"] == f"# {NAMES_FA['services']} {YEAR}"


def test_html_has_no_code_and_embeds_its_charts(built):
    page = (built.root / "reports" / str(YEAR) / "fa" / "services.html").read_text("utf-8")
    assert "indicator_chart(" not in page and "planmon.load(" not in page
    assert "<script" not in page
    # the stand-in draws two charts: planmon's indicator chart and a pyplot bar chart
    assert page.count('src="data:image/png;base64,') == 2
    assert NAMES_FA["services"] in page


def test_persian_html_is_right_to_left(built):
    page = (built.root / "reports" / str(YEAR) / "fa" / "district_1.html").read_text("utf-8")
    assert re.search(r'<html[^>]*\bdir="rtl"', page)
    assert re.search(r'<html[^>]*\blang="fa"', page)


def test_persian_pdf_holds_the_department_name_in_logical_order(built):
    text = pdf_text(built.root / "reports" / str(YEAR) / "fa" / "district_1.pdf")
    assert normalise(NAMES_FA["district_1"]) in text


def test_publication_binds_overview_and_every_department(built):
    text = pdf_text(built.root / "reports" / str(YEAR) / "publication.fa.pdf")
    for name in NAMES_FA.values():
        assert normalise(name) in text
    assert normalise("برنامه آزمایشی کوچک") in text  # the cover
    pages = subprocess.run(
        ["pdfinfo", str(built.root / "reports" / str(YEAR) / "publication.fa.pdf")],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    # cover + contents + at least one page per chapter (overview and three departments)
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= 6


def test_index_links_every_report_relatively(built):
    reports = built.root / "reports"
    page = (reports / "index.html").read_text("utf-8")
    assert re.search(r'<html[^>]*\bdir="rtl"', page)
    links = re.findall(r'href="([^"]+)"', page)
    assert "1398/fa/services.html" in links and "1398/publication.fa.pdf" in links
    for link in links:
        assert not link.startswith(("/", "file:", "http")) and (reports / link).is_file()
    assert len([link for link in links if link.endswith(".html")]) == 5
    assert NAMES_FA["district_2"] in page


def test_second_build_with_nothing_changed_starts_no_kernel(built):
    reports = built.root / "reports"
    before = {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    again = build_tiny(built.root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert set(statuses(again).values()) == {"skipped"}
    assert again.kernel == "" and again.scores_path is None
    after = {p: p.stat().st_mtime_ns for p in reports.rglob("*") if p.is_file()}
    changed = {p.name for p in before if before[p] != after.get(p)} - {".build.lock"}
    assert not changed


# ------------------------------------------------------------------------------ incremental


def test_changing_one_report_file_rebuilds_only_what_depends_on_it(built, tmp_path, home):
    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    plan = root / "plan"
    shutil.copytree(built.plan, plan)  # a moved plan rebuilds nothing by itself
    report = plan / "reports" / str(YEAR) / "services.csv"
    report.write_text(report.read_text("utf-8").replace("SRV02,10.5", "SRV02,9.5"), "utf-8")

    result = build_tiny(root, plan, built.notebooks, formats=["html", "pdf"])

    assert statuses(result) == {
        f"{YEAR}/fa/overview": "built",  # the whole plan
        f"{YEAR}/fa/districts": "skipped",  # services is a deputy, not a district
        f"{YEAR}/fa/department/services": "built",
        f"{YEAR}/fa/department/district_1": "skipped",
        f"{YEAR}/fa/department/district_2": "skipped",
        f"{YEAR}/fa/publication": "built",  # it binds the overview and services
    }


def test_a_missing_pdf_is_printed_again_without_running_its_notebook(built, tmp_path, home):
    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    pdf = root / "reports" / str(YEAR) / "fa" / "district_2.pdf"
    pdf.unlink()
    result = build_tiny(root, built.plan, built.notebooks, formats=["html", "pdf"])
    built_now = {j.key for j in result.built}
    # Only the PDF was missing: it is printed from the current HTML, no notebook runs.
    assert built_now == {f"{YEAR}/fa/department/district_2"} and result.kernel == ""
    assert pdf.is_file() and result.built[0].execute_s == 0 and result.built[0].pdf_s > 0


# ------------------------------------------------------------------------------ failures


def test_a_failing_notebook_is_reported_and_the_others_finish(tmp_path, home):
    notebooks = notebooks_folder(tmp_path / "notebooks", district_comparison="fails")
    result = build_tiny(tmp_path, TINY, notebooks)
    seen = statuses(result)
    assert seen.pop(f"{YEAR}/fa/districts") == "failed"
    assert set(seen.values()) == {"built"} and len(seen) == 4
    failed = result.failed[0]
    assert re.fullmatch(
        r"RuntimeError: stand-in failure for the plan in 1398 \(cell \d+\)", failed.error
    )
    kept = nbformat.read(failed.executed, as_version=4)
    assert failed.executed == (
        tmp_path / "reports" / str(YEAR) / "notebooks" / "district_comparison.fa.ipynb"
    )
    assert any(o.get("ename") == "RuntimeError" for c in kept.cells for o in c.get("outputs", []))
    assert not (tmp_path / "reports" / str(YEAR) / "fa" / "districts.html").exists()
    with pytest.raises(BuildError, match="1 failed") as raised:
        result.raise_for_failures()
    assert raised.value.result is result
    # the failure is not remembered as built: the next build tries it again
    manifest = json.loads((tmp_path / "reports" / ".manifest.json").read_text("utf-8"))
    assert f"{YEAR}/fa/districts" not in manifest["reports"]


def test_a_failed_section_holds_back_its_publication(tmp_path, home):
    notebooks = notebooks_folder(tmp_path / "notebooks", department_report="fails")
    result = build_tiny(tmp_path, TINY, notebooks, formats=["html", "pdf"])
    publication = next(j for j in result.jobs if j.kind == "publication")
    assert publication.status == "failed" and "not printed" in publication.error
    assert not (tmp_path / "reports" / str(YEAR) / "publication.fa.pdf").exists()
    assert statuses(result)[f"{YEAR}/fa/overview"] == "built"


def test_unknown_parameter_fails_before_any_kernel_starts(tmp_path, home):
    notebooks = notebooks_folder(tmp_path / "notebooks")
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        build_tiny(tmp_path, TINY, notebooks, parameters={"colour": "red"})
    assert not (tmp_path / "reports" / str(YEAR) / "notebooks").exists()


def test_a_notebook_missing_a_parameter_fails_clearly(tmp_path, home):
    notebooks = notebooks_folder(tmp_path / "notebooks")
    nb = nbformat.read(notebooks / "plan_overview.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('scores_path: str = ""', "")
    nbformat.write(nb, notebooks / "plan_overview.ipynb")
    with pytest.raises(ParameterError, match="scores_path"):
        build_tiny(tmp_path, TINY, notebooks)
    assert not (tmp_path / "reports" / str(YEAR) / "notebooks").exists()


# ------------------------------------------------------------------------------ lock, atomicity


def test_a_second_build_waits_for_the_lock_or_stops_clearly(built, tmp_path):
    reports = built.root / "reports"
    # the holder keeps the lock until it reads a line: no timing decides the outcome
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys; from filelock import FileLock; "
            "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); "
            "sys.stdin.readline(); lock.release(); print('released', flush=True)",
            str(reports / ".build.lock"),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(BuildLockedError, match="another planmon build"):
            build_tiny(built.root, built.plan, built.notebooks, lock_timeout=0)
        with pytest.raises(BuildLockedError, match=r"after waiting 0\.3 s"):
            build_tiny(built.root, built.plan, built.notebooks, lock_timeout=0.3)

        # a build that waits gets the lock when the holder leaves, a second into its wait
        # (a no-op build: everything is current)
        def release() -> None:
            holder.stdin.write("go\n")
            holder.stdin.flush()

        timer = threading.Timer(1.0, release)
        timer.start()
        result = build_tiny(
            built.root, built.plan, built.notebooks, formats=["html", "pdf"], lock_timeout=60
        )
        timer.join()
        assert holder.stdout.readline().strip() == "released"
        assert set(statuses(result).values()) == {"skipped"}
    finally:
        holder.kill()
        holder.wait()


# ------------------------------------------------------------------------------ executors


def test_dask_executor_gives_the_same_reports_as_the_local_pool(built, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PLANMON_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("JUPYTER_PATH", "")  # restored after: the worker adds planmon's kernels
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = build_tiny(
            tmp_path,
            built.plan,
            built.notebooks,
            executor="dask",
            scheduler=cluster.scheduler_address,
            dept_ids=["district_1", "services"],
        )
    assert statuses(result) == {
        f"{YEAR}/fa/department/services": "built",
        f"{YEAR}/fa/department/district_1": "built",
    }
    assert result.kernel == PLAIN_KERNEL
    for stem in ("district_1", "services"):
        local = (built.root / "reports" / str(YEAR) / "fa" / f"{stem}.html").read_bytes()
        remote = (tmp_path / "reports" / str(YEAR) / "fa" / f"{stem}.html").read_bytes()
        assert remote == local  # also: a stock kernel and a forked one draw the same report


def test_the_real_department_report_notebook_builds(tmp_path, home):
    notebook = config.NOTEBOOKS / "department_report.ipynb"
    if not notebook.is_file():
        pytest.skip(f"{notebook} is not written yet")
    result = build_tiny(tmp_path, TINY, config.NOTEBOOKS, dept_ids=["district_1"])
    assert result.ok, result.summary()
    page = (tmp_path / "reports" / str(YEAR) / "fa" / "district_1.html").read_text("utf-8")
    assert re.search(r'<html[^>]*\bdir="rtl"', page) and NAMES_FA["district_1"] in page
    assert "data:image/png;base64," in page and "report.open_report" not in page


# ------------------------------------------------------------------------------ reporting


def test_summary_and_progress_adapter(built):
    from io import StringIO

    from rich.console import Console

    output = StringIO()
    with RichProgress(Console(file=output, width=100)) as progress:
        result = build_tiny(
            built.root, built.plan, built.notebooks, formats=["html", "pdf"], progress=progress
        )
    assert "done" in output.getvalue()
    assert result.summary().startswith("0 built, 6 up to date, 0 failed in ")
    result.raise_for_failures()  # nothing failed: no error

    failed = JobResult("1398/fa/x", "department", YEAR, "fa", "x", "X", "failed", error="boom")
    summary = BuildResult(jobs=[failed], output_dir=built.root).summary()
    assert summary.splitlines()[1] == "  1398/fa/x: boom"


# ------------------------------------------------------------------------------ its own files


def test_a_build_clears_only_what_a_killed_build_left_behind(built):
    reports = built.root / "reports"
    ours = [
        reports / str(YEAR) / "fa" / ".planmon-tmp-services.html.k3j2h1ab.tmp",
        reports / str(YEAR) / "notebooks" / ".planmon-tmp-plan_overview.fa.ipynb.x8d7zz2q.tmp",
        reports / ".planmon-tmp-.manifest.json.a1b2c3d4.tmp",
        # an older planmon's name, beside a report the manifest knows
        reports / str(YEAR) / "fa" / ".services.pdf.q8d7zz2q.tmp",
    ]
    users = [reports / ".chapter1.docx.tmp", reports / str(YEAR) / "fa" / ".notes.tmp"]
    for path in ours + users:
        path.write_text("half")
    build_tiny(built.root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert not any(path.exists() for path in ours)
    assert all(path.read_text() == "half" for path in users)
    for path in users:
        path.unlink()


def test_a_removed_department_leaves_the_index_and_the_reports(built, tmp_path, home):
    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    plan = tmp_path / "plan"
    shutil.copytree(built.plan, plan)
    for name in ("departments", "indicators", "targets"):
        path = plan / "plan" / f"{name}.csv"
        lines = path.read_text("utf-8").splitlines(keepends=True)
        path.write_text("".join(x for x in lines if "district_2" not in x and "D2_" not in x))
    for path in (plan / "reports").rglob("district_2.csv"):
        path.unlink()

    result = build_tiny(root, plan, built.notebooks, formats=["html", "pdf"])

    assert result.ok, result.summary()
    reports = root / "reports"
    index = (reports / "index.html").read_text("utf-8")
    assert NAMES_FA["district_2"] not in index and "district_2" not in index
    assert not list(reports.rglob("*district_2*"))  # its HTML, PDF and notebook
    manifest = json.loads((reports / ".manifest.json").read_text("utf-8"))
    assert not [key for key in manifest["reports"] if "district_2" in key]
    assert not [rel for rel in manifest["files"] if "district_2" in rel]


def test_a_file_planmon_did_not_write_is_never_overwritten(built, tmp_path):
    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    manifest = json.loads((root / "reports" / ".manifest.json").read_text("utf-8"))
    mine = root / "reports" / str(YEAR) / "fa" / "district_1.pdf"
    mine.write_bytes(b"%PDF-1.4 the user's own file")
    # the manifest has no record of it
    rel = f"{YEAR}/fa/district_1.pdf"
    manifest["outputs"].pop(rel)
    manifest["files"].remove(rel)
    (root / "reports" / ".manifest.json").write_text(json.dumps(manifest))
    (root / "reports" / str(YEAR) / "fa" / "district_1.html").unlink()  # not recognisably ours
    with pytest.raises(OutputError, match="planmon will not overwrite them") as raised:
        build_tiny(root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert str(raised.value).startswith(f"{mine} exist(s) where planmon writes its reports")
    assert mine.read_bytes() == b"%PDF-1.4 the user's own file"


def test_an_os_error_after_the_jobs_still_gives_the_summary(built, tmp_path, monkeypatch):
    from planmon.publish import index

    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    (root / "reports" / "index.html").unlink()

    def disk_full(target, text, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(target))

    monkeypatch.setattr(index, "atomic_write_text", disk_full)
    with pytest.raises(OutputError) as raised:
        build_tiny(root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert str(raised.value) == (
        f"cannot write {root / 'reports' / 'index.html'}: the disk is full (ENOSPC); "
        "free some space or write to another disk"
    )
    assert raised.value.result.summary().startswith("0 built, 6 up to date, 0 failed in ")
