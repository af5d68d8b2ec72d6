"""Tests of planmon.core.goals, the one goal tree. Each rule is stated beside its test."""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import planmon.core.goals as goals_module
from planmon.core.exceptions import PlanmonError
from planmon.core.goals import GoalTreeError, goal_tree, goal_tree_findings, macro_goal_of


def frame(rows: list[tuple[str, object]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["goal_id", "parent_id"])


def test_docstring_examples():
    assert doctest.testmod(goals_module).failed == 0


def test_parents_depths_and_macro_goals_of_a_three_level_tree():
    # Rule: a blank parent_id (None, NaN or "") makes a macro goal; depth counts the steps up.
    goals = frame(
        [
            ("G1", None),
            ("G2", np.nan),
            ("G1_1", "G1"),
            ("G1_1a", "G1_1"),
            ("G2_1", "G2"),
            ("G3", ""),
        ]
    )
    tree = goal_tree(goals)
    assert tree.depth.tolist() == [0, 0, 1, 2, 1, 0]
    assert tree.is_macro.tolist() == [True, True, False, False, False, True]
    assert tree.macro_goal_of() == {
        "G1": "G1", "G2": "G2", "G1_1": "G1", "G1_1a": "G1", "G2_1": "G2", "G3": "G3",
    }  # fmt: skip
    assert tree.parent_of()["G1_1a"] == "G1_1" and tree.parent_of()["G1"] is None
    assert [tree.ids[k] for k in tree.ancestors(3)] == ["G1_1a", "G1_1", "G1"]
    assert macro_goal_of(goals) == tree.macro_goal_of()


def test_ids_are_compared_as_cleaned_text():
    # Rule: ids are text; numbers read from Excel (1.0) and stray spaces name the same goal.
    goals = pd.DataFrame({"goal_id": [1, "2"], "parent_id": [None, " 1 "]})
    assert goal_tree(goals).macro_goal_of() == {"1": "1", "2": "1"}


def test_orphan_is_refused_with_the_parent_named():
    goals = frame([("G1", None), ("G1_1", "G9")])
    with pytest.raises(GoalTreeError, match=r"goal 'G1_1' has parent 'G9', which is not a goal"):
        goal_tree(goals)
    (finding,) = goal_tree_findings(goals)
    assert (finding.kind, finding.goal_id, finding.position, finding.detail) == (
        "orphan", "G1_1", 1, "G9",
    )  # fmt: skip


def test_cycles_are_refused_once_each_with_their_path():
    # Rule: a goal that is its own ancestor is a cycle; each cycle is reported once, named by
    # its first goal in the plan's order, and the walk always ends (no infinite loop).
    goals = frame([("A", "C"), ("B", "A"), ("C", "B"), ("D", None), ("E", "E"), ("F", "A")])
    findings = goal_tree_findings(goals)
    assert [(f.kind, f.goal_id, f.detail) for f in findings] == [
        ("cycle", "A", "A → C → B → A"),
        ("cycle", "E", "E → E"),
    ]
    with pytest.raises(PlanmonError, match="cycle"):
        goal_tree(goals)


def test_duplicates_and_missing_ids_are_refused():
    with pytest.raises(GoalTreeError, match="appears twice"):
        goal_tree(frame([("G1", None), ("G1", None)]))
    with pytest.raises(GoalTreeError, match="no goal_id"):
        goal_tree(frame([("G1", None), (None, "G1")]))
    with pytest.raises(GoalTreeError, match="lacks column"):
        goal_tree(pd.DataFrame({"goal_id": ["G1"]}))


def test_positions_of_unknown_goals_are_refused():
    tree = goal_tree(frame([("G1", None), ("G1_1", "G1")]))
    assert tree.positions(["G1_1", "G1"]).tolist() == [1, 0]
    with pytest.raises(GoalTreeError, match="'G7' is not in the goals table"):
        tree.positions(["G7"])
