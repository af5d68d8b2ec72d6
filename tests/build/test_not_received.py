"""A department with no report for the year (issue 9 item 3, issue 13 item 3): its short
"report not received" page is written without a notebook run, and the build says per year how
complete the reports are, warning before a provisional publication.

Fixture: the tiny plan with services' 1398 report removed (services then owes SRV01 and SRV02;
coverage 1398 = 1 − (services' plan weight 1/3 + D2_02's 2/9) = 4/9 = 44.4 %).
"""

from __future__ import annotations

from pathlib import Path

import pytest

import planmon
from planmon.build.jobs import NullProgress
from planmon.build.manifest import Manifest
from planmon.build.options import BuildOptions
from planmon.build.planner import plan_jobs, select, with_stages
from planmon.build.steps import completeness, report_completeness
from planmon.publish.layout import OutputLayout
from tests.build.helpers import YEAR, build_tiny, notebooks_folder, statuses


@pytest.fixture
def without_services(tiny_copy) -> Path:
    (tiny_copy / "reports" / "1398" / "services.csv").unlink()
    return tiny_copy


class Notes(NullProgress):
    def __init__(self):
        self.notes: list[tuple[str, bool]] = []

    def note(self, text: str, *, warning: bool = False) -> None:
        self.notes.append((text, warning))


def _jobs(plan_folder: Path, root: Path, **options):
    plan = planmon.load(plan_folder, cache=False)
    checked = BuildOptions(
        years=[YEAR], notebooks_dir=notebooks_folder(root / "nb"), **options
    ).checked()
    jobs = plan_jobs(plan, select(plan, checked), checked, OutputLayout(root / "reports"))
    return plan, {job.key: job for job in jobs}


def test_the_missing_department_gets_a_job_without_notebook(without_services, tmp_path):
    _, jobs = _jobs(without_services, tmp_path, formats=["html", "pdf"], langs=["en"])
    job = jobs["1398/en/department/services"]
    assert job.notebook is None and job.executed is None and not job.parameters
    assert "was not received" in job.body_html
    staged = with_stages(job, Manifest(OutputLayout(tmp_path / "reports"), {}), force=False)
    assert staged.stages == ("html", "pdf")  # no "execute": no kernel
    # the departments that reported still run their notebook
    assert jobs["1398/en/department/district_1"].notebook is not None
    # and the not-received page is a chapter of the publication
    chapters = [path for _, path in jobs["1398/en/publication"].sections]
    assert job.html in chapters


def test_a_complete_plan_has_no_not_received_job(tiny_path, tmp_path):
    _, jobs = _jobs(tiny_path, tmp_path, langs=["en"])
    assert all(j.notebook is not None for j in jobs.values() if j.kind == "department")


def test_the_build_writes_the_page_and_starts_no_kernel_for_it(without_services, tmp_path, home):
    result = build_tiny(tmp_path, without_services, notebooks_folder(tmp_path / "nb"))
    assert set(statuses(result).values()) == {"built"}
    services = next(j for j in result.jobs if j.key == f"{YEAR}/fa/department/services")
    assert services.executed is None and services.execute_s == 0.0
    page = (tmp_path / "reports" / str(YEAR) / "fa" / "services.html").read_text("utf-8")
    assert "گزارش دریافت نشده" in page and "<img" not in page
    assert 'dir="rtl"' in page and "planmon:body:start" in page  # the reports' template
    assert not list((tmp_path / "reports").rglob("department_report.services*.ipynb"))
    again = build_tiny(tmp_path, without_services, notebooks_folder(tmp_path / "nb"))
    assert set(statuses(again).values()) == {"skipped"}


def test_completeness_lines(tiny_path, without_services):
    lines = completeness(planmon.load(tiny_path), (1397, 1398))
    assert lines == [
        (1397, "1397: 3 of 3 departments reported, 100% of the plan weight", False),
        # 77.8 %: see tests/content/test_coverage.py's docstring
        (1398, "1398: 3 of 3 departments reported, 77.8% of the plan weight — provisional", True),
    ]
    (line,) = completeness(planmon.load(without_services), (1398,))
    assert line[1] == "1398: 2 of 3 departments reported, 44.4% of the plan weight — provisional"


def test_the_build_warns_before_a_provisional_publication(tiny_path):
    plan = planmon.load(tiny_path)
    for formats, warned in ((["html", "pdf"], True), (["html"], False)):
        checked = BuildOptions(years=[1398], formats=formats).checked()
        notes = Notes()
        report_completeness(plan, select(plan, checked), checked, notes)
        assert notes.notes[0] == (
            "1398: 3 of 3 departments reported, 77.8% of the plan weight — provisional",
            False,
        )
        assert any(w and "provisional publication for 1398" in t for t, w in notes.notes) is warned
