"""Guarded reading of Excel workbooks (planmon.io.workbook_guard, planmon.io.sheet_scan,
planmon.io.read): every workbook is read right or refused with a located message, and
python-calamine never sees one that could abort the process.

The workbooks are built here with openpyxl / xlsxwriter (or edited with zipfile): a few kB each.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

import planmon
from planmon.core.exceptions import InputFileError
from planmon.io import limits, sheet_scan
from planmon.io.plan_files import ReportFile, read_report
from planmon.io.workbook_guard import open_workbook

REPORT = "reports/1398/services.xlsx"
GIB = 1 << 30


def _report_path(plan: Path) -> Path:
    (plan / "reports" / "1398" / "services.csv").unlink()
    return plan / REPORT


def _xlsxwriter_report(path: Path, far: tuple[int, int] | None = None, value: bool = True) -> None:
    """The tiny plan's 1398 services report, optionally with one far cell (row, col from 0)."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value", "note"])
    sheet.write_row(1, 0, ["SRV01", 13])
    sheet.write_row(2, 0, ["SRV02", 10.5])
    if far is not None:
        if value:
            sheet.write_string(*far, "x")
        else:
            sheet.write_blank(*far, None, book.add_format({"bold": True}))
    book.close()


def _openpyxl_report(path: Path, edit=None) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "report"
    for row in (["indicator_id", "value", "note"], ["SRV01", 13], ["SRV02", 10.5]):
        sheet.append(row)
    if edit:
        edit(book, sheet)
    book.save(path)


def _errors(plan: Path) -> list[str]:
    errors, _ = planmon.check(plan)
    return [str(e) for e in errors]


def _warnings(plan: Path) -> list[str]:
    errors, warnings = planmon.check(plan)
    assert errors == [], errors
    return [str(w) for w in warnings]


# Runs the command line in this process and, on the way out, notes the peak memory of the
# process as the kernel counts it for the running program (VmHWM: reset by exec, unlike
# ru_maxrss, which would include the test process's own memory inherited at fork).
_MEASURED = """
import runpy, sys
out, sys.argv = sys.argv[1], ["planmon", *sys.argv[2:]]
try:
    runpy.run_module("planmon.cli.app", run_name="__main__")
finally:
    with open("/proc/self/status") as status:
        peak = next(line.split()[1] for line in status if line.startswith("VmHWM"))
    with open(out, "w") as handle:
        handle.write(peak)
"""


def _run_measured(args: list[str], tmp_path: Path) -> tuple[int, str, int]:
    """Run ``planmon ARGS``; return its exit code, its stderr and its peak memory (bytes)."""
    peak = tmp_path / "peak.txt"
    proc = subprocess.run(
        [sys.executable, "-c", _MEASURED, str(peak), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    return proc.returncode, proc.stderr, int(peak.read_text()) * 1024


def test_a_value_in_the_last_cell_is_refused_in_a_bounded_process(tiny_copy: Path, tmp_path):
    # One value at XFD1048576 made calamine allocate 512 GiB and abort (exit 134, no message).
    # The real command must refuse the file, located, exit 1, well under 1 GiB of memory.
    path = _report_path(tiny_copy)
    _xlsxwriter_report(path, far=(1048575, 16383))
    assert path.stat().st_size < 10_000
    code, stderr, peak = _run_measured(["validate", str(tiny_copy)], tmp_path)
    assert code == 1, stderr
    assert peak < GIB / 2, f"peak memory {peak / 2**20:.0f} MiB"
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert (
        f"{REPORT}: the sheet's used range reaches XFD1048576 (it declares its range as "
        "A1:XFD1048576): 1,048,576 rows × 16,384 columns, more than the 2,000,000 cells planmon "
        "reads; delete the cells outside the table (around XFD1048576) or copy the table to a "
        "new sheet, and save again"
    ) in " ".join(stderr.split())


def test_a_far_value_at_xfd3000_is_refused(tiny_copy: Path):
    _xlsxwriter_report(_report_path(tiny_copy), far=(2999, 16383))
    assert any("used range reaches XFD3000" in e for e in _errors(tiny_copy))


def test_a_far_formatted_cell_without_value_is_read_as_the_used_range(tiny_copy: Path):
    # real workbooks carry formatted, empty far cells; the table is read as it is
    _xlsxwriter_report(_report_path(tiny_copy), far=(1048575, 16383), value=False)
    plan = planmon.load(tiny_copy, cache=False)
    values = plan.actuals.query("year == 1398 and dept_id == 'services'")["value"].tolist()
    assert values == [13.0, 10.5]


def test_a_far_value_is_refused_in_any_xml_layout(tiny_copy: Path):
    # single quotes and a namespace prefix take the exact (expat) scanner: still refused
    path = _report_path(tiny_copy)
    _xlsxwriter_report(path, far=(1048575, 16383))
    _edit_sheet(path, lambda xml: xml.replace(b'<c r="XFD1048576"', b"<c r='XFD1048576'"))
    assert any("used range reaches XFD1048576" in e for e in _errors(tiny_copy))
    _edit_sheet(path, _prefix_cells)
    assert any("used range reaches XFD1048576" in e for e in _errors(tiny_copy))


def _edit_sheet(path: Path, edit) -> None:
    """Rewrite the first sheet's XML of a workbook with ``edit(bytes) -> bytes``."""
    with zipfile.ZipFile(path) as book:
        parts = {info.filename: book.read(info) for info in book.infolist()}
    parts["xl/worksheets/sheet1.xml"] = edit(parts["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        for name, data in parts.items():
            book.writestr(name, data)


def _prefix_cells(xml: bytes) -> bytes:
    xml = xml.replace(b"<worksheet xmlns=", b"<x:worksheet xmlns:x=").replace(
        b"</worksheet>", b"</x:worksheet>"
    )
    return re.sub(rb"<(/?)(sheetData|row|c|v|is|t|dimension|sheetViews|sheetView|"
                  rb"sheetFormatPr|pageMargins)([ >/])", rb"<\1x:\2\3", xml)  # fmt: skip


def test_the_exact_scanner_gives_the_fast_scanners_answer(tmp_path: Path):
    path = tmp_path / "r.xlsx"
    _openpyxl_report(path, lambda book, sheet: sheet.cell(40, 7, "far"))
    book, entries = open_workbook(path, "r.xlsx")
    with book:
        xml = book.read(entries[0].part)
    fast = sheet_scan.scan_fast([xml])
    exact = sheet_scan.scan_exact([xml[i : i + 97] for i in range(0, len(xml), 97)])
    assert (fast.cells, fast.max_row, fast.max_col) == (exact.cells, exact.max_row, exact.max_col)
    assert (fast.max_row, fast.max_col) == (40, 7)


def test_error_cells_and_formulas_without_a_value_are_located_errors(tiny_copy: Path):
    def edit(book, sheet):
        sheet["B2"] = "#DIV/0!"  # openpyxl stores this as an error cell
        sheet["B3"] = "=B2*2"  # a formula openpyxl saves without a value

    _openpyxl_report(_report_path(tiny_copy), edit)
    errors = _errors(tiny_copy)
    assert (
        f"{REPORT}:2:value: the cell holds the Excel error #DIV/0! (from a formula); fix the "
        "formula or type the value"
    ) in errors
    assert (
        f"{REPORT}:3:value: the formula =B2*2 was saved without its value (the program that "
        "wrote the file does not calculate); open and save the file in Excel, or type the value"
    ) in errors


def test_a_formula_with_its_saved_value_is_read(tiny_copy: Path):
    path = _report_path(tiny_copy)
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("report")
    sheet.write_row(0, 0, ["indicator_id", "value"])
    sheet.write_row(1, 0, ["SRV01"])
    sheet.write_formula(1, 1, "=6.5*2", None, 13)  # the value Excel would have saved
    book.close()
    plan = planmon.load(tiny_copy, cache=False)
    assert plan.actuals.query("indicator_id == 'SRV01' and year == 1398")["value"].item() == 13


def test_merged_value_cells_are_an_error_at_their_first_cell(tiny_copy: Path):
    def edit(book, sheet):
        sheet.merge_cells("B2:B3")

    _openpyxl_report(_report_path(tiny_copy), edit)
    assert (
        f"{REPORT}:2:value: cells B2:B3 are merged over 2 rows, so only the first row has a "
        "value; unmerge them and fill the value in every row"
    ) in _errors(tiny_copy)


def test_a_hidden_first_sheet_is_not_read_and_said_so(tiny_copy: Path):
    def edit(book, sheet):
        stale = book.create_sheet("old", 0)
        stale.append(["indicator_id", "value"])
        stale.append(["SRV01", 999])
        stale.sheet_state = "hidden"

    _openpyxl_report(_report_path(tiny_copy), edit)
    warnings = _warnings(tiny_copy)
    assert (
        f"{REPORT}: sheet 'old' is hidden and was not read; the first visible sheet 'report' "
        "is the report"
    ) in warnings
    plan = planmon.load(tiny_copy, cache=False)
    assert plan.actuals.query("indicator_id == 'SRV01' and year == 1398")["value"].item() == 13


def _ole(tmp_path: Path, streams: list[str]) -> Path:
    """A compound (OLE) file's first bytes and directory names: enough for the check."""
    path = tmp_path / "book.xlsx"
    names = b"".join(name.encode("utf-16-le") + b"\0\0" for name in streams)
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + names)
    return path


def test_an_encrypted_workbook_is_called_encrypted(tmp_path: Path):
    # Excel saves a password-protected .xlsx as a compound file holding EncryptionInfo and
    # EncryptedPackage streams ([MS-OFFCRYPTO] 2.3.4)
    path = _ole(tmp_path, ["EncryptionInfo", "EncryptedPackage"])
    with pytest.raises(InputFileError) as info:
        read_report(ReportFile(path, REPORT, "1398", "services"))
    assert str(info.value) == (
        f"{REPORT}: the workbook is encrypted (protected by a password to open); save it in "
        "Excel without the password (File › Info › Protect Workbook)"
    )


def test_an_old_xls_workbook_is_named_as_such(tmp_path: Path):
    path = _ole(tmp_path, ["Workbook", "SummaryInformation"])
    with pytest.raises(InputFileError, match=r"is an Excel 97–2003 workbook \(\.xls\)"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path):
    path = tmp_path / "bomb.xlsx"
    _xlsxwriter_report(path)
    # 64 MiB of spaces inside the sheet pack into ~64 kB: ratio ~1,000
    _edit_sheet(path, lambda xml: xml.replace(b"<sheetData>", b" " * (64 << 20) + b"<sheetData>"))
    assert path.stat().st_size < 200_000
    with pytest.raises(InputFileError, match=r"unpacks to [\d,]+ times its packed size"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_a_workbook_unpacking_beyond_the_limit_is_refused(tmp_path: Path, monkeypatch):
    path = tmp_path / "big.xlsx"
    _xlsxwriter_report(path)
    monkeypatch.setattr("planmon.io.workbook_guard.MAX_UNCOMPRESSED_BYTES", 1000)
    with pytest.raises(InputFileError, match="the workbook unpacks to .* more than the"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_the_cell_count_is_capped(tmp_path: Path, monkeypatch):
    path = tmp_path / "many.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("report")
    for row in range(50):
        sheet.write_row(row, 0, [row, row])
    book.close()
    monkeypatch.setattr(sheet_scan, "MAX_CELL_ELEMENTS", 60)
    with pytest.raises(InputFileError, match="the sheet has more than 60 cells"):
        read_report(ReportFile(path, REPORT, "1398", "services"))
    monkeypatch.setattr(sheet_scan, "MAX_CELL_ELEMENTS", 10_000)
    monkeypatch.setattr(sheet_scan, "MAX_CELLS", 90)
    with pytest.raises(InputFileError, match=r"used range reaches B\d\d"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_a_damaged_sheet_is_damaged_not_a_crash(tmp_path: Path):
    path = tmp_path / "cut.xlsx"
    _xlsxwriter_report(path)
    _edit_sheet(path, lambda xml: xml[: len(xml) // 2])
    with pytest.raises(InputFileError, match="the workbook is damaged and cannot be read"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_two_sheets_for_one_plan_table_are_an_error_and_hidden_ones_a_warning(tmp_path: Path):
    from planmon.io.read import sheet_tables

    path = tmp_path / "plan.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "indicators"
    book.create_sheet("شاخص‌ها")
    book.create_sheet("targets").sheet_state = "hidden"
    book.save(path)
    tables, problems = sheet_tables(path, "plan.xlsx")
    assert list(tables) == ["indicators"]
    assert [str(p) for p in problems] == [
        "plan.xlsx[شاخص‌ها]: a second indicators table (sheet 'indicators' is one already); "
        "keep one sheet per table",
        "plan.xlsx[targets]: the sheet is hidden and was not read; unhide it if it holds the "
        "targets table",
    ]


def test_limits_are_the_documented_ones():
    # docs/data-contract.md states these figures; change both together
    assert limits.MAX_INPUT_BYTES == 50 * 2**20
    assert limits.MAX_CELLS == 2_000_000
    assert (limits.MAX_NAME_CHARS, limits.MAX_NOTE_CHARS) == (500, 2_000)


def test_a_sheet_of_endless_empty_rows_is_refused_in_both_scanners(tmp_path: Path, monkeypatch):
    path = tmp_path / "rows.xlsx"
    _xlsxwriter_report(path)
    rows = b"".join(b'<row r="%d"/>' % r for r in range(10, 400))
    _edit_sheet(path, lambda xml: xml.replace(b"</sheetData>", rows + b"</sheetData>"))
    monkeypatch.setattr(sheet_scan, "MAX_ROWS", 100)
    with pytest.raises(InputFileError, match="the sheet has more than 100 rows"):
        read_report(ReportFile(path, REPORT, "1398", "services"))
    _edit_sheet(path, lambda xml: xml.replace(b"<row ", b"<row\t"))  # the exact scanner's layout
    with pytest.raises(InputFileError, match="the sheet has more than 100 rows"):
        read_report(ReportFile(path, REPORT, "1398", "services"))


def test_a_formula_whose_saved_result_is_empty_text_is_a_blank_not_an_error(tmp_path: Path):
    # Excel saves =IF(A2="","",A2) with an empty result as <c t="str"><f>…</f><v></v></c>
    path = tmp_path / "r.xlsx"
    _xlsxwriter_report(path)
    cell = b'<c r="C2" t="str"><f>IF(A2="","",A2)</f><v></v></c>'
    row2 = b"<v>13</v></c></row>"  # B2, the last cell of row 2
    _edit_sheet(path, lambda xml: xml.replace(row2, row2[:-6] + cell + b"</row>"))
    book, entries = open_workbook(path, "r.xlsx")
    with book:
        xml = book.read(entries[0].part)
    assert cell in xml
    for scan in (sheet_scan.scan_fast, sheet_scan.scan_exact):
        found = scan([xml])
        assert (found.notes, found.max_col) == ([], 3)
