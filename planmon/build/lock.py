"""One build per reports folder, and a private work folder per build that a crash cannot strand.

* :func:`build_lock` holds ``<reports>/.build.lock`` for the whole build; a second build waits
  up to its timeout, then stops with :class:`~planmon.core.exceptions.BuildLockedError`.
* :class:`WorkFolder` is the build's ``planmon-build-*`` folder in the temporary directory
  (kernelspecs, the zygote's socket, the kernels' sockets). While the build runs it holds an
  ``flock`` on ``owner.lock`` inside; a folder whose lock nobody holds belongs to a build that
  was killed, and the next build removes it (:func:`remove_stale_work_folders`).
* :func:`remove_stale_temps` deletes what a killed build left beside its outputs: only files
  of planmon's own temporary naming, only in the folders the build writes.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from planmon.build.jobs import BuildProgress
from planmon.core.exceptions import BuildLockedError, OutputError
from planmon.io.atomic import atomic_write_text, is_temp_name
from planmon.publish.layout import OutputLayout

__all__ = [
    "WORK_PREFIX",
    "build_lock",
    "WorkFolder",
    "remove_stale_work_folders",
    "remove_stale_temps",
]

#: How a build's work folder in the temporary directory is named.
WORK_PREFIX = "planmon-build-"
_OWNER = "owner.lock"
# what planmon < 0.2's atomic writes named their temporary files: ".<name>.<8 random>.tmp"
_LEGACY_TEMP = re.compile(r"^\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp(?:\.ipynb)?$")


@contextlib.contextmanager
def build_lock(
    layout: OutputLayout, timeout: float | None, report: BuildProgress
) -> Iterator[None]:
    """Hold ``<reports>/.build.lock`` for the whole build (one build per reports folder).

    Raises
    ------
    BuildLockedError
        Another build holds it for longer than ``timeout`` seconds (0: at once; None: never).
    OutputError
        The lock file cannot be created (read-only folder, no permission).
    """
    from filelock import FileLock, Timeout

    try:  # filelock takes an unwritable folder for a held lock: find out first
        os.close(os.open(layout.lock, os.O_RDWR | os.O_CREAT, 0o644))
    except OSError as exc:
        raise OutputError.of(exc, layout.lock) from exc
    lock = FileLock(str(layout.lock))
    try:
        lock.acquire(timeout=0)
    except Timeout:
        if timeout is not None and timeout <= 0:
            raise BuildLockedError(_locked_message(layout, timeout)) from None
        report.phase("waiting for another build to finish")
        try:
            lock.acquire(timeout=-1 if timeout is None else timeout)
        except Timeout:
            raise BuildLockedError(_locked_message(layout, timeout)) from None
    try:
        with contextlib.suppress(OSError):
            owner = {"pid": os.getpid(), "started": dt.datetime.now().isoformat(timespec="seconds")}
            atomic_write_text(layout.lock_owner, json.dumps(owner))
        yield
    finally:
        with contextlib.suppress(OSError):
            layout.lock_owner.unlink()
        lock.release()


def _locked_message(layout: OutputLayout, timeout: float | None) -> str:
    who = "another planmon build"
    with contextlib.suppress(OSError, ValueError, KeyError):
        owner = json.loads(layout.lock_owner.read_text(encoding="utf-8"))
        who += f" (process {owner['pid']}, started {owner['started']})"
    waited = f" after waiting {timeout:g} s" if timeout else ""
    return (
        f"{who} is writing to {layout.root}{waited}; wait for it to finish, or give a lock "
        "timeout in seconds to wait for it"
    )


class WorkFolder:
    """A build's private folder in the temporary directory, removed when the build ends.

    Use as a context manager. While it is open, this process holds an exclusive ``flock`` on
    ``owner.lock`` inside, which the kernel releases even on ``kill -9``: that is how the next
    build tells a dead build's folder from a running one's.
    """

    def __init__(self) -> None:
        self.path: Path | None = None
        self._fd: int | None = None

    def __enter__(self) -> Path:
        path = Path(tempfile.mkdtemp(prefix=WORK_PREFIX))
        try:
            fd = os.open(path / _OWNER, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            shutil.rmtree(path, ignore_errors=True)
            raise
        self.path, self._fd = path, fd
        return path

    def __exit__(self, *exc: object) -> None:
        if self.path is not None:
            shutil.rmtree(self.path, ignore_errors=True)
        if self._fd is not None:
            os.close(self._fd)
        self.path = self._fd = None


def remove_stale_work_folders(root: Path | None = None) -> list[Path]:
    """Remove the work folders of builds that were killed; return them.

    A folder counts as stale only if it has planmon's ``owner.lock`` and nobody holds the
    lock: a running build's folder, and folders of other programs, are never touched.
    """
    root = Path(root or tempfile.gettempdir())
    removed = []
    for path in root.glob(f"{WORK_PREFIX}*"):
        if path.is_symlink() or not path.is_dir() or not (path / _OWNER).is_file():
            continue
        try:
            fd = os.open(path / _OWNER, os.O_RDWR | os.O_CLOEXEC)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # a running build holds it
        else:
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
        finally:
            os.close(fd)
    return removed


def remove_stale_temps(folders: Iterable[Path], known: set[Path]) -> list[Path]:
    """Delete a killed build's temporary files in ``folders`` (not below them); return them.

    Only planmon's own temporary files go: ``.planmon-tmp-*``, and the older
    ``.<name>.<random>.tmp`` when ``<name>`` is an output the manifest lists in that folder
    (``known``: the outputs' paths). Call it holding the build lock.
    """
    removed = []
    for folder in folders:
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            if not entry.is_file(follow_symlinks=False):
                continue
            legacy = _LEGACY_TEMP.match(entry.name)
            ours = is_temp_name(entry.name) or (
                legacy is not None
                and not known.isdisjoint(
                    {Path(folder) / legacy["name"], Path(folder) / f"{legacy['name']}.ipynb"}
                )
            )
            if ours:
                with contextlib.suppress(OSError):
                    os.unlink(entry.path)
                    removed.append(Path(entry.path))
    return removed
