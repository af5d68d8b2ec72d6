"""A fixed layout for a single-axes chart: margins from the measured sizes of its labels.

matplotlib's constrained layout is the safe default for a figure with a title, a legend and
wrapped labels, but it costs a report chart most of its time: it measures every text several
times, and a figure with a layout engine is drawn twice by ``savefig`` (once hidden, to lay it
out). A report chart whose title and legend are drawn by the page (:class:`Chart`) has only
its tick labels and its axis label around the axes; their sizes are known before drawing, so
the axes can be placed once, with one measurement per label, and the figure drawn once.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator
from typing import Any

import matplotlib as mpl
from matplotlib.axis import Axis
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text

__all__ = ["fit_axes", "PAD_IN", "PNG_DPI", "canvas_for", "drawn_at"]

#: Blank margin (inches) kept between the outermost text and the figure's edge.
PAD_IN = 0.06

_POINTS_PER_INCH = 72.0

#: Resolution of every PNG chart: 110 dpi keeps a 7-inch chart sharp on screen and on A4 paper.
PNG_DPI = 110.0


@functools.lru_cache(maxsize=8)
def _renderer(width: float, height: float, dpi: float) -> RendererAgg:
    """One Agg renderer per figure size and resolution, kept for the process (a few sizes)."""
    return RendererAgg(width, height, dpi)


class _SharedRendererCanvas(FigureCanvasAgg):
    """An Agg canvas whose renderer is the process's one for the figure's size and dpi."""

    def get_renderer(self) -> RendererAgg:
        width, height = self.figure.bbox.size
        self.renderer = _renderer(float(width), float(height), float(self.figure.dpi))
        return self.renderer


@contextlib.contextmanager
def drawn_at(fig: Figure, dpi: float = PNG_DPI) -> Iterator[FigureCanvasAgg]:
    """``fig`` at ``dpi`` on a :func:`canvas_for` canvas inside the block; its resolution and
    canvas are restored after (measuring or drawing a chart leaves the figure as it was)."""
    previous_dpi, previous_canvas = fig.dpi, fig.canvas
    try:
        canvas = canvas_for(fig)
        fig.dpi = dpi
        yield canvas
    finally:
        fig.dpi = previous_dpi
        fig.set_canvas(previous_canvas)


def canvas_for(fig: Figure) -> FigureCanvasAgg:
    """An Agg canvas for ``fig`` that draws with the process's renderer for its size and dpi.

    matplotlib caches text measurements per renderer, and an ordinary canvas makes a new
    renderer for every figure, so every chart measures again the tick labels, years and axis
    labels the previous chart measured. Charts of one size share a renderer here, and with it
    those measurements (:func:`~planmon.content.charts.style.figure_to_png_bytes` draws, and
    :func:`fit_axes` measures, through it). Not thread-safe: one
    figure is drawn at a time, as in a report's kernel.
    """
    return _SharedRendererCanvas(fig)


def _label_extents(axis: Axis, renderer: Any) -> tuple[float, float]:
    """Largest (width, height) in pixels of the tick labels ``axis`` will draw.

    Each label is measured as matplotlib will lay it out (a :class:`~matplotlib.text.Text`
    with the tick labels' font: its line height and descent included, not only the glyphs').
    """
    low, high = sorted(axis.get_view_interval())
    locs = [loc for loc in axis.get_majorticklocs() if low - 1e-9 <= loc <= high + 1e-9]
    if not locs:
        return 0.0, 0.0
    texts = axis.get_major_formatter().format_ticks(locs)
    prop = axis.get_major_ticks(1)[0].label1.get_fontproperties()
    width = height = 0.0
    for text in texts:
        if not text:
            continue
        probe = Text(0, 0, text, fontproperties=prop)
        probe.set_figure(axis.get_figure(root=True))
        box = probe.get_window_extent(renderer)
        width, height = max(width, box.width), max(height, box.height)
    return width, height


def _tick_offset_in(name: str) -> float:
    """Distance (inches) from the axes' edge to a tick label: the tick's length and pad."""
    size = mpl.rcParams[f"{name}.major.size"]
    pad = mpl.rcParams[f"{name}.major.pad"]
    return (size + pad) / _POINTS_PER_INCH


def fit_axes(fig: Figure, ax: Any) -> None:
    """Place ``ax`` so its tick labels and axis labels just fit inside ``fig``.

    Call it inside the chart's style context (the rcParams that made the axes) once the data
    are drawn and the limits, locators and formatters set: the tick labels are the ones the
    draw will show. Only the left (y tick labels and y label) and bottom (x tick labels and
    x label) margins depend on text; the top and right keep room for half a tick label, which
    may stand out past the axes' corner. A mirrored chart (y axis on the right,
    :func:`~planmon.content.charts.common.mirror_for_rtl`) gets the margins swapped.

    Parameters
    ----------
    fig : Figure
        A figure without a layout engine.
    ax : Axes
        Its only axes.
    """
    # measured at the resolution the chart is drawn at, through the renderer it is drawn with:
    # the draw then finds these labels' sizes already measured
    with drawn_at(fig) as canvas:
        _place(fig, ax, canvas.get_renderer())


def _place(fig: Figure, ax: Any, renderer: Any) -> None:
    dpi = fig.dpi
    y_width, y_height = _label_extents(ax.yaxis, renderer)
    x_width, x_height = _label_extents(ax.xaxis, renderer)
    left = PAD_IN + (y_width / dpi + _tick_offset_in("ytick") if y_width else 0.0)
    bottom = PAD_IN + (x_height / dpi + _tick_offset_in("xtick") if x_height else 0.0)
    for axis in (ax.yaxis, ax.xaxis):
        if not axis.label.get_text():
            continue
        box = axis.label.get_window_extent(renderer)
        extent = box.width if axis is ax.yaxis else box.height
        extra = extent / dpi + axis.labelpad / _POINTS_PER_INCH
        if axis is ax.yaxis:
            left += extra
        else:
            bottom += extra
    top = PAD_IN + max(y_height, x_height) / 2 / dpi
    right = PAD_IN + x_width / 2 / dpi
    if ax.yaxis.get_label_position() == "right":  # a mirrored (right-to-left) chart
        left, right = right, left
    width_in, height_in = fig.get_size_inches()
    ax.set_position(
        [
            left / width_in,
            bottom / height_in,
            max(0.1, 1 - (left + right) / width_in),
            max(0.1, 1 - (bottom + top) / height_in),
        ]
    )
