"""Tests of planmon.dashboard.payload: the figures of every block of the embedded JSON.

Expected figures are hand calculations on the tiny fixture plan (tests/data/tiny), shown beside
each value. The page and its writer are tested in test_page.py, the downloads in
test_downloads.py, the browser side (app.js) in test_dashboard_browser.py.
"""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import planmon
from planmon.core.exceptions import PlanmonError
from planmon.dashboard.frames import DashboardFrames, frames_for
from planmon.dashboard.payload import (
    DOWNLOAD_FIELDS,
    PAYLOAD_SCHEMA,
    _round_sig,
    build_payload,
    payload_for,
    score_status,
)
from planmon.measures.progress import STATUSES
from tests.dashboard.conftest import as_if_complete

NAN = float("nan")


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


@pytest.fixture(scope="module")
def frames(tiny) -> DashboardFrames:
    return as_if_complete(tiny)


@pytest.fixture(scope="module")
def payload(tiny, frames) -> dict:
    return build_payload(tiny, frames.scores, frames.rollups, districts=frames.districts)


def field(block: dict, name: str) -> int:
    return block["fields"].index(name)


def row_of(block: dict, row: list) -> dict:
    return dict(zip(block["fields"], row, strict=True))


def dept_row(payload: dict, dept_id: str, year: int) -> dict:
    ids = [r[0] for r in payload["depts"]["rows"]]
    return row_of(
        payload["dept_years"], payload["dept_years"]["rows"][str(year)][ids.index(dept_id)]
    )


def ind_year(payload: dict, indicator_id: str, year: int) -> dict:
    k = [r[0] for r in payload["indicators"]["rows"]].index(indicator_id)
    return row_of(payload["ind_years"], payload["ind_years"]["rows"][str(year)][k])


def plan_row(payload: dict, year: int) -> dict:
    return row_of(payload["plan_years"], payload["plan_years"]["rows"][str(year)])


# --------------------------------------------------------------------------------------------
# score_status
# --------------------------------------------------------------------------------------------


def test_score_status_bands_match_the_indicator_cut_offs():
    # planmon.measures.progress (sdg-build): score = 50/7·R − 30/7 for R ≥ 0.6 and 25/6·R − 2.5
    # below, so R = 0.95 → 2.5, R = 0.6 → 0, R = 0 → −2.5: the band edges are 2.5, 0 and −2.5.
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
    assert payload["schema"] == PAYLOAD_SCHEMA == 2
    assert payload["year"] == 1398 and payload["years"] == [1397, 1398]
    assert payload["provisional_years"] == []
    assert payload["target_years"] == [1397, 1398, 1399, 1400, 1401]
    assert [r[0] for r in payload["depts"]["rows"]] == ["services", "district_1", "district_2"]
    assert payload["kinds"] == ["deputy", "district"]
    assert [s["id"] for s in payload["statuses"]] == list(STATUSES)
    assert payload["goals"]["rows"] == [["G1", "شهر سبز و پاکیزه", "A green and clean city"]]
    assert payload["links"] == {"built": {}}  # no reports known: the page links to none
    assert payload["commentary"]["rows"] == [] and payload["actions"]["rows"] == []
    assert payload["download_fields"] == list(DOWNLOAD_FIELDS)
    json.dumps(payload, allow_nan=False)  # JSON-clean: no NaN anywhere


def test_payload_labels_come_from_the_vocabulary(payload):
    from planmon.core.vocabulary import CAVEATS

    labels = payload["labels"]
    assert labels["caveat"]["jump"] == {"fa": CAVEATS["jump"]["fa"], "en": CAVEATS["jump"]["en"]}
    assert labels["kind"]["district"]["fa"] == "منطقه"
    assert labels["direction"]["maintain"]["fa"] == "حفظ وضع موجود"  # issue 9: one word
    colours = {s["id"]: (s["colour"], s["text_colour"]) for s in payload["statuses"]}
    # WCAG luminance of #B8223A is 0.11 (white text), of #F3D550 0.67 (black text)
    assert colours["deterioration"] == ("#B8223A", "#ffffff")
    assert colours["moderate_progress"] == ("#F3D550", "#000000")


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
    # 1398 scores: district_1 4.964, services 1.708, district_2 −2.983 → ranks 2, 1, 3
    assert services["rank"] == 2
    assert dept_row(payload, "district_1", 1398)["rank"] == 1

    district_2 = dept_row(payload, "district_2", 1398)
    # D2_01 only (D2_02 has no targets): 5.9 / 7 = 84.29 %
    assert district_2["conformity_pct"] == 84.29
    assert district_2["n_indicators"] == 2 and district_2["n_with_value"] == 1
    assert district_2["coverage_pct"] == 50  # one of two indicators has a value
    assert STATUSES[district_2["status"]] == "deterioration"  # score −2.983 < −2.5

    first = dept_row(payload, "services", 1397)
    assert first["score_change"] is None  # no earlier year


def test_payload_plan_kinds_and_heat_map(payload):
    plan = plan_row(payload, 1398)
    # G1_1 (weight 2) = mean(4.964259, −2.983310) = 0.990474 (D2_02 has no score);
    # G1_2 (weight 1) = 1.708069; G1 = (2 · 0.990474 + 1.708069) / 3 = 1.229672; plan = G1.
    assert plan["progress_score"] == 1.23
    assert plan["n_reports"] == 3 and plan["provisional"] == 0
    assert plan["status_counts"] == [0, 1, 2, 0, 1, 1]  # counted from the scores frame above

    # the district kind: D1_01 4.964259 and D2_01 −2.983310, weight 1 each → 0.990474
    districts = row_of(payload["kind_years"], payload["kind_years"]["rows"]["1398"][1])
    assert districts["progress_score"] == 0.9905
    assert districts["n_indicators"] == 3 and districts["n_with_value"] == 2

    cells = payload["heat"]["rows"]["1398"]
    f = {name: k for k, name in enumerate(payload["heat"]["fields"])}
    services_g1 = next(c for c in cells if c[f["dept"]] == 0 and c[f["goal"]] == 0)
    # every tiny indicator is under macro goal G1, so the cell is the department's figure
    assert services_g1[f["progress_score"]] == 1.708
    assert services_g1[f["n_indicators"]] == 2
    assert len(cells) == 3


def test_payload_indicator_series_and_passport(payload):
    rows = payload["indicators"]["rows"]
    srv01 = row_of(payload["indicators"], next(r for r in rows if r[0] == "SRV01"))
    assert srv01["dept"] == 0 and srv01["goal"] == 0
    assert srv01["baseline_value"] == 10 and srv01["horizon_year"] == 1401
    assert srv01["targets"] == [12, 14, 16, 18, 20]  # tests/data/tiny/plan/targets.csv
    assert srv01["actuals"] == [11.5, 13]  # reports/1397 and 1398/services.csv
    # tests/data/tiny/plan/indicators.csv: the passport columns
    assert srv01["formula"] == "وزن بازیافتی ÷ وزن کل × 100"
    assert srv01["responsible"] == "اداره پسماند" and srv01["level"] == "outcome"
    assert srv01["source"] == ""  # no such column in the tiny plan
    d2_02 = row_of(payload["indicators"], next(r for r in rows if r[0] == "D2_02"))
    assert d2_02["actuals"] == [620, None]  # blank in 1398 ("داده در دسترس نیست")

    m = ind_year(payload, "SRV02", 1398)
    # 1398 target 10, value 10.5, decrease: 10 / 10.5 = 95.24 %
    assert m["achievement_pct"] == 95.24
    assert STATUSES[m["status"]] == "moderate_progress"
    # OLS through (1396, 12), (1397, 11), (1398, 10.5): slope −0.75, at 1401 8.1667
    assert m["trend_slope"] == -0.75
    assert m["trend_horizon_value"] == 8.167
    # the department's note travels with its indicator-year (reports/1398/services.csv)
    assert ind_year(payload, "SRV01", 1398)["note"] == "افزایش ظرفیت کارخانه کود آلی"
    assert ind_year(payload, "SRV01", 1397)["note"] == ""


def test_payload_districts_block(payload):
    block = payload["districts"]
    # district_1 and district_2 share "green space per capita" (D1_01, D2_01)
    assert block["districts"] == [1, 2]
    ids = [r[0] for r in payload["indicators"]["rows"]]
    assert block["rows"] == [
        ["سرانه فضای سبز", "Green space per capita", [ids.index("D1_01"), ids.index("D2_01")]]
    ]


def test_payload_for_an_earlier_year_leaves_later_years_out(tiny):
    early = payload_for(tiny, year=1397)
    assert early["year"] == 1397 and early["years"] == [1397]
    assert set(early["dept_years"]["rows"]) == {"1397"}
    srv01 = next(r for r in early["indicators"]["rows"] if r[0] == "SRV01")
    assert srv01[early["indicators"]["fields"].index("actuals")] == [11.5]


def test_payload_refuses_a_year_without_reports_or_a_missing_rollup(tiny, frames):
    with pytest.raises(PlanmonError, match="report years: 1397, 1398"):
        payload_for(tiny, year=1399)
    partial = {k: v for k, v in frames.rollups.items() if k != "kind"}
    with pytest.raises(PlanmonError, match="kind"):
        build_payload(tiny, frames.scores, partial)


def test_payload_marks_a_missing_report(tiny_copy):
    (tiny_copy / "reports" / "1398" / "district_2.csv").unlink()
    plan = planmon.load(tiny_copy, cache=False)
    payload = payload_for(plan)
    assert dept_row(payload, "district_2", 1398)["reported"] == 0
    assert dept_row(payload, "district_2", 1398)["rank"] is None  # not received: no rank
    assert dept_row(payload, "district_2", 1397)["reported"] == 1
    assert plan_row(payload, 1398)["n_reports"] == 2  # two of three departments reported


def test_a_provisional_year_is_flagged_and_not_opened(tiny, frames):
    # Issue 9: the page opens on the latest year that is not provisional.
    rollups = dict(frames.rollups)
    rollups["plan"] = frames.rollups["plan"].assign(provisional=lambda f: f["year"] == 1398)
    payload = build_payload(tiny, frames.scores, rollups)
    assert payload["provisional_years"] == [1398]
    assert payload["year"] == 1397 and payload["years"] == [1397, 1398]  # a click away
    assert plan_row(payload, 1398)["provisional"] == 1
    assert plan_row(payload, 1397)["provisional"] == 0
    # when every year is provisional, the latest is opened
    rollups["plan"] = frames.rollups["plan"].assign(provisional=True)
    assert build_payload(tiny, frames.scores, rollups)["year"] == 1398


def test_handed_columns_win_over_the_adapter(tiny, frames):
    # rank, reported and caveats handed by the measures are used as they are
    dept = frames.rollups["department"].copy()
    dept["reported"] = dept["dept_id"] != "district_1"
    dept["rank"] = np.where(dept["reported"], 7.0, NAN)
    scores = frames.scores.assign(
        caveats=np.where(
            frames.scores["indicator_id"] == "SRV01", "targets_against_direction;jump", ""
        )
    )
    payload = build_payload(tiny, scores, {**frames.rollups, "department": dept})
    assert dept_row(payload, "services", 1398)["rank"] == 7
    assert dept_row(payload, "district_1", 1398)["reported"] == 0
    assert dept_row(payload, "district_1", 1398)["rank"] is None
    assert ind_year(payload, "SRV01", 1398)["caveats"] == ["targets_against_direction", "jump"]
    assert ind_year(payload, "SRV02", 1398)["caveats"] == []


def test_pace_status_is_passed_on_when_present(tiny, frames):
    scores = frames.scores.assign(pace_status="on_track")
    payload = build_payload(tiny, scores, frames.rollups)
    assert ind_year(payload, "SRV01", 1398)["pace_status"] == "on_track"
    assert ind_year(payload, "SRV01", 1398)["pace_status"] in payload["labels"]["pace_status"]
    # without the override the measures' own category is passed on (planmon.measures.pace)
    measured = frames.scores.set_index(["indicator_id", "year"]).loc[("SRV01", 1398), "pace_status"]
    real = build_payload(tiny, frames.scores, frames.rollups)
    assert ind_year(real, "SRV01", 1398)["pace_status"] == measured


def test_the_real_tiny_plan_opens_on_its_last_complete_year(tiny):
    # district_2's 1398 report covers half its weight: 1398 covers 77.8 %, below the default 80 %;
    # district_2 (50 %) is provisional itself and not ranked
    real = frames_for(tiny)
    payload = build_payload(tiny, real.scores, real.rollups)
    assert payload["provisional_years"] == [1398]
    assert payload["year"] == 1397
    assert dept_row(payload, "district_2", 1398)["rank"] is None


def test_commentary_and_actions_slots(tiny, frames):
    commentary = pd.DataFrame(
        {
            "year": [1398],
            "dept_id": ["services"],
            "indicator_id": ["SRV01"],
            "kind": ["analysis"],
            "text_fa": ["<b>متن</b>"],
            "text_en": [None],
        }
    )
    actions = pd.DataFrame({"action_id": ["A1"], "dept_id": ["services"], "progress_pct": [40.0]})
    payload = build_payload(
        tiny, frames.scores, frames.rollups, commentary=commentary, actions=actions
    )
    assert payload["commentary"]["rows"] == [
        [1398, "services", "SRV01", "analysis", "<b>متن</b>", None]
    ]
    a = row_of(payload["actions"], payload["actions"]["rows"][0])
    assert a["action_id"] == "A1" and a["progress_pct"] == 40 and a["title_fa"] is None


def test_payload_numbers_are_compact(payload):
    text = json.dumps(payload, ensure_ascii=False)
    # measures keep 4 significant digits and data 6, so no decimal number is longer than 6
    numbers = re.findall(r"-?\d+\.\d+", text)
    digits = [len(n.replace("-", "").replace(".", "").lstrip("0")) for n in numbers]
    assert numbers and max(digits) <= 6


def test_units_are_shown_in_the_readers_language(payload):
    # the tiny plan writes units in English ("days", "count"); a Persian reader sees Persian
    rows = {r[0]: row_of(payload["indicators"], r) for r in payload["indicators"]["rows"]}
    assert rows["SRV02"]["unit_fa"] == "روز"
    assert rows["SRV02"]["unit_en"] == "days"


def test_a_changed_name_changes_only_its_cell(tiny, frames):
    departments = tiny.departments.copy()
    departments.loc[departments["dept_id"] == "district_1", "name_en"] = "Renamed"
    plan = dataclasses.replace(tiny, departments=departments)
    payload = build_payload(plan, frames.scores, frames.rollups)
    assert payload["depts"]["rows"][1] == ["district_1", "district", "منطقه یک", "Renamed"]


def test_the_payload_modules_do_not_import_matplotlib():
    # Issue 10: the dashboard takes its palette from a plain dict, not from the charts module.
    code = (
        "import sys, planmon.dashboard.page, planmon.dashboard.payload;"
        "print('matplotlib' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
