"""The district comparison's sections: its title, and the shared indicators side by side
across districts (a grouped chart and a table of values)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from planmon.content.blocks import (
    GREY,
    Block,
    chip,
    esc,
    h,
    num,
    p,
    pct,
    status_style,
    table,
    text,
)
from planmon.content.charts import district_chart
from planmon.content.context import ReportContext
from planmon.content.matching import district_matches
from planmon.content.palette import status_of
from planmon.core.locale import format_year
from planmon.core.vocabulary import column_label, unit_label, word
from planmon.measures.progress import STATUSES

__all__ = ["district_title", "district_section"]


def district_title(ctx: ReportContext) -> Block:
    """The district comparison's title."""
    lang = ctx.lang
    return Block(lang).html(
        f"<h1>{html.escape(word('district_title', lang, year=format_year(ctx.year, lang)))}</h1>"
        f'<p style="color: {GREY}; margin: 0 0 1em">{esc(ctx.plan_name)}</p>'
    )


def _district_frame(ctx: ReportContext, matches: pd.DataFrame) -> pd.DataFrame:
    """One row per district copy of a shared indicator, with its figures in the report year."""
    common = "common_fa" if ctx.lang == "fa" else "common_en"
    first = matches.drop_duplicates("key")
    group_name = {r.key: (getattr(r, common) or r.common_fa) for r in first.itertuples(index=False)}
    scores = ctx.year_scores.set_index("indicator_id")
    rows = []
    for r in matches.itertuples(index=False):
        s = scores.loc[r.indicator_id] if r.indicator_id in scores.index else None
        rows.append(
            {
                "key": r.key,
                "group": group_name[r.key],
                "dept_id": r.dept_id,
                "indicator_id": r.indicator_id,
                "achievement_pct": np.nan if s is None else s["achievement_pct"],
                "value": np.nan if s is None else s["value"],
                "status": "not_available" if s is None else status_of(s["status"]),
                "unit": text(ctx.plan.indicator(r.indicator_id)["unit"]),
            }
        )
    return pd.DataFrame(rows)


def district_section(ctx: ReportContext) -> Block:
    """Shared indicators side by side across districts: a grouped chart and a table."""
    lang = ctx.lang
    matches = district_matches(ctx.plan)
    block = Block(lang)
    if matches.empty:
        return block.html(p(word("no_districts", lang)))
    districts = list(dict.fromkeys(matches["dept_id"]))
    frame = _district_frame(ctx, matches)
    groups = list(dict.fromkeys(frame["group"]))
    highlight = ctx.dept_id if ctx.dept_id in districts else ""
    title = word("districts_chart", lang, year=format_year(ctx.year, lang))
    block.html(h(2, title))
    fig = district_chart(frame, groups, districts, ctx.department_names, lang, highlight)
    block.figure(fig, title).html(p(word("districts_note", lang), muted=True))
    legend = "".join(chip(s, lang) for s in STATUSES)
    block.html(
        h(2, word("districts_table", lang))
        + _district_table(ctx, frame, districts, highlight)
        + f"<p>{legend}</p>"
    )
    return block


def _district_table(
    ctx: ReportContext, frame: pd.DataFrame, districts: list[str], highlight: str
) -> str:
    """One row per shared indicator, one column per district: value, share of target, status."""
    lang = ctx.lang
    headers = [word("indicator", lang), column_label("unit", lang)]
    headers += [ctx.department_names.get(d, d) for d in districts]
    body = []
    for key in dict.fromkeys(frame["key"]):
        part = frame[frame["key"] == key].set_index("dept_id")
        cells: list[str | tuple[str, str]] = [
            esc(part["group"].iloc[0]),
            html.escape(unit_label(part["unit"].iloc[0], lang)),
        ]
        for dept in districts:
            if dept not in part.index:
                cells.append("")
                continue
            r = part.loc[dept]
            share = word("of_target", lang, pct=pct(r["achievement_pct"], lang))
            markup = (
                f"<div>{html.escape(num(r['value'], lang))}</div>"
                f'<div style="font-size: 0.85em">{html.escape(share)}</div>'
            )
            style = status_style(r["status"])
            if dept == highlight:
                style += "; outline: 2px solid #000000; outline-offset: -2px"
            cells.append((markup, style))
        body.append(cells)
    return table(headers, body, first_width="30%")
