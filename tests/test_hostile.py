"""Hostile text from departments (tests/data/bad/hostile_text) stays inert in every output."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import planmon
from planmon.build.api import build
from planmon.collect.templates import write_templates
from planmon.dashboard.page import write_dashboard
from tests.conftest import DATA, overlay

SCRIPT_FA = "<script>alert('fa')</script>"
SCRIPT_NOTE = '</script><script>alert("note")</script>'
IMG = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile(tiny_copy: Path) -> Path:
    overlay(tiny_copy, DATA / "bad" / "hostile_text")
    return tiny_copy


def test_hostile_text_is_legal_input(hostile: Path):
    errors, _ = planmon.check(hostile)
    assert errors == []


def test_report_html_and_index_show_markup_as_text(hostile: Path, tmp_path: Path):
    out = tmp_path / "reports"
    result = build(
        hostile,
        years=[1398],
        dept_ids=["services"],
        langs=["fa", "en"],
        formats=["html"],
        output_dir=out,
        scores_dir=tmp_path / "scores",
        jobs=1,
    )
    assert result.ok, result.summary()
    for lang in ("fa", "en"):
        page = (out / "1398" / lang / "services.html").read_text("utf-8")
        assert "<script" not in page.lower() and "<img src=x" not in page
        # the note, shown as text (quotes need no escaping in element text)
        assert "&lt;/script&gt;&lt;script&gt;alert(" in page
    fa = (out / "1398" / "fa" / "services.html").read_text("utf-8")
    assert "&lt;script&gt;alert(" in fa
    index = (out / "index.html").read_text("utf-8")
    assert "<script" not in index.lower() and "&lt;script&gt;" in index


def test_dashboard_keeps_markup_inside_its_data(hostile: Path, tmp_path: Path):
    page = write_dashboard(planmon.load(hostile), out_dir=tmp_path / "dash").read_text("utf-8")
    # the only <script> elements are the page's own: data (JSON) and app code
    assert SCRIPT_FA not in page and SCRIPT_NOTE not in page and IMG not in page
    assert page.lower().count("<script") == page.lower().count("</script>")


def test_excel_templates_neutralise_formulas(hostile: Path, tmp_path: Path):
    written = write_templates(planmon.load(hostile), 1399, out_dir=tmp_path)
    assert written
    seen = []
    for path in written:
        cells = [
            c for ws in openpyxl.load_workbook(path).worksheets for r in ws.iter_rows() for c in r
        ]
        for cell in cells:
            if True:
                assert cell.data_type != "f", (path.name, cell.coordinate, cell.value)
                if isinstance(cell.value, str) and (
                    "HYPERLINK" in cell.value or "cmd|" in cell.value
                ):
                    seen.append(cell.value)
    # the formula-like names are there, as text that starts with an apostrophe
    assert seen and all(not v.startswith(("=", "+", "-", "@")) for v in seen)
