"""Keys and references: duplicate keys, ids that name nothing, and cycles in the goal tree.

Every check here is vectorised (one pass over the frame, not one ``.loc`` per row), so a
report of 200,000 rows is checked in well under a second.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import is_slug
from planmon.io.read import RawTable
from planmon.plan.validation.cells import Where, WhereMany

__all__ = ["duplicates", "unknown", "isin", "goal_cycles", "fmt_key"]


def fmt_key(value: object) -> str:
    """A key value as the analyst wrote it (``1398``, not ``1398.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def duplicates(
    frame: pd.DataFrame,
    where: Where | WhereMany,
    key: tuple[str, ...],
    scope: str | None = None,
) -> list[Problem]:
    """Every repeat of ``key`` (within each ``scope`` value, e.g. one report file).

    The first occurrence is kept; each later one is an error that names the first's row.
    """
    columns = [*([scope] if scope else []), *key]
    sub = frame.loc[:, columns].dropna()
    if sub.empty:
        return []
    repeat = sub.duplicated(keep="first").to_numpy()
    if not repeat.any():
        return []
    positions = pd.Series(np.arange(len(sub)), index=sub.index)
    first_pos = positions.groupby([sub[c] for c in columns], sort=False).transform("first")
    first_index = sub.index.to_numpy()[first_pos.to_numpy()]
    key_values = sub[list(key)].to_numpy(dtype=object)
    label = "+".join(key)
    repeats = np.flatnonzero(repeat)
    located = where.many(sub.index[repeats], key[-1])
    first_rows = [row for _, row, _ in where.many(first_index[repeats], key[-1])]
    texts: dict[tuple, str] = {}
    problems = []
    for pos, place, first_row in zip(repeats, located, first_rows, strict=True):
        values = tuple(key_values[pos])
        if values not in texts:
            texts[values] = "/".join(fmt_key(v) for v in values)
        message = f"duplicate {label} {texts[values]!r} (first on row {first_row})"
        problems.append(Problem(*place, message))
    return problems


def isin(values: pd.Series, known: Iterable[object]) -> np.ndarray:
    """``values.isin(known)`` as a boolean array, compared as Python objects: on a text column
    pandas builds one pyarrow scalar per known value, slow for 10,000 ids."""
    objects = pd.Series(values.to_numpy(dtype=object), dtype=object, copy=False)
    return objects.isin(list(known)).to_numpy()


def unknown(
    frame: pd.DataFrame,
    where: Where | WhereMany,
    column: str,
    known: set[str],
    what: str,
    fix: str,
) -> list[Problem]:
    """Cells of ``column`` naming an id that is not in ``known`` (non-slugs are reported apart)."""
    values = frame[column]
    present = values.notna().to_numpy()
    mask = present & ~isin(values, known)
    if not mask.any():
        return []
    hits = values[mask]
    hits = hits[[is_slug(v) for v in hits]]
    return [
        Problem(*place, f"unknown {what} {value!r}; {fix}")
        for place, value in zip(where.many(hits.index, column), hits, strict=True)
    ]


def goal_cycles(goals: pd.DataFrame, raw: RawTable) -> list[Problem]:
    """A goal whose chain of parents comes back to itself."""
    parent = dict(zip(goals["goal_id"], goals["parent_id"], strict=True))
    row_of = dict(zip(goals["goal_id"], goals.index, strict=True))
    problems = []
    for goal in parent:
        seen = [goal]
        node = parent.get(goal)
        while isinstance(node, str) and node in parent:
            if node == goal:
                path = " → ".join([*seen, goal])
                problems.append(
                    Problem(
                        raw.label,
                        int(row_of[goal]),
                        raw.header("parent_id"),
                        f"goal tree has a cycle ({path}); a macro goal has no parent",
                    )
                )
                break
            if node in seen:
                break
            seen.append(node)
            node = parent.get(node)
    return problems
