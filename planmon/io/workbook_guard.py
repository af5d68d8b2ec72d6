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

import functools
import io
import posixpath
import struct
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.parsers import expat

from planmon.core.exceptions import InputFileError
from planmon.io.limits import (
    MAX_CELLS,
    MAX_COMPRESSION_RATIO,
    MAX_UNCOMPRESSED_BYTES,
    read_bounded,
)
from planmon.io.sheet_scan import (
    CellNote,
    GiveUp,
    Refused,
    SheetScan,
    cell_ref,
    scan_exact,
    scan_fast,
)

__all__ = ["Workbook", "SheetEntry", "CellNote", "SheetScan", "open_workbook", "scan_sheet"]

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")
_MAX_PARTS = 10_000
_RATIO_FLOOR = 1 << 20  # parts smaller than this are never called bombs
_CHUNK = 1 << 20
# the local file header: signature, versions, flags, …, name length, extra length
_LOCAL_HEADER = struct.Struct("<4x2xH18xHH")
_DAMAGED = "the workbook is damaged and cannot be read ({}); open it in Excel and save it again"


@dataclass(frozen=True)
class SheetEntry:
    """One worksheet of a workbook: its name, its part in the zip and whether it is visible."""

    name: str
    part: str
    visible: bool


def _not_a_zip(data: bytes, label: str) -> InputFileError:
    if data.startswith(_OLE_MAGIC[:4]):
        if _ENCRYPTED_STREAM in data:
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


def _check_parts(book: Workbook, label: str) -> None:
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


class Workbook:
    """A workbook's bytes, read from disk once, and its zip directory.

    The guard unpacks the parts it checks from these bytes and calamine then reads the same
    bytes (:attr:`data`): the file is opened once, and what calamine sees is what was checked.
    A small part is inflated in one call and its size and checksum compared with the
    directory's; a large one, or one packed in a way only :mod:`zipfile` knows, is streamed.
    """

    def __init__(self, data: bytes) -> None:
        self.data = data
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._kept: dict[str, bytes] = {}

    def __enter__(self) -> Workbook:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the zip directory (the bytes stay readable in :attr:`data`)."""
        self._zip.close()
        self._kept.clear()

    def infolist(self) -> list[zipfile.ZipInfo]:
        """The zip directory's entries."""
        return self._zip.infolist()

    def read(self, part: str, *, keep: bool = True) -> bytes:
        """The unpacked bytes of ``part``, checksum verified (``keep``: remember them).

        Raises
        ------
        KeyError, zipfile.BadZipFile, EOFError, zlib.error
            No such part, or a part that is damaged or lies about its size.
        """
        if part in self._kept:
            return self._kept[part]
        info = self._zip.getinfo(part)
        if _inflatable(info):
            data = _inflate(self.data, info)
        else:
            with self._zip.open(info) as handle:
                data = handle.read(MAX_UNCOMPRESSED_BYTES + 1)
        if keep:
            self._kept[part] = data
        return data

    def verify(self, info: zipfile.ZipInfo) -> None:
        """Unpack one part to check its checksum and real size, bounded in memory (a part
        already read is not unpacked again)."""
        if info.filename in self._kept:
            return
        if _inflatable(info):
            _inflate(self.data, info)
            return
        with self._zip.open(info) as handle:
            while handle.read(_CHUNK):
                pass

    def chunks(self, part: str) -> Iterator[bytes]:
        """The unpacked bytes of ``part`` (verified), in pieces of bounded size."""
        info = self._zip.getinfo(part)
        if _inflatable(info):
            yield _inflate(self.data, info)
            return
        with self._zip.open(info) as handle:
            while chunk := handle.read(_CHUNK):
                yield chunk


#: Parts up to this size are inflated in one call; larger ones are streamed in 1 MiB chunks.
_IN_MEMORY = 8 * _CHUNK
#: Encrypted, "patched" or strongly encrypted entries: left to zipfile (which refuses them).
_SPECIAL_FLAGS = 0x1 | 0x20 | 0x40


def _inflatable(info: zipfile.ZipInfo) -> bool:
    return (
        info.file_size <= _IN_MEMORY
        and info.compress_type in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
        and not info.flag_bits & _SPECIAL_FLAGS
    )


def _inflate(data: bytes, info: zipfile.ZipInfo) -> bytes:
    """One part unpacked from the workbook's bytes, with zipfile's checks: the local header
    names the same part, the data inflates to exactly the declared size with its checksum."""
    offset = info.header_offset
    header = data[offset : offset + _LOCAL_HEADER.size]
    if len(header) < _LOCAL_HEADER.size or not header.startswith(_ZIP_MAGIC):
        raise zipfile.BadZipFile("bad local file header")
    flags, name_length, extra_length = _LOCAL_HEADER.unpack(header)
    start = offset + _LOCAL_HEADER.size
    name = data[start : start + name_length]
    try:
        written = name.decode("utf-8" if flags & 0x800 else "cp437")
    except UnicodeDecodeError:
        raise zipfile.BadZipFile("bad file name") from None
    if written != info.orig_filename:
        raise zipfile.BadZipFile("file name in directory and header differ")
    start += name_length + extra_length
    packed = data[start : start + info.compress_size]
    if len(packed) < info.compress_size:
        raise EOFError("truncated part")
    if info.compress_type == zipfile.ZIP_STORED:
        unpacked = packed
    else:
        unpacked = zlib.decompressobj(-15).decompress(packed, info.file_size + 1)
    if len(unpacked) != info.file_size or zlib.crc32(unpacked) != info.CRC:
        raise zipfile.BadZipFile("a part's size or checksum is wrong")
    return unpacked


def _read_part(book: Workbook, part: str) -> bytes:
    """A small XML part (the sheet list, its relationships); a DOCTYPE is never in a workbook
    (and would allow entity expansion), so it counts as damage."""
    data = book.read(part)
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ET.ParseError("a document type declaration")
    return data


def _sheet_entries(book: Workbook) -> list[SheetEntry]:
    """Worksheets in workbook order, from ``xl/workbook.xml`` and its relationships."""
    rels = _read_part(book, "xl/_rels/workbook.xml.rels")
    workbook = _read_part(book, "xl/workbook.xml")
    if len(rels) + len(workbook) > _CACHED_SHEET_LIST:  # never hold large parts in the cache
        return list(_parse_sheet_list.__wrapped__(rels, workbook))
    return list(_parse_sheet_list(rels, workbook))


#: Sheet lists whose two parts are at most this many bytes are remembered.
_CACHED_SHEET_LIST = 64 * 1024


@functools.lru_cache(maxsize=64)
def _parse_sheet_list(rels_xml: bytes, workbook_xml: bytes) -> tuple[SheetEntry, ...]:
    """The sheet list of these two parts (reports made from one template share them, so each
    distinct pair is parsed once)."""
    targets = {}
    for rel in ET.fromstring(rels_xml):
        if rel.get("Type", "").endswith("/worksheet"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
            targets[rel.get("Id")] = posixpath.normpath(part)
    entries = []
    for element in ET.fromstring(workbook_xml).iter():
        if element.tag.rpartition("}")[2] != "sheet":
            continue
        rid = next((v for k, v in element.attrib.items() if k.rpartition("}")[2] == "id"), None)
        if rid in targets:
            visible = element.get("state", "visible") == "visible"
            entries.append(SheetEntry(element.get("name", ""), targets[rid], visible))
    return tuple(entries)


#: Parts neither planmon nor calamine ever unpacks (document properties, the colour theme):
#: their declared sizes are still held to the limits, but unpacking them to check their
#: checksums protects nothing and was a fifth of a small report's reading time.
_NEVER_READ = ("docProps/", "xl/theme/")


def _verify_parts(book: Workbook, skip: set[str]) -> None:
    """Unpack every part calamine may read (checksums and real sizes), bounded in memory."""
    for info in book.infolist():
        if info.filename in skip or info.is_dir() or info.filename.startswith(_NEVER_READ):
            continue
        book.verify(info)


def open_workbook(path: Path, label: str) -> tuple[Workbook, list[SheetEntry]]:
    """Read a workbook's bytes once and check its zip structure; return it and its worksheets.

    Every part except the worksheets is unpacked once to verify it; each worksheet that is
    read must then be checked with :func:`scan_sheet`. The caller closes the workbook.

    Raises
    ------
    InputFileError
        Too large, not a zip (encrypted, ``.xls``, not a workbook), a zip bomb, or damaged.
    """
    data = read_bounded(path, label)
    if not data.startswith(_ZIP_MAGIC):
        raise _not_a_zip(data, label)
    try:
        book = Workbook(data)
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


def scan_sheet(book: Workbook, entry: SheetEntry, label: str) -> SheetScan:
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
            return scan_fast(book.chunks(entry.part))
        except GiveUp:
            return scan_exact(book.chunks(entry.part))
    except Refused as exc:
        raise _refusal(label, exc.scan or SheetScan(), exc.reason) from None
    except (KeyError, expat.ExpatError, zipfile.BadZipFile, EOFError, zlib.error, OSError):
        raise InputFileError(f"{label}: {_DAMAGED.format('sheet XML')}") from None
