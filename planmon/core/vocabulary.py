"""planmon's one vocabulary: every word a reader sees for a status, direction, level, kind,
measure or caveat, in Persian and English, and the words accepted on input.

Nothing else in planmon defines a label: report text, charts, tables, the dashboard, the
Excel templates and validation all read them from here (a test fails on a second definition).
"""

from __future__ import annotations

from planmon.core.text import name_key

__all__ = ["CAVEATS", "caveat_label", "CALENDARS", "canonical_calendar"]

#: Machine-readable codes of the validation findings that travel with the numbers (the
#: ``caveats`` column of the scores frame, ``;``-separated), with their labels.
CAVEATS: dict[str, dict[str, str]] = {
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


def caveat_label(code: str, lang: str) -> str:
    """The reader's label of a caveat code (the code itself when it is unknown)."""
    return CAVEATS.get(code, {}).get(lang, code)


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
