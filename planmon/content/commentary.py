"""The analysts' commentary and the department's own notes, placed where they belong.

Pure selection (:func:`commentary_for`, :func:`note_for`) on the plan's ``commentary`` table
and ``actuals``, and the HTML placed inside an indicator's section or at the top of a
department's section. Every text is untrusted: escaped by :func:`planmon.content.blocks.esc`.
"""

from __future__ import annotations

import html

import pandas as pd

from planmon.content.actions import missing_text
from planmon.content.blocks import GREY, esc
from planmon.core.vocabulary import COMMENTARY_KINDS, word

__all__ = ["commentary_for", "note_for", "commentary_html", "note_html"]

_KIND_ORDER = {kind: i for i, kind in enumerate(COMMENTARY_KINDS)}


def commentary_for(
    commentary: pd.DataFrame, year: int, dept_id: str, indicator_id: str | None = None
) -> pd.DataFrame:
    """The commentary rows of a department's year: about ``indicator_id``, or (None) about
    the department as a whole; analysis, then recommendation, then caveat."""
    c = commentary[(commentary["year"] == year) & (commentary["dept_id"] == dept_id)]
    if indicator_id is None:
        c = c[c["indicator_id"].isna()]
    else:
        c = c[c["indicator_id"] == indicator_id]
    order = c["kind"].map(_KIND_ORDER)
    return c.assign(_order=order).sort_values("_order", kind="stable").drop(columns="_order")


def note_for(actuals: pd.DataFrame, year: int, indicator_id: str) -> str | None:
    """The note the department wrote beside ``indicator_id`` in its report for ``year``."""
    rows = actuals[(actuals["year"] == year) & (actuals["indicator_id"] == indicator_id)]
    notes = rows["note"].dropna()
    return None if notes.empty else str(notes.iloc[0])


def commentary_html(rows: pd.DataFrame, lang: str) -> str:
    """The rows as labelled paragraphs; a row with no text in ``lang`` says so."""
    out = []
    for _, row in rows.iterrows():
        kind = COMMENTARY_KINDS.get(row["kind"], {}).get(lang, str(row["kind"]))
        body = row.get(f"text_{lang}")
        if missing_text(body):
            shown = f'<span style="color: {GREY}">'
            shown += html.escape(word("no_text_in_lang", lang, kind=kind)) + "</span>"
        else:
            shown = esc(body)
        label = html.escape(kind[:1].upper() + kind[1:])
        out.append(f'<p class="commentary {row["kind"]}"><b>{label}:</b> {shown}</p>')
    if not out:
        return ""
    return '<div class="commentary">' + "".join(out) + "</div>"


def note_html(note: str | None, department: str, lang: str) -> str:
    """The department's own note beside its indicator ("" when it wrote none)."""
    if note is None:
        return ""
    label = html.escape(word("dept_note", lang, name=department))
    return f'<p class="dept-note" style="color: {GREY}"><b>{label}:</b> {esc(note)}</p>'
