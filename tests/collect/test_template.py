"""Data-collection templates (planmon.collect.templates) and the safe Excel helpers they are built on
(planmon.io.excel): formula injection is neutralised, untrusted text stays literal, and the
template is a report the reader understands."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest

import planmon
from planmon.collect.templates import (
    DATA_SHEET,
    GUIDE_SHEET,
    REFERENCE_COLUMNS,
    TEMPLATE_HEADERS,
    template_rows,
    write_templates,
)
from planmon.core import config
from planmon.core.exceptions import ParameterError
from planmon.core.schema import canonical_column
from planmon.io.excel import (
    MAX_CELL_CHARS,
    Column,
    excel_workbook,
    is_formula_like,
    safe_cell,
    safe_sheet_name,
    write_frame,
    write_sheet,
)
from planmon.io.plan_files import ReportFile, read_report

HOSTILE = [
    "=1+1",
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1",
    "\r=1",
    "  =1+1",
    "＝1+1",
    "=cmd|' /C calc'!A0",
]


# ------------------------------------------------------------------------------ safe_cell


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_like_text_is_prefixed_with_an_apostrophe(text):
    assert is_formula_like(text)
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", "سرانه فضای سبز", "m² per capita", "%", "a=b", ""]
)
def test_harmless_text_is_left_alone(text):
    assert not is_formula_like(text)
    assert safe_cell(text) == text


def test_numbers_stay_numbers_and_missing_is_blank():
    assert safe_cell(-3.5) == -3.5 and isinstance(safe_cell(-3.5), float)
    assert safe_cell(np.int64(-7)) == -7 and type(safe_cell(np.int64(-7))) is int
    assert type(safe_cell(np.float64(2.25))) is float
    assert safe_cell(True) is True and safe_cell(np.bool_(False)) is False
    for missing in (None, math.nan, np.nan, pd.NA, pd.NaT):
        assert safe_cell(missing) is None
    # a workbook cannot hold infinity as a number; the text uses U+2212, not a trigger
    assert safe_cell(math.inf) == "∞" and safe_cell(-math.inf) == "\u2212∞"


def test_safe_cell_is_idempotent_and_bounded():
    once = safe_cell("=1+1")
    assert safe_cell(once) == once
    long_text = "=" + "x" * (MAX_CELL_CHARS + 10)
    assert len(safe_cell(long_text)) == MAX_CELL_CHARS


def test_sheet_names_are_made_valid():
    assert safe_sheet_name("a/b[c]:d*e?f\\g") == "a_b_c__d_e_f_g"
    assert len(safe_sheet_name("x" * 50)) == 31
    assert safe_sheet_name("''") == "Sheet"


# ------------------------------------------------------------------------------ write_sheet


def test_write_sheet_neutralises_hostile_cells_and_keeps_numbers(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    rows = [[text, -1.5, "<script>alert(1)</script>"] for text in HOSTILE]
    with excel_workbook(target) as book:
        write_sheet(
            book, "data", ["=header", "number", Column("text", width=30)], rows, right_to_left=True
        )
    sheet = openpyxl.load_workbook(target)["data"]
    assert sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b and sheet["A1"].value == "'=header"
    for r, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(r, 1)
        assert cell.data_type != "f"
        # OOXML escapes a carriage return as _x000D_; openpyxl does not unescape it
        assert cell.value.replace("_x000D_", "\r") == "'" + text
        assert sheet.cell(r, 2).data_type == "n" and sheet.cell(r, 2).value == -1.5
        assert sheet.cell(r, 3).value == "<script>alert(1)</script>"
    assert sheet.column_dimensions["C"].width == pytest.approx(30, abs=1)


def test_failed_workbook_leaves_no_file(tmp_path: Path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(RuntimeError), excel_workbook(target) as book:
        write_sheet(book, "data", ["a"], [[1]])
        raise RuntimeError("boom")
    assert list(tmp_path.iterdir()) == []


def test_write_frame_writes_headers_and_values(tmp_path: Path):
    frame = pd.DataFrame({"indicator_id": ["A", "B"], "value": [1.5, np.nan], "note": ["@x", None]})
    target = tmp_path / "f.xlsx"
    with excel_workbook(target) as book:
        write_frame(book, "scores", frame)
    sheet = openpyxl.load_workbook(target)["scores"]
    assert [c.value for c in sheet[1]] == ["indicator_id", "value", "note"]
    assert [c.value for c in sheet[2]] == ["A", 1.5, "'@x"]
    assert [c.value for c in sheet[3]] == ["B", None, None]


# ------------------------------------------------------------------------------ templates


def test_template_rows_hold_target_and_previous_value(tiny_path: Path):
    plan = planmon.load(tiny_path)
    rows = template_rows(plan, 1399, "services").set_index("indicator_id")
    # tests/data/tiny/plan/targets.csv: SRV01 1399 → 16, SRV02 1399 → 9;
    # reports/1398/services.csv: SRV01 13, SRV02 10.5 (the previous year's values)
    assert rows.loc["SRV01", "target"] == 16 and rows.loc["SRV01", "previous_value"] == 13
    assert rows.loc["SRV02", "target"] == 9 and rows.loc["SRV02", "previous_value"] == 10.5
    assert rows.loc["SRV01", "direction"] == "افزایشی"
    assert rows.loc["SRV02", "direction"] == "کاهشی"
    # 1397 follows the baseline year 1396: the previous value is the baseline (10 and 12)
    first = template_rows(plan, 1397, "services").set_index("indicator_id")
    assert first["previous_value"].tolist() == [10.0, 12.0]
    # D2_02 was reported blank in 1398 and has no targets
    d2 = template_rows(plan, 1399, "district_2").set_index("indicator_id")
    assert math.isnan(d2.loc["D2_02", "previous_value"]) and math.isnan(d2.loc["D2_02", "target"])


def test_headers_are_report_aliases():
    for column, header in TEMPLATE_HEADERS.items():
        if column == "previous_value":
            continue  # waiting for the reference columns in REPORT_SPEC (see planmon.collect.templates)
        assert canonical_column(header) == column, header
    assert set(REFERENCE_COLUMNS) < set(TEMPLATE_HEADERS)


def test_writes_one_protected_rtl_workbook_per_department(tiny_path: Path, tmp_path: Path):
    paths = write_templates(tiny_path, 1399, out_dir=tmp_path)
    assert paths == [
        tmp_path / "1399" / f"{d}.xlsx" for d in ("services", "district_1", "district_2")
    ]
    book = openpyxl.load_workbook(paths[0])
    assert book.sheetnames == [DATA_SHEET, GUIDE_SHEET]  # the reader reads the first sheet
    sheet = book[DATA_SHEET]
    assert sheet.sheet_view.rightToLeft and sheet.protection.sheet
    headers = [c.value for c in sheet[1]]
    assert headers == list(TEMPLATE_HEADERS.values())
    col = {h: i + 1 for i, h in enumerate(headers)}
    assert [sheet.cell(r, 1).value for r in (2, 3)] == ["SRV01", "SRV02"]
    for r in (2, 3):
        assert sheet.cell(r, col[TEMPLATE_HEADERS["indicator_id"]]).protection.locked
        assert sheet.cell(r, col[TEMPLATE_HEADERS["target"]]).protection.locked
        for name in ("value", "note", "source"):
            assert not sheet.cell(r, col[TEMPLATE_HEADERS[name]]).protection.locked
    assert sheet.cell(2, col[TEMPLATE_HEADERS["target"]]).value == 16
    rules = sheet.data_validations.dataValidation
    # a prompt, not a number-only rule: Persian digits typed as text must be accepted
    (rule,) = rules
    assert rule.type is None and str(rule.sqref) == "H2:H3" and "۱۲٫۵" in rule.prompt
    guide = [row[0] for row in book[GUIDE_SHEET].iter_rows(values_only=True)]
    assert any("services.xlsx" in (line or "") for line in guide)
    assert any((line or "").startswith("7. Send the file back") for line in guide)


def test_template_is_a_report_without_errors(tiny_path: Path, tmp_path: Path):
    (path,) = write_templates(tiny_path, 1399, ["district_1"], out_dir=tmp_path)
    raw = read_report(ReportFile(path, "reports/1399/district_1.xlsx", "1399", "district_1"))
    assert raw.frame["indicator_id"].tolist() == ["D1_01"]
    assert not [p for p in raw.problems if p.severity == "error"]


def test_default_folder_is_reports_templates(tiny_path: Path, tmp_path: Path, monkeypatch):
    monkeypatch.setattr(config, "REPORTS", tmp_path / "reports")
    paths = write_templates(planmon.load(tiny_path), 1400, ["services"])
    assert paths == [tmp_path / "reports" / "templates" / "1400" / "services.xlsx"]
    assert paths[0].is_file()


def test_bad_year_or_department_is_a_parameter_error(tiny_path: Path, tmp_path: Path):
    plan = planmon.load(tiny_path)
    with pytest.raises(ParameterError, match="not a plan year"):
        write_templates(plan, 1405, out_dir=tmp_path)
    with pytest.raises(ParameterError, match="unknown department 'parks'"):
        write_templates(plan, 1399, ["parks"], out_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_hostile_plan_text_stays_literal_in_the_template(tiny_copy: Path, tmp_path: Path):
    depts = tiny_copy / "plan" / "departments.csv"
    depts.write_text(
        depts.read_text(encoding="utf-8").replace("معاونت خدمات شهری", "<script>alert(1)</script>"),
        encoding="utf-8",
    )
    inds = tiny_copy / "plan" / "indicators.csv"
    text = inds.read_text(encoding="utf-8")
    text = text.replace("سهم پسماند بازیافتی", '"=HYPERLINK(""http://evil.example"",""x"")"')
    text = text.replace("Share of recycled waste", "@SUM(A1)").replace("days", "-1+1")
    inds.write_text(text, encoding="utf-8")
    (path,) = write_templates(
        tiny_copy, 1399, ["services"], out_dir=tmp_path, contact="=cmd|' /C calc'!A0"
    )
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    name_fa, name_en, unit = sheet["B2"], sheet["C2"], sheet["D3"]
    for cell in (name_fa, name_en, unit):
        assert cell.data_type != "f" and cell.value.startswith("'")
    assert name_fa.value == '\'=HYPERLINK("http://evil.example","x")'
    assert name_en.value == "'@SUM(A1)" and unit.value == "'-1+1"
    guide = [c.value for (c,) in book[GUIDE_SHEET].iter_rows(max_col=1)]
    assert "حوزه: <script>alert(1)</script> (services)" in guide
    assert all(c.data_type != "f" for (c,) in book[GUIDE_SHEET].iter_rows(max_col=1))


# ------------------------------------------------------------------------ Persian, metadata


def test_units_are_persian_and_the_guide_shows_a_filled_example(tiny_path: Path, tmp_path: Path):
    (path,) = write_templates(tiny_path, 1399, ["district_2"], out_dir=tmp_path)
    book = openpyxl.load_workbook(path)
    sheet = book[DATA_SHEET]
    units = [sheet.cell(r, 4).value for r in (2, 3)]
    # tests/data/tiny: D2_01 «m² per capita», D2_02 «count» → the vocabulary's Persian units
    assert units == ["مترمربع سرانه", "مورد"]
    rows = list(book[GUIDE_SHEET].iter_rows(values_only=True))
    header = rows.index(tuple(TEMPLATE_HEADERS.values()))
    example = dict(zip(TEMPLATE_HEADERS, rows[header + 1], strict=True))
    assert example["value"] == "۱۵٫۵" and example["note"] and example["indicator_id"] == "PRK01"
    # the example's value is a reading the ingest accepts
    assert planmon.core.text.parse_number(example["value"]) == 15.5


def test_templates_carry_hidden_metadata_and_a_manifest(tiny_path: Path, tmp_path: Path):
    from planmon.collect.guard import read_metadata
    from planmon.collect.templates import read_manifest

    paths = write_templates(tiny_path, 1399, ["services", "district_1"], out_dir=tmp_path)
    meta, reason = read_metadata(paths[0])
    assert reason is None
    assert (meta.year, meta.dept_id, meta.template_version) == (1399, "services", 2)
    assert meta.plan_name == "برنامه آزمایشی کوچک"  # tests/data/tiny/plan/plan.csv name_fa
    manifest = read_manifest(tmp_path, 1399)
    assert sorted(manifest) == ["district_1", "services"]
    assert manifest["services"]["template_id"] == meta.template_id
    # writing one more department later keeps the earlier records
    write_templates(tiny_path, 1399, ["district_2"], out_dir=tmp_path)
    assert sorted(read_manifest(tmp_path, 1399)) == ["district_1", "district_2", "services"]


def test_edited_metadata_is_not_trusted(tiny_path: Path, tmp_path: Path):
    from planmon.collect.guard import read_metadata

    (path,) = write_templates(tiny_path, 1399, ["services"], out_dir=tmp_path)
    book = openpyxl.load_workbook(path)
    for prop in book.custom_doc_props.props:
        if prop.name == "planmon_year":
            prop.value = "1400"
    book.save(path)
    assert read_metadata(path) == (None, "edited")
