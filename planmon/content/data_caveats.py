"""The validation findings that travel with a department's numbers: the report's "Data
caveats" section («ملاحظات داده‌ها») and the mark shown beside an indicator that has one.

The findings come from two places that say the same thing at two grains: ``plan.caveats``
(one row per validation warning with its code, indicator, year and located message) and the
scores frame's ``caveats`` column (the codes of each indicator-year, ``;``-separated). Labels
are those of :data:`planmon.core.vocabulary.CAVEATS`. An indicator whose targets contradict
its direction (``targets_against_direction``) is thus never shown as a silent success.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from planmon.content.blocks import GREY, Block, esc, h, p, table, text
from planmon.core.locale import format_year
from planmon.core.vocabulary import caveat_label, term, word

if TYPE_CHECKING:
    from planmon.content.context import ReportContext

__all__ = ["caveat_codes", "caveat_mark", "department_caveats", "data_caveats_section"]

CAVEAT_COLOUR = "#b45309"


def caveat_codes(ctx: ReportContext, indicator_id: str) -> list[str]:
    """The caveat codes of one indicator in the report year (scores' ``caveats`` column, then
    the plan's findings for every year), without repeats."""
    codes: list[str] = []
    rows = ctx.year_scores[ctx.year_scores["indicator_id"] == indicator_id]
    if "caveats" in rows.columns:
        for value in rows["caveats"]:
            codes += [c for c in text(value).split(";") if c]
    found = ctx.plan.caveats
    mine = found[(found["indicator_id"] == indicator_id) & found["year"].isna()]
    codes += list(mine["code"])
    return list(dict.fromkeys(codes))


def caveat_mark(ctx: ReportContext, indicator_id: str) -> str:
    """Markup beside an indicator's name or chart: "⚠ <caveat>" per code ("" when none)."""
    labels = [caveat_label(c, ctx.lang) for c in caveat_codes(ctx, indicator_id)]
    if not labels:
        return ""
    shown = "؛ ".join(labels) if ctx.lang == "fa" else "; ".join(labels)
    return (
        f'<span class="planmon-caveat" style="color: {CAVEAT_COLOUR}; font-size: 0.85em; '
        f'display: block">⚠ {html.escape(shown)}</span>'
    )


def department_caveats(ctx: ReportContext) -> pd.DataFrame:
    """The findings on the department's indicators up to the report year.

    Returns ``indicator_id, code, years, message``: one row per indicator and code, ``years``
    the sorted years concerned (empty = every year), ``message`` the first located message.
    """
    ids = list(ctx.dept_scores["indicator_id"]) or list(
        ctx.plan.indicators.loc[ctx.plan.indicators["dept_id"] == ctx.dept_id, "indicator_id"]
    )
    found = ctx.plan.caveats
    found = found[found["indicator_id"].isin(ids)]
    rows = []
    for (indicator, code), group in found.groupby(["indicator_id", "code"], sort=False):
        years = sorted(int(y) for y in group["year"].dropna())
        rows.append((indicator, code, tuple(years), str(group["message"].iloc[0])))
    seen = {(r[0], r[1]) for r in rows}
    for indicator in ids:  # codes of the scores frame without a finding of their own
        for code in caveat_codes(ctx, indicator):
            if (indicator, code) not in seen:
                rows.append((indicator, code, (ctx.year,), ""))
                seen.add((indicator, code))
    order = {k: i for i, k in enumerate(ids)}
    frame = pd.DataFrame(rows, columns=["indicator_id", "code", "years", "message"])
    return frame.sort_values("indicator_id", key=lambda s: s.map(order), kind="stable")


def _capital(label: str) -> str:
    return label[:1].upper() + label[1:]


def data_caveats_section(ctx: ReportContext) -> Block:
    """The "Data caveats" section: every validation finding on the department's indicators."""
    lang = ctx.lang
    block = Block(lang).html(h(2, term("data_caveats", lang)))
    frame = department_caveats(ctx)
    if frame.empty:
        return block.html(p(word("no_caveats", lang)))
    sep = "، " if lang == "fa" else ", "
    body = []
    for r in frame.itertuples(index=False):
        years = sep.join(format_year(y, lang) for y in r.years) or word("every_year", lang)
        message = (
            f'<div style="color: {GREY}; font-size: 0.85em">{esc(r.message)}</div>'
            if r.message
            else ""
        )
        body.append(
            [
                esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id)),
                html.escape(_capital(caveat_label(r.code, lang))) + message,
                html.escape(years),
            ]
        )
    headers = [word("indicator", lang), word("caveat_code", lang), word("year_axis", lang)]
    note = p(word("caveats_note", lang), muted=True)
    return block.html(table(headers, body, first_width="30%") + note)
