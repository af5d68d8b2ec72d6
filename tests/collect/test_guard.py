"""The ingest guard (planmon.collect.guard): a returned template for another year, department
or plan is refused unless forced; the refusal tells a command-line user which option to use."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import planmon
from planmon.cli.app import app
from planmon.collect.guard import IngestRefused, plan_identity
from planmon.collect.ingest import ingest
from planmon.collect.templates import write_templates
from planmon.io.excel import excel_workbook, write_sheet
from planmon.io.plan_files import discover
from tests.collect.test_ingest import fill, tree_digest


@pytest.fixture
def returned_1400(tiny_path: Path, tmp_path: Path) -> Path:
    (path,) = write_templates(tiny_path, 1400, ["services"], out_dir=tmp_path / "returned")
    return fill(path, {"SRV01": 17.0, "SRV02": 8.5})


def test_a_return_for_another_year_is_refused(returned_1400: Path, tiny_copy: Path):
    before = tree_digest(tiny_copy)
    with pytest.raises(IngestRefused, match="template for 1400, not 1401") as info:
        ingest([returned_1400], 1401, tiny_copy)
    assert "--force-year" in info.value.cli_message()
    assert tree_digest(tiny_copy) == before
    assert not (tiny_copy / "reports" / "1401").exists()


def test_the_cli_refuses_the_wrong_year_and_names_the_option(returned_1400, tiny_copy):
    result = CliRunner().invoke(
        app,
        ["ingest", str(returned_1400), "--year", "1401", "--plan", str(tiny_copy)],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 1
    assert "template for 1400, not 1401" in result.output and "--force-year" in result.output
    assert "force_year=True" not in result.output
    result = CliRunner().invoke(
        app,
        ["ingest", str(returned_1400), "--year", "1401", "--plan", str(tiny_copy), "--force-year"],
    )
    assert result.exit_code == 0, result.output
    assert (tiny_copy / "reports" / "1401" / "services.xlsx").is_file()


def test_a_template_of_another_plan_is_refused(returned_1400: Path, tiny_copy: Path):
    settings = tiny_copy / "plan" / "plan.csv"
    text = settings.read_text(encoding="utf-8").replace("برنامه آزمایشی کوچک", "برنامه دیگر")
    settings.write_text(text, encoding="utf-8")
    with pytest.raises(IngestRefused, match="written for another plan") as info:
        ingest([returned_1400], 1400, tiny_copy)
    assert "--force-plan" in info.value.cli_message()
    result = ingest([returned_1400], 1400, tiny_copy, force=["force_plan"])
    assert result.counts["new"] == 2


def test_plan_id_setting_is_the_identity(tiny_copy: Path):
    derived = plan_identity(discover(tiny_copy))
    assert derived.plan_id.startswith("derived-") and derived.name == "برنامه آزمایشی کوچک"
    # the same plan elsewhere (another folder name) is the same plan
    copy = tiny_copy.parent / "elsewhere"
    shutil.copytree(tiny_copy, copy)
    assert plan_identity(discover(copy)) == derived
    settings = tiny_copy / "plan" / "plan.csv"
    settings.write_text(settings.read_text(encoding="utf-8") + "plan_id,abc123\n", "utf-8")
    assert plan_identity(discover(tiny_copy)).plan_id == "abc123"
    assert planmon.load(tiny_copy, cache=False).meta["plan_id"] == "abc123"  # a known setting


def test_a_workbook_without_template_facts_is_accepted_with_a_warning(
    tiny_copy: Path, tmp_path: Path
):
    handmade = tmp_path / "services.xlsx"
    with excel_workbook(handmade) as book:
        write_sheet(book, "report", ["indicator_id", "value"], [["SRV01", 17], ["SRV02", 8.5]])
    result = ingest([handmade], 1400, tiny_copy)
    assert result.counts["new"] == 2
    (warning,) = [w for w in result.warnings if w.file == str(handmade)]
    assert "not written by `planmon template`" in warning.message


def test_many_missing_departments_are_one_warning(tiny_path: Path, tiny_copy: Path, tmp_path):
    (path,) = write_templates(tiny_path, 1400, ["services"], out_dir=tmp_path)
    fill(path, {"SRV01": 17.0, "SRV02": 8.5})
    result = ingest([path], 1400, tiny_copy)
    missing = [
        w for w in result.warnings if "not reported" in w.message or "no report" in w.message
    ]
    assert [w.message for w in missing] == [
        "2 departments have not reported for 1400 yet (district_1, district_2); "
        "`planmon status --year 1400` lists them"
    ]
