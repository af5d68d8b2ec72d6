"""Tests for planmon.measures.trend: hand calculations, and the closed form against statsmodels."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import planmon
from planmon.core.exceptions import PlanmonError
from planmon.measures.trend import (
    TREND_COLUMNS,
    TREND_REASONS,
    fit_trend_statsmodels,
    project_trends,
)

NUMERIC = [c for c in TREND_COLUMNS if c not in ("trend_reason", "trend_truncated")]


def one_series(years, values, horizon_year, target, direction):
    """Run both implementations on one series and return (closed form row, statsmodels dict)."""
    points = pd.DataFrame({"series": 0, "year": years, "value": np.asarray(values, dtype=float)})
    horizons = pd.DataFrame(
        {"horizon_year": [horizon_year], "horizon_target": [target], "direction": [direction]},
        index=pd.Index([0], name="series"),
    )
    fast = project_trends(points, horizons).loc[0]
    ref = fit_trend_statsmodels(years, values, horizon_year, target, direction)
    return fast, ref


def assert_same(fast, ref):
    for column in NUMERIC:
        np.testing.assert_allclose(fast[column], ref[column], rtol=1e-9, err_msg=column)
    assert fast["trend_reason"] == ref["trend_reason"]
    assert fast["trend_truncated"] == ref["trend_truncated"]


def test_hand_calculation_three_points_increase():
    # Hand calculation: years 1396, 1397, 1398; values 10, 12, 15; horizon 1401, target 20.
    #   x̄ = 1397, ȳ = 37/3; dx = −1, 0, 1 so Sxx = 2, Sxy = −10 + 15 = 5, slope = 5/2 = 2.5.
    #   fitted 59/6, 37/3, 89/6 → residuals 1/6, −1/3, 1/6 → SSE = 6/36 = 1/6, s² = SSE/(n−2) = 1/6.
    #   ŷ(1401) = 37/3 + 2.5·4 = 67/3.
    #   se² = s²·(1 + 1/n + (h − x̄)²/Sxx) = (1/6)(1 + 1/3 + 16/2) = 14/9 → se = √14/3.
    #   With 1 df, t is the Cauchy law: quantile tan(π(q − ½)), cdf ½ + atan(t)/π
    #   (Student's t special case ν = 1, e.g. Wikipedia "Student's t-distribution").
    #   t(0.975, 1) = tan(0.475π) = 12.7062…; interval 67/3 ± 12.7062·√14/3 = [6.4859, 38.1808].
    #   p = P(Y ≥ 20) = F₁((67/3 − 20)/se) = F₁(7/√14) = ½ + atan(√14/2)/π = 0.84375.
    #   Reach year: 1397 + (20 − 37/3)/2.5 = 1397 + 46/15 = 1400.0667.
    se = math.sqrt(14) / 3
    t975 = math.tan(0.475 * math.pi)
    expected = {
        "trend_horizon_value": 67 / 3,
        "trend_low": 67 / 3 - t975 * se,
        "trend_high": 67 / 3 + t975 * se,
        "p_reach_target": 0.5 + math.atan(math.sqrt(14) / 2) / math.pi,
        "trend_slope": 2.5,
        "n_points": 3,
        "trend_reach_year": 1397 + 46 / 15,
    }
    fast, ref = one_series([1396, 1397, 1398], [10, 12, 15], 1401, 20.0, "increase")
    for column, value in expected.items():
        assert fast[column] == pytest.approx(value, rel=1e-12), column
        assert ref[column] == pytest.approx(value, rel=1e-10), column
    assert fast["trend_low"] == pytest.approx(6.485912, abs=1e-6)  # same hand calculation
    assert fast["trend_high"] == pytest.approx(38.180755, abs=1e-6)
    assert fast["trend_reason"] == ref["trend_reason"] == "ok"


def test_hand_calculation_four_points_decrease():
    # Hand calculation: years 1396–1399; values 20, 18, 17, 14; horizon 1401, target 10, decrease.
    #   x̄ = 1397.5, dx = −1.5, −0.5, 0.5, 1.5 → Sxx = 5; ȳ = 17.25;
    #   Sxy = Σdx·y = −30 − 9 + 8.5 + 21 = −9.5 → slope = −1.9.
    #   fitted 20.1, 18.2, 16.3, 14.4 → residuals −0.1, −0.2, 0.7, −0.4 → SSE = 0.70, s² = 0.35.
    #   ŷ(1401) = 17.25 − 1.9·3.5 = 10.6; se² = 0.35·(1 + 1/4 + 3.5²/5) = 0.35·3.7 = 1.295.
    #   With 2 df, t has closed forms (Student's t special case ν = 2):
    #   cdf F₂(t) = ½ + t / (2√(2 + t²)); quantile (2q − 1)·√(2 / (4q(1 − q)))
    #   → t(0.975, 2) = 4.30265.
    #   p = P(Y ≤ 10) = F₂((10 − 10.6)/se) = F₂(−0.52725) = 0.32533.
    #   Reach year: 1397.5 + (10 − 17.25)/(−1.9) = 1401.3158 (after the horizon).
    se = math.sqrt(1.295)
    t975 = 0.95 * math.sqrt(2 / (4 * 0.975 * 0.025))
    z = -0.6 / se
    expected = {
        "trend_horizon_value": 10.6,
        "trend_low": 10.6 - t975 * se,
        "trend_high": 10.6 + t975 * se,
        "p_reach_target": 0.5 + z / (2 * math.sqrt(2 + z * z)),
        "trend_slope": -1.9,
        "n_points": 4,
        "trend_reach_year": 1397.5 + 7.25 / 1.9,
    }
    fast, ref = one_series([1396, 1397, 1398, 1399], [20, 18, 17, 14], 1401, 10.0, "decrease")
    for column, value in expected.items():
        assert fast[column] == pytest.approx(value, rel=1e-12), column
        assert ref[column] == pytest.approx(value, rel=1e-10), column
    assert t975 == pytest.approx(4.302653, abs=1e-6)  # t table, ν = 2, two-sided 95 %
    assert fast["p_reach_target"] == pytest.approx(0.32533, abs=1e-5)  # hand calculation above


def random_series(rng, count):
    """Random plan-like series: 2–7 points, gaps, blanks, both calendars, all directions."""
    rows, horizons = [], []
    for key in range(count):
        size = int(rng.integers(2, 8))
        first = 1390 if rng.random() < 0.7 else 2015
        years = np.sort(rng.choice(np.arange(first, first + 12), size=size, replace=False))
        level, slope = rng.normal(50, 40), rng.normal(0, 5)
        values = level + slope * (years - first) + rng.normal(0, rng.choice([0.1, 2.0, 10.0]), size)
        if rng.random() < 0.05:  # exact line with integer values (zero residuals)
            values = np.round(level) + 3.0 * (years - first)
        values[rng.random(size) < 0.1] = np.nan  # blanks; may leave 0 or 1 point
        rows.append(pd.DataFrame({"series": key, "year": years, "value": values}))
        horizon = float(first + 13) if rng.random() > 0.03 else np.nan
        observed = values[~np.isnan(values)]
        target = observed.mean() + rng.normal(0, 30) if observed.size else 50.0
        if rng.random() < 0.1:
            target = np.nan
        direction = rng.choice(["increase", "decrease", "maintain"], p=[0.5, 0.4, 0.1])
        horizons.append((key, horizon, target, direction))
    points = pd.concat(rows, ignore_index=True)
    points = points.sample(frac=1.0, random_state=1)  # order of rows must not matter
    frame = pd.DataFrame(
        horizons, columns=["series", "horizon_year", "horizon_target", "direction"]
    ).set_index("series")
    return points, frame


def test_matches_statsmodels_on_random_series():
    rng = np.random.default_rng(20240501)
    points, horizons = random_series(rng, 400)
    fast = project_trends(points, horizons)
    assert list(fast.columns) == list(TREND_COLUMNS)
    assert fast.index.equals(horizons.index)
    by_series = dict(tuple(points.groupby("series")))
    reference = []
    for key, row in horizons.iterrows():
        series = by_series[key]
        reference.append(
            fit_trend_statsmodels(
                series["year"].to_numpy(),
                series["value"].to_numpy(),
                row["horizon_year"],
                row["horizon_target"],
                row["direction"],
            )
        )
    ref = pd.DataFrame(reference, index=horizons.index)
    for column in NUMERIC:
        np.testing.assert_allclose(
            fast[column].to_numpy(dtype=float),
            ref[column].to_numpy(dtype=float),
            rtol=1e-9,
            atol=1e-12,
            err_msg=column,
        )
    assert (fast["trend_reason"] == ref["trend_reason"]).all()
    # the sample really covers the cases it is meant to
    fit_codes = set(fast["trend_reason"].str.split(";").str[0])
    assert {"ok", "two_points", "one_point", "perfect_fit"} <= fit_codes
    assert fast["p_reach_target"].notna().sum() > 200


def test_two_points_give_a_line_but_no_interval():
    # Hand calculation: (1396, 10), (1398, 14) → slope 4/2 = 2; ŷ(1401) = 14 + 2·3 = 20;
    # the line would meet target 22 at 1398 + (22 − 14)/2 = 1402, but rule: no reach year is
    # stated from fewer than three points (no measure of the line's uncertainty).
    fast, ref = one_series([1396, 1398], [10, 14], 1401, 22.0, "increase")
    assert_same(fast, ref)
    assert fast["trend_slope"] == 2.0
    assert fast["trend_horizon_value"] == 20.0
    assert np.isnan(fast["trend_reach_year"])
    assert np.isnan([fast["trend_low"], fast["trend_high"], fast["p_reach_target"]]).all()
    assert fast["n_points"] == 2
    assert fast["trend_reason"] == "two_points"


@pytest.mark.parametrize(
    ("years", "values", "n", "reason"),
    [
        ([1396], [10.0], 1, "one_point"),
        ([1396, 1397], [10.0, np.nan], 1, "one_point"),
        ([1397, 1398], [np.nan, np.nan], 0, "no_data"),
        ([1397, 1397], [5.0, 6.0], 2, "single_year"),
    ],
)
def test_without_a_line_everything_is_nan(years, values, n, reason):
    fast, ref = one_series(years, values, 1401, 20.0, "increase")
    assert_same(fast, ref)
    assert np.isnan(fast[[c for c in NUMERIC if c != "n_points"]].to_numpy(dtype=float)).all()
    assert fast["n_points"] == n
    assert fast["trend_reason"] == reason


@pytest.mark.parametrize(
    ("target", "direction", "p"),
    [
        (11.0, "increase", 1.0),  # the line ends exactly on the target: reached
        (12.0, "increase", 0.0),
        (10.0, "increase", 1.0),
        (12.0, "decrease", 1.0),
        (11.0, "decrease", 1.0),
        (10.0, "decrease", 0.0),
    ],
)
def test_perfect_fit_collapses_interval(target, direction, p):
    # Hand calculation: 1, 3, 5, 7 in 1396–1399 lie on y = 1 + 2·(year − 1396): ŷ(1401) = 11.
    fast, ref = one_series([1396, 1397, 1398, 1399], [1, 3, 5, 7], 1401, target, direction)
    assert_same(fast, ref)
    assert fast["trend_horizon_value"] == pytest.approx(11.0, rel=1e-14)
    assert fast["trend_low"] == fast["trend_high"] == fast["trend_horizon_value"]
    assert fast["p_reach_target"] == p
    assert fast["trend_reason"] == "perfect_fit"


def test_perfect_fit_with_non_integer_values():
    # values 0.1·k on a line: rounding leaves residuals of ~1e-17, still a perfect fit;
    # ŷ(1401) = 0.1 + 0.1·5 = 0.6 < 0.7 (hand calculation) so an increase target of 0.7 fails.
    years = [1396, 1397, 1398, 1399]
    fast, ref = one_series(years, [0.1, 0.2, 0.3, 0.4], 1401, 0.7, "increase")
    assert fast["trend_reason"] == ref["trend_reason"] == "perfect_fit"
    assert fast["p_reach_target"] == ref["p_reach_target"] == 0.0
    assert fast["trend_horizon_value"] == pytest.approx(0.6, rel=1e-12)


def test_decrease_probability_mirrors_increase():
    # P(Y ≤ t) for decrease equals 1 − P(Y ≥ t) for increase (continuous t predictive law).
    years, values = [1396, 1397, 1398, 1400], [30.0, 27.0, 26.5, 21.0]
    up, _ = one_series(years, values, 1401, 22.0, "increase")
    down, ref = one_series(years, values, 1401, 22.0, "decrease")
    assert_same(down, ref)
    assert down["p_reach_target"] == pytest.approx(1 - up["p_reach_target"], rel=1e-12)
    assert down["trend_reach_year"] < 1401  # falling fast enough: reached before the horizon
    assert np.isnan(up["trend_reach_year"])  # moving away from an increase target


def test_no_target_and_maintain_keep_the_projection():
    years, values = [1396, 1397, 1398], [10.0, 12.0, 15.0]
    base, _ = one_series(years, values, 1401, 20.0, "increase")
    for target, direction, reason in [
        (np.nan, "increase", "ok; no_target"),
        (20.0, "maintain", "ok; maintain"),
    ]:
        fast, ref = one_series(years, values, 1401, target, direction)
        assert_same(fast, ref)
        assert fast["trend_reason"] == reason
        assert np.isnan(fast["p_reach_target"]) and np.isnan(fast["trend_reach_year"])
        for column in ("trend_horizon_value", "trend_low", "trend_high", "trend_slope"):
            assert fast[column] == base[column]


def test_no_horizon_year():
    fast, ref = one_series([1396, 1397, 1398], [10.0, 12.0, 15.0], np.nan, np.nan, "increase")
    assert_same(fast, ref)
    assert fast["trend_slope"] == 2.5  # hand calculation in the three-point test
    columns = ["trend_horizon_value", "trend_low", "p_reach_target"]
    assert np.isnan(fast[columns].to_numpy(dtype=float)).all()
    assert fast["trend_reason"] == "ok; no_horizon"


def test_flat_line_never_reaches():
    # Hand calculation: 5, 6, 5, 6 in 1396–1399 → Sxy = −1.5·5 − 0.5·6 + 0.5·5 + 1.5·6 = 1 ≠ 0;
    # 5, 6, 6, 5 → Sxy = −7.5 − 3 + 3 + 7.5 = 0, slope exactly 0 → no reach year.
    fast, ref = one_series([1396, 1397, 1398, 1399], [5.0, 6.0, 6.0, 5.0], 1401, 8.0, "increase")
    assert_same(fast, ref)
    assert fast["trend_slope"] == 0.0
    assert np.isnan(fast["trend_reach_year"])
    assert 0 < fast["p_reach_target"] < 0.5


def test_gaps_and_blanks_use_the_year_as_regressor():
    # Hand calculation: (1396, 10), (1399, 16), (1400, 18); the 1397 blank is dropped.
    #   x̄ = 1398.333…, dx = −7/3, 2/3, 5/3 → Sxx = (49 + 4 + 25)/9 = 26/3;
    #   Sxy = Σdx·y = (−70 + 32 + 90)/3 = 52/3 → slope = 2 exactly (the points are on a line).
    fast, ref = one_series(
        [1396, 1397, 1399, 1400], [10.0, np.nan, 16.0, 18.0], 1401, 19, "increase"
    )
    assert_same(fast, ref)
    assert fast["n_points"] == 3
    assert fast["trend_slope"] == pytest.approx(2.0, rel=1e-13)
    assert fast["trend_reach_year"] == pytest.approx(1400.5, rel=1e-13)


def test_gregorian_years_keep_precision():
    # Small scatter on a large level far from year 0 is where uncentred sums lose digits.
    rng = np.random.default_rng(7)
    years = np.arange(2019, 2026)
    values = 1e6 + 0.5 * (years - 2019) + rng.normal(0, 1e-3, years.size)
    fast, ref = one_series(years, values, 2030, 1e6 + 5.0, "increase")
    assert_same(fast, ref)
    assert fast["trend_reason"] == "ok"


def test_frame_contract_with_string_keys():
    points = pd.DataFrame(
        {
            "series": ["b", "a", "b", "a", "a", "b"],
            "year": [1397, 1396, 1396, 1397, 1398, 1398],
            "value": [12.0, 20.0, 10.0, 18.0, 17.0, 15.0],
        }
    )
    horizons = pd.DataFrame(
        {
            "horizon_year": [1401.0, 1401.0, 1401.0],
            "horizon_target": [20.0, 10.0, 5.0],
            "direction": ["increase", "decrease", "decrease"],
        },
        index=pd.Index(["b", "a", "c"], name="series"),
    )
    out = project_trends(points, horizons)
    assert out.index.tolist() == ["b", "a", "c"]
    assert out.loc["b", "trend_slope"] == 2.5  # series b is the three-point hand calculation
    assert out.loc["c", "trend_reason"] == "no_data"
    assert out["n_points"].tolist() == [3, 3, 0]
    assert out["n_points"].dtype == np.int64
    assert set(out["trend_reason"]) <= {
        f"{a}; {b}" for a in TREND_REASONS for b in TREND_REASONS
    } | set(TREND_REASONS)


def test_errors_are_planmon_errors():
    points = pd.DataFrame({"series": [1, 1, 2], "year": [1396, 1397, 1396], "value": [1.0, 2, 3]})
    horizons = pd.DataFrame(
        {"horizon_year": [1401.0], "horizon_target": [5.0], "direction": ["increase"]},
        index=pd.Index([1], name="series"),
    )
    with pytest.raises(PlanmonError, match=r"series \[2\]"):
        project_trends(points, horizons)
    with pytest.raises(PlanmonError, match="repeated"):
        project_trends(points, pd.concat([horizons, horizons]))
    with pytest.raises(PlanmonError, match="lacks column"):
        project_trends(points.drop(columns="year"), horizons)
    bad_direction = horizons.assign(direction="up")
    with pytest.raises(PlanmonError, match="'up'"):
        project_trends(points[points["series"] == 1], bad_direction)
    no_year = points[points["series"] == 1].assign(year=[1396.0, np.nan])
    with pytest.raises(PlanmonError, match="no year"):
        project_trends(no_year, horizons)
    with pytest.raises(PlanmonError, match="direction"):
        fit_trend_statsmodels([1396, 1397], [1.0, 2.0], 1401, 5.0, "sideways")
    with pytest.raises(PlanmonError, match="finite year"):
        fit_trend_statsmodels([1396, np.nan], [1.0, 2.0], 1401, 5.0, "increase")
    with pytest.raises(PlanmonError, match="infinite"):
        project_trends(points[points["series"] == 1].assign(value=[1.0, np.inf]), horizons)
    with pytest.raises(PlanmonError, match="one year per value"):
        fit_trend_statsmodels([1396, 1397], [1.0], 1401, 5.0, "increase")


# ---------------------------------------------------------------------------------------------
# natural bounds (censored prediction) and the reach-year rules (planmon.measures.trend)
# ---------------------------------------------------------------------------------------------


def series_with(years, values, horizon_year, target, direction, **extra):
    """Both implementations with extra horizons columns / keyword arguments."""
    points = pd.DataFrame({"series": 0, "year": years, "value": np.asarray(values, dtype=float)})
    columns = {"horizon_year": [horizon_year], "horizon_target": [target], "direction": [direction]}
    window = extra.pop("reach_window", 5)
    columns.update({k: [v] for k, v in extra.items()})
    horizons = pd.DataFrame(columns, index=pd.Index([0], name="series"))
    fast = project_trends(points, horizons, reach_window=window).loc[0]
    ref = fit_trend_statsmodels(
        years, values, horizon_year, target, direction, reach_window=window, **extra
    )
    return fast, ref


def test_the_line_is_censored_at_zero_for_a_quantity_that_cannot_be_negative():
    # Hand calculation: 0.5, 0.35, 0.25, 0.1 m² per capita in 1396–1399: x̄ = 1397.5, Sxx = 5,
    # ȳ = 0.3, Sxy = −0.75 − 0.175 + 0.125 + 0.15 = −0.65 → slope −0.13; ŷ(1401) = 0.3 − 0.13·3.5
    # = −0.155 m² per capita, impossible. SSE = 0.0005, s² = 0.00025, se² = 0.00025·3.7,
    # t(0.975, 2) = 4.302653 → raw interval −0.155 ± 0.13086 = [−0.2859, −0.0241].
    # Rule: the censored law's quantiles are the clipped ones, so all three become 0.
    years, values = [1396, 1397, 1398, 1399], [0.5, 0.35, 0.25, 0.1]
    raw, _ = one_series(years, values, 1401, 0.6, "increase")
    assert raw["trend_horizon_value"] == pytest.approx(-0.155)
    assert raw["trend_high"] == pytest.approx(
        -0.155 + 4.302653 * math.sqrt(0.00025 * 3.7), abs=1e-6
    )
    fast, ref = series_with(years, values, 1401, 0.6, "increase", natural_min=0.0)
    assert_same(fast, ref)
    assert fast["trend_horizon_value"] == fast["trend_low"] == fast["trend_high"] == 0.0
    assert fast["trend_truncated"] and not raw["trend_truncated"]
    # the probability of a target inside the bounds is the same under censoring
    assert fast["p_reach_target"] == raw["p_reach_target"]
    assert fast["trend_slope"] == raw["trend_slope"] == pytest.approx(-0.13)


def test_only_the_side_beyond_a_bound_is_cut():
    # A share rising 60, 75, 88 % (1396–1398): slope 14, ŷ(1401) = 74.33 + 14·4 = 130.3 %.
    years, values = [1396, 1397, 1398], [60.0, 75.0, 88.0]
    raw, _ = one_series(years, values, 1401, 95.0, "increase")
    fast, ref = series_with(
        years, values, 1401, 95.0, "increase", natural_min=0.0, natural_max=100.0
    )
    assert_same(fast, ref)
    assert raw["trend_horizon_value"] == pytest.approx(223 / 3 + 14 * 4)  # hand: 130.33
    assert fast["trend_horizon_value"] == 100.0 and fast["trend_high"] == 100.0
    assert fast["trend_low"] == pytest.approx(min(raw["trend_low"], 100.0))
    assert fast["trend_truncated"]


def test_a_target_beyond_the_bounds_is_never_reached():
    # Hand: 90, 95, 100 % in 1396–1398, slope 5: the line would meet 105 % in 1399, but a share
    # cannot exceed 100 %: p = 0 and no reach year (code target_out_of_bounds).
    fast, ref = series_with(
        [1396, 1397, 1398], [90.0, 95.0, 100.0], 1401, 105.0, "increase", natural_max=100.0
    )
    assert_same(fast, ref)
    assert fast["p_reach_target"] == 0.0
    assert np.isnan(fast["trend_reach_year"])
    assert fast["trend_reason"] == "perfect_fit; target_out_of_bounds"


def test_a_target_the_bounds_guarantee_is_reached():
    # A decrease target of 100 % for a share: every outcome is ≤ 100, so p = 1.
    fast, _ = series_with(
        [1396, 1397, 1398], [40.0, 55.0, 50.0], 1401, 100.0, "decrease", natural_max=100.0
    )
    assert fast["p_reach_target"] == 1.0


def test_no_reach_year_beyond_the_window():
    # Hand: 10, 12, 15 (1396–1398), slope 2.5, x̄ = 1397, ȳ = 37/3; target 40 is met at
    # 1397 + (40 − 37/3)/2.5 = 1408.07: more than 5 years after the 1401 horizon.
    years, values = [1396, 1397, 1398], [10.0, 12.0, 15.0]
    fast, ref = series_with(years, values, 1401, 40.0, "increase")
    assert_same(fast, ref)
    assert np.isnan(fast["trend_reach_year"])
    assert fast["trend_reason"] == "ok; beyond_window"
    wide, _ = series_with(years, values, 1401, 40.0, "increase", reach_window=10)
    assert wide["trend_reach_year"] == pytest.approx(1397 + (40 - 37 / 3) / 2.5)
    with pytest.raises(PlanmonError, match="at most|between 0 and 10"):
        series_with(years, values, 1401, 40.0, "increase", reach_window=11)


def test_no_reach_year_without_a_value_in_the_report_year():
    # Rule: the 1399 row of a series whose last point is 1398 states no reach year ("stale").
    years, values = [1396, 1397, 1398], [10.0, 12.0, 15.0]
    fast, ref = series_with(years, values, 1401, 20.0, "increase", report_year=1399.0)
    assert_same(fast, ref)
    assert np.isnan(fast["trend_reach_year"]) and fast["trend_reason"] == "ok; stale"
    current, _ = series_with(years, values, 1401, 20.0, "increase", report_year=1398.0)
    assert current["trend_reach_year"] == pytest.approx(1397 + 46 / 15)  # as in the first test


def test_targets_against_the_direction_give_no_probability_nor_reach_year():
    years, values = [1396, 1397, 1398, 1399], [96.0, 94.0, 95.0, 91.0]  # the sample's TRF01
    fast, ref = series_with(years, values, 1401, 100.0, "decrease", targets_against_direction=True)
    assert_same(fast, ref)
    assert fast["trend_reason"] == "ok; against_direction"
    assert np.isnan(fast["p_reach_target"]) and np.isnan(fast["trend_reach_year"])
    # hand: x̄ = 1397.5, Sxy = −1.5·96 − 0.5·94 + 0.5·95 + 1.5·91 = −7 → slope −7/5 = −1.4
    assert fast["trend_slope"] == pytest.approx(-1.4)


def test_sample_projections_respect_bounds_and_reach_rules():
    plan = planmon.load()
    s = plan.scores()
    for column in ("trend_horizon_value", "trend_low", "trend_high", "projected_horizon_value"):
        v = s[column]
        assert (v.isna() | (v >= s["natural_min"].fillna(-np.inf))).all(), column
        assert (v.isna() | (v <= s["natural_max"].fillna(np.inf))).all(), column
    reach = s["trend_reach_year"]
    assert (reach.isna() | (reach <= s["horizon_year"] + 5)).all()
    assert reach[s["value"].isna()].isna().all()  # no value in the report year
    assert reach[s["n_points"] < 3].isna().all()  # too few points
    assert (s["trend_low"] <= s["trend_high"]).where(s["trend_low"].notna(), True).all()
