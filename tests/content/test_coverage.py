"""Coverage rules in the reports (issue 9 item 3): the provisional banner, changes of a
provisional year not stated as gains or losses, the departments that did not report named up
front, ranks only for departments that reported, and the "report not received" page.

The tiny fixture plan (tests/data/tiny): its 1398 is provisional — coverage 77.8 % of the plan
weight (district_2 reported D2_01 but not D2_02: plan weight of D2_02 = G1_1's 2/3 share × 1/3
of its three indicators' weight = 2/9 = 22.2 %; 100 − 22.2 = 77.8), below the default 80 %.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from planmon.content import report
from planmon.content.not_received import not_received_report


def _ctx(plan: Path, year: int, lang: str = "en", notebook: str = "plan_overview", dept=""):
    return report.open_report(notebook, str(plan), year, dept, lang, "")


@pytest.fixture
def without_services(tiny_copy) -> Path:
    """The tiny plan with the services department's 1398 report removed."""
    (tiny_copy / "reports" / "1398" / "services.csv").unlink()
    return tiny_copy


def test_the_provisional_year_has_a_banner_with_coverage_and_departments(tiny_path):
    en = report.overview_title(_ctx(tiny_path, 1398)).to_html()
    assert "planmon-provisional" in en and "provisional" in en
    assert "77.8%" in en  # coverage of the plan weight, see the module docstring
    assert "3 of 3 units reported" in en
    fa = report.overview_title(_ctx(tiny_path, 1398, "fa")).to_html()
    assert "موقت" in fa and "۷۷٫۸٪" in fa


def test_a_complete_year_has_no_provisional_banner(tiny_path):
    en = report.overview_title(_ctx(tiny_path, 1397)).to_html()
    assert "planmon-provisional" not in en and "provisional" not in en
    assert "100%" in en  # 1397: every indicator reported


def test_a_provisional_year_states_no_gain_or_loss(tiny_path):
    ctx = _ctx(tiny_path, 1398)
    row = ctx.plan_rollup.set_index("year").loc[1398]
    assert bool(row["provisional"]) and not bool(row["change_comparable"])
    text = report.plan_headline(ctx).to_html()
    # Rule: a change involving a provisional year is no gain or loss (change_comparable False)
    assert "higher than" not in text and "lower than" not in text
    assert "about the same" not in text and "▲" not in text and "▼" not in text
    assert "not counted as a gain or a loss" in text
    assert "not comparable with 1397" in text  # the key figures' change lines
    assert "no earlier" not in text
    fa = report.plan_headline(_ctx(tiny_path, 1398, "fa")).to_html()
    assert "موقت" in fa and "بیشتر از سال" not in fa and "کمتر از سال" not in fa


def test_the_change_table_says_the_year_is_provisional(tiny_path):
    text = report.change_table(_ctx(tiny_path, 1398)).to_html()
    assert "are provisional" in text
    # district_2 (50 % of its weight reported in 1398) is provisional: no arrow in its row;
    # district_1 and services are complete, so their own changes stand.
    district_2 = text.split("District 2")[1].split("</tr>")[0]
    assert "▲" not in district_2 and "▼" not in district_2 and "—" in district_2


def test_departments_that_did_not_report_are_named_and_not_ranked(without_services):
    ctx = _ctx(without_services, 1398)
    assert ctx.not_reported == ["services"]
    title = report.overview_title(ctx).to_html()
    assert "Deputy for Urban Services" in title and "was not received" in title
    rolled = ctx.department_rollup.set_index(["dept_id", "year"])
    assert not bool(rolled.loc[("services", 1398), "reported"])
    assert pd.isna(rolled.loc[("services", 1398), "rank"])  # measures give it no rank
    ranking = report.ranking_section(ctx).to_html()
    assert "Units whose 1398 report was not received have no rank (1;" in ranking
    changes = report.change_table(ctx).to_html()
    assert "report not received" in changes


def test_ranking_leaves_out_departments_that_did_not_report(without_services, monkeypatch):
    seen = {}

    def fake_chart(frame, **kwargs):
        seen["labels"] = list(frame["label"])
        import matplotlib.pyplot as plt

        return plt.figure()

    monkeypatch.setattr("planmon.content.overview.ranking_chart", fake_chart)
    report.ranking_section(_ctx(without_services, 1398))
    assert "Deputy for Urban Services" not in seen["labels"]
    assert seen["labels"]  # the districts that reported are ranked


def test_not_reported_follows_the_report_files(tiny_path, without_services):
    import planmon

    assert planmon.load(tiny_path).not_reported(1398) == []
    assert planmon.load(without_services).not_reported(1398) == ["services"]
    assert planmon.load(without_services).not_reported(1397) == []


def test_the_not_received_page_is_short_text_with_no_charts(without_services):
    import planmon

    plan = planmon.load(without_services)
    en = not_received_report(plan, 1398, "services", "en")
    assert all(part[0] == "html" for part in en.parts)  # no chart at all
    text = en.to_html()
    assert "Report not received" in text and "was not received" in text
    assert "no rank" in text
    assert "for 1397" in text  # the last report received
    for name in ("Share of recycled waste", "Complaint response time"):
        assert name in text  # the indicators it owes
    assert "11.5 (1397)" in text  # SRV01's last value, tests/data/tiny/reports/1397/services.csv
    fa = not_received_report(plan, 1398, "services", "fa").to_html()
    assert "گزارش دریافت نشده" in fa and "دریافت نشد" in fa and "۱۳۹۷" in fa
    assert 'dir="rtl"' in fa


def test_the_not_received_page_escapes_plan_text(without_services):
    import planmon

    path = without_services / "plan" / "departments.csv"
    text = path.read_text(encoding="utf-8").replace(
        "Deputy for Urban Services", "<script>x</script>"
    )
    path.write_text(text, encoding="utf-8")
    page = not_received_report(planmon.load(without_services), 1398, "services", "en").to_html()
    assert "<script>" not in page and "&lt;script&gt;" in page
