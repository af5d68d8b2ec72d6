"""Fixtures of the build tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A PLANMON_HOME for the kernels, so their parse cache stays out of the project."""
    monkeypatch.setenv("PLANMON_HOME", str(tmp_path / "home"))
