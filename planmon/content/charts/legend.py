"""A chart drawn by the page: the figure holds the axes, the page holds the title and legend.

A report shows each chart's title and legend as HTML beside the image, not inside it: the
text is set by the browser or WeasyPrint in the report's own fonts, it is selectable and found
by a search in the PDF, a screen reader reads it, and the figure has only its axes to lay out
and draw (:mod:`planmon.content.charts.fixed`), which makes it several times cheaper.

:func:`legend_html` draws each legend entry's swatch as a small inline SVG from the matplotlib
artist itself (its colour, line style, marker), so the legend cannot disagree with the lines.
"""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.collections import Collection, PathCollection
from matplotlib.colors import to_hex, to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import Patch

__all__ = ["Chart", "legend_html", "swatch_svg"]

_W, _H = 30, 14  # swatch size, CSS pixels
_PX_PER_PT = 96 / 72
_DASHES = {"--": "5,3", "dashed": "5,3", "-.": "6,2,1.5,2", "dashdot": "6,2,1.5,2"}
_DASHES.update({":": "1.5,2", "dotted": "1.5,2"})
_MARKERS = ("s", "*", "<", ">", "|")  # drawn as themselves; any other marker as a circle


@dataclass(frozen=True)
class Chart:
    """A figure with only its axes, and the title and legend entries the page draws around it.

    Attributes
    ----------
    figure : Figure
        The axes, laid out to fill the figure (no title, no legend inside).
    title : str
        The chart's title, plain text (the page escapes it).
    handles : tuple of Artist
        The legend entries in reading order; each artist's label is its text.
    """

    figure: Figure
    title: str
    handles: tuple[Any, ...]


def _paint(colour: Any) -> tuple[str, float]:
    """A colour as ``#rrggbb`` and its opacity (``none`` → fully transparent)."""
    if isinstance(colour, str) and colour.lower() == "none":
        return "none", 0.0
    rgba = to_rgba(colour)
    return to_hex(rgba, keep_alpha=False), float(rgba[3])


def _marker_svg(marker: str, cx: float, cy: float, size_pt: float, face: Any, edge: Any) -> str:
    """One marker of ``size_pt`` points (its width) centred on (cx, cy)."""
    fill, fill_opacity = _paint(face)
    stroke, _ = _paint(edge)
    r = size_pt * _PX_PER_PT / 2
    paint = f'fill="{fill}" fill-opacity="{fill_opacity:.3g}" stroke="{stroke}" stroke-width="1.2"'
    if marker == "s":
        return f'<rect x="{cx - r:.2f}" y="{cy - r:.2f}" width="{2 * r:.2f}" height="{2 * r:.2f}" {paint}/>'
    if marker in ("<", ">"):
        tip, back = (cx - r, cx + r) if marker == "<" else (cx + r, cx - r)
        points = f"{tip:.2f},{cy:.2f} {back:.2f},{cy - r:.2f} {back:.2f},{cy + r:.2f}"
        return f'<polygon points="{points}" {paint}/>'
    if marker == "|":
        return (
            f'<line x1="{cx:.2f}" y1="{cy - r:.2f}" x2="{cx:.2f}" y2="{cy + r:.2f}" '
            f'stroke="{stroke if stroke != "none" else fill}" stroke-width="2.2"/>'
        )
    if marker == "*":
        points = []
        for k in range(10):
            radius = r * 1.15 if k % 2 == 0 else r * 0.46
            angle = math.pi / 2 + k * math.pi / 5
            points.append(
                f"{cx + radius * math.cos(angle):.2f},{cy - radius * math.sin(angle):.2f}"
            )
        return f'<polygon points="{" ".join(points)}" {paint}/>'
    return f'<circle cx="{cx:.2f}" cy="{cy:.2f}" r="{r:.2f}" {paint}/>'


def _collection_marker(handle: PathCollection) -> str:
    """The marker symbol a scatter was drawn with (``"o"`` when it is none of planmon's)."""
    path = handle.get_paths()[0].vertices
    for symbol in (*_MARKERS, "o"):
        style = MarkerStyle(symbol)
        candidate = style.get_path().transformed(style.get_transform()).vertices
        if candidate.shape == path.shape and np.allclose(candidate, path):
            return symbol
    return "o"


def _line_svg(handle: Line2D) -> str:
    colour, opacity = _paint(handle.get_color())
    width = max(0.8, handle.get_linewidth() * _PX_PER_PT)
    dash = _DASHES.get(str(handle.get_linestyle()))
    parts = []
    if str(handle.get_linestyle()) not in ("None", "none", "", " "):
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="1" y1="{_H / 2}" x2="{_W - 1}" y2="{_H / 2}" stroke="{colour}" '
            f'stroke-opacity="{opacity:.3g}" stroke-width="{width:.2f}"{dashes}/>'
        )
    marker = handle.get_marker()
    if marker not in (None, "None", "none", "", " "):
        symbol = marker if marker in _MARKERS else "o"
        parts.append(
            _marker_svg(
                symbol,
                _W / 2,
                _H / 2,
                handle.get_markersize(),
                handle.get_markerfacecolor(),
                handle.get_markeredgecolor(),
            )
        )
    return "".join(parts)


def _area_svg(face: Any, edge: Any = "none") -> str:
    fill, opacity = _paint(face)
    stroke, _ = _paint(edge)
    return (
        f'<rect x="2" y="2" width="{_W - 4}" height="{_H - 4}" rx="1.5" fill="{fill}" '
        f'fill-opacity="{opacity:.3g}" stroke="{stroke}"/>'
    )


def swatch_svg(handle: Any) -> str:
    """The legend swatch of one matplotlib artist as an inline ``<svg>`` element.

    Lines keep their colour, width, dash pattern and marker; scatters their marker, fill
    and edge; areas and patches their fill (with its transparency).
    """
    if isinstance(handle, Line2D):
        body = _line_svg(handle)
    elif isinstance(handle, PathCollection):
        size_pt = math.sqrt(float(handle.get_sizes()[0])) if len(handle.get_sizes()) else 6.0
        body = _marker_svg(
            _collection_marker(handle),
            _W / 2,
            _H / 2,
            min(size_pt, _H / _PX_PER_PT),
            handle.get_facecolor()[0],
            handle.get_edgecolor()[0] if len(handle.get_edgecolor()) else "none",
        )
    elif isinstance(handle, Collection):
        body = _area_svg(handle.get_facecolor()[0])
    elif isinstance(handle, Patch):
        body = _area_svg(handle.get_facecolor(), handle.get_edgecolor())
    else:
        body = ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_W}" height="{_H}" '
        f'viewBox="0 0 {_W} {_H}">{body}</svg>'
    )


def legend_html(handles: Sequence[Any]) -> str:
    """The legend entries as centred lines of swatch + label under the chart.

    Plain inline content (each swatch an ``<img>`` of its SVG), so every renderer lays it out
    alike, WeasyPrint included, and it follows the page's direction: in a right-to-left page
    the first entry is on the right, its swatch on the reading side. Labels are escaped.
    """
    if not handles:
        return ""
    items = []
    for handle in handles:
        svg = base64.b64encode(swatch_svg(handle).encode("utf-8")).decode("ascii")
        items.append(
            '<span style="white-space: nowrap; margin: 0 0.65em">'
            f'<img src="data:image/svg+xml;base64,{svg}" alt="" width="{_W}" height="{_H}" '
            'style="vertical-align: middle; margin-inline-end: 0.3em">'
            f"{html.escape(str(handle.get_label()))}</span>"
        )
    return (
        '<div class="planmon-legend" style="text-align: center; font-size: 0.85em; '
        f'line-height: 1.7; margin: 0 0 0.5em">{"".join(items)}</div>'
    )
