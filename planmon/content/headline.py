"""The headline every summary shares: the sentence on the progress score, the key figures
(conformity, progress score, distance covered, coverage) with the change on the previous report
year, and the count of indicators per status."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from typing import Any

from planmon.content.blocks import GREY, RULE, arrow, chip, fixed, missing, pct
from planmon.core.locale import format_number, format_year
from planmon.core.vocabulary import SCORE_RANGE, measure_label, word
from planmon.measures.progress import STATUSES

__all__ = ["score_range", "change_line", "score_sentence", "key_figures", "status_chips"]


def score_range(lang: str) -> dict[str, str]:
    """The progress score's scale as ``low`` and ``high`` fields for a sentence template."""
    low, high = SCORE_RANGE
    return {"low": format_number(low, lang), "high": format_number(high, lang)}


def change_line(
    change: Any, previous: Any, lang: str, *, kind: str, comparable: bool = True
) -> str:
    """The small line under a key figure: "▲ 3.5 percentage points on 1397" or "no change".

    ``kind`` is ``"points"`` (a percentage, in percentage points) or ``"score"``. When the
    change is not ``comparable`` (either year is provisional) it says so instead of a change.
    """
    if missing(previous):
        return word("no_previous", lang)
    prev = format_year(previous, lang)
    if not comparable:
        return word("change_provisional", lang, prev=prev)
    if missing(change):
        return word("no_previous", lang)
    if kind == "points":
        value = format_number(abs(change), lang)
        if round(abs(float(change)), 1) == 0:
            return word("same_as", lang, year=prev)
        return word("change_points", lang, arrow=arrow(change), value=value, year=prev)
    if round(abs(float(change)), 1) == 0:
        return word("same_as", lang, year=prev)
    return word(
        "change_score", lang, arrow=arrow(change), value=fixed(abs(change), lang), year=prev
    )


def _figure_cards(cards: Sequence[tuple[str, str, str]]) -> str:
    """Key figures side by side: (label, big number, small line under it)."""
    cells = []
    for label, value, note in cards:
        cells.append(
            f'<td style="border: 1px solid {RULE}; padding: 5pt 8pt; width: {100 // len(cards)}%; '
            'vertical-align: top">'
            f'<div style="color: {GREY}; font-size: 0.85em">{html.escape(label)}</div>'
            f'<div style="font-size: 1.45em; font-weight: bold">{html.escape(value)}</div>'
            f'<div style="color: {GREY}; font-size: 0.8em">{html.escape(note)}</div></td>'
        )
    return (
        '<table class="planmon-figures" style="border-collapse: collapse; width: 100%; '
        f'margin: 0.5em 0 0.8em">\n<tr>{"".join(cells)}</tr></table>'
    )


def key_figures(row: Mapping[str, Any], lang: str) -> str:
    """The four key figures of a roll-up row (with ``conformity_change``, ``score_change`` and
    ``previous_year`` from :func:`planmon.measures.rollup.change_against_previous`)."""
    previous = row["previous_year"]
    comparable = bool(row.get("change_comparable", True))
    coverage = word(
        "coverage_value",
        lang,
        k=format_number(int(row["n_with_value"]), lang),
        n=format_number(int(row["n_indicators"]), lang),
    )
    cards = [
        (
            measure_label("conformity_pct", lang),
            pct(row["conformity_pct"], lang),
            change_line(
                row["conformity_change"], previous, lang, kind="points", comparable=comparable
            ),
        ),
        (
            word("scale", lang, name=measure_label("progress_score", lang), **score_range(lang)),
            fixed(row["progress_score"], lang),
            change_line(row["score_change"], previous, lang, kind="score", comparable=comparable),
        ),
        (measure_label("distance_covered_pct", lang), pct(row["distance_covered_pct"], lang), ""),
        (measure_label("coverage_pct", lang), coverage, pct(row["coverage_pct"], lang)),
    ]
    return _figure_cards(cards)


def status_chips(row: Mapping[str, Any], lang: str) -> str:
    """One chip per status with its count of indicators (statuses with none are left out)."""
    chips = [
        chip(s, lang, int(row.get(f"n_{s}", 0) or 0))
        for s in STATUSES
        if int(row.get(f"n_{s}", 0) or 0) > 0
    ]
    return (
        f'<p style="margin: 0.3em 0"><span style="color: {GREY}">'
        f"{html.escape(word('statuses', lang))}: </span>{''.join(chips)}</p>"
    )


def score_sentence(row: Mapping[str, Any], lang: str, key: str = "score_sentence") -> str:
    """The sentence on the mean progress score and its change on the previous year."""
    sentence = word(key, lang, score=fixed(row["progress_score"], lang), **score_range(lang))
    change, previous = row.get("score_change"), row.get("previous_year")
    if not bool(row.get("change_comparable", True)):
        pass  # a provisional year's change is no gain or loss: key_figures says why
    elif not missing(change) and not missing(previous):
        prev = format_year(previous, lang)
        if round(abs(float(change)), 1) == 0:
            sentence += word("score_same", lang, year=prev)
        else:
            direction = "score_up" if change > 0 else "score_down"
            sentence += word(direction, lang, value=fixed(abs(change), lang), year=prev)
    return sentence + "."
