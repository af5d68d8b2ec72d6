"""Every domain word and colour the dashboard shows, taken in one place.

The dashboard's own interface words (headings, buttons, hints) live in ``assets/words.js``;
the words that name the plan's concepts — statuses, kinds of department, directions, levels,
frequencies, caveats, SDSN pace categories, commentary kinds, action statuses — belong to
:mod:`planmon.core.vocabulary` and reach ``app.js`` through the payload's ``labels`` block,
built by :func:`labels_block` (so the browser holds no second copy of them).

Merge note
----------
On this branch :mod:`planmon.core.vocabulary` holds only the caveats. The other tables below
are TEMPORARY copies of the words the reports use today (``planmon.content.charts`` and the
private tables of ``planmon.content.report``, which import matplotlib and could not be
imported here for a palette). When the vocabulary branch lands, replace each ``_*_LABELS``
dict and :data:`STATUS_COLOURS` below by an import from :mod:`planmon.core.vocabulary` and
delete the copies; :func:`labels_block` and :func:`status_entries` keep their shape.
"""

from __future__ import annotations

from typing import Any

from planmon.content.interpret import localise_unit
from planmon.core.vocabulary import CAVEATS
from planmon.measures.progress import STATUSES

__all__ = [
    "LANGUAGES",
    "STATUS_COLOURS",
    "text_colour_on",
    "status_entries",
    "labels_block",
    "unit_label",
]

#: The dashboard's languages (TEMPORARY: core/locale's language list once it exists).
LANGUAGES: tuple[str, ...] = ("fa", "en")

# ----------------------------------------------------------------------------- TEMPORARY copies
#: TEMPORARY copy of ``planmon.content.charts.STATUS_COLOURS`` (delete after the merge).
STATUS_COLOURS: dict[str, str] = {
    "target_achieved": "#0B7A75",
    "substantial_progress": "#6DBE8C",
    "moderate_progress": "#F3D550",
    "limited_progress": "#EE8A2A",
    "deterioration": "#B8223A",
    "not_available": "#BDBDBD",
}

_STATUS_LABELS: dict[str, dict[str, str]] = {
    "target_achieved": {"fa": "هدف محقق شده", "en": "Target achieved"},
    "substantial_progress": {"fa": "پیشرفت چشمگیر", "en": "Substantial progress"},
    "moderate_progress": {"fa": "پیشرفت متوسط", "en": "Moderate progress"},
    "limited_progress": {"fa": "پیشرفت محدود", "en": "Limited progress"},
    "deterioration": {"fa": "پسرفت", "en": "Deterioration"},
    "not_available": {"fa": "داده ناکافی", "en": "Insufficient data"},
}
_KIND_LABELS: dict[str, dict[str, str]] = {
    "deputy": {"fa": "معاونت", "en": "Deputy"},
    "district": {"fa": "منطقه", "en": "District"},
    "organization": {"fa": "سازمان", "en": "Organization"},
}
_DIRECTION_LABELS: dict[str, dict[str, str]] = {
    "increase": {"fa": "افزایشی", "en": "increase (higher is better)"},
    "decrease": {"fa": "کاهشی", "en": "decrease (lower is better)"},
    "maintain": {"fa": "حفظ وضع موجود", "en": "maintain (stay within tolerance)"},
}
_LEVEL_LABELS: dict[str, dict[str, str]] = {
    "input": {"fa": "درون‌داد", "en": "input"},
    "output": {"fa": "برون‌داد", "en": "output"},
    "outcome": {"fa": "پیامد", "en": "outcome"},
    "impact": {"fa": "اثر", "en": "impact"},
}
# a plan writes its frequency in either language
_FREQUENCY_LABELS: dict[str, dict[str, str]] = {
    "annual": {"fa": "سالانه", "en": "annual"},
    "yearly": {"fa": "سالانه", "en": "annual"},
    "monthly": {"fa": "ماهانه", "en": "monthly"},
    "quarterly": {"fa": "فصلی", "en": "quarterly"},
    "سالانه": {"fa": "سالانه", "en": "annual"},
    "ماهانه": {"fa": "ماهانه", "en": "monthly"},
    "فصلی": {"fa": "فصلی", "en": "quarterly"},
    "شش‌ماهه": {"fa": "شش‌ماهه", "en": "half-yearly"},
}
# SDSN trend categories (issue 9 item 6: the ``pace_status`` column).
_PACE_LABELS: dict[str, dict[str, str]] = {
    "achieved": {"fa": "هدف محقق شده", "en": "achieved"},
    "on_track": {"fa": "در مسیر", "en": "on track"},
    "moderately_improving": {"fa": "بهبود متوسط", "en": "moderately improving"},
    "stagnating": {"fa": "درجا زدن", "en": "stagnating"},
    "decreasing": {"fa": "دور شدن از هدف", "en": "decreasing"},
}
# Issue 11 items 1–2 (commentary and actions tables).
_COMMENTARY_LABELS: dict[str, dict[str, str]] = {
    "analysis": {"fa": "تحلیل", "en": "analysis"},
    "recommendation": {"fa": "توصیه", "en": "recommendation"},
    "caveat": {"fa": "ملاحظه", "en": "caveat"},
}
_ACTION_LABELS: dict[str, dict[str, str]] = {
    "planned": {"fa": "برنامه‌ریزی‌شده", "en": "planned"},
    "in progress": {"fa": "در حال اجرا", "en": "in progress"},
    "done": {"fa": "انجام‌شده", "en": "done"},
    "delayed": {"fa": "با تأخیر", "en": "delayed"},
    "cancelled": {"fa": "لغوشده", "en": "cancelled"},
}
# --------------------------------------------------------------------------- end of the copies


def text_colour_on(background: str) -> str:
    """``#000000`` or ``#ffffff``, whichever reads better on ``background`` (``#RRGGBB``).

    The WCAG relative luminance (sRGB → linear, weights 0.2126, 0.7152, 0.0722) with the
    0.35 cut-off ``planmon.content.charts.text_colour_on`` uses, in plain Python so the
    dashboard needs no matplotlib.

    Examples
    --------
    >>> text_colour_on("#B8223A"), text_colour_on("#F3D550")
    ('#ffffff', '#000000')
    """
    channels = [int(background.lstrip("#")[k : k + 2], 16) / 255 for k in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.35 else "#ffffff"


def status_entries() -> list[dict[str, Any]]:
    """One entry per status, in :data:`STATUSES` order: id, colour, text colour, labels."""
    return [
        {
            "id": s,
            "colour": STATUS_COLOURS[s],
            "text_colour": text_colour_on(STATUS_COLOURS[s]),
            "label": dict(_STATUS_LABELS[s]),
        }
        for s in STATUSES
    ]


def labels_block() -> dict[str, dict[str, dict[str, str]]]:
    """The payload's ``labels``: table name → code → ``{"fa": …, "en": …}``."""
    tables = {
        "kind": _KIND_LABELS,
        "direction": _DIRECTION_LABELS,
        "level": _LEVEL_LABELS,
        "frequency": _FREQUENCY_LABELS,
        "caveat": CAVEATS,
        "pace_status": _PACE_LABELS,
        "commentary_kind": _COMMENTARY_LABELS,
        "action_status": _ACTION_LABELS,
    }
    return {
        name: {code: {lang: words[lang] for lang in LANGUAGES} for code, words in table.items()}
        for name, table in tables.items()
    }


def unit_label(unit: Any, lang: str) -> str:
    """An indicator's unit in the reader's language (``planmon.content.interpret``)."""
    return localise_unit(unit, lang)
