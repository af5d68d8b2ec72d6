"""Tests of planmon.content.interpret: each branch states the right facts and no unsupported claim."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from planmon.content.interpret import interpret_department, interpret_indicator
from planmon.core.exceptions import PlanmonError

NAN = float("nan")
LATIN_DIGIT = re.compile(r"[0-9]")
PERSIAN_DIGIT = re.compile(r"[۰-۹]")

EN = dict(lang="en", name="Urban green space per capita", unit="m² per capita")
FA = dict(lang="fa", name="سرانه فضای سبز شهری", unit="مترمربع")

# The running example of the brief: PRK01, baseline 12.4 (1396), 1398 target 13.5, 1401 target 14.5.
BASE = dict(
    year=1398,
    direction="increase",
    value=13.1,
    target=13.5,
    baseline_year=1396,
    baseline_value=12.4,
    horizon_year=1401,
    horizon_target=14.5,
    trend_slope=0.35,
    trend_reach_year=1402.3,
    trend_horizon_value=14.15,
    trend_low=13.8,
    trend_high=14.4,
    p_reach_target=0.05,
    n_points=3,
)


def row(**changes) -> dict:
    return {**BASE, **changes}


def assert_persian(text: str) -> None:
    assert not LATIN_DIGIT.search(text), f"Latin digit in Persian text: {text}"
    assert PERSIAN_DIGIT.search(text)


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


# ---------------------------------------------------------------------------------------------
# indicator branches
# ---------------------------------------------------------------------------------------------


def test_reached_after_the_horizon():
    text = interpret_indicator(row(), **EN)
    # hand calculation: 13.1 / 13.5 = 97.0 %; reach year 1402.3 -> first whole year 1403,
    # two years after the 1401 horizon
    assert "In 1398, Urban green space per capita stood at 13.1 m² per capita" in text
    assert "97% of the year's target of 13.5" in text
    assert "around 1403, two years after the 1401 horizon" in text
    assert "low (about 5%)" in text
    assert "uncertain" not in text and "already" not in text
    assert sentences(text) == 3

    fa = interpret_indicator(row(), **FA)
    assert_persian(fa)
    assert "۹۷ درصد هدف آن سال (۱۳٫۵ مترمربع)" in fa
    assert "حدود سال ۱۴۰۳" in fa and "دو سال پس از پایان برنامه در ۱۴۰۱" in fa


def test_reached_before_the_horizon():
    text = interpret_indicator(row(trend_reach_year=1399.6, p_reach_target=0.9), **EN)
    # hand calculation: ceil(1399.6) = 1400, one year before 1401
    assert "around 1400, one year before the 1401 horizon" in text
    assert "high (about 90%)" in text
    fa = interpret_indicator(row(trend_reach_year=1401.0, p_reach_target=0.9), **FA)
    assert_persian(fa)
    assert "حدود سال ۱۴۰۱" in fa and "همان سال پایان برنامه" in fa


def test_already_reached():
    text = interpret_indicator(row(value=14.8), **EN)
    assert "already reached the 1401 horizon target of 14.5" in text
    assert "around" not in text  # no reach-year forecast once reached
    fa = interpret_indicator(row(value=14.8), **FA)
    assert_persian(fa)
    assert "هم\u200cاکنون" in fa and "۱۴٫۵" in fa


def test_trend_line_past_the_target_but_value_short():
    text = interpret_indicator(row(trend_reach_year=1397.5), **EN)
    assert "fitted trend has already reached" in text
    assert "reported value has not" in text


def test_moving_away():
    text = interpret_indicator(row(trend_slope=-0.2, trend_reach_year=1405.0), **EN)
    assert "moves away from the 1401 horizon target of 14.5" in text
    assert "1405" not in text and "will be reached around" not in text
    fa = interpret_indicator(row(trend_slope=-0.2, trend_reach_year=NAN), **FA)
    assert_persian(fa)
    assert "دور می\u200cشود" in fa


def test_decrease_indicator_above_its_ceiling():
    r = row(
        direction="decrease",
        value=7.2,
        target=6.5,
        horizon_target=6.0,
        trend_slope=-0.3,
        trend_reach_year=1402.0,
    )
    text = interpret_indicator(r, lang="en", name="Mean fire response time", unit="minutes")
    # hand calculation: 7.2 / 6.5 - 1 = 10.77 % -> "10.8%" (one decimal from 10 up)
    assert "10.8% above the year's target of at most 6.5 minutes" in text
    assert "around 1402, one year after the 1401 horizon" in text
    met = interpret_indicator({**r, "value": 6.4}, lang="en", name="Response time", unit="min")
    assert "within the year's target of at most 6.5 min" in met


def test_no_target_never_mentions_a_target():
    r = row(target=NAN, horizon_target=NAN, horizon_year=NAN, p_reach_target=NAN)
    text = interpret_indicator(r, **EN)
    assert "target" not in text.lower()
    assert (
        "In 1398, Urban green space per capita stood at 13.1 m² per capita" in text
        and "12.4" in text
        and "1396" in text
    )
    assert "risen by about 0.35 m² per capita a year" in text
    fa = interpret_indicator(r, **FA)
    assert_persian(fa)
    assert "هدف" not in fa
    assert "۱۳٫۱" in fa and "۰٫۳۵" in fa


def test_too_few_points():
    text = interpret_indicator(row(n_points=2), **EN)
    assert "cannot be judged from only two reported values" in text
    assert "around 14" not in text and "chance" not in text
    fa = interpret_indicator(row(n_points=2), **FA)
    assert_persian(fa)
    assert "تنها دو مقدار" in fa and "نمی\u200cتوان" in fa
    # no target and too few points: still no word about a target
    bare = interpret_indicator(
        row(target=NAN, horizon_target=NAN, horizon_year=NAN, n_points=1), **FA
    )
    assert "هدف" not in bare and "یک مقدار" in bare


def test_no_reach_year_states_none():
    # Rule (issue 9 item 5): no reach year is stated when the measures give none.
    text = interpret_indicator(row(trend_reach_year=NAN, n_points=4), **EN)
    assert "no year of reaching" in text
    assert "around" not in text
    # without a value in the year the trend is not judged at all
    text = interpret_indicator(row(trend_reach_year=NAN, n_points=4, value=NAN), **EN)
    assert "cannot be judged" in text and "around" not in text


def test_uncertain_probability():
    text = interpret_indicator(row(p_reach_target=0.45), **EN)
    assert "This is uncertain" in text
    assert "about 45%" in text
    assert "from 13.8 to 14.4 m² per capita" in text
    fa = interpret_indicator(row(p_reach_target=0.45), **FA)
    assert_persian(fa)
    assert "قطعی نیست" in fa and "۴۵ درصد" in fa


def test_uncertain_interval_without_probability():
    # the 1401 interval 13.9–15.1 holds the 14.5 target on both sides
    r = row(p_reach_target=NAN, trend_low=13.9, trend_high=15.1)
    assert "uncertain" in interpret_indicator(r, **EN)
    narrow = row(p_reach_target=NAN, trend_low=13.6, trend_high=14.2)
    assert "uncertain" not in interpret_indicator(narrow, **EN)


def test_no_chance_sentence_once_the_horizon_has_come():
    text = interpret_indicator(row(year=1401, trend_reach_year=1403.2, p_reach_target=0.5), **EN)
    assert "chance" not in text and "uncertain" not in text
    assert "around 1404, three years after the 1401 horizon" in text


def test_missing_value():
    text = interpret_indicator(row(value=NAN), **EN)
    assert text.startswith("No value was reported for Urban green space per capita in 1398.")
    assert "13.1" not in text and "97%" not in text
    fa = interpret_indicator(row(value=NAN), **FA)
    assert_persian(fa)
    assert "گزارش نشده" in fa


def test_maintain_within_tolerance():
    r = row(
        direction="maintain", value=41.2, target=40, horizon_target=40, trend_horizon_value=40.5
    )
    text = interpret_indicator(r, lang="en", name="Share of budget", unit="%")
    # hand calculation: band 40 ± 5 % of 40 = 38–42; 41.2 and 40.5 are inside
    assert "within the tolerance band of 38–42% around the year's target of 40%" in text
    assert "about 40.5% in 1401, within the tolerance band" in text
    fa = interpret_indicator(r, lang="fa", name="سهم بودجه", unit="%")
    assert_persian(fa)
    assert "۳۸ تا ۴۲ درصد" in fa and "ماند" in fa


def test_maintain_outside_tolerance_and_row_tolerance_wins():
    r = row(direction="maintain", value=44, target=40, horizon_target=40, trend_horizon_value=43)
    text = interpret_indicator(r, lang="en", name="Share", unit="%")
    assert "above the tolerance band of 38–42%" in text
    assert "about 43% in 1401, outside the tolerance band" in text
    # hand calculation: with the row's tolerance 0.1 the band is 36–44, so 44 is inside
    wide = interpret_indicator({**r, "tolerance": 0.1}, lang="en", name="Share", unit="%")
    assert "within the tolerance band of 36–44%" in wide


def test_maintain_without_target_uses_the_baseline():
    r = row(
        direction="maintain",
        value=12.0,
        target=NAN,
        horizon_target=NAN,
        horizon_year=NAN,
        baseline_value=12.4,
    )
    text = interpret_indicator(r, **EN)
    assert "target" not in text.lower()
    # hand calculation: 12.4 ± 5 % = 11.78–13.02 -> "11.8 to 13 m² per capita"
    assert "within the tolerance band of 11.8 to 13 m² per capita around its 1396 baseline" in text


def test_calendar_label_and_bad_rows():
    text = interpret_indicator(row(), calendar="jalali", **EN)
    assert "In 1398 (Solar Hijri)" in text
    assert "Solar" not in interpret_indicator(row(), calendar="jalali", **FA)
    with pytest.raises(PlanmonError, match="direction"):
        interpret_indicator(row(direction="up"), **EN)
    with pytest.raises(PlanmonError, match="year"):
        interpret_indicator(row(year=NAN), **EN)


def test_works_on_a_scores_series():
    series = pd.Series(row(value=14.8))
    assert "already reached" in interpret_indicator(series, **EN)


# ---------------------------------------------------------------------------------------------
# department
# ---------------------------------------------------------------------------------------------

DEPT_ROW = dict(
    dept_id="parks",
    year=1398,
    n_indicators=14,
    n_with_value=12,
    conformity_pct=82.04,
    distance_covered_pct=40.0,
    progress_score=1.2,
    n_target_achieved=3,
    n_substantial_progress=5,
    n_moderate_progress=2,
    n_limited_progress=1,
    n_deterioration=1,
    n_not_available=2,
    coverage_pct=85.7,
    conformity_change=-4.23,
    previous_year=1397.0,
)
DEPT_SCORES = pd.DataFrame(
    {
        "indicator_id": ["a", "b", "c", "a"],
        "year": [1398, 1398, 1398, 1397],
        "achievement_pct": [62.0, 90.0, NAN, 5.0],
        "score": [1.0, 2.0, NAN, -3.0],
    }
)


def test_department_text():
    text = interpret_department(
        DEPT_ROW,
        DEPT_SCORES,
        lang="en",
        name="the Parks Organization",
        indicator_names={"a": "Tree cover"},
    )
    assert "In 1398 the weighted conformity of the Parks Organization" in text
    # 82.04 -> "82" (one decimal, trailing zero dropped); 4.23 -> two decimals below 10
    assert "was 82%, 4.23 percentage points lower than in 1397" in text
    # each status by its one label (core.vocabulary), in lower case inside the sentence
    assert "Of its 14 indicators: three target achieved, five substantial progress" in text
    assert "one deterioration, and two insufficient data" in text
    # 1397's 5 % for "a" is another year: the weakest in 1398 is "a" at 62 %
    assert "The weakest indicator is Tree cover, with 62% achievement" in text
    assert sentences(text) == 3


def test_department_text_in_persian():
    text = interpret_department(
        DEPT_ROW, DEPT_SCORES, lang="fa", name="سازمان پارک‌ها", indicator_names={"a": "پوشش درختی"}
    )
    assert_persian(text)
    assert "۸۲ درصد" in text and "۴٫۲۳ واحد درصد کمتر از سال ۱۳۹۷" in text
    # the chips' labels, not «پیشرفت اندک» / «غیرقابل ارزیابی»
    assert "سه مورد هدف محقق شده" in text and "یک مورد پیشرفت محدود" in text
    assert "دو مورد داده ناکافی" in text and "«پوشش درختی»" in text


def test_department_without_numbers_or_change():
    r = {**DEPT_ROW, "conformity_pct": NAN}
    r.pop("conformity_change")
    text = interpret_department(r, DEPT_SCORES.iloc[:1], lang="en", name="District 1")
    assert "cannot be computed" in text
    assert "0%" not in text and "percentage points" not in text
    assert "weakest" not in text  # one indicator with a figure is not a ranking


def test_department_all_met():
    scores = DEPT_SCORES.assign(achievement_pct=[100.0, 120.0, NAN, 5.0])
    text = interpret_department(DEPT_ROW, scores, lang="en", name="X")
    assert "Every indicator with a measurable achievement met its annual target." in text
    assert "weakest" not in text
