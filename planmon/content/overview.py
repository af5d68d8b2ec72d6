"""The plan overview's sections: title, plan headline, departments ranked, the department ×
macro goal heat map, the goal table and each department's change on the previous year."""

from __future__ import annotations

import html
from typing import Any

import pandas as pd

from planmon.content.blocks import (
    Block,
    arrow,
    esc,
    fixed,
    h,
    missing,
    p,
    pct,
    table,
    text,
    wrap_lines,
)
from planmon.content.charts import ranking_chart, status_heatmap
from planmon.content.context import ReportContext
from planmon.content.coverage import coverage_banner, not_ranked_line, not_reported_line, plan_row
from planmon.content.headline import key_figures, score_range, score_sentence, status_chips
from planmon.content.palette import STATUS_COLOURS
from planmon.core.locale import format_number, format_year
from planmon.core.vocabulary import measure_label, measure_short, status_label, term, word

__all__ = [
    "overview_title",
    "plan_headline",
    "ranking_section",
    "heatmap_section",
    "goal_table",
    "change_table",
]


def overview_title(ctx: ReportContext) -> Block:
    """The overview's title: plan name and year, then the coverage banner ("provisional" when
    the year's coverage is below the plan's threshold) and the departments that did not report."""
    lang = ctx.lang
    return Block(lang).html(
        f"<h1>{esc(ctx.plan_name)}</h1>"
        f'<p style="font-size: 1.15em; margin: 0 0 1em">'
        f"{html.escape(word('overview_title', lang, year=format_year(ctx.year, lang)))}</p>"
        + coverage_banner(ctx)
        + not_reported_line(ctx)
    )


def _year_row(frame: pd.DataFrame, year: int) -> pd.Series | None:
    hit = frame[frame["year"] == year]
    return None if hit.empty else hit.iloc[0]


def plan_headline(ctx: ReportContext) -> Block:
    """Plan-level headline: conformity, progress score and statuses, and their change on the
    previous report year."""
    lang = ctx.lang
    block = Block(lang).html(h(2, word("plan_headline", lang)))
    row = _year_row(ctx.plan_rollup, ctx.year)
    if row is None:
        return block.html(p(word("no_indicators", lang, name=ctx.plan_name)))
    change, previous = row["conformity_change"], row["previous_year"]
    change_text = ""
    if not missing(previous) and not bool(row.get("change_comparable", True)):
        change_text = word("plan_change_provisional", lang, prev=format_year(previous, lang))
    elif not missing(change) and not missing(previous):
        prev = format_year(previous, lang)
        if round(abs(float(change)), 1) == 0:
            change_text = word("plan_change_same", lang, prev=prev)
        else:
            key = "plan_change_up" if change > 0 else "plan_change_down"
            value = format_number(abs(change), lang)
            change_text = word(key, lang, value=value, prev=prev)
    sentence = word(
        "plan_sentence",
        lang,
        year=format_year(ctx.year, lang),
        conf=pct(row["conformity_pct"], lang),
        change=change_text,
        n=format_number(int(row["n_indicators"]), lang),
        k=format_number(int(row["n_with_value"]), lang),
    )
    paragraphs = p(sentence)
    if not missing(row["progress_score"]):
        paragraphs += p(score_sentence(row, lang, key="plan_score_sentence"))
    return block.html(paragraphs + key_figures(row, lang) + status_chips(row, lang))


def ranking_section(ctx: ReportContext) -> Block:
    """Departments ranked by their mean progress score in the year."""
    lang = ctx.lang
    title = word("ranking", lang)
    block = Block(lang).html(h(2, title))
    rows = ctx.department_rollup[ctx.department_rollup["year"] == ctx.year]
    if "reported" in rows.columns:  # a department whose report was not received has no rank
        rows = rows[rows["reported"].astype(bool)]
    frame = pd.DataFrame(
        {
            "label": [ctx.department_names.get(d, d) for d in rows["dept_id"]],
            "score": rows["progress_score"].to_numpy(dtype=float),
        }
    )
    if frame.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.plan_name)))
    # Wide enough that no department name wraps: wrapped two-line labels overlap their
    # neighbours at ranking_chart's row height.
    fig = ranking_chart(frame, lang=lang, value="score", label="label", wrap=60)
    note = word(
        "ranking_note",
        lang,
        name=measure_label("progress_score", lang),
        worst=_in_sentence(status_label("deterioration", lang), lang),
        best=_in_sentence(status_label("target_achieved", lang), lang),
        **score_range(lang),
    )
    return block.figure(fig, title).html(p(note, muted=True) + not_ranked_line(ctx))


def _in_sentence(label: str, lang: str) -> str:
    """A label inside an English sentence starts in lower case ("target achieved")."""
    return label[:1].lower() + label[1:] if lang == "en" else label


def _macro_goal_of(goals: pd.DataFrame) -> dict[str, str]:
    """goal_id → its macro (root) goal, following parent_id up the tree."""
    parent = {
        str(g): (text(p) or None) for g, p in zip(goals["goal_id"], goals["parent_id"], strict=True)
    }
    out: dict[str, str] = {}
    for goal in parent:
        seen, node = set(), goal
        while parent.get(node) and node not in seen:  # the loop guard tolerates a bad tree
            seen.add(node)
            node = parent[node]
        out[goal] = node
    return out


def heatmap_section(ctx: ReportContext) -> Block:
    """Mean progress score by department (rows) and macro goal (columns)."""
    lang = ctx.lang
    title = word("heatmap", lang)
    block = Block(lang).html(h(2, title))
    frame = ctx.year_scores
    if frame.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.plan_name)))
    macro = _macro_goal_of(ctx.plan.goals)
    frame = frame.assign(macro_goal=[macro.get(g, g) for g in frame["goal_id"]])
    # status_heatmap lists rows and columns in order of first appearance. Sorted by goal, then
    # department, the macro goals come in the plan's order and each department sits beside
    # the first goal it serves, so the map reads as blocks rather than scattered cells.
    dept_order = {d: i for i, d in enumerate(ctx.plan.dept_ids)}
    goal_order = {g: i for i, g in enumerate(ctx.plan.goals["goal_id"])}
    frame = frame.assign(
        _d=frame["dept_id"].map(dept_order), _g=frame["macro_goal"].map(goal_order)
    ).sort_values(["_g", "_d"], kind="stable")
    # Long department names on one line would leave the goal columns too narrow for their
    # (wrapped) names: two-line row labels give the grid about 4.5 of the 7 inches.
    labels = {d: wrap_lines(n, 26) for d, n in ctx.department_names.items()}
    labels.update(ctx.goal_names)
    columns = max(1, frame["macro_goal"].nunique())
    fig = status_heatmap(
        frame,
        row="dept_id",
        col="macro_goal",
        lang=lang,
        value="score",
        labels=labels,
        wrap=max(8, 56 // columns),
    )
    return block.figure(fig, title).html(p(word("heatmap_note", lang), muted=True))


def goal_table(ctx: ReportContext) -> Block:
    """Roll-ups of the macro goals, each followed by its micro goals."""
    lang = ctx.lang
    block = Block(lang).html(h(2, word("goals", lang)))
    rows = ctx.goal_rollup[ctx.goal_rollup["year"] == ctx.year]
    if rows.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.plan_name)))
    prev = ctx.previous_year
    headers = [
        word("goal", lang),
        word("n_indicators", lang),
        measure_label("conformity_pct", lang),
        measure_short("distance_covered_pct", lang),
        measure_label("progress_score", lang),
    ]
    if prev is not None:
        headers.append(word("change", lang, year=format_year(prev, lang)))
    ordered: list[pd.Series] = []
    by_parent = {k: g for k, g in rows.groupby(rows["parent_id"].fillna(""), sort=False)}
    for _, macro in rows[rows["depth"] == 0].iterrows():
        ordered.append(macro)
        ordered.extend(r for _, r in by_parent.get(macro["goal_id"], rows.iloc[0:0]).iterrows())
    body = []
    for r in ordered:
        is_macro = int(r["depth"]) == 0
        name = esc(ctx.goal_names.get(r["goal_id"], r["goal_id"]))
        indent = "padding-inline-start: 14pt" if not is_macro else "font-weight: bold"
        cells: list[str | tuple[str, str]] = [
            (name, indent),
            html.escape(format_number(int(r["n_indicators"]), lang)),
            html.escape(pct(r["conformity_pct"], lang)),
            html.escape(pct(r["distance_covered_pct"], lang)),
            html.escape(fixed(r["progress_score"], lang)),
        ]
        if prev is not None:
            cells.append(_change_cell(r["conformity_change"], lang, points=True))
        body.append(cells)
    return block.html(table(headers, body, first_width="38%"))


def _change_cell(change: Any, lang: str, *, points: bool) -> str:
    """A change as markup: a green ▲ or red ▼ (higher is always better here) and its size.

    ``points`` writes percentage points (two significant digits), otherwise score points
    (one decimal).
    """
    if missing(change):
        return "—"
    size = abs(float(change))
    if round(size, 1) == 0:
        return html.escape(format_number(0, lang) if points else fixed(0.0, lang))
    value = format_number(size, lang) if points else fixed(size, lang)
    colour = STATUS_COLOURS["target_achieved" if change > 0 else "deterioration"]
    return f'<span style="color: {colour}">{arrow(change)}</span> {html.escape(value)}'


def change_table(ctx: ReportContext) -> Block:
    """Each department's conformity and score against the previous report year."""
    lang = ctx.lang
    prev = ctx.previous_year
    if prev is None:
        block = Block(lang).html(h(2, word("changes", lang, year="—")))
        return block.html(p(word("no_change_year", lang, year=format_year(ctx.year, lang))))
    block = Block(lang).html(h(2, word("changes", lang, year=format_year(prev, lang))))
    row = plan_row(ctx)
    if row is not None and not bool(row.get("change_comparable", True)):
        years = {"year": format_year(ctx.year, lang), "prev": format_year(prev, lang)}
        block.html(p(word("changes_provisional", lang, **years)))
    rolled = ctx.department_rollup
    now = rolled[rolled["year"] == ctx.year].set_index("dept_id")
    before = rolled[rolled["year"] == prev].set_index("dept_id")
    now = now.assign(prev_conformity=before["conformity_pct"].reindex(now.index))
    now = now.sort_values("conformity_change", ascending=False, na_position="last")
    conformity = measure_short("conformity_pct", lang)
    score = measure_short("progress_score", lang)
    headers = [
        word("department", lang),
        word("measure_in", lang, name=conformity, year=format_year(prev, lang)),
        word("measure_in", lang, name=conformity, year=format_year(ctx.year, lang)),
        word("change", lang, year=format_year(prev, lang)),
        word("measure_in", lang, name=score, year=format_year(ctx.year, lang)),
        word("score_change", lang),
    ]
    body = []
    for dept, r in now.iterrows():
        name = esc(ctx.department_names.get(dept, dept))
        if dept in ctx.not_reported:
            name += f" ({html.escape(term('report_not_received', lang))})"
        body.append(
            [
                name,
                html.escape(pct(r["prev_conformity"], lang)),
                html.escape(pct(r["conformity_pct"], lang)),
                _change_cell(r["conformity_change"], lang, points=True),
                html.escape(fixed(r["progress_score"], lang)),
                _change_cell(r["score_change"], lang, points=False),
            ]
        )
    return block.html(table(headers, body, first_width="30%"))
