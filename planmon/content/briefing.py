"""The executive briefing at the front of the plan overview (issue 11, item 3): two pages at
most, for a manager with two minutes.

It says: the plan's headline with its coverage; the indicators off track or going backwards,
with their responsible unit, their chance of reaching the horizon target and their actions;
what changed since the previous year (status changes, and the corrections to earlier values
that ``planmon ingest`` recorded in the audit log); the departments that did not report; the
data caveats; and, for each department behind, the driver of its score (the indicator with the
largest weighted shortfall) with the department's own explanation when it gave one. Nothing
is inferred beyond the data: no cause is invented.

The audit log (``<plan>/.planmon/audit.jsonl``, written by :mod:`planmon.collect.audit`) is read
here with a small reader of its JSON lines: ``collect`` comes after ``content`` in the stage
order, so this module cannot import it. A missing or unreadable log means "no corrections".
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import pandas as pd

from planmon.content.actions import actions_of, deteriorating, missing_text, off_track
from planmon.content.blocks import Block, esc, h, missing, p, status_cell, table
from planmon.content.commentary import note_for
from planmon.content.context import ReportContext
from planmon.core.locale import format_number, format_percent, format_year
from planmon.core.vocabulary import (
    ACTION_STATUSES,
    SCORE_RANGE,
    caveat_label,
    column_label,
    status_label,
    word,
)

__all__ = [
    "MAX_BRIEFING_ROWS",
    "corrections",
    "score_drivers",
    "off_track_rows",
    "executive_briefing",
]

#: At most this many indicators (and changes) are listed, so the briefing stays within two
#: pages; the rest are counted.
MAX_BRIEFING_ROWS = 10
_AUDIT_LOG = Path(".planmon") / "audit.jsonl"


def corrections(plan_path: Path, year: int) -> pd.DataFrame:
    """Values corrected by ingest for ``year`` or earlier (ingests not undone), latest first.

    Columns ``time``, ``year``, ``dept_id``, ``indicator_id``, ``old``, ``new``. Empty when the
    plan has no audit log.
    """
    columns = ["time", "year", "dept_id", "indicator_id", "old", "new"]
    path = Path(plan_path) / _AUDIT_LOG
    records = []
    try:
        lines = path.read_text(encoding="utf-8").splitlines() if path.is_file() else []
    except (OSError, UnicodeDecodeError):
        lines = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a damaged line: the collect commands report it
        if isinstance(record, dict):
            records.append(record)
    undone = {r.get("undoes") for r in records if r.get("kind") == "undo"}
    rows = []
    for r in records:
        if r.get("kind") != "ingest" or r.get("id") in undone or not isinstance(r.get("year"), int):
            continue
        if r["year"] > year:
            continue
        for c in r.get("changes") or []:
            if isinstance(c, dict) and c.get("change") == "corrected":
                rows.append(
                    [r.get("time"), r["year"], c.get("dept_id"), c.get("indicator_id"),
                     c.get("old"), c.get("new")]
                )  # fmt: skip
    out = pd.DataFrame(rows, columns=columns)
    return out.iloc[::-1].reset_index(drop=True)


def score_drivers(scores: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """For each department, the indicator with the largest weighted shortfall: weight ×
    (best score − score), the best score being ``SCORE_RANGE[1]``. Columns ``dept_id``,
    ``indicator_id``, ``shortfall``; departments without a scored indicator are left out."""
    weights = indicators.set_index("indicator_id")["weight"]
    s = scores.dropna(subset=["score"])
    shortfall = s["indicator_id"].map(weights).fillna(1.0) * (SCORE_RANGE[1] - s["score"])
    s = s.assign(shortfall=shortfall).sort_values(["dept_id", "shortfall"], ascending=[1, 0])
    return s.drop_duplicates("dept_id")[["dept_id", "indicator_id", "shortfall"]]


def off_track_rows(ctx: ReportContext) -> pd.DataFrame:
    """The year's indicators that are off track or whose score fell: the off-track ones first,
    each group least likely to reach the horizon target first."""
    now = ctx.year_scores
    previous = ctx.scores[ctx.scores["year"] == ctx.previous_year] if ctx.previous_year else now[:0]
    falling = deteriorating(now, previous)
    hit = off_track(now) | falling
    out = now[hit.to_numpy()].assign(
        falling=falling[hit].to_numpy(), behind=off_track(now)[hit].to_numpy()
    )
    keys = ["behind", "p_reach_target", "indicator_id"]
    return out.sort_values(keys, ascending=[False, True, True], na_position="last")


def _responsible(ctx: ReportContext, indicator_id: str, dept_id: str) -> str:
    value = ctx.plan.indicator(indicator_id).get("responsible")
    return ctx.department_names.get(dept_id, dept_id) if missing_text(value) else str(value)


def _actions_cell(ctx: ReportContext, indicator_id: str) -> str:
    actions = actions_of(ctx.plan.actions, indicator_id)
    if actions.empty:
        flag = word("no_action", ctx.lang) if len(ctx.plan.actions) else ""
        return f'<span style="color: #b03a2e">{html.escape(flag)}</span>'
    parts = []
    for _, a in actions.iterrows():
        title = a.get(f"title_{ctx.lang}")
        title = a["title_fa"] if missing_text(title) else title
        status = ACTION_STATUSES.get(a["status"], {}).get(ctx.lang, a["status"])
        parts.append(f"{esc(title)} ({html.escape(status)})")
    return "<br>".join(parts)


def _chance(p_reach: object, lang: str) -> str:
    """A probability (0–1) as a percentage; below 1 % as «< 1 %» (the model is not that exact)."""
    if missing(p_reach):
        return "–"
    if float(p_reach) < 0.01:
        return "< " + format_percent(1, lang)
    return format_percent(round(100 * float(p_reach)), lang)


def _off_track_table(ctx: ReportContext) -> str:
    lang, rows = ctx.lang, off_track_rows(ctx)
    if rows.empty:
        return ""
    headers = [
        word("indicator", lang),
        column_label("responsible", lang),
        word("status", lang),
        word("chance", lang),
        word("actions", lang),
    ]
    body = []
    for r in rows.head(MAX_BRIEFING_ROWS).itertuples(index=False):
        chance = r.p_reach_target
        body.append(
            [
                esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id)),
                esc(_responsible(ctx, r.indicator_id, r.dept_id)),
                status_cell(r.status, lang),
                html.escape(_chance(chance, lang)),
                _actions_cell(ctx, r.indicator_id),
            ]
        )
    more = len(rows) - MAX_BRIEFING_ROWS
    note = p(word("and_more", lang, n=format_number(more, lang)), muted=True) if more > 0 else ""
    return h(3, word("briefing_off_track", lang)) + table(headers, body) + note


def _changes(ctx: ReportContext) -> str:
    """Status changes against the previous year and the corrections in the audit log."""
    lang, items = ctx.lang, []
    if ctx.previous_year:
        before = ctx.scores[ctx.scores["year"] == ctx.previous_year].set_index("indicator_id")
        for r in ctx.year_scores.itertuples(index=False):
            if r.indicator_id in before.index:
                old = before.at[r.indicator_id, "status"]
                if old != r.status and "not_available" not in (old, r.status):
                    name = ctx.indicator_names.get(r.indicator_id, r.indicator_id)
                    items.append(
                        word(
                            "status_changed",
                            lang,
                            name=name,
                            old=status_label(old, lang),
                            new=status_label(r.status, lang),
                        )
                    )
    for r in corrections(ctx.plan.path, ctx.year).itertuples(index=False):
        items.append(
            word(
                "correction",
                lang,
                name=ctx.indicator_names.get(r.indicator_id, str(r.indicator_id)),
                year=format_year(r.year, lang),
                old="–" if missing(r.old) else format_number(r.old, lang),
                new="–" if missing(r.new) else format_number(r.new, lang),
            )
        )
    shown = items[:MAX_BRIEFING_ROWS] or [word("no_changes", lang)]
    more = len(items) - MAX_BRIEFING_ROWS
    if more > 0:
        shown.append(word("and_more", lang, n=format_number(more, lang)))
    body = "".join(f"<li>{html.escape(t)}</li>" for t in shown)
    return h(3, word("briefing_changes", lang)) + f"<ul>{body}</ul>"


def _not_reported(ctx: ReportContext) -> str:
    files = ctx.plan.report_files
    sent = set(files.loc[files["year"] == ctx.year, "dept_id"])
    names = [ctx.department_names[d] for d in ctx.plan.dept_ids if d not in sent]
    text = "، ".join(names) if ctx.lang == "fa" else ", ".join(names)
    return h(3, word("briefing_missing", ctx.lang)) + p(text or word("all_reported", ctx.lang))


def _caveats(ctx: ReportContext) -> str:
    caveats = ctx.plan.caveats
    if caveats.empty:
        return ""
    counts = caveats.groupby("code", sort=True)["indicator_id"].nunique()
    lang = ctx.lang
    items = [
        word("caveat_count", lang, label=caveat_label(code, lang), n=format_number(n, lang))
        for code, n in counts.items()
    ]
    body = "".join(f"<li>{html.escape(t)}</li>" for t in items)
    return h(3, word("briefing_caveats", lang)) + f"<ul>{body}</ul>"


def _drivers(ctx: ReportContext) -> str:
    """For each department with an off-track indicator: its score's driver, and its own
    explanation (the note it wrote beside that indicator) when it gave one."""
    lang, now = ctx.lang, ctx.year_scores
    behind = set(now.loc[off_track(now), "dept_id"])
    out = []
    for r in score_drivers(now, ctx.plan.indicators).itertuples(index=False):
        if r.dept_id not in behind:
            continue
        dept = ctx.department_names.get(r.dept_id, r.dept_id)
        name = ctx.indicator_names.get(r.indicator_id, r.indicator_id)
        text = word("driver", lang, dept=dept, name=name)
        note = note_for(ctx.plan.actuals, ctx.year, r.indicator_id)
        if note:
            text += " " + word("explanation", lang, note=note)
        out.append(f"<li>{html.escape(text)}</li>")
    return f"<ul>{''.join(out)}</ul>" if out else ""


def _headline(ctx: ReportContext) -> str:
    row = ctx.plan_rollup[ctx.plan_rollup["year"] == ctx.year]
    if row.empty:
        return p(word("no_indicators", ctx.lang, name=ctx.plan_name))
    r, lang = row.iloc[0], ctx.lang
    sentence = word(
        "plan_sentence",
        lang,
        year=format_year(ctx.year, lang),
        conf=format_percent(r["conformity_pct"], lang) if not missing(r["conformity_pct"]) else "–",
        change="",
        n=format_number(int(r["n_indicators"]), lang),
        k=format_number(int(r["n_with_value"]), lang),
    )
    return p(sentence.replace("  ", " "))


def executive_briefing(ctx: ReportContext) -> Block:
    """The executive briefing (two pages at most): headline and coverage, the indicators off
    track or going backwards with their owners, chances and actions, the drivers of the
    departments behind, what changed since last year, who did not report, the data caveats."""
    parts = [
        h(2, word("briefing", ctx.lang)),
        _headline(ctx),
        _off_track_table(ctx),
        _drivers(ctx),
        _changes(ctx),
        _not_reported(ctx),
        _caveats(ctx),
    ]
    return Block(ctx.lang).html('<section class="briefing">' + "".join(parts) + "</section>")
