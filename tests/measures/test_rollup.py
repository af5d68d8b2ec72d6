"""Tests of planmon.measures.rollup: every expected figure is a hand calculation shown beside it."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import planmon
from planmon.cli.app import app
from planmon.core.exceptions import PlanmonError
from planmon.measures.rollup import (
    DEFAULT_PROVISIONAL_BELOW,
    PROVISIONAL_SETTING,
    STATUSES,
    change_against_previous,
    plan_weights,
    rollup,
)

NAN = float("nan")


def scores_frame(rows: list[dict]) -> pd.DataFrame:
    """A scores frame with the columns rollup reads; unspecified numbers are NaN."""
    defaults = {
        "year": 1398,
        "value": 1.0,
        "achievement_pct": NAN,
        "distance_covered_pct": NAN,
        "score": NAN,
        "status": None,
    }
    return pd.DataFrame([{**defaults, **r} for r in rows])


def indicators_frame(rows: list[tuple[str, str, str, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["indicator_id", "dept_id", "goal_id", "weight"])


def goals_frame(rows: list[tuple[str, str | None, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["goal_id", "parent_id", "weight"])


def one(frame: pd.DataFrame, **keys) -> pd.Series:
    mask = np.ones(len(frame), dtype=bool)
    for k, v in keys.items():
        mask &= (frame[k] == v).to_numpy()
    assert mask.sum() == 1, f"expected one row for {keys}, found {mask.sum()}"
    return frame.loc[mask].iloc[0]


# ---------------------------------------------------------------------------------------------
# department level
# ---------------------------------------------------------------------------------------------


def test_department_weighted_means_by_indicator_weight():
    scores = scores_frame(
        [
            dict(indicator_id="a", achievement_pct=80, distance_covered_pct=60, score=2.0),
            dict(indicator_id="b", achievement_pct=50, distance_covered_pct=30, score=-1.0),
        ]
    )
    ind = indicators_frame([("a", "parks", "G1", 2.0), ("b", "parks", "G1", 1.0)])
    out = rollup(scores, ind, None, "department")
    assert list(out.columns[:2]) == ["dept_id", "year"]
    row = one(out, dept_id="parks", year=1398)
    # hand calculation: (2*80 + 1*50)/3 = 70
    assert row["conformity_pct"] == pytest.approx(70.0)
    # hand calculation: (2*60 + 1*30)/3 = 50
    assert row["distance_covered_pct"] == pytest.approx(50.0)
    # hand calculation: (2*2 + 1*(-1))/3 = 1
    assert row["progress_score"] == pytest.approx(1.0)
    assert row["n_indicators"] == 2
    assert row["n_with_value"] == 2
    assert row["coverage_pct"] == pytest.approx(100.0)


def test_caps_stop_over_achievement_hiding_a_shortfall():
    scores = scores_frame(
        [
            dict(indicator_id="a", achievement_pct=300, distance_covered_pct=250),
            dict(indicator_id="b", achievement_pct=0, distance_covered_pct=-400),
        ]
    )
    ind = indicators_frame([("a", "d", "G", 1.0), ("b", "d", "G", 1.0)])
    row = rollup(scores, ind, None, "department").iloc[0]
    # hand calculation: capped (100 + 0)/2 = 50; uncapped would claim (300 + 0)/2 = 150
    assert row["conformity_pct"] == pytest.approx(50.0)
    # hand calculation: bounded (100 + (-100))/2 = 0
    assert row["distance_covered_pct"] == pytest.approx(0.0)


def test_regression_is_kept_negative_down_to_minus_100():
    scores = scores_frame(
        [
            dict(indicator_id="a", distance_covered_pct=-40),
            dict(indicator_id="b", distance_covered_pct=20),
        ]
    )
    ind = indicators_frame([("a", "d", "G", 1.0), ("b", "d", "G", 1.0)])
    row = rollup(scores, ind, None, "department").iloc[0]
    # hand calculation: (-40 + 20)/2 = -10 (a floor at 0 would give (0 + 20)/2 = 10)
    assert row["distance_covered_pct"] == pytest.approx(-10.0)


def test_missing_numbers_are_left_out_and_weights_renormalised():
    scores = scores_frame(
        [
            dict(indicator_id="a", achievement_pct=80, status="moderate_progress"),
            dict(indicator_id="b", value=NAN, achievement_pct=NAN, status=None),
            dict(indicator_id="c", achievement_pct=60, status="limited_progress"),
        ]
    )
    ind = indicators_frame([("a", "d", "G", 2.0), ("b", "d", "G", 5.0), ("c", "d", "G", 1.0)])
    row = rollup(scores, ind, None, "department").iloc[0]
    # hand calculation: b (weight 5) has no number, so (2*80 + 1*60)/(2 + 1) = 73.33…
    assert row["conformity_pct"] == pytest.approx(220 / 3)
    assert row["n_indicators"] == 3
    assert row["n_with_value"] == 2
    # hand calculation: coverage is the share of the weight with a value, (2 + 1)/(2 + 5 + 1)
    # = 37.5 % (2 of 3 indicators, but the missing one carries 5 of the 8 weight units)
    assert row["coverage_pct"] == pytest.approx(37.5)
    assert row["provisional"]  # 37.5 < 80
    assert row["n_not_available"] == 1  # the blank status counts as not available


def test_unit_without_numbers_gets_nan_not_zero():
    scores = scores_frame(
        [
            dict(indicator_id="a", value=NAN, status="not_available"),
            dict(indicator_id="b", value=NAN, status="not_available"),
            dict(indicator_id="c", achievement_pct=90, distance_covered_pct=10, score=1.0),
        ]
    )
    ind = indicators_frame([("a", "empty", "G", 1.0), ("b", "empty", "G", 1.0), ("c", "x", "G", 1)])
    out = rollup(scores, ind, None, "department")
    empty = one(out, dept_id="empty")
    assert math.isnan(empty["conformity_pct"])
    assert math.isnan(empty["distance_covered_pct"])
    assert math.isnan(empty["progress_score"])
    assert empty["coverage_pct"] == 0.0
    assert empty["n_not_available"] == 2
    assert one(out, dept_id="x")["conformity_pct"] == pytest.approx(90.0)


def test_status_counts_per_unit_and_year():
    statuses = [
        "target_achieved",
        "target_achieved",
        "substantial_progress",
        "moderate_progress",
        "limited_progress",
        "deterioration",
        "not_available",
        None,
    ]
    scores = scores_frame(
        [dict(indicator_id=f"i{k}", status=s) for k, s in enumerate(statuses)]
        + [dict(indicator_id="i0", year=1399, status="deterioration")]
    )
    ind = indicators_frame([(f"i{k}", "d", "G", 1.0) for k in range(len(statuses))])
    out = rollup(scores, ind, None, "department")
    row = one(out, year=1398)
    # hand count of the list above
    assert row["n_target_achieved"] == 2
    assert row["n_substantial_progress"] == 1
    assert row["n_moderate_progress"] == 1
    assert row["n_limited_progress"] == 1
    assert row["n_deterioration"] == 1
    assert row["n_not_available"] == 2  # "not_available" and blank
    assert sum(row[f"n_{s}"] for s in STATUSES) == row["n_indicators"] == 8
    later = one(out, year=1399)
    assert later["n_indicators"] == 1 and later["n_deterioration"] == 1


def test_blank_weight_counts_as_one():
    scores = scores_frame(
        [dict(indicator_id="a", achievement_pct=100), dict(indicator_id="b", achievement_pct=40)]
    )
    ind = indicators_frame([("a", "d", "G", NAN), ("b", "d", "G", 2.0)])
    row = rollup(scores, ind, None, "department").iloc[0]
    # hand calculation: (1*100 + 2*40)/3 = 60
    assert row["conformity_pct"] == pytest.approx(60.0)


# ---------------------------------------------------------------------------------------------
# goal tree and plan
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def tree():
    goals = goals_frame(
        [
            ("G1", None, 2.0),
            ("G2", None, 1.0),
            ("G1_1", "G1", 1.0),
            ("G1_2", "G1", 3.0),
            ("G2_1", "G2", 1.0),
        ]
    )
    ind = indicators_frame(
        [
            ("i1", "parks", "G1_1", 1.0),
            ("i2", "parks", "G1_1", 1.0),
            ("i3", "fire", "G1_2", 1.0),
            ("i4", "fire", "G2_1", 1.0),
            ("i5", "parks", "G2", 2.0),  # attached directly to a macro goal
        ]
    )
    scores = scores_frame(
        [
            dict(indicator_id="i1", achievement_pct=100, status="target_achieved"),
            dict(indicator_id="i2", achievement_pct=50, status="limited_progress"),
            dict(indicator_id="i3", achievement_pct=40, status="deterioration"),
            dict(indicator_id="i4", achievement_pct=90, status="substantial_progress"),
            dict(indicator_id="i5", achievement_pct=30, status="deterioration"),
        ]
    )
    return scores, ind, goals


def test_goal_tree_uses_goal_weights(tree):
    scores, ind, goals = tree
    out = rollup(scores, ind, goals, "goal")
    assert list(out.columns[:5]) == ["goal_id", "year", "goal_level", "parent_id", "depth"]
    # hand calculation: G1_1 = (100 + 50)/2 = 75; G1_2 = 40
    assert one(out, goal_id="G1_1")["conformity_pct"] == pytest.approx(75.0)
    assert one(out, goal_id="G1_2")["conformity_pct"] == pytest.approx(40.0)
    g1 = one(out, goal_id="G1")
    # hand calculation: G1 = (1*75 + 3*40)/(1 + 3) = 48.75
    # (weighting the three indicators equally would give (100 + 50 + 40)/3 = 63.3)
    assert g1["conformity_pct"] == pytest.approx(48.75)
    assert g1["goal_level"] == "macro" and pd.isna(g1["parent_id"]) and g1["depth"] == 0
    assert g1["n_indicators"] == 3
    assert g1["n_target_achieved"] == 1 and g1["n_deterioration"] == 1
    micro = one(out, goal_id="G1_2")
    assert micro["goal_level"] == "micro" and micro["parent_id"] == "G1" and micro["depth"] == 1
    # hand calculation: G2 = (1*90 [micro goal G2_1, goal weight 1] + 2*30 [i5, indicator
    # weight 2])/(1 + 2) = 50
    assert one(out, goal_id="G2")["conformity_pct"] == pytest.approx(50.0)
    assert one(out, goal_id="G2")["n_indicators"] == 2


def test_plan_level_weights_macro_goals(tree):
    scores, ind, goals = tree
    out = rollup(scores, ind, goals, "plan")
    assert list(out.columns[:1]) == ["year"]
    row = out.iloc[0]
    # hand calculation: (2*48.75 + 1*50)/(2 + 1) = 49.1667
    assert row["conformity_pct"] == pytest.approx(147.5 / 3)
    assert row["n_indicators"] == 5
    assert row["n_deterioration"] == 2


def test_micro_goal_without_numbers_drops_out(tree):
    scores, ind, goals = tree
    scores.loc[scores["indicator_id"] == "i3", ["value", "achievement_pct"]] = NAN
    out = rollup(scores, ind, goals, "goal")
    assert math.isnan(one(out, goal_id="G1_2")["conformity_pct"])
    # hand calculation: only G1_1 (75) has a number, so G1 = 1*75/1 = 75, not (75 + 3*0)/4
    assert one(out, goal_id="G1")["conformity_pct"] == pytest.approx(75.0)
    assert one(out, goal_id="G1")["n_with_value"] == 2


def test_deeper_tree_rolls_up_from_the_leaves():
    goals = goals_frame(
        [
            ("R", None, 1.0),
            ("M1", "R", 1.0),
            ("M2", "R", 3.0),
            ("L1", "M1", 1.0),
            ("L2", "M1", 1.0),
        ]
    )
    ind = indicators_frame([("x", "d", "L1", 1), ("y", "d", "L2", 1), ("z", "d", "M2", 1)])
    scores = scores_frame(
        [
            dict(indicator_id="x", achievement_pct=20),
            dict(indicator_id="y", achievement_pct=80),
            dict(indicator_id="z", achievement_pct=60),
        ]
    )
    out = rollup(scores, ind, goals, "goal")
    # hand calculation: M1 = (20 + 80)/2 = 50; M2 = 60; R = (1*50 + 3*60)/4 = 57.5
    assert one(out, goal_id="M1")["conformity_pct"] == pytest.approx(50.0)
    assert one(out, goal_id="R")["conformity_pct"] == pytest.approx(57.5)
    assert one(out, goal_id="L1")["depth"] == 2
    assert one(out, goal_id="R")["n_indicators"] == 3
    plan = rollup(scores, ind, goals, "plan").iloc[0]
    assert plan["conformity_pct"] == pytest.approx(57.5)


def test_goal_cycle_is_refused_not_looped():
    goals = goals_frame([("A", "B", 1.0), ("B", "A", 1.0)])
    ind = indicators_frame([("x", "d", "A", 1.0)])
    scores = scores_frame([dict(indicator_id="x", achievement_pct=50)])
    with pytest.raises(PlanmonError, match="cycle"):
        rollup(scores, ind, goals, "goal")


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda s, i, g: (s.assign(status="great"), i, g), "unknown status"),
        (lambda s, i, g: (s.assign(indicator_id="zz"), i, g), "not in the indicators"),
        (lambda s, i, g: (s, i.assign(weight=-1.0), g), "weights must be"),
        (lambda s, i, g: (s, i.assign(goal_id="nope"), g), "not in the goals"),
        (lambda s, i, g: (pd.concat([s, s.iloc[:1]]), i, g), "two rows"),
        (lambda s, i, g: (s.drop(columns="score"), i, g), "lacks column"),
    ],
)
def test_bad_input_is_refused(tree, change, message):
    scores, ind, goals = change(*tree)
    with pytest.raises(PlanmonError, match=message):
        rollup(scores, ind, goals, "goal")


def test_goal_level_needs_goals(tree):
    scores, ind, _ = tree
    with pytest.raises(PlanmonError, match="goals frame"):
        rollup(scores, ind, None, "plan")


# ---------------------------------------------------------------------------------------------
# change against the previous year
# ---------------------------------------------------------------------------------------------


def test_change_against_previous_year():
    scores = scores_frame(
        [
            dict(indicator_id="a", year=1397, achievement_pct=60, score=1.0),
            dict(indicator_id="a", year=1398, achievement_pct=75, score=0.5),
            dict(indicator_id="a", year=1399, achievement_pct=NAN, score=2.0),
            dict(indicator_id="b", year=1398, achievement_pct=40, score=-1.0),
        ]
    )
    ind = indicators_frame([("a", "d1", "G", 1.0), ("b", "d2", "G", 1.0)])
    out = change_against_previous(rollup(scores, ind, None, "department"), "dept_id")
    first = one(out, dept_id="d1", year=1397)
    assert math.isnan(first["conformity_change"]) and pd.isna(first["previous_year"])
    second = one(out, dept_id="d1", year=1398)
    # hand calculation: 75 - 60 = +15 points; 0.5 - 1.0 = -0.5
    assert second["conformity_change"] == pytest.approx(15.0)
    assert second["score_change"] == pytest.approx(-0.5)
    assert second["previous_year"] == 1397
    third = one(out, dept_id="d1", year=1399)
    assert math.isnan(third["conformity_change"])  # no conformity in 1399
    assert third["score_change"] == pytest.approx(1.5)  # hand calculation: 2.0 - 0.5
    # d2's first year is not compared with d1's
    assert math.isnan(one(out, dept_id="d2")["conformity_change"])


def test_change_against_previous_at_plan_level(tree):
    scores, ind, goals = tree
    later = scores.assign(year=1399, achievement_pct=scores["achievement_pct"] - 10)
    plan = rollup(pd.concat([scores, later], ignore_index=True), ind, goals, "plan")
    out = change_against_previous(plan, None)
    # hand calculation: every indicator -10 points and all stay within 0-100, so every
    # weighted mean (weights sum to one at each level) falls by exactly 10
    assert one(out, year=1399)["conformity_change"] == pytest.approx(-10.0)
    assert math.isnan(one(out, year=1398)["conformity_change"])


# ---------------------------------------------------------------------------------------------
# one rule for every level: department × macro goal, departments, coverage by weight
# ---------------------------------------------------------------------------------------------


def test_department_goal_cells_and_departments_follow_the_tree(tree):
    # Rule (module docstring): a unit's figure is the weighted mean down the goal tree pruned
    # to the unit's indicators; a department is the macro-weighted mean of its cells.
    scores, ind, goals = tree
    cells = rollup(scores, ind, goals, "department-goal")
    assert list(cells.columns[:3]) == ["dept_id", "goal_id", "year"]
    # hand: parks × G1 = G1_1 = (100 + 50)/2 = 75; parks × G2 = i5 = 30;
    # fire × G1 = G1_2 = 40; fire × G2 = G2_1 = 90
    expected = {("parks", "G1"): 75.0, ("parks", "G2"): 30.0, ("fire", "G1"): 40.0,
                ("fire", "G2"): 90.0}  # fmt: skip
    for (dept, goal), value in expected.items():
        assert one(cells, dept_id=dept, goal_id=goal)["conformity_pct"] == pytest.approx(value)
    depts = rollup(scores, ind, goals, "department")
    # hand: parks = (2·75 + 1·30)/(2 + 1) = 60; fire = (2·40 + 1·90)/3 = 56.667
    # (a flat mean of the indicators would give parks (100 + 50 + 2·30)/4 = 52.5)
    assert one(depts, dept_id="parks")["conformity_pct"] == pytest.approx(60.0)
    assert one(depts, dept_id="fire")["conformity_pct"] == pytest.approx(170 / 3)
    assert one(cells, dept_id="parks", goal_id="G2")["n_indicators"] == 1


def test_coverage_is_the_share_of_the_weight_with_a_value(tree):
    scores, ind, goals = tree
    scores.loc[scores["indicator_id"] == "i2", ["value", "achievement_pct"]] = NAN
    # hand: i2 carries 2/3 (G1) · 1/4 (G1_1 in G1) · 1/2 (i2 in G1_1) = 1/12 of the plan
    assert plan_weights(ind, goals)["i2"] == pytest.approx(1 / 12)
    plan = rollup(scores, ind, goals, "plan").iloc[0]
    assert plan["coverage_pct"] == pytest.approx(100 * 11 / 12)  # 91.67 % ≥ 80: final
    assert not plan["provisional"]
    depts = rollup(scores, ind, goals, "department")
    parks = one(depts, dept_id="parks")
    # hand: parks × G1 covers 1 of G1_1's 2 equal weights = 50 %; parks × G2 = 100 %;
    # parks = (2·50 + 1·100)/3 = 66.67 % < 80 % → provisional, hence no rank
    assert parks["coverage_pct"] == pytest.approx(200 / 3)
    assert parks["provisional"] and np.isnan(parks["rank"])
    assert parks["conformity_pct"] == pytest.approx((2 * 100 + 30) / 3)  # G1 cell = i1 = 100
    assert parks["plan_weight_pct"] == pytest.approx(100 * (2 / 3 * 1 / 4 + 1 / 3 * 2 / 3))


def test_plan_weights_sum_to_one_and_follow_the_shares(tree):
    _, ind, goals = tree
    w = plan_weights(ind, goals)
    # hand: i1 = i2 = 2/3·1/4·1/2 = 1/12; i3 = 2/3·3/4 = 1/2; i4 = 1/3·1/3 = 1/9; i5 = 1/3·2/3
    assert w.to_dict() == pytest.approx(
        {"i1": 1 / 12, "i2": 1 / 12, "i3": 1 / 2, "i4": 1 / 9, "i5": 2 / 9}
    )
    assert w.sum() == pytest.approx(1.0)


def test_provisional_threshold_is_a_parameter(tree):
    scores, ind, goals = tree
    scores.loc[scores["indicator_id"] == "i3", ["value", "achievement_pct"]] = NAN
    # hand: i3 carries 1/2 of the plan: coverage 50 %
    assert rollup(scores, ind, goals, "plan")["provisional"].item()
    assert not rollup(scores, ind, goals, "plan", provisional_below=50)["provisional"].item()
    with pytest.raises(PlanmonError, match="between 0 and 100"):
        rollup(scores, ind, goals, "plan", provisional_below=120)
    with pytest.raises(PlanmonError, match="unknown roll-up level"):
        rollup(scores, ind, goals, "city")


def test_default_threshold_follows_the_sdr_missing_data_rule():
    # [SDR] no SDG Index score or rank for a country missing data on more than 20 % of the
    # indicators (https://dashboards.sdgindex.org/chapters/methodology) → provisional below 80 %.
    assert DEFAULT_PROVISIONAL_BELOW == 80.0
    assert PROVISIONAL_SETTING == "provisional_below_pct"


# ---------------------------------------------------------------------------------------------
# reports received and ranks
# ---------------------------------------------------------------------------------------------


def ranking_case():
    # d1, d2 tie at 2.0; d3 1.0; d4 sent nothing; d5 half its weight blank; d6 sent a file
    # with every value blank
    rows = [
        dict(indicator_id="a", score=2.0),
        dict(indicator_id="b", score=2.0),
        dict(indicator_id="c", score=1.0),
        dict(indicator_id="d", value=NAN, score=NAN),
        dict(indicator_id="e1", score=4.0),
        dict(indicator_id="e2", value=NAN, score=NAN),
        dict(indicator_id="f", value=NAN, score=NAN),
    ]
    depts = {"a": "d1", "b": "d2", "c": "d3", "d": "d4", "e1": "d5", "e2": "d5", "f": "d6"}
    ind = indicators_frame([(i, d, "G", 1.0) for i, d in depts.items()])
    reports = pd.DataFrame({"dept_id": ["d1", "d2", "d3", "d5", "d6"], "year": 1398})
    return scores_frame(rows), ind, reports


def test_ranks_only_reported_complete_departments_and_ties_share_the_best_rank():
    scores, ind, reports = ranking_case()
    out = rollup(scores, ind, None, "department", reports=reports).set_index("dept_id")
    # Rule: rank 1 = best progress score over the departments that reported and are not
    # provisional; ties share the best rank (competition ranking 1, 1, 3).
    assert out["rank"].to_dict() == pytest.approx(
        {"d1": 1.0, "d2": 1.0, "d3": 3.0, "d4": NAN, "d5": NAN, "d6": NAN}, nan_ok=True
    )
    assert (out["n_ranked"] == 3).all()
    assert out["reported"].to_dict() == {
        "d1": True, "d2": True, "d3": True, "d4": False, "d5": True, "d6": True,
    }  # fmt: skip
    assert out.loc["d5", "provisional"] and out.loc["d5", "coverage_pct"] == 50.0
    assert out.loc["d6", "coverage_pct"] == 0.0  # a file with nothing in it


def test_reported_without_a_reports_frame_means_a_value_is_there():
    scores, ind, _ = ranking_case()
    out = rollup(scores, ind, None, "department").set_index("dept_id")
    assert not out.loc["d4", "reported"] and not out.loc["d6", "reported"]
    assert out.loc["d5", "reported"]


def test_plan_and_goal_levels_count_departments_reported(tree):
    scores, ind, goals = tree
    reports = pd.DataFrame({"dept_id": ["parks"], "year": [1398]})
    plan = rollup(scores, ind, goals, "plan", reports=reports).iloc[0]
    assert (plan["n_departments"], plan["n_departments_reported"]) == (2, 1)
    g = rollup(scores, ind, goals, "goal", reports=reports)
    assert one(g, goal_id="G1_2")[["n_departments", "n_departments_reported"]].tolist() == [1, 0]
    assert one(g, goal_id="G1")["n_departments"] == 2


# ---------------------------------------------------------------------------------------------
# provisional years are not compared
# ---------------------------------------------------------------------------------------------


def test_a_change_involving_a_provisional_year_is_not_comparable():
    scores = scores_frame(
        [
            dict(indicator_id="a", year=1397, achievement_pct=60, score=1.0),
            dict(indicator_id="b", year=1397, achievement_pct=60, score=1.0),
            dict(indicator_id="a", year=1398, achievement_pct=90, score=3.0),
            dict(indicator_id="b", year=1398, value=NAN),
            dict(indicator_id="a", year=1399, achievement_pct=80, score=2.0),
            dict(indicator_id="b", year=1399, achievement_pct=70, score=1.0),
            dict(indicator_id="a", year=1400, achievement_pct=70, score=1.5),
            dict(indicator_id="b", year=1400, achievement_pct=70, score=1.5),
        ]
    )
    ind = indicators_frame([("a", "d", "G", 1.0), ("b", "d", "G", 1.0)])
    out = change_against_previous(rollup(scores, ind, None, "department"), "dept_id")
    by_year = out.set_index("year")
    # 1398 covers 50 % (provisional): its "+30 points" against 1397 is no gain, and 1399 is
    # not compared with it either; 1400 against 1399 is: 70 − 75 = −5 points (hand).
    assert by_year["change_comparable"].to_dict() == {
        1397: False, 1398: False, 1399: False, 1400: True,
    }  # fmt: skip
    assert by_year.loc[[1398, 1399], ["conformity_change", "score_change"]].isna().all().all()
    assert by_year.loc[1400, "conformity_change"] == pytest.approx(-5.0)
    assert by_year.loc[1399, "previous_year"] == 1398


def test_plan_rollup_reads_the_threshold_from_the_plan_settings(tiny_path):
    plan = planmon.load(tiny_path)
    # tiny 1398: district_2's D2_02 blank → district_2 covers 50 % of its weight
    d2 = one(plan.rollup("department", year=1398), dept_id="district_2")
    assert d2["provisional"] and np.isnan(d2["rank"])
    plan.meta[PROVISIONAL_SETTING] = "40"
    d2 = one(plan.rollup("department", year=1398), dept_id="district_2")
    assert not d2["provisional"] and d2["rank"] == 3  # hand: scores 4.96, 1.71, −2.98


def test_department_goal_level_from_the_cli(tiny_path):
    result = CliRunner().invoke(
        app,
        ["scores", str(tiny_path), "--level", "department-goal", "--year", "1398"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "department-goal scores (3 rows" in result.output
    assert "district_2" in result.output and "G1" in result.output


# ---------------------------------------------------------------------------------------------
# the sample, and the sample with one department's 1400 report
# ---------------------------------------------------------------------------------------------


def test_sample_trf01_is_left_out_of_conformity_not_counted_as_a_success():
    plan = planmon.load()
    scores = plan.scores(year=1399)
    with_trf = one(plan.rollup("department", year=1399), dept_id="transport")
    without = rollup(
        scores[scores["indicator_id"] != "TRF01"], plan.indicators, plan.goals, "department"
    )
    # Rule: TRF01 has no conformity or distance (targets against the direction), so the
    # department's conformity and distance are those of its other indicators ...
    assert with_trf["conformity_pct"] == pytest.approx(
        one(without, dept_id="transport")["conformity_pct"]
    )
    # ... while its reported value still counts in the coverage
    assert with_trf["n_with_value"] == one(without, dept_id="transport")["n_with_value"] + 1


def test_a_year_with_one_department_reported_is_provisional(tmp_path):
    import shutil

    from planmon.core import config

    folder = tmp_path / "qazvin"
    shutil.copytree(config.SAMPLE_PLAN, folder)
    base = planmon.load(folder)
    parks = base.indicators.loc[base.indicators["dept_id"] == "parks", "indicator_id"]
    last = base.actuals[base.actuals["year"] == 1399].set_index("indicator_id")["value"]
    (folder / "reports" / "1400").mkdir()
    pd.DataFrame({"indicator_id": parks, "value": last.reindex(parks).to_numpy()}).to_csv(
        folder / "reports" / "1400" / "parks.csv", index=False
    )
    plan = planmon.load(folder)
    year = one(plan.rollup("plan"), year=1400)
    assert year["provisional"] and year["coverage_pct"] < 20
    assert (year["n_departments"], year["n_departments_reported"]) == (14, 1)
    depts = plan.rollup("department", year=1400).set_index("dept_id")
    assert depts["reported"].sum() == 1 and depts.loc["parks", "reported"]
    # only parks is ranked; the 13 departments that sent nothing get no rank
    assert depts["rank"].notna().sum() == 1 and depts.loc["parks", "rank"] == 1
    assert (depts.drop(index="parks")["coverage_pct"] == 0).all()
    change = change_against_previous(plan.rollup("plan"), None).set_index("year")
    assert not change.loc[1400, "change_comparable"]
    assert np.isnan(change.loc[1400, "conformity_change"])  # no "+10.7" for 1400


@pytest.mark.parametrize("level", ["department", "goal", "department-goal", "plan"])
def test_no_scores_give_an_empty_frame_with_every_column(tree, level):
    # Rule: a plan with no report yet has roll-ups with no rows, not an error.
    scores, ind, goals = tree
    empty = rollup(scores.iloc[:0], ind, goals, level)
    assert len(empty) == 0
    assert list(empty.columns) == list(rollup(scores, ind, goals, level).columns)
