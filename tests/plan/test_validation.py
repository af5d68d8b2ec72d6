"""The bad-input corpus: each folder of tests/data/bad/ is one fault applied to the tiny plan,
with the exact message ``planmon validate`` must print in ``expected.txt``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from planmon.cli.app import app
from planmon.plan.load import check
from tests.conftest import DATA, overlay

# Folders with an expected.txt are validation faults; the others (hostile_text) are legal input
# for other tests and say so in their README.md.
CASES = sorted(p for p in (DATA / "bad").iterdir() if (p / "expected.txt").is_file())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_bad_input_is_reported_with_its_location(case: Path, tiny_copy: Path):
    overlay(tiny_copy, case)
    expected = (case / "expected.txt").read_text(encoding="utf-8").strip()
    result = CliRunner().invoke(app, ["validate", str(tiny_copy)], env={"COLUMNS": "400"})
    assert result.exit_code == 1, result.output
    assert expected in [line.strip() for line in result.output.splitlines()]
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_every_case_has_an_expected_message_or_says_why_not():
    assert len(CASES) >= 20, "the corpus lost its cases"
    for case in (DATA / "bad").iterdir():
        assert (case / "expected.txt").is_file() or (case / "README.md").is_file(), case.name


def test_all_problems_are_listed_in_one_pass(tiny_copy: Path):
    # two independent faults in two files: both are reported by one run
    overlay(tiny_copy, DATA / "bad" / "bad_direction")
    overlay(tiny_copy, DATA / "bad" / "non_numeric")
    errors, _ = check(tiny_copy)
    messages = [str(e) for e in errors]
    assert any(m.startswith("plan/indicators.csv:3:direction:") for m in messages)
    assert any(m.startswith("reports/1398/services.csv:2:value:") for m in messages)


def test_real_entry_point_exits_1_without_traceback(tiny_copy: Path):
    overlay(tiny_copy, DATA / "bad" / "corrupt_workbook")
    proc = subprocess.run(
        [sys.executable, "-m", "planmon.cli.app", "validate", str(tiny_copy)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 1
    assert "damaged" in proc.stderr and "Traceback" not in proc.stderr


def test_usage_error_exits_2():
    result = CliRunner().invoke(app, ["validate", "--no-such-option"])
    assert result.exit_code == 2


def _warnings(plan: Path) -> list[str]:
    errors, warnings = check(plan)
    assert errors == []
    return [str(w) for w in warnings]


def test_warns_about_targets_against_direction(tiny_copy: Path):
    path = tiny_copy / "plan" / "targets.csv"
    path.write_text(path.read_text().replace("SRV02,1399,9", "SRV02,1399,10.5"))
    warnings = _warnings(tiny_copy)
    assert (
        "plan/targets.csv:9:target: target for 1399 moves up from the 1398 target (10 → 10.5) "
        "but the direction of SRV02 is decrease; check the direction or the target"
    ) in warnings


def test_warns_about_spikes_percentages_and_missing_reports(tiny_copy: Path):
    (tiny_copy / "reports" / "1398" / "district_1.csv").unlink()
    path = tiny_copy / "reports" / "1398" / "services.csv"
    path.write_text("indicator_id,value\nSRV01,130\nSRV02,10.5\n")
    warnings = _warnings(tiny_copy)
    assert "reports/1398/services.csv:2:value: percentage outside 0–100 (130)" in warnings
    assert any(
        w.startswith("reports/1398/services.csv:2:value: 130 is more than ten times off")
        for w in warnings
    )
    assert "reports/1398/: department 'district_1' sent no report for 1398" in warnings


def test_warns_about_indicator_without_targets_and_unknown_columns(tiny_copy: Path):
    path = tiny_copy / "reports" / "1398" / "services.csv"
    path.write_text("indicator_id,value,colour\nSRV01,13,red\nSRV02,10.5,blue\n")
    warnings = _warnings(tiny_copy)
    assert "reports/1398/services.csv:1:colour: unknown column, ignored" in warnings
    assert any(
        w.startswith("plan/indicators.csv:6:indicator_id: D2_02 has no targets") for w in warnings
    )
