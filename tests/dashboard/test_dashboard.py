"""Tests of planmon.dashboard.page: the payload's figures, the HTML it is embedded in, and the writer.

Expected figures are hand calculations on the tiny fixture plan (tests/data/tiny), shown beside
each value. The browser side (app.js) is tested in test_dashboard_browser.py.
"""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planmon
from planmon.core.exceptions import PlanmonError
from planmon.dashboard.page import (
    DASHBOARD_GENERATOR,
    REPORT_LINK_PATTERN,
    _round_sig,
    build_payload,
    macro_goals,
    render_index,
    score_status,
    write_dashboard,
)
from planmon.measures.rollup import STATUSES

NAN = float("nan")


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


@pytest.fixture(scope="module")
def payload(tiny) -> dict:
    return build_payload(tiny)


def field(block: dict, name: str) -> int:
    return block["fields"].index(name)


def dept_row(payload: dict, dept_id: str, year: int) -> dict:
    ids = [r[0] for r in payload["depts"]["rows"]]
    row = payload["dept_years"]["rows"][str(year)][ids.index(dept_id)]
    return dict(zip(payload["dept_years"]["fields"], row, strict=True))


def extract_data(page: str) -> dict:
    """The JSON in <script id="data">, cut where an HTML parser would end the element."""
    start = page.index('<script type="application/json" id="data">')
    start = page.index(">", start) + 1
    end = page.lower().index("</script", start)
    return json.loads(page[start:end])


# --------------------------------------------------------------------------------------------
# score_status
# --------------------------------------------------------------------------------------------


def test_score_status_bands_match_the_indicator_cut_offs():
    # planmon.measures.progress (sdg-build): score = 50/7·R − 30/7 for R ≥ 0.6 and 25/6·R − 2.5 below,
    # so R = 0.95 → 2.5, R = 0.6 → 0, R = 0 → −2.5: the band edges are 2.5, 0 and −2.5.
    assert 50 / 7 * 0.95 - 30 / 7 == pytest.approx(2.5)
    assert 25 / 6 * 0.6 - 2.5 == pytest.approx(0.0)
    got = score_status([5.0, 2.5, 2.4999, 0.0, -0.0001, -2.5, -2.5001, -5.0, NAN])
    assert got.tolist() == [
        "substantial_progress",  # a mean of 5 is not "all achieved" on its own
        "substantial_progress",
        "moderate_progress",
        "moderate_progress",
        "limited_progress",
        "limited_progress",
        "deterioration",
        "deterioration",
        "not_available",
    ]


def test_score_status_target_achieved_needs_every_rated_indicator():
    got = score_status([5.0, 5.0, 4.0, NAN], [3, 2, 0, 0], [3, 3, 0, 0])
    # 3 of 3 rated achieved → achieved; 2 of 3 → by score; nothing rated → by score / NaN.
    assert got.tolist() == [
        "target_achieved",
        "substantial_progress",
        "substantial_progress",
        "not_available",
    ]


def test_score_status_agrees_with_indicator_statuses(tiny):
    # For one indicator the unit rule must give back the indicator's own status (apart from
    # target_achieved, which the unit rule reads from counts, and missing data).
    s = tiny.scores()
    rated = s[~s["status"].isin(["target_achieved", "not_available"])]
    assert len(rated) == 9
    assert score_status(rated["score"]).tolist() == rated["status"].tolist()


# --------------------------------------------------------------------------------------------
# small helpers
# --------------------------------------------------------------------------------------------


def test_macro_goals_walks_to_the_root(tiny):
    # tests/data/tiny/plan/goals.csv: G1_1 and G1_2 are children of G1.
    assert macro_goals(tiny.goals) == {"G1": "G1", "G1_1": "G1", "G1_2": "G1"}
    deep = pd.DataFrame({"goal_id": ["A", "B", "C"], "parent_id": [None, "A", "B"]})
    assert macro_goals(deep) == {"A": "A", "B": "A", "C": "A"}


def test_macro_goals_refuses_cycles_and_unknown_parents():
    cycle = pd.DataFrame({"goal_id": ["A", "B"], "parent_id": ["B", "A"]})
    with pytest.raises(PlanmonError, match="cycle"):
        macro_goals(cycle)
    orphan = pd.DataFrame({"goal_id": ["A"], "parent_id": ["Z"]})
    with pytest.raises(PlanmonError, match="not a goal"):
        macro_goals(orphan)


def test_round_sig():
    values = [12.3456, 0.000123456, 123456.0, -2.71828, 12.0, 99.996, 0.0, NAN, np.inf]
    # rounded by hand to four significant digits; whole numbers as ints, NaN/inf as None
    expected = [12.35, 0.0001235, 123500, -2.718, 12, 100, 0, None, None]
    got = _round_sig(values, 4)
    assert got == expected
    assert [type(v) for v in got[:3]] == [float, float, int]
    # json prints the short decimal, not a binary neighbour such as 12.350000000000001
    assert json.dumps(got[:2]) == "[12.35, 0.0001235]"


# --------------------------------------------------------------------------------------------
# the payload
# --------------------------------------------------------------------------------------------


def test_payload_shape(payload):
    assert payload["schema"] == 1
    assert payload["year"] == 1398 and payload["years"] == [1397, 1398]
    assert payload["target_years"] == [1397, 1398, 1399, 1400, 1401]
    assert [r[0] for r in payload["depts"]["rows"]] == ["services", "district_1", "district_2"]
    assert payload["kinds"] == ["deputy", "district"]
    assert [s["id"] for s in payload["statuses"]] == list(STATUSES)
    assert payload["goals"]["rows"] == [["G1", "شهر سبز و پاکیزه", "A green and clean city"]]
    assert payload["links"] == {"prefix": "..", "pattern": REPORT_LINK_PATTERN}
    # JSON-clean: no NaN anywhere (allow_nan=False would raise)
    json.dumps(payload, allow_nan=False)


def test_payload_department_figures_are_hand_checked(payload):
    services = dept_row(payload, "services", 1398)
    # SRV01 (weight 2): 13 / 14 = 92.857 %; SRV02 (decrease, weight 1): 10 / 10.5 = 95.238 %;
    # (2 · 92.857 + 95.238) / 3 = 93.651 %, four significant digits 93.65.
    assert services["conformity_pct"] == 93.65
    # scores 2.447791 (SRV01) and 0.228624 (SRV02): (2 · 2.447791 + 0.228624) / 3 = 1.70807
    assert services["progress_score"] == 1.708
    assert STATUSES[services["status"]] == "moderate_progress"
    # 1397 score (2 · 2.919726 + 1.539025) / 3 = 2.459492; change 1.708069 − 2.459492
    assert services["score_change"] == -0.7514
    assert services["status_counts"] == [0, 0, 2, 0, 0, 0]
    assert services["reported"] == 1

    district_2 = dept_row(payload, "district_2", 1398)
    # D2_01 only (D2_02 has no targets): 5.9 / 7 = 84.29 %
    assert district_2["conformity_pct"] == 84.29
    assert district_2["n_indicators"] == 2 and district_2["n_with_value"] == 1
    assert STATUSES[district_2["status"]] == "deterioration"  # score −2.983 < −2.5

    first = dept_row(payload, "services", 1397)
    assert first["score_change"] is None  # no earlier year


def test_payload_plan_and_heat_map(payload):
    plan = dict(
        zip(payload["plan_years"]["fields"], payload["plan_years"]["rows"]["1398"], strict=True)
    )
    # G1_1 (weight 2) = mean(4.964259, −2.983310) = 0.990474 (D2_02 has no score);
    # G1_2 (weight 1) = 1.708069; G1 = (2 · 0.990474 + 1.708069) / 3 = 1.229672; plan = G1.
    assert plan["progress_score"] == 1.23
    assert plan["n_reports"] == 3
    assert plan["status_counts"] == [0, 1, 2, 0, 1, 1]  # counted from the scores frame above

    cells = payload["heat"]["rows"]["1398"]
    f = {name: k for k, name in enumerate(payload["heat"]["fields"])}
    services_g1 = next(c for c in cells if c[f["dept"]] == 0 and c[f["goal"]] == 0)
    # every tiny indicator is under macro goal G1, so the cell is the department's figure
    assert services_g1[f["progress_score"]] == 1.708
    assert services_g1[f["n_indicators"]] == 2
    assert len(cells) == 3


def test_payload_indicator_series(payload):
    rows = payload["indicators"]["rows"]
    fields = payload["indicators"]["fields"]
    srv01 = dict(zip(fields, next(r for r in rows if r[0] == "SRV01"), strict=True))
    assert srv01["dept"] == 0 and srv01["goal"] == 0
    assert srv01["baseline_value"] == 10 and srv01["horizon_year"] == 1401
    assert srv01["targets"] == [12, 14, 16, 18, 20]  # tests/data/tiny/plan/targets.csv
    assert srv01["actuals"] == [11.5, 13]  # reports/1397 and 1398/services.csv
    d2_02 = dict(zip(fields, next(r for r in rows if r[0] == "D2_02"), strict=True))
    assert d2_02["actuals"] == [620, None]  # blank in 1398 ("داده در دسترس نیست")

    k = [r[0] for r in rows].index("SRV02")
    m = dict(
        zip(payload["ind_years"]["fields"], payload["ind_years"]["rows"]["1398"][k], strict=True)
    )
    # 1398 target 10, value 10.5, decrease: 10 / 10.5 = 95.24 %
    assert m["achievement_pct"] == 95.24
    assert STATUSES[m["status"]] == "moderate_progress"
    # OLS through (1396, 12), (1397, 11), (1398, 10.5): slope −0.75, at 1401 8.1667
    assert m["trend_slope"] == -0.75
    assert m["trend_horizon_value"] == 8.167


def test_payload_for_an_earlier_year_leaves_later_years_out(tiny):
    early = build_payload(tiny, year=1397)
    assert early["year"] == 1397 and early["years"] == [1397]
    assert set(early["dept_years"]["rows"]) == {"1397"}
    srv01 = next(r for r in early["indicators"]["rows"] if r[0] == "SRV01")
    assert srv01[early["indicators"]["fields"].index("actuals")] == [11.5]


def test_payload_refuses_a_year_without_reports(tiny):
    with pytest.raises(PlanmonError, match="report years: 1397, 1398"):
        build_payload(tiny, year=1399)


def test_payload_marks_a_missing_report(tiny_copy):
    (tiny_copy / "reports" / "1398" / "district_2.csv").unlink()
    plan = planmon.load(tiny_copy, cache=False)
    payload = build_payload(plan)
    assert dept_row(payload, "district_2", 1398)["reported"] == 0
    assert dept_row(payload, "district_2", 1397)["reported"] == 1
    assert payload["plan_years"]["rows"]["1398"][-1] == 2  # two of three departments reported


# --------------------------------------------------------------------------------------------
# HTML
# --------------------------------------------------------------------------------------------

HOSTILE = "</script><script>alert(1)</script><!--"


def test_a_name_cannot_break_out_of_the_data_script(tiny):
    departments = tiny.departments.copy()
    departments.loc[departments["dept_id"] == "district_1", ["name_fa", "name_en"]] = HOSTILE
    plan = dataclasses.replace(
        tiny, departments=departments, meta={**tiny.meta, "name_en": HOSTILE}
    )
    page = render_index(build_payload(plan), lang="en")
    assert "alert(1)" in page  # the text is there…
    assert "<script>alert" not in page  # …but never as markup
    assert page.count("<script") == 2  # the data block and app.js, nothing injected
    assert "<!--" not in page
    data = extract_data(page)
    assert [HOSTILE, HOSTILE] == data["depts"]["rows"][1][2:4]
    assert "<title>&lt;/script&gt;" in page  # the title is escaped HTML, not raw


def test_index_page_language_and_markers(payload):
    fa = render_index(payload)
    assert '<html lang="fa" dir="rtl">' in fa
    assert f'<meta name="generator" content="{DASHBOARD_GENERATOR} ' in fa
    assert "<title>برنامه آزمایشی کوچک</title>" in fa
    assert '<script src="assets/app.js"></script>' in fa
    assert "http://" not in fa and "https://" not in fa  # nothing fetched from elsewhere
    en = render_index(payload, lang="en")
    assert '<html lang="en" dir="ltr">' in en and "<title>Tiny test plan</title>" in en
    with pytest.raises(PlanmonError):
        render_index(payload, lang="de")


def test_app_js_never_writes_markup():
    app = resources.files("planmon.dashboard").joinpath("assets", "app.js").read_text("utf-8")
    app = re.sub(r"/\*.*?\*/", "", app, flags=re.DOTALL)  # the comments may name them
    app = re.sub(r"^\s*//.*$", "", app, flags=re.MULTILINE)
    for unsafe in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert unsafe not in app, unsafe
    assert "performance.mark('rendered')" in app
    # no fetch and no absolute URL: the page must open from file:// without a network
    assert not re.search(r"https?://", app)
    assert "fetch(" not in app


# --------------------------------------------------------------------------------------------
# write_dashboard
# --------------------------------------------------------------------------------------------


def test_write_dashboard_files_and_links(tiny, tmp_path):
    index = write_dashboard(tiny, tmp_path / "reports" / "dashboard")
    assert index == tmp_path / "reports" / "dashboard" / "index.html"
    assets = index.parent / "assets"
    assert sorted(p.name for p in assets.iterdir()) == ["app.js", "plotly.min.js", "style.css"]
    assert (assets / "plotly.min.js").stat().st_size > 1_000_000  # the bundle, not a stub
    data = extract_data(index.read_text("utf-8"))
    assert data["links"]["prefix"] == ".."  # reports/dashboard → reports/

    other = write_dashboard(tiny, tmp_path / "site" / "dash", reports_root=tmp_path / "reports")
    assert extract_data(other.read_text("utf-8"))["links"]["prefix"] == "../../reports"


def test_write_dashboard_is_deterministic(tiny, tmp_path):
    a = write_dashboard(tiny, tmp_path / "a" / "dashboard").parent
    b = write_dashboard(tiny, tmp_path / "b" / "dashboard").parent
    for path in sorted(p for p in a.rglob("*") if p.is_file()):
        assert path.read_bytes() == (b / path.relative_to(a)).read_bytes(), path


def test_write_dashboard_replaces_an_old_dashboard_only(tiny, tmp_path):
    out = tmp_path / "dashboard"
    write_dashboard(tiny, out, year=1397)
    write_dashboard(tiny, out)  # an earlier dashboard is replaced
    assert extract_data((out / "index.html").read_text("utf-8"))["year"] == 1398
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dashboard"]  # no temp folders left

    precious = tmp_path / "notes"
    precious.mkdir()
    (precious / "keep.txt").write_text("mine")
    with pytest.raises(PlanmonError, match="not a planmon dashboard"):
        write_dashboard(tiny, precious)
    assert (precious / "keep.txt").read_text() == "mine"


def test_write_dashboard_failure_leaves_the_old_dashboard(tiny, tmp_path, monkeypatch):
    out = tmp_path / "dashboard"
    write_dashboard(tiny, out, year=1397)
    before = (out / "index.html").read_bytes()

    def broken_copy(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("planmon.dashboard.page.shutil.copyfile", broken_copy)
    with pytest.raises(OSError, match="disk full"):
        write_dashboard(tiny, out)
    assert (out / "index.html").read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dashboard"]


def test_package_ships_the_assets():
    folder = resources.files("planmon.dashboard").joinpath("assets")
    names = {p.name for p in folder.iterdir()}
    assert {"index.html", "app.js", "style.css"} <= names


def test_payload_numbers_are_compact(tiny):
    text = json.dumps(build_payload(tiny), ensure_ascii=False)
    # measures keep 4 significant digits and data 6, so no decimal number is longer than 6
    numbers = re.findall(r"-?\d+\.\d+", text)
    digits = [len(n.replace("-", "").replace(".", "").lstrip("0")) for n in numbers]
    assert numbers and max(digits) <= 6


def test_units_are_shown_in_the_readers_language(payload):
    # the tiny plan writes units in English ("days", "count"); a Persian reader sees Persian
    fields = payload["indicators"]["fields"]
    rows = {r[fields.index("id")]: r for r in payload["indicators"]["rows"]}
    srv02 = rows["SRV02"]
    assert srv02[fields.index("unit_fa")] == "روز"
    assert srv02[fields.index("unit_en")] == "days"
