"""planmon's one goal tree: each goal's parent, depth and macro goal (هدف کلان).

A plan's goals form a forest: a *macro goal* has no parent (``parent_id`` blank); every other
goal names its parent in ``parent_id``. The usual plan has two levels (macro goals and their
micro goals, هدف خرد), but any depth works.

Every part of planmon that needs the tree (validation, the roll-ups, the reports' heat map,
the dashboard) reads it from here, so a bad tree is refused the same way everywhere:

* a goal id that appears twice, a parent that is not a goal (an *orphan*) and a cycle (a goal
  that is its own ancestor, ``G1 → G2 → G1``) raise :class:`GoalTreeError` from
  :func:`goal_tree`, with the goals named and the fix;
* :func:`goal_tree_findings` lists the same findings without raising, for validation to turn
  into located problems (file, row, column).

No I/O; pure functions of a frame with ``goal_id`` and ``parent_id``.

Examples
--------
>>> import pandas as pd
>>> goals = pd.DataFrame({"goal_id": ["G1", "G1_1", "G1_1a"], "parent_id": [None, "G1", "G1_1"]})
>>> tree = goal_tree(goals)
>>> tree.macro_goal_of()
{'G1': 'G1', 'G1_1': 'G1', 'G1_1a': 'G1'}
>>> tree.depth.tolist()
[0, 1, 2]
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.text import clean_text

__all__ = [
    "GoalTree",
    "GoalTreeError",
    "GoalTreeFinding",
    "goal_tree",
    "goal_tree_findings",
    "macro_goal_of",
]


class GoalTreeError(PlanmonError):
    """The goals do not form a tree: a repeated id, an unknown parent or a cycle."""


@dataclass(frozen=True)
class GoalTreeFinding:
    """One reason the goals do not form a tree.

    Attributes
    ----------
    kind : {"duplicate", "orphan", "cycle"}
        What is wrong.
    goal_id : str
        The goal concerned (for a cycle, the first of its goals in the plan's order).
    position : int
        That goal's row position in the goals frame (0-based).
    detail : str
        ``parent_id`` seen (orphan) or the cycle as ``"G1 → G2 → G1"``.
    message : str
        A sentence for people: what is wrong, the value seen and the fix.
    """

    kind: str
    goal_id: str
    position: int
    detail: str
    message: str


@dataclass(frozen=True)
class GoalTree:
    """The goal tree of a plan, as positions into the goals frame.

    Attributes
    ----------
    ids : pandas.Index
        Goal ids in the plan's order (unique).
    parent : numpy.ndarray of int
        Position of each goal's parent, ``-1`` for a macro goal.
    depth : numpy.ndarray of int
        0 for a macro goal, 1 for its children, and so on.
    macro : numpy.ndarray of int
        Position of each goal's macro goal (a macro goal's own position).
    """

    ids: pd.Index
    parent: np.ndarray
    depth: np.ndarray
    macro: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def positions(self, goal_ids: object) -> np.ndarray:
        """Positions of ``goal_ids`` in the tree; raises :class:`GoalTreeError` for unknown ids."""
        # each distinct id is cleaned and looked up once: plans repeat a goal many times
        codes, uniques = pd.factorize(pd.Series(goal_ids, dtype=object), use_na_sentinel=True)
        wanted = pd.Index([_as_id(u) for u in uniques], dtype=object)
        found = self.ids.get_indexer(wanted)
        pos = np.append(found, -1)[codes]  # a blank id (code -1) is unknown too
        if (pos < 0).any():
            bad = uniques[np.flatnonzero(found < 0)[0]] if (found < 0).any() else None
            raise GoalTreeError(
                f"goal {bad!r} is not in the goals table; add it there or fix "
                "the goal_id that names it"
            )
        return pos

    def macro_goal_of(self) -> dict[str, str]:
        """goal id → id of its macro goal (a macro goal maps to itself)."""
        return dict(zip(self.ids, self.ids.take(self.macro), strict=True))

    def parent_of(self) -> dict[str, str | None]:
        """goal id → parent id (None for a macro goal)."""
        parents = [None if p < 0 else self.ids[p] for p in self.parent]
        return dict(zip(self.ids, parents, strict=True))

    def ancestors(self, position: int) -> list[int]:
        """Positions from ``position`` up to its macro goal, both included."""
        chain = [int(position)]
        while self.parent[chain[-1]] >= 0:
            chain.append(int(self.parent[chain[-1]]))
        return chain

    @property
    def is_macro(self) -> np.ndarray:
        """True for the macro goals (no parent)."""
        return self.parent < 0


def _as_id(value: object) -> str | None:
    """A goal or parent id as text; blank cells (None, NaN, "") are None."""
    return clean_text(value)


def _parents(goals: pd.DataFrame) -> tuple[list[str | None], list[str | None]]:
    missing = sorted({"goal_id", "parent_id"} - set(goals.columns))
    if missing:
        raise GoalTreeError(
            f"the goals frame lacks column(s) {', '.join(missing)}; "
            "a goal tree needs goal_id and parent_id (blank = macro goal)"
        )
    ids = [_as_id(g) for g in goals["goal_id"]]
    parents = [_as_id(p) for p in goals["parent_id"]]
    return ids, parents


def goal_tree_findings(goals: pd.DataFrame) -> list[GoalTreeFinding]:
    """Every reason ``goals`` is not a tree, in the plan's order, without raising.

    Parameters
    ----------
    goals : pandas.DataFrame
        ``goal_id`` and ``parent_id`` (blank = macro goal). Rows with a blank ``goal_id`` are
        skipped (the data contract reports those).

    Returns
    -------
    list of GoalTreeFinding
        Repeated ids, unknown parents (orphans) and cycles; each cycle is listed once.
    """
    ids, parents = _parents(goals)
    findings: list[GoalTreeFinding] = []
    first: dict[str, int] = {}
    for k, goal in enumerate(ids):
        if goal is None:
            continue
        if goal in first:
            findings.append(
                GoalTreeFinding(
                    "duplicate",
                    goal,
                    k,
                    goal,
                    f"goal id {goal!r} appears twice (rows {first[goal] + 1} and {k + 1} of the "
                    "goals); give each goal its own id",
                )
            )
            continue
        first[goal] = k
    parent = {g: parents[k] for g, k in first.items()}
    for goal, k in first.items():
        p = parent[goal]
        if p is not None and p not in parent:
            findings.append(
                GoalTreeFinding(
                    "orphan",
                    goal,
                    k,
                    p,
                    f"goal {goal!r} has parent {p!r}, which is not a goal; fix its parent_id "
                    f"or add goal {p!r} (a macro goal leaves parent_id blank)",
                )
            )
    findings += _cycles(parent, first)
    return findings


def _cycles(parent: dict[str, str | None], first: dict[str, int]) -> list[GoalTreeFinding]:
    out: list[GoalTreeFinding] = []
    settled: set[str] = set()  # goals whose walk up ended at a root, an orphan or a known cycle
    for goal in first:
        path: list[str] = []
        on_path: set[str] = set()
        node: str | None = goal
        while node is not None and node in parent and node not in settled:
            if node in on_path:
                loop = path[path.index(node) :]
                head = min(loop, key=first.__getitem__)
                start = loop.index(head)
                shown = " → ".join([*loop[start:], *loop[:start], head])
                out.append(
                    GoalTreeFinding(
                        "cycle",
                        head,
                        first[head],
                        shown,
                        f"the goal tree has a cycle ({shown}); a macro goal has no parent, so "
                        f"clear the parent_id of one goal in it",
                    )
                )
                break
            path.append(node)
            on_path.add(node)
            node = parent[node]
        settled.update(path)
    return out


def goal_tree(goals: pd.DataFrame) -> GoalTree:
    """The goal tree of ``goals``; refuses anything that is not a tree.

    Parameters
    ----------
    goals : pandas.DataFrame
        ``goal_id`` and ``parent_id`` (blank = macro goal), one row per goal.

    Returns
    -------
    GoalTree

    Raises
    ------
    GoalTreeError
        On a missing column, a blank or repeated goal id, a parent that is not a goal, or a
        cycle; the message names the goals and the fix (all findings, one per line).
    """
    ids, parents = _parents(goals)
    if any(g is None for g in ids):
        k = next(i for i, g in enumerate(ids) if g is None)
        raise GoalTreeError(f"row {k + 1} of the goals has no goal_id; every goal needs an id")
    findings = goal_tree_findings(goals)
    if findings:
        raise GoalTreeError("\n".join(f.message for f in findings))
    index = pd.Index(ids, dtype=object)
    parent = np.array([-1 if p is None else index.get_loc(p) for p in parents], dtype="int64")
    depth = np.zeros(len(index), dtype="int64")
    macro = np.arange(len(index), dtype="int64")
    ancestor = parent.copy()
    # Vectorised walk to the roots: a tree of n goals is at most n - 1 deep (no cycle here).
    while (ancestor >= 0).any():
        up = ancestor >= 0
        depth[up] += 1
        macro[up] = ancestor[up]
        ancestor = np.where(up, parent[np.where(up, ancestor, 0)], -1)
    return GoalTree(ids=index, parent=parent, depth=depth, macro=macro)


def macro_goal_of(goals: pd.DataFrame) -> dict[str, str]:
    """goal id → id of its macro goal; see :func:`goal_tree` for the errors raised."""
    return goal_tree(goals).macro_goal_of()
