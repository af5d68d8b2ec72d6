import math

import pytest

from planmon.core.text import NotANumberError, clean_text, name_key, parse_number, to_persian_digits


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("۱۲٬۵۰۰٫۵", 12500.5),  # Persian digits, thousands and decimal separators
        ("١٢٫٥", 12.5),  # Arabic-Indic digits
        ("12,500", 12500.0),
        ("45%", 45.0),
        ("٪۴۵", 45.0),
        (" −3.5 ", -3.5),  # Unicode minus
        ("1e3", 1000.0),
        (7, 7.0),
        (7.25, 7.25),
    ],
)
def test_parse_number_accepts_how_offices_write_numbers(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", [None, "", "   "])
def test_parse_number_blank_is_nan(raw):
    assert math.isnan(parse_number(raw))


@pytest.mark.parametrize("raw", ["سیزده", "12.5.3", "1,2", "n/a", True])
def test_parse_number_rejects_text(raw):
    with pytest.raises(NotANumberError):
        parse_number(raw)


def test_name_key_folds_zwnj_space_arabic_letters_and_punctuation():
    variants = ["برنامه‌ریزی", "برنامه ریزی", "برنامهریزی", "برنامه ريزي.", " برنامه‌ريزی، "]
    assert len({name_key(v) for v in variants}) == 1


def test_clean_text_fixes_arabic_letters_and_spacing_but_keeps_zwnj():
    assert clean_text("  مديريت   پسماند ") == "مدیریت پسماند"
    assert clean_text("بهره‌وری") == "بهره‌وری"
    assert clean_text("بهره \u200c وری") == "بهره‌وری"
    assert clean_text("\u202bکرج\u202c") == "کرج"
    assert clean_text(None) is None and clean_text("  ") is None
    assert clean_text(1397.0) == "1397"


def test_to_persian_digits():
    assert to_persian_digits("1,234.5") == "۱٬۲۳۴٫۵"
    assert to_persian_digits(1401) == "۱۴۰۱"
