"""Reading plan tables from Excel workbooks and CSV files, as the analyst wrote them.

Everything here keeps the analyst's coordinates: each table comes back as a frame whose index is
the row number shown in Excel or a text editor (header = row 1) and with a map from canonical
column names back to the headers as written, so validation can say ``file:row:column``.
Values are left as read (text or numbers); :mod:`planmon.plan.validation` parses and checks them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import python_calamine

from planmon.core.exceptions import InputFileError, Problem
from planmon.core.schema import canonical_column, canonical_table
from planmon.core.text import clean_text

__all__ = [
    "RawTable",
    "MAX_INPUT_BYTES",
    "read_workbook",
    "read_csv_table",
    "table_from_rows",
    "decode_csv",
]

#: Input files larger than this are refused: a department's report is a few kB, a whole plan a
#: few MB; anything far larger is a wrong file or an attack on memory.
MAX_INPUT_BYTES = 50 * 1024 * 1024

_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"


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
        Findings made while reading (duplicate or unknown headers).
    """

    frame: pd.DataFrame
    label: str
    headers: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def header(self, column: str) -> str:
        """The header of ``column`` as written in the file (canonical name if absent)."""
        return self.headers.get(column, column)


def _check_size(path: Path, label: str) -> None:
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputFileError(f"{label}: cannot be read ({exc.strerror})") from None
    if size > MAX_INPUT_BYTES:
        raise InputFileError(
            f"{label}: file is {size / 1e6:.0f} MB, more than the {MAX_INPUT_BYTES // 2**20} MiB "
            "planmon accepts for one input; check it is the right file"
        )


def read_workbook(path: Path, label: str) -> dict[str, list[list[object]]]:
    """Read every sheet of an Excel workbook as rows of cell values (from cell A1).

    Raises
    ------
    InputFileError
        If the file is too large, is not an Excel workbook or cannot be parsed.
    """
    _check_size(path, label)
    with open(path, "rb") as handle:
        magic = handle.read(4)
    if magic not in (_XLSX_MAGIC, _XLS_MAGIC):
        raise InputFileError(
            f"{label}: is not an Excel workbook (.xlsx); save it from Excel as .xlsx or .csv"
        )
    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        return {
            name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in book.sheet_names
        }
    except Exception as exc:  # calamine raises several unrelated types for corrupt files
        raise InputFileError(
            f"{label}: the workbook is damaged and cannot be read ({type(exc).__name__}); "
            "open it in Excel and save it again"
        ) from None


def decode_csv(data: bytes, label: str) -> str:
    """Decode CSV bytes: UTF-8 (with or without BOM), else Windows-1256 (Persian Windows)."""
    if b"\x00" in data[:4096]:
        raise InputFileError(
            f"{label}: is not a text CSV file (binary content); export it as CSV UTF-8"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1256")
    except UnicodeDecodeError:
        raise InputFileError(
            f"{label}: text encoding is neither UTF-8 nor Windows-1256; save it as CSV UTF-8"
        ) from None


def read_csv_table(path: Path, label: str) -> list[list[object]]:
    """Read a CSV file as rows of strings (delimiter ``,``, ``;`` or tab, detected)."""
    _check_size(path, label)
    text = decode_csv(path.read_bytes(), label)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as exc:
        raise InputFileError(f"{label}: is not a valid CSV file ({exc})") from None


def _is_blank(cell: object) -> bool:
    return cell is None or (isinstance(cell, str) and clean_text(cell) is None)


def table_from_rows(rows: list[list[object]], label: str) -> RawTable:
    """Turn raw rows into a :class:`RawTable` with canonical headers and analyst row numbers.

    The header is the first non-blank row. Blank rows and columns with neither header nor
    values are dropped (Excel files often carry formatted but empty trailing rows). Unknown
    headers are kept out of the frame with a warning; two headers meaning the same column are
    an error.
    """
    problems: list[Problem] = []
    start = next((i for i, row in enumerate(rows) if not all(map(_is_blank, row))), None)
    if start is None:
        return RawTable(pd.DataFrame(), label, {}, problems)
    header_row = rows[start]
    headers: dict[str, str] = {}
    positions: dict[str, int] = {}
    for pos, raw_header in enumerate(header_row):
        written = clean_text(raw_header)
        if written is None:
            continue
        canonical = canonical_column(written)
        if canonical is None:
            problems.append(
                Problem(label, start + 1, written, "unknown column, ignored", "warning")
            )
            continue
        if canonical in headers:
            problems.append(
                Problem(
                    label,
                    start + 1,
                    written,
                    f"column repeats {headers[canonical]!r} (both mean {canonical}); keep one",
                )
            )
            continue
        headers[canonical] = written
        positions[canonical] = pos
    records: dict[str, list[object]] = {name: [] for name in positions}
    index: list[int] = []
    for number, row in enumerate(rows[start + 1 :], start=start + 2):
        cells = [row[pos] if pos < len(row) else None for pos in positions.values()]
        if all(map(_is_blank, cells)):
            continue
        index.append(number)
        for name, cell in zip(positions, cells, strict=True):
            records[name].append(None if _is_blank(cell) else cell)
    frame = pd.DataFrame(records, index=pd.Index(index, name="row"), dtype=object)
    return RawTable(frame, label, headers, problems)


def sheet_tables(path: Path, label: str) -> dict[str, RawTable]:
    """Read a plan workbook: canonical table name → table; unknown sheets are ignored."""
    out: dict[str, RawTable] = {}
    for sheet, rows in read_workbook(path, label).items():
        name = canonical_table(sheet)
        if name is not None and name not in out:
            out[name] = table_from_rows(rows, f"{label}[{sheet}]")
    return out
