"""The department report's sections: title, headline, indicator table, the comparison and
distance charts, one chart and interpretation per indicator, notes, data gaps and passports.

Each section takes the :class:`~planmon.content.context.ReportContext` and returns a
:class:`~planmon.content.blocks.Block`.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from planmon.content.annotations import department_commentary, indicator_annotations
from planmon.content.blocks import (
    GREY,
    RULE,
    Block,
    esc,
    h,
    missing,
    num,
    p,
    pct,
    status_cell,
    table,
    text,
)
from planmon.content.charts import indicator_chart
from planmon.content.charts.bars import comparison_page_chart, distance_page_chart
from planmon.content.charts.indicator import indicator_page_chart
from planmon.content.charts.legend import Chart
from planmon.content.context import ReportContext
from planmon.content.data_caveats import caveat_mark
from planmon.content.gaps import data_gaps
from planmon.content.headline import key_figures, score_sentence, status_chips
from planmon.content.interpret import MIN_TREND_POINTS, interpret_department, interpret_indicator
from planmon.content.palette import status_of
from planmon.core.locale import format_year
from planmon.core.vocabulary import (
    column_label,
    direction_label,
    frequency_label,
    kind_label,
    level_label,
    measure_short,
    unit_label,
    word,
)

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = [
    "department_title",
    "department_headline",
    "indicator_table",
    "comparison_section",
    "distance_section",
    "indicator_chart_of",
    "indicator_page_chart_of",
    "indicator_sections",
    "notes_section",
    "data_gaps_section",
    "passport_appendix",
]


def _interpret_unit(unit: Any, lang: str) -> str:
    """The unit for :func:`interpret_indicator`, which writes ``%`` itself in both languages."""
    shown = text(unit)
    return "%" if shown in ("%", "درصد", "٪") else unit_label(shown, lang)


def department_title(ctx: ReportContext) -> Block:
    """The report's title: department name, plan, year and the department's kind."""
    lang = ctx.lang
    dept = ctx.plan.department(ctx.dept_id)
    kind = kind_label(text(dept["kind"]), lang)
    subtitle = word("report_of", lang, year=format_year(ctx.year, lang))
    horizon = format_year(ctx.plan.horizon_year, lang)
    lines = [
        f"<h1>{esc(ctx.department_name)}</h1>",
        f'<p style="font-size: 1.15em; margin: 0">{html.escape(subtitle)}</p>',
        f'<p style="color: {GREY}; margin: 0.2em 0 1em">{esc(ctx.plan_name)}'
        f" · {html.escape(word('kind', lang))}: {html.escape(kind)}"
        f" · {html.escape(word('horizon', lang))}: {html.escape(horizon)}</p>",
    ]
    return Block(lang).html("".join(lines))


def _department_row(ctx: ReportContext) -> pd.Series | None:
    rows = ctx.department_rollup
    hit = rows[(rows["dept_id"] == ctx.dept_id) & (rows["year"] == ctx.year)]
    return None if hit.empty else hit.iloc[0]


def department_headline(ctx: ReportContext) -> Block:
    """Headline: the department's year in words and in key figures with the change on last year.

    The words come from :func:`planmon.content.interpret.interpret_department` (conformity, status
    counts, weakest indicator) plus a sentence on the progress score; the figures are the
    department roll-up (:func:`planmon.measures.rollup.rollup`) and
    :func:`planmon.measures.rollup.change_against_previous`.
    """
    lang = ctx.lang
    block = Block(lang).html(h(2, word("headline", lang)))
    row = _department_row(ctx)
    if row is None or int(row["n_indicators"]) == 0:
        return block.html(p(word("no_indicators", lang, name=ctx.department_name)))
    summary = interpret_department(
        row,
        ctx.scores[ctx.scores["dept_id"] == ctx.dept_id],
        lang=lang,
        name=ctx.department_name,
        indicator_names=ctx.indicator_names,
    )
    paragraphs = [summary]
    if not missing(row["progress_score"]):
        paragraphs.append(score_sentence(row, lang))
    block.html("".join(p(t) for t in paragraphs) + key_figures(row, lang) + status_chips(row, lang))
    if extra := department_commentary(ctx):
        block.html(extra)
    return block


def indicator_table(ctx: ReportContext) -> Block:
    """The department's indicators in the report year: values, targets, achievement, status."""
    lang = ctx.lang
    frame = ctx.dept_scores
    block = Block(lang).html(h(2, word("indicator_table", lang)))
    if frame.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.department_name)))
    year = format_year(ctx.year, lang)
    base_years = frame["baseline_year"].dropna().unique()
    horizon_years = frame["horizon_year"].dropna().unique()
    baseline = column_label("baseline_value", lang)
    if len(base_years) == 1:
        baseline += f" ({format_year(base_years[0], lang)})"
    horizon = word("horizon_target", lang)
    if len(horizon_years) == 1:
        horizon += f" ({format_year(horizon_years[0], lang)})"
    headers = [
        word("indicator", lang),
        column_label("unit", lang),
        baseline,
        word("target_year", lang, year=year),
        word("value_year", lang, year=year),
        measure_short("achievement_pct", lang),
        measure_short("distance_covered_pct", lang),
        horizon,
        word("status", lang),
    ]
    rows = []
    for r in frame.itertuples(index=False):
        rows.append(
            [
                esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id))
                + caveat_mark(ctx, r.indicator_id),
                esc(unit_label(r.unit, lang)),
                html.escape(num(r.baseline_value, lang)),
                html.escape(num(r.target, lang)),
                html.escape(num(r.value, lang)),
                html.escape(pct(r.achievement_pct, lang)),
                html.escape(pct(r.distance_covered_pct, lang)),
                html.escape(num(r.horizon_target, lang)),
                status_cell(r.status, lang),
            ]
        )
    return block.html(table(headers, rows, first_width="26%"))


def _labelled(ctx: ReportContext, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(label=[ctx.indicator_names.get(i, i) for i in frame["indicator_id"]])


def comparison_section(ctx: ReportContext) -> Block:
    """Current against desired state for all the department's indicators (achievement %)."""
    lang = ctx.lang
    title = word("comparison", lang, year=format_year(ctx.year, lang))
    block = Block(lang).html(h(2, title))
    if ctx.dept_scores.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.department_name)))
    chart = comparison_page_chart(_labelled(ctx, ctx.dept_scores), lang=lang, label="label")
    return block.chart(chart, title).html(p(word("comparison_note", lang), muted=True))


def distance_section(ctx: ReportContext) -> Block:
    """How far each indicator has come from its baseline towards its horizon target."""
    lang = ctx.lang
    title = word("distance_title", lang, year=format_year(ctx.plan.horizon_year, lang))
    block = Block(lang).html(h(2, title))
    if ctx.dept_scores.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.department_name)))
    chart = distance_page_chart(_labelled(ctx, ctx.dept_scores), lang=lang, label="label")
    return block.chart(chart, title).html(p(word("distance_note", lang), muted=True))


def _indicator_chart_inputs(ctx: ReportContext, indicator_id: str) -> dict[str, Any]:
    """The arguments of an indicator's chart: the data an analyst had in the report year."""
    row = ctx.year_scores[ctx.year_scores["indicator_id"] == indicator_id]
    trend = row.iloc[0] if not row.empty else None
    status = None if trend is None else status_of(trend["status"])
    if trend is not None and not (trend["n_points"] >= MIN_TREND_POINTS):
        # The interpretation says the trend cannot be judged from so few values; a projected
        # line beside it would say the opposite.
        trend = None
    history = ctx.plan.series(indicator_id)
    history = history[history["year"] <= ctx.year]
    indicator = ctx.plan.indicator(indicator_id)
    return {
        "history": history,
        "targets": ctx.plan.targets_of(indicator_id),
        "trend": trend,
        "name": ctx.indicator_names.get(indicator_id, indicator_id),
        "unit": unit_label(indicator["unit"], ctx.lang),
        "lang": ctx.lang,
        "status": status,
    }


def indicator_chart_of(ctx: ReportContext, indicator_id: str) -> Figure:
    """One indicator's chart (title and legend inside the figure), for an analyst."""
    return indicator_chart(**_indicator_chart_inputs(ctx, indicator_id))


def indicator_page_chart_of(ctx: ReportContext, indicator_id: str) -> Chart:
    """One indicator's chart for the report page, which sets its title and legend."""
    return indicator_page_chart(**_indicator_chart_inputs(ctx, indicator_id))


def _interpretation(ctx: ReportContext, row: pd.Series) -> str:
    indicator = ctx.plan.indicator(row["indicator_id"])
    tolerance = indicator.get("tolerance")
    return interpret_indicator(
        row,
        lang=ctx.lang,
        name=ctx.indicator_names.get(row["indicator_id"], row["indicator_id"]),
        unit=_interpret_unit(indicator["unit"], ctx.lang),
        calendar=ctx.plan.meta.get("calendar"),
        tolerance=None if missing(tolerance) else float(tolerance),
    )


def indicator_sections(ctx: ReportContext) -> Block:
    """For each indicator: its chart (baseline, actuals, targets, trend with its interval band)
    and its generated interpretation."""
    lang = ctx.lang
    block = Block(lang).html(h(2, word("details", lang)))
    if ctx.dept_scores.empty:
        return block.html(p(word("no_indicators", lang, name=ctx.department_name)))
    for _, row in ctx.dept_scores.iterrows():
        block.chart(indicator_page_chart_of(ctx, row["indicator_id"]))
        block.html(
            caveat_mark(ctx, row["indicator_id"])
            + f'<p style="margin: -0.3em 0 1.4em">{html.escape(_interpretation(ctx, row))}</p>'
            + indicator_annotations(ctx, row)
        )
    return block


def notes_section(ctx: ReportContext) -> Block:
    """The notes the department sent with its report for the year."""
    lang = ctx.lang
    block = Block(lang).html(h(2, word("notes", lang, year=format_year(ctx.year, lang))))
    actuals = ctx.plan.actuals
    rows = actuals[
        (actuals["dept_id"] == ctx.dept_id)
        & (actuals["year"] == ctx.year)
        & actuals["note"].notna()
    ]
    if rows.empty:
        return block.html(p(word("no_notes", lang), muted=True))
    with_source = rows["source"].notna().any()
    headers = [word("indicator", lang), word("value_year", lang, year=format_year(ctx.year, lang))]
    headers += [column_label("note", lang)]
    headers += [column_label("source", lang)] if with_source else []
    body = []
    for r in rows.itertuples(index=False):
        cells = [
            esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id)),
            html.escape(num(r.value, lang)),
            esc(r.note),
        ]
        if with_source:
            cells.append(esc(r.source))
        body.append(cells)
    return block.html(table(headers, body, first_width="30%"))


def data_gaps_section(ctx: ReportContext) -> Block:
    """Missing values, a missing report, and indicators without targets, as a list."""
    lang = ctx.lang
    year = format_year(ctx.year, lang)
    block = Block(lang).html(h(2, word("gaps", lang)))
    gaps = data_gaps(ctx.plan, ctx.dept_id, ctx.year)
    if gaps.empty:
        return block.html(p(word("no_gaps", lang, year=year)))
    items = []
    for gap in gaps.itertuples(index=False):
        name = ctx.indicator_names.get(gap.indicator_id, text(gap.indicator_id))
        item = word(f"gap_{gap.gap}", lang, name=name, year=year)
        if gap.gap == "blank_value":
            item += word("gap_reason", lang, note=gap.note) if gap.note else "."
        items.append(f"<li>{html.escape(item)}</li>")
    return block.html(f"<ul>{''.join(items)}</ul>")


_PASSPORT_FIELDS = ("definition", "formula", "level", "responsible", "source", "frequency")
# A level alone classifies an indicator; it takes one of these to make a passport.
_PASSPORT_CONTENT = ("definition", "formula", "responsible", "source", "frequency")


def _passport_value(key: str, value: Any, lang: str) -> str:
    shown = text(value)
    if key == "level":
        return level_label(shown, lang)
    if key == "frequency":
        return frequency_label(shown, lang)
    return shown


def _field(label: str, value: str) -> str:
    return f'<span style="color: {GREY}">{html.escape(label)}:</span> {esc(value)}'


def passport_appendix(ctx: ReportContext) -> Block:
    """Appendix: each indicator's passport (definition, formula, level, responsible unit,
    source, frequency), for the indicators the plan has one for.

    An indicator with nothing but a level has no passport. Each passport takes four short
    lines (facts, definition, formula, who measures it and where from), so a department's
    appendix fits on a page or two.
    """
    lang = ctx.lang
    block = Block(lang).html(h(2, word("appendix", lang)))
    indicators = ctx.plan.indicators_of(ctx.dept_id)
    fields = [f for f in _PASSPORT_FIELDS if f in indicators.columns]
    shown = 0
    for _, ind in indicators.iterrows():
        present = {f: _passport_value(f, ind[f], lang) for f in fields if text(ind[f])}
        if not any(f in present for f in _PASSPORT_CONTENT):
            continue
        shown += 1
        facts = [
            (word("passport_id", lang), text(ind["indicator_id"])),
            (column_label("unit", lang), unit_label(ind["unit"], lang)),
            (column_label("direction", lang), direction_label(text(ind["direction"]), lang)),
        ]
        facts += [
            (column_label(f, lang), present[f]) for f in ("level", "frequency") if f in present
        ]
        lines = [" · ".join(_field(k, v) for k, v in facts if v)]
        lines += [
            _field(column_label(f, lang), present[f])
            for f in ("definition", "formula")
            if f in present
        ]
        who = [
            (column_label(f, lang), present[f]) for f in ("responsible", "source") if f in present
        ]
        if who:
            lines.append(" · ".join(_field(k, v) for k, v in who))
        name = ctx.indicator_names.get(ind["indicator_id"], ind["indicator_id"])
        body = "".join(f'<div style="margin: 0.1em 0">{line}</div>' for line in lines)
        block.html(
            f'<div class="planmon-passport" style="break-inside: avoid; margin: 0 0 0.9em; '
            f'padding-bottom: 0.4em; border-bottom: 1px solid {RULE}">'
            f'<h3 style="margin-bottom: 0.2em">{esc(name)}</h3>{body}</div>'
        )
    if not shown:
        block.html(p(word("no_passports", lang), muted=True))
    return block
