"""Figures for planmon's analytic reports, in Persian (right to left) or English.

Every chart function returns a :class:`matplotlib.figure.Figure` and never saves or shows it:
a notebook displays the figure inline, a caller that needs bytes uses
:func:`figure_to_png_bytes`. Figures are built on :class:`~matplotlib.figure.Figure` directly
(not ``pyplot``), so nothing is registered with a GUI backend and nothing leaks between calls.

Persian text is passed to matplotlib in logical order: matplotlib (3.11+) shapes Arabic-script
text and lays it out right to left itself. Reshaping it beforehand (``arabic_reshaper``,
``python-bidi``) would scramble it.

Status colours run green → yellow → orange → red with grey for missing data. They were chosen so
that every pair stays distinguishable (CIELAB ΔE ≥ 16) under simulated protanopia, deuteranopia
and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1.0), and charts also name every
status in a legend, so colour is never the only cue.
"""

from __future__ import annotations

import contextlib
import functools
import io
import math
import textwrap
import warnings
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import matplotlib as mpl
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator
from persiantools.digits import en_to_fa

from planmon.core.exceptions import PlanmonError
from planmon.core.schema import is_percentage_unit
from planmon.measures.progress import STATUSES

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "STATUS_LABELS",
    "text_colour_on",
    "LANGUAGES",
    "style_rc",
    "chart_style",
    "setup_style",
    "localise_number",
    "indicator_chart",
    "comparison_chart",
    "distance_chart",
    "status_heatmap",
    "ranking_chart",
    "figure_to_png_bytes",
]

#: Report languages planmon renders.
LANGUAGES: tuple[str, ...] = ("fa", "en")


#: One colour per status (hex RGB), shared by every chart, table and the dashboard.
STATUS_COLOURS: dict[str, str] = {
    "target_achieved": "#0B7A75",
    "substantial_progress": "#6DBE8C",
    "moderate_progress": "#F3D550",
    "limited_progress": "#EE8A2A",
    "deterioration": "#B8223A",
    "not_available": "#BDBDBD",
}

#: Status names shown to readers, per language.
STATUS_LABELS: dict[str, dict[str, str]] = {
    "fa": {
        "target_achieved": "هدف محقق شده",
        "substantial_progress": "پیشرفت چشمگیر",
        "moderate_progress": "پیشرفت متوسط",
        "limited_progress": "پیشرفت محدود",
        "deterioration": "پسرفت",
        "not_available": "داده ناکافی",
    },
    "en": {
        "target_achieved": "Target achieved",
        "substantial_progress": "Substantial progress",
        "moderate_progress": "Moderate progress",
        "limited_progress": "Limited progress",
        "deterioration": "Deterioration",
        "not_available": "Insufficient data",
    },
}

# Words the charts draw besides the caller's names.
_TEXT: dict[str, dict[str, str]] = {
    "fa": {
        "baseline": "سال پایه",
        "actual": "مقدار واقعی",
        "targets": "هدف سالانه",
        "horizon_target": "هدف افق",
        "trend": "روند خطی",
        "interval": "بازه اطمینان ۹۵٪",
        "status": "وضعیت",
        "achievement": "درصد تحقق هدف سال",
        "full_achievement": "تحقق کامل (۱۰۰٪)",
        "above_cap": "بیش از {cap}",
        "distance": "درصد مسیر طی‌شده تا هدف افق",
        "expected": "سهم مورد انتظار تا امسال",
        "count": "تعداد شاخص",
        "mean_of": "میانگین {value}",
        "mean_score": "میانگین امتیاز",
        "score": "امتیاز",
        "year": "سال",
        "no_data": "داده‌ای برای نمایش نیست",
    },
    "en": {
        "baseline": "Baseline",
        "actual": "Actual",
        "targets": "Annual target",
        "horizon_target": "Horizon target",
        "trend": "Linear trend",
        "interval": "95% interval",
        "status": "Status",
        "achievement": "Achievement of this year's target (%)",
        "full_achievement": "Target met (100%)",
        "above_cap": "above {cap}",
        "distance": "Distance covered to the horizon target (%)",
        "expected": "Share of plan time elapsed",
        "count": "Number of indicators",
        "mean_of": "Mean {value}",
        "mean_score": "Mean score",
        "score": "Score",
        "year": "Year",
        "no_data": "No data to show",
    },
}

# Colours of the non-status elements: a dark actual line, neutral targets, a purple trend that
# cannot be mistaken for any status colour.
_ACTUAL = "#1F4E79"
_TARGET = "#5F5F5F"
_TREND = "#7B4FA0"
_REFERENCE = "#333333"
_TRACK = "#ECECEC"

#: Figure width (inches) that fits the text block of an A4 page at 100 % zoom.
_WIDTH = 7.0

# Preferred families with Arabic-script glyphs; DejaVu Sans ships with matplotlib.
_FONT_PREFERENCE = ("Vazirmatn", "Noto Sans Arabic", "DejaVu Sans")


# --------------------------------------------------------------------------------------------
# Style
# --------------------------------------------------------------------------------------------


def _layout() -> ConstrainedLayoutEngine:
    """Constrained layout (nothing clipped) with a little more padding than the default.

    Bold Persian titles reach slightly above the font's nominal ascent; 0.06 inch (not 0.04)
    keeps them off the figure's edge.
    """
    return ConstrainedLayoutEngine(h_pad=0.06, w_pad=0.06)


def _check_lang(lang: str) -> str:
    if lang not in LANGUAGES:
        raise PlanmonError(f"unknown report language {lang!r}; expected one of {LANGUAGES}")
    return lang


@functools.cache
def _font_families() -> tuple[str, ...]:
    """Installed families from the preference list, best first (DejaVu Sans always included)."""
    from matplotlib import font_manager

    installed = {entry.name for entry in font_manager.fontManager.ttflist}
    chosen = [name for name in _FONT_PREFERENCE if name in installed]
    if "DejaVu Sans" not in chosen:
        chosen.append("DejaVu Sans")
    return tuple(chosen)


def _families_for(lang: str) -> list[str]:
    """Persian-first for Persian; for English DejaVu Sans first (Latin glyphs), Persian after.

    matplotlib falls back glyph by glyph along the list, so Latin letters missing from an
    Arabic-script font still come from DejaVu Sans.
    """
    families = list(_font_families())
    if lang == "en":
        families.remove("DejaVu Sans")
        families.insert(0, "DejaVu Sans")
    return families


def style_rc(lang: str) -> dict[str, Any]:
    """Return the rcParams planmon's charts use for ``lang``.

    A seaborn ``whitegrid`` look at ``paper`` scale, a font family with Persian glyphs and
    ``axes.unicode_minus`` off (an ASCII hyphen renders in every font; some Persian fonts lack
    U+2212).

    Parameters
    ----------
    lang : {"fa", "en"}
        Report language.

    Returns
    -------
    dict
        rcParams, suitable for :func:`matplotlib.rc_context`.
    """
    import seaborn as sns

    _check_lang(lang)
    rc: dict[str, Any] = {}
    rc.update(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper", font_scale=1.0))
    families = _families_for(lang)
    rc.update(
        {
            # The family list itself, not "sans-serif": matplotlib falls back glyph by glyph
            # only along an explicit list, so Latin text in a Persian chart still gets glyphs.
            "font.family": families,
            "font.sans-serif": families,
            "axes.unicode_minus": False,
            "axes.titlesize": 10.5,
            "axes.titleweight": "bold",
            "axes.labelsize": 9.0,
            "xtick.labelsize": 8.5,
            "ytick.labelsize": 8.5,
            "legend.fontsize": 8.5,
            "legend.frameon": False,
            "figure.dpi": 100,
            "savefig.dpi": 110,
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.spines.top": False,
            "axes.spines.right": False,
            "image.cmap": "Blues",
        }
    )
    return rc


@contextlib.contextmanager
def chart_style(lang: str) -> Iterator[None]:
    """Apply :func:`style_rc` inside a ``with`` block and restore the previous rcParams after.

    Artists capture fonts and colours when they are created, so a figure built inside the
    block keeps its look when the notebook draws it later, outside the block.
    """
    with mpl.rc_context(style_rc(lang)):
        yield


def setup_style(lang: str) -> None:
    """Apply planmon's chart style globally, for a notebook's own ad-hoc plots.

    This changes :data:`matplotlib.rcParams` for the rest of the process; library code uses
    :func:`chart_style` instead. Call it once at the top of a report notebook.
    """
    mpl.rcParams.update(style_rc(lang))


# --------------------------------------------------------------------------------------------
# Text helpers
# --------------------------------------------------------------------------------------------


def localise_number(value: float, lang: str, *, decimals: int = 0, percent: bool = False) -> str:
    """Format a number for display: thousands separators and, for Persian, Persian digits.

    Parameters
    ----------
    value : float
        The number; NaN gives ``"–"``.
    lang : {"fa", "en"}
        Report language. Persian uses ``۰–۹``, ``٫`` (decimal) and ``٬`` (thousands).
    decimals : int
        Digits after the decimal point.
    percent : bool
        Append a percent sign (``٪`` in Persian).

    Examples
    --------
    >>> localise_number(1234.5, "fa", decimals=1, percent=True)
    '۱٬۲۳۴٫۵٪'
    """
    if value is None or (isinstance(value, float) and math.isnan(value)) or pd.isna(value):
        return "–"
    text = f"{value:,.{decimals}f}"
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # "-0" after rounding reads as a sign error
    if lang == "fa":
        text = en_to_fa(text.replace(",", "٬").replace(".", "٫"))
        return text + ("٪" if percent else "")
    return text + ("%" if percent else "")


def _digits(text: str, lang: str) -> str:
    return en_to_fa(text) if lang == "fa" else text


def _wrap(text: str, width: int) -> str:
    lines = textwrap.wrap(str(text), width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else str(text)


def _year_formatter(lang: str) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: _digits(str(int(round(value))), lang))


class _LocalisedFormatter(Formatter):
    """Tick labels with as many decimals as the ticks need (all ticks alike), localised."""

    def __init__(self, lang: str, *, percent: bool = False):
        self.lang = lang
        self.percent = percent

    @staticmethod
    def _decimals(values: Sequence[float]) -> int:
        finite = np.asarray(values, dtype=float)
        finite = finite[np.isfinite(finite)]
        for decimals in range(7):
            if np.allclose(np.round(finite, decimals), finite, rtol=0, atol=1e-9):
                return decimals
        return 6

    def format_ticks(self, values: Sequence[float]) -> list[str]:
        decimals = self._decimals(values)
        return [
            localise_number(v, self.lang, decimals=decimals, percent=self.percent) for v in values
        ]

    def __call__(self, value: float, pos: int | None = None) -> str:
        decimals = self._decimals([value])
        return localise_number(value, self.lang, decimals=decimals, percent=self.percent)


def _number_formatter(lang: str, *, percent: bool = False) -> Formatter:
    return _LocalisedFormatter(lang, percent=percent)


def _status_of(value: Any) -> str:
    return value if isinstance(value, str) and value in STATUS_COLOURS else "not_available"


def text_colour_on(background: str) -> str:
    """``#000000`` or ``#ffffff``, whichever reads better on ``background`` (WCAG luminance).

    Shared by the charts and the dashboard, so a status cell reads the same everywhere.
    """
    rgb = np.array(mpl.colors.to_rgb(background))
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    luminance = float(linear @ np.array([0.2126, 0.7152, 0.0722]))
    return "#000000" if luminance > 0.35 else "#ffffff"


def _label_column(frame: pd.DataFrame, lang: str, label: str | None, ids: Sequence[str]) -> str:
    """The column that names each row: ``label``, else ``name_<lang>``, ``name``, then an id."""
    candidates = [label] if label is not None else [f"name_{lang}", "name", *ids]
    for column in candidates:
        if column in frame.columns:
            return column
    raise PlanmonError(
        f"chart needs a label column; tried {candidates}, have {list(frame.columns)}"
    )


def _require(frame: pd.DataFrame, columns: Sequence[str], chart: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise PlanmonError(f"{chart}: frame lacks column(s) {missing}; have {list(frame.columns)}")


def _status_legend_handles(statuses: Sequence[str], lang: str) -> list[Patch]:
    present = [s for s in STATUSES if s in set(statuses)]
    return [
        Patch(facecolor=STATUS_COLOURS[s], edgecolor="none", label=STATUS_LABELS[lang][s])
        for s in present
    ]


def _legend(fig: Figure, handles: Sequence[Any], lang: str, *, ncols: int = 4) -> None:
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


def _no_data_figure(lang: str) -> Figure:
    """A small figure that says there is nothing to draw (a department without indicators)."""
    with chart_style(lang):
        fig = Figure(figsize=(_WIDTH, 1.2), layout=_layout())
        ax = fig.add_subplot()
        ax.set_axis_off()
        ax.text(0.5, 0.5, _TEXT[lang]["no_data"], ha="center", va="center", color="#666666")
    return fig


def _mirror_for_rtl(ax: Any, lang: str) -> None:
    """Persian bar charts read from the right: value axis grows leftwards, labels on the right."""
    if lang == "fa":
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.spines["left"].set_visible(False)
        ax.spines["right"].set_visible(True)


# --------------------------------------------------------------------------------------------
# Indicator chart
# --------------------------------------------------------------------------------------------


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
        Indicator name, used as the title.
    unit : str
        Unit of the values, used as the y-axis label.
    lang : {"fa", "en"}
        Report language (digits, legend words).
    status : str, optional
        One of :data:`STATUSES`; shown as a coloured swatch in the legend.

    Returns
    -------
    Figure
        7 × 3.9 inches, constrained layout.
    """
    _check_lang(lang)
    _require(history, ["year", "value"], "indicator_chart history")
    _require(targets, ["year", "target"], "indicator_chart targets")
    words = _TEXT[lang]
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

    with chart_style(lang):
        fig = Figure(figsize=(_WIDTH, 3.9), layout=_layout())
        ax = fig.add_subplot()
        handles: list[Any] = []

        if len(plan_targets):
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
                color=_TARGET,
                linewidth=1.3,
                marker="o",
                markersize=4,
                markerfacecolor="white",
                label=words["targets"],
                zorder=2,
            )
            handles.append(line)
            last_year, last_target = path[-1]
            ax.axhline(last_target, color=_TARGET, linewidth=0.8, linestyle=":", zorder=1)
            star = ax.scatter(
                [last_year],
                [last_target],
                marker="*",
                s=220,
                color="#FFD23F",
                edgecolors=_REFERENCE,
                linewidths=0.9,
                zorder=6,
                label=f"{words['horizon_target']} ({_digits(str(int(last_year)), lang)})",
            )
            handles.append(star)

        geometry = _trend_geometry(actual, trend, horizon_year)
        if geometry is not None:
            line_x, line_y, band_x, band_low, band_high = geometry
            (proj,) = ax.plot(
                line_x,
                line_y,
                color=_TREND,
                linewidth=1.5,
                linestyle="-.",
                label=words["trend"],
                zorder=3,
            )
            handles.append(proj)
            if band_x is not None and is_percentage_unit(unit):
                # a share cannot leave 0–100 %: draw only the possible part of the interval
                band_low, band_high = np.clip(band_low, 0, 100), np.clip(band_high, 0, 100)
            if band_x is not None:
                band = ax.fill_between(
                    band_x,
                    band_low,
                    band_high,
                    color=_TREND,
                    alpha=0.16,
                    linewidth=0,
                    label=words["interval"],
                    zorder=1,
                )
                handles.append(band)

        if len(actual):
            (line,) = ax.plot(
                actual["year"].to_numpy(dtype=float),
                actual["value"].to_numpy(dtype=float),
                color=_ACTUAL,
                linewidth=2.0,
                marker="o",
                markersize=5,
                label=words["actual"],
                zorder=4,
            )
            handles.insert(0, line)
        if len(baseline):
            base = ax.scatter(
                baseline["year"].to_numpy(dtype=float),
                baseline["value"].to_numpy(dtype=float),
                marker="s",
                s=48,
                facecolor="white",
                edgecolors=_ACTUAL,
                linewidths=1.6,
                zorder=5,
                label=f"{words['baseline']} ({_digits(str(int(baseline['year'].iloc[0])), lang)})",
            )
            handles.insert(0, base)

        if status is not None:
            key = _status_of(status)
            handles.append(
                Patch(
                    facecolor=STATUS_COLOURS[key],
                    edgecolor="none",
                    label=f"{words['status']}: {STATUS_LABELS[lang][key]}",
                )
            )

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
        ax.xaxis.set_major_formatter(_year_formatter(lang))
        ax.yaxis.set_major_formatter(_number_formatter(lang))
        ax.grid(axis="x", visible=False)
        ax.set_title(_wrap(name, 80) if len(name) > 80 else name)
        ax.set_ylabel(unit)
        _legend(fig, handles, lang)
    return fig


# --------------------------------------------------------------------------------------------
# Bar charts over a department's indicators
# --------------------------------------------------------------------------------------------


def _bar_rows(
    frame: pd.DataFrame, lang: str, label: str | None, value: str, wrap: int
) -> tuple[list[str], np.ndarray, list[str]]:
    """Wrapped labels, numeric values and statuses of a one-bar-per-indicator chart."""
    label_col = _label_column(frame, lang, label, ["indicator_id"])
    labels = [_wrap(text, wrap) for text in frame[label_col].astype(str)]
    values = pd.to_numeric(frame[value], errors="coerce").to_numpy(dtype=float)
    statuses = [_status_of(s) for s in frame["status"].tolist()]
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
    _check_lang(lang)
    _require(frame, [value, "status"], "comparison_chart")
    if frame.empty:
        return _no_data_figure(lang)
    words = _TEXT[lang]
    labels, values, statuses = _bar_rows(frame, lang, label, value, wrap)
    floor = max(-50.0, min(0.0, float(np.nanmin(values)) if np.isfinite(values).any() else 0.0))
    shown = np.clip(np.nan_to_num(values, nan=0.0), floor, cap)
    positions = np.arange(len(labels))

    with chart_style(lang):
        fig = Figure(figsize=(_WIDTH, _bar_height(labels, extra=1.3)), layout=_layout())
        ax = fig.add_subplot()
        ax.barh(
            positions,
            shown,
            color=[STATUS_COLOURS[s] for s in statuses],
            height=0.66,
            edgecolor="none",
            zorder=2,
        )
        ax.axvline(100, color=_REFERENCE, linewidth=1.1, linestyle="--", zorder=3)
        if floor < 0:
            ax.axvline(0, color=_REFERENCE, linewidth=0.8, zorder=3)
        span = cap - floor
        for pos, raw, bar_end in zip(positions, values, shown, strict=True):
            if math.isnan(raw):
                text = STATUS_LABELS[lang]["not_available"]
                ha = "right" if lang == "fa" else "left"
                ax.text(span * 0.01, pos, text, va="center", ha=ha, fontsize=8, color="#666666")
                continue
            beyond = raw > cap or raw < floor
            if beyond:
                # A triangle pointing away from zero marks a bar cut at the display limit.
                pointing_right = (raw > cap) != (lang == "fa")
                ax.plot(
                    [bar_end],
                    [pos],
                    marker=">" if pointing_right else "<",
                    color=_REFERENCE,
                    markersize=7,
                    zorder=4,
                    clip_on=False,
                )
            text = localise_number(raw, lang, percent=True)
            inside = abs(bar_end) > 0.82 * span
            offset = span * (0.025 if beyond else 0.01)
            if inside:
                x, ha = bar_end - np.sign(bar_end) * offset, "right"
                colour = text_colour_on(STATUS_COLOURS[statuses[pos]])
            else:
                x, ha = bar_end + (offset if bar_end >= 0 else -offset), "left"
                colour = "#222222"
            if bar_end < 0 and not inside:
                ha = "right"
            if lang == "fa":
                ha = {"left": "right", "right": "left"}[ha]
            ax.text(x, pos, text, va="center", ha=ha, fontsize=8, color=colour, zorder=5)
        # Room beyond both ends for the value labels of the longest bars.
        ax.set_xlim(floor - (0.12 * span if floor < 0 else 0), cap + 0.06 * span)
        # Ticks only over the drawn range, so no grid line doubles the axis line at the margin.
        step = 25.0 if span <= 250 else 50.0
        ax.set_xticks(np.arange(math.ceil(floor / step) * step, cap + step / 2, step))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(_number_formatter(lang, percent=True))
        ax.set_xlabel(words["achievement"])
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        _mirror_for_rtl(ax, lang)
        handles: list[Any] = _status_legend_handles(statuses, lang)
        handles.append(
            Line2D([], [], color=_REFERENCE, linestyle="--", label=words["full_achievement"])
        )
        if np.nanmax(np.append(values, -np.inf)) > cap:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="<" if lang == "fa" else ">",
                    color=_REFERENCE,
                    linestyle="none",
                    label=words["above_cap"].format(cap=localise_number(cap, lang, percent=True)),
                )
            )
        _legend(fig, handles, lang)
    return fig


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
    _check_lang(lang)
    _require(frame, [value, "status"], "distance_chart")
    if frame.empty:
        return _no_data_figure(lang)
    words = _TEXT[lang]
    labels, values, statuses = _bar_rows(frame, lang, label, value, wrap)
    positions = np.arange(len(labels))
    expected = np.full(len(labels), np.nan)
    if {"year", "baseline_year", "horizon_year"} <= set(frame.columns):
        year = pd.to_numeric(frame["year"], errors="coerce").to_numpy(dtype=float)
        base = pd.to_numeric(frame["baseline_year"], errors="coerce").to_numpy(dtype=float)
        horizon = pd.to_numeric(frame["horizon_year"], errors="coerce").to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            expected = np.clip(100.0 * (year - base) / (horizon - base), 0.0, 100.0)

    with chart_style(lang):
        fig = Figure(figsize=(_WIDTH, _bar_height(labels, extra=1.3)), layout=_layout())
        ax = fig.add_subplot()
        ax.barh(positions, 100.0, color=_TRACK, height=0.66, edgecolor="none", zorder=1)
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
        has_expected = np.isfinite(expected).any()
        if has_expected:
            ax.scatter(
                expected,
                positions,
                marker="|",
                s=260,
                linewidths=2.2,
                color=_REFERENCE,
                zorder=4,
                gid="expected-share",
            )
        for pos, raw in zip(positions, values, strict=True):
            text = (
                STATUS_LABELS[lang]["not_available"]
                if math.isnan(raw)
                else localise_number(raw, lang, percent=True)
            )
            ax.text(
                102.0,
                pos,
                text,
                va="center",
                ha="right" if lang == "fa" else "left",
                fontsize=8,
                color="#222222",
            )
        ax.set_xlim(0, 118)
        ax.set_xticks([0, 25, 50, 75, 100])
        ax.xaxis.set_major_formatter(_number_formatter(lang, percent=True))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.set_xlabel(words["distance"])
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        ax.spines["bottom"].set_visible(False)
        _mirror_for_rtl(ax, lang)
        handles: list[Any] = _status_legend_handles(statuses, lang)
        if has_expected:
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="|",
                    markersize=11,
                    markeredgewidth=2.2,
                    color=_REFERENCE,
                    linestyle="none",
                    label=words["expected"],
                )
            )
        _legend(fig, handles, lang)
    return fig


# --------------------------------------------------------------------------------------------
# Department-level overviews
# --------------------------------------------------------------------------------------------


def _axis_order(
    series: pd.Series, labels: Mapping[str, str] | None, lang: str
) -> tuple[list[Any], list[str]]:
    """Keys in display order and their display labels; statuses get their fixed order."""
    if series.name == "status":
        keys: list[Any] = list(STATUSES)
        return keys, [STATUS_LABELS[lang][k] for k in keys]
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
    import seaborn as sns

    _check_lang(lang)
    _require(frame, [row, col] + ([value] if value else []), "status_heatmap")
    if frame.empty:
        return _no_data_figure(lang)
    words = _TEXT[lang]
    row_keys, row_names = _axis_order(frame[row], labels, lang)
    col_keys, col_names = _axis_order(frame[col], labels, lang)
    if value is None:
        table = pd.crosstab(frame[row], frame[col]).reindex(
            index=row_keys, columns=col_keys, fill_value=0
        )
        grid = table.to_numpy(dtype=float)
        annot = np.vectorize(lambda v: _digits(str(int(v)), lang) if v else "")(grid)
        cmap, centre, vmin, vmax = "Blues", None, 0.0, max(1.0, float(grid.max(initial=0)))
        bar_label = words["count"]
    else:
        means = frame.assign(_v=pd.to_numeric(frame[value], errors="coerce"))
        table = means.pivot_table(index=row, columns=col, values="_v", aggfunc="mean")
        table = table.reindex(index=row_keys, columns=col_keys)
        grid = table.to_numpy(dtype=float)
        annot = np.vectorize(
            lambda v: "" if math.isnan(v) else localise_number(v, lang, decimals=1)
        )(grid)
        if value == "score":
            cmap, centre, vmin, vmax = "RdYlBu", 0.0, -5.0, 5.0
            bar_label = words["mean_score"]
        else:
            cmap, centre, vmin, vmax = "Blues", None, None, None
            bar_label = words["mean_of"].format(value=value)
    if wrap is None:
        # About 12 Persian characters fit per inch of column at 8 pt; the plot is ~5.3 inches.
        wrap = max(8, int(64 / max(1, len(col_keys))))
    col_names = [_wrap(name, wrap) for name in col_names]
    if lang == "fa":
        grid, annot, col_names = grid[:, ::-1], annot[:, ::-1], col_names[::-1]

    with chart_style(lang):
        # wrapped row labels need taller rows, or they run into their neighbours
        lines = max((str(name).count("\n") + 1 for name in row_names), default=1)
        row_height = 0.36 * max(1.0, 0.8 * lines)
        height = max(2.4, 1.5 + row_height * len(row_keys))
        fig = Figure(figsize=(_WIDTH, height), layout=_layout())
        ax = fig.add_subplot()
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
        colourbar = ax.collections[0].colorbar
        if colourbar is not None:
            if value is None:
                colourbar.locator = MaxNLocator(integer=True)
            colourbar.formatter = _number_formatter(lang)
            colourbar.update_ticks()
            colourbar.outline.set_visible(False)
    return fig


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
    _check_lang(lang)
    _require(frame, [value], "ranking_chart")
    if frame.empty:
        return _no_data_figure(lang)
    label_col = _label_column(frame, lang, label, ["dept_id"])
    ordered = frame.assign(_v=pd.to_numeric(frame[value], errors="coerce")).sort_values(
        "_v", ascending=False, na_position="last", kind="stable"
    )
    values = ordered["_v"].to_numpy(dtype=float)
    labels = [
        _wrap(f"{_digits(str(rank), lang)}. {name}", wrap)
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
    span = (high - low) or 1.0

    with chart_style(lang):
        fig = Figure(figsize=(_WIDTH, _bar_height(labels, extra=1.0)), layout=_layout())
        ax = fig.add_subplot()
        ax.barh(positions, np.nan_to_num(values, nan=0.0), color=colours, height=0.66, zorder=2)
        ax.axvline(0, color=_REFERENCE, linewidth=0.9, zorder=3)
        for pos, raw in zip(positions, values, strict=True):
            if math.isnan(raw):
                text = STATUS_LABELS[lang]["not_available"]
            else:
                text = localise_number(raw, lang, decimals=decimals)
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
        pad = 0.14 * span
        ax.set_xlim(low - (pad if low < 0 else 0), high + (pad if high > 0 else 0))
        ax.set_yticks(positions, labels)
        ax.set_ylim(len(labels) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(_number_formatter(lang))
        ax.set_xlabel(_TEXT[lang]["score"] if value == "score" else value)
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        _mirror_for_rtl(ax, lang)
    return fig


# --------------------------------------------------------------------------------------------
# Output
# --------------------------------------------------------------------------------------------


def figure_to_png_bytes(fig: Figure, dpi: float = 110) -> bytes:
    """Encode ``fig`` as PNG in memory (nothing is written to disk).

    Parameters
    ----------
    fig : Figure
        The figure.
    dpi : float
        Dots per inch; 110 keeps a 7-inch chart sharp on screen and on A4 paper.

    Returns
    -------
    bytes
        The PNG file's bytes.
    """
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()
