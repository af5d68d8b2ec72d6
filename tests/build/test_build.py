"""planmon.build.api: one build of the tiny plan with stand-in notebooks, then what follows from it.

The stand-ins (tests/data/notebooks) are small: ``report.ipynb`` shows a heading with the
department's name, two charts and a table; ``fails.ipynb`` raises. One module-scoped build
serves most tests; the incremental, failure, lock and dask tests build again on copies.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

import planmon
from planmon.build.api import BuildResult, JobResult, RichProgress, build, run_job
from planmon.core import config
from planmon.core.exceptions import BuildError, BuildLockedError, ParameterError
from planmon.execution.kernel import PLAIN_KERNEL, ZYGOTE_KERNEL, zygote_supported
from tests.conftest import TINY

STANDINS = Path(__file__).parents[1] / "data" / "notebooks"
YEAR = 1398
NAMES_FA = {"services": "معاونت خدمات شهری", "district_1": "منطقه یک", "district_2": "منطقه دو"}


def _notebooks(folder: Path, **stand_ins: str) -> Path:
    """A notebooks folder: the report stand-in under each report name, unless overridden."""
    folder.mkdir(parents=True, exist_ok=True)
    chosen = {
        "department_report": "report",
        "plan_overview": "report",
        "district_comparison": "report",
        **stand_ins,
    }
    for name, stand_in in chosen.items():
        shutil.copyfile(STANDINS / f"{stand_in}.ipynb", folder / f"{name}.ipynb")
    return folder


def _build(root: Path, plan: Path, notebooks: Path, **kwargs):
    options = {
        "years": [YEAR],
        "langs": ["fa"],
        "formats": ["html"],
        "jobs": 2,
        "output_dir": root / "reports",
        "notebooks_dir": notebooks,
        "scores_dir": root / "scores",
        **kwargs,
    }
    return build(planmon.load(plan, cache=False), **options)


def _statuses(result: BuildResult) -> dict[str, str]:
    return {job.key: job.status for job in result.jobs}


def _pdf_text(path: Path) -> str:
    """pdftotext output in logical order, comparable with the Persian we wrote."""
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    return _normalise(text)


def _normalise(text: str) -> str:
    # pdftotext wraps right-to-left runs in bidi embedding marks (U+202A–U+202E) and may emit
    # presentation forms; lam-alef comes out split (FACTS.md). Compare what a reader sees.
    text = unicodedata.normalize("NFKC", text)
    text = re.sub("[\u202a-\u202e\u2066-\u2069\u200e\u200f]", "", text)
    return re.sub(r"\s+", " ", text.replace("لا", "ال"))


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The tiny plan, year 1398, Persian, HTML and PDF, built once with the stand-ins."""
    root = tmp_path_factory.mktemp("built")
    plan = root / "plan"
    shutil.copytree(TINY, plan)
    notebooks = _notebooks(root / "notebooks")
    with pytest.MonkeyPatch.context() as patch:
        # Kernels cache the parsed plan under PLANMON_HOME: keep it out of the project.
        patch.setenv("PLANMON_HOME", str(root / "home"))
        result = _build(root, plan, notebooks, formats=["html", "pdf"])
    return SimpleNamespace(root=root, plan=plan, notebooks=notebooks, result=result)


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("PLANMON_HOME", str(tmp_path / "home"))


# ------------------------------------------------------------------------------ a full build


def test_build_makes_every_report_of_the_year(built):
    reports = built.root / "reports"
    assert _statuses(built.result) == {
        f"{YEAR}/fa/overview": "built",
        f"{YEAR}/fa/districts": "built",
        f"{YEAR}/fa/department/services": "built",
        f"{YEAR}/fa/department/district_1": "built",
        f"{YEAR}/fa/department/district_2": "built",
        f"{YEAR}/fa/publication": "built",
    }
    assert built.result.ok and built.result.index == reports / "index.html"
    assert built.result.kernel == (ZYGOTE_KERNEL if zygote_supported() else PLAIN_KERNEL)
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
    text = _pdf_text(built.root / "reports" / str(YEAR) / "fa" / "district_1.pdf")
    assert _normalise(NAMES_FA["district_1"]) in text


def test_publication_binds_overview_and_every_department(built):
    text = _pdf_text(built.root / "reports" / str(YEAR) / "publication.fa.pdf")
    for name in NAMES_FA.values():
        assert _normalise(name) in text
    assert _normalise("برنامه آزمایشی کوچک") in text  # the cover
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
    started = time.perf_counter()
    again = _build(built.root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert time.perf_counter() - started < 2.0
    assert set(_statuses(again).values()) == {"skipped"}
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

    result = _build(root, plan, built.notebooks, formats=["html", "pdf"])

    assert _statuses(result) == {
        f"{YEAR}/fa/overview": "built",  # the whole plan
        f"{YEAR}/fa/districts": "skipped",  # services is a deputy, not a district
        f"{YEAR}/fa/department/services": "built",
        f"{YEAR}/fa/department/district_1": "skipped",
        f"{YEAR}/fa/department/district_2": "skipped",
        f"{YEAR}/fa/publication": "built",  # it binds the overview and services
    }


def test_a_district_change_also_invalidates_the_comparison(built, tmp_path):
    from planmon.build.api import _Manifest, _Options, _plan_jobs, _with_stages

    plan = tmp_path / "plan"
    shutil.copytree(built.plan, plan)
    report = plan / "reports" / str(YEAR) / "district_1.csv"
    report.write_text(report.read_text("utf-8").replace("9.2", "9.4"), "utf-8")
    loaded = planmon.load(plan, cache=False)
    options = _Options.check(
        langs=["fa"],
        formats=["html", "pdf"],
        jobs=1,
        executor="local",
        scheduler=None,
        kernel="auto",
        parameters=None,
        timeout=None,
    )
    jobs = _plan_jobs(
        loaded,
        years=[YEAR],
        dept_ids=loaded.dept_ids,
        plan_wide=True,
        options=options,
        output_dir=built.root / "reports",
        notebooks_dir=built.notebooks,
    )
    manifest = _Manifest.read(built.root / "reports")
    stale = {job.key for job in jobs if _with_stages(job, manifest, force=False).stages}
    assert all(_with_stages(job, manifest, force=True).stages for job in jobs)
    assert stale == {
        f"{YEAR}/fa/overview",
        f"{YEAR}/fa/districts",
        f"{YEAR}/fa/department/district_1",
        f"{YEAR}/fa/publication",
    }


def test_a_missing_pdf_is_printed_again_without_running_its_notebook(built, tmp_path, home):
    root = tmp_path / "copy"
    shutil.copytree(built.root / "reports", root / "reports")
    pdf = root / "reports" / str(YEAR) / "fa" / "district_2.pdf"
    pdf.unlink()
    result = _build(root, built.plan, built.notebooks, formats=["html", "pdf"])
    built_now = {j.key for j in result.built}
    # Only the PDF was missing: it is printed from the current HTML, no notebook runs.
    assert built_now == {f"{YEAR}/fa/department/district_2"} and result.kernel == ""
    assert pdf.is_file() and result.built[0].execute_s == 0 and result.built[0].pdf_s > 0


# ------------------------------------------------------------------------------ failures


def test_a_failing_notebook_is_reported_and_the_others_finish(tmp_path, home):
    notebooks = _notebooks(tmp_path / "notebooks", district_comparison="fails")
    result = _build(tmp_path, TINY, notebooks)
    statuses = _statuses(result)
    assert statuses.pop(f"{YEAR}/fa/districts") == "failed"
    assert set(statuses.values()) == {"built"} and len(statuses) == 4
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
    notebooks = _notebooks(tmp_path / "notebooks", department_report="fails")
    result = _build(tmp_path, TINY, notebooks, formats=["html", "pdf"])
    publication = next(j for j in result.jobs if j.kind == "publication")
    assert publication.status == "failed" and "not printed" in publication.error
    assert not (tmp_path / "reports" / str(YEAR) / "publication.fa.pdf").exists()
    assert _statuses(result)[f"{YEAR}/fa/overview"] == "built"


def test_unknown_parameter_fails_before_any_kernel_starts(tmp_path, home):
    notebooks = _notebooks(tmp_path / "notebooks")
    started = time.perf_counter()
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        _build(tmp_path, TINY, notebooks, parameters={"colour": "red"})
    assert time.perf_counter() - started < 10
    assert not (tmp_path / "reports" / str(YEAR) / "notebooks").exists()


def test_a_notebook_missing_a_parameter_fails_clearly(tmp_path, home):
    notebooks = _notebooks(tmp_path / "notebooks")
    nb = nbformat.read(notebooks / "plan_overview.ipynb", as_version=4)
    cell = next(c for c in nb.cells if "parameters" in c.metadata.get("tags", []))
    cell.source = cell.source.replace('scores_path: str = ""', "")
    nbformat.write(nb, notebooks / "plan_overview.ipynb")
    with pytest.raises(ParameterError, match="scores_path"):
        _build(tmp_path, TINY, notebooks)
    assert not (tmp_path / "reports" / str(YEAR) / "notebooks").exists()


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"langs": ["de"]}, "unknown report language de"),
        ({"formats": ["docx"]}, "unknown output format docx"),
        ({"jobs": 0}, "jobs must be"),
        ({"executor": "spark"}, "unknown executor"),
        ({"executor": "dask"}, "scheduler's address"),
        ({"years": [1390]}, "no reports for year 1390"),
        ({"dept_ids": ["nowhere"]}, "unknown department nowhere"),
        ({"parameters": {"year": 1397}}, "set by the build"),
    ],
)
def test_bad_options_are_refused_with_the_fix(tmp_path, option, match):
    with pytest.raises(ParameterError, match=match):
        _build(tmp_path, TINY, STANDINS, **option)


# ------------------------------------------------------------------------------ lock, atomicity


def test_a_second_build_waits_for_the_lock_or_stops_clearly(built, tmp_path):
    reports = built.root / "reports"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time; from filelock import FileLock; "
            "lock = FileLock(sys.argv[1]); lock.acquire(); print('held', flush=True); "
            "time.sleep(float(sys.argv[2]))",
            str(reports / ".build.lock"),
            "1.5",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        started = time.perf_counter()
        with pytest.raises(BuildLockedError, match="another planmon build"):
            _build(built.root, built.plan, built.notebooks, lock_timeout=0)
        assert time.perf_counter() - started < 1.0
        with pytest.raises(BuildLockedError, match=r"after waiting 0\.3 s"):
            _build(built.root, built.plan, built.notebooks, lock_timeout=0.3)
        # waiting long enough: the holder leaves after 1.5 s, then this (no-op) build runs
        result = _build(
            built.root, built.plan, built.notebooks, formats=["html", "pdf"], lock_timeout=30
        )
        assert set(_statuses(result).values()) == {"skipped"}
    finally:
        holder.kill()
        holder.wait()


def test_an_interrupted_write_leaves_the_previous_report_whole(built, tmp_path, monkeypatch):
    import weasyprint

    job_result = next(j for j in built.result.jobs if j.dept_id == "district_2")
    pdf = built.root / "reports" / str(YEAR) / "fa" / "district_2.pdf"
    before = pdf.read_bytes()

    def half_then_crash(self, target=None, **kwargs):
        Path(target).write_bytes(b"%PDF-1.7 half a report")
        raise OSError("disk full")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", half_then_crash)
    from planmon.build.api import Job

    job = Job(
        key=job_result.key,
        kind="department",
        year=YEAR,
        lang="fa",
        dept_id="district_2",
        name=job_result.name,
        title="t",
        stages=("pdf",),
        executed=job_result.executed,
        html=pdf.with_suffix(".html"),
        pdf=pdf,
    )
    outcome = run_job(job)
    assert outcome.status == "failed" and "disk full" in outcome.error
    assert pdf.read_bytes() == before
    assert not [p.name for p in pdf.parent.iterdir() if p.name.startswith(".")]


# ------------------------------------------------------------------------------ executors


def test_dask_executor_gives_the_same_reports_as_the_local_pool(built, tmp_path, monkeypatch):
    distributed = pytest.importorskip("distributed")
    monkeypatch.setenv("PLANMON_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("JUPYTER_PATH", "")  # restored after: the worker adds planmon's kernels
    with distributed.LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        result = _build(
            tmp_path,
            built.plan,
            built.notebooks,
            executor="dask",
            scheduler=cluster.scheduler_address,
            dept_ids=["district_1", "services"],
        )
    assert _statuses(result) == {
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
    result = _build(tmp_path, TINY, config.NOTEBOOKS, dept_ids=["district_1"])
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
        result = _build(
            built.root, built.plan, built.notebooks, formats=["html", "pdf"], progress=progress
        )
    assert "done" in output.getvalue()
    assert result.summary().startswith("0 built, 6 up to date, 0 failed in ")
    result.raise_for_failures()  # nothing failed: no error

    failed = JobResult("1398/fa/x", "department", YEAR, "fa", "x", "X", "failed", error="boom")
    summary = BuildResult(jobs=[failed], output_dir=built.root).summary()
    assert summary.splitlines()[1] == "  1398/fa/x: boom"


def test_index_escapes_names_from_the_plan(tmp_path):
    from planmon.build.api import _index_html, _Manifest

    (tmp_path / "1398" / "en").mkdir(parents=True)
    (tmp_path / "1398" / "en" / "x.html").write_text("<p>report</p>")
    manifest = _Manifest(tmp_path, {})
    manifest.plan = {"name_fa": "", "name_en": "Plan <b>&</b>"}
    manifest.reports["1398/en/department/x"] = {
        "kind": "department",
        "year": 1398,
        "lang": "en",
        "dept_id": "x",
        "name": '<script>alert("x")</script>',
        "html": "1398/en/x.html",
        "pdf": "1398/en/x.pdf",  # not on disk: not linked
    }
    page = _index_html(tmp_path, manifest)
    assert "<script>" not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "Plan &lt;b&gt;&amp;&lt;/b&gt;" in page
    assert '<html lang="en" dir="ltr">' in page and "x.pdf" not in page


def test_index_links_the_dashboard_when_there_is_one(tmp_path):
    from planmon.build.api import _index_html, _Manifest

    manifest = _Manifest(tmp_path, {})
    manifest.plan = {"name_fa": "برنامه", "name_en": "Plan"}
    assert "dashboard/index.html" not in _index_html(tmp_path, manifest)
    (tmp_path / "dashboard").mkdir()
    (tmp_path / "dashboard" / "index.html").write_text("<html></html>")
    page = _index_html(tmp_path, manifest)
    assert '<a href="dashboard/index.html">داشبورد مدیریتی</a>' in page


def test_a_build_clears_what_a_killed_build_left_behind(built):
    reports = built.root / "reports"
    leftovers = [
        reports / str(YEAR) / "fa" / ".services.html.k3j2h1.tmp",
        reports / str(YEAR) / "notebooks" / ".department_report.services.fa.x8d7.tmp.ipynb",
    ]
    for path in leftovers:
        path.write_text("half")
    _build(built.root, built.plan, built.notebooks, formats=["html", "pdf"])
    assert not any(path.exists() for path in leftovers)
