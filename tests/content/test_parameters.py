"""Reading a notebook's parameters cell (planmon.content.parameters) without papermill."""

from __future__ import annotations

import json

import papermill
import pytest

from planmon.content.parameters import NOTEBOOK_NAMES, notebook_parameters, notebook_path
from planmon.core.exceptions import ParameterError

_TYPES = {"str": str, "int": int, "float": float, "bool": bool}


def _notebook(tmp_path, source: str, tags=("parameters",)):
    path = tmp_path / "report.ipynb"
    cell = {
        "cell_type": "code",
        "metadata": {"tags": list(tags)},
        "source": source.splitlines(keepends=True),
        "outputs": [],
        "execution_count": None,
    }
    path.write_text(
        json.dumps({"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("name", NOTEBOOK_NAMES)
def test_the_same_names_and_types_as_papermill_reports(name):
    declared = papermill.inspect_notebook(str(notebook_path(name)))
    expected = {k: _TYPES[v["inferred_type_name"]] for k, v in declared.items()}
    found = notebook_parameters(name)
    assert found == expected
    assert list(found) == list(expected)  # the cell's order


def test_every_type_of_the_contract_is_read(tmp_path):
    path = _notebook(
        tmp_path, 'a: str = ""\nb: int = 0\n# a comment\nc: float = 1.5\nd: bool = True\n'
    )
    assert notebook_parameters(path) == {"a": str, "b": int, "c": float, "d": bool}


@pytest.mark.parametrize(
    ("source", "tags", "message"),
    [
        # a parameter without a type
        (
            'plan_path: str = ""\nyear = 0\n',
            ("parameters",),
            r"parameter 'year' needs a type annotation.*'none'",
        ),
        # a type outside the contract
        ("years: list = []\n", ("parameters",), r"'years' needs a type annotation.*found 'list'"),
        # no parameters cell
        ("year: int = 0\n", (), "has no cell tagged 'parameters'"),
        # a parameters cell that is not Python
        ("year: int = \n", ("parameters",), r"not valid Python \(line 1"),
    ],
    ids=["untyped", "type-outside-contract", "no-parameters-cell", "not-python"],
)
def test_a_parameters_cell_outside_the_contract_is_refused(tmp_path, source, tags, message):
    path = _notebook(tmp_path, source, tags=tags)
    with pytest.raises(ParameterError, match=message):
        notebook_parameters(path)


def test_a_file_that_is_not_a_notebook_is_refused(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json", encoding="utf-8")
    with pytest.raises(ParameterError, match="not a readable notebook"):
        notebook_parameters(path)
