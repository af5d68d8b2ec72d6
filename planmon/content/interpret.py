"""Plain-language interpretation of an indicator's or a department's figures, in Persian or English.

Each text is two or three short sentences a manager can read aloud. The rule that governs every
clause: **say only what the numbers in hand support.** Each clause is guarded by the data it
needs, and when the data are missing the text says what cannot be judged instead of guessing:

* no target → nothing is said about a target (the words "target"/«هدف» do not appear);
* too few reported values, or no fitted trend → "the trend cannot be judged from N values";
* the trend moves away from the horizon target → said plainly, with no reach year;
* the chance of reaching the target between 20 % and 80 %, or (without a probability) a
  projection interval with the target inside it → the forecast is called uncertain;
* the value already meets the horizon target → "already reached";
* "maintain" indicators → whether the value stays within its tolerance band.

Numbers are rounded for reading by :func:`format_number` (three significant digits below 1,000,
whole numbers with thousands separators above) and years by :func:`format_year`; both are
public so charts and tables print numbers the same way. Persian output uses Persian digits and
the Persian decimal (٫) and thousands (٬) separators, and is written as Persian, not translated
word for word.

The functions are pure: they take a row of the scores frame (``docs/internal-frames.md``) plus
the trend columns ``trend_slope, trend_reach_year, trend_horizon_value, trend_low, trend_high,
p_reach_target, n_points``, and return a string.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any, Literal

import pandas as pd
from persiantools import digits as _digits

from planmon.core.exceptions import PlanmonError

__all__ = [
    "UNIT_LABELS",
    "localise_unit",
    "format_number",
    "format_percent",
    "format_year",
    "interpret_indicator",
    "interpret_department",
    "DEFAULT_TOLERANCE",
    "MIN_TREND_POINTS",
]

Lang = Literal["fa", "en"]

#: Relative tolerance of a "maintain" indicator when none is given (data-contract default).
DEFAULT_TOLERANCE = 0.05
#: Fewest reported values from which a trend is described.
MIN_TREND_POINTS = 3

#: Chance of reaching the target inside which a forecast is called uncertain.
_UNCERTAIN_P = (0.2, 0.8)
_ZWNJ = "\u200c"  # Persian zero-width non-joiner, written as an escape so reviewers can see it
_FA_SEPARATORS = str.maketrans({",": "\u066c", ".": "\u066b"})  # ٬ thousands, ٫ decimal
_MISSING = "—"

_EN_SMALL = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_FA_SMALL = ["صفر", "یک", "دو", "سه", "چهار", "پنج", "شش", "هفت", "هشت", "نه"]


# --------------------------------------------------------------------------------------------
# Number formatting (public: charts and tables reuse it)
# --------------------------------------------------------------------------------------------


def _check_lang(lang: str) -> None:
    if lang not in ("fa", "en"):
        raise PlanmonError(f"unknown language {lang!r}; use 'fa' or 'en'")


def _as_float(x: Any) -> float | None:
    """``x`` as a finite-or-infinite float, or None when missing (None, NaN, NA)."""
    if x is None or x is pd.NA:
        return None
    try:
        f = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def _localise(text: str, lang: str) -> str:
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
    _check_lang(lang)
    f = _as_float(x)
    if f is None:
        return _MISSING
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
    return _localise(text, lang)


def format_percent(x: Any, lang: Lang = "en", *, digits: int = 2) -> str:
    """Format a percentage: ``97%`` / ``۹۷٪`` (two significant digits, whole from 100 up)."""
    text = format_number(x, lang, digits=digits)
    if text == _MISSING:
        return text
    return text + ("\u066a" if lang == "fa" else "%")


def format_year(y: Any, lang: Lang = "en") -> str:
    """Format a year as a plain whole number (no separators): ``1398`` / ``۱۳۹۸``."""
    _check_lang(lang)
    f = _as_float(y)
    if f is None or math.isinf(f):
        return _MISSING
    return _localise(str(math.floor(f + 0.5)), lang)


# --------------------------------------------------------------------------------------------
# Small phrase helpers
# --------------------------------------------------------------------------------------------


def _count(n: int, lang: str) -> str:
    """Small counts in words ("two"), larger in figures."""
    if 0 <= n < 10:
        return (_FA_SMALL if lang == "fa" else _EN_SMALL)[n]
    return format_number(n, lang)


def _years(n: int, lang: str) -> str:
    if lang == "fa":
        return f"{_count(n, lang)} سال"
    return f"{_count(n, lang)} year{'' if n == 1 else 's'}"


def _qty(x: float, unit: str, lang: str) -> str:
    """A number with its unit; ``%`` becomes "41.2%" / "۴۱٫۲ درصد"."""
    number = format_number(x, lang)
    unit = (unit or "").strip()
    if unit == "%":
        return f"{number} درصد" if lang == "fa" else f"{number}%"
    return f"{number} {unit}" if unit else number


def _pct(x: float, lang: str) -> str:
    """A percentage in running text: "97%" / "۹۷ درصد"."""
    number = format_number(x, lang, digits=2)
    return f"{number} درصد" if lang == "fa" else f"{number}%"


def _rate_unit(unit: str, lang: str) -> str:
    """Unit of a yearly change: a change of a percentage is in percentage points."""
    unit = (unit or "").strip()
    if unit == "%":
        return "واحد درصد" if lang == "fa" else "percentage points"
    return unit


def _chance(p: float, lang: str) -> str:
    """A probability in words: "about 45%", "over 99%"."""
    pct = 100.0 * p
    if pct > 99:
        return "بیش از ۹۹ درصد" if lang == "fa" else "over 99%"
    if pct < 1:
        return "کمتر از ۱ درصد" if lang == "fa" else "under 1%"
    number = format_number(round(pct), lang)
    return f"حدود {number} درصد" if lang == "fa" else f"about {number}%"


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    if lang == "fa":
        return "، ".join(items[:-1]) + " و " + items[-1]
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return ", ".join(items[:-1]) + ", and " + items[-1]


def _sentence_case(text: str) -> str:
    return text[:1].upper() + text[1:]


def _get(row: Mapping, key: str) -> Any:
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


# --------------------------------------------------------------------------------------------
# Indicator
# --------------------------------------------------------------------------------------------


_ROW_NUMBERS = (
    "value",
    "target",
    "baseline_value",
    "baseline_year",
    "horizon_year",
    "horizon_target",
    "tolerance",
    "trend_slope",
    "trend_reach_year",
    "trend_horizon_value",
    "trend_low",
    "trend_high",
    "p_reach_target",
    "n_points",
)


class _Facts:
    """The numbers of one scores row, missing ones as None, plus the phrasing context."""

    value: float | None
    target: float | None
    baseline_value: float | None
    baseline_year: float | None
    horizon_year: float | None  # None unless the horizon target is known too
    horizon_target: float | None
    tolerance: float | None
    trend_slope: float | None
    trend_reach_year: float | None
    trend_horizon_value: float | None
    trend_low: float | None
    trend_high: float | None
    p_reach_target: float | None
    n_points: float | None

    def __init__(self, row: Mapping, lang: str, name: str, unit: str, calendar: str | None):
        self.lang = lang
        self.unit = unit
        self.name = name.strip()
        year = _as_float(_get(row, "year"))
        if year is None:
            raise PlanmonError("the scores row has no year")
        self.year = int(year)
        direction = _get(row, "direction")
        if direction not in ("increase", "decrease", "maintain"):
            raise PlanmonError(
                f"the scores row has direction {direction!r}; expected increase, decrease "
                "or maintain"
            )
        self.direction: str = direction
        for key in _ROW_NUMBERS:
            setattr(self, key, _as_float(_get(row, key)))
        self.calendar = calendar
        if self.horizon_year is None or self.horizon_target is None:
            self.horizon_year = self.horizon_target = None

    # ---- phrasing shortcuts
    def q(self, x: float) -> str:
        return _qty(x, self.unit, self.lang)

    def y(self, year: float) -> str:
        return format_year(year, self.lang)

    def first_year(self) -> str:
        """The report year, naming the calendar when the reader would not assume it."""
        text = self.y(self.year)
        if self.calendar == "jalali" and self.lang == "en":
            return f"{text} (Solar Hijri)"
        if self.calendar == "gregorian" and self.lang == "fa":
            return f"{text} میلادی"
        return text

    # ---- derived facts
    def meets(self, value: float, goal: float) -> bool:
        return value >= goal if self.direction == "increase" else value <= goal

    def trend_usable(self, min_points: int) -> bool:
        return (
            self.n_points is not None
            and self.n_points >= min_points
            and self.trend_slope is not None
            and math.isfinite(self.trend_slope)
        )

    def moving_away(self) -> bool:
        s = self.trend_slope
        return (self.direction == "increase" and s < 0) or (self.direction == "decrease" and s > 0)


def _value_sentence(f: _Facts, tolerance: float) -> str:
    fa = f.lang == "fa"
    year = f.first_year()
    if f.value is None:
        if fa:
            return f"برای شاخص «{f.name}» در سال {year} مقداری گزارش نشده است."
        return f"No value was reported for {f.name} in {year}."

    value = f.q(f.value)
    subject_fa = f"مقدار شاخص «{f.name}» در سال {year}"
    # "stood at" reads right for singular and plural names ("Daily bus passengers")
    subject_en = f"In {year}, {f.name} stood at {value}"

    if f.direction == "maintain":
        return _maintain_value_sentence(f, tolerance, subject_fa, subject_en, value)

    if f.target is None:
        # Without a target the only comparison the numbers support is with the baseline.
        if f.baseline_value is not None and f.baseline_year is not None:
            base, base_year = f.q(f.baseline_value), f.y(f.baseline_year)
            if fa:
                return (
                    f"{subject_fa} به {value} رسید؛ این رقم در سال پایه ({base_year}) {base} بود."
                )
            return f"{subject_en}, against {base} in the {base_year} baseline."
        if fa:
            return f"{subject_fa} برابر با {value} بود."
        return f"{subject_en}."

    target = f.q(f.target)
    if f.direction == "increase":
        if f.value > f.target:
            if fa:
                return f"{subject_fa} به {value} رسید و از هدف آن سال ({target}) فراتر رفت."
            return f"{subject_en}, above the year's target of {target}."
        if f.value == f.target:
            if fa:
                return f"{subject_fa} به {value} رسید و هدف آن سال را دقیقاً محقق کرد."
            return f"{subject_en}, exactly the year's target."
        if f.target > 0 and f.value >= 0:
            share = _pct(100.0 * f.value / f.target, f.lang)
            if fa:
                return f"{subject_fa} به {value} رسید که {share} هدف آن سال ({target}) است."
            return f"{subject_en}, {share} of the year's target of {target}."
        if fa:
            return f"{subject_fa} به {value} رسید که کمتر از هدف آن سال ({target}) است."
        return f"{subject_en}, below the year's target of {target}."

    # decrease: the target is a ceiling
    if f.value <= f.target:
        if fa:
            return f"{subject_fa} به {value} رسید و زیر سقف هدف آن سال ({target}) ماند."
        return f"{subject_en}, within the year's target of at most {target} (lower is better)."
    if f.target > 0:
        excess = _pct(100.0 * (f.value / f.target - 1.0), f.lang)
        if fa:
            return (
                f"{subject_fa} به {value} رسید؛ یعنی {excess} بیشتر از سقف هدف آن سال ({target})."
            )
        return (
            f"{subject_en}, {excess} above the year's target of at most {target} (lower is better)."
        )
    if fa:
        return f"{subject_fa} به {value} رسید که بیشتر از سقف هدف آن سال ({target}) است."
    return f"{subject_en}, above the year's target of at most {target} (lower is better)."


def _band(f: _Facts, ref: float, tolerance: float) -> tuple[float, float, str]:
    """The tolerance band around ``ref`` and its text: "38–42%" / "۳۸ تا ۴۲ درصد".

    The band is written out in the indicator's unit because "±5 %" of a percentage is
    ambiguous (relative, or percentage points?).
    """
    low, high = ref - tolerance * abs(ref), ref + tolerance * abs(ref)
    if f.lang == "fa":
        return low, high, f"{format_number(low, 'fa')} تا {f.q(high)}"
    sep = "–" if (f.unit or "").strip() == "%" or not f.unit else " to "
    return low, high, f"{format_number(low, 'en')}{sep}{f.q(high)}"


def _maintain_value_sentence(
    f: _Facts, tolerance: float, subject_fa: str, subject_en: str, value: str
) -> str:
    fa = f.lang == "fa"
    if f.target is not None:
        ref, ref_en, ref_fa = f.target, "the year's target", "هدف آن سال"
    elif f.baseline_value is not None and f.baseline_year is not None:
        by = f.y(f.baseline_year)
        ref, ref_en, ref_fa = f.baseline_value, f"its {by} baseline", f"مقدار سال پایه ({by})"
    else:
        return f"{subject_fa} برابر با {value} بود." if fa else f"{subject_en}."
    low, high, band = _band(f, ref, tolerance)
    ref_q = f.q(ref)
    if low <= f.value <= high:
        if fa:
            return (
                f"{subject_fa} برابر با {value} بود و در محدوده مجاز {band} پیرامون "
                f"{ref_fa} ({ref_q}) ماند."
            )
        return f"{subject_en}, within the tolerance band of {band} around {ref_en} of {ref_q}."
    above = f.value > high
    if fa:
        side = "بالاتر" if above else f"پایین{_ZWNJ}تر"
        return (
            f"{subject_fa} برابر با {value} بود؛ یعنی {side} از محدوده مجاز {band} "
            f"پیرامون {ref_fa} ({ref_q})."
        )
    side = "above" if above else "below"
    return f"{subject_en}, {side} the tolerance band of {band} around {ref_en} of {ref_q}."


def _cannot_judge(f: _Facts, min_points: int) -> str:
    fa = f.lang == "fa"
    if f.n_points is None:
        if fa:
            return f"درباره روند این شاخص هنوز نمی{_ZWNJ}توان داوری کرد."
        return "The trend cannot be judged yet."
    n = int(f.n_points)
    if fa:
        only = "تنها " if n < min_points else ""
        return (
            f"با {only}{_count(n, 'fa')} مقدار گزارش{_ZWNJ}شده، درباره روند این شاخص "
            f"هنوز نمی{_ZWNJ}توان داوری کرد."
        )
    values = "value" if n == 1 else "values"
    if n < min_points:
        return f"The trend cannot be judged from only {_count(n, 'en')} reported {values}."
    return f"The trend cannot be judged from the {_count(n, 'en')} reported {values}."


def _slope_sentence(f: _Facts) -> str:
    """Describe the trend without any target (there is none to compare with)."""
    fa = f.lang == "fa"
    s = f.trend_slope
    n = int(f.n_points)
    if s == 0:
        return "روند این شاخص ثابت است." if fa else "The trend is flat."
    rate = _qty(abs(s), _rate_unit(f.unit, f.lang), f.lang)
    rising = s > 0
    desired = None
    if f.direction in ("increase", "decrease"):
        desired = rising == (f.direction == "increase")
    if fa:
        verb = "افزایش" if rising else "کاهش"
        text = (
            f"بر پایه {_count(n, 'fa')} مقدار گزارش{_ZWNJ}شده، این شاخص به{_ZWNJ}طور میانگین "
            f"سالانه حدود {rate} {verb} یافته است"
        )
        if desired is not None:
            text += "، که در جهت مطلوب است" if desired else "، که خلاف جهت مطلوب است"
        return text + "."
    verb = "risen" if rising else "fallen"
    text = f"Over the {_count(n, 'en')} reported values it has {verb} by about {rate} a year"
    if desired is not None:
        text += ", in the desired direction" if desired else ", against the desired direction"
    return text + "."


def _horizon_sentences(f: _Facts, min_points: int) -> list[str]:
    """Trend against the horizon target (increase/decrease with a horizon target)."""
    fa = f.lang == "fa"
    goal_q, h_year = f.q(f.horizon_target), f.y(f.horizon_year)
    goal_fa = f"هدف افق برنامه ({goal_q} در سال {h_year})"
    goal_en = f"the {h_year} horizon target of {goal_q}"
    reached_now = f.value is not None and f.meets(f.value, f.horizon_target)
    usable = f.trend_usable(min_points)

    if reached_now:
        if usable and f.moving_away():
            if fa:
                return [
                    f"این شاخص هم{_ZWNJ}اکنون به {goal_fa} رسیده است، اما روند آن "
                    f"رو به دور شدن از هدف است."
                ]
            return [f"It has already reached {goal_en}, but its trend is moving away from it."]
        if fa:
            return [f"این شاخص هم{_ZWNJ}اکنون به {goal_fa} رسیده است."]
        return [f"It has already reached {goal_en}."]

    if not usable:
        return [_cannot_judge(f, min_points)]

    if f.moving_away():
        if fa:
            first = (
                f"روند این شاخص از {goal_fa} دور می{_ZWNJ}شود و با این روند، هدف محقق نخواهد شد."
            )
        else:
            first = f"The trend moves away from {goal_en}, so at this pace it will not be reached."
    elif f.trend_slope == 0:
        if fa:
            first = f"روند این شاخص ثابت است و با این روند، {goal_fa} محقق نمی{_ZWNJ}شود."
        else:
            first = f"The trend is flat, so at this pace {goal_en} will not be reached."
    elif f.trend_reach_year is None or not math.isfinite(f.trend_reach_year):
        return [_cannot_judge(f, min_points)]
    else:
        first = _reach_sentence(f, goal_fa, goal_en)
    return [first, *_uncertainty_sentence(f)]


def _reach_sentence(f: _Facts, goal_fa: str, goal_en: str) -> str:
    fa = f.lang == "fa"
    # The fitted line crosses the target during year r; the first report year on or past the
    # crossing is its ceiling (the small epsilon keeps 1403.0000001 at 1403).
    reach = math.ceil(f.trend_reach_year - 1e-9)
    horizon = int(f.horizon_year)
    goal_q = f.q(f.horizon_target)
    if reach <= f.year:
        if fa:
            text = f"خط روند هم{_ZWNJ}اکنون به {goal_fa} رسیده است"
            if f.value is not None:
                text += f"، اما مقدار گزارش{_ZWNJ}شده هنوز به آن نرسیده است"
            return text + "."
        text = f"The fitted trend has already reached {goal_en}"
        if f.value is not None:
            text += ", but the reported value has not"
        return text + "."
    r, h = f.y(reach), f.y(horizon)
    if fa:
        lead = (
            f"اگر روند کنونی ادامه یابد، هدف افق برنامه ({goal_q}) حدود سال {r} محقق می{_ZWNJ}شود"
        )
        if reach < horizon:
            return f"{lead}؛ یعنی {_years(horizon - reach, 'fa')} پیش از پایان برنامه در {h}."
        if reach == horizon:
            return f"{lead}؛ یعنی در همان سال پایان برنامه."
        return f"{lead}؛ یعنی {_years(reach - horizon, 'fa')} پس از پایان برنامه در {h}."
    lead = f"At this pace the horizon target of {goal_q} will be reached around {r}"
    if reach < horizon:
        return f"{lead}, {_years(horizon - reach, 'en')} before the {h} horizon."
    if reach == horizon:
        return f"{lead}, the horizon year itself."
    return f"{lead}, {_years(reach - horizon, 'en')} after the {h} horizon."


def _uncertainty_sentence(f: _Facts) -> list[str]:
    """How sure the forecast is, from p_reach_target or else the projection interval."""
    if f.year >= f.horizon_year:
        return []  # a chance "by the horizon" means nothing once the horizon has come
    fa = f.lang == "fa"
    h_year = f.y(f.horizon_year)
    low, high = f.trend_low, f.trend_high
    has_interval = low is not None and high is not None and low <= high
    if has_interval:
        low_n, high_q = format_number(low, f.lang), f.q(high)
        interval_fa = f" و مقدار پیش{_ZWNJ}بینی{_ZWNJ}شده برای {h_year} بین {low_n} و {high_q} است"
        interval_en = f", and the {h_year} projection ranges from {low_n} to {high_q}"
    else:
        interval_fa = interval_en = ""
    p = f.p_reach_target
    if p is not None:
        chance = _chance(p, f.lang)
        if _UNCERTAIN_P[0] <= p <= _UNCERTAIN_P[1]:
            if fa:
                return [
                    f"این برآورد قطعی نیست: احتمال رسیدن به هدف تا سال {h_year} "
                    f"{chance}{interval_fa}."
                ]
            return [
                f"This is uncertain: the chance of reaching the target by {h_year} is "
                f"{chance}{interval_en}."
            ]
        if fa:
            level = "زیاد" if p > _UNCERTAIN_P[1] else "کم"
            return [f"احتمال رسیدن به هدف تا سال {h_year} {level} است ({chance})."]
        level = "high" if p > _UNCERTAIN_P[1] else "low"
        return [f"The chance of reaching it by {h_year} is {level} ({chance})."]
    if has_interval and low < f.horizon_target < high:
        if fa:
            return [
                f"این برآورد قطعی نیست: مقدار پیش{_ZWNJ}بینی{_ZWNJ}شده برای {h_year} بین "
                f"{low_n} و {high_q} است و هدف در همین بازه قرار دارد."
            ]
        return [
            f"This is uncertain: the {h_year} projection ranges from {low_n} to {high_q}, "
            "on both sides of the target."
        ]
    return []


def _maintain_trend_sentence(f: _Facts, tolerance: float, min_points: int) -> list[str]:
    fa = f.lang == "fa"
    if not f.trend_usable(min_points):
        return [_cannot_judge(f, min_points)]
    if (
        f.horizon_target is None
        or f.year >= f.horizon_year
        or f.trend_horizon_value is None
        or not math.isfinite(f.trend_horizon_value)
    ):
        return [_slope_sentence(f)]
    proj, goal = f.trend_horizon_value, f.horizon_target
    low, high, band = _band(f, goal, tolerance)
    within = low <= proj <= high
    h_year, proj_q, goal_q = f.y(f.horizon_year), f.q(proj), f.q(goal)
    if fa:
        where = "درون" if within else "بیرون از"
        return [
            f"با ادامه روند کنونی، مقدار این شاخص در سال {h_year} به حدود {proj_q} می{_ZWNJ}رسد "
            f"که {where} محدوده مجاز {band} پیرامون هدف افق برنامه ({goal_q}) است."
        ]
    where = "within" if within else "outside"
    return [
        f"On its current trend it would be about {proj_q} in {h_year}, {where} the tolerance "
        f"band of {band} around the horizon target of {goal_q}."
    ]


def interpret_indicator(
    row: Mapping,
    *,
    lang: Lang,
    name: str,
    unit: str = "",
    calendar: Literal["jalali", "gregorian"] | None = None,
    tolerance: float | None = None,
    min_points: int = MIN_TREND_POINTS,
) -> str:
    """Two or three sentences on one indicator in one report year.

    Parameters
    ----------
    row : Mapping
        One row of the scores frame (a ``Series`` or dict) with at least ``year`` and
        ``direction``; every other column is optional and its absence (or NaN) silences the
        clauses that need it. Used: ``value, target, baseline_year, baseline_value,
        horizon_year, horizon_target, tolerance`` and the trend columns ``trend_slope,
        trend_reach_year, trend_horizon_value, trend_low, trend_high, p_reach_target,
        n_points``.
    lang : {"fa", "en"}
        Language of the text.
    name : str
        The indicator's name in that language.
    unit : str
        The unit in that language (``"%"`` is written as a percentage).
    calendar : {"jalali", "gregorian"} or None
        The plan's calendar. When the reader would not assume it (Jalali years in English,
        Gregorian years in Persian) the first year is labelled: "1398 (Solar Hijri)",
        "۲۰۲۰ میلادی". None labels nothing.
    tolerance : float or None
        Relative tolerance of a "maintain" indicator when the row has no ``tolerance``
        column; defaults to :data:`DEFAULT_TOLERANCE` (0.05 = ±5 %).
    min_points : int
        Fewest reported values from which the trend is described (default 3).

    Returns
    -------
    str
        The text. Every statement in it follows from the row's numbers; see the module
        docstring for what is said when a number is missing.

    Raises
    ------
    PlanmonError
        When ``year`` is missing, ``direction`` is not increase/decrease/maintain, or
        ``lang`` is unknown.
    """
    _check_lang(lang)
    f = _Facts(row, lang, name, unit, calendar)
    tol = f.tolerance if f.tolerance is not None else tolerance
    tol = DEFAULT_TOLERANCE if tol is None else float(tol)

    sentences = [_value_sentence(f, tol)]
    if f.direction == "maintain":
        sentences += _maintain_trend_sentence(f, tol, min_points)
    elif f.horizon_target is not None:
        sentences += _horizon_sentences(f, min_points)
    elif f.trend_usable(min_points):
        sentences.append(_slope_sentence(f))
    else:
        sentences.append(_cannot_judge(f, min_points))
    return " ".join(sentences)


# --------------------------------------------------------------------------------------------
# Department
# --------------------------------------------------------------------------------------------

_STATUS_EN = {
    "target_achieved": "{n} achieved their target",
    "substantial_progress": "{n} made substantial progress",
    "moderate_progress": "{n} made moderate progress",
    "limited_progress": "{n} made limited progress",
    "deterioration": "{n} deteriorated",
    "not_available": "{n} could not be assessed",
}
_STATUS_EN_ONE = {
    "target_achieved": "{n} achieved its target",
}
_STATUS_FA = {
    "target_achieved": "{n} مورد تحقق هدف",
    "substantial_progress": "{n} مورد پیشرفت چشمگیر",
    "moderate_progress": "{n} مورد پیشرفت متوسط",
    "limited_progress": "{n} مورد پیشرفت اندک",
    "deterioration": "{n} مورد پسرفت",
    "not_available": "{n} مورد غیرقابل ارزیابی",
}


def _department_first(rollup_row: Mapping, lang: str, name: str) -> str:
    fa = lang == "fa"
    year = format_year(_get(rollup_row, "year"), lang)
    n = int(_as_float(_get(rollup_row, "n_indicators")) or 0)
    conformity = _as_float(_get(rollup_row, "conformity_pct"))
    if conformity is None:
        if fa:
            return (
                f"در سال {year} انطباق عملکرد «{name}» با اهداف سالانه قابل محاسبه نیست، "
                f"زیرا میزان تحقق هیچ{_ZWNJ}یک از {_count(n, 'fa')} شاخص آن قابل سنجش نبود."
            )
        return (
            f"In {year} the conformity of {name} with its annual targets cannot be computed: "
            f"none of its {_count(n, 'en')} indicators had a measurable achievement."
        )
    conf = _pct(conformity, lang)
    change = _as_float(_get(rollup_row, "conformity_change"))
    previous = _as_float(_get(rollup_row, "previous_year"))
    if fa:
        text = f"در سال {year}، میانگین وزنی انطباق عملکرد «{name}» با اهداف سالانه {conf} بود"
    else:
        text = f"In {year} the weighted conformity of {name} with its annual targets was {conf}"
    if change is not None:
        prev = format_year(previous, lang) if previous is not None else None
        points = format_number(abs(change), lang, digits=2)
        if round(abs(change), 1) == 0:
            if fa:
                text += f"؛ تقریباً همان رقم سال {prev}" if prev else "؛ تقریباً همان رقم سال قبل"
            else:
                text += (
                    f", about the same as in {prev}"
                    if prev
                    else ", about the same as the year before"
                )
        elif fa:
            side = "بیشتر" if change > 0 else "کمتر"
            text += f"؛ یعنی {points} واحد درصد {side} از سال {prev or 'قبل'}"
        else:
            side = "higher" if change > 0 else "lower"
            text += f", {points} percentage points {side} than in {prev or 'the previous year'}"
    return text + "."


def _department_counts(rollup_row: Mapping, lang: str) -> str | None:
    n = int(_as_float(_get(rollup_row, "n_indicators")) or 0)
    items = []
    for status, template in (_STATUS_FA if lang == "fa" else _STATUS_EN).items():
        k = int(_as_float(_get(rollup_row, f"n_{status}")) or 0)
        if k:
            if lang == "en" and k == 1:
                template = _STATUS_EN_ONE.get(status, template)
            items.append(template.format(n=_count(k, lang)))
    if not items or n == 0:
        return None
    if lang == "fa":
        return f"وضعیت {_count(n, 'fa')} شاخص این واحد: {_join(items, 'fa')}."
    return f"Of its {_count(n, 'en')} indicators, {_join(items, 'en')}."


def _department_weakest(
    rollup_row: Mapping,
    scores_for_dept: pd.DataFrame,
    lang: str,
    indicator_names: Mapping[str, str] | None,
) -> str | None:
    frame = scores_for_dept
    year = _as_float(_get(rollup_row, "year"))
    if "year" in frame.columns and year is not None:
        frame = frame.loc[frame["year"] == int(year)]
    if "achievement_pct" not in frame.columns:
        return None
    frame = frame.loc[frame["achievement_pct"].notna()]
    if len(frame) < 2:
        return None  # "the weakest" of one indicator says nothing
    sort_cols = ["achievement_pct"] + (["score"] if "score" in frame.columns else [])
    sort_cols.append("indicator_id")
    weakest = frame.sort_values(sort_cols, na_position="last").iloc[0]
    if weakest["achievement_pct"] >= 100:
        if lang == "fa":
            return (
                f"همه شاخص{_ZWNJ}هایی که میزان تحقق آن{_ZWNJ}ها قابل سنجش بود، "
                "به هدف سالانه خود رسیدند."
            )
        return "Every indicator with a measurable achievement met its annual target."
    ind_id = str(weakest["indicator_id"])
    label = None
    if indicator_names is not None:
        label = indicator_names.get(ind_id)
    if label is None and f"name_{lang}" in frame.columns:
        label = weakest[f"name_{lang}"]
    if label is None or (isinstance(label, float) and math.isnan(label)):
        label = ind_id
    pct = _pct(max(float(weakest["achievement_pct"]), 0.0), lang)
    if lang == "fa":
        return f"ضعیف{_ZWNJ}ترین شاخص «{label}» است که میزان تحقق هدف سالانه آن {pct} بود."
    return f"The weakest indicator is {label}, with {pct} achievement of its annual target."


def interpret_department(
    rollup_row: Mapping,
    scores_for_dept: pd.DataFrame,
    *,
    lang: Lang,
    name: str,
    indicator_names: Mapping[str, str] | None = None,
) -> str:
    """Two or three sentences on a department's year: conformity, statuses, weakest indicator.

    Parameters
    ----------
    rollup_row : Mapping
        One row of ``rollup(..., level="department")``, ideally passed through
        :func:`planmon.measures.rollup.change_against_previous` so it has ``conformity_change`` and
        ``previous_year`` (without them the change is not mentioned).
    scores_for_dept : pandas.DataFrame
        The department's rows of the scores frame (any years; the row's year is selected).
        Used to name the indicator with the lowest ``achievement_pct``.
    lang : {"fa", "en"}
        Language of the text.
    name : str
        The department's name in that language.
    indicator_names : Mapping or None
        ``indicator_id -> name`` in that language; otherwise a ``name_fa``/``name_en`` column
        of ``scores_for_dept`` is used, else the id.

    Returns
    -------
    str
        The text. With no conformity figure it says why instead of printing 0 %; the change
        since last year appears only when it was computed; the weakest indicator is named only
        when at least two indicators have an achievement figure.
    """
    _check_lang(lang)
    sentences = [_department_first(rollup_row, lang, name)]
    counts = _department_counts(rollup_row, lang)
    if counts:
        sentences.append(counts)
    weakest = _department_weakest(rollup_row, scores_for_dept, lang, indicator_names)
    if weakest:
        sentences.append(weakest)
    return " ".join(sentences)


#: Units as the sample and most plans write them, and what a Persian reader sees instead.
#: Units not listed are shown as written (a plan written in Persian needs no translation).
UNIT_LABELS: dict[str, dict[str, str]] = {
    "fa": {
        "%": "درصد",
        "count": "مورد",
        "days": "روز",
        "days per year": "روز در سال",
        "minutes": "دقیقه",
        "hours": "ساعت",
        "years": "سال",
        "km": "کیلومتر",
        "km/h": "کیلومتر بر ساعت",
        "persons": "نفر",
        "thousand persons": "هزار نفر",
        "thousand users": "هزار کاربر",
        "thousand passengers per day": "هزار مسافر در روز",
        "billion rials": "میلیارد ریال",
        "hectares per year": "هکتار در سال",
        "m² per capita": "مترمربع سرانه",
        "kg per person per day": "کیلوگرم برای هر نفر در روز",
        "hours per employee": "ساعت برای هر کارمند",
        "trees per year": "اصله درخت در سال",
        "events per year": "برنامه در سال",
        "accidents per 10,000 vehicles": "تصادف در هر ده هزار خودرو",
        "deaths per 100,000 residents": "جان‌باخته در هر صد هزار نفر",
        "staff per 1,000 residents": "کارمند در هر هزار نفر",
    },
    "en": {
        "درصد": "%",
        "مورد": "count",
        "روز": "days",
        "نفر": "persons",
        "کیلومتر": "km",
        "دقیقه": "minutes",
        "میلیارد ریال": "billion rials",
    },
}


def localise_unit(unit: Any, lang: str) -> str:
    """The unit as a reader of ``lang`` expects it (see :data:`UNIT_LABELS`).

    Examples
    --------
    >>> localise_unit("days", "fa"), localise_unit("%", "en")
    ('روز', '%')
    """
    text = "" if unit is None or (isinstance(unit, float) and math.isnan(unit)) else str(unit)
    return UNIT_LABELS.get(lang, {}).get(text, text)
