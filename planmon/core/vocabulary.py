"""planmon's one vocabulary: every word a reader sees for a status, direction, level, kind,
measure, column or caveat, in Persian and English, and the words accepted on input.

Nothing else in planmon defines a label: report text, charts, tables, the dashboard, the
Excel templates and validation all read them from here (``tests/core/test_vocabulary.py``
fails on a second definition). Each table maps a code to its label in every language of
:data:`planmon.core.locale.LANGS`. The words accepted on input for a kind, direction or
level (:func:`accepted_words`, used by :mod:`planmon.core.schema`) and the column headers
(:data:`COLUMN_LABELS`) are built from the same tables, so every word planmon prints is also
a word it reads.

One term per concept, chosen once:

* a "maintain" indicator is «حفظ وضع موجود» (the older «بدون جهت» is still read);
* the roll-up's ``conformity_pct`` is «انطباق با اهداف سالانه» / "Conformity with annual
  targets", one indicator's ``achievement_pct`` «تحقق هدف سال»;
* the trend's band is a prediction interval, «بازه پیش‌بینی ۹۵٪», never a confidence interval;
* a status has one name, the one on its chip, in sentences too (no «پیشرفت اندک» beside
  «پیشرفت محدود»).
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from planmon.core.locale import LANGS
from planmon.core.text import name_key

__all__ = [
    "STATUS_LABELS",
    "COLUMN_LABELS",
    "MEASURES",
    "MEASURE_SHORT",
    "SCORE_RANGE",
    "TERMS",
    "DIRECTION_LABELS",
    "KIND_LABELS",
    "KIND_PLURALS",
    "LEVEL_LABELS",
    "FREQUENCY_LABELS",
    "UNIT_LABELS",
    "CAVEATS",
    "WORDS",
    "INPUT_ALIASES",
    "accepted_words",
    "status_label",
    "direction_label",
    "kind_label",
    "level_label",
    "frequency_label",
    "unit_label",
    "caveat_label",
    "column_label",
    "measure_label",
    "measure_short",
    "PACE_LABELS",
    "COMMENTARY_KINDS",
    "ACTION_STATUSES",
    "term",
    "word",
    "CALENDARS",
    "canonical_calendar",
]

Term = dict[str, str]

#: Indicator statuses (the codes of :data:`planmon.measures.progress.STATUSES`), best first.
STATUS_LABELS: dict[str, Term] = {
    "target_achieved": {"fa": "هدف محقق شده", "en": "Target achieved"},
    "substantial_progress": {"fa": "پیشرفت چشمگیر", "en": "Substantial progress"},
    "moderate_progress": {"fa": "پیشرفت متوسط", "en": "Moderate progress"},
    "limited_progress": {"fa": "پیشرفت محدود", "en": "Limited progress"},
    "deterioration": {"fa": "پسرفت", "en": "Deterioration"},
    "not_available": {"fa": "داده ناکافی", "en": "Insufficient data"},
}

#: An indicator's desired direction.
DIRECTION_LABELS: dict[str, Term] = {
    "increase": {"fa": "افزایشی", "en": "increase (higher is better)"},
    "decrease": {"fa": "کاهشی", "en": "decrease (lower is better)"},
    "maintain": {"fa": "حفظ وضع موجود", "en": "maintain (stay within tolerance)"},
}

#: A department's kind.
KIND_LABELS: dict[str, Term] = {
    "deputy": {"fa": "معاونت", "en": "Deputy"},
    "district": {"fa": "منطقه", "en": "District"},
    "organization": {"fa": "سازمان", "en": "Organization"},
}
KIND_PLURALS: dict[str, Term] = {
    "deputy": {"fa": "معاونت‌ها", "en": "Deputies"},
    "district": {"fa": "مناطق", "en": "Districts"},
    "organization": {"fa": "سازمان‌ها", "en": "Organizations"},
}

#: An indicator's level in the results chain.
LEVEL_LABELS: dict[str, Term] = {
    "input": {"fa": "درون‌داد", "en": "input"},
    "output": {"fa": "برون‌داد", "en": "output"},
    "outcome": {"fa": "پیامد", "en": "outcome"},
    "impact": {"fa": "اثر", "en": "impact"},
}

#: How often an indicator is measured (the passport's free-text ``frequency``).
FREQUENCY_LABELS: dict[str, Term] = {
    "annual": {"fa": "سالانه", "en": "annual"},
    "half-yearly": {"fa": "شش‌ماهه", "en": "half-yearly"},
    "quarterly": {"fa": "فصلی", "en": "quarterly"},
    "monthly": {"fa": "ماهانه", "en": "monthly"},
}

#: SDSN trend categories of an indicator's pace (the scores frame's ``pace_status``,
#: :mod:`planmon.measures.pace`).
PACE_LABELS: dict[str, Term] = {
    "achieved": {"fa": "هدف محقق شده", "en": "achieved"},
    "on_track": {"fa": "در مسیر", "en": "on track"},
    "moderately_improving": {"fa": "بهبود متوسط", "en": "moderately improving"},
    "stagnating": {"fa": "درجا زدن", "en": "stagnating"},
    "decreasing": {"fa": "دور شدن از هدف", "en": "decreasing"},
    "not_available": {"fa": "داده ناکافی", "en": "insufficient data"},
}

#: Kinds of analysts' commentary (the ``commentary`` table's ``kind``).
COMMENTARY_KINDS: dict[str, Term] = {
    "analysis": {"fa": "تحلیل", "en": "analysis"},
    "recommendation": {"fa": "توصیه", "en": "recommendation"},
    "caveat": {"fa": "ملاحظه", "en": "caveat"},
}

#: Statuses of an action (the ``actions`` table's ``status``).
ACTION_STATUSES: dict[str, Term] = {
    "planned": {"fa": "برنامه‌ریزی‌شده", "en": "planned"},
    "in progress": {"fa": "در حال اجرا", "en": "in progress"},
    "done": {"fa": "انجام‌شده", "en": "done"},
    "delayed": {"fa": "با تأخیر", "en": "delayed"},
    "cancelled": {"fa": "لغوشده", "en": "cancelled"},
}

#: Words accepted on input besides the code and its labels (which are always accepted).
INPUT_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "kind": {"organization": ("organisation",)},
    "direction": {
        "increase": ("افزایش", "مثبت", "increasing"),
        "decrease": ("کاهش", "منفی", "decreasing"),
        "maintain": ("بدون جهت", "ثابت", "حفظ", "تثبیت"),
    },
    "level": {
        "input": ("ورودی", "درونداد"),
        "output": ("خروجی", "برونداد"),
        "impact": ("اثرگذاری",),
    },
    "frequency": {"annual": ("yearly",)},
    "commentary_kind": {
        "analysis": ("تفسیر", "تجزیه و تحلیل"),
        "recommendation": ("پیشنهاد", "توصیه‌ها"),
        "caveat": ("هشدار", "ملاحظات", "note of caution"),
    },
    "action_status": {
        "planned": ("برنامه ریزی شده", "در برنامه", "not started"),
        "in progress": ("in_progress", "ongoing", "در دست اجرا", "درحال اجرا"),
        "done": ("completed", "انجام شده", "تکمیل‌شده", "تکمیل شده"),
        "delayed": ("late", "behind", "تأخیر", "تاخیر", "با تاخیر"),
        "cancelled": ("canceled", "لغو شده", "متوقف"),
    },
}

#: Units as plans write them (English), and their Persian label. A unit not listed is shown
#: as written (a plan written in Persian needs no translation).
UNIT_LABELS: dict[str, Term] = {
    "%": {"fa": "درصد", "en": "%"},
    "count": {"fa": "مورد", "en": "count"},
    "days": {"fa": "روز", "en": "days"},
    "days per year": {"fa": "روز در سال", "en": "days per year"},
    "minutes": {"fa": "دقیقه", "en": "minutes"},
    "hours": {"fa": "ساعت", "en": "hours"},
    "years": {"fa": "سال", "en": "years"},
    "km": {"fa": "کیلومتر", "en": "km"},
    "km/h": {"fa": "کیلومتر بر ساعت", "en": "km/h"},
    "persons": {"fa": "نفر", "en": "persons"},
    "thousand persons": {"fa": "هزار نفر", "en": "thousand persons"},
    "thousand users": {"fa": "هزار کاربر", "en": "thousand users"},
    "thousand passengers per day": {"fa": "هزار مسافر در روز", "en": "thousand passengers per day"},
    "billion rials": {"fa": "میلیارد ریال", "en": "billion rials"},
    "hectares per year": {"fa": "هکتار در سال", "en": "hectares per year"},
    "m² per capita": {"fa": "مترمربع سرانه", "en": "m² per capita"},
    "kg per person per day": {"fa": "کیلوگرم برای هر نفر در روز", "en": "kg per person per day"},
    "hours per employee": {"fa": "ساعت برای هر کارمند", "en": "hours per employee"},
    "trees per year": {"fa": "اصله درخت در سال", "en": "trees per year"},
    "events per year": {"fa": "برنامه در سال", "en": "events per year"},
    "accidents per 10,000 vehicles": {
        "fa": "تصادف در هر ده هزار خودرو",
        "en": "accidents per 10,000 vehicles",
    },
    "deaths per 100,000 residents": {
        "fa": "جان‌باخته در هر صد هزار نفر",
        "en": "deaths per 100,000 residents",
    },
    "staff per 1,000 residents": {"fa": "کارمند در هر هزار نفر", "en": "staff per 1,000 residents"},
}

#: Machine-readable codes of the validation findings that travel with the numbers (the
#: ``caveats`` column of the scores frame, ``;``-separated), with their labels.
CAVEATS: dict[str, Term] = {
    "targets_against_direction": {
        "fa": "هدف‌ها خلاف جهت مطلوب شاخص",
        "en": "targets move against the indicator's direction",
    },
    "maintain_targets_trend": {
        "fa": "شاخص «حفظ وضع موجود» با هدف‌های یک‌سویه",
        "en": "a maintain indicator whose targets all move one way",
    },
    "outside_0_100": {"fa": "درصد خارج از بازه ۰ تا ۱۰۰", "en": "percentage outside 0–100"},
    "jump": {"fa": "جهش بیش از ده برابر", "en": "value more than ten times off"},
    "no_targets": {"fa": "بدون هدف", "en": "no targets"},
    "data_gap": {"fa": "بدون داده در گزارش", "en": "missing from the department's report"},
}

#: The data contract's columns as a reader sees them (table headers, passport fields). The
#: reader of plan files accepts each as a header too (:data:`planmon.core.schema.COLUMN_ALIASES`).
COLUMN_LABELS: dict[str, Term] = {
    "unit": {"fa": "واحد سنجش", "en": "Unit"},
    "direction": {"fa": "جهت مطلوب", "en": "Desired direction"},
    "baseline_year": {"fa": "سال پایه", "en": "Baseline year"},
    "baseline_value": {"fa": "مقدار پایه", "en": "Baseline"},
    "level": {"fa": "سطح", "en": "Level"},
    "definition": {"fa": "تعریف", "en": "Definition"},
    "formula": {"fa": "فرمول محاسبه", "en": "Formula"},
    "responsible": {"fa": "واحد مسئول", "en": "Responsible unit"},
    "source": {"fa": "منبع", "en": "Source"},
    "frequency": {"fa": "تناوب اندازه‌گیری", "en": "Frequency"},
    "note": {"fa": "توضیح", "en": "Note"},
}

#: The measures a reader sees, by their column in the scores and roll-up frames: the full
#: name (key figures, sentences) and the short one (table headers, chart axes). One term per
#: measure: conformity_pct is «انطباق با اهداف سالانه» everywhere (never «تحقق هدف‌های سال»,
#: which would read as one indicator's achievement_pct).
MEASURES: dict[str, Term] = {
    "conformity_pct": {"fa": "انطباق با اهداف سالانه", "en": "Conformity with annual targets"},
    "achievement_pct": {"fa": "تحقق هدف سال", "en": "Achievement of the year's target"},
    "distance_covered_pct": {
        "fa": "مسیر طی‌شده تا هدف افق",
        "en": "Distance covered to the horizon target",
    },
    "progress_score": {"fa": "امتیاز پیشرفت", "en": "Progress score"},
    "coverage_pct": {"fa": "شاخص‌های دارای مقدار", "en": "Indicators with a value"},
}
MEASURE_SHORT: dict[str, Term] = {
    "conformity_pct": {"fa": "انطباق", "en": "Conformity"},
    "achievement_pct": {"fa": "تحقق هدف سال", "en": "Achievement"},
    "distance_covered_pct": {"fa": "مسیر طی‌شده", "en": "Distance covered"},
    "progress_score": {"fa": "امتیاز", "en": "Score"},
    "coverage_pct": {"fa": "پوشش", "en": "Coverage"},
}

#: The scale of the progress score (Open SDG, −5 … 5), printed with the locale's digits.
SCORE_RANGE = (-5, 5)

#: Words for the state of the data, shared by the reports, the publication and the dashboard.
TERMS: dict[str, Term] = {
    "provisional": {"fa": "موقت", "en": "provisional"},
    "report_not_received": {"fa": "گزارش دریافت نشده", "en": "report not received"},
    "data_caveats": {"fa": "ملاحظات داده‌ها", "en": "Data caveats"},
    "prediction_interval": {"fa": "بازه پیش‌بینی ۹۵٪", "en": "95% prediction interval"},
}

#: Headings, table headers, chart words and sentence templates of the reports, kept as data in
#: ``words.json`` beside this module (one entry a phrase, ``{"fa": …, "en": …}``). A template's
#: ``{name}`` fields are filled by :func:`word`.
WORDS: dict[str, Term] = json.loads(
    resources.files("planmon.core").joinpath("words.json").read_text(encoding="utf-8")
)

_CONCEPTS: dict[str, dict[str, Term]] = {
    "kind": KIND_LABELS,
    "direction": DIRECTION_LABELS,
    "level": LEVEL_LABELS,
    "frequency": FREQUENCY_LABELS,
    "commentary_kind": COMMENTARY_KINDS,
    "action_status": ACTION_STATUSES,
}


def accepted_words(concept: str) -> dict[str, tuple[str, ...]]:
    """The words read as each code of ``concept`` ("kind", "direction", "level", "frequency",
    "commentary_kind", "action_status").

    The printed labels come first (Persian, then English), then the other accepted spellings
    of :data:`INPUT_ALIASES`; the code itself is accepted too (by the reader, not listed here).
    """
    extra = INPUT_ALIASES.get(concept, {})
    out: dict[str, tuple[str, ...]] = {}
    for code, labels in _CONCEPTS[concept].items():
        words = [labels[lang] for lang in LANGS] + list(extra.get(code, ()))
        out[code] = tuple(dict.fromkeys(w for w in words if w != code))
    return out


def _label(table: dict[str, Term], code: Any, lang: str) -> str:
    """The label of ``code``, or of the code one of whose labels ``code`` is; else as written."""
    text = "" if code is None else str(code)
    if text in table:
        return table[text][lang]
    key = name_key(text)
    for labels in table.values():
        if key and key in {name_key(label) for label in labels.values()}:
            return labels[lang]
    return text


def status_label(code: str, lang: str) -> str:
    """The reader's name of a status (``"not_available"`` for an unknown code)."""
    return STATUS_LABELS.get(code, STATUS_LABELS["not_available"])[lang]


def direction_label(code: Any, lang: str) -> str:
    """The reader's name of a direction ("" for an unknown one)."""
    text = "" if code is None else str(code)
    return DIRECTION_LABELS[text][lang] if text in DIRECTION_LABELS else ""


def kind_label(code: Any, lang: str) -> str:
    """The reader's name of a department kind (the text itself when unknown)."""
    return _label(KIND_LABELS, code, lang)


def level_label(code: Any, lang: str) -> str:
    """The reader's name of an indicator level (the text itself when unknown)."""
    return _label(LEVEL_LABELS, code, lang)


def frequency_label(text: Any, lang: str) -> str:
    """The reader's name of a measurement frequency written in either language."""
    key = name_key(text)
    for code, labels in FREQUENCY_LABELS.items():
        words = (code, *labels.values(), *INPUT_ALIASES["frequency"].get(code, ()))
        if key in {name_key(w) for w in words}:
            return labels[lang]
    return "" if text is None else str(text)


def unit_label(unit: Any, lang: str) -> str:
    """The unit as a reader of ``lang`` expects it, written in either language (see
    :data:`UNIT_LABELS`); a unit not listed is shown as written."""
    text = "" if unit is None or (isinstance(unit, float) and unit != unit) else str(unit)
    for labels in UNIT_LABELS.values():
        if text in labels.values():
            return labels[lang]
    return text


def caveat_label(code: str, lang: str) -> str:
    """The reader's label of a caveat code (the code itself when it is unknown)."""
    return CAVEATS.get(code, {}).get(lang, code)


def column_label(column: str, lang: str) -> str:
    """A data-contract column as a table header or passport field (see :data:`COLUMN_LABELS`)."""
    return COLUMN_LABELS[column][lang]


def measure_label(code: str, lang: str) -> str:
    """The full name of a measure (``conformity_pct``, ``progress_score``, ...)."""
    return MEASURES[code][lang]


def measure_short(code: str, lang: str) -> str:
    """The short name of a measure, for table headers and chart axes."""
    return MEASURE_SHORT[code][lang]


def term(key: str, lang: str) -> str:
    """A word for the state of the data (see :data:`TERMS`): ``provisional``, ..."""
    return TERMS[key][lang]


def word(key: str, lang: str, **values: Any) -> str:
    """The report word ``key`` of :data:`WORDS` in ``lang``, its ``{fields}`` filled in."""
    text = WORDS[key][lang]
    return text.format(**values) if values else text


#: The plan's calendar (the ``calendar`` plan setting) and the words accepted for it.
CALENDARS: dict[str, dict[str, object]] = {
    "jalali": {
        "fa": "هجری شمسی",
        "en": "Jalali (solar Hijri)",
        "accepted": ("شمسی", "هجری شمسی", "خورشیدی", "جلالی", "solar hijri", "persian"),
    },
    "gregorian": {
        "fa": "میلادی",
        "en": "Gregorian",
        "accepted": ("میلادی", "گریگوری", "gregorian calendar"),
    },
}


def canonical_calendar(word: object) -> str | None:
    """``jalali`` or ``gregorian`` for a calendar word (English or Persian), else None.

    Examples
    --------
    >>> canonical_calendar("هجری شمسی"), canonical_calendar("Gregorian"), canonical_calendar("lunar")
    ('jalali', 'gregorian', None)
    """
    key = name_key(word)
    for canonical, entry in CALENDARS.items():
        if key and key in {name_key(w) for w in (canonical, *entry["accepted"])}:
            return canonical
    return None
