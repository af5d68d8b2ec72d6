"""The executive briefing at the front of the plan overview (issue 11, item 3)."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

import planmon
from planmon.content.briefing import corrections, executive_briefing, score_drivers
from planmon.content.context import ReportContext


@pytest.fixture(scope="module")
def sample():
    return planmon.load()


def _text(plan, lang):
    ctx = ReportContext("plan_overview", plan, 1399, "", lang, plan.scores())
    return re.sub(r"<[^>]+>", " ", executive_briefing(ctx).to_html())


def test_lists_off_track_indicators_with_owner_chance_and_actions(sample):
    text = _text(sample, "en")
    assert "Executive briefing" in text and "81 had a reported value" in text
    assert "Waste separated at source" in text and "سازمان مدیریت پسماند" in text  # owner
    assert "Purchase of 50 new buses" in text and "(delayed)" in text
    assert "No action is recorded for this lagging indicator." in text
    assert "&lt; 1%" in text or "< 1%" in text  # chances below 1 % are not overstated


def test_names_who_did_not_report_and_the_caveats(sample):
    text = _text(sample, "fa")
    assert "گزارش‌های دریافت‌نشده" in text and "فرهنگی" in text
    assert "ملاحظات داده" in text


def test_driver_is_the_largest_weighted_shortfall():
    scores = pd.DataFrame(
        {"dept_id": ["d", "d", "e"], "indicator_id": ["a", "b", "c"], "score": [1.0, 3.0, None]}
    )
    indicators = pd.DataFrame({"indicator_id": ["a", "b", "c"], "weight": [1.0, 3.0, 1.0]})
    # a: 1 × (5 − 1) = 4; b: 3 × (5 − 3) = 6 → b drives d; e has no score
    out = score_drivers(scores, indicators)
    assert out["indicator_id"].tolist() == ["b"] and out["shortfall"].tolist() == [6.0]


def test_corrections_come_from_the_audit_log_without_undone_ingests(tmp_path):
    assert corrections(tmp_path, 1399).empty  # no log: no corrections
    log = tmp_path / ".planmon" / "audit.jsonl"
    log.parent.mkdir()
    change = {"dept_id": "bus", "indicator_id": "BUS01", "change": "corrected", "old": 9, "new": 8}
    records = [
        {"id": "r1", "kind": "ingest", "year": 1398, "time": "t1", "changes": [change]},
        {"id": "r2", "kind": "ingest", "year": 1399, "time": "t2", "changes": [change]},
        {"id": "r3", "kind": "undo", "undoes": "r2"},
        {"id": "r4", "kind": "ingest", "year": 1400, "time": "t4", "changes": [change]},
    ]
    log.write_text("\n".join(json.dumps(r) for r in records) + "\nnot json\n", encoding="utf-8")
    found = corrections(tmp_path, 1399)
    assert found[["year", "old", "new"]].values.tolist() == [[1398, 9, 8]]


def test_the_overview_notebook_opens_with_the_briefing():
    from planmon.core import config

    cells = json.loads((config.NOTEBOOKS / "plan_overview.ipynb").read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    title = code.index("report.overview_title(ctx)")
    assert code[title + 1] == "report.executive_briefing(ctx)"
