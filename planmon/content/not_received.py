"""The short report of a department whose report for the year was not received.

No notebook runs for it (issue 13): :func:`planmon.build.planner.plan_jobs` renders
:func:`not_received_report` while planning and the build wraps it in the same HTML template as
every other report. The page says up front that the report was "not received" (Persian «گزارش
دریافت نشد»), gives no figures and no rank, names the last report received, and lists the
indicators the department owes for the year with their last reported value — one or two pages,
never a page of empty charts.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import pandas as pd

from planmon.content.blocks import GREY, Block, esc, h, num, p, table, text
from planmon.core.locale import format_year
from planmon.core.vocabulary import column_label, kind_label, term, unit_label, word

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["not_received_report"]

_BANNER = (
    "border: 1.5px solid #b45309; background: #fff4e0; padding: 6pt 9pt; margin: 0 0 0.9em; "
    "border-radius: 3pt"
)


def _name(row: pd.Series, lang: str, fallback: str) -> str:
    other = "name_fa" if lang == "en" else "name_en"
    return text(row.get(f"name_{lang}")) or text(row.get(other)) or fallback


def _plan_name(plan: Plan, lang: str) -> str:
    meta = plan.meta
    return text(meta.get(f"name_{lang}")) or text(meta.get("name_fa")) or plan.name


def _expected_table(plan: Plan, year: int, dept_id: str, lang: str) -> str:
    """The department's indicators: unit, the year's target and the last value reported."""
    indicators = plan.indicators[plan.indicators["dept_id"] == dept_id]
    targets = plan.targets[plan.targets["year"] == year].set_index("indicator_id")["target"]
    actuals = plan.actuals[
        (plan.actuals["dept_id"] == dept_id) & (plan.actuals["year"] < year)
    ].dropna(subset=["value"])
    last = actuals.sort_values("year").groupby("indicator_id").tail(1).set_index("indicator_id")
    rows = []
    for _, ind in indicators.iterrows():
        key = ind["indicator_id"]
        if key in last.index:
            seen = last.loc[key]
            value = f"{num(seen['value'], lang)} ({format_year(int(seen['year']), lang)})"
        else:
            value = "—"
        rows.append(
            [
                esc(_name(ind, lang, key)),
                esc(unit_label(ind["unit"], lang)),
                html.escape(num(targets.get(key), lang)),
                html.escape(value),
            ]
        )
    headers = [
        word("indicator", lang),
        column_label("unit", lang),
        word("target_year", lang, year=format_year(year, lang)),
        word("last_value", lang),
    ]
    return table(headers, rows, first_width="40%")


def not_received_report(plan: Plan, year: int, dept_id: str, lang: str) -> Block:
    """The whole report of a department that sent no report for ``year``.

    Parameters
    ----------
    plan : Plan
        The loaded plan.
    year : int
        The report year.
    dept_id : str
        The department (one of ``plan.dept_ids``).
    lang : {"fa", "en"}
        Report language.

    Returns
    -------
    Block
        HTML only (no charts): title, the "not received" banner and summary line, the last
        report received, the indicators owed for the year and what to do.
    """
    dept = plan.department(dept_id)
    name = _name(dept, lang, dept_id)
    year_text = format_year(year, lang)
    subtitle = word("report_of", lang, year=year_text)
    kind = kind_label(text(dept.get("kind")), lang)
    label = term("report_not_received", lang)
    files = plan.report_files
    earlier = sorted(int(y) for y in files.loc[files["dept_id"] == dept_id, "year"] if y < year)
    if earlier:
        last = word("not_received_last", lang, last=format_year(earlier[-1], lang))
    else:
        last = word("not_received_never", lang)
    block = Block(lang).html(
        f"<h1>{esc(name)}</h1>"
        f'<p style="font-size: 1.15em; margin: 0">{html.escape(subtitle)}</p>'
        f'<p style="color: {GREY}; margin: 0.2em 0 1em">{esc(_plan_name(plan, lang))}'
        f" · {html.escape(word('kind', lang))}: {html.escape(kind)}</p>"
        f'<div class="planmon-not-received" style="{_BANNER}"><strong>'
        f"{html.escape(label[:1].upper() + label[1:])}</strong></div>"
    )
    block.html(
        h(2, word("headline", lang))
        + p(word("not_received_sentence", lang, year=year_text, name=name))
        + p(last)
    )
    block.html(
        h(2, word("not_received_expected", lang, year=year_text))
        + _expected_table(plan, year, dept_id, lang)
        + p(word("not_received_action", lang, year=year_text), muted=True)
    )
    return block
