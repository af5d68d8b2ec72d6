"""Shared by the sample tests: the Qazvin sample once per session, and table equality."""

from __future__ import annotations

import pandas as pd
import pytest

from planmon.core.schema import PlanTables
from planmon.sample.qazvin import qazvin_sample

TABLES = ("departments", "goals", "indicators", "targets", "reports")


@pytest.fixture(scope="session")
def qazvin() -> PlanTables:
    return qazvin_sample()


def assert_tables_equal(left: PlanTables, right: PlanTables) -> None:
    """Same meta and the same five frames (values, dtypes, order)."""
    assert left.meta == right.meta
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))
