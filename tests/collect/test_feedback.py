"""Feedback workbooks (planmon.collect.feedback, `planmon check-return`): every bad cell of a
returned workbook is marked and explained in Persian and English, with the fix."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from planmon.cli.app import app
from planmon.collect.explain import column_letter, hint
from planmon.collect.feedback import SUMMARY_SHEET, check_returns
from planmon.collect.ingest import ingest
from planmon.collect.templates import DATA_SHEET, write_templates
from planmon.core.exceptions import PlanValidationError
from tests.collect.test_ingest import fill, tree_digest


@pytest.fixture
def bad_returns(tiny_path: Path, tmp_path: Path) -> list[Path]:
    """district_2 with a slash decimal and a unit typed into a value; services with a comma
    decimal and a number typed in the note instead of the value."""
    paths = write_templates(tiny_path, 1399, ["services", "district_2"], out_dir=tmp_path / "r")
    services, district_2 = paths
    fill(services, {"SRV01": "15,5", "SRV02": None}, {"SRV02": "۹٫۵"})
    fill(district_2, {"D2_01": "۷/۵", "D2_02": "۷۰۰ اصله"})
    return paths


def _comments(path: Path) -> dict[str, str]:
    sheet = openpyxl.load_workbook(path)[DATA_SHEET]
    return {c.coordinate: c.comment.text for row in sheet.iter_rows() for c in row if c.comment}


def test_every_bad_cell_gets_a_comment_with_the_fix(bad_returns, tiny_copy, tmp_path):
    before = tree_digest(tiny_copy)
    checks = check_returns(bad_returns, 1399, tiny_copy, tmp_path / "feedback")
    assert tree_digest(tiny_copy) == before  # checking never writes into the plan
    services, district_2 = checks
    assert services.source == str(bad_returns[0]) and services.feedback is not None
    assert district_2.feedback == tmp_path / "feedback" / "district_2.xlsx"
    # district_2: H2 «۷/۵» (slash), H3 «۷۰۰ اصله» (a unit in the value cell)
    notes = _comments(district_2.feedback)
    assert "«/»: ۷٫۵" in notes["H2"] and "not a slash: ۷٫۵" in notes["H2"]
    assert "ستون «توضیحات»" in notes["H3"] and "put a unit or remark in the note" in notes["H3"]
    # services: H2 «15,5» (comma decimal), I3 a number in the note while the value is empty
    notes = _comments(services.feedback)
    assert "a comma separates thousands" in notes["H2"] and "15٫5" in notes["H2"]
    assert "the note holds a number (۹٫۵)" in notes["I3"]
    assert [e.cell for e in services.errors] == ["H2"] and [e.cell for e in services.warnings] == [
        "I3"
    ]
    sheet = openpyxl.load_workbook(services.feedback)[DATA_SHEET]
    assert sheet["H2"].fill.fgColor.rgb == "FFF4B6B6"  # error: red
    assert sheet["I3"].fill.fgColor.rgb == "FFFFE699"  # warning: yellow


def test_feedback_keeps_the_data_sheet_first_and_adds_a_summary(bad_returns, tiny_copy, tmp_path):
    (check, _) = check_returns(bad_returns, 1399, tiny_copy, tmp_path)
    book = openpyxl.load_workbook(check.feedback)
    assert book.sheetnames[0] == DATA_SHEET and book.sheetnames[-1] == SUMMARY_SHEET
    rows = list(book[SUMMARY_SHEET].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["H2", "I3"]
    assert rows[1][4].startswith("عدد نیست («15,5» نوشته شده)")
    assert rows[1][5].startswith("is not a number (15,5 seen)")
    # the copy keeps its hidden template facts: once fixed it can be returned as it is
    assert any(p.name == "planmon_year" for p in book.custom_doc_props.props)


def test_a_clean_return_gets_no_feedback(tiny_path: Path, tiny_copy: Path, tmp_path: Path):
    (path,) = write_templates(tiny_path, 1399, ["district_1"], out_dir=tmp_path / "r")
    fill(path, {"D1_01": 9.4})
    (check,) = check_returns([path], 1399, tiny_copy, tmp_path / "feedback")
    assert check.problems == [] and check.feedback is None
    assert not (tmp_path / "feedback").exists()


def test_a_wrong_year_is_in_the_feedback_too(bad_returns, tiny_copy, tmp_path):
    checks = check_returns(bad_returns[:1], 1400, tiny_copy, tmp_path)
    messages = [e.en for e in checks[0].errors]
    assert any("template for 1399, not 1400" in m and "--force-year" in m for m in messages)


def test_ingest_on_failure_writes_feedback_and_names_the_passed_file(
    bad_returns, tiny_copy, tmp_path
):
    with pytest.raises(PlanValidationError) as info:
        ingest(bad_returns, 1399, tiny_copy, feedback_dir=tmp_path / "fb")
    assert info.value.feedback == [tmp_path / "fb/services.xlsx", tmp_path / "fb/district_2.xlsx"]
    files = {p.file for p in info.value.problems}
    assert files == {str(p) for p in bad_returns}  # not reports/1399/…
    assert "cell H2:" in str(info.value.problems[0])


def test_a_csv_return_gets_a_workbook_copy(tiny_copy: Path, tmp_path: Path):
    returned = tmp_path / "district_1.csv"
    returned.write_text("indicator_id,value\nD1_01,۹/۴\n", encoding="utf-8")
    (check,) = check_returns([returned], 1399, tiny_copy, tmp_path / "fb")
    sheet = openpyxl.load_workbook(check.feedback).worksheets[0]
    assert sheet["B2"].value == "۹/۴" and "۹٫۴" in sheet["B2"].comment.text


def test_check_return_command(bad_returns, tiny_copy, tmp_path):
    result = CliRunner().invoke(
        app,
        [
            "check-return",
            *map(str, bad_returns),
            "--year",
            "1399",
            "--plan",
            str(tiny_copy),
            "--out",
            str(tmp_path / "fb"),
        ],
        env={"COLUMNS": "300"},
    )
    assert result.exit_code == 1
    assert f"{bad_returns[1]}:2:مقدار محقق شده: cell H2: is not a number (۷/۵ seen)" in (
        result.output
    )
    assert f"feedback: {tmp_path / 'fb' / 'district_2.xlsx'}" in result.output


@pytest.mark.parametrize(
    ("seen", "part"),
    [
        ("۱۲/۵", "not a slash: ۱۲٫۵"),
        ("12 / 5", "not a slash: 12٫5"),
        ("12,5", "a comma separates thousands"),
        ("۱۲ مورد", "write the number only"),
        ("ندارد", "write the value in digits"),
    ],
)
def test_hints(seen: str, part: str):
    assert part in hint("value", seen)[1]


def test_column_letters():
    assert [column_letter(n) for n in (1, 8, 26, 27, 28, 703)] == ["A", "H", "Z", "AA", "AB", "AAA"]
