"""planmon's one locale: the report languages and how numbers and years are written in them.

Every number a reader sees — report prose, tables, chart labels and ticks — is written here;
the dashboard's script follows the same rules with ``Intl.NumberFormat``.

Digits and signs
    Persian uses the Persian digits ``۰``–``۹``, ``٫`` (U+066B) as the decimal and ``٬``
    (U+066C) as the thousands separator, and ``٪`` (U+066A) after the number. English uses
    ASCII digits, ``.``, ``,`` and ``%``.

The minus sign
    Persian typesetting writes a negative number with the minus sign on the *left* of the
    digits, as in mathematics (digits always run left to right): ``−۲٫۵``. planmon writes the
    Persian minus as the Unicode CLDR ``fa`` locale does (CLDR 48, ``arabext`` numbering
    system, ``minusSign`` = U+200E LEFT-TO-RIGHT MARK + U+2212 MINUS SIGN) — the form
    ``Intl.NumberFormat("fa-IR")`` gives, so the reports and the dashboard agree. The mark
    matters: in a right-to-left paragraph the bidi algorithm treats a bare U+2212 before a
    number as a neutral and moves it to the number's right («۵− تا ۵»); after an LRM the sign,
    the digits, ``٫`` and ``٪`` form one left-to-right run, in HTML (WeasyPrint, browsers) and
    in matplotlib (libraqm) alike. English uses CLDR ``en``'s hyphen-minus: ``-2.5``.

Precision by magnitude (:func:`format_number`, :func:`format_percent`)
    ``|x| ≥ 100``: no decimals (``1,235``); ``10 ≤ |x| < 100``: at most one decimal (``13.1``);
    ``1 ≤ |x| < 10``: at most two (``2.35``); ``|x| < 1``: two significant digits
    (``0.059``). Trailing zeros are dropped (``13.0`` → ``13``); a value that rounds up into
    the next class is written by that class's rule (``99.96`` → ``100``). Interval bounds,
    table cells and chart value labels follow the same rule; scores (−5…5) have a fixed
    decimal (:func:`format_fixed`), axis ticks as many decimals as the ticks need.

Missing
    A missing number is :data:`MISSING` (an em dash) everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Literal

from persiantools import digits as _digits

from planmon.core.exceptions import PlanmonError

__all__ = [
    "LANGS",
    "Lang",
    "MISSING",
    "MINUS",
    "PERCENT",
    "check_lang",
    "as_float",
    "localise_digits",
    "format_number",
    "format_percent",
    "format_year",
    "format_fixed",
    "tick_decimals",
]

#: The report languages, in the order planmon builds them.
LANGS: tuple[str, ...] = ("fa", "en")

Lang = Literal["fa", "en"]

#: What a missing number prints as, in every language.
MISSING = "—"

#: The minus sign written before a negative number (CLDR 48 ``fa`` and ``en``).
MINUS: dict[str, str] = {"fa": "\u200e\u2212", "en": "-"}

#: The percent sign written after a percentage.
PERCENT: dict[str, str] = {"fa": "\u066a", "en": "%"}

_FA_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})  # ٬ thousands, ٫ decimal


def check_lang(lang: str) -> str:
    """``lang`` if it is one of :data:`LANGS`, else :class:`PlanmonError`."""
    if lang not in LANGS:
        raise PlanmonError(f"unknown language {lang!r}; use 'fa' or 'en'")
    return lang


def as_float(x: Any) -> float | None:
    """``x`` as a finite-or-infinite float, or None when missing (None, NaN, NA, not a number)."""
    if x is None:
        return None
    try:
        f = float(x)  # pandas.NA and other non-numbers raise TypeError
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def localise_digits(text: str, lang: str) -> str:
    """ASCII digits and separators of ``text`` in ``lang`` (Persian: ۰–۹, ``٫``, ``٬``)."""
    if lang == "fa":
        return _digits.en_to_fa(text.translate(_FA_SEPARATORS))
    return text


def _decimals(a: float) -> int:
    """Decimals the precision rule gives a non-negative, non-zero magnitude ``a``."""
    if a >= 100:
        return 0
    if a >= 10:
        return 1
    if a >= 1:
        return 2
    return 1 - math.floor(math.log10(a))  # two significant digits


def _magnitude(a: float) -> str:
    """``a ≥ 0`` as ASCII text by the precision rule, thousands grouped, zeros dropped."""
    if a == 0:
        return "0"
    decimals = _decimals(a)
    rounded = float(f"{a:.{decimals}f}")
    if rounded and _decimals(rounded) < decimals:  # 99.96 → 100.0 is written as 100
        decimals = _decimals(rounded)
    text = f"{rounded:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_number(x: Any, lang: Lang = "en") -> str:
    """Format a number for reading, with the precision of its magnitude (module docstring).

    Parameters
    ----------
    x : float, int or None
        The number; None/NaN/NA print as :data:`MISSING`.
    lang : {"en", "fa"}
        ``"fa"``: Persian digits, ``٫`` and ``٬``, and :data:`MINUS` (LRM + U+2212).

    Returns
    -------
    str

    Examples
    --------
    >>> format_number(13.14), format_number(0.0594), format_number(1234567.8)
    ('13.1', '0.059', '1,234,568')
    >>> format_number(-2.5, "fa")
    '\\u200e−۲٫۵'
    """
    check_lang(lang)
    f = as_float(x)
    if f is None:
        return MISSING
    text = "∞" if math.isinf(f) else _magnitude(abs(f))
    if f < 0 and text != "0":
        return MINUS[lang] + localise_digits(text, lang)
    return localise_digits(text, lang)


def format_percent(x: Any, lang: Lang = "en") -> str:
    """Format a percentage: :func:`format_number` and the percent sign (``97.3%`` / ``۹۷٫۳٪``)."""
    text = format_number(x, lang)
    return text if text == MISSING else text + PERCENT[lang]


def format_year(y: Any, lang: Lang = "en") -> str:
    """Format a year as a plain whole number (no separators): ``1398`` / ``۱۳۹۸``."""
    check_lang(lang)
    f = as_float(y)
    if f is None or math.isinf(f):
        return MISSING
    return localise_digits(str(math.floor(f + 0.5)), lang)


def format_fixed(x: Any, lang: str, decimals: int = 1, *, percent: bool = False) -> str:
    """A number with a fixed count of decimals: scores (``1.7`` / ``۱٫۷``) and axis ticks.

    Thousands are grouped; a value that rounds to zero has no sign (``-0.0`` would read as a
    sign error); ``percent`` appends the percent sign.

    Examples
    --------
    >>> format_fixed(1234.5, "fa", 1, percent=True)
    '۱٬۲۳۴٫۵٪'
    """
    f = as_float(x)
    if f is None:
        return MISSING
    text = "∞" if math.isinf(f) else f"{abs(f):,.{decimals}f}"
    sign = MINUS[lang] if f < 0 and text.strip("0.,") != "" else ""
    return sign + localise_digits(text, lang) + (PERCENT[lang] if percent else "")


def tick_decimals(values: Sequence[float]) -> int:
    """The fewest decimals (up to 6) that show every finite value of ``values`` exactly."""
    import numpy as np  # not at the top: a no-op build formats no numbers

    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    for decimals in range(7):
        if np.allclose(np.round(finite, decimals), finite, rtol=0, atol=1e-9):
            return decimals
    return 6
