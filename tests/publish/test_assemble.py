"""planmon.publish.publication.assemble_publication: chapters' PDFs bound behind a cover."""

from __future__ import annotations

import re

import pikepdf
import pytest

from planmon.publish.pdf import html_to_pdf
from planmon.publish.publication import Cover, assemble_publication
from tests.publish.conftest import DEPT_FA, EVIL_NAME, _normalise, _pdftotext, needs_pdftotext

_PAGE = "<p style='break-before: page'>page</p>"


def _pdftotext_page(path, number: int) -> str:
    import subprocess

    command = ["pdftotext", "-f", str(number), "-l", str(number), "-enc", "UTF-8", str(path), "-"]
    return subprocess.run(command, capture_output=True, check=True, text=True).stdout


def _chapter(tmp_path, name: str, pages: int, lang: str = "en"):
    body = f"<h1>{name} heading</h1><p>{name} text</p>" + _PAGE * (pages - 1)
    html = f"<!DOCTYPE html><html lang='{lang}'><body>{body}</body></html>"
    return html_to_pdf(html, tmp_path / f"{name}.pdf")


@pytest.fixture
def chapters(tmp_path):
    # 1, 3 and 2 pages: with cover and contents (2 pages) they start on pages 3, 4 and 7.
    return [
        ("Overview", _chapter(tmp_path, "overview", 1)),
        (EVIL_NAME, _chapter(tmp_path, "district", 3)),
        ("Parks organisation", _chapter(tmp_path, "parks", 2)),
    ]


def test_outline_page_count_and_labels(tmp_path, chapters):
    target = assemble_publication(
        chapters, tmp_path / "pub.pdf", plan_name="Qazvin plan", year=1400, lang="en"
    )
    with pikepdf.open(target) as pdf:
        assert len(pdf.pages) == 2 + 1 + 3 + 2  # cover + contents + the chapters' pages
        with pdf.open_outline() as outline:
            entries = [(item.title, item.destination[0]) for item in outline.root]
        pages = {page.objgen: number for number, page in enumerate(pdf.pages)}
        assert [(title, pages[dest.objgen]) for title, dest in entries] == [
            ("Overview", 2),
            (EVIL_NAME, 3),
            ("Parks organisation", 6),
        ]
        with pdf.open_outline() as outline:
            # each chapter keeps its own headings, pointing at its pages in the publication
            heads = [
                [(c.title, pages[c.destination[0].objgen]) for c in item.children]
                for item in outline.root
            ]
        assert heads == [
            [("overview heading", 2)],
            [("district heading", 3)],
            [("parks heading", 6)],
        ]
        # front matter i, ii; then 3, 4, ... (the numbers the contents print)
        nums = list(pdf.Root.PageLabels.Nums)
        assert nums[0] == 0 and nums[1].S == "/r"
        assert nums[2] == 2 and nums[3].S == "/D" and nums[3].St == 3


@needs_pdftotext
def test_contents_page_numbers_match_the_chapters(tmp_path, chapters):
    target = assemble_publication(
        chapters, tmp_path / "pub.pdf", plan_name="Qazvin plan", year=1400, lang="en"
    )
    text = _pdftotext(target)
    assert re.search(r"Overview\s*3\b", text)
    assert re.search(r"alert\(1\)</script>\s*4\b", text)  # printed as text, not markup
    assert re.search(r"Parks organisation\s*7\b", text)
    # the chapters are the build's own PDFs, unchanged
    assert "district text" in text and "parks heading" in text
    # the front matter's footers say what its page labels say: none on the cover, ii after it
    cover, contents = (_pdftotext_page(target, n) for n in (1, 2))
    assert cover.split()[-1] != "i" and contents.split()[-1] == "ii"


@needs_pdftotext
def test_persian_cover_names_issuer_date_and_provisional(tmp_path):
    chapter = _chapter(tmp_path, "dept", 2, lang="fa")
    cover = Cover(
        subtitle="قزوین",
        issuer="معاونت برنامه‌ریزی",
        issue_date="1401-02-15",
        provisional=True,
    )
    target = assemble_publication(
        [(DEPT_FA, chapter)],
        tmp_path / "pub.pdf",
        plan_name="برنامه دوم",
        year=1400,
        lang="fa",
        cover=cover,
    )
    cover_text = _normalise(_pdftotext(target).split("\f")[0])
    # pdftotext moves the colons and the date's parts around in right-to-left lines
    assert "صادرکننده" in cover_text and _normalise("معاونت برنامه‌ریزی") in cover_text
    assert "تاریخ انتشار" in cover_text and "۱۴۰۱" in cover_text and "۱۵" in cover_text
    assert "موقت" in cover_text and "۱۴۰۰" in cover_text
    contents = _normalise(_pdftotext(target).split("\f")[1])
    assert _normalise(DEPT_FA) in contents and "۳" in contents


def test_a_cover_without_settings_names_no_issuer(tmp_path):
    from planmon.publish.publication import front_matter_html

    html = front_matter_html([("A", 3)], plan_name="P", year=1400, lang="en")
    assert "Issued by" not in html and "Date of issue" not in html and "Provisional" not in html
    html = front_matter_html(
        [("A", 3)], plan_name="P", year=1400, lang="en", cover=Cover(issuer="<b>Office</b>")
    )
    assert "Issued by &lt;b&gt;Office&lt;/b&gt;" in html
