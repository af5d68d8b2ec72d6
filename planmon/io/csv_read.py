"""Reading a CSV file as the analyst's spreadsheet program wrote it, or saying why not.

Encodings: UTF-8 (with or without BOM) or Windows-1256 (Persian Excel on Windows). A file that
mixes the two (rows pasted from another file) is read line by line, each line in its own
encoding, with a warning naming the lines. Delimiter ``,``, ``;`` or tab, detected from the
header line. A quote that is never closed would swallow the following rows into one cell; that
is an error located at the row where the quote opens.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from planmon.core.exceptions import InputFileError, Problem
from planmon.io.limits import MAX_CELLS, read_bounded

__all__ = ["decode_csv", "read_csv_rows"]

_BOM = b"\xef\xbb\xbf"


def _line_list(numbers: list[int], limit: int = 5) -> str:
    shown = ", ".join(map(str, numbers[:limit]))
    return shown + (f" and {len(numbers) - limit} more" if len(numbers) > limit else "")


def _decode_by_line(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Decode each line as UTF-8, else Windows-1256; warn when both occur."""
    utf8_lines: list[int] = []
    cp1256_lines: list[int] = []
    out = []
    for number, line in enumerate(data.split(b"\n"), start=1):
        if line.isascii():
            out.append(line.decode("ascii"))
            continue
        try:
            out.append(line.decode("utf-8"))
            utf8_lines.append(number)
        except UnicodeDecodeError:
            try:
                out.append(line.decode("cp1256"))
            except UnicodeDecodeError:
                raise InputFileError(
                    f"{label}: text encoding is neither UTF-8 nor Windows-1256 (line {number}); "
                    "save it as CSV UTF-8"
                ) from None
            cp1256_lines.append(number)
    problems = []
    if utf8_lines and cp1256_lines:
        problems.append(
            Problem(
                label,
                cp1256_lines[0],
                None,
                f"the file mixes two text encodings: line {_line_list(cp1256_lines)} "
                f"Windows-1256, line {_line_list(utf8_lines)} UTF-8; each line was read in its "
                "own encoding: check those rows, and save the file as CSV UTF-8",
                "warning",
            )
        )
    return "\n".join(out), problems


def decode_csv(data: bytes, label: str) -> tuple[str, list[Problem]]:
    """Decode CSV bytes (see the module docstring); return the text and any warning.

    Raises
    ------
    InputFileError
        Binary content, or an encoding that is neither UTF-8 nor Windows-1256.
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputFileError(
            f"{label}: is saved as Unicode text (UTF-16); save it from Excel as CSV UTF-8"
        )
    sample = data[:4096]
    nuls = sample.count(b"\x00")
    if nuls > 8 and nuls * 100 > len(sample):  # a stray NUL in a text is stripped later
        raise InputFileError(
            f"{label}: is not a text CSV file (binary content); export it as CSV UTF-8"
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    try:
        return data.decode("utf-8"), []
    except UnicodeDecodeError:
        return _decode_by_line(data, label)


def _swallowed_rows(
    record: list[str], header: list[str], delimiter: str, first_line: int, row: int, label: str
) -> Problem | None:
    """A cell spanning lines whose later lines look like rows: an unclosed quote."""
    for position, cell in enumerate(record):
        if "\n" not in cell:
            continue
        for offset, line in enumerate(cell.split("\n")[1:], start=1):
            if line.count(delimiter) >= max(1, len(header) - 1):
                column = header[position] if position < len(header) else None
                return Problem(
                    label,
                    row,
                    column.strip() if column else None,
                    f'a quote (") opened on line {first_line} is not closed where the cell '
                    f"should end, so line {first_line + offset} and what follows became part "
                    "of this cell; close the quote or remove it",
                )
    return None


def read_csv_rows(path: Path, label: str) -> tuple[list[list[str]], list[Problem]]:
    """Read a CSV file as rows of strings, with the problems found while reading.

    Raises
    ------
    InputFileError
        If the file is too large, is not text, or is not CSV at all.
    """
    text, problems = decode_csv(read_bounded(path, label), label)
    first = text.split("\n", 1)[0]
    delimiter = max([",", ";", "\t"], key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    header: list[str] | None = None
    line = 0
    cells = 0
    try:
        for record in reader:
            first_line, line = line + 1, reader.line_num
            rows.append(record)
            cells += len(record)
            if cells > MAX_CELLS:
                raise InputFileError(
                    f"{label}: the file has more than {MAX_CELLS:,} cells, more than planmon "
                    "reads from one table; check it is the right file"
                )
            if header is None and any(cell.strip() for cell in record):
                header = record
            elif header is not None and line > first_line:
                found = _swallowed_rows(record, header, delimiter, first_line, len(rows), label)
                if found:
                    problems.append(found)
    except csv.Error as exc:
        raise InputFileError(f"{label}: is not a valid CSV file ({exc})") from None
    return rows, problems
