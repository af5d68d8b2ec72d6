"""The collection board (planmon.collect.status, `planmon status`): templates written, returns
valid or not, missing and late departments."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.cli.app import app
from planmon.collect.ingest import ingest
from planmon.collect.status import collection_status, due_date
from planmon.collect.templates import write_templates
from planmon.core.exceptions import InputFileError
from tests.collect.test_ingest import fill


@pytest.fixture
def collecting(tiny_path: Path, tiny_copy: Path, tmp_path: Path) -> Path:
    """1399 under way: templates for all three, services returned and ingested, district_2
    returned with an error (copied into the plan by hand), district_1 not returned."""
    templates = tmp_path / "templates"
    paths = write_templates(tiny_path, 1399, out_dir=templates)
    ingest([fill(paths[0], {"SRV01": 15.5, "SRV02": None})], 1399, tiny_copy)
    bad = fill(paths[2], {"D2_01": "هفت", "D2_02": 700})
    (tiny_copy / "reports/1399/district_2.xlsx").write_bytes(bad.read_bytes())
    return templates


def test_status_names_the_missing_and_the_invalid(collecting: Path, tiny_copy: Path):
    board = collection_status(tiny_copy, 1399, templates_dir=collecting)
    assert board.missing == ["district_1"]
    by = {d.dept_id: d for d in board.departments}
    assert [by[d].state for d in ("services", "district_1", "district_2")] == [
        "valid",
        "missing",
        "errors",
    ]
    services = by["services"]
    assert services.returned == "reports/1399/services.xlsx"
    report = (tiny_copy / services.returned).read_bytes()
    assert services.sha256 == hashlib.sha256(report).hexdigest()
    # SRV02 was left blank: one of two values filled (and a data-gap warning… none: blank is a
    # reported gap, not a missing row)
    assert (services.values_filled, services.indicators) == (1, 2)
    assert services.template and services.template_written and services.last_change
    assert (
        by["district_2"].errors == 1
        and "is not a number (هفت seen)" in by["district_2"].problems[0]
    )
    assert by["district_2"].values_filled == 1
    assert all(not d.late for d in board.departments)  # no deadline in the tiny plan


def test_deadline_marks_late_departments(collecting: Path, tiny_copy: Path):
    from persiantools.jdatetime import JalaliDate

    due = JalaliDate.today() + dt.timedelta(days=10)  # services returned today: in time
    settings = tiny_copy / "plan" / "plan.csv"
    text = settings.read_text(encoding="utf-8") + f"deadline,{due.isoformat()}\n"
    settings.write_text(text, encoding="utf-8")
    gregorian = due.to_gregorian()
    before = collection_status(tiny_copy, 1399, templates_dir=collecting, today=gregorian)
    assert before.deadline == due.isoformat() and before.late == []
    after = collection_status(
        tiny_copy, 1399, templates_dir=collecting, today=gregorian + dt.timedelta(days=1)
    )
    assert after.late == ["district_1"]  # missing after the deadline; the others came in time


def test_deadline_forms():
    assert due_date("03-31", 1399, "jalali") == (1400, 3, 31)
    assert due_date("1400/04/15", 1399, "jalali") == (1400, 4, 15)
    assert due_date(None, 1399, "jalali") is None
    with pytest.raises(InputFileError, match="is not a date"):
        due_date("next spring", 1399, "jalali")
    with pytest.raises(InputFileError, match="not a valid date"):
        due_date("2024-02-30", 2023, "gregorian")


def test_status_command_and_json(collecting: Path, tiny_copy: Path):
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["status", str(tiny_copy), "--year", "1399", "--templates", str(collecting)],
        env={"COLUMNS": "250"},
    )
    assert result.exit_code == 0, result.output
    assert "1 of 3 departments have not reported yet: district_1" in result.output
    result = runner.invoke(
        app,
        ["status", str(tiny_copy), "--year", "1399", "--templates", str(collecting), "--json"],
    )
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["missing"] == ["district_1"] and len(data["departments"]) == 3


def test_status_of_a_year_nobody_reported(tiny_copy: Path, tmp_path: Path):
    board = collection_status(tiny_copy, 1400, templates_dir=tmp_path)
    assert board.missing == ["services", "district_1", "district_2"]
    assert list(board.frame["state"]) == ["missing"] * 3
