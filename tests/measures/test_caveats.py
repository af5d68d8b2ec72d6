"""Tests of planmon.measures.caveats and the ``caveats`` column of the scores frame.

Rules (module docstring of planmon.measures.caveats): a target that moves against the
direction from the previous target (the first from the baseline) gives
``targets_against_direction``; a maintain indicator whose every step moves one way (at least
two steps) gives ``maintain_targets_trend``; validation's caveats frame is merged in; the
column lists the codes of planmon.core.vocabulary.CAVEATS in that order, ``;``-separated.
"""

from __future__ import annotations

import doctest

import numpy as np
import pandas as pd
import pytest

import planmon
import planmon.measures.caveats as caveats_module
from planmon.core.exceptions import PlanmonError
from planmon.core.vocabulary import CAVEATS
from planmon.measures.caveats import caveat_column, target_path_caveats
from planmon.measures.scores import compute_scores


def test_docstring_examples():
    assert doctest.testmod(caveats_module).failed == 0


def plan(rows):
    ind = pd.DataFrame(
        [(i, d, b) for i, d, b, _ in rows],
        columns=["indicator_id", "direction", "baseline_value"],
    )
    tgt = pd.DataFrame(
        [(i, year, t) for i, _, _, path in rows for year, t in path.items()],
        columns=["indicator_id", "year", "target"],
    )
    return ind, tgt


def test_target_paths():
    ind, tgt = plan(
        [
            ("UP_OK", "increase", 10.0, {1397: 11.0, 1398: 12.0}),
            ("UP_DIP", "increase", 10.0, {1397: 12.0, 1398: 11.0}),  # 12 → 11 moves down
            ("UP_FIRST", "increase", 10.0, {1397: 9.0, 1398: 12.0}),  # below the baseline
            ("DOWN_UP", "decrease", 96.0, {1397: 97.0}),  # like the sample's TRF01
            ("FLAT", "decrease", 5.0, {1397: 5.0, 1398: 5.0}),  # flat steps are not against
            ("KEEP_UP", "maintain", 50.0, {1397: 51.0, 1398: 52.0}),  # every step up
            ("KEEP_MIX", "maintain", 50.0, {1397: 51.0, 1398: 50.0}),
            ("KEEP_ONE", "maintain", 50.0, {1397: 52.0}),  # a single step is not a trend
        ]
    )
    found = target_path_caveats(ind, tgt)
    codes = dict(zip(found["indicator_id"], found["code"], strict=True))
    assert codes == {
        "UP_DIP": "targets_against_direction",
        "UP_FIRST": "targets_against_direction",
        "DOWN_UP": "targets_against_direction",
        "KEEP_UP": "maintain_targets_trend",
    }
    assert found["year"].isna().all()  # every year


def test_column_merges_orders_and_dates_caveats():
    ids = pd.Series(["A", "A", "B", "C"])
    years = pd.Series([1398, 1399, 1399, 1399])
    given = pd.DataFrame(
        {
            "indicator_id": ["A", "A", "B", "B"],
            "year": [1399, np.nan, 1399, 1399],
            "code": ["jump", "targets_against_direction", "outside_0_100", "outside_0_100"],
        }
    )
    own = pd.DataFrame({"indicator_id": ["A"], "year": [pd.NA], "code": ["no_targets"]})
    out = caveat_column(ids, years, [given, own, None])
    # A every year: targets_against_direction, no_targets; in 1399 also jump. Order: CAVEATS.
    order = list(CAVEATS)
    a1399 = sorted(["targets_against_direction", "jump", "no_targets"], key=order.index)
    assert out.tolist() == [
        "targets_against_direction;no_targets",
        ";".join(a1399),
        "outside_0_100",
        "",
    ]


def test_unknown_codes_and_missing_columns_are_refused():
    ids, years = pd.Series(["A"]), pd.Series([1399])
    with pytest.raises(PlanmonError, match="unknown caveat code 'odd'"):
        caveat_column(
            ids, years, [pd.DataFrame({"indicator_id": ["A"], "year": [1], "code": ["odd"]})]
        )
    with pytest.raises(PlanmonError, match="lacks column"):
        caveat_column(ids, years, [pd.DataFrame({"indicator_id": ["A"], "code": ["jump"]})])


def test_scores_frame_carries_validation_caveats(tiny_path):
    p = planmon.load(tiny_path)
    given = pd.DataFrame({"indicator_id": ["SRV01"], "year": [1398], "code": ["jump"]})
    s = compute_scores(p.indicators, p.targets, p.actuals, p.report_years, caveats=given)
    srv = s[s["indicator_id"] == "SRV01"].set_index("year")["caveats"]
    assert srv.to_dict() == {1397: "", 1398: "jump"}
    assert (s.loc[s["indicator_id"] != "SRV01", "caveats"] == "").all()


def test_sample_trf01_carries_its_caveat_and_is_no_silent_success():
    # The sample's TRF01 (accidents, decrease, targets rising 97 → 100 from a baseline of 96)
    # was reported as «هدف محقق شده» (target achieved) with a distance of −125 %.
    s = planmon.load().scores()
    trf = s[s["indicator_id"] == "TRF01"]
    assert (trf["caveats"] == "targets_against_direction").all()
    assert "target_achieved" not in set(trf["status"])
    assert trf["distance_covered_pct"].isna().all() and trf["achievement_pct"].isna().all()
    assert (trf["status_reason"] == "targets against direction").all()
    # FIN01's 1399 target dips (37 → 35) against its increase direction: caveat only
    fin = s[s["indicator_id"] == "FIN01"]
    assert (fin["caveats"] == "targets_against_direction").all()
    assert fin["distance_covered_pct"].notna().any()
