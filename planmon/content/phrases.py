"""Small phrases the interpretations share: counts in words, quantities with their unit,
percentages and chances in running text, lists joined the way each language joins them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from planmon.core.locale import format_number
from planmon.core.text import ZWNJ

__all__ = [
    "ZWNJ",
    "count_words",
    "years_phrase",
    "quantity",
    "percent_phrase",
    "rate_unit",
    "chance_phrase",
    "join_list",
    "get",
]


_EN_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_FA_SMALL = ["صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"]


def count_words(n: int, lang: str) -> str:
    """Small counts in words ("two"), larger in figures."""
    if 0 <= n < 10:
        return (_FA_SMALL if lang == "fa" else _EN_SMALL)[n]
    return format_number(n, lang)


def years_phrase(n: int, lang: str) -> str:
    if lang == "fa":
        return f"{count_words(n, lang)} سال"
    return f"{count_words(n, lang)} year{'' if n == 1 else 's'}"


def quantity(x: float, unit: str, lang: str) -> str:
    """A number with its unit; ``%`` becomes "41.2%" / "۴۱٫۲ درصد"."""
    number = format_number(x, lang)
    unit = (unit or "").strip()
    if unit == "%":
        return f"{number} درصد" if lang == "fa" else f"{number}%"
    return f"{number} {unit}" if unit else number


def percent_phrase(x: float, lang: str) -> str:
    """A percentage in running text: "97%" / "۹۷ درصد"."""
    number = format_number(x, lang)
    return f"{number} درصد" if lang == "fa" else f"{number}%"


def rate_unit(unit: str, lang: str) -> str:
    """Unit of a yearly change: a change of a percentage is in percentage points."""
    unit = (unit or "").strip()
    if unit == "%":
        return "واحد درصد" if lang == "fa" else "percentage points"
    return unit


def chance_phrase(p: float, lang: str) -> str:
    """A probability in words: "about 45%", "over 99%"."""
    pct = 100.0 * p
    if pct > 99:
        return "بیش از ۹۹ درصد" if lang == "fa" else "over 99%"
    if pct < 1:
        return "کمتر از ۱ درصد" if lang == "fa" else "under 1%"
    number = format_number(round(pct), lang)
    return f"حدود {number} درصد" if lang == "fa" else f"about {number}%"


def join_list(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if lang == "fa":
        return "، ".join(items[:-1]) + " و " + items[-1]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def get(row: Mapping, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError):
        return None
