"""Plain-language interpretation of an indicator's figures, in Persian or English.

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

Numbers and years are written by :mod:`planmon.core.locale` (as everywhere in planmon). Persian
output uses Persian digits and the Persian decimal (٫) and thousands (٬) separators, and is
written as Persian, not translated word for word.

A department's year is told by :mod:`planmon.content.interpret_department` (re-exported here).
The functions are pure: they take a row of the scores frame (``docs/internal-frames.md``) plus
the trend columns ``trend_slope, trend_reach_year, trend_horizon_value, trend_low, trend_high,
p_reach_target, n_points``, and return a string.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Literal

from planmon.content.interpret_department import interpret_department
from planmon.content.phrases import (
    ZWNJ,
    chance_phrase,
    count_words,
    get,
    percent_phrase,
    quantity,
    rate_unit,
    years_phrase,
)
from planmon.core.exceptions import PlanmonError
from planmon.core.locale import Lang, format_number, format_year
from planmon.core.locale import as_float as _as_float
from planmon.core.locale import check_lang as _check_lang
from planmon.core.schema import DEFAULT_TOLERANCE
from planmon.core.vocabulary import status_label, term

__all__ = [
    "interpret_indicator",
    "interpret_department",
    "DEFAULT_TOLERANCE",
    "MIN_TREND_POINTS",
]

#: Fewest reported values from which a trend is described.
MIN_TREND_POINTS = 3

#: Chance of reaching the target inside which a forecast is called uncertain.
_UNCERTAIN_P = (0.2, 0.8)
#: Said of an indicator whose targets move against its direction (caveat
#: ``targets_against_direction``).
_AGAINST = {
    "fa": "هدف‌های این شاخص خلاف جهت مطلوب آن تعیین شده‌اند؛ از این رو با هدف‌ها سنجیده "
    "نمی‌شود و تنها روند آن در جهت مطلوب ارزیابی شده است.",
    "en": "Its targets move against its desired direction, so it is not judged against them, "
    "only on whether it moves the desired way.",
}
#: Statuses that read as progress: beside a low chance of reaching the target, the text says why.
_PROGRESS_STATUSES = ("substantial_progress", "moderate_progress", "limited_progress")

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
        year = _as_float(get(row, "year"))
        if year is None:
            raise PlanmonError("the scores row has no year")
        self.year = int(year)
        direction = get(row, "direction")
        if direction not in ("increase", "decrease", "maintain"):
            raise PlanmonError(
                f"the scores row has direction {direction!r}; expected increase, decrease "
                "or maintain"
            )
        self.direction: str = direction
        for key in _ROW_NUMBERS:
            setattr(self, key, _as_float(get(row, key)))
        self.calendar = calendar
        status = get(row, "status")
        self.status: str | None = status if isinstance(status, str) else None
        self.truncated = get(row, "trend_truncated") is True or str(
            get(row, "trend_truncated")
        ) in ("True", "1")
        if self.horizon_year is None or self.horizon_target is None:
            self.horizon_year = self.horizon_target = None

    # ---- phrasing shortcuts
    def q(self, x: float) -> str:
        return quantity(x, self.unit, self.lang)

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
            share = percent_phrase(100.0 * f.value / f.target, f.lang)
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
        excess = percent_phrase(100.0 * (f.value / f.target - 1.0), f.lang)
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
        side = "بالاتر" if above else f"پایین{ZWNJ}تر"
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
            return f"درباره روند این شاخص هنوز نمی{ZWNJ}توان داوری کرد."
        return "The trend cannot be judged yet."
    n = int(f.n_points)
    if fa:
        only = "تنها " if n < min_points else ""
        return (
            f"با {only}{count_words(n, 'fa')} مقدار گزارش{ZWNJ}شده، درباره روند این شاخص "
            f"هنوز نمی{ZWNJ}توان داوری کرد."
        )
    values = "value" if n == 1 else "values"
    if n < min_points:
        return f"The trend cannot be judged from only {count_words(n, 'en')} reported {values}."
    return f"The trend cannot be judged from the {count_words(n, 'en')} reported {values}."


def _slope_sentence(f: _Facts) -> str:
    """Describe the trend without any target (there is none to compare with)."""
    fa = f.lang == "fa"
    s = f.trend_slope
    n = int(f.n_points)
    if s == 0:
        return "روند این شاخص ثابت است." if fa else "The trend is flat."
    rate = quantity(abs(s), rate_unit(f.unit, f.lang), f.lang)
    rising = s > 0
    desired = None
    if f.direction in ("increase", "decrease"):
        desired = rising == (f.direction == "increase")
    if fa:
        verb = "افزایش" if rising else "کاهش"
        text = (
            f"بر پایه {count_words(n, 'fa')} مقدار گزارش{ZWNJ}شده، این شاخص به{ZWNJ}طور میانگین "
            f"سالانه حدود {rate} {verb} یافته است"
        )
        if desired is not None:
            text += "، که در جهت مطلوب است" if desired else "، که خلاف جهت مطلوب است"
        return text + "."
    verb = "risen" if rising else "fallen"
    text = f"Over the {count_words(n, 'en')} reported values it has {verb} by about {rate} a year"
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
                    f"این شاخص هم{ZWNJ}اکنون به {goal_fa} رسیده است، اما روند آن "
                    f"رو به دور شدن از هدف است."
                ]
            return [f"It has already reached {goal_en}, but its trend is moving away from it."]
        if fa:
            return [f"این شاخص هم{ZWNJ}اکنون به {goal_fa} رسیده است."]
        return [f"It has already reached {goal_en}."]

    if not usable:
        return [_cannot_judge(f, min_points)]

    if f.moving_away():
        if fa:
            first = f"روند این شاخص از {goal_fa} دور می{ZWNJ}شود و با این روند، هدف محقق نخواهد شد."
        else:
            first = f"The trend moves away from {goal_en}, so at this pace it will not be reached."
    elif f.trend_slope == 0:
        if fa:
            first = f"روند این شاخص ثابت است و با این روند، {goal_fa} محقق نمی{ZWNJ}شود."
        else:
            first = f"The trend is flat, so at this pace {goal_en} will not be reached."
    elif f.trend_reach_year is None or not math.isfinite(f.trend_reach_year):
        # The measures give no reach year (no value this year, too few points, a target
        # beyond the bounds or too far past the horizon): none is stated.
        if f.value is None:
            return [_cannot_judge(f, min_points)]
        if fa:
            first = f"با روند کنونی، سالی برای رسیدن به {goal_fa} قابل برآورد نیست."
        else:
            first = f"At the current pace no year of reaching {goal_en} can be projected."
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
            text = f"خط روند هم{ZWNJ}اکنون به {goal_fa} رسیده است"
            if f.value is not None:
                text += f"، اما مقدار گزارش{ZWNJ}شده هنوز به آن نرسیده است"
            return text + "."
        text = f"The fitted trend has already reached {goal_en}"
        if f.value is not None:
            text += ", but the reported value has not"
        return text + "."
    r, h = f.y(reach), f.y(horizon)
    if fa:
        lead = f"اگر روند کنونی ادامه یابد، هدف افق برنامه ({goal_q}) حدود سال {r} محقق می{ZWNJ}شود"
        if reach < horizon:
            return f"{lead}؛ یعنی {years_phrase(horizon - reach, 'fa')} پیش از پایان برنامه در {h}."
        if reach == horizon:
            return f"{lead}؛ یعنی در همان سال پایان برنامه."
        return f"{lead}؛ یعنی {years_phrase(reach - horizon, 'fa')} پس از پایان برنامه در {h}."
    lead = f"At this pace the horizon target of {goal_q} will be reached around {r}"
    if reach < horizon:
        return f"{lead}, {years_phrase(horizon - reach, 'en')} before the {h} horizon."
    if reach == horizon:
        return f"{lead}, the horizon year itself."
    return f"{lead}, {years_phrase(reach - horizon, 'en')} after the {h} horizon."


def _interval_clause(f: _Facts) -> tuple[str, str, str, str]:
    """The horizon's 95 % prediction interval as clauses ``(fa, en, low, high)`` ("" if none).

    The bounds are already censored at the indicator's natural bounds by the measures; when
    they were (``trend_truncated``) the clause says so.
    """
    low, high = f.trend_low, f.trend_high
    if low is None or high is None or low > high:
        return "", "", "", ""
    h_year = f.y(f.horizon_year)
    low_n, high_q = format_number(low, f.lang), f.q(high)
    band_fa, band_en = term("prediction_interval", "fa"), term("prediction_interval", "en")
    cut_fa = " (بریده در مرز طبیعی شاخص)" if f.truncated else ""
    cut_en = " (cut at the indicator's natural bound)" if f.truncated else ""
    fa = f" و {band_fa} برای سال {h_year} از {low_n} تا {high_q} است{cut_fa}"
    en = f", and the {band_en} for {h_year} runs from {low_n} to {high_q}{cut_en}"
    return fa, en, low_n, high_q


def _uncertainty_sentence(f: _Facts) -> list[str]:
    """How sure the forecast is, from p_reach_target or else the 95 % prediction interval.

    A low chance beside a status that reads as progress says why the two differ ("progress so
    far is moderate, but at the current pace the horizon target is unlikely").
    """
    if f.year >= f.horizon_year:
        return []  # a chance "by the horizon" means nothing once the horizon has come
    fa = f.lang == "fa"
    h_year = f.y(f.horizon_year)
    interval_fa, interval_en, low_n, high_q = _interval_clause(f)
    p = f.p_reach_target
    if p is not None:
        chance = chance_phrase(p, f.lang)
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
        if p < _UNCERTAIN_P[0] and f.status in _PROGRESS_STATUSES:
            label = status_label(f.status, f.lang)
            if fa:
                return [
                    f"وضعیت این شاخص تاکنون «{label}» است، اما با آهنگ کنونی رسیدن به هدف افق "
                    f"برنامه تا سال {h_year} بعید است ({chance}){interval_fa}."
                ]
            return [
                f"Progress so far is rated “{label.lower()}”, but at the current pace the horizon "
                f"target is unlikely by {h_year} ({chance}){interval_en}."
            ]
        if fa:
            level = "زیاد" if p > _UNCERTAIN_P[1] else "کم"
            return [f"احتمال رسیدن به هدف تا سال {h_year} {level} است ({chance}){interval_fa}."]
        level = "high" if p > _UNCERTAIN_P[1] else "low"
        return [f"The chance of reaching it by {h_year} is {level} ({chance}){interval_en}."]
    if interval_en and f.trend_low < f.horizon_target < f.trend_high:
        band_fa, band_en = term("prediction_interval", "fa"), term("prediction_interval", "en")
        if fa:
            return [
                f"این برآورد قطعی نیست: {band_fa} برای سال {h_year} از "
                f"{low_n} تا {high_q} است و هدف در همین بازه قرار دارد."
            ]
        return [
            f"This is uncertain: the {band_en} for {h_year} runs from {low_n} to {high_q}, "
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
            f"با ادامه روند کنونی، مقدار این شاخص در سال {h_year} به حدود {proj_q} می{ZWNJ}رسد "
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

    against = "targets_against_direction" in str(get(row, "caveats") or "").split(";")
    if against:
        # The measures judge such an indicator without its targets (docs/internal-frames.md);
        # so does the text, and it says why rather than read as a silent success.
        f.target = f.horizon_target = f.horizon_year = None
    sentences = [_value_sentence(f, tol)]
    if against:
        sentences.append(_AGAINST[f.lang])
    if f.direction == "maintain":
        sentences += _maintain_trend_sentence(f, tol, min_points)
    elif f.horizon_target is not None:
        sentences += _horizon_sentences(f, min_points)
    elif f.trend_usable(min_points):
        sentences.append(_slope_sentence(f))
    else:
        sentences.append(_cannot_judge(f, min_points))
    return " ".join(sentences)
