"""The bad-input corpus: each folder of tests/data/bad/ is one fault applied to the tiny plan,
with the exact message ``planmon validate`` must print in ``expected.txt``."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import planmon
from planmon.cli.app import app
from planmon.core.vocabulary import CAVEATS
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


# ------------------------------------------------------------------------ the contract, completed


def _write(folder: Path, files: dict[str, str]) -> Path:
    for rel, text in files.items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text, encoding="utf-8")
    return folder


def test_an_sdg_style_plan_without_settings_takes_its_years_from_the_data(tmp_path: Path):
    # SDG-style: baseline 2015, targets for 2025 and 2030 only, reports 2016–2024. The plan
    # years are inferred (first = baseline + 1, horizon = the last target) and every report
    # year between the baseline and the horizon is valid.
    files = {
        "plan/departments.csv": "dept_id,kind,name_fa\nhealth,deputy,سلامت\n",
        "plan/goals.csv": "goal_id,name_fa\nG3,سلامت همگانی\n",
        "plan/indicators.csv": "indicator_id,dept_id,goal_id,name_fa,unit,direction,"
        "baseline_year,baseline_value\nH01,health,G3,مرگ‌ومیر نوزادان,per 1000,decrease,2015,12\n",
        "plan/targets.csv": "indicator_id,year,target\nH01,2025,9\nH01,2030,7\n",
    }
    for year in range(2016, 2025):
        files[f"reports/{year}/health.csv"] = f"indicator_id,value\nH01,{12 - (year - 2015) / 4}\n"
    plan = planmon.load(_write(tmp_path / "sdg", files), cache=False)
    assert (plan.baseline_year, plan.meta["first_year"], plan.horizon_year) == (2015, 2016, 2030)
    assert plan.meta["calendar"] == "gregorian"
    assert plan.report_years == list(range(2016, 2025))


def test_a_maintain_indicator_whose_targets_all_rise_is_warned_about(tiny_copy: Path):
    path = tiny_copy / "plan" / "indicators.csv"
    path.write_text(
        path.read_text(encoding="utf-8").replace(",increase,1396,8,", ",maintain,1396,8,")
    )
    plan = planmon.load(tiny_copy, cache=False)
    found = [w for w in plan.warnings if w.code == "maintain_targets_trend"]
    assert [str(w) for w in found] == [
        "plan/indicators.csv:4:direction: D1_01 is to be maintained but every yearly target "
        "rises (8 → 8.5 → 9 → 9.5 → 10 → 10.5); check the direction (increase or decrease?) or "
        "the targets"
    ]
    assert (found[0].indicator_id, found[0].year) == ("D1_01", None)


def test_warnings_carry_caveat_codes_and_plan_caveats_lists_them(tiny_copy: Path):
    path = tiny_copy / "plan" / "targets.csv"
    path.write_text(path.read_text().replace("SRV02,1399,9", "SRV02,1399,10.5"))
    (tiny_copy / "reports" / "1398" / "services.csv").write_text(
        "indicator_id,value\nSRV01,130\n", encoding="utf-8"
    )
    plan = planmon.load(tiny_copy, cache=False)
    caveats = plan.caveats
    assert list(caveats.columns) == ["indicator_id", "year", "code", "message"]
    assert str(caveats["year"].dtype) == "Int64"
    rows = {(r.indicator_id, None if pd.isna(r.year) else int(r.year), r.code)
            for r in caveats.itertuples()}  # fmt: skip
    assert {
        ("SRV02", 1399, "targets_against_direction"),
        ("SRV01", 1398, "outside_0_100"),
        ("SRV01", 1398, "jump"),
        ("SRV02", 1398, "data_gap"),
        ("D2_02", None, "no_targets"),
    } <= rows
    assert set(caveats["code"]) <= set(CAVEATS)
    # the codes survive the parse cache
    cached = planmon.load(tiny_copy, cache=tiny_copy.parent / "cache")
    again = planmon.load(tiny_copy, cache=tiny_copy.parent / "cache")
    pd.testing.assert_frame_equal(again.caveats, cached.caveats)
    pd.testing.assert_frame_equal(again.caveats, caveats)


def test_one_unreadable_table_gives_one_error_not_a_cascade(tiny_copy: Path):
    (tiny_copy / "plan" / "departments.csv").write_bytes(b"\x00" * 64)
    errors, _ = check(tiny_copy)
    assert [str(e) for e in errors] == [
        "plan/departments.csv: is not a text CSV file (binary content); export it as CSV UTF-8"
    ]


def test_validation_is_linear_200000_rows_of_duplicates_and_unknown_ids(tiny_copy: Path):
    # 200,000 rows: the same id again and again, then unknown ids; every row is located.
    # (speed: bench/bench_validate.py; this checks the vectorised checks give the answers)
    n = 100_000
    rows = ["SRV01,13"] * n + [f"X{i},1" for i in range(n)]
    (tiny_copy / "reports" / "1398" / "services.csv").write_text(
        "indicator_id,value\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    errors, _ = check(tiny_copy)
    duplicates = [
        e for e in errors if "duplicate indicator_id 'SRV01' (first on row 2)" in e.message
    ]
    unknown = [e for e in errors if e.message.startswith("unknown indicator 'X")]
    assert (len(duplicates), len(unknown)) == (n - 1, n)
    assert (duplicates[0].row, duplicates[-1].row, unknown[-1].row) == (3, n + 1, 2 * n + 1)
