"""The "Data caveats" section and the caveat beside an indicator (issue 9 item 4), and the
rules of the projection sentences (issue 9 item 5).

Fixtures: the tiny plan (D2_02 has no targets: one ``no_targets`` finding, every year) and,
for TRF01 (accidents, direction decrease, targets rising 96 → 97 → … → 100: four
``targets_against_direction`` findings), the bundled sample.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from planmon.content import report
from planmon.content.data_caveats import caveat_codes, department_caveats
from planmon.content.interpret import interpret_indicator

NOTEBOOKS = Path(__file__).parents[2] / "notebooks"
EN = dict(lang="en", name="Urban green space per capita", unit="m² per capita")
FA = dict(lang="fa", name="سرانه فضای سبز شهری", unit="مترمربع")
# PRK01's running example (tests/content/test_interpret.py): baseline 12.4 (1396), 1401 target 14.5
ROW = dict(
    year=1398,
    direction="increase",
    value=13.1,
    target=13.5,
    baseline_year=1396,
    baseline_value=12.4,
    horizon_year=1401,
    horizon_target=14.5,
    trend_slope=0.35,
    trend_reach_year=1402.3,
    trend_horizon_value=14.15,
    trend_low=13.8,
    trend_high=14.4,
    p_reach_target=0.03,
    n_points=3,
)


def _dept(plan, year, dept, lang="en"):
    return report.open_report("department_report", str(plan), year, dept, lang, "")


def test_tiny_district_2_lists_its_no_targets_finding(tiny_path):
    ctx = _dept(tiny_path, 1398, "district_2")
    frame = department_caveats(ctx)
    assert list(zip(frame["indicator_id"], frame["code"], strict=True)) == [("D2_02", "no_targets")]
    html = report.data_caveats_section(ctx).to_html()
    assert "<h2>Data caveats</h2>" in html and "No targets" in html and "every year" in html
    assert "Trees planted" in html
    assert "⚠" in report.indicator_table(ctx).to_html()  # beside D2_02's row


def test_a_department_without_findings_says_so(tiny_path):
    html = report.data_caveats_section(_dept(tiny_path, 1398, "services")).to_html()
    assert "Data caveats" in html and "raised no caveats" in html
    fa = report.data_caveats_section(_dept(tiny_path, 1398, "services", "fa")).to_html()
    assert "ملاحظات داده‌ها" in fa


@pytest.fixture(scope="module")
def transport():
    sample = Path(__file__).parents[2] / "data" / "raw" / "qazvin"
    return report.open_report("department_report", str(sample), 1399, "transport", "en", "")


def test_trf01_carries_its_caveat_in_the_transport_report(transport):
    assert "targets_against_direction" in caveat_codes(transport, "TRF01")
    section = report.data_caveats_section(transport).to_html()
    assert "Targets move against the indicator&#x27;s direction" in section
    assert "1397, 1398, 1399, 1400" in section  # one finding per rising target (plan.xlsx)
    table = report.indicator_table(transport).to_html()
    row = table.split("accidents")[1].split("</tr>")[0]
    assert "⚠" in row and "against the indicator" in row  # not a silent success


def test_the_caveats_cell_is_in_the_department_notebook():
    text = (NOTEBOOKS / "department_report.py").read_text("utf-8")
    assert "report.data_caveats_section(ctx)" in text
    ipynb = (NOTEBOOKS / "department_report.ipynb").read_text("utf-8")
    assert "report.data_caveats_section(ctx)" in ipynb


def test_the_band_is_a_95_percent_prediction_interval():
    text = interpret_indicator({**ROW, "p_reach_target": 0.9}, **EN)
    assert "95% prediction interval for 1401 runs from 13.8 to 14.4" in text
    assert "confidence" not in text
    fa = interpret_indicator({**ROW, "p_reach_target": 0.9}, **FA)
    assert "بازه پیش‌بینی ۹۵٪" in fa and "اطمینان" not in fa


def test_a_truncated_interval_says_so():
    text = interpret_indicator({**ROW, "trend_low": 0.0, "trend_truncated": True}, **EN)
    assert "from 0 to" in text and "cut at the indicator's natural bound" in text
    assert "natural bound" not in interpret_indicator(ROW, **EN)


def test_a_low_chance_beside_progress_says_why():
    # Rule (issue 9 item 5): no "moderate progress" beside p = 3 % without saying why.
    text = interpret_indicator({**ROW, "status": "moderate_progress"}, **EN)
    assert "Progress so far is rated “moderate progress”, but at the current pace" in text
    assert "unlikely by 1401 (about 3%)" in text
    fa = interpret_indicator({**ROW, "status": "moderate_progress"}, **FA)
    assert (
        "وضعیت این شاخص تاکنون «پیشرفت متوسط» است" in fa
        and "بعید است" in fa
        and "حدود ۳ درصد" in fa
    )
    # without a progress status the plain low-chance sentence stays
    plain = interpret_indicator({**ROW, "status": "deterioration"}, **EN)
    assert "Progress so far" not in plain and "is low (about 3%)" in plain


def test_no_reach_year_is_stated_when_the_measures_give_none():
    text = interpret_indicator({**ROW, "trend_reach_year": math.nan}, **EN)
    assert "around" not in text and "no year of reaching" in text
    fa = interpret_indicator({**ROW, "trend_reach_year": math.nan}, **FA)
    assert "قابل برآورد نیست" in fa


def test_targets_against_direction_are_not_read_as_met():
    # TRF01 of the sample in 1399: decrease, value 91, targets rising to 100 (plan.xlsx)
    trf01 = dict(
        year=1399,
        direction="decrease",
        value=91.0,
        target=99.0,
        baseline_year=1396,
        baseline_value=96.0,
        horizon_year=1401,
        horizon_target=100.0,
        trend_slope=-1.7,
        n_points=4,
        caveats="targets_against_direction",
    )
    name = dict(lang="en", name="Urban traffic accidents", unit="accidents")
    text = interpret_indicator(trf01, **name)
    assert "year's target" not in text and "horizon target" not in text
    assert "not judged against them" in text and "already reached" not in text
    fa = interpret_indicator(trf01, lang="fa", name="تصادفات", unit="مورد")
    assert "خلاف جهت مطلوب" in fa and "رسیده است" not in fa
