"""The dashboard's words that come from planmon's vocabulary, put into the page's payload."""

from __future__ import annotations

from typing import Any

from planmon.core.locale import LANGS
from planmon.core.vocabulary import (
    KIND_LABELS,
    KIND_PLURALS,
    MEASURE_SHORT,
    MEASURES,
    WORDS,
    status_label,
    term,
)

__all__ = ["dashboard_words"]


def dashboard_words() -> dict[str, dict[str, Any]]:
    """The dashboard's words that come from :mod:`planmon.core.vocabulary`, per language.

    ``assets/app.js`` merges them over its own word table, so the dashboard names kinds,
    measures and the prediction interval exactly as the reports do.
    """
    measures = {
        "tile_conformity": MEASURES["conformity_pct"],
        "col_conformity": MEASURE_SHORT["conformity_pct"],
        "tile_distance": MEASURES["distance_covered_pct"],
        "col_distance": MEASURE_SHORT["distance_covered_pct"],
        "col_score": MEASURE_SHORT["progress_score"],
        "col_achievement": MEASURE_SHORT["achievement_pct"],
    }
    words: dict[str, dict[str, Any]] = {}
    for lang in LANGS:
        interval = term("prediction_interval", lang)
        words[lang] = {key: labels[lang] for key, labels in measures.items()}
        words[lang].update(
            kinds={k: labels[lang] for k, labels in KIND_LABELS.items()},
            kinds_plural={k: labels[lang] for k, labels in KIND_PLURALS.items()},
            legend_interval=interval,
            interval=f"{interval}: {WORDS['range'][lang]}",
            band_na=status_label("not_available", lang),
        )
    return words
