"""Tests for planmon.sample.qazvin: the Qazvin sample, its data files and its story."""

from __future__ import annotations

import fnmatch
import re
import tomllib
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from planmon.core.exceptions import InputFileError
from planmon.core.schema import PlanTables
from planmon.io.plan_writer import write_plan
from planmon.sample import qazvin as qazvin_module
from planmon.sample.qazvin import qazvin_sample
from tests.sample.conftest import assert_tables_equal

ROOT = Path(__file__).resolve().parents[2]
#: xlsxwriter stamps the time of writing into docProps/core.xml; nothing else in a file varies.
_XLSX_DATES = re.compile(rb"<dcterms:(created|modified)[^>]*>[^<]*</dcterms:\1>")

SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
ZWNJ = "\u200c"


def test_qazvin_is_deterministic(qazvin: PlanTables) -> None:
    assert_tables_equal(qazvin, qazvin_sample())
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


# --- the data files ---------------------------------------------------------------------------


def test_committed_sample_is_what_the_generator_writes(qazvin: PlanTables, tmp_path) -> None:
    """data/raw/qazvin is qazvin_sample() written out: every workbook member is identical,
    except the write time xlsxwriter puts in docProps/core.xml."""
    committed = ROOT / "data" / "raw" / "qazvin"
    written = write_plan(qazvin, tmp_path)
    assert sorted(p.relative_to(tmp_path) for p in written) == sorted(
        p.relative_to(committed) for p in committed.rglob("*.xlsx")
    )
    for path in written:
        new, old = zipfile.ZipFile(path), zipfile.ZipFile(committed / path.relative_to(tmp_path))
        assert new.namelist() == old.namelist()
        for member in new.namelist():
            a, b = new.read(member), old.read(member)
            if member == "docProps/core.xml":
                a, b = _XLSX_DATES.sub(b"", a), _XLSX_DATES.sub(b"", b)
            assert a == b, (path, member)


def test_data_files_are_package_data() -> None:
    """Every file of planmon/sample/data is installed with the package (pyproject globs)."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    globs = pyproject["tool"]["setuptools"]["package-data"]["planmon"]
    package = ROOT / "planmon"
    files = [p for p in (package / "sample" / "data").rglob("*") if p.is_file()]
    assert len(files) >= 13
    for path in files:
        relative = path.relative_to(package).as_posix()
        assert any(fnmatch.fnmatch(relative, glob) for glob in globs), relative


@pytest.fixture
def edited_data(monkeypatch):
    """Edit one data file's rows: ``edit(name, function_of_rows)``; the cache is reset."""
    read = qazvin_module._rows
    edits = {}

    def rows(name):
        return edits.get(name, lambda r: r)(read(name))

    monkeypatch.setattr(qazvin_module, "_rows", rows)
    qazvin_module._sample.cache_clear()
    yield edits.__setitem__
    qazvin_module._sample.cache_clear()


def test_listed_targets_need_every_plan_year(edited_data) -> None:
    edited_data("listed_targets.csv", lambda rows: rows[1:])  # TRF01 loses its 1397 target
    with pytest.raises(InputFileError, match=r"listed_targets.csv: TRF01 has years"):
        qazvin_sample()


def test_listed_targets_must_be_listed(edited_data) -> None:
    def unlisted(rows):
        return [{**r, "targets": "line"} if r["indicator_id"] == "FIN01" else r for r in rows]

    edited_data("indicators.csv", unlisted)
    with pytest.raises(InputFileError, match="FIN01 has targets 'line'"):
        qazvin_sample()


def test_district_indicators_come_from_one_template(qazvin: PlanTables) -> None:
    """Each district has the five shared indicators under its own ids and names."""
    ind = qazvin.indicators.set_index("indicator_id")
    districts = ind[ind["dept_id"].str.startswith("district_")]
    assert len(districts) == 15
    assert ind.loc["D2_03", "name_en"] == "Mean 137 hotline response time (District 2)"
    assert ind.loc["D3_01", "name_fa"] == "سرانه فضای سبز در منطقه سه"
    assert (ind.loc["D1_01", "baseline_value"], ind.loc["D3_01", "baseline_value"]) == (13.1, 8.6)


# --- commentary and actions (issue 11, item 7) -------------------------------------------------


def test_story_commentary_in_both_languages(qazvin: PlanTables) -> None:
    c = qazvin.commentary
    assert c["dept_id"].nunique() >= 5 and c["indicator_id"].notna().sum() >= 5
    assert c["indicator_id"].isna().any()  # about a department as a whole
    assert set(c["kind"]) == {"analysis", "recommendation", "caveat"}
    assert (c["text_fa"].notna() & c["text_en"].isna()).any()
    assert (c["text_fa"].isna() & c["text_en"].notna()).any()


def test_story_actions_in_every_state(qazvin: PlanTables) -> None:
    a = qazvin.actions
    assert len(a) == 12 and set(a["status"]) == {
        "planned",
        "in progress",
        "done",
        "delayed",
        "cancelled",
    }
    overdue = a[(a["due_year"] < 1399) & ~a["status"].isin(["done", "cancelled"])]
    assert overdue["action_id"].tolist() == ["WST-A1"]
    linked = {i for cell in a["indicator_id"].dropna() for i in cell.split(";")}
    assert "FIN02" not in linked  # a lagging indicator with no action
    assert a["indicator_id"].str.contains(";").sum() >= 2
