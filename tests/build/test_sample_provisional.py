"""The bundled sample with one department's 1400 report added (issue 9's hidden check): the
year's coverage and ``provisional``, the departments that did not report named and not
ranked, their "report not received" pages built with no kernel, and TRF01's caveat.

parks' 1400 report is its 1399 workbook written again with openpyxl under reports/1400/.
parks owns 6 of the sample's 88 indicators; the other 13 departments sent nothing for 1400.
"""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pikepdf
import pytest

import planmon
from planmon.build.options import BuildOptions
from planmon.build.planner import plan_jobs, select
from planmon.build.worker import run_job
from planmon.content import report
from planmon.publish.layout import OutputLayout

SAMPLE = Path(__file__).parents[2] / "data" / "raw" / "qazvin"


@pytest.fixture(scope="module")
def sample_1400(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("sample") / "qazvin"
    shutil.copytree(SAMPLE, folder)
    book = openpyxl.load_workbook(folder / "reports" / "1399" / "parks.xlsx")
    (folder / "reports" / "1400").mkdir()
    book.save(folder / "reports" / "1400" / "parks.xlsx")
    return folder


@pytest.fixture(scope="module")
def plan(sample_1400):
    return planmon.load(sample_1400, cache=False)


def test_1400_is_provisional_with_one_department(plan):
    row = plan.rollup("plan", 1400).iloc[0]
    assert bool(row["provisional"])
    assert int(row["n_departments_reported"]) == 1 and int(row["n_departments"]) == 14
    assert row["coverage_pct"] < 10  # parks' 6 indicators: a few % of the plan weight
    assert not bool(plan.rollup("plan", 1399).iloc[0]["provisional"])  # 93.5 %


def test_departments_without_a_1400_report_have_no_rank(plan):
    missing = plan.not_reported(1400)
    assert len(missing) == 13 and "parks" not in missing and "transport" in missing
    rows = plan.rollup("department", 1400).set_index("dept_id")
    assert rows.loc[missing, "rank"].isna().all()
    assert not rows.loc[missing, "reported"].any()
    assert rows.loc["parks", "rank"] == 1


def test_the_overview_of_1400_is_provisional_and_names_the_missing(sample_1400):
    ctx = report.open_report("plan_overview", str(sample_1400), 1400, "", "fa", "")
    title = report.overview_title(ctx).to_html()
    assert "موقت" in title and "planmon-provisional" in title
    assert "۱ از ۱۴ واحد" in title
    assert "معاونت حمل‌ونقل و ترافیک" in title or "حمل" in title  # transport named
    headline = report.plan_headline(ctx).to_html()
    assert "بیشتر از سال" not in headline and "کمتر از سال" not in headline


def test_the_not_received_pages_need_no_kernel(plan, tmp_path):
    checked = BuildOptions(years=[1400], langs=["en"], formats=["html", "pdf"]).checked()
    jobs = plan_jobs(plan, select(plan, checked), checked, OutputLayout(tmp_path / "out"))
    departments = [j for j in jobs if j.kind == "department"]
    absent = [j for j in departments if j.notebook is None]
    assert len(absent) == 13 and {j.dept_id for j in departments if j.notebook} == {"parks"}
    transport = next(j for j in absent if j.dept_id == "transport")
    result = run_job(dataclasses.replace(transport, stages=("html", "pdf")))
    assert result.status == "built", result.error
    html = transport.html.read_text("utf-8")
    assert "was not received" in html and "Urban traffic accidents" in html
    with pikepdf.open(transport.pdf) as pdf:
        assert 1 <= len(pdf.pages) <= 2


def test_trf01s_caveat_is_in_the_transport_report(sample_1400):
    ctx = report.open_report("department_report", str(sample_1400), 1399, "transport", "fa", "")
    section = report.data_caveats_section(ctx).to_html()
    assert "ملاحظات داده‌ها" in section and "هدف‌ها خلاف جهت مطلوب شاخص" in section
    scores = ctx.year_scores.set_index("indicator_id")
    assert "targets_against_direction" in scores.loc["TRF01", "caveats"]
    assert not math.isnan(float(pd.to_numeric(scores.loc["TRF01", "value"])))
