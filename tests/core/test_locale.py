"""Tests of planmon.core.locale: how numbers and years are written in Persian and English."""

from __future__ import annotations

import pytest

from planmon.core.exceptions import PlanmonError
from planmon.core.locale import format_number, format_percent, format_tick, format_year

NAN = float("nan")


# ---------------------------------------------------------------------------------------------
# number formatting
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "x, en, fa",
    [
        (13.14, "13.1", "۱۳٫۱"),
        (0.012345, "0.0123", "۰٫۰۱۲۳"),
        (97.04, "97", "۹۷"),  # 97.0 to three significant digits, trailing zero dropped
        (512.6, "513", "۵۱۳"),
        (999.7, "1,000", "۱٬۰۰۰"),  # rounds up into the grouped range
        (1234567.8, "1,234,568", "۱٬۲۳۴٬۵۶۸"),
        (-2.5, "-2.5", "−۲٫۵"),
        (0, "0", "۰"),
        (NAN, "—", "—"),
        (None, "—", "—"),
    ],
)
def test_format_number(x, en, fa):
    assert format_number(x, "en") == en
    assert format_number(x, "fa") == fa


def test_format_year_and_percent():
    assert format_year(1398, "fa") == "۱۳۹۸"
    assert format_year(2021.0, "en") == "2021"  # no thousands separator in a year
    assert format_year(NAN, "en") == "—"
    assert format_percent(97.04, "en") == "97%"
    assert format_percent(5.26, "fa") == "۵٫۳٪"
    with pytest.raises(PlanmonError):
        format_number(1.0, "de")


def test_format_tick_hand_examples():
    assert format_tick(1234.5, "fa", decimals=1, percent=True) == "۱٬۲۳۴٫۵٪"
    assert format_tick(1234.5, "en", decimals=1, percent=True) == "1,234.5%"
    assert format_tick(-0.04, "en", decimals=1) == "0.0"
    assert format_tick(float("nan"), "fa") == "–"
