"""Reading plan tables from Excel workbooks and CSV files, as the analyst wrote them.

Everything here keeps the analyst's coordinates: each table comes back as a frame whose index is
the row number shown in Excel or a text editor (header = row 1) and with a map from canonical
column names back to the headers as written, so validation can say ``file:row:column``.
Values are left as read (text or numbers); :mod:`planmon.plan.validation` parses and checks them.

Workbooks are inspected first (:mod:`planmon.io.workbook_guard`): only a workbook whose sizes
are within bounds reaches python-calamine, and the cells calamine would read as blank (Excel
errors, formulas without a saved value, merged ranges) are reported at their row and column.
Text is cleaned of control characters (with a warning) and held to the length limits of
:mod:`planmon.io.limits`.
"""

from __future__ import annotations

import io
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from planmon.core.exceptions import InputFileError, Problem
from planmon.core.schema import canonical_column, canonical_table
from planmon.core.text import clean_text, is_blank_text, strip_controls
from planmon.io.csv_read import decode_csv, read_csv_rows
from planmon.io.limits import MAX_INPUT_BYTES, MAX_NAME_CHARS, MAX_NOTE_CHARS
from planmon.io.workbook_guard import CellNote, SheetEntry, open_workbook, scan_sheet

__all__ = [
    "RawTable",
    "Sheet",
    "MAX_INPUT_BYTES",
    "NAME_COLUMNS",
    "NOTE_COLUMNS",
    "read_workbook",
    "read_csv_table",
    "table_from_rows",
    "decode_csv",
    "sheet_tables",
    "first_sheet_table",
]

#: Columns of names and short texts: at most :data:`~planmon.io.limits.MAX_NAME_CHARS`.
NAME_COLUMNS = ("name_fa", "name_en", "unit", "responsible", "source", "frequency")
#: Columns of free text, where tabs and line breaks are kept: at most
#: :data:`~planmon.io.limits.MAX_NOTE_CHARS` (longer text is cut, with a warning).
NOTE_COLUMNS = ("note", "definition", "formula")


@dataclass
class RawTable:
    """One table as read from a file.

    Attributes
    ----------
    frame : DataFrame
        Canonical column names; index = row number as the analyst sees it (header = 1).
    label : str
        Where the table came from, for messages: ``plan.xlsx[indicators]`` or ``plan/goals.csv``.
    headers : dict
        Canonical column name → header exactly as written in the file.
    problems : list of Problem
        Findings made while reading (duplicate or unknown headers, error cells, control
        characters, too long text, …), errors and warnings.
    """

    frame: pd.DataFrame | None
    label: str
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: With ``frame`` None (read by :func:`table_from_rows` with ``as_frame=False``): the
    #: cells of each column and the analyst's row numbers, so many reports can be combined
    #: into one frame at once instead of one small frame per file.
    cells: dict[str, list[object]] | None = None
    row_numbers: list[int] | None = None

    def header(self, column: str) -> str:
        """The header of ``column`` as written in the file (canonical name if absent)."""
        return self.headers.get(column, column)

    @property
    def columns(self) -> list[str]:
        """The canonical column names read."""
        return list(self.cells) if self.frame is None else list(self.frame.columns)

    def rows_read(self) -> list[int]:
        """The analyst's row number of each data row."""
        if self.frame is None:
            return list(self.row_numbers or [])
        return self.frame.index.tolist()

    def to_frame(self) -> pd.DataFrame:
        """The table as a frame (built from the columns if it was read without one)."""
        if self.frame is None:
            index = pd.Index(self.row_numbers or [], name="row", dtype="int64")
            self.frame = pd.DataFrame(self.cells or {}, index=index, dtype=object)
        return self.frame


@dataclass
class Sheet:
    """One worksheet as read: its rows of cell values from A1 and the cells found blank."""

    name: str
    rows: list[list[object]]
    notes: list[CellNote] = field(default_factory=list)


def _calamine_rows(data: bytes, label: str, names: list[str]) -> dict[str, list[list[object]]]:
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
        try:
            return {n: book.get_sheet_by_name(n).to_python(skip_empty_area=False) for n in names}
        finally:
            book.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise InputFileError(
            f"{label}: the workbook is damaged and cannot be read ({type(exc).__name__}); "
            "open it in Excel and save it again"
        ) from None


def read_workbook(
    path: Path,
    label: str,
    choose: Callable[[list[SheetEntry]], list[SheetEntry]],
    sheet_label: Callable[[str], str] | None = None,
) -> tuple[list[Sheet], list[SheetEntry]]:
    """Read the worksheets ``choose`` picks from the workbook's list, safely.

    Parameters
    ----------
    choose : callable
        Given every worksheet (name, part, visibility) in workbook order, returns those to read.
    sheet_label : callable, optional
        Sheet name → label for messages about one sheet (default ``label[sheet]``).

    Returns
    -------
    sheets : list of Sheet
        The sheets read, in the order chosen.
    entries : list of SheetEntry
        Every worksheet of the workbook (for messages about the ones not read).

    Raises
    ------
    InputFileError
        Too large, not an ``.xlsx`` (encrypted, ``.xls``, not a workbook), a zip bomb, a sheet
        beyond the limits, or damaged.
    """
    sheet_label = sheet_label or (lambda name: f"{label}[{name}]")
    book, entries = open_workbook(path, label)
    with book:
        chosen = choose(entries)
        notes = {e.name: scan_sheet(book, e, sheet_label(e.name)).notes for e in chosen}
    # the bytes the guard checked, not a second read of the file
    rows = _calamine_rows(book.data, label, [e.name for e in chosen])
    return [Sheet(e.name, rows[e.name], notes[e.name]) for e in chosen], entries


def read_csv_table(path: Path, label: str, *, as_frame: bool = True) -> RawTable:
    """Read a CSV file as one table (delimiter ``,``, ``;`` or tab, detected)."""
    rows, problems = read_csv_rows(path, label)
    table = table_from_rows(rows, label, as_frame=as_frame)
    table.problems[:0] = problems
    return table


def _is_blank(cell: object) -> bool:
    if cell is None:
        return True
    if not isinstance(cell, str):
        return False
    text = cell.strip()
    return not text or (not text.isascii() and is_blank_text(text))


def _header(rows: list[list[object]], start: int, label: str):
    """Canonical column → (header as written, position), and the problems of the header."""
    problems: list[Problem] = []
    columns: dict[str, tuple[str, int]] = {}
    for pos, raw_header in enumerate(rows[start]):
        written = clean_text(
            strip_controls(raw_header)[0] if isinstance(raw_header, str) else raw_header
        )
        if written is None:
            continue
        canonical = canonical_column(written)
        if canonical is None:
            problems.append(
                Problem(label, start + 1, written, "unknown column, ignored", "warning")
            )
        elif canonical in columns:
            first = columns[canonical][0]
            problems.append(
                Problem(
                    label,
                    start + 1,
                    written,
                    f"column repeats {first!r} (both mean {canonical}); keep one",
                )
            )
        else:
            columns[canonical] = (written, pos)
    return columns, problems


def _clean_cell(cell: str, name: str, where: tuple, problems: list[Problem]) -> str:
    """Strip control characters and hold a text cell to its column's length limit."""
    note = name in NOTE_COLUMNS
    text, stripped = strip_controls(cell, keep_breaks=note)
    if stripped:
        problems.append(
            Problem(
                *where,
                "control characters (line breaks, NUL, ESC, …) removed from the text",
                "warning",
            )
        )
    limit = MAX_NOTE_CHARS if note else MAX_NAME_CHARS if name in NAME_COLUMNS else None
    if limit is not None and len(text) > limit:
        if note:
            problems.append(
                Problem(
                    *where,
                    f"text of {len(text):,} characters cut to {limit:,} (the most a note may have)",
                    "warning",
                )
            )
            return text[:limit]
        problems.append(
            Problem(
                *where,
                f"is {len(text):,} characters long; a name may have at most {limit:,}: shorten it",
            )
        )
    return text


def _note_problems(
    notes: Sequence[CellNote], label: str, header_row: int, by_position: dict[int, str]
) -> list[Problem]:
    """The sheet's cell notes that concern a column of the table, located by its header."""
    problems = []
    for note in notes:
        last_col = note.col if note.last_col is None else note.last_col
        kept = [c for c in range(note.col, min(last_col, note.col + 16384) + 1) if c in by_position]
        if note.row < header_row or not kept:
            continue
        problems.append(Problem(label, note.row, by_position[kept[0]], note.message, note.severity))
    return problems


def _records(
    rows: list[list[object]],
    start: int,
    label: str,
    headers: dict[str, str],
    positions: dict[str, int],
    problems: list[Problem],
) -> tuple[list[int], dict[str, list[object]]]:
    """The data rows under the header at ``start``: row numbers and cells of each column
    (blank rows dropped, blank cells None, text cleaned)."""
    names, places = list(positions), list(positions.values())
    index: list[int] = []
    if not names:
        return index, {}
    width = max(places) + 1
    pick = operator.itemgetter(*places) if len(places) > 1 else lambda row: (row[places[0]],)
    kept_rows = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = (
            pick(row) if len(row) >= width else [row[p] if p < len(row) else None for p in places]
        )
        # numbers and None need no test; only text can be blank (spaces, invisible marks)
        kept = [
            None
            if cell.__class__ is str
            and (not cell or (cell.isspace() if cell.isascii() else is_blank_text(cell)))
            else cell
            for cell in cells
        ]
        if kept.count(None) == len(kept):
            continue
        index.append(number)
        kept_rows.append(kept)
    columns = [list(column) for column in zip(*kept_rows, strict=True)] or [[] for _ in names]
    # text that is not plain printable ASCII of a name's length is cleaned, row by row
    dirty = [
        (i, k)
        for k, column in enumerate(columns)
        for i, cell in enumerate(column)
        if cell.__class__ is str
        and not (cell.isascii() and cell.isprintable() and len(cell) <= MAX_NAME_CHARS)
    ]
    for i, k in sorted(dirty):
        where = (label, index[i], headers[names[k]])
        columns[k][i] = _clean_cell(columns[k][i], names[k], where, problems)
    return index, dict(zip(names, columns, strict=True))


def table_from_rows(
    rows: list[list[object]], label: str, notes: Sequence[CellNote] = (), *, as_frame: bool = True
) -> RawTable:
    """Turn raw rows into a :class:`RawTable` with canonical headers and analyst row numbers.

    The header is the first non-blank row. Blank rows and columns with neither header nor
    values are dropped (Excel files often carry formatted but empty trailing rows). Unknown
    headers are kept out of the frame with a warning; two headers meaning the same column are
    an error. ``notes`` (cells a workbook reader found blank or merged) become problems when
    they fall in a column of the table. ``as_frame=False`` leaves ``frame`` None and keeps the
    columns as lists (:attr:`RawTable.cells`), for a caller that combines many tables.
    """
    start = next((i for i, row in enumerate(rows) if not all(map(_is_blank, row))), None)
    if start is None:
        if not as_frame:
            return RawTable(None, label, {}, [], {}, [])
        return RawTable(pd.DataFrame(), label, {}, [])
    columns, problems = _header(rows, start, label)
    headers = {name: written for name, (written, _) in columns.items()}
    positions = {name: pos for name, (_, pos) in columns.items()}
    index, records = _records(rows, start, label, headers, positions, problems)
    by_position = {pos: headers[name] for name, pos in positions.items()}
    problems += _note_problems(notes, label, start + 1, by_position)
    if not as_frame:
        return RawTable(None, label, headers, problems, records, index)
    frame = pd.DataFrame(records, index=pd.Index(index, name="row"), dtype=object)
    return RawTable(frame, label, headers, problems)


def sheet_tables(path: Path, label: str) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read a plan workbook: canonical table name → table, and the workbook's problems.

    Visible sheets named after a table are read (unknown sheets are ignored); a hidden one is
    not read, with a warning; two sheets for one table are an error (the first is read).
    """
    problems: list[Problem] = []
    chosen: dict[str, SheetEntry] = {}

    def choose(entries: list[SheetEntry]) -> list[SheetEntry]:
        for entry in entries:
            name = canonical_table(entry.name)
            where = f"{label}[{entry.name}]"
            if name is None:
                continue
            if not entry.visible:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        f"the sheet is hidden and was not read; unhide "
                        f"it if it holds the {name} table",
                        "warning",
                    )
                )
            elif name in chosen:
                problems.append(
                    Problem(
                        where,
                        None,
                        None,
                        f"a second {name} table (sheet "
                        f"{chosen[name].name!r} is one already); keep one sheet per table",
                    )
                )
            else:
                chosen[name] = entry
        return list(chosen.values())

    sheets, _ = read_workbook(path, label, choose)
    tables = {
        name: table_from_rows(sheet.rows, f"{label}[{sheet.name}]", sheet.notes)
        for name, sheet in zip(chosen, sheets, strict=True)
    }
    return tables, problems


def first_sheet_table(path: Path, label: str, *, as_frame: bool = True) -> RawTable:
    """Read the first visible sheet of a workbook as one table (a report; messages name the
    file alone). Hidden sheets before it are not read, with a warning. ``as_frame`` as in
    :func:`table_from_rows`."""

    def choose(entries: list[SheetEntry]) -> list[SheetEntry]:
        return [e for e in entries if e.visible][:1]

    sheets, entries = read_workbook(path, label, choose, sheet_label=lambda _: label)
    if not sheets:
        raise InputFileError(f"{label}: the workbook has no visible sheet; unhide the report")
    table = table_from_rows(sheets[0].rows, label, sheets[0].notes, as_frame=as_frame)
    for entry in entries:
        if entry.name == sheets[0].name:
            break
        table.problems.append(
            Problem(
                label,
                None,
                None,
                f"sheet {entry.name!r} is hidden and was not read; the "
                f"first visible sheet {sheets[0].name!r} is the report",
                "warning",
            )
        )
    return table
