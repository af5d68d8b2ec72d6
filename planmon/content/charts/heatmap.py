"""Heat map of indicators by two keys: department × goal, department × status, ..."""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from planmon.content.charts.common import (
    digits,
    literal,
    no_data_figure,
    number_formatter,
    require,
)
from planmon.content.charts.common import (
    wrap as wrap_text,
)
from planmon.content.charts.style import WIDTH, chart_style, check_lang, layout
from planmon.core.locale import format_fixed
from planmon.core.vocabulary import status_label, word
from planmon.measures.progress import STATUSES

__all__ = ["status_heatmap"]


def _axis_order(
    series: pd.Series, labels: Mapping[str, str] | None, lang: str
) -> tuple[list[Any], list[str]]:
    """Keys in display order and their display labels; statuses get their fixed order."""
    if series.name == "status":
        keys: list[Any] = list(STATUSES)
        return keys, [status_label(k, lang) for k in keys]
    keys = list(pd.unique(series.dropna()))
    names = [str(labels.get(k, k)) if labels is not None else str(k) for k in keys]
    return keys, names


def status_heatmap(
    frame: pd.DataFrame,
    *,
    row: str = "dept_id",
    col: str = "goal_id",
    lang: str = "fa",
    value: str | None = None,
    labels: Mapping[str, str] | None = None,
    wrap: int | None = None,
) -> Figure:
    """Heat map of indicators by two keys (e.g. department × goal, or department × status).

    Parameters
    ----------
    frame : DataFrame
        One row per indicator (e.g. one report year of the scores frame).
    row, col : str
        Columns whose values become the rows and columns. ``"status"`` is ordered best first
        and labelled in ``lang``.
    lang : {"fa", "en"}
        Report language. Persian puts the first column on the right and row labels on the right.
    value : str, optional
        None: each cell counts the indicators. A column name: each cell is the mean of that
        column; ``"score"`` (Open SDG score, −5…5) gets a diverging map centred on 0.
    labels : mapping, optional
        Display names for the row and column keys (e.g. department id → name).
    wrap : int, optional
        Column labels are wrapped at about this many characters (default: what the column
        width allows).

    Returns
    -------
    Figure
    """
    check_lang(lang)
    require(frame, [row, col] + ([value] if value else []), "status_heatmap")
    if frame.empty:
        return no_data_figure(lang)
    row_keys, row_names = _axis_order(frame[row], labels, lang)
    col_keys, col_names = _axis_order(frame[col], labels, lang)
    grid, annot, colours = _cells(frame, row, col, value, row_keys, col_keys, lang)
    if wrap is None:
        # About 12 Persian characters fit per inch of column at 8 pt; the plot is ~5.3 inches.
        wrap = max(8, int(64 / max(1, len(col_keys))))
    col_names = [wrap_text(name, wrap) for name in col_names]
    row_names = [literal(name) for name in row_names]
    if lang == "fa":
        grid, annot, col_names = grid[:, ::-1], annot[:, ::-1], col_names[::-1]

    with chart_style(lang):
        # wrapped row labels need taller rows, or they run into their neighbours
        lines = max((str(name).count("\n") + 1 for name in row_names), default=1)
        row_height = 0.36 * max(1.0, 0.8 * lines)
        height = max(2.4, 1.5 + row_height * len(row_keys))
        fig = Figure(figsize=(WIDTH, height), layout=layout())
        ax = fig.add_subplot()
        _draw_grid(ax, grid, annot, colours, col_names, row_names, lang)
        colourbar = ax.collections[0].colorbar
        if colourbar is not None:
            if value is None:
                colourbar.locator = MaxNLocator(integer=True)
            colourbar.formatter = number_formatter(lang)
            colourbar.update_ticks()
            colourbar.outline.set_visible(False)
    return fig


def _cells(
    frame: pd.DataFrame,
    row: str,
    col: str,
    value: str | None,
    row_keys: list[Any],
    col_keys: list[Any],
    lang: str,
) -> tuple[np.ndarray, np.ndarray, tuple[Any, Any, Any, Any, str]]:
    """The grid of numbers, their cell texts and the colour map (cmap, centre, range, label)."""
    if value is None:
        table = pd.crosstab(frame[row], frame[col]).reindex(
            index=row_keys, columns=col_keys, fill_value=0
        )
        grid = table.to_numpy(dtype=float)
        annot = np.vectorize(lambda v: digits(str(int(v)), lang) if v else "")(grid)
        vmax = max(1.0, float(grid.max(initial=0)))
        return grid, annot, ("Blues", None, 0.0, vmax, word("n_indicators", lang))
    means = frame.assign(_v=pd.to_numeric(frame[value], errors="coerce"))
    table = means.pivot_table(index=row, columns=col, values="_v", aggfunc="mean")
    table = table.reindex(index=row_keys, columns=col_keys)
    grid = table.to_numpy(dtype=float)
    annot = np.vectorize(lambda v: "" if math.isnan(v) else format_fixed(v, lang, 1))(grid)
    if value == "score":
        return grid, annot, ("RdYlBu", 0.0, -5.0, 5.0, word("mean_score", lang))
    return grid, annot, ("Blues", None, None, None, word("mean_of", lang, value=value))


def _draw_grid(
    ax: Any,
    grid: np.ndarray,
    annot: np.ndarray,
    colours: tuple[Any, Any, Any, Any, str],
    col_names: list[str],
    row_names: list[str],
    lang: str,
) -> None:
    """The seaborn heat map with labels on the reading side, columns named on top."""
    import seaborn as sns

    cmap, centre, vmin, vmax, bar_label = colours
    with warnings.catch_warnings():
        # seaborn 0.13 calls Colormap.set_bad, which matplotlib 3.11 marks for deprecation;
        # the warning is seaborn's to fix and would only clutter report notebooks.
        warnings.simplefilter("ignore", PendingDeprecationWarning)
        sns.heatmap(
            grid,
            ax=ax,
            cmap=cmap,
            center=centre,
            vmin=vmin,
            vmax=vmax,
            annot=annot,
            fmt="",
            annot_kws={"fontsize": 8},
            linewidths=0.8,
            linecolor="white",
            cbar_kws={
                "label": bar_label,
                "shrink": 0.8,
                "location": "left" if lang == "fa" else "right",
            },
            xticklabels=col_names,
            yticklabels=row_names,
        )
    ax.grid(False)
    ax.tick_params(length=0)
    ax.tick_params(axis="x", labelsize=8)
    ax.set_xticklabels(col_names, rotation=0)
    ax.set_yticklabels(row_names, rotation=0)
    ax.set_xlabel("")
    ax.set_ylabel("")
    ax.xaxis.tick_top()
    if lang == "fa":
        ax.yaxis.tick_right()
