"""The one check of "is this a report year?" and of "is this a department of the plan?".

Commands, the build, notebook parameters and the :class:`~planmon.plan.model.Plan` accessors
all choose years and departments through these functions, so the answer and its message are
the same everywhere.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Protocol

from planmon.core.exceptions import NotInPlanError

__all__ = ["report_year", "report_years", "department_id", "department_ids"]

_SHOWN = 20


class _PlanLike(Protocol):
    @property
    def report_years(self) -> list[int]: ...

    @property
    def dept_ids(self) -> list[str]: ...


def _listed(values: list, limit: int = _SHOWN) -> str:
    shown = ", ".join(map(str, values[:limit]))
    return (shown + (", …" if len(values) > limit else "")) or "none"


def report_years(plan: _PlanLike, years: Iterable[int] | None = None) -> list[int]:
    """The report years asked for (all of the plan's when ``years`` is None), ascending.

    Raises
    ------
    NotInPlanError
        If a year has no reports (the message lists the report years).
    """
    known = plan.report_years
    if years is None:
        return list(known)
    chosen = sorted({int(y) for y in years})
    unknown = [y for y in chosen if y not in known]
    if unknown:
        raise NotInPlanError(
            f"no reports for {', '.join(map(str, unknown))}; report years: {_listed(known)}"
        )
    return chosen


def report_year(plan: _PlanLike, year: int | None = None) -> int:
    """One report year; None (or 0) means the latest.

    Raises
    ------
    NotInPlanError
        If the plan has no reports yet, or ``year`` is not a report year.
    """
    if not year:
        if not plan.report_years:
            raise NotInPlanError(
                "the plan has no reports yet; add reports/<year>/<dept_id>.xlsx files"
            )
        return plan.report_years[-1]
    return report_years(plan, [year])[0]


def department_ids(plan: _PlanLike, dept_ids: Iterable[str] | None = None) -> list[str]:
    """The departments asked for (all when ``dept_ids`` is None), in the plan's order.

    Raises
    ------
    NotInPlanError
        If an id is not a department of the plan (with the nearest id as a hint).
    """
    known = plan.dept_ids
    if dept_ids is None:
        return list(known)
    wanted = list(dict.fromkeys(str(d) for d in dept_ids))
    known_set = set(known)
    unknown = [d for d in wanted if d not in known_set]
    if unknown:
        near = difflib.get_close_matches(unknown[0], known, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        raise NotInPlanError(
            f"unknown department {', '.join(map(repr, unknown))}{hint}; departments of the "
            f"plan: {_listed(known)}"
        )
    chosen = set(wanted)
    return [d for d in known if d in chosen]


def department_id(plan: _PlanLike, dept_id: str) -> str:
    """``dept_id`` if it is a department of the plan (see :func:`department_ids`)."""
    return department_ids(plan, [dept_id])[0]
