"""Where planmon keeps things (planmon.core.config): the bundled sample's caches in
data/processed, any other plan's with the plan or in the user cache, never in the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from planmon.core import config


@pytest.fixture(autouse=True)
def _real_rules(monkeypatch):
    monkeypatch.delenv("PLANMON_CACHE_DIR", raising=False)


def test_the_bundled_sample_keeps_its_caches_in_data_processed():
    assert config.cache_dir_for(config.SAMPLE_PLAN) == config.CACHE_DIR
    assert config.cache_dir_for(config.SAMPLE_PLAN, "scores") == config.DATA_PROCESSED / "scores"


def test_a_plan_elsewhere_keeps_its_cache_in_its_hidden_folder(tmp_path: Path):
    plan = tmp_path / "plan"
    plan.mkdir()
    assert config.cache_dir_for(plan) == plan.resolve() / ".planmon" / "cache" / "parse"
    assert config.cache_dir_for(plan, "scores").name == "scores"
    assert config.state_dir_for(plan) == plan / ".planmon"
    assert not (plan / ".planmon").exists()  # choosing the folder creates nothing


def test_plans_inside_the_checkout_use_the_user_cache(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    tiny = config.SOURCE_ROOT / "tests" / "data" / "tiny"
    other = config.DATA_RAW / "another_plan"
    for plan in (tiny, other):
        folder = config.cache_dir_for(plan)
        assert folder.is_relative_to(tmp_path / "xdg" / "planmon"), folder
        assert not folder.is_relative_to(config.SOURCE_ROOT)
    # one folder per plan
    assert config.cache_dir_for(tiny) != config.cache_dir_for(other)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_a_read_only_plan_uses_the_user_cache(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    plan = tmp_path / "plan"
    plan.mkdir()
    plan.chmod(0o555)
    try:
        assert config.cache_dir_for(plan).is_relative_to(tmp_path / "xdg")
    finally:
        plan.chmod(0o755)


def test_planmon_cache_dir_overrides(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("PLANMON_CACHE_DIR", str(tmp_path / "c"))
    assert config.cache_dir_for(config.SAMPLE_PLAN).is_relative_to(tmp_path / "c")
    with pytest.raises(ValueError, match="unknown cache kind"):
        config.cache_dir_for(tmp_path, "html")


def test_notebooks_do_not_move_with_planmon_home(tmp_path: Path):
    code = "from planmon.core import config; print(config.NOTEBOOKS, config.DATA_RAW, sep='|')"
    env = {**os.environ, "PLANMON_HOME": str(tmp_path), "PYTHONPATH": str(config.SOURCE_ROOT)}
    env.pop("PLANMON_NOTEBOOKS", None)
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    notebooks, raw = done.stdout.strip().split("|")
    assert Path(notebooks) == config.SOURCE_ROOT / "notebooks"
    assert Path(raw) == tmp_path.resolve() / "data" / "raw"
