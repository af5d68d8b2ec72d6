"""The optional commentary and actions tables: read, validated, kept in the parse cache."""

from __future__ import annotations

import pandas as pd
import pytest

from planmon.core.schema import PlanTables, canonical_column, canonical_table, canonical_word
from planmon.io.plan_writer import write_plan
from planmon.plan.load import check, load
from planmon.plan.validation.commentary import split_ids

COMMENTARY = """year,dept_id,indicator_id,kind,text_fa,text_en
1398,services,SRV01,analysis,بازیافت کند است,Recycling is slow
1398,services,,توصیه,تفکیک از مبدأ,
1397,district_1,D1_01,caveat,,Survey changed
"""
ACTIONS = """action_id,dept_id,indicator_id,title_fa,title_en,owner,start_year,due_year,progress_pct,status,note
A1,services,SRV01;SRV02,طرح تفکیک,Source separation,اداره پسماند,1397,1399,40,in progress,
A2,district_2,D2_02,کاشت نهال,Tree planting,,1397,1398,20,با تأخیر,=cmd()
"""


def _write(plan, commentary=COMMENTARY, actions=ACTIONS):
    (plan / "plan" / "commentary.csv").write_text(commentary, encoding="utf-8")
    (plan / "plan" / "actions.csv").write_text(actions, encoding="utf-8")


def test_a_plan_without_them_is_valid_and_has_empty_frames(tiny_path):
    plan = load(tiny_path, cache=False)
    assert plan.commentary.empty and list(plan.commentary.columns)[:3] == [
        "year",
        "dept_id",
        "indicator_id",
    ]
    assert plan.actions.empty and "progress_pct" in plan.actions.columns


def test_tables_are_read_with_persian_words_and_split_ids(tiny_copy):
    _write(tiny_copy)
    plan = load(tiny_copy, cache=False)
    assert plan.commentary["kind"].tolist() == ["analysis", "recommendation", "caveat"]
    assert pd.isna(plan.commentary.loc[1, "indicator_id"])
    assert plan.actions["status"].tolist() == ["in progress", "delayed"]
    assert plan.actions.loc[0, "indicator_id"] == "SRV01;SRV02"
    assert pd.isna(plan.actions.loc[1, "start_year"]) is False
    assert plan.actions.loc[1, "due_year"] == 1398


def test_the_parse_cache_keeps_them(tiny_copy, tmp_path):
    _write(tiny_copy)
    first = load(tiny_copy, cache=tmp_path / "c")
    again = load(tiny_copy, cache=tmp_path / "c")
    pd.testing.assert_frame_equal(first.actions, again.actions)
    pd.testing.assert_frame_equal(first.commentary, again.commentary)


@pytest.mark.parametrize(
    ("table", "text", "expected"),
    [
        ("commentary", "1398,services,NOPE,analysis,x,", "unknown indicator 'NOPE'"),
        ("commentary", "1398,nobody,,analysis,x,", "unknown department 'nobody'"),
        ("commentary", "1398,services,,opinion,x,", "must be analysis, recommendation"),
        ("commentary", "1450,services,,analysis,x,", "year 1450 is outside the plan years"),
        ("commentary", "1398,services,,analysis,,", "has no text"),
        ("commentary", "1398,services,D1_01,analysis,x,", "belongs to department 'district_1'"),
        ("actions", "A9,services,SRV01;ZZ,t,,,1397,1398,10,done,", "unknown indicator 'ZZ'"),
        ("actions", "A9,services,,t,,,1397,1398,120,done,", "between 0 and 100 (120 seen)"),
        ("actions", "A9,services,,t,,,1399,1398,10,done,", "due year 1398 is before"),
        ("actions", "A9,services,,t,,,1397,1398,10,stuck,", "must be planned, in progress"),
    ],
)
def test_bad_rows_are_located(tiny_copy, table, text, expected):
    head = {"commentary": COMMENTARY, "actions": ACTIONS}[table].splitlines()[0]
    _write(tiny_copy)
    (tiny_copy / "plan" / f"{table}.csv").write_text(f"{head}\n{text}\n", encoding="utf-8")
    errors, _ = check(tiny_copy)
    hits = [str(e) for e in errors if expected in str(e)]
    assert hits, [str(e) for e in errors]
    assert hits[0].startswith(f"plan/{table}.csv:2:")


def test_header_and_word_aliases():
    assert canonical_table("اقدامات") == "actions"
    assert canonical_table("تحلیل‌ها") == "commentary"
    assert canonical_column("درصد پیشرفت") == "progress_pct"
    assert canonical_word("status", "انجام‌شده") == "done"
    assert canonical_word("commentary_kind", "Recommendation") == "recommendation"
    assert split_ids(" a ;b،c ") == ["a", "b", "c"]


def test_the_writer_writes_them_and_they_read_back(tiny_path, tmp_path):
    plan = load(tiny_path, cache=False)
    commentary = pd.DataFrame(
        {
            "year": [1398],
            "dept_id": ["services"],
            "indicator_id": ["SRV01"],
            "kind": ["analysis"],
            "text_fa": ["متن"],
            "text_en": [None],
        }
    )
    actions = pd.DataFrame(
        {
            "action_id": ["A1"],
            "dept_id": ["services"],
            "indicator_id": ["SRV01;SRV02"],
            "title_fa": ["طرح"],
            "title_en": ["Plan"],
            "owner": [None],
            "start_year": pd.array([1397], dtype="Int64"),
            "due_year": pd.array([None], dtype="Int64"),
            "progress_pct": [50.0],
            "status": ["planned"],
            "note": ["=1+2"],
        }
    )
    reports = plan.actuals[["indicator_id", "dept_id", "year", "value", "note", "source"]]
    tables = PlanTables(
        plan.meta,
        plan.departments,
        plan.goals,
        plan.indicators,
        plan.targets,
        reports,
        commentary=commentary,
        actions=actions,
    )
    for fmt in ("xlsx", "csv"):
        out = tmp_path / fmt
        write_plan(tables, out, fmt=fmt)
        back = load(out, cache=False)
        assert back.actions.loc[0, "note"] == "=1+2"
        assert back.actions.loc[0, "indicator_id"] == "SRV01;SRV02"
        assert pd.isna(back.actions.loc[0, "due_year"])
        assert back.commentary.loc[0, "text_fa"] == "متن"
