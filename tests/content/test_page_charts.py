"""Tests for the report's page charts: fixed layout, HTML legend, one-draw RGB PNG output."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

from planmon.content.blocks import Block
from planmon.content.charts.fixed import PAD_IN, PNG_DPI, canvas_for, fit_axes
from planmon.content.charts.indicator import indicator_chart, indicator_page_chart
from planmon.content.charts.legend import legend_html, swatch_svg
from planmon.content.charts.style import (
    TARGET,
    TREND,
    chart_style,
    figure_to_png_bytes,
)

HISTORY = pd.DataFrame(
    {
        "year": [1396, 1397, 1398, 1399],
        "value": [1_250_000.0, 1_310_000.0, 1_402_000.0, 1_515_000.0],
        "is_baseline": [True, False, False, False],
    }
)
TARGETS = pd.DataFrame(
    {"year": [1397, 1398, 1399, 1400, 1401], "target": [1.3e6, 1.4e6, 1.5e6, 1.6e6, 1.7e6]}
)
TREND_ROW = pd.Series(
    {
        "trend_horizon_value": 1.78e6,
        "trend_low": 1.7e6,
        "trend_high": 1.86e6,
        "trend_slope": 87_000.0,
        "horizon_year": 1401,
        "year": 1399,
    }
)
UNIT_FA = "نفر در سال (گردشگر ورودی)"


def _page_chart(lang: str, unit: str = UNIT_FA):
    return indicator_page_chart(
        HISTORY,
        TARGETS,
        TREND_ROW,
        name="<b>$x$ گردشگران</b>",
        unit=unit,
        lang=lang,
        status="moderate_progress",
    )


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_fixed_layout_keeps_every_label_inside_the_figure_and_close_to_its_edge(lang):
    chart = _page_chart(lang)
    fig = chart.figure
    assert fig.get_layout_engine() is None  # nothing lays it out again at save time
    fig.dpi = PNG_DPI  # the resolution the PNG is drawn at, and the layout measured at
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # places the axis labels and sets the tick labels as the PNG shows them
    renderer = canvas.get_renderer()
    ax = fig.axes[0]
    frame = fig.bbox
    boxes = [ax.yaxis.label.get_window_extent(renderer)]
    for axis in (ax.xaxis, ax.yaxis):
        boxes += [t.get_window_extent(renderer) for t in axis.get_ticklabels() if t.get_text()]
    for box in boxes:  # nothing clipped
        assert box.x0 >= frame.x0 - 0.5 and box.x1 <= frame.x1 + 0.5
        assert box.y0 >= frame.y0 - 0.5 and box.y1 <= frame.y1 + 0.5
    # and no wasted margin: the outermost text sits within the pad (+1 px) of the edge
    pad_px = PAD_IN * fig.dpi
    assert min(b.x0 for b in boxes) - frame.x0 <= pad_px + 1
    assert min(b.y0 for b in boxes) - frame.y0 <= pad_px + 1


def test_charts_of_one_size_share_a_renderer_and_leave_nothing_on_it():
    first, second = _page_chart("fa").figure, _page_chart("en").figure
    assert canvas_for(first).get_renderer() is canvas_for(second).get_renderer()
    png = figure_to_png_bytes(first)
    figure_to_png_bytes(second)  # drawn on the same pixels in between
    assert figure_to_png_bytes(first) == png
    # the same picture as a canvas of its own would draw
    first.dpi = PNG_DPI
    own = FigureCanvasAgg(first)
    own.draw()
    assert bytes(own.buffer_rgba()) == bytes(canvas_for(first).get_renderer().buffer_rgba())


def test_fixed_layout_swaps_margins_for_a_mirrored_axis():
    with chart_style("fa"):
        fig = Figure(figsize=(7, 3))
        ax = fig.add_subplot()
        ax.barh([0, 1], [1_000_000, 2_000_000])
        ax.invert_xaxis()
        ax.yaxis.tick_right()
        ax.yaxis.set_label_position("right")
        ax.set_yticks([0, 1], ["بخش نخست با نامی بلند", "دوم"])
        fit_axes(fig, ax)
    left, _bottom, width, _height = ax.get_position().bounds
    assert 1 - (left + width) > left  # the long labels' room is on the right


def test_page_chart_draws_no_title_or_legend_inside_and_returns_the_entries():
    chart = _page_chart("fa")
    assert chart.title == "<b>$x$ گردشگران</b>"  # plain text: the page escapes it
    assert not chart.figure.legends and chart.figure.axes[0].get_title() == ""
    full = indicator_chart(
        HISTORY, TARGETS, TREND_ROW, name="x", unit=UNIT_FA, lang="fa", status="moderate_progress"
    )
    # the same entries, in the same order, as the analyst's figure's own legend
    in_figure = [t.get_text() for t in full.legends[0].get_texts() if t.get_text()]
    assert sorted(h.get_label() for h in chart.handles) == sorted(in_figure)
    assert [h.get_label() for h in chart.handles][0].startswith("سال پایه")


def test_swatches_follow_the_artists():
    chart = _page_chart("en")
    by_label = {h.get_label(): swatch_svg(h) for h in chart.handles}
    target = by_label["Annual target"]
    assert 'stroke-dasharray="5,3"' in target and TARGET.lower() in target.lower()
    trend = by_label["Linear trend"]
    assert 'stroke-dasharray="6,2,1.5,2"' in trend and TREND.lower() in trend.lower()
    assert "<polygon" in by_label["Horizon target (1401)"]  # the star
    assert "<rect" in by_label["Baseline year (1396)"]  # the open square
    band = by_label["95% prediction interval"]
    assert re.search(r'fill-opacity="0\.16"', band)  # the band's transparency


def test_legend_html_escapes_labels_and_keeps_reading_order():
    chart = _page_chart("fa")
    handles = list(chart.handles)
    handles[0].set_label('<script>alert("x")</script>')
    markup = legend_html(handles)
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    labels = re.findall(r'alt="" width="30" height="14"[^>]*>([^<]*)</span>', markup)
    assert len(labels) == len(handles)
    assert labels[1:] == [h.get_label() for h in handles[1:]]
    assert legend_html([]) == ""


def test_block_chart_is_one_figure_with_escaped_title_image_and_legend():
    chart = _page_chart("fa")
    block = Block("fa").chart(chart)
    ((kind, markup),) = block.parts
    assert kind == "html"
    assert markup.startswith('<figure class="planmon-chart"') and markup.endswith("</figure>")
    assert "&lt;b&gt;$x$ گردشگران&lt;/b&gt;</figcaption>" in markup
    png = re.search(r'src="data:image/png;base64,([^"]+)"', markup).group(1)
    assert Image.open(io.BytesIO(base64.b64decode(png))).mode == "RGB"
    # baseline, actual, targets, horizon star, trend, band, status: one swatch each
    assert len(chart.handles) == 7
    assert markup.count("data:image/svg+xml;base64,") == 7


def test_png_is_rgb_deterministic_drawn_once_and_keeps_the_figure(monkeypatch):
    chart = _page_chart("fa")
    fig = chart.figure
    draws = []
    original = Figure.draw
    monkeypatch.setattr(Figure, "draw", lambda self, r: (draws.append(1), original(self, r))[1])
    first = figure_to_png_bytes(fig)
    assert len(draws) == 1  # savefig would draw twice
    assert first == figure_to_png_bytes(fig)  # no timestamps or version metadata
    image = Image.open(io.BytesIO(first))
    assert image.mode == "RGB" and image.size == (770, 341)  # 7 × 3.1 in at 110 dpi
    assert fig.dpi == 100 and fig.canvas.figure is fig
    assert np.asarray(image)[0, 0].tolist() == [255, 255, 255]


def test_png_of_a_constrained_layout_figure_is_laid_out_in_its_one_draw():
    fig = indicator_chart(HISTORY, TARGETS, TREND_ROW, name="گردشگران", unit=UNIT_FA, lang="fa")
    figure_to_png_bytes(fig)
    # the layout engine ran inside the draw: the title is inside the figure
    renderer = FigureCanvasAgg(fig).get_renderer()
    title = fig.axes[0].title.get_window_extent(renderer)
    assert fig.bbox.y0 <= title.y0 and title.y1 <= fig.bbox.y1


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_bar_page_charts_match_the_analysts_figures_without_their_legend(lang):
    from planmon.content.charts.bars import (
        comparison_chart,
        comparison_page_chart,
        distance_chart,
        distance_page_chart,
    )

    frame = pd.DataFrame(
        {
            "name_fa": ["سرانه فضای سبز شهری", "طول شبکه دوچرخه‌سواری با نامی بلند برای شکستن"],
            "name_en": ["Green space", "Cycle network with a long name that wraps"],
            "achievement_pct": [104.0, 210.0],
            "distance_covered_pct": [100.0, -10.0],
            "status": ["target_achieved", "deterioration"],
            "year": [1399, 1399],
            "baseline_year": [1396, 1396],
            "horizon_year": [1401, 1401],
        }
    )
    for full_chart, page_chart in (
        (comparison_chart, comparison_page_chart),
        (distance_chart, distance_page_chart),
    ):
        full = full_chart(frame, lang=lang)
        page = page_chart(frame, lang=lang)
        assert page.figure.get_layout_engine() is None and not page.figure.legends
        in_figure = [t.get_text() for t in full.legends[0].get_texts() if t.get_text()]
        assert [h.get_label() for h in page.handles] == in_figure or sorted(
            h.get_label() for h in page.handles
        ) == sorted(in_figure)
        # the same bars and value labels on the axes
        assert [t.get_text() for t in page.figure.axes[0].texts] == [
            t.get_text() for t in full.axes[0].texts
        ]
        if lang == "fa":  # mirrored: the wrapped names are on the right, with their room
            left, _b, width, _h = page.figure.axes[0].get_position().bounds
            assert 1 - (left + width) > left
