"""planmon.build.options: every option checked, with the fix named, before anything is written."""

from __future__ import annotations

import pytest

from planmon.build.options import BuildOptions, split_words
from planmon.core import config
from planmon.core.exceptions import ParameterError
from tests.build.helpers import STANDINS, build_tiny
from tests.conftest import TINY


@pytest.mark.parametrize(
    ("option", "match"),
    [
        ({"langs": ["de"]}, "unknown report language de"),
        ({"formats": ["docx"]}, "unknown output format docx"),
        ({"jobs": 0}, "jobs must be"),
        ({"executor": "spark"}, "unknown executor"),
        ({"executor": "dask"}, "scheduler's address"),
        ({"kernel": "fast"}, "unknown kernel 'fast'"),
        ({"timeout": 0}, "timeout must be a positive number"),
        ({"years": [1390]}, "no reports for year 1390"),
        ({"dept_ids": ["nowhere"]}, "unknown department nowhere"),
        ({"parameters": {"year": 1397}}, "set by the build"),
        ({"parameters": {"scores_path": "x"}}, "'scores_path' is set by the build"),
        ({"colour": "red"}, "unknown build option colour"),
    ],
)
def test_bad_options_are_refused_with_the_fix(tmp_path, option, match):
    with pytest.raises(ParameterError, match=match):
        build_tiny(tmp_path, TINY, STANDINS, **option)
    assert not (tmp_path / "reports").exists()  # refused before the folder was made


def test_options_are_normalised():
    checked = BuildOptions(langs="fa,en,fa", formats=["html"], years=[1398, 1397, 1398]).checked()
    assert checked.langs == ("fa", "en") and checked.pdf is False
    assert checked.years == (1397, 1398) and checked.dept_ids is None
    assert checked.output_dir == config.REPORTS.resolve()
    assert split_words(["a, b", "c"]) == ["a", "b", "c"]


def test_replace_changes_only_what_it_names():
    options = BuildOptions(jobs=3)
    assert options.replace(force=True) == BuildOptions(jobs=3, force=True)
