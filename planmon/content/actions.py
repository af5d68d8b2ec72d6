"""Which indicators are off track, which actions serve them, and what to flag (no measures).

Pure functions on the scores frame (:meth:`planmon.plan.model.Plan.scores`) and the plan's
``actions`` table (:attr:`planmon.plan.model.Plan.actions`), plus the HTML of an indicator's
actions. An action's ``indicator_id`` holds its indicators joined with ``;``.
"""

from __future__ import annotations

import html

import pandas as pd

from planmon.content.blocks import GREY, esc, missing
from planmon.core.locale import MISSING, format_percent, format_year
from planmon.core.vocabulary import ACTION_STATUSES, word

__all__ = [
    "OFF_TRACK_STATUSES",
    "OFF_TRACK_PACES",
    "CLOSED_ACTIONS",
    "off_track",
    "deteriorating",
    "actions_of",
    "is_overdue",
    "action_flags",
    "actions_html",
]

#: Statuses, and paces (``pace_status``), that make an indicator off track.
OFF_TRACK_STATUSES = ("limited_progress", "deterioration")
OFF_TRACK_PACES = ("stagnating", "decreasing")
#: Action statuses that can no longer be late.
CLOSED_ACTIONS = ("done", "cancelled")


def off_track(scores: pd.DataFrame) -> pd.Series:
    """True for each row of ``scores`` whose status is limited progress or deterioration, or
    whose pace is stagnating or decreasing."""
    status = scores["status"].isin(OFF_TRACK_STATUSES)
    if "pace_status" in scores.columns:
        status = status | scores["pace_status"].isin(OFF_TRACK_PACES)
    return status.fillna(False).astype(bool)


def deteriorating(scores: pd.DataFrame, previous: pd.DataFrame) -> pd.Series:
    """True where the score fell against the previous year's (both years comparable: a score
    on each side); ``previous`` is the scores frame of the year before (may be empty)."""
    before = previous.set_index("indicator_id")["score"] if len(previous) else pd.Series()
    old = scores["indicator_id"].map(before).astype("float64")
    change = scores["score"].astype("float64") - old
    return (change < 0).fillna(False).astype(bool)


def actions_of(actions: pd.DataFrame, indicator_id: str) -> pd.DataFrame:
    """The actions whose ``indicator_id`` cell names ``indicator_id``."""
    cells = actions["indicator_id"].fillna("").astype(str)
    hit = cells.map(lambda cell: indicator_id in cell.split(";"))
    return actions[hit.astype(bool)]


def is_overdue(action: pd.Series, year: int) -> bool:
    """Due before ``year`` (the report year) and neither done nor cancelled."""
    due = action.get("due_year")
    return (not missing(due)) and int(due) < year and action["status"] not in CLOSED_ACTIONS


def action_flags(scores: pd.DataFrame, actions: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per flag: a lagging (off-track) indicator with no action (``kind="no_action"``),
    a delayed action (``"delayed"``), an overdue one (``"overdue"``).

    Columns ``kind``, ``indicator_id`` (the lagging indicator or None), ``action_id`` (or None).
    """
    rows = []
    for ind in scores.loc[off_track(scores), "indicator_id"]:
        if actions_of(actions, ind).empty:
            rows.append(("no_action", ind, None))
    for _, action in actions.iterrows():
        if action["status"] == "delayed":
            rows.append(("delayed", None, action["action_id"]))
        elif is_overdue(action, year):
            rows.append(("overdue", None, action["action_id"]))
    return pd.DataFrame(rows, columns=["kind", "indicator_id", "action_id"], dtype=object)


def _title(action: pd.Series, lang: str) -> str:
    title = action.get(f"title_{lang}")
    return action["title_fa"] if missing_text(title) else title


def missing_text(value: object) -> bool:
    """True for a blank text cell."""
    return value is None or (not isinstance(value, str) and pd.isna(value)) or value == ""


def _line(action: pd.Series, year: int, lang: str) -> str:
    status = ACTION_STATUSES.get(action["status"], {}).get(lang, str(action["status"]))
    late = action["status"] == "delayed" or is_overdue(action, year)
    if is_overdue(action, year):
        status = (
            f"{status}، {word('action_overdue', lang)}"
            if lang == "fa"
            else (f"{status}, {word('action_overdue', lang)}")
        )
    years = {
        k: MISSING if missing(action.get(c)) else format_year(int(action[c]), lang)
        for k, c in (("start", "start_year"), ("due", "due_year"))
    }
    progress = action.get("progress_pct")
    line = word(
        "action_line",
        lang,
        title="\x00t",
        owner="\x00o",
        progress=MISSING if missing(progress) else format_percent(progress, lang),
        status=status,
        **years,
    )
    owner = action.get("owner")
    out = html.escape(line).replace("\x00t", f"<b>{esc(_title(action, lang))}</b>")
    out = out.replace("\x00o", MISSING if missing_text(owner) else esc(owner))
    if not missing_text(action.get("note")):
        out += f' <span style="color: {GREY}">— {esc(action["note"])}</span>'
    style = ' style="color: #b03a2e"' if late else ""
    return f"<li{style}>{out}</li>"


def actions_html(actions: pd.DataFrame, year: int, lang: str, *, lagging: bool = False) -> str:
    """An indicator's actions as a list (a delayed or overdue one in red); for a ``lagging``
    indicator with none, the flag that none is recorded; else ""."""
    if actions.empty:
        if not lagging:
            return ""
        return f'<p class="flag" style="color: #b03a2e">{html.escape(word("no_action", lang))}</p>'
    items = "".join(_line(a, year, lang) for _, a in actions.iterrows())
    head = html.escape(word("actions", lang))
    return f'<div class="actions"><p><b>{head}</b></p><ul>{items}</ul></div>'
