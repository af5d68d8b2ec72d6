"""Commentary, the departments' notes and actions in the department report (issue 11)."""

from __future__ import annotations

import pandas as pd
import pytest

import planmon
from planmon.content import department
from planmon.content.actions import action_flags, actions_of, deteriorating, is_overdue, off_track
from planmon.content.commentary import commentary_for, commentary_html
from planmon.content.context import ReportContext


@pytest.fixture(scope="module")
def sample():
    return planmon.load()


def _ctx(plan, dept_id, lang):
    return ReportContext("department_report", plan, 1399, dept_id, lang, plan.scores())


def test_off_track_and_deteriorating_by_hand():
    scores = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c", "d"],
            "status": ["limited_progress", "moderate_progress", "deterioration", "target_achieved"],
            "pace_status": ["improving", "stagnating", "decreasing", "improving"],
            "score": [0.2, 0.5, -0.1, 1.0],
        }
    )
    assert off_track(scores).tolist() == [True, True, True, False]
    previous = pd.DataFrame({"indicator_id": ["a", "b", "c"], "score": [0.1, 0.6, -0.1]})
    # a: 0.2 - 0.1 > 0; b: 0.5 - 0.6 < 0; c: equal; d: no previous score (not comparable)
    assert deteriorating(scores, previous).tolist() == [False, True, False, False]


def test_flags_a_lagging_indicator_without_action_and_late_actions(sample):
    flags = action_flags(sample.scores(1399), sample.actions, 1399)
    no_action = set(flags.loc[flags["kind"] == "no_action", "indicator_id"])
    assert "FIN02" in no_action and "BUS02" not in no_action
    assert set(flags.loc[flags["kind"] == "delayed", "action_id"]) == {"BUS-A1", "TRF-A1"}
    assert flags.loc[flags["kind"] == "overdue", "action_id"].tolist() == ["WST-A1"]
    wst = sample.actions.set_index("action_id").loc["WST-A1"]
    assert is_overdue(wst, 1399) and not is_overdue(wst, 1398)


def test_an_action_serves_several_indicators(sample):
    assert actions_of(sample.actions, "BUS03")["action_id"].tolist() == ["BUS-A1"]
    assert actions_of(sample.actions, "BUS0")["action_id"].tolist() == []


def test_missing_language_says_so_and_text_is_escaped():
    rows = pd.DataFrame(
        {"kind": ["analysis"], "text_fa": ["<script>x</script>"], "text_en": [None]}
    )
    assert "No English text was written for this analysis." in commentary_html(rows, "en")
    assert "<script>" not in commentary_html(rows, "fa")


def test_department_report_shows_commentary_notes_and_actions(sample):
    ctx = _ctx(sample, "bus", "en")
    head = department.department_headline(ctx).to_html()
    assert "six of its seven indicators" in head
    details = department.indicator_sections(ctx).to_html()
    assert "Commit the new bus purchase" in details  # BUS02's recommendation
    assert "Purchase of 50 new buses" in details  # BUS02's delayed action
    assert "Redesign of the express lines" in details
    note = commentary_for(sample.commentary, 1399, "bus", "BUS01")
    assert len(note) == 1


def test_lagging_indicator_without_action_is_flagged_in_its_section(sample):
    details = department.indicator_sections(_ctx(sample, "finance", "fa")).to_html()
    assert "هیچ اقدامی ثبت نشده است" in details
    assert "سهم فروش تراکم" in details  # FIN02's caveat


def test_department_note_is_shown_beside_its_indicator(sample):
    notes = sample.actuals[(sample.actuals["year"] == 1399) & sample.actuals["note"].notna()]
    row = notes.iloc[0]
    dept = row["dept_id"]
    details = department.indicator_sections(_ctx(sample, dept, "fa")).to_html()
    assert row["note"] in details
