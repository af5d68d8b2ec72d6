"""Atomic file writes: write to a temporary file beside the target, check it, then rename.

An interrupted process (Ctrl-C, kill, full disk) therefore never leaves a half-written output:
readers see either the old file or the complete new one. The temporary files are named
``.planmon-tmp-<name>.<random>.tmp`` (:data:`TEMP_PREFIX`), so that planmon can recognise the
ones a killed process left behind — and never mistakes a user's ``.notes.tmp`` for its own.

OS errors (read-only or full disk, no permission) come out as
:class:`~planmon.core.exceptions.OutputError`, naming the path and the fix; a file that fails its
check (shorter than what was written, not the format promised) is never renamed into place.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO

from planmon.core.exceptions import OutputError

__all__ = [
    "TEMP_PREFIX",
    "is_temp_name",
    "remove_stale_temps",
    "atomic_path",
    "atomic_open",
    "atomic_write_bytes",
    "atomic_write_text",
]

#: How every temporary file of an atomic write begins.
TEMP_PREFIX = ".planmon-tmp-"

#: A check of the finished temporary file: raise ``ValueError`` (why) if it must not land.
Verify = Callable[[Path], None]


def is_temp_name(name: str) -> bool:
    """True for the name of a temporary file planmon's atomic writes make."""
    return name.startswith(TEMP_PREFIX)


def remove_stale_temps(folder: str | os.PathLike[str], min_age: float = 300.0) -> list[Path]:
    """Remove the temporary files of atomic writes a killed process left in ``folder``.

    Only planmon's own (:func:`is_temp_name`) go, and only those untouched for ``min_age``
    seconds: a file another planmon is writing right now is fresh and stays. Not recursive;
    errors (a read-only folder, a file already gone) are ignored. Returns the removed files.
    """
    import time

    removed = []
    limit = time.time() - min_age
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        with contextlib.suppress(OSError):
            if (
                is_temp_name(entry.name)
                and entry.is_file(follow_symlinks=False)
                and entry.stat(follow_symlinks=False).st_mtime < limit
            ):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str], *, verify: Verify | None = None) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; rename it onto ``target`` on success.

    Use this for writers that want a path (``DataFrame.to_parquet``, openpyxl, WeasyPrint).
    On any exception the temporary file is removed and ``target`` is left untouched.

    Parameters
    ----------
    target : path
        The file to replace; its folder is created.
    verify : callable, optional
        Called with the finished temporary file before the rename; a ``ValueError`` it raises
        keeps ``target`` as it was.

    Raises
    ------
    OutputError
        An OS error (read-only, full disk, permission), or a file that failed ``verify``.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(
            prefix=f"{TEMP_PREFIX}{target.name}.", suffix=".tmp", dir=target.parent
        )
        os.close(fd)
    except OSError as exc:
        raise OutputError.of(exc, target) from exc
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if verify is not None:
            try:
                verify(tmp_path)
            except ValueError as exc:
                raise OutputError(
                    f"cannot write {target}: the new file is damaged ({exc}); the previous "
                    "version was kept. Check the free space of the disk and run again"
                ) from exc
        os.chmod(tmp_path, 0o644)
        os.replace(tmp_path, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        if isinstance(exc, OSError) and not isinstance(exc, OutputError):
            raise OutputError.of(exc, target) from exc
        raise


def _has_size(size: int) -> Verify:
    def verify(path: Path) -> None:
        found = path.stat().st_size
        if found != size:
            raise ValueError(f"{found} of {size} bytes on disk")

    return verify


def _both(first: Verify, second: Verify | None) -> Verify:
    def verify(path: Path) -> None:
        first(path)
        if second is not None:
            second(path)

    return verify


@contextlib.contextmanager
def atomic_open(
    target: str | os.PathLike[str], mode: str = "w", encoding: str | None = "utf-8"
) -> Iterator[IO]:
    """Open a temporary file for writing and move it onto ``target`` when the block ends."""
    if "b" in mode:
        encoding = None
    with atomic_path(target) as tmp, open(tmp, mode, encoding=encoding) as handle:
        yield handle


def atomic_write_bytes(
    target: str | os.PathLike[str], data: bytes, *, verify: Verify | None = None
) -> None:
    """Write ``data`` to ``target`` atomically; the file on disk is checked to hold all of it.

    ``verify``, if given, is a further check of the written file (see :func:`atomic_path`).
    """
    with atomic_path(target, verify=_both(_has_size(len(data)), verify)) as tmp:
        with open(tmp, "wb") as handle:
            handle.write(data)


def atomic_write_text(
    target: str | os.PathLike[str], text: str, *, verify: Verify | None = None
) -> None:
    """Write ``text`` (UTF-8) to ``target`` atomically, checked as :func:`atomic_write_bytes`."""
    atomic_write_bytes(target, text.encode("utf-8"), verify=verify)
