"""The building blocks of a report section: the :class:`Block` display object and small HTML
helpers with inline CSS (headings, paragraphs, tables, status chips and cells).

Text from the plan (names, notes, passports) is untrusted: :func:`esc` escapes it and isolates
its direction; every other helper escapes its text too. Numbers come from
:mod:`planmon.core.locale`, words from :mod:`planmon.core.vocabulary`.
"""

from __future__ import annotations

import base64
import html
import math
import textwrap
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import pandas as pd

from planmon.content.charts.legend import Chart, legend_html
from planmon.content.charts.style import figure_to_png_bytes
from planmon.content.palette import STATUS_COLOURS, status_of, text_colour_on
from planmon.core.locale import (
    MISSING,
    as_float,
    format_fixed,
    format_number,
    format_percent,
)
from planmon.core.vocabulary import status_label

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "Block",
    "GREY",
    "RULE",
    "text",
    "esc",
    "missing",
    "pct",
    "num",
    "fixed",
    "arrow",
    "status_style",
    "chip",
    "h",
    "p",
    "table",
    "status_cell",
    "wrap_lines",
]

GREY = "#5f5f5f"
RULE = "#d6d6d6"
_HEADER_BG = "#f2f4f7"


@dataclass
class Block:
    """Report content in reading order: HTML fragments and PNG charts.

    A notebook shows a Block by ending a cell with it: IPython calls
    :meth:`_ipython_display_`, which emits each HTML part as ``text/html`` and each chart as
    ``image/png`` (with its title as alt text). :meth:`to_html` gives the same content as one
    HTML string with the charts embedded, for tests and other front ends.

    Attributes
    ----------
    lang : {"fa", "en"}
        Language of the content (sets ``dir`` and ``lang`` on every HTML part).
    parts : list of tuple
        ``("html", markup)`` or ``("png", bytes, alt)``. Markup is already escaped.
    """

    lang: str
    parts: list[tuple[Any, ...]] = field(default_factory=list)

    def html(self, markup: str) -> Block:
        """Append trusted (already escaped) markup; returns self for chaining."""
        self.parts.append(("html", markup))
        return self

    def figure(self, fig: Figure, alt: str) -> Block:
        """Append a chart, encoded as PNG now so the figure can be garbage-collected."""
        self._align_labels(fig)
        self.parts.append(("png", figure_to_png_bytes(fig), alt))
        return self

    def _align_labels(self, fig: Figure) -> None:
        if self.lang == "fa":
            # A wrapped Persian label starts its lines at the right; matplotlib aligns the
            # lines of a multi-line label to the left unless told otherwise.
            for ax in fig.axes:
                for label in ax.get_yticklabels():
                    label.set_multialignment("right")

    def chart(self, chart: Chart, alt: str | None = None) -> Block:
        """Append a chart whose title and legend the page sets: one ``<figure>`` with the
        title, the image and the legend (:mod:`planmon.content.charts.legend`), kept on one
        page in print. The image is encoded now, so the figure can be garbage-collected.
        """
        self._align_labels(chart.figure)
        png = base64.b64encode(figure_to_png_bytes(chart.figure)).decode("ascii")
        alt_text = html.escape(chart.title if alt is None else alt)
        caption = (
            '<figcaption style="font-weight: bold; text-align: center; margin: 0 0 0.2em">'
            f"{html.escape(chart.title)}</figcaption>"
            if chart.title
            else ""
        )
        return self.html(
            '<figure class="planmon-chart" style="margin: 0.6em 0 0.2em; break-inside: avoid">'
            f"{caption}"
            f'<img src="data:image/png;base64,{png}" alt="{alt_text}" '
            'style="display: block; margin: 0 auto; max-width: 100%">'
            f"{legend_html(chart.handles)}</figure>"
        )

    def _wrap(self, markup: str) -> str:
        direction = "rtl" if self.lang == "fa" else "ltr"
        return (
            f'<div class="planmon-block" dir="{direction}" lang="{self.lang}" '
            f'style="text-align: start">{markup}</div>'
        )

    def to_html(self) -> str:
        """All parts as one HTML fragment, charts as ``data:`` URIs."""
        out = []
        for part in self.parts:
            if part[0] == "html":
                out.append(self._wrap(part[1]))
            else:
                payload = base64.b64encode(part[1]).decode("ascii")
                out.append(
                    f'<div class="output_png"><img src="data:image/png;base64,{payload}" '
                    f'alt="{html.escape(part[2])}"></div>'
                )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        for part in self.parts:
            if part[0] == "html":
                display(HTML(self._wrap(part[1])))
            else:
                display(
                    {"image/png": part[1]},
                    raw=True,
                    metadata={"image/png": {"alt": part[2]}},
                )


def text(value: Any) -> str:
    """A cell as display text ("" when missing)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


def _direction_of(value: str) -> str | None:
    """ "rtl" or "ltr" from the first strongly directional character, None if there is none."""
    for char in value:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def esc(value: Any) -> str:
    """Plan text (untrusted) as HTML: escaped, and isolated in its own direction.

    ``<bdi dir=…>`` keeps a Persian note inside an English sentence (or "AVL" inside a
    Persian one) from reordering the words around it.
    """
    shown = text(value)
    direction = _direction_of(shown)
    escaped = html.escape(shown, quote=True)
    return f'<bdi dir="{direction}">{escaped}</bdi>' if direction else escaped


def missing(x: Any) -> bool:
    """True for None, NaN, NA and anything that is not a number."""
    return as_float(x) is None


def fixed(x: Any, lang: str, decimals: int = 1) -> str:
    """A score with a fixed count of decimals (see :func:`planmon.core.locale.format_fixed`)."""
    return MISSING if missing(x) else format_fixed(x, lang, decimals)


def pct(x: Any, lang: str) -> str:
    """A percentage for a table cell or a key figure."""
    return MISSING if missing(x) else format_percent(x, lang)


def num(x: Any, lang: str) -> str:
    """A number for a table cell."""
    return MISSING if missing(x) else format_number(x, lang)


def arrow(change: float) -> str:
    """▲ for a rise, ▼ for a fall."""
    return "▲" if change > 0 else "▼"


def status_style(status: str) -> str:
    """Inline CSS of a status cell: its colour, and black or white text on it."""
    colour = STATUS_COLOURS[status]
    return f"background: {colour}; color: {text_colour_on(colour)}"


def chip(status: str, lang: str, count: int | None = None) -> str:
    """A status name on its colour, optionally with a count ("پسرفت: ۲")."""
    label = status_label(status, lang)
    if count is not None:
        label = f"{label}: {format_number(count, lang)}"
    return (
        f'<span style="{status_style(status)}; padding: 1pt 6pt; border-radius: 3pt; '
        'margin: 0 3pt 3pt 0; display: inline-block; white-space: nowrap">'
        f"{html.escape(label)}</span>"
    )


def h(level: int, heading: str) -> str:
    """A heading (escaped)."""
    return f"<h{level}>{html.escape(heading)}</h{level}>"


def p(paragraph: str, *, muted: bool = False) -> str:
    """A paragraph (escaped); ``muted`` for notes under a chart."""
    style = f' style="color: {GREY}; font-size: 0.92em"' if muted else ""
    return f"<p{style}>{html.escape(paragraph)}</p>"


_TH = f"background: {_HEADER_BG}; border-bottom: 1.5px solid {GREY}; padding: 3pt 6pt"
_TD = f"border-bottom: 1px solid {RULE}; padding: 3pt 6pt; vertical-align: top"


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str | tuple[str, str]]],
    *,
    first_width: str | None = None,
) -> str:
    """An HTML table. Headers are plain text; each cell is escaped markup or (markup, style).

    ``first_width`` (e.g. ``"30%"``) reserves room for the first column (names) and makes the
    table as wide as the page, so long names are not squeezed into one word per line.
    """
    head = "".join(
        f'<th style="{_TH}{"; width: " + first_width if first_width and i == 0 else ""}">'
        f"{html.escape(header)}</th>"
        for i, header in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for cell in row:
            markup, style = cell if isinstance(cell, tuple) else (cell, "")
            cells.append(f'<td style="{_TD}; {style}">{markup}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    width = "; width: 100%" if first_width else ""
    return (
        '<table class="planmon-table" '
        f'style="border-collapse: collapse; margin: 0.4em 0 1em{width}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def status_cell(status: Any, lang: str) -> tuple[str, str]:
    """A table cell naming a status on its colour."""
    key = status_of(status)
    return html.escape(status_label(key, lang)), status_style(key) + "; white-space: nowrap"


def wrap_lines(value: str, width: int) -> str:
    """``value`` wrapped at about ``width`` characters per line (for chart labels)."""
    lines = textwrap.wrap(value, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else value
