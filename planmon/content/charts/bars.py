"""Bar charts: one bar per indicator (achievement, distance covered) or per department (rank)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from planmon.content.charts.common import (
    digits,
    label_column,
    legend,
    literal,
    mirror_for_rtl,
    no_data_figure,
    number_formatter,
    require,
    status_legend_handles,
)
from planmon.content.charts.common import (
    wrap as wrap_text,
)
from planmon.content.charts.fixed import fit_axes
from planmon.content.charts.legend import Chart
from planmon.content.charts.style import REFERENCE, TRACK, WIDTH, chart_style, check_lang, layout
from planmon.content.palette import STATUS_COLOURS, status_of, text_colour_on
from planmon.core.locale import MISSING, format_fixed, format_percent
from planmon.core.vocabulary import measure_label, measure_short, status_label, word

__all__ = [
    "comparison_chart",
    "comparison_page_chart",
    "distance_chart",
    "distance_page_chart",
    "ranking_chart",
]

# Height (inches) a page chart needs beyond its rows: the x axis and its label, no legend.
_PAGE_EXTRA = 0.85


def _bar_rows(
    frame: pd.DataFrame, lang: str, label: str | None, value: str, wrap_at: int
) -> tuple[list[str], np.ndarray, list[str]]:
    """Wrapped labels, numeric values and statuses of a one-bar-per-indicator chart."""
    label_col = label_column(frame, lang, label, ["indicator_id"])
    labels = [wrap_text(text, wrap_at) for text in frame[label_col].astype(str)]
    values = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float)
    statuses = [status_of(s) for s in frame["status"].tolist()]
    return labels, values, statuses


def _bar_height(labels: Sequence[str], *, extra: float) -> float:
    lines = sum(label.count("\n") + 1 for label in labels)
    return max(2.2, extra + 0.2 * lines + 0.12 * len(labels))


def comparison_chart(
    frame: pd.DataFrame,
    *,
    lang: str = "fa",
    label: str | None = None,
    value: str = "achievement_pct",
    cap: float = 150.0,
    wrap: int = 38,
) -> Figure:
    """Compare this year's achievement of every indicator with its target (100 %).

    Parameters
    ----------
    frame : DataFrame
        One row per indicator, drawn top to bottom in the frame's order. Needs ``value``
        (percent) and ``status``; the label column is ``label`` or ``name_<lang>``, ``name``
        or ``indicator_id``.
    lang : {"fa", "en"}
        Report language. Persian mirrors the chart: labels on the right, bars grow leftwards.
    label : str, optional
        Column holding the row labels.
    value : str
        Column with the percentages (default ``achievement_pct``).
    cap : float
        Bars are drawn no longer than ``cap`` percent; longer ones end in an arrow and carry
        their true value as text.
    wrap : int
        Labels are wrapped at about this many characters.

    Returns
    -------
    Figure
    """
    return _comparison(frame, lang, label, value, cap, wrap, page=False).figure


def comparison_page_chart(
    frame: pd.DataFrame,
    *,
    lang: str = "fa",
    label: str | None = None,
    value: str = "achievement_pct",
    cap: float = 150.0,
    wrap: int = 38,
) -> Chart:
    """:func:`comparison_chart` for a page that sets its legend (see
    :class:`~planmon.content.charts.legend.Chart`): axes placed once, no layout engine."""
    return _comparison(frame, lang, label, value, cap, wrap, page=True)


def _figure(labels: Sequence[str], page: bool) -> Figure:
    """A bar chart's figure: room for the legend below unless the page sets it."""
    if page:
        return Figure(figsize=(WIDTH, _bar_height(labels, extra=_PAGE_EXTRA)), layout=None)
    return Figure(figsize=(WIDTH, _bar_height(labels, extra=1.3)), layout=layout())


def _finish(fig: Figure, ax: Any, handles: list[Any], lang: str, page: bool) -> Chart:
    """The legend in the figure, or the axes fitted for a page that sets the legend."""
    if page:
        fit_axes(fig, ax)
    else:
        legend(fig, handles, lang)
    return Chart(fig, "", tuple(handles))


def _comparison(
    frame: pd.DataFrame,
    lang: str,
    label: str | None,
    value: str,
    cap: float,
    wrap: int,
    *,
    page: bool,
) -> Chart:
    check_lang(lang)
    require(frame, [value, "status"], "comparison_chart")
    if frame.empty:
        return Chart(no_data_figure(lang), "", ())
    labels, values, statuses = _bar_rows(frame, lang, label, value, wrap)
    floor = max(-50.0, min(0.0, float(np.nanmin(values)) if np.isfinite(values).any() else 0.0))
    shown = np.clip(np.nan_to_num(values, nan=0.0), floor, cap)
    positions = np.arange(len(labels))

    with chart_style(lang):
        fig = _figure(labels, page)
        ax = fig.add_subplot()
        ax.barh(
            positions,
            shown,
            color=[STATUS_COLOURS[s] for s in statuses],
            height=0.66,
            edgecolor="none",
            zorder=2,
        )
        ax.axvline(100, color=REFERENCE, linewidth=1.1, linestyle="--", zorder=3)
        if floor < 0:
            ax.axvline(0, color=REFERENCE, linewidth=0.8, zorder=3)
        span = cap - floor
        for pos, raw, bar_end in zip(positions, values, shown, strict=True):
            _comparison_label(ax, pos, raw, bar_end, statuses[pos], cap, floor, lang)
        # Room beyond both ends for the value labels of the longest bars.
        ax.set_xlim(floor - (0.12 * span if floor < 0 else 0), cap + 0.06 * span)
        # Ticks only over the drawn range, so no grid line doubles the axis line at the margin.
        step = 25.0 if span <= 250 else 50.0
        ax.set_xticks(np.arange(math.ceil(floor / step) * step, cap + step / 2, step))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(number_formatter(lang, percent=True))
        ax.set_xlabel(word("percent_axis", lang, name=measure_label("achievement_pct", lang)))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        mirror_for_rtl(ax, lang)
        return _finish(fig, ax, _comparison_handles(statuses, values, cap, lang), lang, page)


def _comparison_label(
    ax: Any,
    pos: int,
    raw: float,
    bar_end: float,
    status: str,
    cap: float,
    floor: float,
    lang: str,
) -> None:
    """A bar's value as text: beside the bar, inside a long one, ▶ where the bar is cut."""
    span = cap - floor
    if math.isnan(raw):
        # no value is the locale's missing mark, not a status: a maintain indicator has no
        # achievement figure yet may well be "target achieved"
        text = MISSING
        ha = "right" if lang == "fa" else "left"
        ax.text(span * 0.01, pos, text, va="center", ha=ha, fontsize=8, color="#666666")
        return
    beyond = raw > cap or raw < floor
    if beyond:
        # A triangle pointing away from zero marks a bar cut at the display limit.
        pointing_right = (raw > cap) != (lang == "fa")
        ax.plot(
            [bar_end],
            [pos],
            marker=">" if pointing_right else "<",
            color=REFERENCE,
            markersize=7,
            zorder=4,
            clip_on=False,
        )
    text = format_percent(raw, lang)
    inside = abs(bar_end) > 0.82 * span
    offset = span * (0.025 if beyond else 0.01)
    if inside:
        x, ha = bar_end - np.sign(bar_end) * offset, "right"
        colour = text_colour_on(STATUS_COLOURS[status])
    else:
        x, ha = bar_end + (offset if bar_end >= 0 else -offset), "left"
        colour = "#222222"
    if bar_end < 0 and not inside:
        ha = "right"
    if lang == "fa":
        ha = {"left": "right", "right": "left"}[ha]
    ax.text(x, pos, text, va="center", ha=ha, fontsize=8, color=colour, zorder=5)


def _comparison_handles(
    statuses: Sequence[str], values: np.ndarray, cap: float, lang: str
) -> list[Any]:
    """The statuses shown, the 100 % line and, when a bar is cut, the "above cap" arrow."""
    handles: list[Any] = status_legend_handles(statuses, lang)
    handles.append(
        Line2D([], [], color=REFERENCE, linestyle="--", label=word("full_achievement", lang))
    )
    if np.nanmax(np.append(values, -np.inf)) > cap:
        handles.append(
            Line2D(
                [],
                [],
                marker="<" if lang == "fa" else ">",
                color=REFERENCE,
                linestyle="none",
                label=word("above_cap", lang, cap=format_percent(cap, lang)),
            )
        )
    return handles


def distance_chart(
    frame: pd.DataFrame,
    *,
    lang: str = "fa",
    label: str | None = None,
    value: str = "distance_covered_pct",
    wrap: int = 38,
) -> Figure:
    """Show how far each indicator has come from its baseline towards its horizon target.

    Each row is a 0–100 % track with a bar for the distance covered and a black tick at the
    share of plan time elapsed, ``(year − baseline_year) / (horizon_year − baseline_year)``:
    a bar short of its tick is behind a straight-line schedule.

    Parameters
    ----------
    frame : DataFrame
        One row per indicator, in display order. Needs ``value`` (percent) and ``status``;
        ``year``, ``baseline_year`` and ``horizon_year`` add the elapsed-time ticks.
    lang : {"fa", "en"}
        Report language.
    label : str, optional
        Column holding the row labels (default ``name_<lang>``, ``name`` or
        ``indicator_id``).
    value : str
        Column with the distance covered, in percent.
    wrap : int
        Labels are wrapped at about this many characters.

    Returns
    -------
    Figure
    """
    return _distance(frame, lang, label, value, wrap, page=False).figure


def distance_page_chart(
    frame: pd.DataFrame,
    *,
    lang: str = "fa",
    label: str | None = None,
    value: str = "distance_covered_pct",
    wrap: int = 38,
) -> Chart:
    """:func:`distance_chart` for a page that sets its legend (see
    :class:`~planmon.content.charts.legend.Chart`): axes placed once, no layout engine."""
    return _distance(frame, lang, label, value, wrap, page=True)


def _distance(
    frame: pd.DataFrame, lang: str, label: str | None, value: str, wrap: int, *, page: bool
) -> Chart:
    check_lang(lang)
    require(frame, [value, "status"], "distance_chart")
    if frame.empty:
        return Chart(no_data_figure(lang), "", ())
    labels, values, statuses = _bar_rows(frame, lang, label, value, wrap)
    positions = np.arange(len(labels))
    expected = _elapsed_share(frame, len(labels))

    with chart_style(lang):
        fig = _figure(labels, page)
        ax = fig.add_subplot()
        _distance_bars(ax, positions, values, statuses, expected, lang)
        ax.set_xlim(0, 118)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_formatter(number_formatter(lang, percent=True))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlabel(word("percent_axis", lang, name=measure_label("distance_covered_pct", lang)))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.spines["bottom"].set_visible(False)
        mirror_for_rtl(ax, lang)
        handles: list[Any] = status_legend_handles(statuses, lang)
        if np.isfinite(expected).any():
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="|",
                    markersize=11,
                    markeredgewidth=2.2,
                    color=REFERENCE,
                    linestyle="none",
                    label=word("expected", lang),
                )
            )
        return _finish(fig, ax, handles, lang, page)


def _elapsed_share(frame: pd.DataFrame, n: int) -> np.ndarray:
    """Per row, the share of plan time elapsed in percent (NaN without the three years)."""
    if not {"year", "baseline_year", "horizon_year"} <= set(frame.columns):
        return np.full(n, np.nan)
    year = pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype=float)
    base = pd.to_numeric(frame["baseline_year"], errors="coerce").to_numpy(dtype=float)
    horizon = pd.to_numeric(frame["horizon_year"], errors="coerce").to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.clip(100.0 * (year - base) / (horizon - base), 0.0, 100.0)


def _distance_bars(
    ax: Any,
    positions: np.ndarray,
    values: np.ndarray,
    statuses: Sequence[str],
    expected: np.ndarray,
    lang: str,
) -> None:
    """Tracks, bars, arrows for indicators that went backwards, elapsed ticks and values."""
    ax.barh(positions, 100.0, color=TRACK, height=0.66, edgecolor="none", zorder=1)
    ax.barh(
        positions,
        np.clip(np.nan_to_num(values, nan=0.0), 0.0, 100.0),
        color=[STATUS_COLOURS[s] for s in statuses],
        height=0.66,
        edgecolor="none",
        zorder=2,
    )
    backwards = np.flatnonzero(values < 0)
    if backwards.size:
        # Moved away from the target: no bar to draw, so a status-coloured arrow at zero
        # points the way the indicator went.
        ax.scatter(
            np.zeros(backwards.size),
            positions[backwards],
            marker=">" if lang == "fa" else "<",
            s=70,
            color=[STATUS_COLOURS[statuses[i]] for i in backwards],
            zorder=3,
            clip_on=False,
        )
    if np.isfinite(expected).any():
        ax.scatter(
            expected,
            positions,
            marker="|",
            s=260,
            linewidths=2.2,
            color=REFERENCE,
            zorder=4,
            gid="expected-share",
        )
    for pos, raw in zip(positions, values, strict=True):
        text = format_percent(raw, lang)  # the missing mark for no value (see above)
        ax.text(
            102.0,
            pos,
            text,
            va="center",
            ha="right" if lang == "fa" else "left",
            fontsize=8,
            color="#222222",
        )


def ranking_chart(
    frame: pd.DataFrame,
    *,
    lang: str = "fa",
    value: str = "score",
    label: str | None = None,
    decimals: int = 1,
    wrap: int = 34,
) -> Figure:
    """Rank departments (or any units) by a score, best at the top.

    Parameters
    ----------
    frame : DataFrame
        One row per department. Needs ``value``; the label column is ``label`` or
        ``name_<lang>``, ``name`` or ``dept_id``. Rows with a missing value are listed last.
    lang : {"fa", "en"}
        Report language.
    value : str
        Column to rank by (higher is better), e.g. the mean Open SDG score (−5…5).
    label : str, optional
        Column holding the row labels.
    decimals : int
        Digits shown in the value labels.
    wrap : int
        Labels are wrapped at about this many characters.

    Returns
    -------
    Figure
    """
    check_lang(lang)
    require(frame, [value], "ranking_chart")
    if frame.empty:
        return no_data_figure(lang)
    label_col = label_column(frame, lang, label, ["dept_id"])
    ordered = frame.assign(_v=pd.to_numeric(frame[value], errors="coerce")).sort_values(
        "_v", ascending=False, na_position="last", kind="stable"
    )
    values = ordered["_v"].to_numpy(dtype=float)
    labels = [
        wrap_text(f"{digits(str(rank), lang)}. {name}", wrap)
        for rank, name in enumerate(ordered[label_col].astype(str), start=1)
    ]
    positions = np.arange(len(labels))
    colours = [
        STATUS_COLOURS["not_available"]
        if math.isnan(v)
        else STATUS_COLOURS["target_achieved"]
        if v >= 0
        else STATUS_COLOURS["deterioration"]
        for v in values
    ]
    finite = values[np.isfinite(values)]
    low = min(0.0, float(finite.min())) if finite.size else 0.0
    high = max(0.0, float(finite.max())) if finite.size else 1.0

    with chart_style(lang):
        fig = Figure(figsize=(WIDTH, _bar_height(labels, extra=1.0)), layout=layout())
        ax = fig.add_subplot()
        ax.barh(positions, np.nan_to_num(values, nan=0.0), color=colours, height=0.66, zorder=2)
        ax.axvline(0, color=REFERENCE, linewidth=0.9, zorder=3)
        _ranking_labels(ax, positions, values, (high - low) or 1.0, decimals, lang)
        pad = 0.14 * ((high - low) or 1.0)
        ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 else 0))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(number_formatter(lang))
        ax.set_xlabel(measure_short("progress_score", lang) if value == "score" else literal(value))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        mirror_for_rtl(ax, lang)
    return fig


def _ranking_labels(
    ax: Any, positions: np.ndarray, values: np.ndarray, span: float, decimals: int, lang: str
) -> None:
    """Each score as text at the end of its bar, on the side away from zero."""
    for pos, raw in zip(positions, values, strict=True):
        if math.isnan(raw):
            text = status_label("not_available", lang)
        else:
            text = format_fixed(raw, lang, decimals)
        end = 0.0 if math.isnan(raw) else raw
        right = end >= 0
        ha = "left" if right else "right"
        if lang == "fa":
            ha = {"left": "right", "right": "left"}[ha]
        ax.text(
            end + (0.015 if right else -0.015) * span,
            pos,
            text,
            va="center",
            ha=ha,
            fontsize=8,
        )
