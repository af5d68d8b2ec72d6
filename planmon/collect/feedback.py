"""Feedback workbooks: a returned file with its problems marked, ready to send straight back.

``planmon check-return`` (:func:`check_returns`) judges returned files exactly as ingest would,
without writing into the plan; ``planmon ingest`` writes the same feedback when it refuses
files. For each file with problems, :func:`write_feedback` writes a copy of the department's
workbook in which every problem cell is coloured (red: error, yellow: warning) and carries a
comment explaining it in Persian and English with the fix, plus a summary sheet
«مشکلات (Problems)» listing every problem with its cell. The copy keeps the data sheet first
and the file name ``<dept_id>.xlsx``, so the department can correct it and return it as is.
"""

from __future__ import annotations

import io
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook import Workbook

from planmon.collect.explain import Explained, persian
from planmon.collect.incoming import (
    Incoming,
    existing_reports,
    explain_problems,
    metadata_findings,
    read_incoming,
    stage_view,
    validate_view,
    whole_year,
    year_folder_for,
)
from planmon.core import config
from planmon.core.exceptions import PlanValidationError, Problem
from planmon.io.atomic import atomic_path
from planmon.io.excel import safe_cell
from planmon.io.plan_files import PlanFiles, discover

__all__ = ["SUMMARY_SHEET", "ReturnCheck", "check_returns", "write_feedback", "default_folder"]

#: The summary sheet of a feedback workbook.
SUMMARY_SHEET = "مشکلات (Problems)"
_FILLS = {
    "error": PatternFill("solid", start_color="FFF4B6B6"),
    "warning": PatternFill("solid", start_color="FFFFE699"),
}
_SUMMARY_HEADERS = (
    "خانه / Cell",
    "ردیف / Row",
    "ستون / Column",
    "نوع / Kind",
    "توضیح",
    "Explanation",
)
_KIND = {"error": "خطا / error", "warning": "هشدار / warning"}


def default_folder(year: int) -> Path:
    """Where feedback workbooks go by default: ``reports/feedback/<year>/``."""
    return config.REPORTS / "feedback" / str(int(year))


@dataclass
class ReturnCheck:
    """The verdict on one returned file.

    Attributes
    ----------
    source : str
        The file as the user named it.
    dept_id : str
    problems : list of Explained
        Every problem, located in the file (cell in A1 style) and explained in fa and en.
    feedback : Path or None
        The feedback workbook written (None when the file has no problem).
    """

    source: str
    dept_id: str
    problems: list[Explained] = field(default_factory=list)
    feedback: Path | None = None

    @property
    def errors(self) -> list[Explained]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Explained]:
        return [p for p in self.problems if p.severity != "error"]


# ------------------------------------------------------------------------------ workbooks


def _source_workbook(item: Incoming) -> Workbook:
    """The department's workbook as returned (a CSV becomes a one-sheet workbook)."""
    if item.suffix == ".xlsx":
        try:
            return openpyxl.load_workbook(io.BytesIO(item.data))
        except Exception:  # a damaged workbook: the summary sheet alone says what is wrong
            book = Workbook()
            book.active.title = "گزارش (report)"
            return book
    from planmon.io.csv_read import read_csv_rows

    book = Workbook()
    sheet = book.active
    sheet.title = "گزارش (report)"
    sheet.sheet_view.rightToLeft = True
    try:
        with tempfile.TemporaryDirectory(prefix="planmon-feedback-") as tmp:
            path = Path(tmp) / f"{item.dept_id}.csv"
            path.write_bytes(item.data)
            rows, _ = read_csv_rows(path, item.label)
    except Exception:
        rows = []
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _text_cell(sheet.cell(r, c), value)
    return book


def _text_cell(cell, value: object) -> None:
    """Set a cell to untrusted text or a number; text can never become a formula."""
    value = safe_cell(value)
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def _mark(sheet, told: Explained) -> None:
    row, col = told.row, told.col or 1
    if row is None:
        return
    cell = sheet.cell(row, col)
    if told.severity == "error" or cell.fill is None or cell.fill.fgColor.rgb != "FFF4B6B6":
        cell.fill = _FILLS.get(told.severity, _FILLS["warning"])
    text = f"{told.fa}\n\n{told.en}"
    if cell.comment is not None and cell.comment.author == "planmon":
        text = f"{cell.comment.text}\n\n—\n\n{text}"
    cell.comment = Comment(text, "planmon", width=320, height=180)


def _summary(book: Workbook, told_all: list[Explained]) -> None:
    sheet = book.create_sheet(SUMMARY_SHEET)
    sheet.sheet_view.rightToLeft = True
    for col, header in enumerate(_SUMMARY_HEADERS, start=1):
        _text_cell(sheet.cell(1, col), header)
        sheet.cell(1, col).font = Font(bold=True)
    for r, told in enumerate(told_all, start=2):
        values = (
            told.cell or "",
            told.row,
            told.problem.column or "",
            _KIND.get(told.severity, told.severity),
            told.fa,
            told.en,
        )
        for col, value in enumerate(values, start=1):
            _text_cell(sheet.cell(r, col), value)
        sheet.cell(r, 4).fill = _FILLS.get(told.severity, _FILLS["warning"])
    for letter, width in zip("ABCDEF", (8, 7, 18, 14, 70, 70), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    book.active = book.sheetnames.index(SUMMARY_SHEET)


def write_feedback(
    incoming: list[Incoming], explained: dict[str, list[Explained]], folder: str | os.PathLike
) -> list[Path]:
    """Write a feedback copy of each file that has problems; return the paths written.

    Parameters
    ----------
    incoming : list of Incoming
        The returned files (their bytes are the ones marked).
    explained : dict
        File label → its explained problems (from
        :func:`planmon.collect.incoming.explain_problems`).
    folder : path-like
        Output folder; each copy is ``<folder>/<dept_id>.xlsx``, written atomically.
    """
    folder = Path(folder)
    written = []
    for item in incoming:
        told_all = explained.get(item.label, [])
        if not told_all:
            continue
        book = _source_workbook(item)
        data = book.worksheets[0]
        for told in told_all:
            _mark(data, told)
        _summary(book, told_all)
        target = folder / f"{item.dept_id}.xlsx"
        with atomic_path(target) as tmp:
            book.save(tmp)
        written.append(target)
    return written


# ------------------------------------------------------------------------------ checking


def _guard_problems(
    incoming: list[Incoming], year: int, files: PlanFiles
) -> dict[str, list[Explained]]:
    """The guard's findings (another year, department or plan; no metadata) per file."""
    out: dict[str, list[Explained]] = {}
    unchecked = (
        "این فایل با «planmon template» ساخته نشده یا ویژگی‌های پنهان آن تغییر کرده است؛ سال، "
        "حوزه و برنامه آن بررسی نشد"
    )
    for item, refusals, warnings in metadata_findings(incoming, year, files):
        found = [(r.render("cli"), "error") for r in refusals]
        found += [(w.message, "warning") for w in warnings]
        for text, severity in found:
            message = text.removeprefix(f"{item.label}: ")
            fa = persian(message) if severity == "error" else unchecked
            located = Problem(item.label, None, None, message, severity)
            out.setdefault(item.label, []).append(Explained(located, None, None, None, fa, message))
    return out


def check_returns(
    files: Iterable[str | os.PathLike[str]],
    year: int,
    plan_path: str | os.PathLike[str],
    out_dir: str | os.PathLike[str] | None = None,
) -> list[ReturnCheck]:
    """Judge returned files as ``ingest`` would, and write feedback workbooks for those with
    problems. The plan folder is not written.

    Parameters
    ----------
    files : iterable of path-like
        The returned ``<dept_id>.xlsx`` / ``.csv`` files.
    year : int
        The report year they are for.
    plan_path : path-like
        The plan folder.
    out_dir : path-like, optional
        Folder for the feedback workbooks; default :func:`default_folder` (``reports/feedback/
        <year>/``).

    Returns
    -------
    list of ReturnCheck
        One per file, in the order given.
    """
    year = whole_year(year)
    incoming = read_incoming(files)
    plan_files = discover(Path(plan_path))
    explained = _guard_problems(incoming, year, plan_files)
    existing = existing_reports(plan_files, year)
    replaced = {r.path for item in incoming for r in existing.get(item.dept_id, [])}
    with tempfile.TemporaryDirectory(prefix="planmon-check-") as tmp:
        view = Path(tmp) / "plan"
        year_folder = year_folder_for(plan_files, year)
        stage_view(plan_files, view, year_folder, incoming, replaced)
        try:
            problems = validate_view(view, plan_files).warnings
        except PlanValidationError as exc:
            problems = exc.problems + exc.warnings
        _, found = explain_problems(problems, incoming, view)
    for label, told in found.items():
        explained.setdefault(label, []).extend(told)
    folder = Path(out_dir) if out_dir is not None else default_folder(year)
    paths = {p.stem: p for p in write_feedback(incoming, explained, folder)}
    return [
        ReturnCheck(
            item.label, item.dept_id, explained.get(item.label, []), paths.get(item.dept_id)
        )
        for item in incoming
    ]
