"""A new plan (planmon.collect.blank, `planmon init`): the blank workbook validates as an empty
plan with a clear message, and the same workbook filled in round-trips."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import planmon
from planmon.collect.blank import PLAN_GUIDE_SHEET, TABLE_COLUMNS, header, init_plan, sheet_name
from planmon.core.exceptions import ParameterError
from planmon.core.schema import canonical_column, canonical_table
from tests.collect.filling import fill_plan


def test_init_writes_a_plan_folder(tmp_path: Path):
    made = init_plan(tmp_path / "plan", first_year=1400, horizon_year=1404, name_fa="برنامه")
    assert sorted(p.name for p in made.folder.iterdir()) == ["README.md", "plan.xlsx", "reports"]
    assert list((made.folder / "reports").iterdir()) == []
    assert "planmon validate" in (made.folder / "README.md").read_text(encoding="utf-8")
    # nothing else was left beside it (the folder is assembled under a temporary name)
    assert [p.name for p in tmp_path.iterdir()] == ["plan"]


def test_blank_workbook_has_bilingual_headers_lists_and_a_guide(tmp_path: Path):
    made = init_plan(tmp_path / "plan", first_year=1400)
    book = openpyxl.load_workbook(made.workbook)
    tables = [sheet_name(t) for t in ("plan", *TABLE_COLUMNS)]
    assert book.sheetnames == [*tables, PLAN_GUIDE_SHEET]
    for table, columns in TABLE_COLUMNS.items():
        sheet = book[sheet_name(table)]
        assert canonical_table(sheet.title) == table
        headers = [c.value for c in sheet[1]]
        assert headers == [header(c) for c in columns]
        assert [canonical_column(h) for h in headers] == list(columns)
        assert sheet.freeze_panes == "A2" and sheet.sheet_view.rightToLeft
    assert header("dept_id") == "شناسه حوزه (dept_id)"
    rules = {
        str(rule.sqref).split(":")[0]: rule
        for rule in book[sheet_name("indicators")].data_validations.dataValidation
    }
    direction = rules["G2"]  # indicators: G = direction
    assert direction.type == "list" and "افزایشی" in direction.formula1
    assert "increase" in direction.formula1
    assert rules["B2"].formula1 == "'حوزه‌ها (departments)'!$A$2:$A$5001"  # dept_id
    level = rules["M2"]
    assert "پیامد" in level.formula1 and "outcome" in level.formula1
    kinds = book[sheet_name("departments")].data_validations.dataValidation
    assert any("معاونت" in (r.formula1 or "") for r in kinds)
    guide = [row for row in book[PLAN_GUIDE_SHEET].iter_rows(values_only=True)]
    example = guide.index(tuple(header(c) for c in TABLE_COLUMNS["indicators"])) + 1
    assert guide[example][0] == "PRK01" and guide[example][6] == "افزایشی"
    assert any("How to fill in" in (row[0] or "") for row in guide)


def test_empty_plan_validates_with_a_no_indicators_message(tmp_path: Path):
    made = init_plan(tmp_path / "plan", first_year=1400, horizon_year=1404)
    plan = planmon.load(made.folder, cache=False)
    assert plan.meta["first_year"] == 1400 and plan.horizon_year == 1404
    assert plan.baseline_year == 1399 and plan.meta["calendar"] == "jalali"
    assert len(plan.meta["plan_id"]) == 32
    (warning,) = plan.warnings
    assert warning.message.startswith("no indicators yet")


def test_filled_plan_round_trips(tmp_path: Path):
    made = init_plan(tmp_path / "plan", first_year=1400, horizon_year=1401)
    fill_plan(made.workbook)
    plan = planmon.load(made.folder, cache=False)
    assert plan.dept_ids == ["services", "parks", "fire"]
    assert plan.kinds() == {"services": "deputy", "parks": "organization", "fire": "organization"}
    inds = plan.indicators.set_index("indicator_id")
    # «افزایشی» and «increase» from the drop-down list both mean increase
    assert inds["direction"].to_dict() == {
        "PRK01": "increase",
        "PRK02": "increase",
        "FIR01": "decrease",
    }
    assert inds.loc["PRK02", "baseline_value"] == 28500
    # «۶٫۲» typed with Persian digits (tests/collect/filling.py)
    assert plan.targets_of("FIR01")["target"].tolist() == [6.5, 6.2]
    assert plan.meta["name_en"] == "A test plan"
    assert plan.warnings == []


def test_init_refuses_a_non_empty_folder(tmp_path: Path):
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "notes.txt").write_text("mine")
    with pytest.raises(ParameterError, match="is not empty"):
        init_plan(tmp_path / "plan")
    assert [p.name for p in (tmp_path / "plan").iterdir()] == ["notes.txt"]
    init_plan(tmp_path / "empty_ok")  # an empty or new folder is fine


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"calendar": "lunar"}, "jalali or gregorian"),
        ({"first_year": 2024}, "not a jalali year"),
        ({"calendar": "gregorian", "first_year": 1400}, "not a gregorian year"),
        ({"first_year": 1402, "horizon_year": 1400}, "before the first year"),
    ],
)
def test_init_refuses_contradictory_years(tmp_path: Path, options, message):
    with pytest.raises(ParameterError, match=message):
        init_plan(tmp_path / "plan", **options)
    assert not (tmp_path / "plan").exists()


def test_gregorian_plan(tmp_path: Path):
    made = init_plan(tmp_path / "plan", calendar="gregorian", first_year=2025)
    plan = planmon.load(made.folder, cache=False)
    assert (plan.meta["calendar"], plan.plan_years) == ("gregorian", [2025, 2026, 2027, 2028, 2029])
