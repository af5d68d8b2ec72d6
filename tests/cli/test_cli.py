"""The yearly loop through the command line, as an analyst runs it:
template → filled by a department → planmon ingest → planmon scores shows the new values."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

import planmon
from planmon.cli.app import app
from tests.collect.test_ingest import fill


def test_template_ingest_scores_round_trip(tiny_copy, tmp_path):
    runner = CliRunner()
    templates = tmp_path / "templates"
    result = runner.invoke(
        app, ["template", str(tiny_copy), "--year", "1399", "--out", str(templates)]
    )
    assert result.exit_code == 0, result.output
    workbook = templates / "1399" / "services.xlsx"
    # a department types one number with Persian digits, as Persian keyboards do
    fill(workbook, {"SRV01": "۱۵٫۵", "SRV02": 9.0}, {"SRV01": "کارخانه کمپوست دوم"})

    result = runner.invoke(
        app,
        ["ingest", str(workbook), "--year", "1399", "--plan", str(tiny_copy)],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "ingested 1 report(s): 2 new" in result.output
    assert (tiny_copy / "reports" / "1399" / "services.xlsx").is_file()

    out = tmp_path / "scores.csv"
    result = runner.invoke(app, ["scores", str(tiny_copy), "--year", "1399", "--out", str(out)])
    assert result.exit_code == 0, result.output
    scores = pd.read_csv(out).set_index("indicator_id")
    assert scores.loc["SRV01", "value"] == 15.5
    assert scores.loc["SRV02", "value"] == 9.0
    # hand calculation: 15.5 against the 1399 target 16 → 96.875 %
    assert scores.loc["SRV01", "achievement_pct"] == pytest.approx(96.875)


def test_ingest_refuses_to_overwrite_without_replace(tiny_copy, tmp_path):
    runner = CliRunner()
    templates = tmp_path / "templates"
    runner.invoke(
        app,
        [
            "template",
            str(tiny_copy),
            "--year",
            "1398",
            "--out",
            str(templates),
            "--dept",
            "services",
        ],
    )
    workbook = templates / "1398" / "services.xlsx"
    fill(workbook, {"SRV01": 13.5, "SRV02": 10.5})
    result = runner.invoke(
        app, ["ingest", str(workbook), "--year", "1398", "--plan", str(tiny_copy)]
    )
    assert result.exit_code == 1
    assert "--replace" in result.output and "replace=True" not in result.output
    result = runner.invoke(
        app,
        ["ingest", str(workbook), "--year", "1398", "--plan", str(tiny_copy), "--replace"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert "corrected" in result.output
    assert list((tiny_copy / ".planmon" / "versions").iterdir())


def test_missing_year_is_a_usage_error(tiny_path):
    result = CliRunner().invoke(app, ["template", str(tiny_path)])
    assert result.exit_code == 2 and "--year" in result.output


def test_version_and_help():
    runner = CliRunner()
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"planmon {planmon.__version__}"
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    for command in ("validate", "scores", "build", "dashboard", "template", "ingest", "sample"):
        assert command in result.output
