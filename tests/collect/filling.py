"""Filling workbooks as people do: a new plan's tables typed in, a returned template."""

from __future__ import annotations

from pathlib import Path

import openpyxl

from planmon.collect.blank import sheet_name

#: A small plan typed into a new plan.xlsx (rows in the column order of TABLE_COLUMNS).
PLAN_ROWS = {
    "departments": [
        ["services", "معاونت", "معاونت خدمات شهری", "Deputy for Urban Services", None],
        ["parks", "سازمان", "سازمان پارک‌ها", "Parks Organization", "services"],
        ["fire", "سازمان", "سازمان آتش‌نشانی", "Fire Service", "services"],
    ],
    "goals": [
        ["G1", "شهر سبز", "A green city", None, None, 1],
        ["G1_1", "فضای سبز بیشتر", "More green space", "G1", "parks", 1],
    ],
    "indicators": [
        ["PRK01", "parks", "G1_1", "سرانه فضای سبز", "Green space per capita",
         "m² per capita", "افزایشی", 1399, 12.4, None, 2, None, "پیامد"],
        ["PRK02", "parks", "G1_1", "درختان کاشته‌شده", "Trees planted", "count",
         "increase", 1399, 28500, None, 1, None, "output"],
        ["FIR01", "fire", "G1_1", "زمان رسیدن", "Response time", "minutes", "کاهشی",
         1399, 6.8, None, 1, None, None],
    ],
    "targets": [
        ["PRK01", 1400, 12.8], ["PRK01", 1401, 13.2], ["PRK02", 1400, 30000],
        ["PRK02", 1401, 31000], ["FIR01", 1400, 6.5], ["FIR01", 1401, "۶٫۲"],
    ],
}  # fmt: skip


def fill_plan(workbook: Path, rows: dict[str, list[list[object]]] = PLAN_ROWS) -> Path:
    """Type ``rows`` into the tables of a plan.xlsx written by ``planmon init``."""
    book = openpyxl.load_workbook(workbook)
    for table, table_rows in rows.items():
        sheet = book[sheet_name(table)]
        for r, row in enumerate(table_rows, start=2):
            for c, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(r, c).value = value
    settings = book[sheet_name("plan")]
    for r in range(2, settings.max_row + 1):
        if settings.cell(r, 1).value == "name_en":
            settings.cell(r, 2).value = "A test plan"
    book.save(workbook)
    return workbook
