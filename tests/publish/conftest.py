"""Shared fixtures of the publish tests: a hand-made executed notebook and its Persian HTML."""

from __future__ import annotations

import base64
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from planmon.content import charts
from planmon.publish.html import notebook_to_html

DEPT_FA = "معاونت خدمات شهری"
EVIL_NAME = "District <script>alert(1)</script>"

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext (poppler-utils) is not installed; CI installs it with apt-get",
)


def _png() -> str:
    """A small real PNG drawn by matplotlib (Agg, in memory), base64 as in a notebook."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(2, 1))
    fig.add_subplot().plot([0, 1], [1, 0])
    return base64.b64encode(charts.figure_to_png_bytes(fig, dpi=30)).decode()


@pytest.fixture(scope="module")
def notebook() -> nbformat.NotebookNode:
    """An executed-looking notebook built by hand: no kernel needed."""
    chart = v4.new_code_cell("SECRET_SOURCE = plot_everything()")
    chart.execution_count = 1
    chart.outputs = [
        v4.new_output("display_data", data={"image/png": _png(), "text/plain": "<Figure>"}),
        v4.new_output("stream", name="stderr", text="FutureWarning: noisy\n"),
    ]
    table = v4.new_code_cell("table")
    table.execution_count = 2
    table.outputs = [
        v4.new_output(
            "execute_result",
            data={"text/html": "<table><tr><td>شاخص</td><td>-20.0</td></tr></table>"},
            execution_count=2,
        )
    ]
    javascript = v4.new_code_cell("js")
    javascript.outputs = [
        v4.new_output("display_data", data={"application/javascript": "alert(2)"}),
        v4.new_output(
            "display_data",
            data={"text/html": '<img src="https://example.com/x.png" onerror="alert(3)">'},
        ),
    ]
    hidden = v4.new_code_cell("helper()")
    hidden.metadata["tags"] = ["remove-cell"]
    hidden.outputs = [v4.new_output("stream", name="stdout", text="HIDDEN_OUTPUT\n")]
    return v4.new_notebook(
        cells=[
            v4.new_markdown_cell(f"# گزارش {DEPT_FA}\n\nگزارش سالانه"),
            chart,
            table,
            javascript,
            hidden,
        ]
    )


@pytest.fixture(scope="module")
def html_fa(notebook) -> str:
    return notebook_to_html(notebook, lang="fa", title=EVIL_NAME)


def _pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _normalise(text: str) -> str:
    """Undo pdftotext's artefacts: bidi controls, dropped ZWNJ, lam-alef split as alef-lam.

    The same function is applied to the expected text, so "لا"→"ال" is harmless.
    """
    text = re.sub("[\u200c\u200e\u200f\u202a-\u202e\u2066-\u2069]", "", text)
    return text.replace("لا", "ال")
