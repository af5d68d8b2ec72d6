"""planmon's one locale: the report languages and how numbers and years are written in them.

Every number a reader sees — in report prose, tables, chart labels and ticks, the dashboard —
is formatted here. Persian uses Persian digits (``۰``–``۹``), ``٫`` as the decimal and ``٬`` as
the thousands separator.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any, Literal

import pandas as pd
from persiantools import digits as _digits

from planmon.core.exceptions import PlanmonError

__all__ = [
    "LANGS",
    "Lang",
    "MISSING",
    "check_lang",
    "as_float",
    "localise_digits",
    "format_number",
    "format_percent",
    "format_year",
    "format_fixed",
    "format_tick",
    "tick_decimals",
    "isolate_negatives",
]

#: The report languages, in the order planmon builds them.
LANGS: tuple[str, ...] = ("fa", "en")

Lang = Literal["fa", "en"]

#: What a missing number prints as.
MISSING = "—"

_FA_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})  # ٬ thousands, ٫ decimal


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else :class:`PlanmonError`."""
    if lang not in LANGS:
        raise PlanmonError(f"unknown language {lang!r}; use 'fa' or 'en'")
    return lang


def as_float(x: Any) -> float | None:
    """``x`` as a finite-or-infinite float, or None when missing (None, NaN, NA)."""
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def localise_digits(text: str, lang: str) -> str:
    """ASCII digits and separators of ``text`` in ``lang`` (Persian: ۰–۹, ``٫``, ``٬``)."""
    if lang == "fa":
        return _digits.en_to_fa(text.translate(_FA_SEPARATORS))
    return text


def format_number(x: Any, lang: Lang = "en", *, digits: int = 3) -> str:
    """Format a number for reading: ``digits`` significant digits, thousands grouped.

    Parameters
    ----------
    x : float, int or None
        The number; None/NaN/NA print as an em dash.
    lang : {"en", "fa"}
        ``"fa"`` uses Persian digits, ``٫`` as decimal and ``٬`` as thousands separator and the
        minus sign U+2212.
    digits : int
        Significant digits kept for numbers below ``10**digits``; numbers from ``10**digits``
        up are rounded to whole numbers (precision a reader cannot use is noise).

    Returns
    -------
    str
        e.g. ``13.1``, ``0.0123``, ``97``, ``1,234,567``; in Persian ``۱۳٫۱``, ``۱٬۲۳۴٬۵۶۷``.

    Examples
    --------
    >>> format_number(13.14), format_number(0.012345), format_number(1234567.8)
    ('13.1', '0.0123', '1,234,568')
    >>> format_number(13.14, "fa")
    '۱۳٫۱'
    """
    check_lang(lang)
    f = as_float(x)
    if f is None:
        return MISSING
    if math.isinf(f):
        text = "∞"
    else:
        a = abs(f)
        if a >= 10**digits:
            text = f"{math.floor(a + 0.5):,}"
        elif a == 0:
            text = "0"
        else:
            decimals = max(0, digits - 1 - math.floor(math.log10(a)))
            text = f"{a:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            if float(text) >= 10**digits:  # 999.7 rounds up into the grouped range
                text = f"{math.floor(float(text) + 0.5):,}"
    if f < 0 and text != "0":
        text = ("\u2212" if lang == "fa" else "-") + text
    return localise_digits(text, lang)


def format_percent(x: Any, lang: Lang = "en", *, digits: int = 2) -> str:
    """Format a percentage: ``97%`` / ``۹۷٪`` (two significant digits, whole from 100 up)."""
    text = format_number(x, lang, digits=digits)
    if text == MISSING:
        return text
    return text + ("\u066a" if lang == "fa" else "%")


def format_year(y: Any, lang: Lang = "en") -> str:
    """Format a year as a plain whole number (no separators): ``1398`` / ``۱۳۹۸``."""
    check_lang(lang)
    f = as_float(y)
    if f is None or math.isinf(f):
        return MISSING
    return localise_digits(str(math.floor(f + 0.5)), lang)


def format_fixed(x: Any, lang: str, decimals: int = 1) -> str:
    """A number with a fixed count of decimals (scores): ``1.7`` / ``۱٫۷``, ``−`` for minus."""
    f = as_float(x)
    if f is None:
        return MISSING
    text = f"{abs(f):,.{decimals}f}"
    if text.strip("0.,") == "":
        f = 0.0  # "-0.0" after rounding reads as a sign error
    sign = ("\u2212" if lang == "fa" else "-") if f < 0 else ""
    return sign + localise_digits(text, lang)


def format_tick(value: float, lang: str, *, decimals: int = 0, percent: bool = False) -> str:
    """Format a number for a chart (ticks, bar labels): fixed decimals, thousands grouped.

    Parameters
    ----------
    value : float
        The number; NaN gives ``"–"``.
    lang : {"fa", "en"}
        Report language. Persian uses ``۰–۹``, ``٫`` (decimal) and ``٬`` (thousands).
    decimals : int
        Digits after the decimal point.
    percent : bool
        Append a percent sign (``٪`` in Persian).

    Examples
    --------
    >>> format_tick(1234.5, "fa", decimals=1, percent=True)
    '۱٬۲۳۴٫۵٪'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0" after rounding reads as a sign error
    if lang == "fa":
        text = _digits.en_to_fa(text.replace(",", "٬").replace(".", "٫"))
        return text + ("٪" if percent else "")
    return text + ("%" if percent else "")


def tick_decimals(values: Sequence[float]) -> int:
    """The fewest decimals (up to 6) that show every finite value of ``values`` exactly."""
    import numpy as np

    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    for decimals in range(7):
        if np.allclose(np.round(finite, decimals), finite, rtol=0, atol=1e-9):
            return decimals
    return 6


# A Persian negative number ("−۳٫۵٪"). In right-to-left text the bidi algorithm would put its
# minus sign on the right ("۳٫۵٪−"); isolating it left-to-right (LRI … PDI) keeps the sign where
# planmon's tables and charts put it, on the left.
_NEGATIVE_FA = re.compile("\u2212[\u06f0-\u06f9][\u06f0-\u06f9\u066b\u066c]*\u066a?")


def isolate_negatives(text: str) -> str:
    """Wrap every Persian negative number of ``text`` in a left-to-right isolate."""
    return _NEGATIVE_FA.sub(lambda m: f"\u2066{m.group(0)}\u2069", text)
