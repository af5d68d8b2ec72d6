"""One indicator's chart: baseline, reported values, targets and the trend to the horizon."""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, MaxNLocator

from planmon.content.charts.common import (
    digits,
    legend,
    literal,
    number_formatter,
    require,
    wrap,
    year_formatter,
)
from planmon.content.charts.fixed import fit_axes
from planmon.content.charts.legend import Chart
from planmon.content.charts.style import (
    ACTUAL,
    REFERENCE,
    TARGET,
    TREND,
    WIDTH,
    chart_style,
    check_lang,
    layout,
)
from planmon.content.palette import STATUS_COLOURS, status_of
from planmon.core.schema import is_percentage_unit
from planmon.core.vocabulary import column_label, status_label, term, word

__all__ = ["indicator_chart", "indicator_page_chart"]


def _trend_value(trend: Mapping[str, Any] | pd.Series | None, key: str) -> float:
    if trend is None or key not in trend:
        return math.nan
    value = trend[key]
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


_TrendGeometry = tuple[np.ndarray, np.ndarray, np.ndarray | None, np.ndarray, np.ndarray]


def _trend_geometry(
    actual: pd.DataFrame, trend: Mapping[str, Any] | pd.Series | None, horizon_year: float
) -> _TrendGeometry | None:
    """The trend line and its 95 % band as arrays to draw, or None when there is no trend.

    With ``trend_slope`` the line is the fitted OLS line itself,
    ``ŷ(x) = trend_horizon_value − slope · (horizon − x)``, drawn from the first point to the
    horizon. The band of a prediction interval for a new observation has half-width
    ``t · s · √(1 + 1/n + (x − x̄)² / Sxx)``; ``t · s`` is the same at every ``x``, so the band
    from the last point to the horizon follows exactly from the horizon interval and the
    years of the points (the reported values up to the trend's ``year``). Without a slope the
    line runs from the last reported value to the horizon value, and the band widens linearly
    to the horizon interval (only its end is exact).
    """
    horizon_value = _trend_value(trend, "trend_horizon_value")
    if math.isnan(horizon_value) or math.isnan(horizon_year) or not len(actual):
        return None
    report_year = _trend_value(trend, "year")
    points = actual if math.isnan(report_year) else actual.loc[actual["year"] <= report_year]
    if not len(points):
        return None
    years = points["year"].to_numpy(dtype=float)
    last_year = float(years.max())
    if horizon_year <= last_year:
        return None
    low, high = _trend_value(trend, "trend_low"), _trend_value(trend, "trend_high")
    has_interval = not (math.isnan(low) or math.isnan(high))
    slope = _trend_value(trend, "trend_slope")

    if math.isnan(slope):
        start_value = float(points.sort_values("year")["value"].iloc[-1])
        line_x = np.array([last_year, horizon_year])
        line_y = np.array([start_value, horizon_value])
        if not has_interval:
            return line_x, line_y, None, line_y, line_y
        return line_x, line_y, line_x, np.array([start_value, low]), np.array([start_value, high])

    line_x = np.array([float(years.min()), horizon_year])
    line_y = horizon_value - slope * (horizon_year - line_x)
    n = len(years)
    spread = float(((years - years.mean()) ** 2).sum())
    if not has_interval or n < 3 or spread <= 0:
        return line_x, line_y, None, line_y, line_y
    band_x = np.linspace(last_year, horizon_year, 24)
    centre = horizon_value - slope * (horizon_year - band_x)
    shape = np.sqrt(1 + 1 / n + (band_x - years.mean()) ** 2 / spread)
    half = (high - low) / 2 * shape / shape[-1]
    return line_x, line_y, band_x, centre - half, centre + half


def indicator_chart(
    history: pd.DataFrame,
    targets: pd.DataFrame,
    trend: Mapping[str, Any] | pd.Series | None = None,
    *,
    name: str,
    unit: str = "",
    lang: str = "fa",
    status: str | None = None,
) -> Figure:
    """Draw one indicator's path: baseline, actual values, targets and the trend to the horizon.

    Parameters
    ----------
    history : DataFrame
        Columns ``year`` (int), ``value`` (float, NaN = not reported) and ``is_baseline``
        (bool). Missing years are skipped; the line joins the reported ones.
    targets : DataFrame
        Columns ``year`` (int) and ``target`` (float). The last target year is the horizon.
    trend : mapping or Series, optional
        A row of the scores frame (or any mapping) with ``trend_horizon_value`` and,
        optionally, ``trend_low``/``trend_high`` (the 95 % prediction interval at the horizon),
        ``trend_slope`` (unit per year), ``horizon_year`` (default: the last target year) and
        ``year`` (the report year: points after it are not part of the fit). With a slope
        the chart shows the fitted line through the points and the exact band from the last
        point to the horizon; see :func:`_trend_geometry`.
    name : str
        Indicator name, used as the title (drawn literally: no mathtext).
    unit : str
        Unit of the values, used as the y-axis label.
    lang : {"fa", "en"}
        Report language (digits, legend words).
    status : str, optional
        One of :data:`planmon.measures.progress.STATUSES`; a coloured swatch in the legend.

    Returns
    -------
    Figure
        7 × 3.9 inches, constrained layout.
    """
    with chart_style(lang):
        fig = Figure(figsize=(WIDTH, 3.9), layout=layout())
        ax, handles = _draw(fig, history, targets, trend, unit=unit, lang=lang, status=status)
        ax.set_title(wrap(name, 80) if len(name) > 80 else literal(name))
        legend(fig, handles, lang)
    return fig


def indicator_page_chart(
    history: pd.DataFrame,
    targets: pd.DataFrame,
    trend: Mapping[str, Any] | pd.Series | None = None,
    *,
    name: str,
    unit: str = "",
    lang: str = "fa",
    status: str | None = None,
) -> Chart:
    """The chart of :func:`indicator_chart` for a page that sets its title and legend.

    Same parameters and the same drawing; the figure holds only the axes, placed once from
    the sizes of their labels (:func:`~planmon.content.charts.fixed.fit_axes`, no layout
    engine), and is drawn once when saved. A report shows the title and the legend entries
    as HTML around the image (:meth:`planmon.content.blocks.Block.chart`).

    Returns
    -------
    Chart
        7 × 3.1 inches of axes, the title, and the legend entries in reading order.
    """
    with chart_style(lang):
        fig = Figure(figsize=(WIDTH, 3.1), layout=None)
        ax, handles = _draw(fig, history, targets, trend, unit=unit, lang=lang, status=status)
        fit_axes(fig, ax)
    return Chart(fig, name, tuple(handles))


def _draw(
    fig: Figure,
    history: pd.DataFrame,
    targets: pd.DataFrame,
    trend: Mapping[str, Any] | pd.Series | None,
    *,
    unit: str,
    lang: str,
    status: str | None,
) -> tuple[Any, list[Any]]:
    """Draw the indicator's axes into ``fig``; return them and the legend entries."""
    check_lang(lang)
    require(history, ["year", "value"], "indicator_chart history")
    require(targets, ["year", "target"], "indicator_chart targets")
    # The actual line runs through every reported value, the baseline included.
    actual = history.loc[history["value"].notna()].sort_values("year")
    plan_targets = targets.loc[targets["target"].notna()].sort_values("year")
    if "is_baseline" in actual.columns:
        flags = actual["is_baseline"].astype("boolean").fillna(False).astype(bool)
        baseline = actual.loc[flags]
    else:
        baseline = actual.iloc[0:0]

    horizon_year = _trend_value(trend, "horizon_year")
    if math.isnan(horizon_year) and len(plan_targets):
        horizon_year = float(plan_targets["year"].iloc[-1])

    ax = fig.add_subplot()
    handles: list[Any] = _draw_targets(ax, plan_targets, baseline, lang)
    handles += _draw_trend(ax, actual, trend, horizon_year, unit, lang)
    _draw_actuals(ax, actual, baseline, lang, handles)
    if status is not None:
        key = status_of(status)
        handles.append(
            Patch(
                facecolor=STATUS_COLOURS[key],
                edgecolor="none",
                label=f"{word('status', lang)}: {status_label(key, lang)}",
            )
        )
    _year_axis(ax, actual, plan_targets, horizon_year, lang)
    ax.yaxis.set_major_formatter(number_formatter(lang))
    ax.grid(axis="x", visible=False)
    ax.set_ylabel(literal(unit))
    return ax, handles


def _draw_targets(ax: Any, plan_targets: pd.DataFrame, baseline: pd.DataFrame, lang: str) -> list:
    """The planned path (dashed, from the baseline), the horizon level and its star."""
    if not len(plan_targets):
        return []
    # The planned path starts at the baseline, so the dashed line shows the whole route.
    path = plan_targets[["year", "target"]].to_numpy(dtype=float)
    if len(baseline):
        start = baseline[["year", "value"]].to_numpy(dtype=float)[:1]
        if start[0, 0] < path[0, 0]:
            path = np.vstack([start, path])
    (line,) = ax.plot(
        path[:, 0],
        path[:, 1],
        linestyle="--",
        color=TARGET,
        linewidth=1.3,
        marker="o",
        markersize=4,
        markerfacecolor="white",
        label=word("targets", lang),
        zorder=2,
    )
    last_year, last_target = path[-1]
    ax.axhline(last_target, color=TARGET, linewidth=0.8, linestyle=":", zorder=1)
    star = ax.scatter(
        [last_year],
        [last_target],
        marker="*",
        s=220,
        color="#FFD23F",
        edgecolors=REFERENCE,
        linewidths=0.9,
        zorder=6,
        label=f"{word('horizon_target', lang)} ({digits(str(int(last_year)), lang)})",
    )
    return [line, star]


def _draw_trend(
    ax: Any,
    actual: pd.DataFrame,
    trend: Mapping[str, Any] | pd.Series | None,
    horizon_year: float,
    unit: str,
    lang: str,
) -> list:
    """The trend line and its prediction band (clipped to 0–100 for a percentage)."""
    geometry = _trend_geometry(actual, trend, horizon_year)
    if geometry is None:
        return []
    line_x, line_y, band_x, band_low, band_high = geometry
    (proj,) = ax.plot(
        line_x,
        line_y,
        color=TREND,
        linewidth=1.5,
        linestyle="-.",
        label=word("trend", lang),
        zorder=3,
    )
    if band_x is None:
        return [proj]
    if is_percentage_unit(unit):
        # a share cannot leave 0–100 %: draw only the possible part of the interval
        band_low, band_high = np.clip(band_low, 0, 100), np.clip(band_high, 0, 100)
    band = ax.fill_between(
        band_x,
        band_low,
        band_high,
        color=TREND,
        alpha=0.16,
        linewidth=0,
        label=term("prediction_interval", lang),
        zorder=1,
    )
    return [proj, band]


def _draw_actuals(
    ax: Any, actual: pd.DataFrame, baseline: pd.DataFrame, lang: str, handles: list
) -> None:
    """The reported values (solid line) and the baseline (open square), first in the legend."""
    if len(actual):
        (line,) = ax.plot(
            actual["year"].to_numpy(dtype=float),
            actual["value"].to_numpy(dtype=float),
            color=ACTUAL,
            linewidth=2.0,
            marker="o",
            markersize=5,
            label=word("actual", lang),
            zorder=4,
        )
        handles.insert(0, line)
    if len(baseline):
        year = digits(str(int(baseline["year"].iloc[0])), lang)
        base = ax.scatter(
            baseline["year"].to_numpy(dtype=float),
            baseline["value"].to_numpy(dtype=float),
            marker="s",
            s=48,
            facecolor="white",
            edgecolors=ACTUAL,
            linewidths=1.6,
            zorder=5,
            label=f"{column_label('baseline_year', lang)} ({year})",
        )
        handles.insert(0, base)


def _year_axis(
    ax: Any, actual: pd.DataFrame, plan_targets: pd.DataFrame, horizon_year: float, lang: str
) -> None:
    """Every year on the axis for a short plan, integer ticks for a long one."""
    years = [*actual["year"].tolist(), *plan_targets["year"].tolist()]
    if not math.isnan(horizon_year):
        years.append(horizon_year)
    if years:
        first, last = int(min(years)), int(max(years))
        if last - first <= 12:
            ax.xaxis.set_major_locator(FixedLocator(np.arange(first, last + 1)))
        else:
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(first - 0.4, last + 0.4)
    ax.xaxis.set_major_formatter(year_formatter(lang))
