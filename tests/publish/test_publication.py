"""planmon.publish.publication: the yearly publication's structure, escaping and PDF."""

from __future__ import annotations

import re

from bs4 import BeautifulSoup

from planmon.publish.publication import Section, merge_publication, publication_html
from tests.publish.conftest import DEPT_FA, EVIL_NAME, _normalise, _pdftotext, needs_pdftotext


def test_publication_html_structure_and_escaping(html_fa):
    html = publication_html(
        [("نمای کلی", html_fa), Section(EVIL_NAME, "<p>body</p>")],
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
    target = merge_publication(
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
    target = merge_publication(
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
