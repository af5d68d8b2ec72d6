"""planmon.io.notebook_cells: a notebook's code cells from its JSON."""

from __future__ import annotations

import json

import nbformat
import pytest

from planmon.core import config
from planmon.io.notebook_cells import CodeCell, code_cells


def test_the_cells_match_nbformat_on_a_report_notebook():
    path = config.NOTEBOOKS / "department_report.ipynb"
    expected = [
        CodeCell(cell.source, tuple(cell.metadata.get("tags", [])))
        for cell in nbformat.read(path, as_version=4).cells
        if cell.cell_type == "code"
    ]
    assert code_cells(path) == expected
    assert expected[0].tags == ("parameters",)


def test_malformed_parts_are_skipped_not_fatal(tmp_path):
    path = tmp_path / "odd.ipynb"
    cells = [
        "not a cell",
        {"cell_type": "markdown", "source": "# title", "metadata": {}},
        {"cell_type": "code", "source": ["a = ", 1], "metadata": "not a dict"},
        {"cell_type": "code", "source": "b = 2", "metadata": {"tags": "parameters"}},
        {"cell_type": "code", "metadata": {"tags": ["parameters", 3]}},
    ]
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    assert code_cells(path) == [
        CodeCell("a = 1"),
        CodeCell("b = 2"),  # tags that are not a list are no tags
        CodeCell("", ("parameters", "3")),
    ]


@pytest.mark.parametrize(
    ("content", "error"),
    [(b"{not json", ValueError), (b"\xff\xfe", ValueError), (None, OSError)],
)
def test_unreadable_notebooks_raise_what_callers_catch(tmp_path, content, error):
    path = tmp_path / "bad.ipynb"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(error):
        code_cells(path)


def test_a_document_without_cells_has_none(tmp_path):
    path = tmp_path / "list.ipynb"
    path.write_text("[1, 2]", encoding="utf-8")
    assert code_cells(path) == []
