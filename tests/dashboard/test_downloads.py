"""Tests of planmon.dashboard.downloads: the rows behind every view and the XLSX files."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import openpyxl
import pytest

import planmon
from planmon.dashboard.downloads import (
    DOWNLOAD_FIELDS,
    download_files,
    download_rows,
    write_downloads,
)
from planmon.dashboard.payload import payload_for


@pytest.fixture(scope="module")
def tiny() -> planmon.Plan:
    return planmon.load(Path(__file__).parents[1] / "data" / "tiny", cache=False)


@pytest.fixture(scope="module")
def payload(tiny) -> dict:
    return payload_for(tiny)


def position(payload: dict, indicator_id: str) -> int:
    return [r[0] for r in payload["indicators"]["rows"]].index(indicator_id)


def as_dicts(rows: list[list]) -> list[dict]:
    return [dict(zip(DOWNLOAD_FIELDS, r, strict=True)) for r in rows]


def test_indicator_rows_are_hand_checked(payload):
    rows = as_dicts(download_rows(payload, [position(payload, "SRV01")], [1398, 1397]))
    assert [r["year"] for r in rows] == [1397, 1398]  # years ascending
    first, second = rows
    # tests/data/tiny: SRV01, services, %, increase, baseline 10 (1396); 1397: 11.5 vs 12
    assert first["indicator_id"] == "SRV01" and first["dept_id"] == "services"
    assert first["department_en"] == "Deputy for Urban Services"
    assert first["unit_en"] == "%" and first["direction"] == "increase"
    assert (first["baseline_year"], first["baseline_value"]) == (1396, 10)
    assert (first["value"], first["target"]) == (11.5, 12)
    assert first["achievement_pct"] == 95.83  # 11.5 / 12 = 95.833 %
    assert first["note"] is None and first["caveats"] is None  # blank cells
    assert (second["value"], second["target"]) == (13, 14)
    assert second["achievement_pct"] == 92.86  # 13 / 14 = 92.857 %
    assert second["status"] == "moderate_progress"
    assert second["note"] == "افزایش ظرفیت کارخانه کود آلی"


def test_a_department_year_and_a_whole_year(payload):
    dept = as_dicts(
        download_rows(payload, [position(payload, i) for i in ("D2_01", "D2_02")], [1398])
    )
    assert [(r["indicator_id"], r["value"]) for r in dept] == [("D2_01", 5.9), ("D2_02", None)]
    assert dept[1]["target"] is None and dept[1]["status"] == "not_available"
    everything = download_rows(payload, range(5), [1398])
    assert len(everything) == 5


def test_every_view_has_its_file(payload):
    files = download_files(payload)
    srv01 = position(payload, "SRV01")
    assert files["indicator/SRV01.xlsx"] == ([srv01], [1397, 1398])
    assert files["1398.xlsx"] == ([0, 1, 2, 3, 4], [1398])
    services = [position(payload, "SRV01"), position(payload, "SRV02")]
    assert files["1397/services.xlsx"] == (services, [1397])


def test_xlsx_holds_the_same_rows(payload, tmp_path):
    written = write_downloads(payload, tmp_path)
    assert len(written) == 5 + 2 * 4
    sheet = openpyxl.load_workbook(tmp_path / "indicator" / "SRV01.xlsx").active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert cells[0] == list(DOWNLOAD_FIELDS)
    assert cells[1:] == download_rows(payload, [position(payload, "SRV01")], [1397, 1398])


def test_xlsx_is_formula_safe(tiny, tmp_path):
    # OWASP CSV injection: text beginning with = + - @ (or tab/CR) must never be evaluated.
    hostile = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "\tx", " =1+1"]
    indicators = tiny.indicators.copy()
    indicators["name_en"] = hostile[:5]
    indicators["name_fa"] = hostile[5]
    payload = payload_for(dataclasses.replace(tiny, indicators=indicators))
    write_downloads(payload, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "1398.xlsx")
    col = DOWNLOAD_FIELDS.index("indicator_en") + 1
    got = [book.active.cell(row=r, column=col) for r in range(2, 7)]
    assert [c.value for c in got] == ["'" + h for h in hostile[:5]]
    assert all(c.data_type == "s" for c in got)  # strings, not formulas
    fa = book.active.cell(row=2, column=DOWNLOAD_FIELDS.index("indicator_fa") + 1)
    assert fa.value == "' =1+1"
    # numbers stay numbers, a negative one included
    score = book.active.cell(row=5, column=DOWNLOAD_FIELDS.index("score") + 1)
    assert isinstance(score.value, float) and score.value < 0
