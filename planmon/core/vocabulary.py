"""planmon's one vocabulary: every word a reader sees for a status, direction, level, kind,
measure or caveat, in Persian and English, and the words accepted on input.

Nothing else in planmon defines a label: report text, charts, tables, the dashboard, the
Excel templates and validation all read them from here (a test fails on a second definition).
"""

from __future__ import annotations

__all__ = ["CAVEATS", "caveat_label"]

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
