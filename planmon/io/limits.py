"""The bounds on what planmon reads, checked before anything is read, parsed or hashed.

A department's report is a few kB and a whole plan a few MB. Anything far larger is a wrong
file or an attack on memory (a zip bomb, a sheet with a value in its last cell), so every
input is measured first and refused with a located message when it is out of bounds.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from planmon.core.exceptions import InputFileError

__all__ = [
    "MAX_INPUT_BYTES",
    "MAX_UNCOMPRESSED_BYTES",
    "MAX_COMPRESSION_RATIO",
    "MAX_CELLS",
    "MAX_CELL_ELEMENTS",
    "MAX_NAME_CHARS",
    "MAX_NOTE_CHARS",
    "check_size",
    "read_bounded",
    "hash_file",
]

#: Input files larger than this are refused (checked on the file's size before reading it).
MAX_INPUT_BYTES = 50 * 1024 * 1024
#: The parts of one workbook may not unpack to more than this in total.
MAX_UNCOMPRESSED_BYTES = 256 * 1024 * 1024
#: A part of a workbook that unpacks to more than this many times its packed size (and to more
#: than 1 MiB) is a zip bomb; real sheets pack 5–50 times.
MAX_COMPRESSION_RATIO = 200
#: The largest sheet planmon reads: the cells of its used range (rows × columns, from A1).
MAX_CELLS = 2_000_000
#: The most ``<c>`` elements (with or without a value) a sheet may hold.
MAX_CELL_ELEMENTS = 3_000_000
#: Longest name (``name_fa``, ``name_en``, ``unit``, …) and note (``note``, ``definition``,
#: ``formula``) accepted, in characters (see ``docs/data-contract.md``).
MAX_NAME_CHARS = 500
MAX_NOTE_CHARS = 2_000

_CHUNK = 1 << 20


def _mib(size: int) -> str:
    return f"{size / 2**20:,.0f} MiB"


def check_size(path: Path, label: str) -> int:
    """The size of ``path`` in bytes, after checking it is at most :data:`MAX_INPUT_BYTES`.

    Raises
    ------
    InputFileError
        If the file cannot be examined or is too large (nothing has been read).
    """
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        raise InputFileError(f"{label}: cannot be read ({exc.strerror})") from None
    if size > MAX_INPUT_BYTES:
        raise InputFileError(
            f"{label}: file is {size / 1e6:,.0f} MB, more than the {_mib(MAX_INPUT_BYTES)} planmon "
            "accepts for one input; check it is the right file"
        )
    return size


def read_bounded(path: Path, label: str) -> bytes:
    """The bytes of ``path``, size checked first and read with a bound (a file growing
    meanwhile cannot exceed the limit)."""
    size = check_size(path, label)
    try:
        with open(path, "rb") as handle:
            # a buffer of the file's size, not of the limit (50 MiB per small CSV under a cap)
            data = handle.read(size + 1)
            if len(data) > size:  # grew meanwhile: read on, still bounded
                data += handle.read(MAX_INPUT_BYTES + 1 - len(data))
    except OSError as exc:
        raise InputFileError(f"{label}: cannot be read ({exc.strerror})") from None
    if len(data) > MAX_INPUT_BYTES:
        raise InputFileError(f"{label}: file grew beyond {_mib(MAX_INPUT_BYTES)} while read")
    return data


def hash_file(digest: hashlib._Hash, path: Path, label: str) -> None:
    """Feed the bytes of ``path`` to ``digest`` in chunks (size checked first)."""
    check_size(path, label)
    total = 0
    try:
        with open(path, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                total += len(chunk)
                if total > MAX_INPUT_BYTES:
                    raise InputFileError(
                        f"{label}: file grew beyond {_mib(MAX_INPUT_BYTES)} while read"
                    )
                digest.update(chunk)
    except OSError as exc:
        raise InputFileError(f"{label}: cannot be read ({exc.strerror})") from None
