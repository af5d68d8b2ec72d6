"""Tests for planmon.publish.export: offline HTML reports, PDF rendering, the yearly publication."""

from __future__ import annotations

import base64
import re
import shutil
import socket
import subprocess
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat import v4

from planmon.content import charts
from planmon.core.exceptions import PlanmonError
from planmon.publish import export

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
    return export.notebook_to_html(notebook, lang="fa", title=EVIL_NAME)


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


# ------------------------------------------------------------------ HTML


def test_html_has_no_inputs_prompts_or_hidden_cells(html_fa):
    assert "SECRET_SOURCE" not in html_fa
    assert "In&nbsp;[" not in html_fa and "Out[" not in html_fa
    assert "HIDDEN_OUTPUT" not in html_fa
    assert "FutureWarning" not in html_fa
    assert DEPT_FA in html_fa


def test_html_embeds_images_and_loads_nothing_from_outside(html_fa):
    soup = BeautifulSoup(html_fa, "html.parser")
    images = soup.find_all("img")
    assert images and all(img["src"].startswith("data:image/png;base64,") for img in images)
    assert soup.find("script") is None and soup.find("link") is None
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html_fa)
    assert "onerror" not in html_fa and "alert(2)" not in html_fa


def test_html_direction_and_language(notebook, html_fa):
    root = BeautifulSoup(html_fa, "html.parser").html
    assert (root["lang"], root["dir"]) == ("fa", "rtl")
    html_en = export.notebook_to_html(notebook, lang="en", title="Report")
    root = BeautifulSoup(html_en, "html.parser").html
    assert (root["lang"], root["dir"]) == ("en", "ltr")
    assert "Vazirmatn" in html_fa


def test_html_title_is_escaped_and_numbers_keep_left_to_right(html_fa):
    soup = BeautifulSoup(html_fa, "html.parser")
    assert soup.title.string == EVIL_NAME  # shown as text, not parsed as a tag
    assert "&lt;script&gt;" in html_fa
    cell = soup.find("td", string="-20.0")
    assert cell["dir"] == "ltr" and "num" in cell["class"]


def test_stderr_can_be_kept(notebook):
    html = export.notebook_to_html(notebook, lang="en", title="t", show_stderr=True)
    assert "FutureWarning" in html


def test_report_body_strips_the_document_shell(html_fa):
    body = export.report_body(html_fa)
    assert not body.lstrip().startswith("<!DOCTYPE") and "<html" not in body
    assert DEPT_FA in body
    assert export.report_body("<p>fragment</p>") == "<p>fragment</p>"


def test_unknown_language_is_refused(notebook):
    with pytest.raises(PlanmonError):
        export.notebook_to_html(notebook, lang="de", title="t")


# ------------------------------------------------------------------ PDF


def test_offline_fetcher_refuses_network_and_files():
    fetcher = export._offline_fetcher()
    for url in ("https://example.com/a.css", "http://example.com/a.png", "file:///etc/hostname"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=") is not None


def test_pdf_rendering_opens_no_connection(tmp_path, monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    html = '<html><body><img src="https://example.com/x.png"><p>x</p></body></html>'
    export.html_to_pdf(html, tmp_path / "x.pdf")
    assert attempts == []


@needs_pdftotext
def test_pdf_contains_persian_text_in_logical_order(html_fa, tmp_path):
    target = export.html_to_pdf(html_fa, tmp_path / "reports" / "fa.pdf")
    assert target.read_bytes()[:5] == b"%PDF-"
    text = _normalise(_pdftotext(target))
    assert _normalise(DEPT_FA) in text
    assert _normalise("گزارش سالانه") in text


def test_failed_render_leaves_the_old_pdf(tmp_path, monkeypatch):
    import weasyprint

    target = tmp_path / "kept.pdf"
    target.write_bytes(b"old")

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", broken)
    with pytest.raises(PlanmonError, match="kept.pdf"):
        export.html_to_pdf("<p>x</p>", target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_engine_choice_is_checked(tmp_path):
    with pytest.raises(PlanmonError, match="engine"):
        export.html_to_pdf("<p>x</p>", tmp_path / "x.pdf", engine="prince")
    with pytest.raises(PlanmonError, match="Chromium"):
        export.html_to_pdf_chromium(
            "<p>x</p>", tmp_path / "x.pdf", executable=str(tmp_path / "no-chromium")
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium missing")
def test_chromium_fallback_prints_a_pdf(html_fa, tmp_path):
    target = export.html_to_pdf(html_fa, tmp_path / "c.pdf", engine="chromium")
    assert target.read_bytes()[:5] == b"%PDF-"


# ------------------------------------------------------------------ publication


def test_publication_html_structure_and_escaping(html_fa):
    html = export.publication_html(
        [("نمای کلی", html_fa), export.Section(EVIL_NAME, "<p>body</p>")],
        plan_name="برنامه <b>دوم</b>",
        year=1400,
        lang="fa",
    )
    soup = BeautifulSoup(html, "html.parser")
    assert (soup.html["lang"], soup.html["dir"]) == ("fa", "rtl")
    assert soup.find(class_="cover-title").get_text() == "برنامه <b>دوم</b>"
    assert "۱۴۰۰" in soup.find(class_="cover").get_text()
    links = [a["href"] for a in soup.select(".toc a")]
    chapters = soup.select("section.chapter")
    assert links == [f"#{c['id']}" for c in chapters] and len(chapters) == 2
    assert chapters[1].h1.get_text() == EVIL_NAME
    assert soup.find("script") is None
    # Only one document shell: the report's own <html>/<body> were unwrapped.
    assert html.count("<body") == 1


@needs_pdftotext
def test_publication_pdf_has_contents_with_page_numbers(tmp_path):
    sections = [
        ("Overview", "<p>overview text</p>"),
        (EVIL_NAME, "<p>first page</p><p style='break-before: page'>second page</p>"),
        ("Parks organisation", "<p>parks</p>"),
    ]
    target = export.merge_publication(
        sections, tmp_path / "pub.pdf", plan_name="Qazvin plan", year=1400, lang="en"
    )
    text = _pdftotext(target)
    # Cover is page 1, contents page 2; chapters start on pages 3, 4 and 6.
    assert re.search(r"Overview\s*\.+\s*3\b", text)
    assert re.search(r"alert\(1\)</script>\s*\.+\s*4\b", text)
    assert re.search(r"Parks organisation\s*\.+\s*6\b", text)
    assert "<script>alert(1)</script>" in text  # printed as text


@needs_pdftotext
def test_persian_publication_pdf(tmp_path, html_fa):
    target = export.merge_publication(
        [(DEPT_FA, html_fa)],
        tmp_path / "pub_fa.pdf",
        plan_name="برنامه پنج‌ساله دوم",
        year=1400,
        lang="fa",
    )
    text = _normalise(_pdftotext(target))
    assert _normalise("برنامه پنج‌ساله دوم") in text
    assert _normalise(DEPT_FA) in text
    assert "۱۴۰۰" in text
