"""A report page in a real browser (Debian's Chromium via Playwright): no sideways scrolling on a
phone, wide tables scroll in their own box, a page chart's legend wraps under its image."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd
import pytest

from planmon.content.blocks import Block, table
from planmon.content.charts.indicator import indicator_page_chart
from planmon.publish.html import notebook_to_html
from tests.dashboard.test_dashboard_browser import CHROMIUM, CHROMIUM_ARGS, WIDTHS

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium (/usr/bin/chromium) is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def _page(folder: Path, lang: str) -> Path:
    history = pd.DataFrame(
        {
            "year": [1396, 1397, 1398],
            "value": [12.0, 13.0, 14.5],
            "is_baseline": [True, False, False],
        }
    )
    targets = pd.DataFrame({"year": [1397, 1398, 1399, 1400], "target": [13, 14, 15, 16]})
    chart = indicator_page_chart(
        history,
        targets,
        name="سرانه فضای سبز شهری",
        unit="مترمربع",
        lang=lang,
        status="target_achieved",
    )
    headers = [f"ستون شماره {n}" for n in range(9)]
    rows = [[f"مقدار بلند {n}-{m}" for n in range(9)] for m in range(4)]
    block = Block(lang).chart(chart).html(table(headers, rows))
    cell = nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data", data={"text/html": block.to_html()})]
    )
    html = notebook_to_html(nbformat.v4.new_notebook(cells=[cell]), lang=lang, title="گزارش")
    path = folder / f"report.{lang}.html"
    path.write_text(html, encoding="utf-8")
    return path


@pytest.mark.parametrize("lang", ["fa", "en"])
def test_a_report_never_scrolls_sideways_and_its_legend_wraps(browser, tmp_path, lang):
    path = _page(tmp_path, lang)
    for width in WIDTHS:
        page = browser.new_page(viewport={"width": width, "height": 900})
        page.goto(path.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        image = page.locator("figure.planmon-chart > img").bounding_box()
        assert image["width"] <= width
        legend = page.locator(".planmon-legend").bounding_box()
        assert legend["y"] >= image["y"] + image["height"] - 1  # under the image
        assert legend["width"] <= width
        # the wide table keeps its columns and scrolls in its box on a phone
        scrolls = page.evaluate(
            "(() => { const t = document.querySelector('table.planmon-table');"
            " return t.scrollWidth > t.clientWidth; })()"
        )
        assert scrolls == (width < 700)
        page.close()
