"""The dashboard in a real browser: Debian's Chromium driven by Playwright, page opened via file://.

One browser for the whole module; each test opens a fresh page on the tiny plan's dashboard
(3 departments: services (deputy), district_1, district_2; report years 1397 and 1398).
Playwright's own browser downloads are never used (``playwright install`` is not run): the
tests drive ``/usr/bin/chromium`` and are skipped when it is missing.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import planmon
from planmon.dashboard.page import write_dashboard

pytestmark = pytest.mark.browser

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TINY = Path(__file__).parents[1] / "data" / "tiny"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(
            "Debian's Chromium (/usr/bin/chromium) is not installed: apt-get install chromium"
        )
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory) -> Path:
    """The tiny plan's dashboard in ``reports/dashboard``, with dummy reports to link to."""
    reports = tmp_path_factory.mktemp("site") / "reports"
    plan = planmon.load(TINY, cache=False)
    index = write_dashboard(plan, reports / "dashboard")
    for lang in ("fa", "en"):
        folder = reports / "1398" / lang
        folder.mkdir(parents=True)
        for dept in plan.dept_ids:
            (folder / f"{dept}.html").write_text(
                f"<!doctype html><title>{dept}</title><p id='dummy'>report {dept} {lang}</p>",
                encoding="utf-8",
            )
    return index


@pytest.fixture
def page(browser, dashboard):
    """A fresh page on the dashboard; fails the test on any console error or page error."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(dashboard.as_uri())
    page.wait_for_selector("body[data-ready]")
    yield page
    page.close()
    assert errors == [], errors


def rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#dept-table tbody tr", "rs => rs.map(r => r.getAttribute('data-dept'))"
    )


def test_first_render(page):
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert rows(page) == ["services", "district_1", "district_2"]
    # tiles: the plan score (1.229672 in test_dashboard.py) in Persian digits, one decimal
    assert page.inner_text("#tiles .tile-value >> nth=0") == "۱٫۲"
    assert page.evaluate("performance.getEntriesByName('rendered').length") == 1
    assert page.locator("#heat-table td.cell").count() == 3


def test_language_switch(page):
    header = "#dept-table th[data-key='name'] button"
    assert page.inner_text(header).startswith("واحد")
    page.click("#lang-switch")
    assert page.evaluate("document.documentElement.dir") == "ltr"
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.inner_text(header).startswith("Department")
    assert "lang=en" in page.url
    page.click("#lang-switch")
    assert page.evaluate("document.documentElement.dir") == "rtl"


def test_filters_change_the_table(page):
    page.select_option("#f-kind", "district")
    assert rows(page) == ["district_1", "district_2"]
    assert page.locator("#heat-table tbody tr").count() == 2
    page.select_option("#f-dept", "district_2")
    assert rows(page) == ["district_2"]
    page.click("#f-reset")
    assert len(rows(page)) == 3
    page.select_option("#f-year", "1397")
    # in 1397 there is no earlier year, so the change column is empty
    assert page.inner_text("#dept-table tbody tr >> nth=0 >> td >> nth=6") == "—"


def test_sorting(page):
    # 1398 scores: district_1 4.964, services 1.708, district_2 −2.983 (test_dashboard.py)
    page.click("#dept-table th[data-key='score'] button")
    assert rows(page) == ["district_1", "services", "district_2"]
    assert page.get_attribute("#dept-table th[data-key='score']", "aria-sort") == "descending"
    page.click("#dept-table th[data-key='score'] button")
    assert rows(page) == ["district_2", "services", "district_1"]


def test_drill_down_to_the_chart(page):
    assert page.is_hidden("#detail")
    page.click("#dept-table tr[data-dept='services'] button.link")
    assert page.is_visible("#detail")
    inds = page.eval_on_selector_all(
        "#ind-table tbody tr", "rs => rs.map(r => r.getAttribute('data-ind'))"
    )
    assert inds == ["SRV01", "SRV02"]
    page.click("#ind-table tr[data-ind='SRV01'] button.link")
    page.wait_for_selector("#chart svg.main-svg", timeout=10_000)
    assert page.locator("#chart .scatterlayer .trace").count() >= 3  # targets, trend, actual
    # the figures are also in a table: baseline 10 (1396), 1398 actual 13 and target 14
    series = page.inner_text("#series-table tbody")
    assert "۱۳۹۶" in series and "۱۴" in series


def test_heat_map_cell_opens_the_department(page):
    page.click("#heat-table tr[data-dept='district_2'] td.cell")
    assert page.is_visible("#detail")
    assert page.inner_text("#detail-name").startswith("منطقه دو")
    assert page.is_visible("#detail-goal")


def test_report_link_reaches_the_report(page):
    link = page.locator("#dept-table tr[data-dept='district_1'] a[data-ext='html']")
    assert link.get_attribute("href") == "../1398/fa/district_1.html"
    link.click()
    page.wait_for_selector("#dummy")
    assert page.url.endswith("/reports/1398/fa/district_1.html")
    assert page.inner_text("#dummy") == "report district_1 fa"
    page.go_back()
    page.wait_for_selector("body[data-ready]")
    assert len(rows(page)) == 3


def test_hostile_names_stay_text(browser, tmp_path):
    hostile = "<img src=x onerror=alert(1)></script><script>alert(2)</script>"
    plan = planmon.load(TINY, cache=False)
    departments = plan.departments.copy()
    departments.loc[departments["dept_id"] == "district_1", "name_fa"] = hostile
    index = write_dashboard(dataclasses.replace(plan, departments=departments), tmp_path / "d")
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(index.as_uri())
    page.wait_for_selector("body[data-ready]")
    cell = "#dept-table tr[data-dept='district_1'] button.link"
    assert page.inner_text(cell) == hostile
    assert page.locator("#dept-table img").count() == 0
    page.close()
    assert dialogs == []
