"""Tests for planmon.sample.qazvin (the Qazvin sample, synthetic plans) and planmon.io.plan_writer."""

from __future__ import annotations

import dataclasses
import re

import numpy as np
import openpyxl
import pandas as pd
import pytest

from planmon.core.exceptions import ParameterError, PlanValidationError
from planmon.io.plan_writer import write_plan
from planmon.sample.qazvin import PlanTables, qazvin_sample, synthetic_plan

SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
TABLES = ("departments", "goals", "indicators", "targets", "reports")
ZWNJ = "\u200c"


@pytest.fixture(scope="module")
def qazvin() -> PlanTables:
    return qazvin_sample()


def _frames_equal(left: PlanTables, right: PlanTables) -> None:
    assert left.meta == right.meta
    for name in TABLES:
        pd.testing.assert_frame_equal(getattr(left, name), getattr(right, name))


# ---------------------------------------------------------------------------------------------
# The Qazvin sample
# ---------------------------------------------------------------------------------------------


def test_qazvin_is_deterministic(qazvin: PlanTables) -> None:
    _frames_equal(qazvin, qazvin_sample())
    other = qazvin_sample(seed=7)
    # The seed moves only the noise: same structure and story, different values.
    for name in ("departments", "goals", "indicators", "targets"):
        pd.testing.assert_frame_equal(getattr(qazvin, name), getattr(other, name))
    assert not qazvin.reports["value"].equals(other.reports["value"])
    pd.testing.assert_series_equal(qazvin.reports["note"], other.reports["note"])


def test_qazvin_plan_years(qazvin: PlanTables) -> None:
    meta = qazvin.meta
    assert (meta["baseline_year"], meta["first_year"], meta["horizon_year"]) == (1396, 1397, 1401)
    assert meta["calendar"] == "jalali"
    assert qazvin.report_years == [1397, 1398, 1399]
    assert set(qazvin.targets["year"]) == set(range(1397, 1402))
    assert set(qazvin.indicators["baseline_year"]) == {1396}


def test_qazvin_departments(qazvin: PlanTables) -> None:
    depts = qazvin.departments.set_index("dept_id")
    assert 12 <= len(depts) <= 16
    kinds = depts["kind"].value_counts()
    assert kinds["deputy"] == 5 and kinds["district"] == 3 and kinds["organization"] >= 4
    assert (depts.loc[depts["kind"] == "district", "parent_id"] == "services").all()
    assert depts["parent_id"].dropna().isin(depts.index).all()
    # The seed's own deputy (news of 1399/10/13), spelled with its zero-width non-joiner.
    assert depts.loc["planning", "name_fa"] == "معاونت برنامه‌ریزی و توسعه سرمایه انسانی"
    assert depts["name_en"].notna().all()


def test_qazvin_goal_tree(qazvin: PlanTables) -> None:
    goals = qazvin.goals
    macro = goals[goals["parent_id"].isna()]
    micro = goals[goals["parent_id"].notna()]
    assert 4 <= len(macro) <= 6
    per_macro = micro.groupby("parent_id").size()
    assert set(per_macro.index) == set(macro["goal_id"])
    assert per_macro.between(2, 4).all()
    assert goals["weight"].nunique() > 1
    # Indicators hang on micro goals only.
    assert qazvin.indicators["goal_id"].isin(micro["goal_id"]).all()


def test_qazvin_indicators(qazvin: PlanTables) -> None:
    ind = qazvin.indicators
    assert 60 <= len(ind) <= 100
    assert ind["indicator_id"].is_unique
    assert ind["dept_id"].isin(qazvin.departments["dept_id"]).all()
    assert set(ind["direction"]) == {"increase", "decrease", "maintain"}
    assert ind["name_fa"].notna().all() and ind["name_en"].notna().all()
    assert ind["weight"].nunique() > 1
    assert (ind.loc[ind["limit"].notna() & (ind["unit"] == "%"), "limit"] == 100).all()
    assert ind["limit"].notna().sum() >= 10
    assert ind["level"].dropna().isin(["input", "output", "outcome", "impact"]).all()
    # Most indicators carry a passport, some do not.
    with_passport = ind["definition"].notna()
    assert 0.8 <= with_passport.mean() < 1.0
    passport = ["level", "formula", "responsible", "source", "frequency"]
    assert ind.loc[with_passport, passport].notna().all().all()
    assert ind.loc[~with_passport, passport].isna().all().all()


def test_qazvin_dtypes(qazvin: PlanTables) -> None:
    ind = qazvin.indicators
    assert ind["baseline_year"].dtype == np.int64
    for col in ("baseline_value", "limit", "weight", "tolerance"):
        assert ind[col].dtype == np.float64
    assert qazvin.targets["year"].dtype == np.int64
    assert qazvin.reports["year"].dtype == np.int64
    assert qazvin.reports["value"].dtype == np.float64
    assert list(qazvin.reports.columns) == [
        "indicator_id",
        "dept_id",
        "year",
        "value",
        "note",
        "source",
    ]


def test_ids_are_slugs(qazvin: PlanTables) -> None:
    for table, col in [
        ("departments", "dept_id"),
        ("goals", "goal_id"),
        ("indicators", "indicator_id"),
        ("targets", "indicator_id"),
        ("reports", "dept_id"),
    ]:
        assert getattr(qazvin, table)[col].str.fullmatch(SLUG.pattern).all(), (table, col)


def test_persian_text_is_clean(qazvin: PlanTables) -> None:
    texts = pd.concat(
        [
            qazvin.departments["name_fa"],
            qazvin.goals["name_fa"],
            qazvin.indicators[["name_fa", "definition", "formula", "responsible"]].stack().dropna(),
            qazvin.reports["note"].dropna(),
        ],
        ignore_index=True,
    )
    joined = "\n".join(texts)
    assert "ي" not in joined and "ك" not in joined  # Arabic yeh/kaf, not Persian ی/ک
    assert " " + ZWNJ not in joined and ZWNJ + " " not in joined
    assert "  " not in joined
    assert (texts == texts.str.strip()).all()
    assert qazvin.indicators["name_fa"].str.contains(ZWNJ).sum() >= 20


def test_report_rows_reference_their_department(qazvin: PlanTables) -> None:
    merged = qazvin.reports.merge(
        qazvin.indicators[["indicator_id", "dept_id"]], on="indicator_id", suffixes=("", "_plan")
    )
    assert len(merged) == len(qazvin.reports)
    assert (merged["dept_id"] == merged["dept_id_plan"]).all()
    assert not qazvin.reports.duplicated(["indicator_id", "year"]).any()


def test_percentages_stay_in_range(qazvin: PlanTables) -> None:
    pct = qazvin.reports.merge(qazvin.indicators[["indicator_id", "unit"]], on="indicator_id")
    values = pct.loc[pct["unit"] == "%", "value"].dropna()
    assert values.between(0, 100).all()


# --- the story --------------------------------------------------------------------------------


def test_story_missing_report(qazvin: PlanTables) -> None:
    sent = set(zip(qazvin.reports["dept_id"], qazvin.reports["year"], strict=True))
    expected = {(d, y) for d in qazvin.departments["dept_id"] for y in qazvin.report_years}
    assert expected - sent == {("culture", 1399)}


def test_story_missing_values_have_notes(qazvin: PlanTables) -> None:
    blank = qazvin.reports[qazvin.reports["value"].isna()]
    assert 3 <= len(blank) <= 10
    assert blank["note"].notna().all()
    assert blank["note"].str.contains("داده در دسترس نیست").any()


def test_story_indicator_without_targets(qazvin: PlanTables) -> None:
    targeted = set(qazvin.targets["indicator_id"])
    untargeted = set(qazvin.indicators["indicator_id"]) - targeted
    assert untargeted == {"SRV05"}
    # Monitored all the same.
    assert (qazvin.reports["indicator_id"] == "SRV05").sum() == 3


def test_story_targets_against_direction(qazvin: PlanTables) -> None:
    t = qazvin.targets.merge(qazvin.indicators[["indicator_id", "direction"]], on="indicator_id")
    t = t.sort_values(["indicator_id", "year"])
    step = t.groupby("indicator_id")["target"].diff()
    against = ((t["direction"] == "increase") & (step < 0)) | (
        (t["direction"] == "decrease") & (step > 0)
    )
    assert set(t.loc[against, "indicator_id"]) == {"FIN01", "TRF01"}
    # maintain indicators keep a flat target
    flat = t[t["direction"] == "maintain"].groupby("indicator_id")["target"].nunique()
    assert (flat == 1).all()


def test_story_regressing_indicators(qazvin: PlanTables) -> None:
    values = qazvin.reports.pivot(index="indicator_id", columns="year", values="value")
    base = qazvin.indicators.set_index("indicator_id")
    # Bus fleet age (direction decrease) grows away from its 6-year target every year.
    assert base.loc["BUS02", "direction"] == "decrease"
    assert (values.loc["BUS02"] > base.loc["BUS02", "baseline_value"]).all()
    assert values.loc["BUS02"].is_monotonic_increasing
    # Public transport share collapses in 1399 (COVID-19).
    assert values.loc["BUS01", 1399] < base.loc["BUS01", "baseline_value"]
    # Source separation of waste falls below its baseline.
    assert (values.loc["WST02"] < base.loc["WST02", "baseline_value"]).all()


def test_story_departments_differ(qazvin: PlanTables) -> None:
    """Share of the planned 1399 change achieved: parks ahead, transport and bus behind."""
    r = qazvin.reports[qazvin.reports["year"] == 1399].merge(
        qazvin.targets, on=["indicator_id", "year"]
    )
    r = r.merge(qazvin.indicators[["indicator_id", "baseline_value", "direction"]])
    r = r[r["direction"] != "maintain"]
    share = (r["value"] - r["baseline_value"]) / (r["target"] - r["baseline_value"])
    by_dept = share.groupby(r["dept_id"]).median()
    assert by_dept["parks"] > 0.9
    assert by_dept["ict"] > 0.9
    assert by_dept["transport"] < 0.7
    assert by_dept["bus"] < 0.5


# ---------------------------------------------------------------------------------------------
# Synthetic plans
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("depts", "per_dept", "years"), [(1, 1, 1), (7, 3, 2), (40, 12, 6)])
def test_synthetic_sizes_are_exact(depts: int, per_dept: int, years: int) -> None:
    plan = synthetic_plan(depts, per_dept, years, seed=3)
    n = depts * per_dept
    plan_years = max(years, 5)
    assert len(plan.departments) == depts
    assert len(plan.indicators) == n
    assert len(plan.targets) == n * plan_years
    assert len(plan.reports) == n * years
    assert plan.report_years == list(range(1397, 1397 + years))
    assert plan.meta["horizon_year"] == 1396 + plan_years
    assert plan.indicators["indicator_id"].is_unique
    assert plan.indicators["dept_id"].isin(plan.departments["dept_id"]).all()
    assert plan.departments["parent_id"].dropna().isin(plan.departments["dept_id"]).all()


def test_synthetic_ids_and_dtypes() -> None:
    plan = synthetic_plan(12, 4, 3, seed=1)
    assert plan.departments["dept_id"].iloc[0] == "D0001"
    assert plan.indicators["indicator_id"].iloc[5] == "D0002_I002"
    for frame, col in [
        (plan.departments, "dept_id"),
        (plan.indicators, "indicator_id"),
        (plan.goals, "goal_id"),
    ]:
        assert frame[col].str.fullmatch(SLUG.pattern).all()
    reference = qazvin_sample()
    for name in TABLES:  # same columns, order and dtypes as the canonical sample
        pd.testing.assert_series_equal(getattr(plan, name).dtypes, getattr(reference, name).dtypes)
    assert set(plan.departments["kind"]) == {"deputy", "district", "organization"}
    pct = plan.reports.merge(plan.indicators[["indicator_id", "unit"]])
    assert pct.loc[pct["unit"] == "%", "value"].dropna().between(0, 100).all()


def test_synthetic_is_deterministic() -> None:
    _frames_equal(synthetic_plan(5, 6, 4, seed=9), synthetic_plan(5, 6, 4, seed=9))
    a, b = synthetic_plan(5, 6, 4, seed=9), synthetic_plan(5, 6, 4, seed=10)
    assert not a.reports["value"].equals(b.reports["value"])


def test_synthetic_gregorian() -> None:
    plan = synthetic_plan(3, 2, 6, calendar="gregorian")
    assert plan.meta["calendar"] == "gregorian"
    assert (plan.meta["baseline_year"], plan.meta["horizon_year"]) == (2017, 2023)
    assert plan.report_years == list(range(2018, 2024))


def test_synthetic_scales_to_100k_indicators() -> None:
    plan = synthetic_plan(1000, 100, 6)
    assert len(plan.indicators) == 100_000
    assert len(plan.reports) == 600_000
    assert plan.indicators["indicator_id"].iloc[-1] == "D1000_I100"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"departments": 0, "indicators_per_dept": 1, "years": 1},
        {"departments": 1, "indicators_per_dept": -2, "years": 1},
        {"departments": 1, "indicators_per_dept": 1, "years": 1.5},
        {"departments": True, "indicators_per_dept": 1, "years": 1},
        {"departments": 1, "indicators_per_dept": 1, "years": 1, "calendar": "hijri"},
    ],
)
def test_synthetic_rejects_bad_arguments(kwargs: dict) -> None:
    with pytest.raises(ParameterError):
        synthetic_plan(**kwargs)


# ---------------------------------------------------------------------------------------------
# write_plan
# ---------------------------------------------------------------------------------------------


def _as_expected(read: pd.DataFrame, expected: pd.DataFrame) -> pd.DataFrame:
    """Cast a frame read back from disk to the dtypes of the frame that was written."""
    assert list(read.columns) == list(expected.columns)
    return pd.DataFrame(
        {col: read[col].astype(expected[col].dtype) for col in expected.columns},
        index=pd.RangeIndex(len(read)),
    )


def _check_reports(plan: PlanTables, folder, fmt: str) -> None:
    files = sorted((folder / "reports").glob(f"*/*.{fmt}"))
    keys = {(int(p.parent.name), p.stem) for p in files}
    expected_keys = set(zip(plan.reports["year"], plan.reports["dept_id"], strict=True))
    assert keys == expected_keys
    for path in files:
        year, dept = int(path.parent.name), path.stem
        expected = plan.reports[(plan.reports["year"] == year) & (plan.reports["dept_id"] == dept)]
        expected = expected[["indicator_id", "value", "note", "source"]].reset_index(drop=True)
        if fmt == "xlsx":
            read = pd.read_excel(path, engine="calamine")
        else:
            read = pd.read_csv(path, encoding="utf-8-sig")
        pd.testing.assert_frame_equal(_as_expected(read, expected), expected)


def test_write_xlsx_round_trip(qazvin: PlanTables, tmp_path) -> None:
    written = write_plan(qazvin, tmp_path, fmt="xlsx")
    assert written[0] == tmp_path / "plan.xlsx"
    # 14 departments × 3 years, less culture's missing 1399 report
    assert len(written) == 1 + 14 * 3 - 1
    sheets = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None, engine="calamine")
    assert list(sheets) == ["plan", "departments", "goals", "indicators", "targets"]
    meta = dict(zip(sheets["plan"]["key"], sheets["plan"]["value"], strict=True))
    assert meta == qazvin.meta
    for name in ("departments", "goals", "indicators", "targets"):
        expected = getattr(qazvin, name)
        pd.testing.assert_frame_equal(_as_expected(sheets[name], expected), expected)
    _check_reports(qazvin, tmp_path, "xlsx")
    assert not (tmp_path / "reports" / "1399" / "culture.xlsx").exists()


def test_write_csv_round_trip(qazvin: PlanTables, tmp_path) -> None:
    written = write_plan(qazvin, tmp_path, fmt="csv")
    assert {p.name for p in written if p.parent.name == "plan"} == {
        "plan.csv",
        "departments.csv",
        "goals.csv",
        "indicators.csv",
        "targets.csv",
    }
    raw = (tmp_path / "plan" / "departments.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM, so Persian Excel reads it as UTF-8
    assert "معاونت حمل‌ونقل و ترافیک".encode() in raw
    meta = pd.read_csv(tmp_path / "plan" / "plan.csv", encoding="utf-8-sig", dtype=str)
    as_text = {k: str(v) for k, v in qazvin.meta.items()}
    assert dict(zip(meta["key"], meta["value"], strict=True)) == as_text
    for name in ("departments", "goals", "indicators", "targets"):
        expected = getattr(qazvin, name)
        read = pd.read_csv(tmp_path / "plan" / f"{name}.csv", encoding="utf-8-sig")
        pd.testing.assert_frame_equal(_as_expected(read, expected), expected)
    _check_reports(qazvin, tmp_path, "csv")


def test_xlsx_layout(qazvin: PlanTables, tmp_path) -> None:
    write_plan(qazvin, tmp_path)
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    sheet = book["indicators"]
    assert sheet.sheet_view.rightToLeft
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.b
    assert sheet.column_dimensions["D"].width > 20  # name_fa is wide
    year = sheet.cell(row=2, column=8)  # baseline_year
    assert year.value == 1396 and year.data_type == "n"
    # A blank limit stays an empty cell, not 0 or "nan".
    limits = [row[0].value for row in sheet.iter_rows(min_row=2, min_col=10, max_col=10)]
    assert None in limits and "nan" not in limits
    report = openpyxl.load_workbook(tmp_path / "reports" / "1397" / "bus.xlsx").active
    assert report.sheet_view.rightToLeft
    assert [c.value for c in report[1]] == ["indicator_id", "value", "note", "source"]


def test_text_never_becomes_a_formula(tmp_path) -> None:
    plan = synthetic_plan(2, 2, 1)
    tricky = ["=1+2", "+98 912", "-3", "@SUM(A1)", "\t=1+2"]
    depts = plan.departments.copy()
    depts["name_fa"] = tricky[:2]
    depts["name_en"] = tricky[2:4]
    reports = plan.reports.copy()
    reports["note"] = pd.Series(tricky[:4], dtype="str")
    indicators = plan.indicators.copy()
    indicators["name_fa"] = pd.Series(tricky[1:], dtype="str")
    plan = dataclasses.replace(plan, departments=depts, indicators=indicators, reports=reports)
    write_plan(plan, tmp_path)

    read = pd.read_excel(tmp_path / "plan.xlsx", sheet_name=None, engine="calamine")
    assert read["departments"]["name_fa"].tolist() == ["=1+2", "+98 912"]
    assert read["departments"]["name_en"].tolist() == ["-3", "@SUM(A1)"]
    assert read["indicators"]["name_fa"].tolist() == tricky[1:]
    book = openpyxl.load_workbook(tmp_path / "plan.xlsx")
    cells = [
        *book["departments"].iter_rows(min_row=2, min_col=3, max_col=4),
        *book["indicators"].iter_rows(min_row=2, min_col=4, max_col=4),
    ]
    for row in cells:
        for cell in row:
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)
    report = openpyxl.load_workbook(tmp_path / "reports" / "1397" / "D0001.xlsx").active
    notes = [row[0] for row in report.iter_rows(min_row=2, min_col=3, max_col=3)]
    assert [c.value for c in notes] == ["=1+2", "+98 912"]
    assert all(c.data_type != "f" for c in notes)


def test_write_rejects_unknown_format(qazvin: PlanTables, tmp_path) -> None:
    with pytest.raises(ParameterError, match="fmt"):
        write_plan(qazvin, tmp_path, fmt="ods")
    assert not any(tmp_path.iterdir())


def test_write_rejects_unsafe_department_ids(tmp_path) -> None:
    plan = synthetic_plan(2, 1, 1)
    reports = plan.reports.copy()
    reports["dept_id"] = pd.Series(["../evil", "D0002"], dtype="str")
    with pytest.raises(PlanValidationError, match="slug"):
        write_plan(dataclasses.replace(plan, reports=reports), tmp_path / "out")
    assert not (tmp_path / "out").exists()
    assert not (tmp_path / "evil.xlsx").exists()


def test_write_refuses_existing_plan_unless_overwrite(tmp_path) -> None:
    big = synthetic_plan(4, 2, 3, seed=1)
    write_plan(big, tmp_path, fmt="xlsx")
    (tmp_path / "README.txt").write_text("keep me")
    with pytest.raises(ParameterError, match="overwrite"):
        write_plan(big, tmp_path, fmt="csv")

    small = synthetic_plan(2, 2, 1, seed=1)
    written = write_plan(small, tmp_path, fmt="csv", overwrite=True)
    on_disk = {p for p in tmp_path.rglob("*") if p.is_file()}
    # Exactly the new plan remains, plus the unrelated file.
    assert on_disk == set(written) | {tmp_path / "README.txt"}
    assert not (tmp_path / "plan.xlsx").exists()
    assert not (tmp_path / "reports" / "1398").exists()


def test_write_plan_without_reports(tmp_path) -> None:
    plan = synthetic_plan(2, 2, 1)
    plan = dataclasses.replace(plan, reports=plan.reports.iloc[0:0])
    assert plan.report_years == []
    assert write_plan(plan, tmp_path) == [tmp_path / "plan.xlsx"]
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_written_sample_loads_back_identically(qazvin: PlanTables, tmp_path, fmt: str) -> None:
    """End to end: write_plan → planmon.load gives back the very frames that were written."""
    import planmon

    write_plan(qazvin, tmp_path, fmt=fmt)
    plan = planmon.load(tmp_path, cache=False)
    assert plan.meta == qazvin.meta
    for name in ("departments", "goals", "indicators", "targets"):
        pd.testing.assert_frame_equal(getattr(plan, name), getattr(qazvin, name))
    keys = ["year", "dept_id", "indicator_id"]
    actuals = plan.actuals[list(qazvin.reports.columns)].sort_values(keys, ignore_index=True)
    pd.testing.assert_frame_equal(actuals, qazvin.reports.sort_values(keys, ignore_index=True))
    # Validation warns about exactly the flaws the story plants, and nothing else.
    messages = " | ".join(w.message for w in plan.warnings)
    assert len(plan.warnings) == 7, messages  # FIN01 once, TRF01 for 4 years, SRV05, culture
    for expected in ("FIN01", "TRF01", "SRV05", "'culture'"):
        assert expected in messages
