"""Safe Excel writing: every workbook planmon produces goes through these helpers.

Names, notes and units in a plan are untrusted text typed by many people. A cell whose text
starts with ``=``, ``+``, ``-`` or ``@`` becomes a live formula when a spreadsheet program
evaluates it ("formula" or "CSV injection", OWASP). Two layers keep such text inert:

1. **The workbook never stores a formula for text.** Workbooks are opened with
   ``strings_to_formulas=False`` and ``strings_to_urls=False`` and every string is written with
   xlsxwriter's ``write_string``, so the cell is a plain shared string.
2. **The text itself is prefixed with an apostrophe** (``'=1+1``) by :func:`safe_cell`. Layer 1
   alone is lost as soon as somebody saves the workbook as CSV and opens the CSV in Excel or
   LibreOffice, which then evaluate ``=1+1`` again. Excel's own "quote prefix" cell attribute
   hides the apostrophe but is dropped by CSV export too, so planmon writes a real character.
   The price is a visible ``'`` in front of such text, which a reader understands; numbers are
   never touched (they are written as numbers). These helpers are for *outputs* (scores,
   templates). A writer of files planmon reads back as data (a plan's own tables) must not add
   the apostrophe, which would change the text; layer 1 alone protects those.

Use :func:`excel_workbook` to open a workbook (atomic write, safe options) and
:func:`write_sheet` / :func:`write_frame` to fill a sheet: bold frozen header, column widths,
optional right-to-left layout, locked and unlocked cells, data validation.

>>> with excel_workbook("scores.xlsx") as book:            # doctest: +SKIP
...     write_frame(book, "scores", frame, right_to_left=True)
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import math
import os
import re
import sys
import traceback
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.worksheet import Worksheet

from planmon.core.exceptions import OutputError
from planmon.io.atomic import atomic_path

__all__ = [
    "WORKBOOK_OPTIONS",
    "FORMULA_TRIGGERS",
    "MAX_CELL_CHARS",
    "Column",
    "is_formula_like",
    "safe_cell",
    "safe_sheet_name",
    "excel_workbook",
    "write_sheet",
    "write_frame",
]

#: Options for every ``xlsxwriter.Workbook`` planmon opens: text is never turned into a formula,
#: a hyperlink or a number behind the caller's back.
WORKBOOK_OPTIONS: dict[str, Any] = {
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}

#: First characters that make a spreadsheet program evaluate text (OWASP's list: ``= + - @``,
#: tab, carriage return), plus line feed and the full-width forms some Excel locales also accept.
FORMULA_TRIGGERS: tuple[str, ...] = (
    "=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20",
)  # fmt: skip

#: Excel's limit on the characters of one cell; longer text is cut (xlsxwriter would warn).
MAX_CELL_CHARS = 32767

# Spaces a spreadsheet may strip before deciding that a cell is a formula.
_LEADING_BLANKS = " \u00a0"
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")

_HEADER_FORMAT = {
    "bold": True,
    "bg_color": "#E8EEF4",
    "bottom": 1,
    "text_wrap": True,
    "valign": "top",
}
# What a user may still do on a protected sheet: select any cell, resize columns and rows.
_PROTECTION = {
    "select_locked_cells": True,
    "select_unlocked_cells": True,
    "format_columns": True,
    "format_rows": True,
}
#: Rows whose values size the columns (the rest are written but not measured).
_WIDTH_SAMPLE_ROWS = 200


def is_formula_like(text: str) -> bool:
    """True if a spreadsheet could evaluate ``text`` (it starts, after spaces, with a trigger)."""
    return text.lstrip(_LEADING_BLANKS).startswith(FORMULA_TRIGGERS)


def safe_cell(value: object) -> str | int | float | bool | None:
    """Return ``value`` in the form it must be written to a spreadsheet cell.

    Parameters
    ----------
    value : object
        Any cell value: text, number, bool, date, missing value.

    Returns
    -------
    str, int, float, bool or None
        Numbers (Python or NumPy) come back as ``int``/``float`` unchanged; NaN and other missing
        values as ``None`` (a blank cell); ±infinity, which a workbook cannot store as a number,
        as the text ``∞``/``−∞``. Text that a spreadsheet could evaluate (see
        :data:`FORMULA_TRIGGERS`) is prefixed with ``'``; any text is cut to
        :data:`MAX_CELL_CHARS`. Anything else is written as its text. Applying it twice gives
        the same result (``'`` is not a trigger).

    Examples
    --------
    >>> safe_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> safe_cell(-3.5)
    -3.5
    >>> safe_cell("<script>alert(1)</script>")
    '<script>alert(1)</script>'
    """
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        number = float(value)
        if math.isnan(number):
            return None
        if math.isinf(number):
            return "∞" if number > 0 else "\u2212∞"  # U+2212 is not a formula trigger
        return number
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        text = value.isoformat()
    else:
        text = str(value)
    if is_formula_like(text):
        text = "'" + text
    return text[:MAX_CELL_CHARS]


def safe_sheet_name(name: str) -> str:
    """A valid Excel sheet name: forbidden characters ``[]:*?/\\`` replaced, at most 31 chars."""
    cleaned = _SHEET_NAME_FORBIDDEN.sub("_", str(name)).strip("'")[:31]
    return cleaned or "Sheet"


@dataclass(frozen=True)
class Column:
    """How one column of a sheet is written.

    Attributes
    ----------
    header : str
        Header text (row 1); written through :func:`safe_cell` like every cell.
    width : float, optional
        Column width in characters; ``None`` fits the header and the first values (capped).
    locked : bool, default True
        Whether the column's data cells are locked; matters only on a protected sheet.
    num_format : str, optional
        Excel number format of the data cells (e.g. ``"0.0"``).
    wrap : bool, default False
        Wrap long text inside the cells.
    validation : mapping, optional
        xlsxwriter ``data_validation`` options applied to the column's data cells.
    comment : str, optional
        A note attached to the header cell.
    """

    header: str
    width: float | None = None
    locked: bool = True
    num_format: str | None = None
    wrap: bool = False
    validation: Mapping[str, Any] | None = None
    comment: str | None = None


@contextlib.contextmanager
def excel_workbook(
    target: str | os.PathLike[str], properties: Mapping[str, str] | None = None
) -> Iterator[xlsxwriter.Workbook]:
    """Open an xlsxwriter workbook with :data:`WORKBOOK_OPTIONS`, written atomically.

    The workbook is built in a temporary file beside ``target`` and renamed onto it when the
    block ends without an exception; on an exception ``target`` is left untouched.

    Parameters
    ----------
    target : path-like
        The ``.xlsx`` file to create or replace.
    properties : mapping, optional
        Document properties (``title``, ``subject``, ``author``, ``comments``…).
    """
    with atomic_path(Path(target)) as tmp:
        book = xlsxwriter.Workbook(str(tmp), dict(WORKBOOK_OPTIONS))
        if properties:
            book.set_properties({k: safe_cell(v) for k, v in properties.items()})
        try:
            yield book
        except BaseException:
            # Close so xlsxwriter does not complain from its destructor; the file is discarded.
            _close_quietly(book)
            raise
        error = _close_quietly(book)
        if isinstance(error, (xlsxwriter.exceptions.FileCreateError, OSError)):  # a full disk
            cause = error if isinstance(error, OSError) else error.args[0] if error.args else None
            if not isinstance(cause, OSError):
                cause = OSError(str(error))
            raise OutputError.of(cause, target) from None
        if error is not None:
            raise error


def _close_quietly(book: xlsxwriter.Workbook) -> Exception | None:
    """Close ``book``; return the exception it raised, if any, with the half-written zip file
    it holds freed now and quietly: its destructor would otherwise print a second error
    (``Exception ignored in ZipFile.__del__``) at some later moment."""
    hook, sys.unraisablehook = sys.unraisablehook, lambda _unraisable: None
    try:
        book.close()
    except Exception as exc:  # the caller decides
        seen, todo = [], [exc]
        while todo:  # the exception, what it wraps and what it was raised in
            item = todo.pop()
            if isinstance(item, BaseException) and item not in seen:
                seen.append(item)
                traceback.clear_frames(item.__traceback__)
                item.__traceback__ = None
                todo += [item.__context__, item.__cause__, *item.args]
        gc.collect()
        return exc
    finally:
        gc.collect()
        sys.unraisablehook = hook
    return None


def _fitted_width(header: str, values: list[object]) -> float:
    longest = max(
        [len(str(header)), *(len(str(v)) for v in values[:_WIDTH_SAMPLE_ROWS] if v is not None)]
    )
    return float(min(max(longest + 2, 8), 60))


def write_sheet(
    book: xlsxwriter.Workbook,
    name: str,
    columns: Sequence[Column | str],
    rows: Iterable[Sequence[object]],
    *,
    right_to_left: bool = False,
    protect: bool = False,
    freeze_header: bool = True,
) -> Worksheet:
    """Add one sheet: a bold header row, then ``rows``, every cell through :func:`safe_cell`.

    Parameters
    ----------
    book : xlsxwriter.Workbook
        From :func:`excel_workbook` (or opened with :data:`WORKBOOK_OPTIONS`).
    name : str
        Sheet name (made valid by :func:`safe_sheet_name`).
    columns : sequence of Column or str
        One entry per column; a plain string is a header with default settings.
    rows : iterable of sequences
        Data rows, in column order; short rows are padded with blanks.
    right_to_left : bool, default False
        Lay the sheet out right to left (Persian).
    protect : bool, default False
        Protect the sheet (no password: it prevents accidental edits, it is not security) so
        that only columns with ``locked=False`` can be edited.
    freeze_header : bool, default True
        Keep the header row visible while scrolling.

    Returns
    -------
    xlsxwriter.worksheet.Worksheet
        The sheet, for extra settings (print layout, comments…).
    """
    specs = [c if isinstance(c, Column) else Column(str(c)) for c in columns]
    sheet = book.add_worksheet(safe_sheet_name(name))
    if right_to_left:
        sheet.right_to_left()
    header_format = book.add_format(_HEADER_FORMAT)
    cell_formats = [book.add_format(_cell_format(spec)) for spec in specs]
    for col, spec in enumerate(specs):
        _write(sheet, 0, col, spec.header, header_format)
        if spec.comment:
            sheet.write_comment(0, col, str(safe_cell(spec.comment)))
    n_rows, values = _write_rows(sheet, rows, cell_formats)
    for col, spec in enumerate(specs):
        width = spec.width if spec.width is not None else _fitted_width(spec.header, values[col])
        sheet.set_column(col, col, width)
        if spec.validation and n_rows:
            sheet.data_validation(1, col, n_rows, col, dict(spec.validation))
    if freeze_header:
        sheet.freeze_panes(1, 0)
    if protect:
        sheet.protect("", dict(_PROTECTION))
    return sheet


def _cell_format(spec: Column) -> dict[str, Any]:
    """xlsxwriter format properties of one column's data cells."""
    props: dict[str, Any] = {"locked": spec.locked, "valign": "top"}
    if spec.num_format:
        props["num_format"] = spec.num_format
    if spec.wrap:
        props["text_wrap"] = True
    if not spec.locked:
        props["bg_color"] = "#FFF9E0"  # input cells stand out on a protected sheet
    return props


def _write_rows(
    sheet: Worksheet, rows: Iterable[Sequence[object]], formats: list[Any]
) -> tuple[int, list[list[object]]]:
    """Write the data rows below the header, every cell through :func:`safe_cell`.

    Returns the number of rows written and, per column, the first rows' safe values (for
    the column widths).
    """
    values: list[list[object]] = [[] for _ in formats]
    n_rows = 0
    for n_rows, row in enumerate(rows, start=1):
        cells = list(row)
        for col, fmt in enumerate(formats):
            value = safe_cell(cells[col]) if col < len(cells) else None
            _write(sheet, n_rows, col, value, fmt)
            if n_rows <= _WIDTH_SAMPLE_ROWS:
                values[col].append(value)
    return n_rows, values


def _write(sheet: Worksheet, row: int, col: int, value: object, fmt: Any) -> None:
    """Write an already-safe value with the method of its type (never ``write``'s guessing)."""
    value = safe_cell(value)
    if value is None:
        sheet.write_blank(row, col, None, fmt)
    elif isinstance(value, bool):
        sheet.write_boolean(row, col, value, fmt)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value, fmt)
    else:
        sheet.write_string(row, col, value, fmt)


def write_frame(
    book: xlsxwriter.Workbook,
    name: str,
    frame: pd.DataFrame,
    *,
    columns: Mapping[str, Column] | None = None,
    right_to_left: bool = False,
) -> Worksheet:
    """Write a DataFrame as one sheet (headers = column names, no index).

    Parameters
    ----------
    book : xlsxwriter.Workbook
    name : str
        Sheet name.
    frame : DataFrame
    columns : mapping, optional
        Column name → :class:`Column` for columns that need a header text, width or format;
        other columns get defaults.
    right_to_left : bool, default False
    """
    specs = [(columns or {}).get(c, Column(str(c))) for c in frame.columns]
    rows = frame.astype(object).itertuples(index=False, name=None)
    return write_sheet(book, name, specs, rows, right_to_left=right_to_left)
