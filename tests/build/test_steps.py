"""planmon.build.steps: what is refused before the output folder is touched, and what a refused
build leaves behind (nothing)."""

from __future__ import annotations

import os
import shutil

import pytest

from planmon.core.exceptions import OutputError, ParameterError
from tests.build.helpers import STANDINS, build_tiny, notebooks_folder
from tests.conftest import TINY


def _tree(folder) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


def test_an_output_folder_inside_the_plan_is_refused(tmp_path):
    plan = tmp_path / "plan"
    shutil.copytree(TINY, plan)
    before = _tree(plan)
    with pytest.raises(OutputError) as raised:
        build_tiny(tmp_path, plan, STANDINS, output_dir=plan / "reports")
    assert str(raised.value) == (
        f"--out {plan / 'reports'} is inside the plan folder {plan}: the reports would become "
        "part of the plan's input and make it invalid. Build somewhere outside it, e.g. "
        f"{tmp_path / 'reports'}"
    )
    assert _tree(plan) == before
    with pytest.raises(OutputError, match="is inside the plan folder"):
        build_tiny(tmp_path, plan, STANDINS, output_dir=plan)


def test_a_bad_department_leaves_nothing_behind(tmp_path):
    out = tmp_path / "new" / "reports"
    with pytest.raises(ParameterError, match=r"unknown department \.\./x; departments of"):
        build_tiny(tmp_path, TINY, STANDINS, dept_ids=["../x"], output_dir=out)
    assert os.listdir(tmp_path) == []


def test_a_build_refused_after_making_its_folder_removes_it_again(tmp_path, home):
    out = tmp_path / "new" / "reports"
    with pytest.raises(ParameterError, match="unknown parameter 'colour'"):
        notebooks = notebooks_folder(tmp_path / "notebooks")
        build_tiny(tmp_path, TINY, notebooks, parameters={"colour": "red"}, output_dir=out)
    assert not (tmp_path / "new").exists()


def test_a_users_index_html_is_refused_before_any_work(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "index.html").write_text("<h1>my site</h1>")
    (out / ".chapter1.docx.tmp").write_text("draft")
    with pytest.raises(OutputError) as raised:
        build_tiny(tmp_path, TINY, STANDINS, output_dir=out)
    assert str(raised.value) == (
        f"{out / 'index.html'} exists and was not written by planmon; planmon will not "
        "overwrite it. Move it away, or build into another folder (--out)"
    )
    assert (out / "index.html").read_text() == "<h1>my site</h1>"
    assert (out / ".chapter1.docx.tmp").read_text() == "draft"
    assert not (out / "1398").exists()
