"""Annual reports: the year and department each path names, then every row of every report.

All files are checked together as one frame (fast): the rows of every accepted report are
concatenated, and :class:`~planmon.plan.validation.cells.WhereMany` maps a position back to
its file and row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import REPORT_REFERENCE_COLUMNS, REPORT_SPEC, is_slug
from planmon.io.read import RawTable
from planmon.plan.validation.cells import WhereMany, check_table, parse_year, typed
from planmon.plan.validation.keys import duplicates, unknown

__all__ = ["ReportTable", "check_reports", "ACTUALS_COLUMNS"]

ACTUALS_COLUMNS = ["indicator_id", "dept_id", "year", "value", "note", "source", "row", "file"]


@dataclass
class ReportTable:
    """One annual report file as read, with the year and department its path names."""

    raw: RawTable
    year_text: str
    dept_text: str


@dataclass
class _Accepted:
    """The reports whose path names a plan year and a department, as parallel arrays."""

    raws: list[RawTable]
    years: np.ndarray
    depts: np.ndarray

    @property
    def files(self) -> pd.DataFrame:
        rows = [
            {"dept_id": d, "year": int(y), "file": r.label}
            for r, y, d in zip(self.raws, self.years, self.depts, strict=True)
        ]
        frame = pd.DataFrame(rows, columns=["dept_id", "year", "file"])
        return frame.astype({"year": "int64"})


def _report_problem(raw: RawTable, message: str) -> Problem:
    return Problem(raw.label, None, None, message)


def _accept_paths(
    reports: list[ReportTable],
    dept_ids: set[str] | None,
    year_problem: Callable[[int], str | None],
) -> tuple[_Accepted, list[Problem]]:
    """Keep the reports whose folder is a report year and whose file names a department.

    ``dept_ids`` None: the departments table is unavailable (already an error), so the check
    is skipped rather than failing every report.
    """
    problems: list[Problem] = []
    raws, years, depts = [], [], []
    for report in reports:
        raw = report.raw
        year = parse_year(report.year_text)
        if year is None:
            problems.append(
                _report_problem(
                    raw,
                    f"folder {report.year_text!r} is not a year; put reports in "
                    "reports/<year>/<dept_id>.xlsx",
                )
            )
            continue
        outside = year_problem(year)
        if outside:
            problems.append(_report_problem(raw, outside))
            continue
        dept = report.dept_text
        if not is_slug(dept) or (dept_ids is not None and dept not in dept_ids):
            problems.append(
                _report_problem(
                    raw,
                    f"file name {dept!r} is not a department id; name the file after the "
                    "department's dept_id (e.g. parks.xlsx)",
                )
            )
            continue
        problems += [
            Problem(raw.label, 1, column, f"required column {column!r} is missing")
            for column in REPORT_SPEC.required
            if column not in raw.columns
        ]
        raws.append(raw)
        years.append(year)
        depts.append(dept)
    accepted = _Accepted(raws, np.array(years, dtype="int64"), np.array(depts, dtype=object))
    return accepted, problems


def _owner_checks(
    frame: pd.DataFrame, where: WhereMany, owner: dict[str, str], file_year, file_dept
) -> list[Problem]:
    """Rows for another department's indicator, or whose year/dept_id disagree with the path."""
    problems: list[Problem] = []
    ind = frame["indicator_id"].to_numpy(dtype=object)
    owners = pd.Series(ind).map(owner).to_numpy(dtype=object)
    other = pd.notna(owners) & (owners != file_dept)
    for k in np.flatnonzero(other):
        problems.append(
            Problem(
                *where(k, "indicator_id"),
                f"indicator {ind[k]!r} belongs to department {owners[k]!r}, not "
                f"{file_dept[k]!r}; move the row to reports/{file_year[k]}/{owners[k]}.xlsx",
            )
        )
    if "year" in frame.columns:
        seen_year = frame["year"].to_numpy(dtype="float64")
        for k in np.flatnonzero(~np.isnan(seen_year) & (seen_year != file_year)):
            problems.append(
                Problem(
                    *where(k, "year"),
                    f"year {int(seen_year[k])} disagrees with the folder reports/{file_year[k]}/",
                )
            )
    if "dept_id" in frame.columns:
        seen_dept = frame["dept_id"].to_numpy(dtype=object)
        for k in np.flatnonzero(pd.notna(seen_dept) & (seen_dept != file_dept)):
            problems.append(
                Problem(
                    *where(k, "dept_id"),
                    f"dept_id {seen_dept[k]!r} disagrees with the file name {file_dept[k]!r}",
                )
            )
    return problems


def _actuals_dtypes(actuals: pd.DataFrame) -> pd.DataFrame:
    actuals = actuals.reindex(columns=ACTUALS_COLUMNS)
    actuals = actuals.astype({"year": "int64", "value": "float64", "row": "int64"})
    for column in ("indicator_id", "dept_id", "note", "source", "file"):
        actuals[column] = actuals[column].astype(pd.StringDtype(na_value=np.nan))
    return actuals


def _second_reports(report_files: pd.DataFrame) -> list[Problem]:
    dup = report_files.duplicated(["dept_id", "year"], keep="first")
    return [
        Problem(
            row.file,
            None,
            None,
            f"a second report for {row.dept_id} in {row.year}; keep one file per department "
            "and year (.xlsx or .csv)",
        )
        for row in report_files[dup].itertuples()
    ]


def _combine(raws: list[RawTable], lengths: np.ndarray) -> pd.DataFrame:
    """Every report's cells in one object frame (index = position), in one pass: the column
    lists of the reports are chained, a column a report lacks is None there."""
    names: dict[str, None] = {}
    for raw in raws:
        names.update(dict.fromkeys(raw.columns))
    # a returned template's reference columns (names, target, last year's value) are not data
    for name in REPORT_REFERENCE_COLUMNS:
        names.pop(name, None)
    columns: dict[str, list[object]] = {name: [] for name in names}
    for raw, length in zip(raws, lengths.tolist(), strict=True):
        if raw.frame is not None:
            frame = raw.frame.astype(object)
            cells = {n: frame[n].where(frame[n].notna(), None).tolist() for n in frame.columns}
        else:
            cells = raw.cells or {}
        for name, values in columns.items():
            values.extend(cells[name] if name in cells else [None] * length)
    return pd.DataFrame(columns, index=pd.RangeIndex(int(lengths.sum())), dtype=object)


def check_reports(
    reports: list[ReportTable],
    inds: pd.DataFrame | None,
    dept_ids: set[str] | None,
    year_problem: Callable[[int], str | None],
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Check every report file; return the actuals, the report files and the problems.

    ``year_problem`` says why a year cannot be a report year (None if it can). ``inds`` or
    ``dept_ids`` None (that table is unavailable) skips the checks against it.
    """
    accepted, problems = _accept_paths(reports, dept_ids, year_problem)
    report_files = accepted.files
    problems += _second_reports(report_files)
    numbers = [raw.rows_read() for raw in accepted.raws]
    lengths = np.array([len(n) for n in numbers], dtype="int64")
    if not lengths.sum():
        return _actuals_dtypes(pd.DataFrame(columns=ACTUALS_COLUMNS)), report_files, problems
    file_pos = np.repeat(np.arange(len(lengths)), lengths)
    rows = np.fromiter((r for n in numbers for r in n), dtype="int64", count=int(lengths.sum()))
    combined = _combine(accepted.raws, lengths)
    where = WhereMany(accepted.raws, file_pos, rows)
    parsed, found = check_table(RawTable(combined, "reports"), REPORT_SPEC, where)
    problems += [p for p in found if not p.message.startswith("required column")]
    frame = typed(parsed, REPORT_SPEC)
    file_year, file_dept = accepted.years[file_pos], accepted.depts[file_pos]
    frame["_file"] = file_pos
    problems += duplicates(frame, where, ("indicator_id",), scope="_file")
    if inds is not None:
        owner = dict(zip(inds["indicator_id"].tolist(), inds["dept_id"].tolist(), strict=True))
        problems += unknown(
            frame,
            where,
            "indicator_id",
            set(owner),
            "indicator",
            "check the id against the plan's indicators table",
        )
        problems += _owner_checks(frame, where, owner, file_year, file_dept)
    actuals = frame.reindex(columns=["indicator_id", "value", "note", "source"])
    actuals.insert(1, "dept_id", file_dept)
    actuals.insert(2, "year", file_year)
    actuals["row"] = rows
    actuals["file"] = np.array([r.label for r in accepted.raws], dtype=object)[file_pos]
    actuals = _actuals_dtypes(actuals.dropna(subset=["indicator_id"]))
    actuals = actuals.sort_values(["year", "indicator_id"], ignore_index=True)
    return actuals, report_files, problems
