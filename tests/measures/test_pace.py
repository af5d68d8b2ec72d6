"""Tests of planmon.measures.pace: the pace ratio and the SDSN trend category.

Source [SDR]: Sachs, Lafortune et al., *Sustainable Development Report*, "Methods summary and
data tables", SDG Trend Dashboards (https://dashboards.sdgindex.org/chapters/methodology;
detailed method: Lafortune et al. 2018, *SDG Index and Dashboards – Detailed Methodological
Paper*): the observed linear pace since the baseline against the pace needed to reach the
target by the horizon — on track at or above the required pace; moderately improving above
50 % of it; stagnating between 0 and 50 %; decreasing when moving the wrong way; "maintaining
SDG achievement" once the target is met. No published worked example of the category was
found; the expected values below are hand calculations from that rule.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from planmon.measures.pace import MODERATE_PACE, PACE_STATUSES, pace_ratio, pace_status
from planmon.measures.progress import compute_progress

# baseline 50 in 2020, target 60 in 2025: the required pace is (60 − 50)/5 = 2 a year
SERIES = dict(direction="increase", baseline_year=2020, baseline_value=50.0, horizon_year=2025)


def category(value: float, year: int = 2022, target: float = 60.0, **overrides) -> str:
    args = {**SERIES, "year": year, "value": value, "horizon_target": target, **overrides}
    ratio, _ = pace_ratio(**args)
    return str(
        pace_status(direction=args["direction"], value=value, horizon_target=target, pace=ratio)
    )


@pytest.mark.parametrize(
    ("value", "expected", "hand"),
    [
        (54.0, "on_track", "(54 − 50)/2 = 2 a year = 100 % of the required pace → on track"),
        (56.0, "on_track", "3 a year = 150 % ≥ 100 %"),
        (53.0, "moderately_improving", "1.5 a year = 75 %, above 50 %"),
        (52.2, "moderately_improving", "1.1 a year = 55 %"),
        (52.0, "stagnating", "1 a year = exactly 50 %: not above 50 %, so stagnating"),
        (50.0, "stagnating", "no movement = 0 %: stagnating (0 to 50 %)"),
        (49.0, "decreasing", "−0.5 a year = −25 %: the wrong way"),
        (60.0, "achieved", "the value is at the target"),
        (61.0, "achieved", "beyond the target"),
    ],
)
def test_sdr_categories_on_an_increase_indicator(value, expected, hand):
    assert category(value) == expected, hand


def test_decrease_indicator_mirrors_increase():
    # Hand calculation: 20 → target 10 over 5 years needs −2 a year; 17 after 2 years is −1.5 a
    # year = 75 % (moderately improving); 21 is +0.5 a year, the wrong way (decreasing); 9.5 is
    # below the target (achieved).
    base = dict(direction="decrease", baseline_value=20.0)
    assert category(17.0, target=10.0, **base) == "moderately_improving"
    assert category(21.0, target=10.0, **base) == "decreasing"
    assert category(9.5, target=10.0, **base) == "achieved"


def test_no_pace_is_not_available():
    # Rule: without a pace (no target, no value, "maintain") the category is not_available.
    assert category(55.0, target=np.nan) == "not_available"
    assert category(np.nan) == "not_available"
    assert category(55.0, direction="maintain") == "not_available"


def test_thresholds_and_vocabulary():
    assert MODERATE_PACE == 0.5  # [SDR]: "more than 50 % of the required rate"
    assert PACE_STATUSES == (
        "achieved", "on_track", "moderately_improving", "stagnating", "decreasing",
        "not_available",
    )  # fmt: skip


def test_pace_status_column_of_compute_progress():
    rows = pd.DataFrame(
        {
            "direction": ["increase", "increase", "decrease"],
            "baseline_year": [2020, 2020, 2020],
            "baseline_value": [50.0, 50.0, 96.0],
            "year": [2022, 2022, 2022],
            "value": [53.0, 49.0, 91.0],
            "target": [54.0, 54.0, 98.0],
            "horizon_year": [2025.0, 2025.0, 2025.0],
            # the third: a decrease indicator aiming above its baseline (targets against it)
            "horizon_target": [60.0, 60.0, 100.0],
        }
    )
    out = compute_progress(rows)
    assert out["pace_ratio"].iloc[0] == pytest.approx(0.75)  # hand: 1.5 / 2
    assert out["pace_status"].tolist() == ["moderately_improving", "decreasing", "not_available"]
