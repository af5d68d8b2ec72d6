"""Ingesting returned reports (planmon.collect.ingest): the template round trip, all-or-nothing
validation, kept previous versions, and hostile input that must leave the plan untouched."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import openpyxl
import pytest

import planmon
import planmon.io.journal as journal
from planmon.collect.guard import IngestRefused
from planmon.collect.ingest import CHANGE_KINDS, ingest
from planmon.collect.templates import DATA_SHEET, TEMPLATE_HEADERS, write_templates
from planmon.core.exceptions import InputFileError, PlanmonError, PlanValidationError
from planmon.io.excel import excel_workbook, write_frame
from planmon.io.read import MAX_INPUT_BYTES

VALUE = TEMPLATE_HEADERS["value"]
NOTE = TEMPLATE_HEADERS["note"]


def tree_digest(folder: Path) -> str:
    """SHA-256 over every path (folders too, hidden included) and file content under folder,
    except planmon's own .planmon/ (audit log, kept versions, lock, cache)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if ".planmon" in path.relative_to(folder).parts:
            continue
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def fill(path: Path, values: dict[str, object], notes: dict[str, str] | None = None) -> Path:
    """Fill a template as a department would: open it, type values and notes, save."""
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    col = {cell.value: cell.column for cell in sheet[1]}
    for row in range(2, sheet.max_row + 1):
        ind = sheet.cell(row, 1).value
        if ind in values:
            sheet.cell(row, col[VALUE]).value = values[ind]
        if notes and ind in notes:
            cell = sheet.cell(row, col[NOTE])
            cell.value = notes[ind]
            cell.data_type = "s"  # typed as text: a note is never a formula
    book.save(path)
    return path


# Values a department would send for 1399 (near the tiny plan's 1399 targets: no spikes).
VALUES_1399 = {
    "services": {"SRV01": "۱۵٫۵", "SRV02": 9.5},
    "district_1": {"D1_01": 9.4},
    "district_2": {"D2_01": 6.0, "D2_02": 700},
}


@pytest.fixture
def filled(tiny_path: Path, tmp_path: Path) -> list[Path]:
    paths = write_templates(tiny_path, 1399, out_dir=tmp_path / "returned")
    notes = {"SRV01": "<script>alert(1)</script>", "SRV02": "=1+1"}
    return [fill(p, VALUES_1399[p.stem], notes) for p in paths]


# ------------------------------------------------------------------------------ round trip


def test_round_trip_template_fill_ingest_load(filled: list[Path], tiny_copy: Path):
    result = ingest(filled, 1399, tiny_copy)
    assert result.written == [tiny_copy / "reports" / "1399" / p.name for p in filled]
    assert result.previous == [] and result.identical == []
    assert result.counts == {"new": 5, "corrected": 0, "removed": 0, "unchanged": 0}

    plan = planmon.load(tiny_copy)
    got = plan.actuals[plan.actuals["year"] == 1399].set_index("indicator_id")
    # the Persian-digit text «۱۵٫۵» is 15.5 (٫ = Persian decimal separator)
    assert got["value"].to_dict() == {
        "D1_01": 9.4,
        "D2_01": 6.0,
        "D2_02": 700.0,
        "SRV01": 15.5,
        "SRV02": 9.5,
    }
    assert got.loc["SRV01", "note"] == "<script>alert(1)</script>"  # literal text
    assert got.loc["SRV02", "note"] == "=1+1"
    assert 1399 in plan.report_years
    assert not [w for w in result.warnings if w.severity == "error"]


def test_round_trip_exports_hostile_notes_safely(
    filled: list[Path], tiny_copy: Path, tmp_path: Path
):
    ingest(filled, 1399, tiny_copy)
    actuals = planmon.load(tiny_copy).actuals
    out = tmp_path / "actuals.xlsx"
    with excel_workbook(out) as book:
        write_frame(book, "actuals", actuals[actuals["year"] == 1399])
    sheet = openpyxl.load_workbook(out)["actuals"]
    note_col = [c.value for c in sheet[1]].index("note") + 1
    notes = {sheet.cell(r, 1).value: sheet.cell(r, note_col) for r in range(2, sheet.max_row + 1)}
    assert notes["SRV02"].data_type != "f" and notes["SRV02"].value == "'=1+1"
    assert notes["SRV01"].value == "<script>alert(1)</script>"


def test_round_trip_gives_no_warnings_about_the_new_reports(filled: list[Path], tiny_copy: Path):
    result = ingest(filled, 1399, tiny_copy)
    assert result.warnings == []


# ------------------------------------------------------------------------ replace and changes


def test_existing_report_is_not_replaced_without_replace(filled: list[Path], tiny_copy: Path):
    ingest(filled, 1399, tiny_copy)
    fill(filled[0], {"SRV01": 15.0})
    before = tree_digest(tiny_copy)
    with pytest.raises(
        IngestRefused, match=r"already in the plan: reports/1399/services\.xlsx"
    ) as info:
        ingest(filled, 1399, tiny_copy)
    assert "replace=True" in str(info.value) and "--replace" in info.value.cli_message()
    assert "replace=True" not in info.value.cli_message()
    assert tree_digest(tiny_copy) == before


def test_identical_report_is_accepted_without_writing(filled: list[Path], tiny_copy: Path):
    ingest(filled[:1], 1399, tiny_copy)
    before = tree_digest(tiny_copy)
    result = ingest(filled[:1], 1399, tiny_copy)
    assert result.written == [] and result.identical == [tiny_copy / "reports/1399/services.xlsx"]
    assert result.counts["unchanged"] == 2
    assert tree_digest(tiny_copy) == before


def test_replace_keeps_the_previous_version_and_lists_changes(filled: list[Path], tiny_copy: Path):
    ingest(filled, 1399, tiny_copy)
    first = (tiny_copy / "reports/1399/services.xlsx").read_bytes()
    fill(filled[0], {"SRV01": 15.0, "SRV02": None})
    result = ingest(filled[:1], 1399, tiny_copy, replace=True)
    (kept,) = result.previous
    versions = tiny_copy / ".planmon" / "versions" / result.record_id
    assert kept == versions / "reports" / "1399" / "services.xlsx"
    assert kept.read_bytes() == first
    changes = result.changes.set_index("indicator_id")
    assert changes.loc["SRV01", "change"] == "corrected"
    assert (changes.loc["SRV01", "old_value"], changes.loc["SRV01", "new_value"]) == (15.5, 15.0)
    assert changes.loc["SRV02", "change"] == "removed"  # 9.5 → blank
    assert changes.loc["SRV02", "old_value"] == 9.5 and math.isnan(
        changes.loc["SRV02", "new_value"]
    )
    assert set(result.changes["change"]) <= set(CHANGE_KINDS)
    # the loader ignores the hidden .planmon folder: no duplicate report
    plan = planmon.load(tiny_copy)
    srv = plan.actuals[(plan.actuals["year"] == 1399) & (plan.actuals["dept_id"] == "services")]
    assert srv.set_index("indicator_id")["value"].to_dict()["SRV01"] == 15.0


def test_xlsx_replaces_a_csv_report(tiny_path: Path, tiny_copy: Path, tmp_path: Path):
    (path,) = write_templates(tiny_path, 1398, ["services"], out_dir=tmp_path)
    # reports/1398/services.csv holds SRV01 13, SRV02 10.5 (tests/data/tiny)
    fill(path, {"SRV01": 13, "SRV02": 10})
    result = ingest([path], 1398, tiny_copy, replace=True)
    assert not (tiny_copy / "reports/1398/services.csv").exists()
    assert (tiny_copy / "reports/1398/services.xlsx").is_file()
    assert result.previous[0].suffix == ".csv"
    assert result.of_kind("unchanged")["indicator_id"].tolist() == ["SRV01"]
    corrected = result.of_kind("corrected").iloc[0]
    assert (corrected["old_value"], corrected["new_value"]) == (10.5, 10.0)
    assert planmon.load(tiny_copy).report_files["year"].tolist().count(1398) == 3


# ------------------------------------------------------------------------ all or nothing


def test_one_bad_file_means_nothing_is_written(filled: list[Path], tiny_copy: Path):
    fill(filled[2], {"D2_01": "شش"})
    before = tree_digest(tiny_copy)
    with pytest.raises(PlanValidationError) as info:
        ingest(filled, 1399, tiny_copy)
    # named as the user passed it, with the cell as Excel shows it and the fix
    (problem,) = info.value.problems
    assert str(problem).startswith(
        f"{filled[2]}:2:مقدار محقق شده: cell H2: is not a number (شش seen); write the value in "
        "digits (Persian digits are fine"
    )
    assert tree_digest(tiny_copy) == before


def test_oversized_workbook_is_refused(tiny_copy: Path, tmp_path: Path):
    big = tmp_path / "services.xlsx"
    with open(big, "wb") as handle:
        handle.write(b"PK\x03\x04")
        handle.truncate(MAX_INPUT_BYTES + 1)  # sparse: fast, takes no disk space
    before = tree_digest(tiny_copy)
    with pytest.raises(
        InputFileError, match=r"services\.xlsx: file is 52 MB, more than the 50 MiB"
    ):
        ingest([big], 1399, tiny_copy)
    assert tree_digest(tiny_copy) == before


def test_corrupt_workbook_is_refused(tiny_copy: Path, tmp_path: Path):
    bad = tmp_path / "services.xlsx"
    bad.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 100)
    before = tree_digest(tiny_copy)
    with pytest.raises(PlanValidationError) as info:
        ingest([bad], 1399, tiny_copy)
    (problem,) = info.value.problems
    assert str(problem).startswith(f"{bad}: the workbook is damaged")
    assert tree_digest(tiny_copy) == before


@pytest.mark.parametrize("name", ["..\\evil.xlsx", "se rvices.xlsx", "services.xlsm"])
def test_file_names_that_are_not_ids_are_refused(name: str, tiny_copy: Path, tmp_path: Path):
    src = tmp_path / name
    src.write_bytes(b"PK\x03\x04")
    before = tree_digest(tiny_copy)
    with pytest.raises(InputFileError, match="nothing was ingested"):
        ingest([src], 1399, tiny_copy)
    assert tree_digest(tiny_copy) == before


def test_report_named_after_no_department_is_refused(filled: list[Path], tiny_copy: Path):
    stray = filled[1].with_name("district_9.xlsx")
    filled[1].rename(stray)
    before = tree_digest(tiny_copy)
    with pytest.raises(IngestRefused, match="template of department 'district_1'") as info:
        ingest([stray], 1399, tiny_copy)
    assert "rename it to district_1.xlsx, or pass --force-dept" in info.value.cli_message()
    # forced past the guard, validation still refuses a file named after no department
    with pytest.raises(PlanValidationError, match="file name 'district_9' is not a department"):
        ingest([stray], 1399, tiny_copy, force=["force_dept"])
    assert tree_digest(tiny_copy) == before


def test_year_outside_the_plan_is_refused(filled: list[Path], tiny_copy: Path):
    before = tree_digest(tiny_copy)
    with pytest.raises(PlanValidationError, match="report year 1405 is outside the plan years"):
        ingest(filled, 1405, tiny_copy, force=["force_year"])
    assert tree_digest(tiny_copy) == before


def test_failed_write_is_rolled_back(filled: list[Path], tiny_copy: Path, monkeypatch):
    ingest(filled[:1], 1399, tiny_copy)
    fill(filled[0], {"SRV01": 14.0})
    before = tree_digest(tiny_copy)
    real = journal._write_file
    calls = []

    def flaky(target, data, tag):
        calls.append(target)
        if target.parent.name == "1399" and len([c for c in calls if c.parent.name == "1399"]) == 2:
            raise OSError(28, "No space left on device")
        real(target, data, tag)

    monkeypatch.setattr(journal, "_write_file", flaky)
    with pytest.raises(PlanmonError, match="No space left on device.*nothing was changed"):
        ingest(filled, 1399, tiny_copy, replace=True)
    monkeypatch.setattr(journal, "_write_file", real)
    assert tree_digest(tiny_copy) == before
    assert not list((tiny_copy / ".planmon" / "txn").iterdir())


def test_year_folder_with_persian_digits_is_reused(
    tiny_path: Path, tiny_copy: Path, tmp_path: Path
):
    (tiny_copy / "reports" / "1398").rename(tiny_copy / "reports" / "۱۳۹۸")
    (path,) = write_templates(tiny_path, 1398, ["district_1"], out_dir=tmp_path)
    result = ingest([fill(path, {"D1_01": 9.3})], 1398, tiny_copy, replace=True)
    assert result.written == [tiny_copy / "reports" / "۱۳۹۸" / "district_1.xlsx"]
    assert not (tiny_copy / "reports" / "1398").exists()
    assert planmon.load(tiny_copy).report_files["year"].tolist().count(1398) == 3
