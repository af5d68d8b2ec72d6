"""Tests for planmon.io.plan_writer: writing a plan's tables as a plan folder."""

from __future__ import annotations

import dataclasses

import openpyxl
import pandas as pd
import pytest

from planmon.core.exceptions import ParameterError, PlanValidationError
from planmon.core.schema import PlanTables
from planmon.io.plan_writer import write_plan
from planmon.sample.qazvin import qazvin_sample
from planmon.sample.synthetic import synthetic_plan


@pytest.fixture(scope="module")
def qazvin() -> PlanTables:
    return qazvin_sample()


def _as_expected(read: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame read back from disk to the dtypes of the frame that was written."""
    assert list(read.columns) == list(expected.columns)
    return pd.DataFrame(
        {col: read[col].astype(expected[col].dtype) for col in expected.columns},
        index=pd.RangeIndex(len(read)),
    )


def _check_reports(plan: PlanTables, folder, fmt: str) -> None:
    files = sorted((folder / "reports").glob(f"*/*.{fmt}"))
    keys = {(int(p.parent.name), p.stem) for p in files}
    expected_keys = set(zip(plan.reports["year"], plan.reports["dept_id"], strict=True))
    assert keys == expected_keys
    for path in files:
        year, dept = int(path.parent.name), path.stem
        expected = plan.reports[(plan.reports["year"] == year) & (plan.reports["dept_id"] == dept)]
        expected = expected[["indicator_id", "value", "note", "source"]].reset_index(drop=True)
        if fmt == "xlsx":
            read = pd.read_excel(path, engine="calamine")
        else:
            read = pd.read_csv(path, encoding="utf-8-sig")
        pd.testing.assert_frame_equal(_as_expected(read, expected), expected)


def test_write_xlsx_round_trip(qazvin: PlanTables, tmp_path) -> None:
    written = write_plan(qazvin, tmp_path, fmt="xlsx")
    assert written[0] == tmp_path / "plan.xlsx"
    # 14 departments × 3 years, less culture's missing 1399 report
    assert len(written) == 1 + 14 * 3 - 1
    sheets = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None, engine="calamine")
    # the sample has the optional commentary and actions tables: written after the others
    assert list(sheets) == [
        "plan",
        "departments",
        "goals",
        "indicators",
        "targets",
        "commentary",
        "actions",
    ]
    meta = dict(zip(sheets["plan"]["key"], sheets["plan"]["value"], strict=True))
    assert meta == qazvin.meta
    for name in ("departments", "goals", "indicators", "targets"):
        expected = getattr(qazvin, name)
        pd.testing.assert_frame_equal(_as_expected(sheets[name], expected), expected)
    _check_reports(qazvin, tmp_path, "xlsx")
    assert not (tmp_path / "reports" / "1399" / "culture.xlsx").exists()


def test_write_csv_round_trip(qazvin: PlanTables, tmp_path) -> None:
    written = write_plan(qazvin, tmp_path, fmt="csv")
    assert {p.name for p in written if p.parent.name == "plan"} == {
        "plan.csv",
        "departments.csv",
        "goals.csv",
        "indicators.csv",
        "targets.csv",
        "commentary.csv",
        "actions.csv",
    }
    raw = (tmp_path / "plan" / "departments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Persian Excel reads it as UTF-8
    assert "معاونت حمل‌ونقل و ترافیک".encode() in raw
    meta = pd.read_csv(tmp_path / "plan" / "plan.csv", encoding="utf-8-sig", dtype=str)
    as_text = {k: str(v) for k, v in qazvin.meta.items()}
    assert dict(zip(meta["key"], meta["value"], strict=True)) == as_text
    for name in ("departments", "goals", "indicators", "targets"):
        expected = getattr(qazvin, name)
        read = pd.read_csv(tmp_path / "plan" / f"{name}.csv", encoding="utf-8-sig")
        pd.testing.assert_frame_equal(_as_expected(read, expected), expected)
    _check_reports(qazvin, tmp_path, "csv")


def test_xlsx_layout(qazvin: PlanTables, tmp_path) -> None:
    write_plan(qazvin, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    sheet = book["indicators"]
    assert sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["D"].width > 20  # name_fa is wide
    year = sheet.cell(row=2, column=8)  # baseline_year
    assert year.value == 1396 and year.data_type == "n"
    # A blank limit stays an empty cell, not 0 or "nan".
    limits = [row[0].value for row in sheet.iter_rows(min_row=2, min_col=10, max_col=10)]
    assert None in limits and "nan" not in limits
    report = openpyxl.load_workbook(tmp_path / "reports" / "1397" / "bus.xlsx").active
    assert report.sheet_view.rightToLeft
    assert [c.value for c in report[1]] == ["indicator_id", "value", "note", "source"]


def test_text_never_becomes_a_formula(tmp_path) -> None:
    plan = synthetic_plan(2, 2, 1)
    tricky = ["=1+2", "+98 912", "-3", "@SUM(A1)", "\t=1+2"]
    depts = plan.departments.copy()
    depts["name_fa"] = tricky[:2]
    depts["name_en"] = tricky[2:4]
    reports = plan.reports.copy()
    reports["note"] = pd.Series(tricky[:4], dtype="str")
    indicators = plan.indicators.copy()
    indicators["name_fa"] = pd.Series(tricky[1:], dtype="str")
    plan = dataclasses.replace(plan, departments=depts, indicators=indicators, reports=reports)
    write_plan(plan, tmp_path)

    read = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None, engine="calamine")
    assert read["departments"]["name_fa"].tolist() == ["=1+2", "+98 912"]
    assert read["departments"]["name_en"].tolist() == ["-3", "@SUM(A1)"]
    assert read["indicators"]["name_fa"].tolist() == tricky[1:]
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    cells = [
        *book["departments"].iter_rows(min_row=2, min_col=3, max_col=4),
        *book["indicators"].iter_rows(min_row=2, min_col=4, max_col=4),
    ]
    for row in cells:
        for cell in row:
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
    report = openpyxl.load_workbook(tmp_path / "reports" / "1397" / "D0001.xlsx").active
    notes = [row[0] for row in report.iter_rows(min_row=2, min_col=3, max_col=3)]
    assert [c.value for c in notes] == ["=1+2", "+98 912"]
    assert all(c.data_type != "f" for c in notes)


def test_write_rejects_unknown_format(qazvin: PlanTables, tmp_path) -> None:
    with pytest.raises(ParameterError, match="fmt"):
        write_plan(qazvin, tmp_path, fmt="ods")
    assert not any(tmp_path.iterdir())


def test_write_rejects_unsafe_department_ids(tmp_path) -> None:
    plan = synthetic_plan(2, 1, 1)
    reports = plan.reports.copy()
    reports["dept_id"] = pd.Series(["../evil", "D0002"], dtype="str")
    with pytest.raises(PlanValidationError, match="slug"):
        write_plan(dataclasses.replace(plan, reports=reports), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.xlsx").exists()


def test_write_refuses_existing_plan_unless_overwrite(tmp_path) -> None:
    big = synthetic_plan(4, 2, 3, seed=1)
    write_plan(big, tmp_path, fmt="xlsx")
    (tmp_path / "README.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="overwrite"):
        write_plan(big, tmp_path, fmt="csv")

    small = synthetic_plan(2, 2, 1, seed=1)
    written = write_plan(small, tmp_path, fmt="csv", overwrite=True)
    on_disk = {p for p in tmp_path.rglob("*") if p.is_file()}
    # Exactly the new plan remains, plus the unrelated file.
    assert on_disk == set(written) | {tmp_path / "README.txt"}
    assert not (tmp_path / "plan.xlsx").exists()
    assert not (tmp_path / "reports" / "1398").exists()


def test_write_plan_without_reports(tmp_path) -> None:
    plan = synthetic_plan(2, 2, 1)
    plan = dataclasses.replace(plan, reports=plan.reports.iloc[0:0])
    assert plan.report_years == []
    assert write_plan(plan, tmp_path) == [tmp_path / "plan.xlsx"]
    assert not (tmp_path / "reports").exists()
