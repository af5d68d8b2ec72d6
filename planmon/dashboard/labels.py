"""The domain words and colours the dashboard shows, gathered for its payload.

The dashboard's own interface words (headings, buttons, hints) live in ``assets/words.js``;
the words that name the plan's concepts — statuses, kinds of department, directions, levels,
frequencies, caveats, SDSN pace categories, commentary kinds, action statuses — come from
:mod:`planmon.core.vocabulary` and reach ``app.js`` through the payload's ``labels`` block,
built by :func:`labels_block` (so the browser holds no second copy of them). Colours come from
:mod:`planmon.content.palette`, which needs no matplotlib.
"""

from __future__ import annotations

from typing import Any

from planmon.content.palette import STATUS_COLOURS, text_colour_on
from planmon.core.locale import LANGS
from planmon.core.vocabulary import (
    ACTION_STATUSES,
    CAVEATS,
    COMMENTARY_KINDS,
    DIRECTION_LABELS,
    FREQUENCY_LABELS,
    INPUT_ALIASES,
    KIND_LABELS,
    LEVEL_LABELS,
    PACE_LABELS,
    STATUS_LABELS,
    unit_label,
)
from planmon.measures.progress import STATUSES

__all__ = ["STATUS_COLOURS", "text_colour_on", "status_entries", "labels_block", "unit_label"]


def status_entries() -> list[dict[str, Any]]:
    """One entry per status, in :data:`STATUSES` order: id, colour, text colour, labels."""
    return [
        {
            "id": s,
            "colour": STATUS_COLOURS[s],
            "text_colour": text_colour_on(STATUS_COLOURS[s]),
            "label": dict(STATUS_LABELS[s]),
        }
        for s in STATUSES
    ]


def _frequencies() -> dict[str, dict[str, str]]:
    """Every way a plan writes a frequency (code, either label, alias) → its labels."""
    out: dict[str, dict[str, str]] = {}
    for code, labels in FREQUENCY_LABELS.items():
        for spelling in (code, *labels.values(), *INPUT_ALIASES["frequency"].get(code, ())):
            out[spelling] = labels
    return out


def labels_block() -> dict[str, dict[str, dict[str, str]]]:
    """The payload's ``labels``: table name → code → ``{"fa": …, "en": …}``."""
    tables = {
        "kind": KIND_LABELS,
        "direction": DIRECTION_LABELS,
        "level": LEVEL_LABELS,
        "frequency": _frequencies(),
        "caveat": CAVEATS,
        "pace_status": PACE_LABELS,
        "commentary_kind": COMMENTARY_KINDS,
        "action_status": ACTION_STATUSES,
    }
    return {
        name: {code: {lang: words[lang] for lang in LANGS} for code, words in table.items()}
        for name, table in tables.items()
    }
