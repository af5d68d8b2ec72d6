"""Streaming a worksheet's XML once to learn its real size and the cells a reader drops.

Two scanners give the same :class:`SheetScan`:

* :func:`scan_fast` — byte patterns over row-aligned chunks (C speed, a million cells in well
  under a second). It accepts only the layout Excel, LibreOffice, openpyxl and xlsxwriter
  write (``<c r="B2" s="1" t="s">``, no namespace prefix) and verifies that every cell tag was
  understood; otherwise it gives up;
* :func:`scan_exact` — expat over any well-formed sheet (cells without ``r``, prefixes,
  single quotes, entities), slower, so bounded to fewer cells.

A cell counts for the used range when it has a value (``<v>``, ``<is>``) or a formula: that is
what python-calamine allocates for, from A1 to the farthest such cell.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from xml.parsers import expat

from planmon.io.limits import MAX_CELL_ELEMENTS, MAX_CELLS

__all__ = [
    "CellNote",
    "SheetScan",
    "Refused",
    "GiveUp",
    "cell_ref",
    "parse_ref",
    "scan_fast",
    "scan_exact",
    "EXACT_CELL_ELEMENTS",
    "MAX_ROWS",
]

#: The exact scanner reads at most this many cell elements (it is about ten times slower).
EXACT_CELL_ELEMENTS = 1_000_000
#: Excel's own number of rows: a sheet with more row elements is not a workbook Excel wrote.
MAX_ROWS = 1_048_576
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]{1,7})$")
_ATTRS = rb'(?: [a-zA-Z]{1,3}="[^"<>]*")*'
# one cell tag; the third group is "/" (or " /") for an empty, self-closing cell
_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]{1,7})"' + _ATTRS + rb"( ?/)?>")
# any cell tag, in any layout (one regex pass is a third of six byte counts)
_CELL_OPENING = re.compile(rb"<c[ >/\t\n\r]")
_FORMULA_TAG = re.compile(rb"<f[\s/>]")
_FORMULA = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(' + _ATTRS + rb")><f(?: [^>]*)?(?:/>|>([^<]*)</f>)"
    rb"(?:<v>([^<]*)(</v>)|<v ?/>)?"
)
# A formula whose saved result is empty text is written <c t="str"><f>…</f><v></v></c>: that
# is a value (""), not a formula saved without one.
_TEXT_RESULT = re.compile(rb' t="(?:str|s|inlineStr)"')
_ERROR_ATTR = re.compile(rb' t="e"')
_ERROR = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"'
    + _ATTRS
    + rb' t="e"'
    + _ATTRS
    + rb">(?:<f(?: [^>]*)?(?:/>|>[^<]*</f>))?<v>([^<]*)</v>"
)
# Cells, rows or values with a namespace prefix (<x:c>): only the exact scanner reads them.
_PREFIXED = re.compile(rb"<[A-Za-z_][\w.-]*:(?:c|row|v|f|is)[\s/>]")
_MERGE = re.compile(rb'<mergeCell ref="([A-Z$0-9:]{2,24})"')
_DIMENSION = re.compile(rb'<dimension ref="([A-Z$0-9:]{2,24})"')
_MAX_ROW_BYTES = 16 << 20
_EXACT_EVENTS = 4 * EXACT_CELL_ELEMENTS


class Refused(Exception):
    """The sheet is beyond a limit: ``reason`` says which (``far:<row>:<col>`` or a text) and
    ``scan`` is what was found up to there."""

    def __init__(self, reason: str, scan: SheetScan | None = None):
        super().__init__(reason)
        self.reason, self.scan = reason, scan


class GiveUp(Exception):
    """The fast scanner met a layout it does not handle; use :func:`scan_exact`."""


@dataclass(frozen=True)
class CellNote:
    """A finding about one cell (or merged range) of a sheet, located by row and column.

    ``row`` is the Excel row (1 = first), ``col`` the 0-based column position; ``last_row`` and
    ``last_col`` the far corner of a merged range.
    """

    row: int
    col: int
    message: str
    severity: str = "error"
    last_row: int | None = None
    last_col: int | None = None


@dataclass
class SheetScan:
    """What streaming a sheet found: its declared ``<dimension>``, the number of cells with a
    value or formula, the farthest such row and column (1-based), and the cell notes."""

    declared: str | None = None
    cells: int = 0
    max_row: int = 0
    max_col: int = 0
    notes: list[CellNote] = field(default_factory=list)
    elements: int = 0
    rows: int = 0

    def add(self, row: int, col: int) -> None:
        """Count one cell with a value at ``row`` (1-based), ``col`` (0-based)."""
        self.cells += 1
        self.max_row = max(self.max_row, row)
        self.max_col = max(self.max_col, col + 1)
        if self.max_row * self.max_col > MAX_CELLS:
            raise Refused(f"far:{row}:{col}", self)


def cell_ref(row: int, col: int) -> str:
    """Excel's name of a cell: ``cell_ref(1, 0) == "A1"`` (row from 1, column from 0)."""
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row}"


def _column_index(letters: str) -> int:
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


@functools.lru_cache(maxsize=20_000)
def _letters_index(letters: bytes) -> int:
    return _column_index(letters.decode())


def parse_ref(ref: str) -> tuple[int, int] | None:
    """``"B3"`` → ``(3, 1)`` (row from 1, column from 0); None if it is not a cell name."""
    match = _REF.match(ref)
    if not match:
        return None
    return int(match.group(2)), _column_index(match.group(1))


def error_note(row: int, col: int, value: str) -> CellNote:
    return CellNote(
        row,
        col,
        f"the cell holds the Excel error {value[:20]} (from a formula); fix the formula or "
        "type the value",
    )


def formula_note(row: int, col: int, formula: str) -> CellNote:
    return CellNote(
        row,
        col,
        f"the formula ={formula[:60] or '…'} was saved without its value (the program that "
        "wrote the file does not calculate); open and save the file in Excel, or type the value",
    )


def merge_notes(merges: Iterable[str]) -> list[CellNote]:
    """A merged range over several rows is an error (only its first row has the value); over
    several columns of one row, a warning."""
    notes = []
    for ref in merges:
        first, _, last = ref.partition(":")
        start, end = parse_ref(first), parse_ref(last or first)
        if start is None or end is None or start == end:
            continue
        (r1, c1), (r2, c2) = start, end
        if r2 > r1:
            message = (
                f"cells {ref} are merged over {r2 - r1 + 1} rows, so only the first row has "
                "a value; unmerge them and fill the value in every row"
            )
            notes.append(CellNote(r1, c1, message, "error", last_row=r2, last_col=c2))
        else:
            message = f"cells {ref} are merged; only the value of {first} is read"
            notes.append(CellNote(r1, c1, message, "warning", last_row=r2, last_col=c2))
    return notes


def _segments(chunks: Iterable[bytes]) -> Iterable[bytes]:
    """Re-cut the XML stream before a row's start tag, so no cell straddles two segments (the
    last piece is not cut: a small sheet is one segment)."""
    carry = b""
    pieces = iter(chunks)
    chunk = next(pieces, None)
    while chunk is not None:
        following = next(pieces, None)
        buffer = carry + chunk
        chunk = following
        if following is None:
            if len(buffer) > _MAX_ROW_BYTES and buffer.rfind(b"<row ") <= 0:
                raise GiveUp("a row longer than 16 MiB")
            yield buffer
            return
        cut = buffer.rfind(b"<row ")
        if cut <= 0:
            if len(buffer) > _MAX_ROW_BYTES:
                raise GiveUp("a row longer than 16 MiB")
            carry = buffer
            continue
        yield buffer[:cut]
        carry = buffer[cut:]
    if carry:
        yield carry


def _fast_segment(scan: SheetScan, seg: bytes, merges: list[bytes]) -> None:
    if _PREFIXED.search(seg):
        raise GiveUp("a namespace prefix")
    total = len(_CELL_OPENING.findall(seg))
    cells = _CELL.findall(seg)
    if total != len(cells):
        raise GiveUp("a cell tag of another layout")
    valued = [(c, r) for c, r, empty in cells if not empty]
    scan.elements += total
    scan.rows += seg.count(b"<row") - seg.count(b"<rowBreaks")  # any layout of a row tag
    if scan.elements > MAX_CELL_ELEMENTS:
        raise Refused(f"more than {MAX_CELL_ELEMENTS:,} cells", scan)
    if scan.rows > MAX_ROWS:
        raise Refused(f"more than {MAX_ROWS:,} rows", scan)
    if valued:
        far_col = max(map(_letters_index, {c for c, _ in valued}))
        far_row = max(int(r) for _, r in valued)
        scan.cells += len(valued) - 1
        scan.add(far_row, far_col)  # checks the used range (and names the far cell)
    if _FORMULA_TAG.search(seg):
        formulas = _FORMULA.findall(seg)
        if len(formulas) != len(_FORMULA_TAG.findall(seg)):
            raise GiveUp("a formula of another layout")
        for letters, row, attrs, text, value, closed in formulas:
            if not value and not (closed and _TEXT_RESULT.search(attrs)):
                col = _letters_index(letters)
                scan.notes.append(formula_note(int(row), col, text.decode("utf-8", "replace")))
    if _ERROR_ATTR.search(seg):
        errors = _ERROR.findall(seg)
        if len(errors) != len(_ERROR_ATTR.findall(seg)):
            raise GiveUp("an error cell of another layout")
        for letters, row, value in errors:
            col = _letters_index(letters)
            scan.notes.append(error_note(int(row), col, value.decode("utf-8", "replace")))
    merges += _MERGE.findall(seg)


def scan_fast(chunks: Iterable[bytes]) -> SheetScan:
    """Scan a sheet written in the usual layout (see the module docstring).

    Raises
    ------
    GiveUp
        A layout it does not handle (the caller falls back to :func:`scan_exact`).
    Refused
        The used range or the number of cells is beyond the limits.
    """
    scan = SheetScan()
    merges: list[bytes] = []
    for number, seg in enumerate(_segments(chunks)):
        if number == 0:
            if b"<worksheet" not in seg[:4096] or b"<!DOCTYPE" in seg[:4096]:
                raise GiveUp("not the usual sheet header")
            found = _DIMENSION.search(seg)
            scan.declared = found.group(1).decode() if found else None
        _fast_segment(scan, seg, merges)
    scan.notes += merge_notes(m.decode() for m in merges)
    return scan


class _Exact:
    """expat over the sheet, start tags only (plus the text of ``<v>`` in error and formula
    cells and of ``<f>``)."""

    def __init__(self) -> None:
        self.scan = SheetScan()
        self.row = 0
        self.next_col = 0
        self.cell: list | None = None  # [row, col, type, has_value, formula, value_text]
        self.text: list[str] | None = None
        self.merges: list[str] = []
        self.events = 0
        self.parser = expat.ParserCreate()
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.StartDoctypeDeclHandler = self._doctype

    def _doctype(self, *_args) -> None:
        raise Refused("a document type declaration")

    def _capture(self) -> None:
        self.text = []
        self.parser.CharacterDataHandler = self.text.append

    def _end_capture(self) -> None:
        text = "".join(self.text or []).strip()
        self.text = None
        self.parser.CharacterDataHandler = None
        cell = self.cell
        if cell is not None:
            if cell[5] == "" and cell[3]:
                cell[5] = text
            elif cell[4] == "":
                cell[4] = text

    def _start(self, name: str, attrs: dict[str, str]) -> None:
        self.events += 1
        if self.events > _EXACT_EVENTS:
            raise Refused(f"more than {_EXACT_EVENTS:,} XML elements", self.scan)
        if self.text is not None:
            self._end_capture()
        name = name.rpartition(":")[2]
        cell = self.cell
        if name == "c":
            self._finish_cell()
            self._open_cell(attrs)
        elif name in ("v", "is") and cell is not None:
            cell[3] = True
            if name == "v" and (cell[2] == "e" or cell[4] is not None):
                cell[5] = ""
                self._capture()
        elif name == "f" and cell is not None:
            cell[4] = ""
            self._capture()
        elif name == "row":
            self._finish_cell()
            self.scan.rows += 1
            if self.scan.rows > MAX_ROWS:
                raise Refused(f"more than {MAX_ROWS:,} rows", self.scan)
            number = attrs.get("r", "")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.next_col = 0
        elif name == "mergeCell":
            self.merges.append(attrs.get("ref", ""))
        elif name == "dimension":
            self.scan.declared = attrs.get("ref")

    def _open_cell(self, attrs: dict[str, str]) -> None:
        self.scan.elements += 1
        if self.scan.elements > EXACT_CELL_ELEMENTS:
            raise Refused(
                f"more than {EXACT_CELL_ELEMENTS:,} cells in a layout Excel does not write",
                self.scan,
            )
        ref = attrs.get("r")
        parsed = (self.row, self.next_col) if ref is None else parse_ref(ref)
        if parsed is None:
            raise Refused(f"a cell named {ref[:20]!r}")
        self.next_col = parsed[1] + 1
        self.cell = [parsed[0], parsed[1], attrs.get("t"), False, None, None]

    def _finish_cell(self) -> None:
        cell, self.cell = self.cell, None
        if cell is None:
            return
        row, col, kind, has_value, formula, value = cell
        if has_value and value == "" and kind not in ("str", "s", "inlineStr"):
            has_value = False  # <v/>: a formula saved without its value
        if kind == "e" and has_value:
            self.scan.notes.append(error_note(row, col, value))
        elif formula is not None and not has_value:
            self.scan.notes.append(formula_note(row, col, formula))
        if has_value or formula is not None:
            self.scan.add(row, col)

    def finish(self) -> SheetScan:
        self.parser.Parse(b"", True)
        if self.text is not None:
            self._end_capture()
        self._finish_cell()
        self.scan.notes += merge_notes(self.merges)
        return self.scan


def scan_exact(chunks: Iterable[bytes]) -> SheetScan:
    """Scan any well-formed sheet (slower; at most :data:`EXACT_CELL_ELEMENTS` cells).

    Raises
    ------
    Refused
        Beyond the limits, or a DOCTYPE (never in a workbook).
    xml.parsers.expat.ExpatError
        The XML is not well formed.
    """
    exact = _Exact()
    for chunk in chunks:
        exact.parser.Parse(chunk, False)
    return exact.finish()
