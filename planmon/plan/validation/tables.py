"""The four plan tables: pass 1 on each, then the references between them and the baselines."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import PLAN_TABLES, TableSpec
from planmon.io.read import RawTable
from planmon.plan.validation.cells import Where, check_table, invalid_mask, typed
from planmon.plan.validation.keys import duplicates, goal_cycles, unknown

__all__ = ["PlanFrames", "parse_plan_tables", "reference_checks", "baseline_checks"]


@dataclass
class PlanFrames:
    """The plan tables parsed (cells as read, :class:`Invalid` marks) and typed."""

    raw: dict[str, RawTable]
    parsed: dict[str, pd.DataFrame]
    typed: dict[str, pd.DataFrame]
    #: tables that were read with their key column: references to them can be checked
    available: set[str] = field(default_factory=set)

    def where(self, name: str) -> Where:
        return Where(self.raw[name])


# Tables that must have rows (a plan may have no targets: every indicator only monitored).
_NEED_ROWS = {"departments": "department", "goals": "goal", "indicators": "indicator"}


def _empty_table(raw: RawTable, spec: TableSpec) -> Problem:
    return Problem(
        raw.label,
        None,
        None,
        f"the {spec.name} table is empty; it needs a header row ({', '.join(spec.required)}) "
        "and its rows",
    )


def parse_plan_tables(tables: dict[str, RawTable]) -> tuple[PlanFrames, list[Problem]]:
    """Run pass 1 on each plan table; a missing table becomes an empty one (its problem was
    reported when the files were read) and is left out of :attr:`PlanFrames.available`."""
    problems: list[Problem] = []
    raw_of, parsed, typed_of, available = {}, {}, {}, set()
    # a new plan (``planmon init``): every table has its header and none has rows yet; that
    # is valid, and validate_tables says "no indicators yet" instead of one error a table
    blank = all(
        n in tables and not tables[n].frame.columns.empty and tables[n].frame.empty
        for n in _NEED_ROWS
    )
    for name, spec in PLAN_TABLES.items():
        raw = tables.get(name)
        if raw is None:
            raw = RawTable(pd.DataFrame({c: pd.Series(dtype=object) for c in spec.required}), name)
            frame, _ = check_table(raw, spec)
        elif raw.frame.columns.empty:
            problems.append(_empty_table(raw, spec))
            raw = RawTable(
                pd.DataFrame({c: pd.Series(dtype=object) for c in spec.required}),
                raw.label,
                raw.headers,
                raw.problems,
            )
            frame, _ = check_table(raw, spec)
        else:
            frame, found = check_table(raw, spec)
            problems += found
            if raw.frame.empty and name in _NEED_ROWS and not blank:
                problems.append(
                    Problem(
                        raw.label,
                        None,
                        None,
                        f"the {name} table has a header but no rows; "
                        f"add one row per {_NEED_ROWS[name]}",
                    )
                )
            if (
                spec.key[:1]
                and spec.key[0] in raw.frame.columns
                and not (raw.frame.empty and name in _NEED_ROWS)
            ):
                available.add(name)
        raw_of[name], parsed[name] = raw, frame
        typed_of[name] = typed(frame, spec)
        problems += duplicates(typed_of[name], Where(raw), spec.key)
    return PlanFrames(raw_of, parsed, typed_of, available), problems


# (table, column, referenced table, what, fix)
_REFERENCES = (
    ("departments", "parent_id", "departments", "department",
     "parent_id must be a dept_id of the departments table"),
    ("goals", "parent_id", "goals", "goal",
     "parent_id must be a goal_id of the goals table (the macro goal)"),
    ("goals", "dept_id", "departments", "department",
     "add it to the departments table or leave the cell empty"),
    ("indicators", "dept_id", "departments", "department", "add it to the departments table"),
    ("indicators", "goal_id", "goals", "goal", "add it to the goals table"),
    ("targets", "indicator_id", "indicators", "indicator", "add it to the indicators table"),
)  # fmt: skip
_KEY_OF = {"departments": "dept_id", "goals": "goal_id", "indicators": "indicator_id"}


def reference_checks(frames: PlanFrames) -> list[Problem]:
    """Ids that name no row of the table they refer to, and cycles in the goal tree.

    A reference to an unavailable table (unreadable, missing, or without its id column) is
    not checked: that table's one error says it all, without a cascade of "unknown" errors.
    """
    problems: list[Problem] = []
    for table, column, target, what, fix in _REFERENCES:
        if target not in frames.available:
            continue
        known = set(frames.typed[target][_KEY_OF[target]].dropna())
        problems += unknown(frames.typed[table], frames.where(table), column, known, what, fix)
    goals = frames.typed["goals"]
    problems += goal_cycles(goals.dropna(subset=["goal_id"]), frames.raw["goals"])
    return problems


def baseline_checks(frames: PlanFrames) -> list[Problem]:
    """Every indicator needs a baseline value and year (an unparseable one is already listed)."""
    raw, inds, parsed = frames.raw["indicators"], frames.typed["indicators"], frames.parsed
    problems = []
    for column, what in (("baseline_value", "value"), ("baseline_year", "year")):
        missing = inds[column].isna() & ~invalid_mask(parsed["indicators"], column)
        problems += [
            Problem(
                raw.label,
                int(row),
                raw.header(column),
                f"indicator has no baseline {what}; every indicator needs one",
            )
            for row in inds.index[missing]
        ]
    return problems
