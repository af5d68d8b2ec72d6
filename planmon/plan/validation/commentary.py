"""The optional ``commentary`` and ``actions`` tables: references, years and ranges.

Pass 1 (:mod:`~planmon.plan.validation.cells`) already checked the words (``kind``,
``status``), the ids that are slugs, the years that are years and the empty required cells;
the text cells are cleaned there like the reports' notes (:func:`planmon.core.text.clean_text`).
This module checks what needs the other tables: unknown departments and indicators, an
indicator of another department, years outside the plan, ``progress_pct`` outside 0–100, a
due year before the start year, and a commentary row with no text in either language.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import ACTION_ID_SEPARATORS, FRAME_DTYPES, is_slug
from planmon.plan.validation.keys import fmt_key, unknown
from planmon.plan.validation.tables import PlanFrames

__all__ = ["split_ids", "commentary_checks", "finish_optional"]

_SPLIT = re.compile(f"[{re.escape(ACTION_ID_SEPARATORS)}]")


def split_ids(cell: object) -> list[str]:
    """The indicator ids of one action's ``indicator_id`` cell (``"a; b"`` → ``["a", "b"]``).

    Examples
    --------
    >>> split_ids("bus_trips; metro_km،parks")
    ['bus_trips', 'metro_km', 'parks']
    >>> split_ids(None)
    []
    """
    if cell is None or (isinstance(cell, float) and np.isnan(cell)) or pd.isna(cell):
        return []
    return [part.strip() for part in _SPLIT.split(str(cell)) if part.strip()]


def _indicator_checks(frames: PlanFrames, name: str, many: bool) -> list[Problem]:
    """Unknown indicator ids, non-slug ids (actions) and an indicator of another department."""
    frame, where = frames.typed[name], frames.where(name)
    inds = frames.typed["indicators"]
    owner = dict(zip(inds["indicator_id"].tolist(), inds["dept_id"].tolist(), strict=True))
    problems: list[Problem] = []
    cells, depts = frame["indicator_id"].tolist(), frame["dept_id"].tolist()
    for index, cell, dept in zip(frame.index, cells, depts, strict=True):
        ids = split_ids(cell) if many else ([] if pd.isna(cell) else [str(cell)])
        for ind in ids:
            place = where(index, "indicator_id")
            if many and not is_slug(ind):
                problems.append(
                    Problem(*place, f"is not a simple id ({ind!r} seen); separate ids with ';'")
                )
            elif ind not in owner:
                if many or is_slug(ind):
                    problems.append(
                        Problem(
                            *place,
                            f"unknown indicator {ind!r}; add it to the indicators table "
                            "or leave the cell empty",
                        )
                    )
            elif not pd.isna(dept) and owner[ind] != dept:
                problems.append(
                    Problem(
                        *place,
                        f"indicator {ind!r} belongs to department {owner[ind]!r}, "
                        f"not {dept!r}; correct the dept_id or the indicator_id",
                    )
                )
    return problems


def _year_checks(frames: PlanFrames, name: str, columns: tuple[str, ...], span: range):
    """Years of ``columns`` outside the plan years (``span``, baseline year included)."""
    frame, where, problems = frames.typed[name], frames.where(name), []
    if not len(span):
        return problems
    for column in columns:
        bad = frame[column].notna() & ~frame[column].isin(list(span))
        for index in frame.index[bad]:
            year = fmt_key(frame.at[index, column])
            problems.append(
                Problem(
                    *where(index, column),
                    f"year {year} is outside the plan years {span[0]}–{span[-1]}",
                )
            )
    return problems


def _action_checks(frames: PlanFrames) -> list[Problem]:
    """progress_pct in [0, 100]; due_year not before start_year."""
    frame, where, problems = frames.typed["actions"], frames.where("actions"), []
    pct = frame["progress_pct"]
    for index in frame.index[pct.notna() & ((pct < 0) | (pct > 100))]:
        problems.append(
            Problem(
                *where(index, "progress_pct"),
                f"progress must be between 0 and 100 ({fmt_key(pct[index])} seen)",
            )
        )
    start, due = frame["start_year"], frame["due_year"]
    for index in frame.index[start.notna() & due.notna() & (due < start)]:
        problems.append(
            Problem(
                *where(index, "due_year"),
                f"due year {fmt_key(due[index])} is before the start year {fmt_key(start[index])}",
            )
        )
    return problems


def _no_text(frames: PlanFrames) -> list[Problem]:
    frame, where = frames.typed["commentary"], frames.where("commentary")
    empty = frame["text_fa"].isna() & frame["text_en"].isna()
    return [
        Problem(*where(index, "text_fa"), "has no text; write text_fa or text_en (or both)")
        for index in frame.index[empty]
    ]


def commentary_checks(frames: PlanFrames, span: range) -> list[Problem]:
    """Every check of the commentary and actions tables that needs the other tables.

    Parameters
    ----------
    frames : PlanFrames
        The parsed plan tables (an absent optional table is an empty one).
    span : range
        The plan's years, baseline year to horizon (empty when they are not known).
    """
    problems: list[Problem] = []
    fix = "add it to the departments table"
    for name in ("commentary", "actions"):
        if "departments" in frames.available:
            known = set(frames.typed["departments"]["dept_id"].dropna())
            frame = frames.typed[name]
            problems += unknown(frame, frames.where(name), "dept_id", known, "department", fix)
        if "indicators" in frames.available:
            problems += _indicator_checks(frames, name, many=name == "actions")
    problems += _year_checks(frames, "commentary", ("year",), span)
    problems += _year_checks(frames, "actions", ("start_year", "due_year"), span)
    problems += _action_checks(frames) + _no_text(frames)
    return problems


def finish_optional(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    """The in-memory frame of an optional table (:data:`FRAME_DTYPES`), ids of an action
    joined with ``;``; an absent table gives an empty frame with the right columns."""
    out = frame.reindex(columns=list(FRAME_DTYPES[name])).copy()
    if name == "actions":
        joined = [";".join(split_ids(c)) or None for c in out["indicator_id"].tolist()]
        out["indicator_id"] = pd.Series(joined, index=out.index, dtype=object)
    columns = {}
    for column, dtype in FRAME_DTYPES[name].items():
        values = out[column]
        if dtype == "str":
            columns[column] = values.astype(pd.StringDtype(na_value=np.nan))
        else:
            columns[column] = pd.to_numeric(values, errors="coerce").astype(dtype)
    return pd.DataFrame(columns).reset_index(drop=True)
