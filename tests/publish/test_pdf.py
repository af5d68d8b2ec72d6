"""planmon.publish.pdf: HTML printed to PDF offline, atomically, checked before it lands."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from planmon.core.exceptions import PlanmonError
from planmon.publish import pdf
from tests.publish.conftest import DEPT_FA, _normalise, _pdftotext, needs_pdftotext


def test_offline_fetcher_refuses_network_and_files():
    fetcher = pdf._offline_fetcher()
    for url in ("https://example.com/a.css", "http://example.com/a.png", "file:///etc/hostname"):
        with pytest.raises(ValueError, match="disallowed"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain;base64,aGk=") is not None


def test_pdf_rendering_opens_no_connection(tmp_path, monkeypatch):
    attempts = []
    monkeypatch.setattr(socket.socket, "connect", lambda self, address: attempts.append(address))
    html = '<html><body><img src="https://example.com/x.png"><p>x</p></body></html>'
    pdf.html_to_pdf(html, tmp_path / "x.pdf")
    assert attempts == []


@needs_pdftotext
def test_pdf_contains_persian_text_in_logical_order(html_fa, tmp_path):
    target = pdf.html_to_pdf(html_fa, tmp_path / "reports" / "fa.pdf")
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
        pdf.html_to_pdf("<p>x</p>", target)
    assert target.read_bytes() == b"old"
    assert list(tmp_path.iterdir()) == [target]


def test_engine_choice_is_checked(tmp_path):
    with pytest.raises(PlanmonError, match="engine"):
        pdf.html_to_pdf("<p>x</p>", tmp_path / "x.pdf", engine="prince")
    with pytest.raises(PlanmonError, match="Chromium"):
        pdf.html_to_pdf_chromium(
            "<p>x</p>", tmp_path / "x.pdf", executable=str(tmp_path / "no-chromium")
        )
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.browser
@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="/usr/bin/chromium missing")
def test_chromium_fallback_prints_a_pdf(html_fa, tmp_path):
    target = pdf.html_to_pdf(html_fa, tmp_path / "c.pdf", engine="chromium")
    assert target.read_bytes()[:5] == b"%PDF-"


@needs_pdftotext
@pytest.mark.parametrize("lang", ["fa", "en"])
def test_the_footer_names_the_report_and_counts_its_own_pages(tmp_path, lang):
    # a chapter bound into the publication keeps this footer: "title – page N of M" reads as
    # the chapter's own numbering, never as a second, conflicting publication page number
    import pikepdf

    from planmon.core.locale import localise_digits
    from planmon.core.vocabulary import word
    from planmon.publish.html import report_css

    title = "سازمان فضای سبز شهری" if lang == "fa" else "Parks <&> Green"
    body = "".join(f"<p>{n}</p>" for n in range(90))  # a few pages
    html = (
        f'<html lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}"><head><style>'
        f"{report_css(lang)}</style></head><body><h1>{title.replace('<', '&lt;')}</h1>{body}"
        "</body></html>"
    )
    target = pdf.html_to_pdf(html, tmp_path / "r.pdf")
    with pikepdf.open(target) as document:
        pages = len(document.pages)
    assert pages > 1

    def bare(value: str) -> str:  # pdftotext drops the hamza above and breaks lines freely
        return "".join(_normalise(value).replace("\u0654", "").split())

    text = bare(_pdftotext(target))
    assert text.count(bare(title)) >= pages + 1  # the heading, and every page's footer
    for page in (1, pages):
        said = word("page_of", lang, page=page, pages=pages)
        assert bare(localise_digits(said, lang)) in text
