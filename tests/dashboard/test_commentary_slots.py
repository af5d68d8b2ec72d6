"""The plan's commentary and actions arrive in the dashboard's payload (browser-free)."""

from __future__ import annotations

import json

import planmon
from planmon.dashboard.frames import frames_for
from planmon.dashboard.payload import build_payload, payload_for


def test_sample_commentary_and_actions_in_the_payload():
    plan = planmon.load()
    payload = payload_for(plan)
    actions = payload["actions"]
    rows = [dict(zip(actions["fields"], r, strict=True)) for r in actions["rows"]]
    assert len(rows) == 12
    bus = next(r for r in rows if r["action_id"] == "BUS-A1")
    assert bus["indicator_id"] == "BUS02;BUS03" and bus["status"] == "delayed"
    assert bus["due_year"] == 1400 and bus["progress_pct"] == 20
    commentary = payload["commentary"]
    texts = [dict(zip(commentary["fields"], r, strict=True)) for r in commentary["rows"]]
    assert any(t["text_en"] and "Commit the new bus purchase" in t["text_en"] for t in texts)
    assert any(t["text_en"] is None for t in texts)  # a Persian-only row stays None
    json.dumps(payload, allow_nan=False)  # JSON-ready: no NaN, no NumPy


def test_frames_carry_the_tables_and_a_caller_without_them_gets_the_plans():
    plan = planmon.load()
    frames = frames_for(plan)
    assert len(frames.actions) == 12
    payload = build_payload(plan, frames.scores, frames.rollups)
    assert len(payload["commentary"]["rows"]) == len(plan.commentary)
