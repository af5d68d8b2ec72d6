"""The dashboard in a real browser: Debian's Chromium driven by Playwright, page opened via file://.

One browser for the whole module; each test opens a fresh page on one of a few dashboards of
the tiny plan (3 departments: services (deputy), district_1, district_2; report years 1397 and
1398). Playwright's own browser downloads are never used (``playwright install`` is not run):
the tests drive ``/usr/bin/chromium`` and are skipped when it is missing.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import shutil
from pathlib import Path
from urllib.parse import unquote, urlparse

import numpy as np
import openpyxl
import pandas as pd
import pytest

import planmon
from planmon.core.text import name_key
from planmon.dashboard.page import write_dashboard
from planmon.dashboard.payload import DOWNLOAD_FIELDS, frames_for
from tests.dashboard.conftest import as_if_complete

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
WIDTHS = (360, 768, 1400)
HOSTILE = '=HYPERLINK("http://x","y")<img src=x onerror=alert(1)>'


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
def tiny() -> planmon.Plan:
    return planmon.load(TINY, cache=False)


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory, tiny) -> Path:
    """The tiny plan's dashboard in ``reports/dashboard``; only Persian 1398 reports built."""
    reports = tmp_path_factory.mktemp("site") / "reports"
    folder = reports / "1398" / "fa"
    folder.mkdir(parents=True)
    for dept in tiny.dept_ids:
        (folder / f"{dept}.html").write_text(
            f"<!doctype html><title>{dept}</title><p id='dummy'>report {dept} fa</p>",
            encoding="utf-8",
        )
    (reports / "index.html").write_text("<!doctype html><title>index</title>", encoding="utf-8")
    return write_dashboard(tiny, reports / "dashboard", frames=as_if_complete(tiny))


@pytest.fixture(scope="module")
def marked(tmp_path_factory, tiny) -> Path:
    """1398 provisional, district_2 without a 1398 report, SRV01 with two caveats, and some
    commentary and actions for services."""
    frames = frames_for(tiny)
    rollups = dict(frames.rollups)
    rollups["plan"] = rollups["plan"].assign(provisional=lambda f: f["year"] == 1398)
    dept = rollups["department"].copy()
    dept["reported"] = ~((dept["dept_id"] == "district_2") & (dept["year"] == 1398))
    dept["rank"] = np.where(dept["reported"], dept.groupby("year").cumcount() + 1.0, np.nan)
    rollups["department"] = dept
    codes = np.where(frames.scores["indicator_id"] == "SRV01", "targets_against_direction;jump", "")
    commentary = pd.DataFrame(
        {
            "year": [1397, 1397, 1398],
            "dept_id": ["services", "services", "services"],
            "indicator_id": ["SRV01", None, "SRV01"],
            "kind": ["analysis", "recommendation", "caveat"],
            "text_fa": ["<b>رشد بازیافت</b>", "تمرکز بر پسماند", None],
            "text_en": ["Recycling grew", None, "Figures checked"],
        }
    )
    actions = pd.DataFrame(
        {
            "action_id": ["A1", "A2"],
            "dept_id": ["services", "services"],
            "indicator_id": ["SRV01;SRV02", None],
            "title_fa": ["کارخانه کود", "آموزش"],
            "title_en": ["Compost plant", "Training"],
            "due_year": [1399, 1400],
            "progress_pct": [40.0, 10.0],
            "status": ["delayed", "planned"],
        }
    )
    handed = dataclasses.replace(
        frames,
        scores=frames.scores.assign(caveats=codes),
        rollups=rollups,
        commentary=commentary,
        actions=actions,
    )
    return write_dashboard(tiny, tmp_path_factory.mktemp("marked") / "dashboard", frames=handed)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory, tiny) -> Path:
    departments = tiny.departments.copy()
    departments.loc[departments["dept_id"] == "district_1", "name_fa"] = HOSTILE
    indicators = tiny.indicators.copy()
    indicators.loc[indicators["indicator_id"] == "SRV01", ["name_fa", "name_en"]] = HOSTILE
    plan = dataclasses.replace(tiny, departments=departments, indicators=indicators)
    return write_dashboard(plan, tmp_path_factory.mktemp("hostile") / "dashboard")


def open_page(browser, index: Path, fragment: str = "", width: int = 1366):
    page = browser.new_page(viewport={"width": width, "height": 900}, accept_downloads=True)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("dialog", lambda d: (errors.append("dialog: " + d.message), d.dismiss()))
    # nothing may be fetched from a network: the page works offline from file://
    page.route(
        re.compile(r"^https?://"), lambda r: (errors.append("net: " + r.request.url), r.abort())
    )
    visit(page, index, fragment)
    return page, errors


def visit(page, index: Path, fragment: str = "") -> None:
    """Load ``index`` afresh at ``fragment`` (not a same-document hash change)."""
    page.goto("about:blank")
    page.goto(index.as_uri() + fragment)
    page.wait_for_selector("body[data-ready]")


@pytest.fixture
def page(browser, dashboard):
    """A fresh page on the dashboard; fails the test on any console error or page error."""
    page, errors = open_page(browser, dashboard)
    yield page
    page.close()
    assert errors == [], errors


def rows(page) -> list[str]:
    return page.eval_on_selector_all(
        "#dept-table tbody tr", "rs => rs.map(r => r.getAttribute('data-dept'))"
    )


# --------------------------------------------------------------------------------------------
# the overview
# --------------------------------------------------------------------------------------------


def test_first_render(page):
    assert page.evaluate("document.documentElement.dir") == "rtl"
    assert rows(page) == ["services", "district_1", "district_2"]
    # tiles: the plan score (1.229672 in test_payload.py) in Persian digits, one decimal
    assert page.inner_text("#tiles .tile-value >> nth=0") == "۱٫۲"
    assert page.evaluate("performance.getEntriesByName('rendered').length") == 1
    assert page.locator("#heat-table td.cell").count() == 3
    # ranks by score: district_1 (4.96) 1, services (1.71) 2, district_2 (−2.98) 3
    ranks = page.eval_on_selector_all("#dept-table td.rank", "cs => cs.map(c => c.textContent)")
    assert ranks == ["۲", "۱", "۳"]
    assert page.is_hidden("#banner") and page.is_hidden("#not-reported")


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


def test_filters_change_the_table_and_the_tiles(page):
    page.select_option("#f-kind", "district")
    assert rows(page) == ["district_1", "district_2"]
    assert page.locator("#heat-table tbody tr").count() == 2
    # the tiles follow: the districts' roll-up, mean(4.964259, −2.983310) = 0.990474
    assert page.inner_text("#tiles .tile-label >> nth=0") == "امتیاز مناطق"
    assert page.inner_text("#tiles .tile-value >> nth=0") == "۱٫۰"
    page.select_option("#f-dept", "district_2")
    assert rows(page) == ["district_2"]
    assert (
        page.inner_text("#tiles .tile-value >> nth=0") == "\u200e−۳٫۰"
    )  # −2.983 (district_2), fa-IR LRM + minus
    page.click("#f-reset")
    assert len(rows(page)) == 3
    assert page.inner_text("#tiles .tile-label >> nth=0") == "امتیاز کل برنامه"
    page.select_option("#f-year", "1397")
    # in 1397 there is no earlier year, so the change column is empty
    assert page.inner_text("#dept-table tbody tr >> nth=0 >> td >> nth=7") == "—"


def test_sorting(page):
    # 1398 scores: district_1 4.964, services 1.708, district_2 −2.983 (test_payload.py)
    page.click("#dept-table th[data-key='score'] button")
    assert rows(page) == ["district_1", "services", "district_2"]
    assert page.get_attribute("#dept-table th[data-key='score']", "aria-sort") == "descending"
    page.click("#dept-table th[data-key='score'] button")
    assert rows(page) == ["district_2", "services", "district_1"]
    page.click("#dept-table th[data-key='rank'] button")  # rank sorts best first
    assert rows(page) == ["district_1", "services", "district_2"]


def test_heat_map_cell_opens_the_department(page):
    page.click("#heat-table tr[data-dept='district_2'] td.cell")
    assert page.is_visible("#detail")
    assert page.inner_text("#detail-name").startswith("منطقه دو")
    assert page.is_visible("#detail-goal")


def test_report_links_point_only_at_reports_that_exist(page):
    link = page.locator("#dept-table tr[data-dept='district_1'] a[data-ext='html']")
    assert link.get_attribute("href") == "../1398/fa/district_1.html"
    # no PDF was built, so there is no PDF link
    assert page.locator("#dept-table a[data-ext='pdf']").count() == 0
    link.click()
    page.wait_for_selector("#dummy")
    assert page.url.endswith("/reports/1398/fa/district_1.html")
    assert page.inner_text("#dummy") == "report district_1 fa"
    page.go_back()
    page.wait_for_selector("body[data-ready]")
    assert len(rows(page)) == 3


def test_english_view_says_the_english_reports_were_not_built(page):
    page.click("#lang-switch")
    note = page.inner_text("#reports-note")
    assert "English reports for 1398 were not built" in note
    assert "make reports REPORT_LANGS=fa,en" in note
    link = page.locator("#dept-table tr[data-dept='services'] a[data-ext='html']")
    assert link.get_attribute("hreflang") == "fa" and link.inner_text() == "Web (Persian)"
    page.select_option("#f-year", "1397")  # nothing at all was built for 1397
    assert "have not been built" in page.inner_text("#reports-note")
    assert page.locator("#dept-table a.report-link").count() == 0
    assert page.inner_text("#dept-table tr[data-dept='services'] td >> nth=9") == "not built"


def test_provisional_year_banner_and_changes(browser, marked):
    page, errors = open_page(browser, marked)
    # opens on 1397, the latest year that is not provisional; 1398 is one click away
    assert page.input_value("#f-year") == "1397"
    assert "۱۳۹۸ (موقت)" in page.inner_text("#f-year")
    page.click("#banner button[data-year='1398']")
    assert page.input_value("#f-year") == "1398"
    assert page.inner_text("#banner .banner-flag") == "موقت"
    assert "تنها ۲ از ۳ واحد گزارش داده‌اند" in page.inner_text("#banner")
    # its changes against 1397 are not shown as gains or losses
    assert page.locator("#tiles .change").count() == 0
    assert page.locator("#dept-table .change").count() == 0
    assert "مقایسه نمی‌شود" in page.inner_text("#tiles")
    page.click("#lang-switch")
    assert page.text_content("#banner .banner-flag") == "provisional"
    assert "provisional" in page.inner_text("#banner")
    page.close()
    assert errors == []


def test_departments_that_did_not_report_are_named_and_unranked(browser, marked):
    page, errors = open_page(browser, marked, "#year=1398")
    assert "منطقه دو" in page.inner_text("#not-reported")
    assert page.inner_text("#dept-table tr[data-dept='district_2'] td.rank") == "—"
    assert "دریافت نشده" in page.inner_text("#dept-table tr[data-dept='district_2'] .badge")
    page.close()
    assert errors == []


def test_indicators_with_caveats_are_marked(browser, marked):
    page, errors = open_page(browser, marked, "#open=services")
    badges = page.eval_on_selector_all(
        "#ind-table tr[data-ind='SRV01'] .badge.caveat", "bs => bs.map(b => b.textContent)"
    )
    assert badges == ["هدف‌ها خلاف جهت مطلوب شاخص", "جهش بیش از ده برابر"]  # core.vocabulary
    assert page.locator("#ind-table tr[data-ind='SRV02'] .badge.caveat").count() == 0
    page.click("#ind-table a[data-ind='SRV01']")
    assert page.locator("#ind-title .badge.caveat").count() == 2
    page.close()
    assert errors == []


def test_commentary_and_actions_show_beside_their_indicator(browser, marked):
    page, errors = open_page(browser, marked, "#indicator=SRV01&year=1397")
    box = page.inner_text("#ind-commentary")
    assert "تحلیل: <b>رشد بازیافت</b>" in box  # the analyst's text, as text
    assert page.locator("#ind-commentary b").count() == 0
    assert page.get_attribute("#ind-commentary li[data-action='A1']", "data-status") == "delayed"
    assert "با تأخیر" in page.inner_text("#ind-commentary li[data-action='A1']")
    assert page.locator("#ind-commentary li[data-action='A2']").count() == 0  # not its action
    visit(page, marked, "#indicator=SRV01&year=1398&lang=en")
    # a text written in one language only says so in the other
    assert "Figures checked" in page.inner_text("#ind-commentary")
    visit(page, marked, "#indicator=SRV01&year=1397&lang=en")
    assert "Recycling grew" in page.inner_text("#ind-commentary")
    visit(page, marked, "#open=services&year=1397&lang=en")
    dept = page.inner_text("#detail-commentary")
    assert "No English text was written; the Persian text: تمرکز بر پسماند" in dept
    assert "Training" in dept and "Compost plant" not in dept
    visit(page, marked, "#open=district_1&year=1397")
    assert page.is_hidden("#detail-commentary")  # nothing recorded: no empty section
    page.close()
    assert errors == []


def test_a_link_to_an_unknown_indicator_says_so(page, dashboard):
    visit(page, dashboard, "#indicator=GONE01&year=1398")
    assert page.is_hidden("#indicator-view") and page.is_visible("#departments")
    assert "GONE01" in page.inner_text("#link-note")


# --------------------------------------------------------------------------------------------
# the indicator page
# --------------------------------------------------------------------------------------------


def test_indicator_page_via_its_link(browser, dashboard):
    page, errors = open_page(browser, dashboard, "#indicator=SRV01&year=1398")
    assert page.is_visible("#indicator-view") and page.is_hidden("#departments")
    assert page.inner_text("#ind-title").startswith("سهم پسماند بازیافتی (درصد)")
    # the passport (tests/data/tiny/plan/indicators.csv) and the department's note
    passport = page.inner_text("#ind-passport")
    assert "وزن بازیافتی ÷ وزن کل × 100" in passport and "اداره پسماند" in passport
    assert "ثبت نشده" in passport  # no source recorded
    assert "افزایش ظرفیت کارخانه کود آلی" in page.inner_text("#ind-notes")
    page.wait_for_selector("#chart svg.main-svg", timeout=10_000)
    assert page.locator("#chart .scatterlayer .trace").count() >= 3  # targets, trend, actual
    # the table tab: baseline 10 (1396), 1398 actual 13 and target 14
    page.click("#tab-table")
    assert "tab=table" in page.url and page.is_hidden("#panel-chart")
    series = page.inner_text("#series-table tbody")
    assert "۱۳۹۶" in series and "۱۴" in series
    assert page.locator("#series-table tbody tr").count() == 6  # 1396 and 1397–1401
    # the same page in English, from its link
    visit(page, dashboard, "#indicator=SRV01&year=1397&lang=en")
    assert page.inner_text("#ind-title").startswith("Share of recycled waste (%)")
    assert page.input_value("#f-year") == "1397"
    page.click("#ind-back a")
    page.wait_for_selector("#detail:not([hidden])")
    assert page.inner_text("#detail-name").startswith("Deputy")
    page.close()
    assert errors == []


def test_department_table_links_to_the_indicator_page(page):
    page.click("#dept-table tr[data-dept='services'] button.link")
    link = page.locator("#ind-table a[data-ind='SRV02']")
    assert link.get_attribute("href") == "#indicator=SRV02&year=1398"
    link.click()
    page.wait_for_selector("#indicator-view:not([hidden])")
    assert page.inner_text("#ind-title").startswith("مدت پاسخ به شکایات")
    page.go_back()  # the link was a navigation: Back returns to the department
    page.wait_for_selector("#detail:not([hidden])")


def test_search_by_persian_or_english_name(page):
    def results() -> list[str]:
        return page.eval_on_selector_all(
            "#search-results li[data-ind]", "ls => ls.map(l => l.getAttribute('data-ind'))"
        )

    page.fill("#search", "پسماند بازيافتي")  # Arabic ي for Persian ی
    assert results() == ["SRV01"]
    page.fill("#search", "فضای‌سبز")  # ZWNJ where the plan has a space
    assert results() == ["D1_01", "D2_01"]
    page.fill("#search", "RECYCLED waste")
    assert results() == ["SRV01"]
    page.fill("#search", "درختان کاشته شده")  # space where the plan has a ZWNJ
    assert results() == ["D2_02"]
    page.fill("#search", "zzz")
    assert results() == [] and "پیدا نشد" in page.inner_text("#search-results")
    page.fill("#search", "trees")
    page.click("#search-results a")
    page.wait_for_selector("#indicator-view:not([hidden])")
    assert "indicator=D2_02" in page.url and page.is_hidden("#search-results")
    page.fill("#search", "complaint")
    page.press("#search", "Enter")
    page.wait_for_selector("#indicator-view:not([hidden])")
    assert "indicator=SRV02" in page.url and page.is_hidden("#search-results")


TRICKY_NAMES = [
    "برنامه‌ریزی",
    "برنامه ریزی",
    "برنامهریزی.",
    "مديريت  پسماند",
    "كيفيت",
    "ﻛﻴﻔﻴﺖ",
    "مـــدیریت",
    "سرانهٔ فضای سبز",
    "عِلم",
    "منطقه ۱۲",
    "منطقه ١٢",
    "Green-Space (District 1)",
    "‏«شاخص»‎",
    "سهم\u200c\u200cها",
    "ÉCOLE Straße",
    "٪ ۱۰۰",
    "A_B",
    "",
]


def test_name_key_in_javascript_agrees_with_python(page):
    got = page.evaluate("names => names.map(planmon.lib.nameKey)", TRICKY_NAMES)
    assert got == [name_key(n) for n in TRICKY_NAMES]
    # the variants a reader types all meet
    assert len({name_key(n) for n in TRICKY_NAMES[:3]}) == 1


def _download(page, selector: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.click(selector)
    download = info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Excel reads Persian correctly
    text = data[3:].decode("utf-8")
    assert text.endswith("\r\n")
    return list(csv.reader(io.StringIO(text, newline="")))


def _as_text(value) -> str:
    return "" if value is None else str(value)


def test_downloads_csv_and_xlsx_of_the_indicator(page, dashboard, tmp_path):
    visit(page, dashboard, "#indicator=SRV01&year=1398")
    name, data = _download(page, "#ind-downloads button[data-format='csv']")
    assert name == "SRV01.csv"
    table = _csv_rows(data)
    assert table[0] == list(DOWNLOAD_FIELDS)
    rows = [dict(zip(DOWNLOAD_FIELDS, r, strict=True)) for r in table[1:]]
    # tests/data/tiny: SRV01 of services, %, baseline 10 (1396); 1397 11.5 against 12
    # (95.83 %), 1398 13 against 14 (92.86 %), with the department's note
    assert [(r["year"], r["value"], r["target"], r["achievement_pct"]) for r in rows] == [
        ("1397", "11.5", "12", "95.83"),
        ("1398", "13", "14", "92.86"),
    ]
    assert rows[1]["department_en"] == "Deputy for Urban Services"
    assert rows[1]["status"] == "moderate_progress" and rows[0]["caveats"] == ""
    assert rows[1]["note"] == "افزایش ظرفیت کارخانه کود آلی"

    name, data = _download(page, "#ind-downloads button[data-format='xlsx']")
    assert name == "SRV01.xlsx" and data.startswith(b"PK\x03\x04")
    path = tmp_path / name
    path.write_bytes(data)
    sheet = openpyxl.load_workbook(path).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert sheet.title == "data" and sheet.freeze_panes == "A2"
    # the same rows; numbers are numbers, blanks are empty cells
    assert [[_as_text(v) for v in r] for r in cells] == table
    assert isinstance(cells[1][DOWNLOAD_FIELDS.index("value")], float)
    assert cells[1][DOWNLOAD_FIELDS.index("caveats")] is None


def test_downloads_of_a_department_and_a_year(page, dashboard):
    visit(page, dashboard, "#open=district_2")
    name, data = _download(page, "#detail-downloads button[data-format='csv']")
    assert name == "district_2-1398.csv"
    rows = _csv_rows(data)[1:]
    # D2_01 5.9 against 7; D2_02 reported blank, no target
    assert [(r[4], r[12], r[13]) for r in rows] == [("D2_01", "5.9", "7"), ("D2_02", "", "")]
    visit(page, dashboard)
    name, data = _download(page, "#year-data button[data-format='csv']")
    assert name == "plan-1398.csv" and len(_csv_rows(data)) == 1 + 5
    name, data = _download(page, "#year-data button[data-format='xlsx']")
    assert name == "plan-1398.xlsx" and data.startswith(b"PK")


def test_downloads_are_formula_safe_and_names_stay_text(browser, hostile, tmp_path):
    page, errors = open_page(browser, hostile, "#indicator=SRV01&year=1398")
    assert page.inner_text("#ind-title").startswith(HOSTILE)  # shown as text
    assert page.locator("#indicator-view img").count() == 0
    _, data = _download(page, "#ind-downloads button[data-format='csv']")
    table = _csv_rows(data)
    col = DOWNLOAD_FIELDS.index("indicator_en")
    assert {r[col] for r in table[1:]} == {"'" + HOSTILE}
    _, data = _download(page, "#ind-downloads button[data-format='xlsx']")
    path = tmp_path / "hostile.xlsx"
    path.write_bytes(data)
    sheet = openpyxl.load_workbook(path).active
    cell = sheet.cell(row=2, column=col + 1)
    assert cell.value == "'" + HOSTILE and cell.data_type == "s"  # a string, never a formula
    assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)
    visit(page, hostile, "#year=1398")  # 1398 is provisional in the tiny plan
    cell = "#dept-table tr[data-dept='district_1'] button.link"
    assert page.inner_text(cell) == HOSTILE
    assert page.locator("#dept-table img").count() == 0
    # a negative score stays a number in both formats
    _, data = _download(page, "#year-data button[data-format='csv']")
    scores = [r[DOWNLOAD_FIELDS.index("score")] for r in _csv_rows(data)[1:]]
    assert "-2.983" in scores
    page.close()
    assert errors == []


# --------------------------------------------------------------------------------------------
# the districts, the widths, the links, print
# --------------------------------------------------------------------------------------------


def test_district_comparison_is_a_view(page):
    page.click("#view-tabs a[data-view='districts']")
    assert "view=districts" in page.url
    assert page.is_visible("#districts-view") and page.is_hidden("#departments")
    heads = page.eval_on_selector_all(
        "#district-table thead th", "hs => hs.map(h => h.textContent)"
    )
    assert heads == ["شاخص", "منطقه یک", "منطقه دو"]
    cells = page.eval_on_selector_all(
        "#district-table td.district-cell", "cs => cs.map(c => c.getAttribute('data-ind'))"
    )
    assert cells == ["D1_01", "D2_01"]
    page.click("#district-table td[data-ind='D2_01'] a")
    page.wait_for_selector("#indicator-view:not([hidden])")
    assert "indicator=D2_01" in page.url


VIEWS = ["", "#open=district_2", "#indicator=SRV01&year=1398", "#view=districts", "#year=1397"]


def _dead_links(page, index: Path) -> list[str]:
    """Every href that does not resolve: a missing file, or anything not on this disk."""
    dead = []
    for href in page.eval_on_selector_all("a[href]", "as => as.map(a => a.href)"):
        url = urlparse(href)
        if url.scheme != "file" or not Path(unquote(url.path)).exists():
            dead.append(href)  # (a view of this page is index.html plus its fragment)
    return dead


def test_every_view_fits_every_width_and_has_no_dead_link(browser, dashboard):
    # Issue 11: no horizontal page scroll at 360, 768 and 1400 px, tables scroll in their box;
    # every href resolves. Each view in both languages, with the search results open.
    page, errors = open_page(browser, dashboard)
    links = 0
    for lang in ("fa", "en"):
        for view in VIEWS:
            fragment = (view + ("&" if view else "#") + "lang=en") if lang == "en" else view
            visit(page, dashboard, fragment)
            page.fill("#search", "سرانه")
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 900})
                if "indicator" in view:
                    page.wait_for_selector("#chart svg.main-svg", timeout=10_000)
                    page.wait_for_timeout(150)  # plotly redraws on resize
                sizes = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
                assert sizes[0] <= sizes[1], (width, lang, view, sizes)
            assert _dead_links(page, dashboard) == [], (lang, view)
            links += page.locator("a[href]").count()
    assert links > 50
    page.close()
    assert errors == []


def test_print_shows_one_department(page):
    page.click("#dept-table tr[data-dept='services'] button.link")
    page.emulate_media(media="print")
    shown = page.evaluate(
        "ids => ids.map(id => getComputedStyle(document.getElementById(id)).display !== 'none')",
        ["detail", "departments", "heatmap", "tiles", "filters", "ind-table"],
    )
    assert shown == [True, False, False, False, False, True]
    page.emulate_media(media="screen")


def test_a_copied_dashboard_still_works(browser, dashboard, tmp_path):
    # the folder is self-contained: copied elsewhere it opens and draws a chart
    copy = tmp_path / "copy"
    shutil.copytree(dashboard.parent, copy)
    page, errors = open_page(browser, copy / "index.html", "#indicator=SRV02&year=1398")
    page.wait_for_selector("#chart svg.main-svg", timeout=10_000)
    page.close()
    assert errors == []
