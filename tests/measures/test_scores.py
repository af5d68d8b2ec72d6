from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import planmon
from planmon.cli.app import app
from planmon.measures.scores import SCORE_COLUMNS, compute_scores, horizons_of


def _one(direction, base_year, base, years_values, targets, limit=np.nan):
    ind = pd.DataFrame(
        {
            "indicator_id": ["A"],
            "dept_id": ["d"],
            "goal_id": ["g"],
            "direction": [direction],
            "unit": ["u"],
            "baseline_year": [base_year],
            "baseline_value": [base],
            "limit": [limit],
            "tolerance": [0.05],
        }
    )
    tgt = pd.DataFrame(
        {"indicator_id": "A", "year": list(targets), "target": list(targets.values())}
    )
    act = pd.DataFrame(
        {"indicator_id": "A", "year": list(years_values), "value": list(years_values.values())}
    )
    return ind, tgt, act


def test_open_sdg_and_escap_worked_example_through_the_scores_frame():
    # Open SDG progress-methodology docs, Canada 1.1.1: base 14.5 (2015), current 10.4 (2023),
    # target 7.25 (2030), decrease → cagr_ratio 0.90109, moderate_progress, score 2.1507.
    # ESCAP indices for the same series (issue 4): 0.5655, 7.7757, 0.9275.
    ind, tgt, act = _one("decrease", 2015, 14.5, {2023: 10.4}, {2030: 7.25})
    row = compute_scores(ind, tgt, act, [2023]).iloc[0]
    assert row["cagr_ratio"] == pytest.approx(0.90109, abs=5e-6)
    assert row["status"] == "moderate_progress"
    assert row["score"] == pytest.approx(2.1507, abs=5e-5)
    assert row["current_status_index"] == pytest.approx(0.5655, abs=5e-5)
    assert row["projected_horizon_value"] == pytest.approx(7.7757, abs=5e-5)
    assert row["anticipated_progress_index"] == pytest.approx(0.9275, abs=5e-5)
    assert row["horizon_year"] == 2030 and row["years_left"] == 7


def test_each_year_uses_only_data_up_to_that_year():
    # hand calculation: 1397 → points (1396, 10), (1397, 12): slope 2, line at 1401 = 20;
    # 1398 adds (1398, 20), which must not change the 1397 row.
    ind, tgt, act = _one("increase", 1396, 10.0, {1397: 12.0, 1398: 20.0}, {1401: 30.0})
    out = compute_scores(ind, tgt, act, [1397, 1398]).set_index("year")
    assert out.loc[1397, "n_points"] == 2
    assert out.loc[1397, "trend_slope"] == pytest.approx(2.0)
    assert out.loc[1397, "trend_horizon_value"] == pytest.approx(20.0)
    assert out.loc[1398, "n_points"] == 3
    # OLS through (0,10), (1,12), (2,20): slope = Σ(x−x̄)(y−ȳ)/Σ(x−x̄)² = (−1·−4 + 1·4)/2 = 5
    assert out.loc[1398, "trend_slope"] == pytest.approx(5.0)
    # distance covered in 1398: 100·(20 − 10)/(30 − 10) = 50 %
    assert out.loc[1398, "distance_covered_pct"] == pytest.approx(50.0)
    # pace: observed (20−10)/2 = 5 per year, required (30−10)/5 = 4 per year → 1.25
    assert out.loc[1398, "pace_ratio"] == pytest.approx(1.25)


def test_missing_value_is_a_row_with_status_not_available():
    ind, tgt, act = _one("increase", 1396, 10.0, {1397: 12.0}, {1401: 30.0})
    out = compute_scores(ind, tgt, act, [1397, 1398]).set_index("year")
    assert np.isnan(out.loc[1398, "value"])
    assert out.loc[1398, "status"] == "not_available"
    assert out.loc[1398, "status_reason"] == "no value"


def test_indicator_without_targets_projects_to_the_plan_horizon():
    ind, tgt, act = _one("increase", 1396, 10.0, {1397: 12.0}, {})
    tgt = tgt.astype({"year": "int64", "target": "float64"})
    out = compute_scores(ind, tgt, act, [1397], plan_horizon_year=1401).iloc[0]
    assert np.isnan(out["horizon_target"]) and out["horizon_year"] == 1401
    assert out["trend_horizon_value"] == pytest.approx(20.0)  # 10 + 2·(1401 − 1396)
    assert np.isnan(out["achievement_pct"]) and np.isnan(out["distance_covered_pct"])


def test_horizons_are_the_last_target_year():
    tgt = pd.DataFrame(
        {"indicator_id": ["A", "A", "B"], "year": [1401, 1397, 1400], "target": [5.0, 1.0, 7.0]}
    )
    h = horizons_of(tgt)
    assert h.loc["A", "horizon_year"] == 1401 and h.loc["A", "horizon_target"] == 5.0
    assert h.loc["B", "horizon_year"] == 1400


def test_plan_scores_on_the_tiny_plan(tiny_path):
    plan = planmon.load(tiny_path)
    scores = plan.scores()
    assert list(scores.columns) == list(SCORE_COLUMNS)
    assert len(scores) == 5 * 2  # five indicators × two report years
    row = plan.scores(year=1398, dept_id="services").set_index("indicator_id").loc["SRV01"]
    # hand calculation: 13 against the 1398 target 14 → 100·13/14 = 92.857 %
    assert row["achievement_pct"] == pytest.approx(100 * 13 / 14)
    # distance: 100·(13 − 10)/(20 − 10) = 30 %; remaining gap 20 − 13 = 7
    assert row["distance_covered_pct"] == pytest.approx(30.0)
    assert row["remaining_gap"] == pytest.approx(7.0)
    with pytest.raises(KeyError, match="no reports for 1399"):
        plan.scores(year=1399)


def test_plan_rollup_by_department_hand_checked(tiny_path):
    plan = planmon.load(tiny_path)
    dept = plan.rollup("department", year=1398).set_index("dept_id")
    # services 1398: SRV01 92.857 % (weight 2), SRV02 100·10/10.5 = 95.238 % (weight 1)
    # → (2·92.857 + 95.238)/3 = 93.651
    assert dept.loc["services", "conformity_pct"] == pytest.approx(
        (2 * 100 * 13 / 14 + 100 * 10 / 10.5) / 3
    )
    assert dept.loc["district_2", "coverage_pct"] == pytest.approx(50.0)


@pytest.mark.parametrize("suffix", [".csv", ".parquet", ".xlsx"])
def test_scores_command_writes_a_file_that_loads_back(tiny_path, tmp_path, suffix):
    target = tmp_path / f"scores{suffix}"
    result = CliRunner().invoke(app, ["scores", str(tiny_path), "--out", str(target)])
    assert result.exit_code == 0, result.output
    if suffix == ".csv":
        back = pd.read_csv(target)
    elif suffix == ".parquet":
        back = pd.read_parquet(target)
    else:
        back = pd.read_excel(target, engine="calamine")
    assert list(back.columns) == list(SCORE_COLUMNS)
    assert len(back) == 10
    expected = planmon.load(tiny_path).scores()
    np.testing.assert_allclose(back["achievement_pct"], expected["achievement_pct"], rtol=1e-9)


def test_scores_command_levels_and_bad_year(tiny_path):
    runner = CliRunner()
    result = runner.invoke(
        app, ["scores", str(tiny_path), "--level", "plan"], env={"COLUMNS": "200"}
    )
    # plan level 1398 progress score, hand-checkable from the rollup tests: 1.23 (4 s.f.)
    assert result.exit_code == 0 and "1.23" in result.output and "1398" in result.output
    result = runner.invoke(app, ["scores", str(tiny_path), "--year", "1390"])
    assert result.exit_code == 1 and "no reports for 1390" in result.output
    result = runner.invoke(app, ["scores", str(tiny_path), "--level", "city"])
    assert result.exit_code == 2
