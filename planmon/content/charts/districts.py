"""The district comparison's chart: one group of bars per shared indicator, one bar per district."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter

from planmon.content.charts.common import literal, wrap
from planmon.content.charts.style import REFERENCE, WIDTH, chart_style
from planmon.core.locale import MISSING, as_float, format_fixed, format_percent
from planmon.core.vocabulary import measure_label, word

__all__ = ["DISTRICT_COLOURS", "district_chart"]

#: Qualitative colours for districts: none can be read as a status colour (no green, yellow,
#: orange or red), and they stay apart in greyscale.
DISTRICT_COLOURS = ("#1F4E79", "#7B4FA0", "#8C6D31", "#5DA5DA", "#4D4D4D", "#C27BA0")
_GREY = "#5f5f5f"


def district_chart(
    frame: pd.DataFrame,
    groups: Sequence[str],
    districts: Sequence[str],
    names: Mapping[str, str],
    lang: str,
    highlight: str,
    cap: float = 150.0,
) -> Figure:
    """Grouped horizontal bars: one group per shared indicator, one bar per district.

    Parameters
    ----------
    frame : DataFrame
        Columns ``group`` (the shared indicator's label), ``dept_id`` and ``achievement_pct``.
    groups : sequence of str
        The groups, top to bottom.
    districts : sequence of str
        The districts' ids, in bar order within a group.
    names : mapping
        District id → name, for the legend.
    lang : {"fa", "en"}
        Report language.
    highlight : str
        A district drawn with a black outline ("" for none).
    cap : float
        Bars are drawn no longer than ``cap`` percent.

    Returns
    -------
    Figure
    """
    n = len(districts)
    labels = [wrap(g, 30) for g in groups]
    fig_height = max(2.6, 1.4 + len(groups) * (0.28 * n + 0.25))
    with chart_style(lang):
        fig = Figure(figsize=(WIDTH, fig_height), layout="constrained")
        ax = fig.add_subplot()
        _district_bars(ax, frame, groups, districts, lang, highlight, cap)
        ax.axvline(100.0, color=REFERENCE, linestyle="--", linewidth=1.0)
        finite = pd.to_numeric(frame["achievement_pct"], errors="coerce").dropna()
        top = min(cap, max(100.0, float(finite.max()) if len(finite) else 100.0))
        ax.set_xlim(0, top * 1.15)
        ax.set_yticks(range(len(groups)), labels)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _pos: format_fixed(v, lang, 0, percent=True))
        )
        ax.set_xlabel(word("percent_axis", lang, name=measure_label("achievement_pct", lang)))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        if lang == "fa":
            ax.invert_xaxis()
            ax.yaxis.tick_right()
            ax.spines["left"].set_visible(False)
            ax.spines["right"].set_visible(True)
        _district_legend(fig, districts, names, lang, highlight)
    return fig


def _district_bars(
    ax: Any,
    frame: pd.DataFrame,
    groups: Sequence[str],
    districts: Sequence[str],
    lang: str,
    highlight: str,
    cap: float,
) -> None:
    """The bars and their values; "insufficient data" where a district has no value."""
    n = len(districts)
    height = 0.8 / n
    lookup = {(r.group, r.dept_id): r.achievement_pct for r in frame.itertuples(index=False)}
    ha = "right" if lang == "fa" else "left"
    for j, dept in enumerate(districts):
        colour = DISTRICT_COLOURS[j % len(DISTRICT_COLOURS)]
        for i, group in enumerate(groups):
            y = i + (j - (n - 1) / 2) * height
            raw = as_float(lookup.get((group, dept), np.nan))
            edge = "#000000" if dept == highlight else "none"
            if raw is None:
                ax.text(2.0, y, MISSING, va="center", ha=ha, fontsize=7, color=_GREY)
                continue
            shown = float(np.clip(raw, 0.0, cap))
            ax.barh(y, shown, height=height * 0.9, color=colour, edgecolor=edge, linewidth=1.2)
            text = format_percent(raw, lang)
            ax.text(shown + cap * 0.01, y, text, va="center", ha=ha, fontsize=7)


def _district_legend(
    fig: Figure, districts: Sequence[str], names: Mapping[str, str], lang: str, highlight: str
) -> None:
    """One swatch per district (the highlighted one outlined) and the 100 % line."""
    handles: list[Any] = [
        Patch(
            facecolor=DISTRICT_COLOURS[j % len(DISTRICT_COLOURS)],
            edgecolor="#000000" if d == highlight else "none",
            label=literal(names.get(d, d)),
        )
        for j, d in enumerate(districts)
    ]
    handles.append(
        Line2D([], [], color=REFERENCE, linestyle="--", label="100%" if lang == "en" else "۱۰۰٪")
    )
    if lang == "fa":
        handles.reverse()
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=min(4, len(handles)),
        markerfirst=lang != "fa",
    )
