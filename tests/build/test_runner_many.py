"""planmon.build.many: several plans (one city each) in one run, each into DIR/<plan name>/."""

from __future__ import annotations

import shutil

import pytest

from planmon.build.api import BuildOptions
from planmon.build.many import build_plans, plan_output_dirs
from planmon.core.exceptions import ParameterError
from tests.build.helpers import YEAR, notebooks_folder
from tests.conftest import TINY


def test_each_plan_is_built_into_its_own_folder_and_a_bad_one_stops_no_other(tmp_path, home):
    for name in ("karaj", "qom"):
        shutil.copytree(TINY, tmp_path / "plans" / name)
    (tmp_path / "plans" / "broken").mkdir()  # no plan tables: cannot be loaded
    options = BuildOptions(
        years=[YEAR],
        langs=["fa"],
        formats=["html"],
        dept_ids=["services"],
        jobs=2,
        output_dir=tmp_path / "out",
        notebooks_dir=notebooks_folder(tmp_path / "notebooks"),
        scores_dir=tmp_path / "scores",
    )
    plans = [tmp_path / "plans" / n for n in ("karaj", "broken", "qom")]
    outcomes = build_plans(plans, options)
    assert [o.plan.name for o in outcomes] == ["karaj", "broken", "qom"]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].error is not None and outcomes[1].result is None
    for name in ("karaj", "qom"):
        assert (tmp_path / "out" / name / str(YEAR) / "fa" / "services.html").is_file()
    karaj = (tmp_path / "out" / "karaj" / str(YEAR) / "fa" / "services.html").read_bytes()
    assert karaj == (tmp_path / "out" / "qom" / str(YEAR) / "fa" / "services.html").read_bytes()


def test_two_plans_with_one_folder_name_are_refused(tmp_path):
    with pytest.raises(ParameterError, match="same folder name 'qom'"):
        plan_output_dirs([tmp_path / "a" / "qom", tmp_path / "b" / "qom"], tmp_path / "out")


def test_several_plans_need_an_output_folder(tmp_path):
    with pytest.raises(ParameterError, match="--out DIR"):
        build_plans([tmp_path / "a", tmp_path / "b"], BuildOptions())
