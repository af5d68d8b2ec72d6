"""Write a plan folder to disk (the layout of docs/data-contract.md).

``xlsx``::

    <folder>/plan.xlsx                      sheets plan, departments, goals, indicators, targets
    <folder>/reports/<year>/<dept_id>.xlsx  one sheet "report": indicator_id, value, note, source

``csv``::

    <folder>/plan/<table>.csv               plan (key/value), departments, goals, indicators, targets
    <folder>/reports/<year>/<dept_id>.csv

Every file is written atomically, so an interrupted run never leaves a half-written workbook.
Workbooks are built for Persian readers: right-to-left sheets, a bold frozen header, an autofilter
and column widths fitted to the text. Text is always stored as text: a name such as ``=1+2`` or
``-3`` stays a literal string and never becomes a formula or a number (formula injection).
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from planmon.core.exceptions import ParameterError, PlanValidationError, Problem
from planmon.core.schema import PlanTables
from planmon.io.atomic import atomic_path

__all__ = ["write_plan", "PLAN_SHEETS", "OPTIONAL_SHEETS", "REPORT_COLUMNS", "WRITE_FORMATS"]

#: Tables of the plan file, in sheet order (``plan`` is the key/value meta table).
PLAN_SHEETS: tuple[str, ...] = ("plan", "departments", "goals", "indicators", "targets")
#: Optional tables, written after the others when the plan has them (with at least one row).
OPTIONAL_SHEETS: tuple[str, ...] = ("commentary", "actions")
#: Columns of one department's annual report file.
REPORT_COLUMNS: tuple[str, ...] = ("indicator_id", "value", "note", "source")
#: Formats :func:`write_plan` understands.
WRITE_FORMATS: tuple[str, ...] = ("xlsx", "csv")

_SLUG = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_EXCEL_MAX_ROWS = 1_048_576
_WORKBOOK_OPTIONS = {
    # Belt and braces: cells are written with write_string anyway, which stores text literally.
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
    # Plan and report files are small enough to assemble in memory, which avoids a temporary
    # file per worksheet (about twice as fast for a thousand report files).
    "in_memory": True,
}
_MIN_WIDTH, _MAX_WIDTH = 8, 60
# Persian Excel on Windows opens a CSV as UTF-8 only when it starts with a byte-order mark.
_CSV_ENCODING = "utf-8-sig"


def write_plan(
    tables: PlanTables,
    folder: str | os.PathLike[str],
    *,
    fmt: str = "xlsx",
    overwrite: bool = False,
) -> list[Path]:
    """Write ``tables`` as a plan folder.

    Parameters
    ----------
    tables : PlanTables
        The plan, e.g. from :func:`planmon.sample.qazvin.qazvin_sample`.
    folder : path
        The plan folder; created if missing.
    fmt : {"xlsx", "csv"}, default "xlsx"
        ``plan.xlsx`` + ``reports/<year>/<dept_id>.xlsx``, or ``plan/<table>.csv`` +
        ``reports/<year>/<dept_id>.csv`` (UTF-8 with a byte-order mark).
    overwrite : bool, default False
        If ``folder`` already holds a plan (``plan.xlsx``, ``plan/`` or ``reports/``), replace
        it: after the new files are written, plan and report files that are not part of the new
        plan are deleted, so the folder holds exactly one plan. Other files are left alone.

    Returns
    -------
    list of Path
        The files written: plan file(s) first, then reports by year and department.

    Raises
    ------
    ParameterError
        Unknown ``fmt``; ``folder`` already holds a plan and ``overwrite`` is False; a table
        too long for one Excel sheet.
    PlanValidationError
        A report's ``dept_id`` is not a simple slug or its year not an integer (either would
        become a file or folder name). Nothing is written.
    """
    folder = Path(folder)
    _check_can_write(tables, folder, fmt, overwrite)
    frames = {"plan": _meta_frame(tables.meta)}
    frames.update({name: getattr(tables, name) for name in PLAN_SHEETS[1:]})
    for name in OPTIONAL_SHEETS:
        frame = getattr(tables, name)
        if frame is not None and len(frame):
            # nullable years (Int64) are written as numbers; a blank stays a blank cell
            nullable = [c for c in frame.columns if isinstance(frame[c].dtype, pd.Int64Dtype)]
            frames[name] = frame.astype(dict.fromkeys(nullable, "float64"))
    written = _write_plan_tables(frames, folder, fmt)
    written += _write_reports(tables.reports, folder, fmt)
    if overwrite:
        _remove_stale(folder, written)
    return written


def _check_can_write(tables: PlanTables, folder: Path, fmt: str, overwrite: bool) -> None:
    """Refuse an unknown format, unsafe report keys, or a folder that already holds a plan."""
    if fmt not in WRITE_FORMATS:
        raise ParameterError(f"fmt must be one of {', '.join(WRITE_FORMATS)}; got {fmt!r}")
    _check_report_keys(tables.reports)
    if not overwrite:
        existing = [p.name for p in _layout_entries(folder) if p.exists()]
        if existing:
            raise ParameterError(
                f"{folder} already holds a plan ({', '.join(existing)}); "
                "choose an empty folder or pass overwrite=True"
            )


def _write_plan_tables(frames: dict[str, pd.DataFrame], folder: Path, fmt: str) -> list[Path]:
    """``plan.xlsx`` with one sheet per table, or ``plan/<table>.csv``; the files written."""
    if fmt == "csv":
        written = []
        for name, frame in frames.items():
            target = folder / "plan" / f"{name}.csv"
            _write_csv(target, frame)
            written.append(target)
        return written
    for name, frame in frames.items():
        if len(frame) >= _EXCEL_MAX_ROWS:
            raise ParameterError(
                f"the {name} table has {len(frame):,} rows, more than one Excel sheet "
                f"holds ({_EXCEL_MAX_ROWS - 1:,}); write the plan with fmt='csv'"
            )
    target = folder / "plan.xlsx"
    _write_workbook(target, [(name, _columns(frame)) for name, frame in frames.items()])
    return [target]


def _write_reports(reports: pd.DataFrame, folder: Path, fmt: str) -> list[Path]:
    """One ``reports/<year>/<dept_id>.<fmt>`` per department-year, by year and department."""
    body, blocks = _report_blocks(reports)
    # Columns as plain lists once, sliced per file: per-file pandas calls would cost more
    # than writing the cells.
    lists = _columns(body) if fmt == "xlsx" else []
    written = []
    for year, dept_id, start, stop in blocks:
        target = folder / "reports" / str(year) / f"{dept_id}.{fmt}"
        if fmt == "xlsx":
            sliced = [(name, kind, values[start:stop]) for name, kind, values in lists]
            _write_workbook(target, [("report", sliced)])
        else:
            _write_csv(target, body.iloc[start:stop])
        written.append(target)
    return written


# ---------------------------------------------------------------------------------------------
# Tables
# ---------------------------------------------------------------------------------------------


def _meta_frame(meta: dict[str, Any]) -> pd.DataFrame:
    """The ``plan`` sheet: one key/value row per meta entry (years stay integers)."""
    return pd.DataFrame({"key": list(meta), "value": pd.Series(list(meta.values()), dtype=object)})


def _check_report_keys(reports: pd.DataFrame) -> None:
    """Refuse report keys that cannot safely become a folder and a file name."""
    problems = []
    for dept_id in pd.unique(reports["dept_id"]):
        if not isinstance(dept_id, str) or not _SLUG.match(dept_id):
            problems.append(
                Problem(
                    "reports",
                    None,
                    "dept_id",
                    f"department id {dept_id!r} is not a simple slug "
                    "(letters, digits, _ and -, at most 64); it would become a file name",
                )
            )
    if not pd.api.types.is_integer_dtype(reports["year"].dtype):
        problems.append(
            Problem(
                "reports",
                None,
                "year",
                f"report years must be integers, got dtype {reports['year'].dtype}",
            )
        )
    if problems:
        raise PlanValidationError(problems)


def _report_blocks(
    reports: pd.DataFrame,
) -> tuple[pd.DataFrame, list[tuple[int, str, int, int]]]:
    """Report rows sorted by year and department, and each report's ``[start, stop)`` rows.

    Returns the report columns (:data:`REPORT_COLUMNS`) of the sorted frame and one
    ``(year, dept_id, start, stop)`` per report; rows keep their input order within a report.
    """
    ordered = reports.sort_values(["year", "dept_id"], kind="stable", ignore_index=True)
    if ordered.empty:
        return ordered.loc[:, list(REPORT_COLUMNS)], []
    keys = ordered[["year", "dept_id"]]
    changed = (keys != keys.shift()).any(axis=1).to_numpy()
    starts = np.flatnonzero(changed)
    stops = np.append(starts[1:], len(ordered))
    years = ordered["year"].to_numpy()
    depts = ordered["dept_id"].to_numpy()
    blocks = [
        (int(years[start]), str(depts[start]), int(start), int(stop))
        for start, stop in zip(starts, stops, strict=True)
    ]
    return ordered.loc[:, list(REPORT_COLUMNS)], blocks


# ---------------------------------------------------------------------------------------------
# Writers
# ---------------------------------------------------------------------------------------------


def _write_csv(target: Path, frame: pd.DataFrame) -> None:
    with atomic_path(target) as tmp:
        frame.to_csv(tmp, index=False, encoding=_CSV_ENCODING, lineterminator="\n")


#: (column name, "number" | "text" | "mixed", cell values)
_Column = tuple[str, str, list[Any]]


def _columns(frame: pd.DataFrame) -> list[_Column]:
    """``frame``'s columns as plain lists, each tagged with how its cells are written."""
    out: list[_Column] = []
    for name in frame.columns:
        dtype = frame[name].dtype
        if pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype):
            kind = "number"
        elif isinstance(dtype, pd.StringDtype):
            kind = "text"
        else:
            kind = "mixed"  # e.g. the plan sheet's values: numbers and text in one column
        out.append((str(name), kind, frame[name].tolist()))
    return out


def _write_workbook(target: Path, sheets: Iterable[tuple[str, list[_Column]]]) -> None:
    with atomic_path(target) as tmp:
        workbook = xlsxwriter.Workbook(str(tmp), _WORKBOOK_OPTIONS)
        try:
            header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "bottom": 1})
            for name, columns in sheets:
                _write_sheet(workbook.add_worksheet(name), columns, header)
        finally:
            workbook.close()


def _write_sheet(sheet: Worksheet, columns: list[_Column], header: Any) -> None:
    """Write ``columns`` under a bold frozen header row; blanks stay empty cells."""
    sheet.right_to_left()
    n_rows = 0
    for col, (name, kind, values) in enumerate(columns):
        n_rows = max(n_rows, len(values))
        sheet.write_string(0, col, name, header)
        longest = 0
        if kind == "number":
            for row, value in enumerate(values, start=1):
                if math.isfinite(value):  # NaN is a blank cell
                    sheet.write_number(row, col, value)
        elif kind == "text":
            for row, value in enumerate(values, start=1):
                if type(value) is str:  # missing text is NaN
                    # write_string stores the text literally: "=1+2", "-3", "@x" stay text.
                    sheet.write_string(row, col, value)
                    longest = max(longest, len(value))
        else:
            for row, value in enumerate(values, start=1):
                longest = max(longest, _write_cell(sheet, row, col, value))
        width = max(len(name) + 4, longest + 2)
        sheet.set_column(col, col, min(max(width, _MIN_WIDTH), _MAX_WIDTH))
    sheet.freeze_panes(1, 0)
    if columns:
        sheet.autofilter(0, 0, max(n_rows, 1), len(columns) - 1)


def _write_cell(sheet: Worksheet, row: int, col: int, value: Any) -> int:
    """Write one cell of a text or mixed column; return the displayed length (for widths)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return 0
    if isinstance(value, bool | np.bool_):
        sheet.write_boolean(row, col, bool(value))
        return 5
    if isinstance(value, int | float | np.integer | np.floating):
        if not math.isfinite(value):
            return 0
        sheet.write_number(row, col, value)
        return len(str(value))
    text = str(value)
    # write_string stores the text as a literal: "=1+2", "+98…", "-3", "@x" stay text.
    sheet.write_string(row, col, text)
    return len(text)


# ---------------------------------------------------------------------------------------------
# Overwriting
# ---------------------------------------------------------------------------------------------


def _layout_entries(folder: Path) -> list[Path]:
    return [folder / "plan.xlsx", folder / "plan", folder / "reports"]


def _remove_stale(folder: Path, written: list[Path]) -> None:
    """Delete plan and report files of an earlier plan that this write did not replace."""
    keep = {p.resolve() for p in written}
    candidates = [folder / "plan.xlsx"]
    plan_dir = folder / "plan"
    if plan_dir.is_dir():
        candidates += [plan_dir / f"{name}.csv" for name in PLAN_SHEETS + OPTIONAL_SHEETS]
    reports = folder / "reports"
    year_dirs = (
        [d for d in reports.iterdir() if d.is_dir() and d.name.isdigit()]
        if reports.is_dir()
        else []
    )
    for year_dir in year_dirs:
        candidates += [p for p in year_dir.iterdir() if p.suffix in (".xlsx", ".csv")]
    for path in candidates:
        if path.is_file() and path.resolve() not in keep:
            path.unlink()
    # Only folders this layout owns, and only once empty.
    for directory in [*year_dirs, plan_dir]:
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
