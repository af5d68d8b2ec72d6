"""Shared fixtures: the tiny fixture plan, copied to a temporary folder per test when changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")

DATA = Path(__file__).parent / "data"
TINY = DATA / "tiny"


@pytest.fixture(scope="session", autouse=True)
def _no_cache_in_the_checkout(tmp_path_factory):
    """Module- and session-scoped fixtures load plans before the per-test fixture below runs:
    their caches go to a session folder too, never into tests/data or data/processed."""
    from planmon.core import config

    cache = tmp_path_factory.mktemp("session-cache")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(config, "CACHE_DIR", cache)
        patch.setenv("PLANMON_CACHE_DIR", str(cache))
        yield


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path_factory, monkeypatch):
    """Keep each test's parse cache and reports out of the project's data/processed."""
    from planmon.core import config

    cache = tmp_path_factory.mktemp("cache")
    monkeypatch.setattr(config, "CACHE_DIR", cache)
    # every other plan's cache (config.cache_dir_for), in this process and in kernels
    monkeypatch.setenv("PLANMON_CACHE_DIR", str(cache))
    yield


@pytest.fixture
def tiny_path() -> Path:
    """The tiny fixture plan, read-only (do not modify)."""
    return TINY


@pytest.fixture
def tiny_copy(tmp_path) -> Path:
    """A private, writable copy of the tiny fixture plan."""
    target = tmp_path / "plan"
    shutil.copytree(TINY, target)
    return target


def overlay(plan: Path, case: Path) -> None:
    """Apply a bad-input case onto a plan copy: copy its files, delete ``*.remove`` targets."""
    for path in sorted(case.rglob("*")):
        if not path.is_file() or path.name == "expected.txt":
            continue
        rel = path.relative_to(case)
        if path.name.endswith(".remove"):
            os.remove(plan / str(rel)[: -len(".remove")])
        else:
            (plan / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, plan / rel)
