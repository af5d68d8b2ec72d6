"""Shared fixtures of the execution tests: one running zygote per test module."""

from __future__ import annotations

import pytest

from planmon.execution.kernel import Zygote


@pytest.fixture(scope="module")
def zygote(tmp_path_factory):
    # A short folder: a Unix socket path must stay under 108 bytes.
    with Zygote(tmp_path_factory.mktemp("z")) as running:
        yield running


@pytest.fixture
def zygote_kernels(zygote, monkeypatch):
    """The running zygote, its kernelspecs first on ``JUPYTER_PATH``."""
    monkeypatch.setenv("JUPYTER_PATH", str(zygote.jupyter_path))
    return zygote
