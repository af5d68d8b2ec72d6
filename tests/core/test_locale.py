"""Tests of planmon.core.locale: how numbers and years are written in Persian and English.

The rules are stated in the module's docstring; every expected value below is worked by hand
from them. The Persian minus is CLDR 48's ``fa`` minusSign, U+200E LRM + U+2212 MINUS SIGN
(what ``new Intl.NumberFormat("fa-IR").format(-2.5)`` returns: "\u200e−۲٫۵").
"""

from __future__ import annotations

import pytest

from planmon.core.exceptions import PlanmonError
from planmon.core.locale import (
    LANGS,
    MINUS,
    MISSING,
    check_lang,
    format_fixed,
    format_number,
    format_percent,
    format_year,
    tick_decimals,
)

NAN = float("nan")
LRM_MINUS = "\u200e\u2212"


@pytest.mark.parametrize(
    "x, en, fa",
    [
        # |x| >= 100: no decimals, thousands grouped
        (512.6, "513", "۵۱۳"),
        (1234567.8, "1,234,568", "۱٬۲۳۴٬۵۶۸"),
        (999.7, "1,000", "۱٬۰۰۰"),
        # 10 <= |x| < 100: at most one decimal
        (13.14, "13.1", "۱۳٫۱"),
        (97.04, "97", "۹۷"),  # 97.0 -> trailing zero dropped
        (99.96, "100", "۱۰۰"),  # rounds up into the next class: written by its rule
        # 1 <= |x| < 10: at most two decimals
        (2.345, "2.35", "۲٫۳۵"),  # the float 2.345 is 2.34500000000000019...
        (4.2, "4.2", "۴٫۲"),
        (9.996, "10", "۱۰"),
        # |x| < 1: two significant digits
        (0.0594, "0.059", "۰٫۰۵۹"),  # the issue's «۰٫۰۵۹۴» in a sentence
        (0.144, "0.14", "۰٫۱۴"),
        (0.996, "1", "۱"),
        (0.0996, "0.1", "۰٫۱"),
        # signs, zero, missing
        (-2.5, "-2.5", LRM_MINUS + "۲٫۵"),
        (-0.144, "-0.14", LRM_MINUS + "۰٫۱۴"),
        (-0.0, "0", "۰"),
        (0, "0", "۰"),
        (float("inf"), "∞", "∞"),
        (NAN, MISSING, MISSING),
        (None, MISSING, MISSING),
        ("n/a", MISSING, MISSING),
    ],
)
def test_format_number_precision_by_magnitude(x, en, fa):
    assert format_number(x, "en") == en
    assert format_number(x, "fa") == fa


def test_interval_bounds_follow_the_same_rule():
    # The "بین −۰٫۱۴۴ و ۰٫۴۹": bounds below 1 get two significant digits.
    assert format_number(-0.144, "fa") == LRM_MINUS + "۰٫۱۴"
    assert format_number(0.49, "fa") == "۰٫۴۹"
    # and a bus share of 36.53 % one decimal: «۳۶٫۵»
    assert format_number(36.53, "fa") == "۳۶٫۵"


def test_format_percent():
    assert format_percent(97.04, "en") == "97%"
    assert format_percent(92.857, "en") == "92.9%"  # 13 / 14
    assert format_percent(5.26, "fa") == "۵٫۲۶٪"
    assert format_percent(-3.5, "fa") == LRM_MINUS + "۳٫۵٪"
    assert format_percent(NAN, "fa") == MISSING


def test_format_year():
    assert format_year(1398, "fa") == "۱۳۹۸"
    assert format_year(2021.0, "en") == "2021"  # no thousands separator in a year
    assert format_year(1398.6, "en") == "1399"
    assert format_year(NAN, "en") == MISSING


def test_format_fixed_for_scores_and_ticks():
    assert format_fixed(1.25, "en", 1) == "1.2"  # round half to even of the float 1.25
    assert format_fixed(-2.94, "fa", 1) == LRM_MINUS + "۲٫۹"
    assert format_fixed(-0.04, "en", 1) == "0.0"  # rounds to zero: no sign
    assert format_fixed(1234.5, "fa", 1, percent=True) == "۱٬۲۳۴٫۵٪"
    assert format_fixed(1234.5, "en", 1, percent=True) == "1,234.5%"
    assert format_fixed(NAN, "fa") == MISSING


def test_tick_decimals_are_the_fewest_that_show_every_tick():
    assert tick_decimals([0, 25, 50, 75, 100]) == 0
    assert tick_decimals([12.0, 12.5, 13.0]) == 1
    assert tick_decimals([0.25, 0.5, float("nan")]) == 2


def test_one_language_list():
    assert LANGS == ("fa", "en")
    assert set(MINUS) == set(LANGS)
    assert check_lang("fa") == "fa"
    with pytest.raises(PlanmonError, match="language"):
        check_lang("de")
    with pytest.raises(PlanmonError):
        format_number(1.0, "de")


def test_persian_minus_stays_left_of_the_digits_in_right_to_left_text():
    """Lay the text out as matplotlib draws it (libraqm, the Unicode bidi algorithm) and read
    the glyphs left to right: the sign must come just before the digits, also inside a
    Persian sentence, where a bare U+2212 would be moved to the number's right."""
    from matplotlib import _text_helpers
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    font = get_font(fontManager._find_fonts_by_props(FontProperties(family=["DejaVu Sans"])))
    font.set_size(12, 72)

    def visual(text: str) -> str:
        glyphs = sorted(_text_helpers.layout(text, font), key=lambda g: g.x)
        return "".join(g.char for g in glyphs if g.char not in "\u200e\u200f")

    number = format_number(-3.5, "fa")
    assert "−۳٫۵" in visual(f"امتیاز {number} بود")
    assert "−۳٫۵" in visual(f"بین {number} و ۵")
    # without the mark the sign lands on the right: «۳٫۵−», the bug the mark prevents
    assert "۳٫۵−" in visual("امتیاز \u2212۳٫۵ بود")
