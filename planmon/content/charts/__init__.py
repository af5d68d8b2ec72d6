"""Figures for planmon's analytic reports, in Persian (right to left) or English.

Every chart function returns a :class:`matplotlib.figure.Figure` and never saves or shows it:
a notebook displays the figure inline, a caller that needs bytes uses
:func:`figure_to_png_bytes`. Figures are built on :class:`~matplotlib.figure.Figure` directly
(not ``pyplot``), so nothing is registered with a GUI backend and nothing leaks between calls.
Text from the plan (names, units) is drawn literally, never parsed as mathtext.

* :mod:`.style` — fonts, rcParams, layout, PNG output;
* :mod:`.common` — literal text, localised ticks, legends, right-to-left axes;
* :mod:`.indicator` — one indicator's path and trend;
* :mod:`.bars` — achievement, distance covered and ranking bars;
* :mod:`.heatmap` — department × goal (or status) heat map;
* :mod:`.districts` — the district comparison's grouped bars.

Status colours and their names come from :mod:`planmon.content.palette` and
:mod:`planmon.core.vocabulary`.
"""

from __future__ import annotations

from planmon.content.charts.bars import comparison_chart, distance_chart, ranking_chart
from planmon.content.charts.districts import district_chart
from planmon.content.charts.heatmap import status_heatmap
from planmon.content.charts.indicator import indicator_chart
from planmon.content.charts.style import chart_style, figure_to_png_bytes, setup_style, style_rc
from planmon.content.palette import STATUS_COLOURS, text_colour_on
from planmon.measures.progress import STATUSES

__all__ = [
    "STATUSES",
    "STATUS_COLOURS",
    "text_colour_on",
    "style_rc",
    "chart_style",
    "setup_style",
    "indicator_chart",
    "comparison_chart",
    "distance_chart",
    "status_heatmap",
    "ranking_chart",
    "district_chart",
    "figure_to_png_bytes",
]
