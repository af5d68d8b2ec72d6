"""Benchmark: which image format the report charts should have in the PDF, measured in one run.

    .venv/bin/python bench/bench_chart_format.py [--dept transport] [--year 1399] [--out DIR]

A department report's page charts (comparison, distance, one per indicator: the charts of
``indicator_sections`` and the two sections before it) are encoded in each candidate format and
set in a page of their own, ``<figure>`` for ``<figure>`` as :meth:`planmon.content.blocks.Block.chart` sets them;
the page is printed with :func:`planmon.publish.pdf.html_to_pdf` (WeasyPrint). Candidates:

* ``png 110 dpi`` — what the reports use (:data:`planmon.content.charts.fixed.PNG_DPI`);
* ``png 200 dpi`` — a resolution for print;
* ``svg, text as text`` — vector, ``svg.fonttype = "none"``: WeasyPrint sets the text itself
  (selectable in the PDF, if it shapes and places it right);
* ``svg, text as paths`` — vector, glyphs as outlines (not selectable).

Printed per language and format, CPU seconds (``time.process_time``, median of ``--rounds``):
encoding the charts, printing the page, both; the PDF's size; and how much of the charts' own
text ``pdftotext`` finds in the PDF (Persian normalised: bidi marks dropped, lam-alef joined).
The PDFs are kept in ``--out`` for ``pdftoppm``: look at them before trusting a format.
"""

from __future__ import annotations

import argparse
import base64
import html
import io
import os
import re
import statistics
import subprocess
import time
from pathlib import Path

import matplotlib as mpl

from planmon.content import department as d
from planmon.content.charts.fixed import drawn_at
from planmon.content.charts.legend import legend_html
from planmon.content.charts.style import figure_to_png_bytes
from planmon.content.context import open_report
from planmon.publish.pdf import html_to_pdf

FORMATS = ("png 110 dpi", "png 200 dpi", "svg, text as text", "svg, text as paths")
_BIDI = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def page_charts(ctx):
    """The report's page charts for ``ctx``: comparison, distance, one per indicator."""
    frame = d._labelled(ctx, ctx.dept_scores)
    charts = [
        d.comparison_page_chart(frame, lang=ctx.lang, label="label"),
        d.distance_page_chart(frame, lang=ctx.lang, label="label"),
    ]
    charts += [d.indicator_page_chart_of(ctx, i) for i in ctx.dept_scores["indicator_id"]]
    return charts


def encode(chart, fmt: str) -> tuple[str, bytes]:
    """``(mime type, bytes)`` of one chart in ``fmt``."""
    if fmt.startswith("png"):
        return "image/png", figure_to_png_bytes(chart.figure, dpi=float(fmt.split()[1]))
    fonttype = "none" if "as text" in fmt else "path"
    buffer = io.BytesIO()
    with mpl.rc_context({"svg.fonttype": fonttype, "svg.hashsalt": "planmon"}):
        with drawn_at(chart.figure, 72.0):  # SVG user units are points
            chart.figure.savefig(buffer, format="svg", metadata={"Date": None})
    return "image/svg+xml", buffer.getvalue()


def page(charts, images, lang: str) -> str:
    direction = "rtl" if lang == "fa" else "ltr"
    figures = []
    for chart, (mime, data) in zip(charts, images, strict=True):
        uri = f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"
        figures.append(
            '<figure style="margin: 0.6em 0; break-inside: avoid">'
            f"<figcaption>{html.escape(chart.title)}</figcaption>"
            # the PNG's own pixel size sets its width at 96 px/in; an SVG's width is in points
            f'<img src="{uri}" style="display: block; margin: 0 auto; max-width: 100%; '
            f'width: {chart.figure.get_figwidth():.3f}in">'
            f"{legend_html(chart.handles)}</figure>"
        )
    return (
        f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8">'
        "<style>@page { size: A4; margin: 1.5cm } body { font-family: 'Noto Sans Arabic', "
        "'DejaVu Sans', sans-serif; font-size: 10pt }</style></head><body>"
        + "".join(figures)
        + "</body></html>"
    )


def _normalise(text: str) -> str:
    text = _BIDI.sub("", text).replace("\ufefb", "لا").replace("\ufefc", "لا")
    return re.sub(r"\s+", "", text)


def chart_text(chart) -> list[str]:
    """The words drawn inside the chart's axes (tick and axis labels), normalised."""
    words = []
    for ax in chart.figure.axes:
        texts = ax.get_xticklabels() + ax.get_yticklabels() + [ax.xaxis.label, ax.yaxis.label]
        for text in texts:
            words += [_normalise(w) for w in text.get_text().split() if len(w) > 2]
    return words


def found_share(pdf: Path, words: list[str]) -> float:
    if not words:
        return float("nan")
    found = _normalise(
        subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    )
    return sum(w in found for w in words) / len(words)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dept", default="transport")
    parser.add_argument("--year", type=int, default=1399)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path("reports/bench-chart-format"))
    options = parser.parse_args()
    options.out.mkdir(parents=True, exist_ok=True)
    print(f"load average before: {os.getloadavg()[0]:.2f} (2 cores)")
    print(
        f"{'lang':4} {'format':20} {'encode s':>8} {'print s':>8} {'total s':>8} "
        f"{'images kB':>9} {'PDF kB':>7} {'chart text in PDF':>17}"
    )
    for lang in ("fa", "en"):
        ctx = open_report("department_report", "", options.year, options.dept, lang)
        charts = page_charts(ctx)
        words = [w for chart in charts for w in chart_text(chart)]
        html_to_pdf(
            page(charts, [encode(c, "png 110 dpi") for c in charts], lang), options.out / "warm.pdf"
        )
        for fmt in FORMATS:
            encode_times, print_times = [], []
            for _ in range(options.rounds):
                start = time.process_time()
                images = [encode(chart, fmt) for chart in charts]
                encode_times.append(time.process_time() - start)
                markup = page(charts, images, lang)
                target = options.out / f"{lang}-{fmt.replace(' ', '-').replace(',', '')}.pdf"
                start = time.process_time()
                html_to_pdf(markup, target)
                print_times.append(time.process_time() - start)
            enc, prn = statistics.median(encode_times), statistics.median(print_times)
            size = sum(len(data) for _, data in images) / 1024
            print(
                f"{lang:4} {fmt:20} {enc:8.3f} {prn:8.3f} {enc + prn:8.3f} {size:9.0f} "
                f"{target.stat().st_size / 1024:7.0f} {found_share(target, words):16.0%}"
            )
    print(f"load average after: {os.getloadavg()[0]:.2f}; PDFs in {options.out}")


if __name__ == "__main__":
    main()
