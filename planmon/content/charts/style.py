"""planmon's chart style: fonts with Persian glyphs, the rcParams, the layout and PNG output.

Persian text is passed to matplotlib in logical order: matplotlib (3.11+) shapes Arabic-script
text and lays it out right to left itself. Reshaping it beforehand (``arabic_reshaper``,
``python-bidi``) would scramble it.
"""

from __future__ import annotations

import contextlib
import functools
import io
from collections.abc import Iterator
from typing import Any

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine

from planmon.content.charts.fixed import PNG_DPI, drawn_at
from planmon.core.exceptions import PlanmonError
from planmon.core.locale import LANGS

__all__ = [
    "WIDTH",
    "ACTUAL",
    "TARGET",
    "TREND",
    "REFERENCE",
    "TRACK",
    "check_lang",
    "layout",
    "style_rc",
    "chart_style",
    "setup_style",
    "figure_to_png_bytes",
    "warm_up",
]

# Colours of the non-status elements: a dark actual line, neutral targets, a purple trend that
# cannot be mistaken for any status colour.
ACTUAL = "#1F4E79"
TARGET = "#5F5F5F"
TREND = "#7B4FA0"
REFERENCE = "#333333"
TRACK = "#ECECEC"

#: Figure width (inches) that fits the text block of an A4 page at 100 % zoom.
WIDTH = 7.0

# Preferred families with Arabic-script glyphs; DejaVu Sans ships with matplotlib.
_FONT_PREFERENCE = ("Vazirmatn", "Noto Sans Arabic", "DejaVu Sans")


def layout() -> ConstrainedLayoutEngine:
    """Constrained layout (nothing clipped) with a little more padding than the default.

    Bold Persian titles reach slightly above the font's nominal ascent; 0.06 inch (not 0.04)
    keeps them off the figure's edge.
    """
    return ConstrainedLayoutEngine(h_pad=0.06, w_pad=0.06)


def check_lang(lang: str) -> str:
    """``lang`` if planmon renders it, else :class:`PlanmonError`."""
    if lang not in LANGS:
        raise PlanmonError(f"unknown report language {lang!r}; expected one of {LANGS}")
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

    A seaborn ``whitegrid`` look at ``paper`` scale and a font family with Persian glyphs.
    planmon's charts write every number themselves (:mod:`planmon.core.locale`, with its minus
    sign); ``axes.unicode_minus`` is off only for a notebook's own ad-hoc plots.

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

    check_lang(lang)
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


def figure_to_png_bytes(fig: Figure, dpi: float = PNG_DPI) -> bytes:
    """Encode ``fig`` as an RGB PNG in memory (nothing is written to disk), drawing it once.

    ``savefig`` draws a figure with a layout engine twice (a hidden pass to lay it out, then
    the real one); a figure's own draw already runs its layout engine first, so one draw at
    the final resolution is enough. The chart's background is opaque, so the PNG has no alpha
    channel: a quarter less to compress, and WeasyPrint embeds it without splitting off a
    transparency mask. No metadata is written, so the same figure gives the same bytes.
    The draw goes through :func:`~planmon.content.charts.fixed.canvas_for` (text measured once per process, not per chart).

    Parameters
    ----------
    fig : Figure
        The figure; its resolution and canvas are restored afterwards.
    dpi : float
        Dots per inch (:data:`PNG_DPI`).

    Returns
    -------
    bytes
        The PNG file's bytes.
    """
    from PIL import Image

    with drawn_at(fig, dpi) as canvas:
        canvas.draw()
        width, height = canvas.get_width_height(physical=True)
        # convert() copies the pixels out of the shared renderer's buffer before its next draw
        image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1)
        image = image.convert("RGB")
        buffer = io.BytesIO()
        image.save(buffer, format="png", dpi=(dpi, dpi), compress_level=6)
    return buffer.getvalue()


def warm_up() -> None:
    """Draw a small throw-away chart in each language so fonts, glyph shaping and font look-ups
    are loaded and cached in this process.

    The build's zygote (:mod:`planmon.execution.kernel`) calls it once before it forks: every
    report then inherits the loaded fonts instead of loading them for its first chart. It
    takes the path the reports' charts take (a fixed layout, one draw), with bold and
    regular text, both digit sets and both scripts. Nothing is written; the figures are dropped.
    """
    from planmon.content.charts.fixed import fit_axes

    for lang in LANGS:
        with chart_style(lang):
            fig = Figure(figsize=(2.0, 1.5), layout=None)
            ax = fig.add_subplot()
            ax.plot([1397.0, 1398.0, 1399.0], [1.5, 2.5, 3.0])
            ax.set_title("برنامه Plan ۱۲۳۴۵۶۷۸۹۰ 0123456789")  # bold
            ax.set_ylabel("سال year")
            fit_axes(fig, ax)
            figure_to_png_bytes(fig, dpi=30)
