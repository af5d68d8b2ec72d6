"""Helpers every chart shares: literal text, localised ticks, legends, right-to-left axes."""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import Formatter, FuncFormatter

from planmon.content.charts.style import WIDTH, chart_style, layout
from planmon.content.palette import STATUS_COLOURS
from planmon.core.exceptions import PlanmonError
from planmon.core.locale import format_fixed, localise_digits, tick_decimals
from planmon.core.vocabulary import status_label, word
from planmon.measures.progress import STATUSES

__all__ = [
    "STATUSES",
    "literal",
    "wrap",
    "digits",
    "year_formatter",
    "number_formatter",
    "label_column",
    "require",
    "status_legend_handles",
    "legend",
    "no_data_figure",
    "mirror_for_rtl",
]


def literal(text: Any) -> str:
    """``text`` as matplotlib must draw it: every ``$`` escaped, so no mathtext is parsed.

    Names, units and notes come from the plan; an indicator called "cost in $ and $ per
    capita" would otherwise be typeset as a formula (or fail to draw).
    """
    return str(text).replace("$", r"\$")


def wrap(text: Any, width: int) -> str:
    """``text`` (drawn literally) wrapped at about ``width`` characters per line."""
    text = literal(text)
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else text


def digits(text: str, lang: str) -> str:
    """ASCII digits in ``lang`` (Persian digits for ``"fa"``)."""
    return localise_digits(text, lang)


def year_formatter(lang: str) -> FuncFormatter:
    """Tick labels of a year axis: whole years, no separators, in the language's digits."""
    return FuncFormatter(lambda value, _pos: digits(str(int(round(value))), lang))


class _LocalisedFormatter(Formatter):
    """Tick labels with as many decimals as the ticks need (all ticks alike), localised."""

    def __init__(self, lang: str, *, percent: bool = False):
        self.lang = lang
        self.percent = percent

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        decimals = tick_decimals(values)
        return [format_fixed(v, self.lang, decimals, percent=self.percent) for v in values]

    def __call__(self, value: float, pos: int | None = None) -> str:
        decimals = tick_decimals([value])
        return format_fixed(value, self.lang, decimals, percent=self.percent)


def number_formatter(lang: str, *, percent: bool = False) -> Formatter:
    """Tick labels of a value axis (see :func:`planmon.core.locale.format_fixed`)."""
    return _LocalisedFormatter(lang, percent=percent)


def label_column(frame: pd.DataFrame, lang: str, label: str | None, ids: Sequence[str]) -> str:
    """The column that names each row: ``label``, else ``name_<lang>``, ``name``, then an id."""
    candidates = [label] if label is not None else [f"name_{lang}", "name", *ids]
    for column in candidates:
        if column in frame.columns:
            return column
    raise PlanmonError(
        f"chart needs a label column; tried {candidates}, have {list(frame.columns)}"
    )


def require(frame: pd.DataFrame, columns: Sequence[str], chart: str) -> None:
    """Raise :class:`PlanmonError` naming the columns ``chart`` needs and ``frame`` lacks."""
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PlanmonError(f"{chart}: frame lacks column(s) {missing}; have {list(frame.columns)}")


def status_legend_handles(statuses: Sequence[str], lang: str) -> list[Patch]:
    """One legend swatch per status present in ``statuses``, best first."""
    present = [s for s in STATUSES if s in set(statuses)]
    return [
        Patch(facecolor=STATUS_COLOURS[s], edgecolor="none", label=status_label(s, lang))
        for s in present
    ]


def legend(fig: Figure, handles: Sequence[Any], lang: str, *, ncols: int = 4) -> None:
    """Legend below the axes, read row by row in the language's direction.

    matplotlib fills legend columns top to bottom and starts at the left; padding the grid with
    blank entries lets the entries run along rows instead, from the right for Persian, with
    each swatch on the reading side of its label.
    """
    if not handles:
        return
    ncols = max(1, min(ncols, len(handles)))
    nrows = math.ceil(len(handles) / ncols)
    blank = Line2D([], [], linestyle="none", label="")
    grid = [list(handles[r * ncols : (r + 1) * ncols]) for r in range(nrows)]
    for row in grid:
        row.extend([blank] * (ncols - len(row)))
        if lang == "fa":
            row.reverse()
    ordered = [grid[r][c] for c in range(ncols) for r in range(nrows)]
    fig.legend(
        handles=ordered,
        labels=[h.get_label() for h in ordered],
        loc="outside lower center",
        ncols=ncols,
        markerfirst=lang != "fa",
        handlelength=2.2,
        columnspacing=1.6,
    )


def no_data_figure(lang: str) -> Figure:
    """A small figure that says there is nothing to draw (a department without indicators)."""
    with chart_style(lang):
        fig = Figure(figsize=(WIDTH, 1.2), layout=layout())
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, word("no_data", lang), ha="center", va="center", color="#666666")
    return fig


def mirror_for_rtl(ax: Any, lang: str) -> None:
    """Persian bar charts read from the right: value axis grows leftwards, labels on the right."""
    if lang == "fa":
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["left"].set_visible(False)
        ax.spines["right"].set_visible(True)
