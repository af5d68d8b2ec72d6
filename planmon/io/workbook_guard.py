"""Inspecting an ``.xlsx`` workbook before a native reader sees it.

python-calamine, planmon's fast value reader, allocates the whole rectangle from A1 to the
farthest cell with a value, and a failed allocation aborts the process (exit 134, no Python
exception). One stray value at XFD1048576 in a 5 kB file is 512 GiB. So before calamine
opens a workbook, planmon checks it here, bounded in memory and time:

1. the file is a zip (an encrypted workbook and an old ``.xls`` are named as such), its parts
   unpack to at most :data:`~planmon.io.limits.MAX_UNCOMPRESSED_BYTES` in total, none more than
   :data:`~planmon.io.limits.MAX_COMPRESSION_RATIO` times its packed size (zip bombs), and
   every part's checksum holds (a part that lies about its size is damage);
2. the sheet list with each sheet's visibility (the first *visible* sheet is a report's data);
3. each sheet to be read is streamed once (:class:`SheetScan`): its declared ``<dimension>``,
   the real used range (the farthest cell with a value or a formula), the count of cells, and
   the cells calamine would silently read as blank: Excel error values (``#DIV/0!``),
   formulas saved without a value, and merged ranges.

A sheet whose used range is more than :data:`~planmon.io.limits.MAX_CELLS` cells is refused
with the cell that makes it so; otherwise calamine reads it safely.
"""

from __future__ import annotations

import posixpath
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from planmon.core.exceptions import InputFileError
from planmon.io.limits import MAX_CELLS, MAX_COMPRESSION_RATIO, MAX_UNCOMPRESSED_BYTES, check_size
from planmon.io.sheet_scan import (
    CellNote,
    GiveUp,
    Refused,
    SheetScan,
    cell_ref,
    scan_exact,
    scan_fast,
)

__all__ = ["SheetEntry", "CellNote", "SheetScan", "open_workbook", "scan_sheet"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_MAX_PARTS = 10_000
_RATIO_FLOOR = 1 << 20  # parts smaller than this are never called bombs
_CHUNK = 1 << 20
_DAMAGED = "the workbook is damaged and cannot be read ({}); open it in Excel and save it again"


@dataclass(frozen=True)
class SheetEntry:
    """One worksheet of a workbook: its name, its part in the zip and whether it is visible."""

    name: str
    part: str
    visible: bool


def _not_a_zip(path: Path, label: str, magic: bytes) -> InputFileError:
    if magic.startswith(_OLE_MAGIC[:4]):
        with open(path, "rb") as handle:  # size already checked: at most MAX_INPUT_BYTES
            if _ENCRYPTED_STREAM in handle.read():
                return InputFileError(
                    f"{label}: the workbook is encrypted (protected by a password to open); "
                    "save it in Excel without the password (File › Info › Protect Workbook)"
                )
        return InputFileError(
            f"{label}: is an Excel 97–2003 workbook (.xls) or another old format; "
            "save it from Excel as .xlsx (Excel Workbook)"
        )
    return InputFileError(
        f"{label}: is not an Excel workbook (.xlsx); save it from Excel as .xlsx or .csv"
    )


def _check_parts(book: zipfile.ZipFile, label: str) -> None:
    infos = book.infolist()
    if len(infos) > _MAX_PARTS:
        raise InputFileError(f"{label}: {_DAMAGED.format(f'{len(infos):,} parts')}")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise InputFileError(
            f"{label}: the workbook unpacks to {total / 2**20:,.0f} MiB, more than the "
            f"{MAX_UNCOMPRESSED_BYTES // 2**20} MiB planmon reads from one workbook; "
            "keep only the data sheets in a new workbook"
        )
    for info in infos:
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > _RATIO_FLOOR and ratio > MAX_COMPRESSION_RATIO:
            raise InputFileError(
                f"{label}: part {info.filename} unpacks to {ratio:,.0f} times its packed size "
                f"(more than {MAX_COMPRESSION_RATIO}); this is not a workbook Excel wrote "
                "(a zip bomb?); save the data in a new workbook"
            )


def _read_part(book: zipfile.ZipFile, part: str) -> bytes:
    """A small XML part (the sheet list, its relationships); a DOCTYPE is never in a workbook
    (and would allow entity expansion), so it counts as damage."""
    with book.open(part) as handle:
        data = handle.read(MAX_UNCOMPRESSED_BYTES + 1)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ET.ParseError("a document type declaration")
    return data


def _sheet_entries(book: zipfile.ZipFile) -> list[SheetEntry]:
    """Worksheets in workbook order, from ``xl/workbook.xml`` and its relationships."""
    rels = ET.fromstring(_read_part(book, "xl/_rels/workbook.xml.rels"))
    targets = {}
    for rel in rels:
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(part)
    entries = []
    for element in ET.fromstring(_read_part(book, "xl/workbook.xml")).iter():
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"), None)
        if rid in targets:
            visible = element.get("state", "visible") == "visible"
            entries.append(SheetEntry(element.get("name", ""), targets[rid], visible))
    return entries


#: Parts neither planmon nor calamine ever unpacks (document properties, the colour theme):
#: their declared sizes are still held to the limits, but unpacking them to check their
#: checksums protects nothing and was a fifth of a small report's reading time.
_NEVER_READ = ("docProps/", "xl/theme/")


def _verify_parts(book: zipfile.ZipFile, skip: set[str]) -> None:
    """Unpack every part calamine may read (checksums and real sizes), bounded in memory."""
    for info in book.infolist():
        if info.filename in skip or info.is_dir() or info.filename.startswith(_NEVER_READ):
            continue
        with book.open(info) as handle:
            while handle.read(_CHUNK):
                pass


def open_workbook(path: Path, label: str) -> tuple[zipfile.ZipFile, list[SheetEntry]]:
    """Check a workbook's file and zip structure; return the open zip and its worksheets.

    Every part except the worksheets is unpacked once to verify it; each worksheet that is
    read must then be checked with :func:`scan_sheet`. The caller closes the zip.

    Raises
    ------
    InputFileError
        Too large, not a zip (encrypted, ``.xls``, not a workbook), a zip bomb, or damaged.
    """
    check_size(path, label)
    with open(path, "rb") as handle:
        magic = handle.read(8)
    if not magic.startswith(_ZIP_MAGIC):
        raise _not_a_zip(path, label, magic)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise InputFileError(f"{label}: {_DAMAGED.format('ZipError')}") from None
    try:
        _check_parts(book, label)
        entries = _sheet_entries(book)
        _verify_parts(book, {e.part for e in entries})
    except InputFileError:
        book.close()
        raise
    except (KeyError, ET.ParseError, zipfile.BadZipFile, EOFError, zlib.error, OSError) as exc:
        book.close()
        kind = "ZipError" if not isinstance(exc, (KeyError, ET.ParseError)) else "no sheet list"
        raise InputFileError(f"{label}: {_DAMAGED.format(kind)}") from None
    except (NotImplementedError, RuntimeError):  # an unknown compression or a zip password
        book.close()
        raise InputFileError(
            f"{label}: the workbook is encrypted or packed in a way Excel does not use; "
            "save it in Excel as .xlsx without a password"
        ) from None
    return book, entries


def _refusal(label: str, scan: SheetScan, reason: str) -> InputFileError:
    if reason.startswith("far:"):
        row, col = map(int, reason[4:].split(":"))
        far = cell_ref(row, col)
        declared = f" (it declares its range as {scan.declared})" if scan.declared else ""
        return InputFileError(
            f"{label}: the sheet's used range reaches {far}{declared}: "
            f"{scan.max_row:,} rows × {scan.max_col:,} columns, more than the {MAX_CELLS:,} "
            f"cells planmon reads; delete the cells outside the table (around {far}) or copy "
            "the table to a new sheet, and save again"
        )
    if reason.startswith("more than"):
        return InputFileError(
            f"{label}: the sheet has {reason}; planmon reads no more: keep only the table in "
            "the sheet"
        )
    return InputFileError(f"{label}: {_DAMAGED.format(reason)}")


def _chunks(book: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    with book.open(part) as handle:
        while chunk := handle.read(_CHUNK):
            yield chunk


def scan_sheet(book: zipfile.ZipFile, entry: SheetEntry, label: str) -> SheetScan:
    """Stream one sheet's XML and return what it holds (see :class:`SheetScan`).

    The fast scanner is tried first; a sheet in a layout it does not handle is read again by
    the exact one.

    Raises
    ------
    InputFileError
        If the used range or the number of cells is beyond the limits, or the XML is damaged.
    """
    try:
        try:
            return scan_fast(_chunks(book, entry.part))
        except GiveUp:
            return scan_exact(_chunks(book, entry.part))
    except Refused as exc:
        raise _refusal(label, exc.scan or SheetScan(), exc.reason) from None
    except (KeyError, expat.ExpatError, zipfile.BadZipFile, EOFError, zlib.error, OSError):
        raise InputFileError(f"{label}: {_DAMAGED.format('sheet XML')}") from None
