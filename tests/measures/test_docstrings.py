"""Every example in the docstrings of planmon.measures runs and gives what it shows."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import planmon.measures

MODULES = sorted(m.name for m in pkgutil.iter_modules(planmon.measures.__path__))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(f"planmon.measures.{name}")
    result = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0


def test_every_module_declares_its_public_names():
    for name in MODULES:
        module = importlib.import_module(f"planmon.measures.{name}")
        assert isinstance(module.__all__, list), name
        assert all(hasattr(module, n) for n in module.__all__), name
