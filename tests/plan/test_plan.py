from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

import planmon
from planmon.core.exceptions import InputFileError, PlanValidationError
from tests.conftest import DATA, overlay


def _tree_digest(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_load_returns_tidy_typed_frames(tiny_path):
    plan = planmon.load(tiny_path, cache=False)
    assert plan.meta["baseline_year"] == 1396 and plan.horizon_year == 1401
    assert plan.plan_years == [1397, 1398, 1399, 1400, 1401]
    assert plan.report_years == [1397, 1398]
    assert len(plan.departments) == 3 and len(plan.indicators) == 5 and len(plan.targets) == 20
    assert plan.indicators["baseline_year"].dtype == "int64"
    assert plan.indicators["baseline_value"].dtype == "float64"
    assert plan.targets["year"].dtype == "int64"
    assert plan.actuals["value"].dtype == "float64"
    # defaults from the contract: weight 1, tolerance 0.05
    srv02 = plan.indicator("SRV02")
    assert srv02["weight"] == 1.0 and srv02["tolerance"] == 0.05
    assert plan.indicator("SRV01")["weight"] == 2.0
    # a blank value is kept as a data gap (NaN) with its note
    gap = plan.actuals[(plan.actuals.indicator_id == "D2_02") & (plan.actuals.year == 1398)]
    assert gap["value"].isna().all() and gap["note"].iloc[0] == "داده در دسترس نیست"


def test_accessors(tiny_path):
    plan = planmon.load(tiny_path, cache=False)
    assert plan.department("district_1")["name_fa"] == "منطقه یک"
    assert plan.indicators_of("district_2")["indicator_id"].tolist() == ["D2_01", "D2_02"]
    assert plan.targets_of("SRV01")["target"].tolist() == [12, 14, 16, 18, 20]
    series = plan.series("SRV01")
    assert series["year"].tolist() == [1396, 1397, 1398]
    assert series["value"].tolist() == [10.0, 11.5, 13.0]
    assert series["is_baseline"].tolist() == [True, False, False]
    with pytest.raises(KeyError, match="unknown indicator 'NOPE'"):
        plan.indicator("NOPE")
    assert "3 departments" in repr(plan)


def test_persian_headers_digits_and_windows_1256_load_to_the_same_frames(tiny_path):
    canonical = planmon.load(tiny_path, cache=False)
    persian = planmon.load(DATA / "tiny_fa", cache=False)
    assert persian.meta == canonical.meta
    for name in ("departments", "goals", "indicators", "targets"):
        pd.testing.assert_frame_equal(getattr(persian, name), getattr(canonical, name))
    columns = ["indicator_id", "dept_id", "year", "value", "note", "source", "row"]
    pd.testing.assert_frame_equal(persian.actuals[columns], canonical.actuals[columns])


def test_invalid_plan_raises_with_every_problem(tiny_copy):
    overlay(tiny_copy, DATA / "bad" / "duplicate_id")
    with pytest.raises(PlanValidationError) as info:
        planmon.load(tiny_copy)
    assert [str(p) for p in info.value.problems] == [
        "plan/departments.csv:5:dept_id: duplicate dept_id 'district_1' (first on row 3)"
    ]


def test_missing_folder_is_an_input_error(tmp_path):
    with pytest.raises(InputFileError, match="plan folder not found"):
        planmon.load(tmp_path / "nowhere")


def test_second_load_uses_the_parquet_cache(tiny_copy, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    first = planmon.load(tiny_copy, cache=cache)
    assert len(list(cache.iterdir())) == 1

    import planmon.io.plan_files as plan_files

    def no_parsing(*args, **kwargs):
        raise AssertionError("an unchanged plan was parsed again")

    monkeypatch.setattr(plan_files, "read_plan_tables", no_parsing)
    monkeypatch.setattr("planmon.plan.load.read_plan_tables", no_parsing)
    second = planmon.load(tiny_copy, cache=cache)
    for name in ("departments", "goals", "indicators", "targets", "actuals"):
        pd.testing.assert_frame_equal(getattr(first, name), getattr(second, name))
    assert [str(w) for w in second.warnings] == [str(w) for w in first.warnings]
    assert second.fingerprint == first.fingerprint


def test_changed_input_invalidates_the_cache(tiny_copy, tmp_path):
    cache = tmp_path / "cache"
    first = planmon.load(tiny_copy, cache=cache)
    report = tiny_copy / "reports" / "1398" / "services.csv"
    report.write_text(report.read_text(encoding="utf-8").replace("SRV02,10.5", "SRV02,9.5"))
    second = planmon.load(tiny_copy, cache=cache)
    assert second.fingerprint != first.fingerprint
    value = second.actuals.query("indicator_id == 'SRV02' and year == 1398")["value"].item()
    assert value == 9.5


def test_loading_never_writes_into_the_plan_folder(tiny_copy, tmp_path):
    before = _tree_digest(tiny_copy)
    planmon.load(tiny_copy, cache=tmp_path / "cache")
    planmon.load(tiny_copy, cache=tmp_path / "cache")
    assert _tree_digest(tiny_copy) == before


def test_damaged_cache_entry_is_rebuilt(tiny_copy, tmp_path):
    cache = tmp_path / "cache"
    plan = planmon.load(tiny_copy, cache=cache)
    (cache / plan.fingerprint / "indicators.parquet").write_bytes(b"not parquet")
    again = planmon.load(tiny_copy, cache=cache)
    assert len(again.indicators) == 5
