"""Changing several files of a plan folder all or nothing, even across ``kill -9``.

:mod:`planmon.io.atomic` replaces one file atomically; an ingest changes several (a new report,
an old one removed, a kept version, a line of the audit log). This module makes such a change
a transaction with a journal, so that any interruption leaves either the old plan or the new
one, and the next planmon command that opens the plan finishes the job.

One transaction, under the plan's lock (``<plan>/.planmon/lock``):

1. :func:`begin` creates a work folder ``<plan>/.planmon/txn/<id>/``. The caller may stage
   anything there (a view of the plan to validate) and says, with :meth:`Transaction.put`,
   what each file should contain afterwards (bytes, or ``None`` for "absent"). The current
   content of every such file is copied into the work folder as well.
2. **Commit point**: :meth:`Transaction.commit` writes ``journal.json`` atomically into the
   work folder. Before it exists nothing happened (recovery deletes the work folder); once it
   exists the change happens (recovery rolls it forward).
3. Each file is set to its new content by renaming a fully written temporary file onto it
   (``.<name>.planmon-<id>.tmp``, a name recovery knows), lines are appended to logs unless
   already there, folders left empty are removed.
4. ``journal.json`` is removed, then the work folder.

A failure inside the running process (a full disk) rolls the change back from the copies of
step 1. :func:`recover` rolls an interrupted transaction forward; :func:`recover_if_needed`
is what :func:`planmon.io.plan_files.discover` calls before reading a plan.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planmon.core import config
from planmon.core.exceptions import InputFileError, PlanmonError

__all__ = [
    "LOCK_TIMEOUT_S",
    "Transaction",
    "begin",
    "plan_lock",
    "recover",
    "recover_if_needed",
    "sha256_file",
]

#: Seconds a command waits for another planmon process that is writing into the same plan.
LOCK_TIMEOUT_S = 60.0
_JOURNAL = "journal.json"
_HELD: set[Path] = set()
#: Called with the name of each step of a commit (tests interrupt a commit here).
_step_hook: Callable[[str], None] | None = None


def _step(name: str) -> None:
    if _step_hook is not None:
        _step_hook(name)


def sha256_file(path: Path) -> str | None:
    """SHA-256 (hex) of a file's content, streamed; ``None`` if there is no such file."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _txn_root(root: Path) -> Path:
    return config.state_dir_for(root) / "txn"


def _inside(root: Path, rel: str) -> Path:
    """``root / rel`` after checking that ``rel`` stays inside ``root`` (no ``..``, no symlink out)."""
    if not rel or rel.startswith("/") or ".." in Path(rel).parts:
        raise PlanmonError(f"{root}: refusing to write {rel!r}, which is not inside the plan")
    target = root / rel
    if not target.parent.resolve().is_relative_to(root.resolve()):
        raise PlanmonError(
            f"{target}: refusing to write through a link that leaves the plan folder {root}"
        )
    return target


def _write_file(target: Path, data: bytes, tmp_tag: str) -> None:
    """Write ``data`` to ``target`` by renaming a complete, synced temporary file onto it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.planmon-{tmp_tag}.tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.chmod(tmp, 0o644)
    os.replace(tmp, target)


@dataclass
class Transaction:
    """A set of file changes inside one plan folder, applied all or nothing.

    Use :func:`begin` to start one (it must run inside :func:`plan_lock`).

    Attributes
    ----------
    root : Path
        The plan folder; every path is relative to it (POSIX form).
    id : str
        A unique id (also the work folder's name).
    work : Path
        The work folder, for the caller's own staging (removed at the end).
    """

    root: Path
    id: str
    work: Path
    _entries: list[dict] = field(default_factory=list)
    _appends: list[dict] = field(default_factory=list)
    _rmdirs: list[str] = field(default_factory=list)

    def put(self, rel: str, data: bytes | None) -> None:
        """Set file ``rel`` to ``data`` at commit (``None``: remove it)."""
        target = _inside(self.root, rel)
        n = len(self._entries)
        before = after = None
        if target.is_file():
            before = f"before/{n}"
            (self.work / "before").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(target, self.work / before)
        if data is not None:
            after = f"after/{n}"
            (self.work / "after").mkdir(parents=True, exist_ok=True)
            (self.work / after).write_bytes(data)
        self._entries.append(
            {
                "path": rel,
                "before": before,
                "after": after,
                "after_sha256": None if data is None else hashlib.sha256(data).hexdigest(),
            }
        )

    def append_line(self, rel: str, line: str) -> None:
        """Append one line (no newline inside) to text file ``rel`` at commit, exactly once."""
        if "\n" in line or "\r" in line:
            raise ValueError("a journal line must not contain a line break")
        _inside(self.root, rel)
        self._appends.append({"path": rel, "line": line})

    def remove_dir_if_empty(self, rel: str) -> None:
        """Remove folder ``rel`` at commit if it is then empty."""
        _inside(self.root, rel)
        self._rmdirs.append(rel)

    @property
    def paths(self) -> list[str]:
        """The files this transaction changes."""
        return [e["path"] for e in self._entries]

    def commit(self) -> None:
        """Write the journal (the commit point), apply it and clean up.

        Raises
        ------
        PlanmonError
            If writing failed; the files are then as they were before.
        """
        journal = {
            "id": self.id,
            "entries": self._entries,
            "appends": self._appends,
            "rmdirs": self._rmdirs,
        }
        _step("staged")
        try:
            _write_file(self.work / _JOURNAL, json.dumps(journal).encode(), self.id)
        except OSError as exc:
            self.abandon()
            raise _write_error(self.root, exc) from None
        _step("committed")
        try:
            _apply(self.root, self.work, journal)
        except OSError as exc:
            _roll_back(self.root, self.work, journal)
            raise _write_error(self.root, exc) from None
        _finish(self.work)

    def abandon(self) -> None:
        """Drop the transaction: nothing is changed, the work folder is removed."""
        shutil.rmtree(self.work, ignore_errors=True)


def _write_error(root: Path, exc: OSError) -> PlanmonError:
    where = exc.filename or root
    return PlanmonError(
        f"could not write into {where} ({exc.strerror or exc}); nothing was changed. "
        "Free some space or fix the folder's permissions and run again"
    )


def _apply(root: Path, work: Path, journal: dict) -> None:
    """Roll a committed journal forward (idempotent: safe to repeat after a kill)."""
    tag = journal["id"]
    for entry in journal["entries"]:
        target = _inside(root, entry["path"])
        if entry["after"] is None:
            target.unlink(missing_ok=True)
        elif sha256_file(target) != entry["after_sha256"]:
            _write_file(target, (work / entry["after"]).read_bytes(), tag)
        _step(f"applied {entry['path']}")
    for item in journal["appends"]:
        _append_once(_inside(root, item["path"]), item["line"])
        _step(f"appended {item['path']}")
    for rel in journal["rmdirs"]:
        with contextlib.suppress(OSError):
            _inside(root, rel).rmdir()  # only if empty


def _append_once(target: Path, line: str) -> None:
    """Append ``line`` unless the file already holds it; drop a torn (unfinished) last line."""
    target.parent.mkdir(parents=True, exist_ok=True)
    data = target.read_bytes() if target.is_file() else b""
    if data and not data.endswith(b"\n"):
        # a kill during an earlier append left half a line: it was never a record
        data = data[: data.rfind(b"\n") + 1]
        with open(target, "r+b") as handle:
            handle.truncate(len(data))
    encoded = line.encode("utf-8") + b"\n"
    if b"\n" + encoded in b"\n" + data:  # rolled forward before: the line is there already
        return
    with open(target, "ab") as handle:
        handle.write(encoded)
        handle.flush()
        os.fsync(handle.fileno())


def _roll_back(root: Path, work: Path, journal: dict) -> None:
    tag = journal["id"]
    for entry in reversed(journal["entries"]):
        with contextlib.suppress(OSError):
            target = _inside(root, entry["path"])
            if entry["before"] is None:
                target.unlink(missing_ok=True)
            else:
                _write_file(target, (work / entry["before"]).read_bytes(), tag)
    _remove_temporaries(root, journal)
    shutil.rmtree(work, ignore_errors=True)


def _remove_temporaries(root: Path, journal: dict) -> None:
    for entry in journal["entries"]:
        target = root / entry["path"]
        with contextlib.suppress(OSError):
            target.with_name(f".{target.name}.planmon-{journal['id']}.tmp").unlink(missing_ok=True)


def _finish(work: Path) -> None:
    (work / _JOURNAL).unlink(missing_ok=True)
    _step("done")
    shutil.rmtree(work, ignore_errors=True)


# --------------------------------------------------------------------------- lock and recovery


@contextlib.contextmanager
def plan_lock(root: str | os.PathLike[str], timeout: float = LOCK_TIMEOUT_S) -> Iterator[None]:
    """Hold the plan's write lock (``<plan>/.planmon/lock``); finish an interrupted commit first.

    Raises
    ------
    PlanmonError
        If another planmon process keeps the lock for ``timeout`` seconds, or the folder
        cannot be written.
    """
    from filelock import FileLock, Timeout

    root = Path(root)
    key = root.resolve()
    if key in _HELD:  # re-entered from the same process (discover inside an ingest)
        yield
        return
    try:
        config.state_dir_for(root).mkdir(parents=True, exist_ok=True)
        lock = FileLock(config.state_dir_for(root) / "lock", timeout=timeout)
        lock.acquire()
    except Timeout:
        raise PlanmonError(
            f"{root}: another planmon command is writing into this plan; try again when it "
            "has finished"
        ) from None
    except OSError as exc:
        raise _write_error(root, exc) from None
    _HELD.add(key)
    try:
        recover(root)
        yield
    finally:
        _HELD.discard(key)
        lock.release()


def begin(root: str | os.PathLike[str]) -> Transaction:
    """Start a transaction on a plan folder (call inside :func:`plan_lock`)."""
    root = Path(root)
    if root.resolve() not in _HELD:
        raise RuntimeError("begin() must be called inside plan_lock()")
    txn_id = uuid.uuid4().hex
    work = _txn_root(root) / txn_id
    work.mkdir(parents=True)
    return Transaction(root, txn_id, work)


def recover(root: str | os.PathLike[str]) -> list[str]:
    """Finish or drop every interrupted transaction of a plan (the caller holds the lock).

    Returns
    -------
    list of str
        Ids of the transactions rolled forward (committed before the interruption).
    """
    root = Path(root)
    txn_root = _txn_root(root)
    if not txn_root.is_dir():
        return []
    done = []
    for work in sorted(p for p in txn_root.iterdir() if p.is_dir()):
        journal_file = work / _JOURNAL
        if not journal_file.is_file():
            shutil.rmtree(work, ignore_errors=True)  # never committed: the old plan stands
            continue
        try:
            journal = json.loads(journal_file.read_text(encoding="utf-8"))
            _apply(root, work, journal)
        except OSError as exc:
            raise PlanmonError(
                f"{root}: an interrupted ingest could not be finished "
                f"({exc.strerror or exc}); fix the folder and run any planmon command again"
            ) from None
        _remove_temporaries(root, journal)
        _finish(work)
        done.append(journal["id"])
    return done


def recover_if_needed(root: str | os.PathLike[str]) -> None:
    """Before reading a plan: finish an interrupted commit, if one is pending (cheap check).

    Raises
    ------
    InputFileError
        If a committed change is pending and planmon cannot finish it (a read-only folder,
        or another process keeps the lock).
    """
    root = Path(root)
    txn_root = _txn_root(root)
    try:
        pending = txn_root.is_dir() and any(txn_root.iterdir())
    except OSError:
        return
    if not pending or root.resolve() in _HELD:
        return
    committed = any((work / _JOURNAL).is_file() for work in txn_root.iterdir())
    try:
        # A committed change must be finished before reading (wait for its writer); leftovers
        # of an uncommitted one are harmless to a reader and removed only if nobody is busy.
        with plan_lock(root, timeout=LOCK_TIMEOUT_S if committed else 0):
            pass
    except PlanmonError as exc:
        if committed:
            raise InputFileError(
                f"{root}: an ingest into this plan was interrupted and cannot be finished "
                f"now ({exc}); run the command again once it can write there"
            ) from None
