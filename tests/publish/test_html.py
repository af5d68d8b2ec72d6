"""planmon.publish.html: executed notebooks as offline, inert HTML."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from planmon.core.exceptions import PlanmonError
from planmon.publish.html import notebook_to_html, report_body
from tests.publish.conftest import DEPT_FA, EVIL_NAME


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
    html_en = notebook_to_html(notebook, lang="en", title="Report")
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
    html = notebook_to_html(notebook, lang="en", title="t", show_stderr=True)
    assert "FutureWarning" in html


def test_report_body_strips_the_document_shell(html_fa):
    body = report_body(html_fa)
    assert not body.lstrip().startswith("<!DOCTYPE") and "<html" not in body
    assert DEPT_FA in body
    assert report_body("<p>fragment</p>") == "<p>fragment</p>"


def test_unknown_language_is_refused(notebook):
    with pytest.raises(PlanmonError):
        notebook_to_html(notebook, lang="de", title="t")
