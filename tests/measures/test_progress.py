"""Tests for planmon.measures.progress.

Sources cited beside expected values:

* [OSDG] Open SDG documentation, "Progress Measurement Methodology for the Sustainable
  Development Goals" (open-sdg/open-sdg docs/progress-methodology.md): thresholds, score
  curves (Figures 1 and 2), zero replacement, the scaling factor near a limit.
* [SDGB] open-sdg/sdg-build sdg/ProgressMeasure.py: the reference implementation (score
  coefficients 7.1429 / 4.2857 / 4.1667, C = 1 - (b/L)^4.44 and its mirror).
* [CAN111] The worked example of the planmon issue from the Open SDG docs: Canada CIF 1.1.1,
  poverty rate 14.5 % (2015) → 10.4 % (2023), target 7.25 % (half) by 2030, decrease.
* [ESCAP] ESCAP progress assessment methodology
  (https://data.unescap.org/resource-guides/progress-assessment-methodology).
* "hand": computed by hand (calculator); the arithmetic is written beside the value.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import planmon.measures.common as common
import planmon.measures.conformity as conformity
import planmon.measures.escap as escap
import planmon.measures.open_sdg as open_sdg
import planmon.measures.pace as pace
import planmon.measures.progress as progress
from planmon.core.exceptions import PlanmonError
from planmon.measures.progress import (
    PROGRESS_COLUMNS,
    REASONS,
    STATUSES,
    achievement_pct,
    annual_growth,
    compute_progress,
    distance_to_horizon,
    escap_indices,
    limit_coefficient,
    maintain_status,
    open_sdg_progress,
    pace_ratio,
)

CANADA = dict(
    direction="decrease",
    baseline_year=2015,
    baseline_value=14.5,
    year=2023,
    value=10.4,
    horizon_year=2030,
    horizon_target=7.25,
)


def _row(**overrides) -> dict:
    row = dict(CANADA, target=9.0, limit=np.nan, tolerance=np.nan)
    row.update(overrides)
    return row


def _frame(*rows: dict, index=None) -> pd.DataFrame:
    return pd.DataFrame(list(rows), index=index)


# --------------------------------------------------------------------------------------
# docstring examples
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "module", [progress, common, conformity, open_sdg, escap, pace], ids=lambda m: m.__name__
)
def test_docstring_examples(module):
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 1
    assert result.failed == 0


# --------------------------------------------------------------------------------------
# published worked examples
# --------------------------------------------------------------------------------------


def test_canada_open_sdg_worked_example():
    p = open_sdg_progress(**CANADA)
    # [CAN111]: g_o = (10.4/14.5)^(1/8) - 1 = -0.040692; g_r = (7.25/14.5)^(1/15) - 1 = -0.045158
    assert float(p.observed_growth) == pytest.approx(-0.040692, abs=5e-7)
    assert float(p.required_growth) == pytest.approx(-0.045158, abs=5e-7)
    # [CAN111]: cagr_ratio 0.90109, moderate_progress, score 2.1507
    assert float(p.cagr_ratio) == pytest.approx(0.90109, abs=5e-6)
    assert str(p.status) == "moderate_progress"
    assert float(p.score) == pytest.approx(2.1507, abs=5e-5)
    assert str(p.reason) == ""


def test_canada_escap_worked_example():
    e = escap_indices(**CANADA)
    # [CAN111]/[ESCAP]: current status index (14.5-10.4)/7.25 = 0.5655
    assert float(e.current_status_index) == pytest.approx(0.5655, abs=5e-5)
    # [CAN111]/[ESCAP]: projected 10.4 * (1 - 0.040692)^7 = 7.7757
    assert float(e.projected_horizon_value) == pytest.approx(7.7757, abs=5e-5)
    # [CAN111]/[ESCAP]: anticipated progress index (14.5 - 7.7757)/7.25 = 0.9275
    assert float(e.anticipated_progress_index) == pytest.approx(0.9275, abs=5e-5)
    assert str(e.reason) == ""


def test_canada_distance_and_pace():
    d = distance_to_horizon(
        value=10.4, year=2023, baseline_value=14.5, horizon_target=7.25, horizon_year=2030
    )
    # hand: 100 * (10.4 - 14.5) / (7.25 - 14.5) = 56.5517 %; gap 7.25 - 10.4 = -3.15; 7 years
    assert float(d.distance_covered_pct) == pytest.approx(56.5517, abs=5e-5)
    assert float(d.remaining_gap) == pytest.approx(-3.15)
    assert float(d.years_left) == 7
    ratio, reason = pace_ratio(**CANADA)
    # hand: ((10.4-14.5)/8) / ((7.25-14.5)/15) = -0.5125 / -0.483333 = 1.060345
    assert float(ratio) == pytest.approx(1.060345, abs=5e-7)
    assert str(reason) == ""


def test_canada_through_compute_progress():
    out = compute_progress(_frame(_row()))
    row = out.iloc[0]
    # [CAN111] values again, through the frame-level function
    assert row["cagr_ratio"] == pytest.approx(0.90109, abs=5e-6)
    assert row["score"] == pytest.approx(2.1507, abs=5e-5)
    assert row["status"] == "moderate_progress"
    assert row["current_status_index"] == pytest.approx(0.5655, abs=5e-5)
    assert row["projected_horizon_value"] == pytest.approx(7.7757, abs=5e-5)
    assert row["anticipated_progress_index"] == pytest.approx(0.9275, abs=5e-5)
    # hand: decrease, 100 * target / value = 100 * 9 / 10.4 = 86.5385 %
    assert row["achievement_pct"] == pytest.approx(86.5385, abs=5e-5)


# [OSDG] Figure 2 (indicators with targets): R <= -60 % → -5; linear to 0 at 60 %; linear
# to 5 at 130 %; 5 beyond. The table puts "on track" (score 2.5) at R = 95 % and the
# limited/deterioration border (score -2.5) at R = 0.
@pytest.mark.parametrize(
    ("ratio", "score"),
    [(-1.0, -5.0), (-0.6, -5.0), (0.0, -2.5), (0.6, 0.0), (0.95, 2.5), (1.3, 5.0), (2.0, 5.0)],
)
def test_score_curve_with_target(ratio, score):
    # a decreasing series whose cagr_ratio is exactly `ratio`: R = -g_o / |g_r|, so
    # g_o = R * g_r with g_r = 0.5^(1/10) - 1 (halving 100 → 50 over 2020–2030)
    required = 0.5 ** (1 / 10) - 1
    value = 100 * (1 + ratio * required) ** 5
    p = open_sdg_progress(
        direction="decrease",
        baseline_year=2020,
        baseline_value=100.0,
        year=2025,
        value=value,
        horizon_year=2030,
        horizon_target=50.0,
    )
    assert float(p.cagr_ratio) == pytest.approx(ratio, abs=1e-9)
    # sdg-build's rounded coefficients move the anchors by < 1e-4 [SDGB]
    assert float(p.score) == pytest.approx(score, abs=1e-3)


# [OSDG] Figure 1 (no target): CAGR <= -2 % → -5; -2.5 at 0; 0 at 0.5 %; 2.5 at 1.5 %;
# 5 at 2 % and beyond. Status thresholds 1.5 % / 0.5 % / 0.
@pytest.mark.parametrize(
    ("growth", "score", "status"),
    [
        (-0.03, -5.0, "deterioration"),
        (-0.02, -5.0, "deterioration"),
        (-0.01, -3.75, "deterioration"),
        (0.0, -2.5, "limited_progress"),
        (0.0025, -1.25, "limited_progress"),
        (0.005, 0.0, None),  # on the threshold: status depends on the last bit
        (0.0051, 0.025, "moderate_progress"),  # hand: 250*0.0051 - 1.25
        (0.01, 1.25, "moderate_progress"),
        (0.015, 2.5, None),
        (0.0151, 2.55, "substantial_progress"),  # hand: 500*0.0151 - 5
        (0.02, 5.0, "substantial_progress"),
        (0.05, 5.0, "substantial_progress"),
    ],
)
def test_score_curve_without_target(growth, score, status):
    value = 100 * (1 + growth) ** 4
    p = open_sdg_progress(
        direction="increase", baseline_year=2020, baseline_value=100.0, year=2024, value=value
    )
    assert float(p.observed_growth) == pytest.approx(growth, abs=1e-12)
    assert float(p.score) == pytest.approx(score, abs=1e-9)
    if status is not None:
        assert str(p.status) == status
    assert np.isnan(p.cagr_ratio) and np.isnan(p.required_growth)


def test_status_and_score_ranges_agree():
    # [OSDG] score ranges: on track [2.5, 5], moderate [0, 2.5[, limited [-2.5, 0[,
    # deterioration [-5, -2.5[ — the status from thresholds must fall in its score range.
    rng = np.random.default_rng(7)
    n = 5000
    value = 100 * np.exp(rng.normal(0, 0.2, n))
    with_target = open_sdg_progress(
        direction="increase",
        baseline_year=2020,
        baseline_value=100.0,
        year=2024,
        value=value,
        horizon_year=2030,
        horizon_target=150.0,
    )
    without = open_sdg_progress(
        direction="increase", baseline_year=2020, baseline_value=100.0, year=2024, value=value
    )
    ranges = {
        "target_achieved": (5, 5),
        "substantial_progress": (2.5, 5),
        "moderate_progress": (0, 2.5),
        "limited_progress": (-2.5, 0),
        "deterioration": (-5, -2.5),
    }
    for p in (with_target, without):
        assert np.all((p.score >= -5) & (p.score <= 5))
        for status, (low, high) in ranges.items():
            chosen = p.status == status
            # 1e-3: sdg-build's rounded coefficients [SDGB]
            assert np.all(p.score[chosen] >= low - 1e-3)
            assert np.all(p.score[chosen] <= high + 1e-3)


# --------------------------------------------------------------------------------------
# Open SDG: branches
# --------------------------------------------------------------------------------------


def test_target_achieved_increase_and_decrease():
    p = open_sdg_progress(
        direction=["increase", "decrease", "decrease"],
        baseline_year=2015,
        baseline_value=[50.0, 14.5, 14.5],
        year=2020,
        value=[60.0, 7.0, 7.25],
        horizon_year=2025,
        horizon_target=[55.0, 7.25, 7.25],
    )
    # [OSDG]: target achieved when the value meets or passes the target; score 5
    assert p.status.tolist() == ["target_achieved"] * 3
    assert p.score.tolist() == [5.0, 5.0, 5.0]
    assert p.reason.tolist() == ["", "", ""]
    # hand: the ratio is still reported: g_o = 1.2^(1/5) - 1 = 0.0371373,
    # g_r = 1.1^(1/10) - 1 = 0.0095765 → 3.8779
    assert p.cagr_ratio[0] == pytest.approx(3.877927, abs=5e-6)


def test_with_target_substantial_and_deterioration():
    p = open_sdg_progress(
        direction=["increase", "decrease"],
        baseline_year=[2015, 2020],
        baseline_value=[50.0, 10.0],
        year=[2020, 2023],
        value=[60.0, 12.0],
        horizon_year=[2025, 2030],
        horizon_target=[80.0, 5.0],
    )
    # hand: (1.2^(1/5)-1) / (1.6^(1/10)-1) = 0.0371373 / 0.0481224 = 0.771726 → moderate,
    # score 7.1429*0.771726 - 4.2857 = 1.22666
    assert p.cagr_ratio[0] == pytest.approx(0.771726, abs=5e-6)
    assert p.status[0] == "moderate_progress"
    assert p.score[0] == pytest.approx(1.22666, abs=5e-5)
    # hand: decrease rising 10 → 12: -(1.2^(1/3)-1) / |0.5^(1/10)-1| = -0.0626586/0.0669670
    # = -0.935663 → deterioration, score max(4.1667*R - 2.5, -5) = -5
    assert p.cagr_ratio[1] == pytest.approx(-0.935663, abs=5e-6)
    assert p.status[1] == "deterioration"
    assert p.score[1] == -5.0


def test_no_target_without_limit():
    p = open_sdg_progress(
        direction=["increase", "decrease"],
        baseline_year=[2020, 2020],
        baseline_value=[100.0, 50.0],
        year=[2023, 2024],
        value=[103.0, 48.0],
    )
    # hand: 1.03^(1/3) - 1 = 0.0099016 → moderate, 250*0.0099016 - 1.25 = 1.22541
    assert p.observed_growth[0] == pytest.approx(0.0099016, abs=5e-8)
    assert p.status[0] == "moderate_progress"
    assert p.score[0] == pytest.approx(1.22541, abs=5e-6)
    # hand: decrease 50 → 48 in 4 years: g = 0.96^(1/4) - 1 = -0.0101536, directed +0.0101536
    # → moderate, 250*0.0101536 - 1.25 = 1.28840
    assert p.observed_growth[1] == pytest.approx(-0.0101536, abs=5e-8)
    assert p.status[1] == "moderate_progress"
    assert p.score[1] == pytest.approx(1.28840, abs=5e-6)


def test_limit_coefficient_values():
    c = limit_coefficient(
        baseline_value=[90.0, 100.0, 12.0, 25.0, 90.0, 50.0, -90.0],
        limit=[100.0, 100.0, 10.0, 10.0, 100.0, np.nan, -100.0],
        direction=["increase", "increase", "decrease", "decrease", "decrease", "increase",
                   "decrease"],
    )  # fmt: skip
    # [SDGB]/[OSDG]: 1 - 0.9^4.44 = 0.373622 (maximum limit)
    assert c[0] == pytest.approx(0.373622, abs=5e-7)
    # [OSDG]: base equal to the limit → C = 0
    assert c[1] == 0.0
    # [SDGB]/[OSDG]: mirrored minimum limit, 1 - ((2*10 - 12)/10)^4.44 = 1 - 0.8^4.44 = 0.628705
    assert c[2] == pytest.approx(0.628705, abs=5e-7)
    # [SDGB]: b >= 2L → 1
    assert c[3] == 1.0
    # [OSDG]: a maximum limit does not count for a decreasing indicator
    assert c[4] == 1.0
    # no limit → 1
    assert c[5] == 1.0
    # negative values: |-90| below |-100|, falling further means growing in magnitude → 0.373622
    assert c[6] == pytest.approx(0.373622, abs=5e-7)


def test_no_target_with_limit():
    p = open_sdg_progress(
        direction=["increase", "increase", "decrease", "increase"],
        baseline_year=2020,
        baseline_value=[90.0, 100.0, 12.0, 100.0],
        year=[2023, 2023, 2022, 2023],
        value=[91.0, 100.0, 11.9, 99.0],
        limit=[100.0, 100.0, 10.0, 100.0],
    )
    # hand: g = (91/90)^(1/3) - 1 = 0.0036901; C = 0.373622; thresholds 0.0056043/0.0018681
    # → moderate; score 250*g/C - 1.25 = 1.21912
    assert p.status[0] == "moderate_progress"
    assert p.score[0] == pytest.approx(1.21912, abs=5e-6)
    # [OSDG]: base on the limit and CAGR >= 0 → "on track" and score +5
    assert p.status[1] == "substantial_progress"
    assert p.score[1] == 5.0
    # hand: decrease 12 → 11.9 in 2 years, minimum limit 10: directed g = 0.0041754,
    # C = 0.628705, thresholds 0.0094306/0.0031435 → moderate; 250*g/C - 1.25 = 0.41031
    assert p.status[2] == "moderate_progress"
    assert p.score[2] == pytest.approx(0.41031, abs=5e-6)
    # [OSDG]: on the limit but falling: scored as usual, 125*g - 2.5 with g = 0.99^(1/3)-1
    assert p.status[3] == "deterioration"
    assert p.score[3] == pytest.approx(125 * (0.99 ** (1 / 3) - 1) - 2.5, abs=1e-12)


def test_limit_ignored_with_target():
    with_limit = open_sdg_progress(**CANADA, limit=0.0)
    # [SDGB]: a limit is ignored when a target is given → same as [CAN111]
    assert float(with_limit.score) == pytest.approx(2.1507, abs=5e-5)


def test_negative_values():
    p = open_sdg_progress(
        direction="increase",
        baseline_year=2020,
        baseline_value=-10.0,
        year=2023,
        value=-8.0,
        horizon_year=2025,
        horizon_target=-5.0,
    )
    # [OSDG]/[SDGB] sign flip for a negative base: R = -1 * (+1) * (0.8^(1/3)-1) / |0.5^(1/5)-1|
    # = 0.0716822 / 0.1294494 = 0.553747 → limited; 4.1667*0.553747 - 2.5 = -0.192703
    assert float(p.cagr_ratio) == pytest.approx(0.553747, abs=5e-6)
    assert str(p.status) == "limited_progress"
    assert float(p.score) == pytest.approx(-0.192703, abs=5e-6)
    worse = open_sdg_progress(
        direction="increase", baseline_year=2020, baseline_value=-10.0, year=2023, value=-12.0
    )
    # hand: moving from -10 to -12 is the wrong way for "increase" → deterioration
    assert str(worse.status) == "deterioration"


def test_zero_base_replaced():
    p = open_sdg_progress(
        direction="increase",
        baseline_year=2020,
        baseline_value=0.0,
        year=2023,
        value=5.0,
        horizon_year=2025,
        horizon_target=6.0,
    )
    # [OSDG] zero base → 0.001: g_o = 5000^(1/3) - 1 = 16.09976, g_r = 6000^(1/5) - 1 = 4.69679
    assert float(p.observed_growth) == pytest.approx(16.09976, abs=5e-5)
    assert float(p.required_growth) == pytest.approx(4.69679, abs=5e-5)
    assert float(p.cagr_ratio) == pytest.approx(3.427821, abs=5e-6)
    assert str(p.status) == "substantial_progress"
    assert str(p.reason) == "zero baseline replaced by 0.001"


def test_zero_target_replaced():
    p = open_sdg_progress(
        direction="decrease",
        baseline_year=2020,
        baseline_value=5.0,
        year=2023,
        value=3.0,
        horizon_year=2025,
        horizon_target=0.0,
    )
    # [OSDG] zero target → 0.001: R = -(0.6^(1/3)-1) / |0.0002^(1/5)-1| = 0.156567/0.817944
    # = 0.191416 → limited; 4.1667*0.191416 - 2.5 = -1.702428
    assert float(p.cagr_ratio) == pytest.approx(0.191416, abs=5e-6)
    assert str(p.status) == "limited_progress"
    assert float(p.score) == pytest.approx(-1.702428, abs=5e-6)
    assert str(p.reason) == "zero target replaced by 0.001"
    reached = open_sdg_progress(
        direction="decrease",
        baseline_year=2020,
        baseline_value=5.0,
        year=2023,
        value=0.0,
        horizon_year=2025,
        horizon_target=0.0,
    )
    # hand: 0 meets a target of 0 (judged before the replacement)
    assert str(reached.status) == "target_achieved"


def test_sign_change_not_available():
    p = open_sdg_progress(
        direction="increase",
        baseline_year=2020,
        baseline_value=10.0,
        year=2023,
        value=-1.0,
        horizon_year=2025,
        horizon_target=15.0,
    )
    # [OSDG] minimum data requirements: values must all be positive or all negative
    assert str(p.status) == "not_available"
    assert str(p.reason) == "sign change since baseline"
    assert np.isnan(p.score) and np.isnan(p.cagr_ratio) and np.isnan(p.observed_growth)


def test_base_year_equals_current_year():
    p = open_sdg_progress(
        direction=["increase", "increase"],
        baseline_year=2020,
        baseline_value=10.0,
        year=2020,
        value=[12.0, 16.0],
        horizon_year=2025,
        horizon_target=15.0,
    )
    # [OSDG]/[SDGB]: fewer than one year between base and current → not available ...
    assert p.status[0] == "not_available"
    assert p.reason[0] == "less than one year since baseline"
    assert np.isnan(p.score[0])
    # ... unless the target is already met, which sdg-build reports first [SDGB]
    assert p.status[1] == "target_achieved"
    assert p.score[1] == 5.0


def test_target_equal_to_baseline():
    p = open_sdg_progress(
        direction="decrease",
        baseline_year=2020,
        baseline_value=5.0,
        year=2023,
        value=[6.0, 4.0],
        horizon_year=2025,
        horizon_target=5.0,
    )
    # hand: g_r = 0, so R = -inf when the value moved the wrong way → deterioration, -5
    assert p.status.tolist() == ["deterioration", "target_achieved"]
    assert p.score.tolist() == [-5.0, 5.0]
    assert p.reason[0] == "horizon target equals baseline"
    assert np.isnan(p.cagr_ratio[0])


def test_open_sdg_not_applicable_rows():
    p = open_sdg_progress(
        direction=["maintain", "sideways", "increase", "increase"],
        baseline_year=[2020, 2020, 2020, np.nan],
        baseline_value=[10.0, 10.0, 10.0, np.nan],
        year=2023,
        value=[10.0, 12.0, np.nan, 12.0],
    )
    assert p.status.tolist() == ["not_available"] * 4
    assert p.reason.tolist() == ["maintain", "unknown direction", "no value", "no baseline"]
    assert np.isnan(p.observed_growth).all() and np.isnan(p.score).all()


def test_horizon_not_after_baseline_and_target_sign():
    p = open_sdg_progress(
        direction="increase",
        baseline_year=2020,
        baseline_value=[10.0, -10.0],
        year=2023,
        value=[12.0, -8.0],
        horizon_year=[2020, 2025],
        horizon_target=[15.0, 5.0],
    )
    assert p.reason.tolist() == [
        "horizon year not after baseline",
        "baseline and target differ in sign",
    ]
    assert p.status.tolist() == ["not_available", "not_available"]


# --------------------------------------------------------------------------------------
# annual conformity
# --------------------------------------------------------------------------------------


def test_achievement_pct_branches():
    pct, reason = achievement_pct(
        value=[80.0, 12.0, -5.0, -12.0, 0.0, 5.0, 0.0, 5.0, np.nan, 3.0, -2.0, 4.0],
        target=[100.0, 10.0, -10.0, -11.0, 0.0, 0.0, 5.0, 0.0, 5.0, np.nan, 3.0, 4.0],
        direction=[
            "increase", "decrease", "increase", "decrease", "increase", "increase",
            "decrease", "decrease", "increase", "increase", "decrease", "up",
        ],
    )  # fmt: skip
    expected = [
        80.0,  # hand: 100 * 80 / 100
        83.333333,  # hand: 100 * 10 / 12
        200.0,  # hand: both negative, increase: -5 beats -10; 100 * -10 / -5
        109.090909,  # hand: both negative, decrease: -12 beats -11; 100 * -12 / -11
        100.0,  # hand: value equals target (0 = 0)
        np.nan,  # zero target as denominator
        np.nan,  # zero value as denominator
        0.0,  # hand: decrease, 100 * 0 / 5
        np.nan,  # no value
        np.nan,  # no target
        np.nan,  # signs differ
        np.nan,  # unknown direction
    ]
    np.testing.assert_allclose(pct, expected, rtol=0, atol=5e-7)
    assert reason.tolist() == [
        "", "", "", "", "", "zero target", "zero value", "", "no value", "no target",
        "value and target differ in sign", "unknown direction",
    ]  # fmt: skip


def test_achievement_pct_maintain():
    pct, reason = achievement_pct([102.0, 90.0, 250.0, 5.0], [100.0, 100.0, 100.0, 0.0], "maintain")
    # hand: 100 * (1 - 2/100) = 98; 100 * (1 - 10/100) = 90; 100 * (1 - 150/100) < 0 → 0
    np.testing.assert_allclose(pct[:3], [98.0, 90.0, 0.0])
    assert np.isnan(pct[3]) and reason[3] == "zero target"


def test_maintain_status_tolerance():
    status, reason = maintain_status(
        value=[104.0, 106.0, 95.0, 109.0, np.nan, 5.0],
        target=[100.0, 100.0, 100.0, 100.0, 100.0, np.nan],
        tolerance=[np.nan, np.nan, 0.05, 0.10, 0.05, 0.05],
    )
    # hand: |104-100| = 4 <= 5 → achieved; 6 > 5 → deterioration; 5 <= 5 (edge) → achieved;
    # |109-100| = 9 <= 10 (tolerance 0.1) → achieved
    assert status.tolist() == [
        "target_achieved", "deterioration", "target_achieved", "target_achieved",
        "not_available", "not_available",
    ]  # fmt: skip
    assert reason.tolist() == ["", "", "", "", "no value", "no target"]


# --------------------------------------------------------------------------------------
# distance, ESCAP and pace
# --------------------------------------------------------------------------------------


def test_distance_reasons():
    d = distance_to_horizon(
        value=[60.0, 60.0, np.nan, 60.0],
        year=2023,
        baseline_value=[50.0, 50.0, 50.0, 50.0],
        horizon_target=[np.nan, 50.0, 80.0, 80.0],
        horizon_year=[np.nan, 2025, 2025, 2025],
    )
    assert d.reason.tolist() == ["no target", "horizon target equals baseline", "no value", ""]
    # hand: 100 * (60 - 50) / (80 - 50) = 33.3333 %, gap 20, 2 years left
    assert d.distance_covered_pct[3] == pytest.approx(33.333333, abs=5e-7)
    assert d.remaining_gap[3] == 20.0 and d.years_left[3] == 2.0
    # the gap to an equal-to-baseline target still exists: 50 - 60
    assert d.remaining_gap[1] == -10.0


def test_escap_increase_and_reasons():
    e = escap_indices(
        direction=["increase", "increase", "increase", "maintain", "increase"],
        baseline_year=[2015, 2015, 2020, 2015, 2015],
        baseline_value=[50.0, 50.0, 50.0, 50.0, 0.0],
        year=[2020, 2031, 2020, 2020, 2020],
        value=[60.0, 60.0, 55.0, 60.0, 10.0],
        horizon_year=[2025, 2030, 2025, 2025, 2025],
        horizon_target=[80.0, 80.0, 80.0, 80.0, 80.0],
    )
    # hand: (60-50)/30 = 0.3333; g = 1.2^(1/5) - 1, projected 60 * 1.2 = 72; (72-50)/30 = 0.7333
    assert e.current_status_index[0] == pytest.approx(1 / 3)
    assert e.projected_horizon_value[0] == pytest.approx(72.0)
    assert e.anticipated_progress_index[0] == pytest.approx(22 / 30)
    # hand: report year after the horizon → projection is the current value
    assert e.projected_horizon_value[1] == pytest.approx(60.0)
    # base year: index computed, no growth for the projection
    assert e.current_status_index[2] == pytest.approx(5 / 30)
    assert np.isnan(e.projected_horizon_value[2])
    assert np.isnan(e.current_status_index[3])
    # zero baseline: index exists, projection does not
    assert e.current_status_index[4] == pytest.approx(10 / 80)
    assert np.isnan(e.anticipated_progress_index[4])
    assert e.reason.tolist() == [
        "", "", "less than one year since baseline", "maintain", "zero baseline",
    ]  # fmt: skip


def test_pace_ratio_reasons():
    ratio, reason = pace_ratio(
        direction=["increase", "increase", "increase", "maintain"],
        baseline_year=2020,
        baseline_value=50.0,
        year=[2022, 2020, 2022, 2022],
        value=[54.0, 54.0, 54.0, 54.0],
        horizon_year=[2025, 2025, np.nan, 2025],
        horizon_target=[60.0, 60.0, np.nan, 60.0],
    )
    # hand: (4/2) / (10/5) = 1
    assert ratio[0] == pytest.approx(1.0)
    assert np.isnan(ratio[1:]).all()
    assert reason.tolist() == ["", "less than one year since baseline", "no target", "maintain"]


def test_annual_growth():
    g = annual_growth([100.0, 100.0, 0.0, -10.0, 100.0], [121.0, 50.0, 5.0, -8.1, 120.0],
                      2020, [2022, 2021, 2022, 2022, 2020])  # fmt: skip
    # hand: 1.21^(1/2) - 1 = 0.1; 0.5 - 1 = -0.5; zero start → NaN; magnitude 0.81^(1/2)-1 = -0.1
    np.testing.assert_allclose(g[[0, 1, 3]], [0.1, -0.5, -0.1])
    assert np.isnan(g[2]) and np.isnan(g[4])


# --------------------------------------------------------------------------------------
# frame level
# --------------------------------------------------------------------------------------


def test_compute_progress_shape_index_and_dtypes():
    rows = _frame(_row(), _row(value=np.nan), index=pd.Index(["a-1396", "b-1397"], name="key"))
    out = compute_progress(rows)
    assert tuple(out.columns) == PROGRESS_COLUMNS
    assert out.index.equals(rows.index)
    texts = {"achievement_reason", "status", "status_reason", "pace_status"}
    for name in texts:
        assert pd.api.types.is_string_dtype(out[name].dtype)
    for name in set(PROGRESS_COLUMNS) - texts:
        assert out[name].dtype == np.float64


def test_compute_progress_missing_value():
    out = compute_progress(_frame(_row(value=np.nan), _row(direction="maintain", value=np.nan)))
    assert out["status"].tolist() == ["not_available", "not_available"]
    assert out["status_reason"].tolist() == ["no value", "no value"]
    assert out["achievement_reason"].tolist() == ["no value", "no value"]
    measures = [c for c in PROGRESS_COLUMNS if out[c].dtype == np.float64 and c != "years_left"]
    assert out[measures].isna().all().all()
    # the calendar still says how long is left: 2030 - 2023
    assert out["years_left"].tolist() == [7.0, 7.0]


def test_compute_progress_maintain():
    out = compute_progress(
        _frame(
            _row(direction="maintain", baseline_value=100.0, value=102.0, target=100.0,
                 horizon_target=100.0),
            _row(direction="maintain", baseline_value=100.0, value=110.0, target=100.0,
                 horizon_target=100.0),
            _row(direction="maintain", baseline_value=100.0, value=108.0, target=np.nan,
                 horizon_target=100.0, tolerance=0.1),
            _row(direction="maintain", baseline_value=100.0, value=108.0, target=np.nan,
                 horizon_target=np.nan, horizon_year=np.nan),
        )
    )  # fmt: skip
    # hand: |102-100| <= 5 → achieved; |110-100| > 5 → deterioration; against the horizon
    # target with tolerance 0.1: 8 <= 10 → achieved; no target at all → not available
    assert out["status"].tolist() == [
        "target_achieved", "deterioration", "target_achieved", "not_available",
    ]  # fmt: skip
    assert out["status_reason"].tolist() == ["maintain", "maintain", "maintain", "no target"]
    # hand: 100 * (1 - 2/100) = 98; 100 * (1 - 10/100) = 90
    assert out["achievement_pct"].iloc[:2].tolist() == pytest.approx([98.0, 90.0])
    growth_based = [
        "observed_growth", "required_growth", "cagr_ratio", "score", "current_status_index",
        "projected_horizon_value", "anticipated_progress_index", "pace_ratio",
    ]  # fmt: skip
    assert out[growth_based].isna().all().all()


def test_compute_progress_no_target():
    out = compute_progress(
        _frame(
            _row(direction="increase", baseline_year=2020, baseline_value=90.0, year=2023,
                 value=91.0, target=np.nan, horizon_year=np.nan, horizon_target=np.nan,
                 limit=100.0),
        )
    )  # fmt: skip
    row = out.iloc[0]
    # same case as test_no_target_with_limit: moderate, 1.21912
    assert row["status"] == "moderate_progress"
    assert row["score"] == pytest.approx(1.21912, abs=5e-6)
    assert row["achievement_reason"] == "no target"
    for name in ("distance_covered_pct", "remaining_gap", "years_left", "cagr_ratio",
                 "current_status_index", "anticipated_progress_index", "pace_ratio"):  # fmt: skip
        assert np.isnan(row[name]), name


def test_compute_progress_optional_columns_and_series_direction():
    rows = _frame(_row(), _row(direction="increase", value=12.0, horizon_target=20.0)).drop(
        columns=["limit", "tolerance"]
    )
    rows["direction"] = rows["direction"].astype("category")
    out = compute_progress(rows)
    assert out["status"].tolist() == ["moderate_progress", "deterioration"]


def test_compute_progress_missing_column():
    with pytest.raises(PlanmonError, match="horizon_target"):
        compute_progress(_frame(_row()).drop(columns=["horizon_target"]))


def test_statuses_and_reasons_constants():
    assert STATUSES == (
        "target_achieved", "substantial_progress", "moderate_progress", "limited_progress",
        "deterioration", "not_available",
    )  # fmt: skip
    assert len(set(REASONS)) == len(REASONS) and "" not in REASONS


def test_long_frames_give_row_for_row_what_each_case_gives_alone():
    # Rule: compute_progress is a row-wise function; a long shuffled frame changes nothing.
    # (Its speed on 600,000 rows is measured by bench/bench_scores.py, not asserted here.)
    rows = _frame(
        _row(),
        _row(direction="increase", baseline_value=0.0, value=5.0, horizon_target=6.0),
        _row(direction="maintain", value=9.5),
        _row(value=np.nan),
        _row(target=np.nan, horizon_target=np.nan, horizon_year=np.nan, limit=0.0),
        _row(value=-1.0),
        _row(horizon_target=20.0),  # targets against the direction
    )
    rows["case"] = range(len(rows))  # extra columns are ignored by compute_progress
    big = rows.sample(20_000, replace=True, random_state=0).reset_index(drop=True)
    big["direction"] = big["direction"].astype("str")
    out = compute_progress(big)
    assert len(out) == 20_000
    single = compute_progress(rows)
    reference = single.iloc[big["case"].to_numpy()].reset_index(drop=True)
    pd.testing.assert_frame_equal(out, reference)


# --------------------------------------------------------------------------------------
# targets against the direction (planmon's rule; measures.common.targets_against_direction)
# --------------------------------------------------------------------------------------


def _trf01(year: int, value: float) -> dict:
    # The sample's TRF01: accidents per 10,000 vehicles, direction decrease, baseline 96 (1396),
    # yearly targets rising 97, 98, 99, 100, 100 (horizon 1401): the targets contradict the
    # direction, and the value fell (94, 95, 91).
    return dict(
        direction="decrease", baseline_year=1396, baseline_value=96.0, year=year, value=value,
        target={1397: 97.0, 1398: 98.0, 1399: 99.0}[year], horizon_year=1401.0,
        horizon_target=100.0, limit=np.nan, tolerance=np.nan,
    )  # fmt: skip


def test_targets_against_direction_are_judged_against_the_direction():
    # Rule: no target measure is computed (the old rows said "target achieved", 108.8 % and a
    # distance of −125 %); the status follows Open SDG's rule without a target [OSDG].
    out = compute_progress(_frame(_trf01(1398, 95.0), _trf01(1399, 91.0)))
    for column in (
        "achievement_pct", "distance_covered_pct", "remaining_gap", "required_growth",
        "cagr_ratio", "current_status_index", "projected_horizon_value",
        "anticipated_progress_index", "pace_ratio",
    ):  # fmt: skip
        assert out[column].isna().all(), column
    assert (out["achievement_reason"] == "targets against direction").all()
    assert (out["status_reason"] == "targets against direction").all()
    assert (out["pace_status"] == "not_available").all()
    assert "target_achieved" not in set(out["status"])
    # hand: 1399 CAGR (91/96)^(1/3) − 1 = −0.017672; signed progress value −(−0.017672) =
    # +1.767 % ≥ 1.5 % → substantial; score 500·0.017672 − 5 = 3.8358 [OSDG] method 1
    assert out["observed_growth"].iloc[1] == pytest.approx(-0.017672, abs=5e-7)
    assert out["status"].iloc[1] == "substantial_progress"
    assert out["score"].iloc[1] == pytest.approx(3.8358, abs=5e-4)
    # hand: 1398 CAGR (95/96)^(1/2) − 1 = −0.005222 → +0.522 % ≥ 0.5 % → moderate;
    # score 250·0.005222 − 1.25 = 0.0555
    assert out["status"].iloc[0] == "moderate_progress"
    assert out["score"].iloc[0] == pytest.approx(0.0555, abs=5e-4)


def test_a_value_that_moved_against_the_direction_is_deterioration():
    # Rule (same): with targets against the direction, a rise of a decrease indicator is judged
    # as a rise: 96 → 99 in three years, CAGR +1.03 %, signed −1.03 % < 0 → deterioration.
    out = compute_progress(_frame(_trf01(1399, 99.0)))
    assert out["status"].iloc[0] == "deterioration"
    assert out["score"].iloc[0] < 0


def test_targets_with_the_direction_are_not_affected():
    # A decrease indicator aiming below its baseline keeps every target measure.
    out = compute_progress(_frame(dict(_trf01(1399, 91.0), target=90.0, horizon_target=85.0)))
    assert out["status_reason"].iloc[0] == ""
    assert out["distance_covered_pct"].iloc[0] == pytest.approx(100 * (91 - 96) / (85 - 96))


def test_untargeted_signed_progress_value_is_directed_observed_growth():
    # [OSDG] "Indicators without quantitative targets": the progress value is the CAGR turned
    # to the desired direction; planmon's observed_growth is the CAGR itself (unsigned).
    # hand: 20 → 19 over 2 years: CAGR (0.95)^(1/2) − 1 = −0.025321; for decrease the signed
    # value is +2.53 % ≥ 1.5 % (substantial); for increase −2.53 % < 0 (deterioration).
    base = dict(baseline_year=2020, baseline_value=20.0, year=2022, value=19.0)
    down = open_sdg_progress(direction="decrease", **base)
    up = open_sdg_progress(direction="increase", **base)
    assert float(down.observed_growth) == pytest.approx(-0.025321, abs=5e-7)
    assert float(up.observed_growth) == float(down.observed_growth)
    assert (str(down.status), str(up.status)) == ("substantial_progress", "deterioration")
