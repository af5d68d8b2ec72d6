"""The audit trail of a plan's collection: every ingest and undo, and how to revert one.

Every ``planmon ingest`` that changes a plan appends one JSON line to
``<plan>/.planmon/audit.jsonl`` in the same journaled commit as the reports themselves
(:mod:`planmon.io.journal`), so the log and the files can never disagree. A record holds the
time (UTC), the user, the source files (name as given and SHA-256), the year, the departments,
every data file's SHA-256 before and after, and every value added, corrected or removed with
its old and new value. The content of each file before the change is kept in
``<plan>/.planmon/versions/<record id>/`` — previous versions are always kept.

:func:`undo` reverts an ingest exactly: every data file it touched gets back its earlier bytes
(or is removed again), folders it created are removed, and an ``undo`` record is appended. It
refuses when a file has changed since (by hand, or by a later ingest that is not undone).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planmon.core import config
from planmon.core.exceptions import PlanmonError
from planmon.io.journal import Transaction, begin, plan_lock, sha256_file

__all__ = [
    "AUDIT_LOG",
    "VERSIONS",
    "UndoResult",
    "now_utc",
    "current_user",
    "versions_folder",
    "json_number",
    "read_log",
    "history",
    "undo",
]

#: The audit log, relative to the plan folder.
AUDIT_LOG = f"{config.STATE_DIR_NAME}/audit.jsonl"
#: Kept versions, relative to the plan folder: ``<VERSIONS>/<record id>/<data file>``.
VERSIONS = f"{config.STATE_DIR_NAME}/versions"
_HISTORY_COLUMNS = [
    "id",
    "time",
    "user",
    "action",
    "year",
    "dept_id",
    "source",
    "sha256",
    "new",
    "corrected",
    "removed",
    "undone_by",
]


def now_utc() -> str:
    """The current time, UTC, ISO 8601 to the second."""
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def current_user() -> str:
    """The login name of the person running planmon (``unknown`` if the system has none)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown"


def versions_folder(record_id: str) -> str:
    """Where the earlier versions of one record's files are kept (relative to the plan)."""
    return f"{VERSIONS}/{record_id}"


def json_number(value: float) -> float | None:
    """A float for JSON: NaN (a blank value) becomes null."""
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else value


def read_log(plan_path: str | os.PathLike[str]) -> list[dict]:
    """Every record of the plan's audit log, oldest first (unreadable lines are skipped)."""
    path = Path(plan_path) / AUDIT_LOG
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError) as exc:
        raise PlanmonError(f"{path}: the audit log cannot be read ({exc})") from None
    records = []
    for line in lines:
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if isinstance(record, dict) and "id" in record and "kind" in record:
            records.append(record)
    return records


def _undone(records: list[dict]) -> dict[str, str]:
    """ingest id → id of the undo record that reverted it."""
    return {r["undoes"]: r["id"] for r in records if r["kind"] == "undo" and "undoes" in r}


def history(
    plan_path: str | os.PathLike[str], year: int | None = None, dept_id: str | None = None
) -> pd.DataFrame:
    """The plan's collection history: one row per record and department.

    Returns
    -------
    DataFrame
        ``id``, ``time`` (UTC, ISO 8601), ``user``, ``action`` (``ingest`` or ``undo``), ``year``,
        ``dept_id``, ``source`` (the file as given), ``sha256`` (of the source), ``new``,
        ``corrected``, ``removed`` (counts of values) and ``undone_by`` (the undo record's id,
        or None). Oldest first.
    """
    records = read_log(plan_path)
    undone = _undone(records)
    rows = []
    for record in records:
        for source in record.get("sources") or [{}]:
            dept = source.get("dept_id")
            changes = [c for c in record.get("changes", []) if dept is None or c["dept_id"] == dept]
            counts = {k: sum(c["change"] == k for c in changes) for k in ("new", "corrected")}
            rows.append(
                {
                    "id": record["id"],
                    "time": record.get("time"),
                    "user": record.get("user"),
                    "action": record["kind"],
                    "year": record.get("year"),
                    "dept_id": dept,
                    "source": source.get("file"),
                    "sha256": source.get("sha256"),
                    **counts,
                    "removed": sum(c["change"] == "removed" for c in changes),
                    "undone_by": undone.get(record["id"]),
                }
            )
    frame = pd.DataFrame(rows, columns=_HISTORY_COLUMNS, dtype=object)
    frame = frame.where(frame.notna(), None)  # missing text stays None, never NaN
    if year is not None:
        frame = frame[frame["year"] == int(year)]
    if dept_id is not None:
        frame = frame[frame["dept_id"] == dept_id]
    return frame.reset_index(drop=True)


@dataclass
class UndoResult:
    """What :func:`undo` did.

    Attributes
    ----------
    record_id : str
        The id of the undo record appended to the audit log.
    undone : dict
        The ingest record that was reverted.
    restored : list of Path
        Data files given back their earlier content.
    removed : list of Path
        Data files the ingest had added, removed again.
    """

    record_id: str
    undone: dict
    restored: list[Path] = field(default_factory=list)
    removed: list[Path] = field(default_factory=list)


def _target(records: list[dict], record_id: str | None) -> dict:
    undone = _undone(records)
    active = [r for r in records if r["kind"] == "ingest" and r["id"] not in undone]
    if record_id is None:
        if not active:
            raise PlanmonError("nothing to undo: the audit log has no ingest that is not undone")
        return active[-1]
    for record in records:
        if record["id"] == record_id or record["id"].startswith(record_id):
            if record["kind"] != "ingest":
                raise PlanmonError(f"record {record_id} is an {record['kind']}, not an ingest")
            if record["id"] in undone:
                raise PlanmonError(f"ingest {record_id} was undone already")
            later = [r for r in active if records.index(r) > records.index(record)]
            for other in later:
                shared = sorted(set(other.get("paths", {})) & set(record.get("paths", {})))
                if shared:
                    raise PlanmonError(
                        f"ingest {other['id'][:8]} ({other.get('time')}) changed {shared[0]} "
                        f"after {record_id}; undo that one first"
                    )
            return record
    raise PlanmonError(f"no record {record_id!r} in the audit log; see `planmon history`")


def _check_unchanged(root: Path, record: dict) -> None:
    for rel, shas in record.get("paths", {}).items():
        if sha256_file(root / rel) != shas.get("after"):
            raise PlanmonError(
                f"{root / rel} has changed since the ingest {record['id'][:8]} "
                f"({record.get('time')}); nothing was undone. Restore it, or ingest the "
                "report you want with --replace"
            )


def _stage_undo(txn: Transaction, root: Path, record: dict, result: UndoResult) -> None:
    for rel, shas in sorted(record.get("paths", {}).items()):
        current = root / rel
        if current.is_file():  # the version being undone is kept too
            txn.put(f"{versions_folder(txn.id)}/{rel}", current.read_bytes())
        if shas.get("before") is None:
            txn.put(rel, None)
            result.removed.append(current)
            continue
        kept = root / versions_folder(record["id"]) / rel
        if sha256_file(kept) != shas["before"]:
            raise PlanmonError(
                f"{kept}: the kept version of {rel} is missing or damaged; cannot undo exactly"
            )
        txn.put(rel, kept.read_bytes())
        result.restored.append(current)
    for folder in record.get("created_dirs", []):
        txn.remove_dir_if_empty(folder)


_INVERSE = {"new": "removed", "removed": "new", "corrected": "corrected"}


def _reverse(change: dict) -> dict:
    kind = _INVERSE.get(change.get("change"), change.get("change"))
    return {**change, "change": kind, "old": change.get("new"), "new": change.get("old")}


def undo(plan_path: str | os.PathLike[str], record_id: str | None = None) -> UndoResult:
    """Revert an ingest exactly (default: the last one that is not undone).

    Parameters
    ----------
    plan_path : path-like
        The plan folder.
    record_id : str, optional
        The ingest to revert (its id from ``planmon history``, or a prefix of it).

    Returns
    -------
    UndoResult

    Raises
    ------
    PlanmonError
        Nothing to undo; the record is unknown, not an ingest or undone already; a later
        ingest changed the same files; a file changed since the ingest. Nothing is changed.
    """
    root = Path(plan_path)
    with plan_lock(root):
        records = read_log(root)
        record = _target(records, record_id)
        _check_unchanged(root, record)
        txn = begin(root)
        result = UndoResult(txn.id, record)
        try:
            _stage_undo(txn, root, record, result)
        except BaseException:
            txn.abandon()
            raise
        paths = {
            rel: {"before": shas.get("after"), "after": shas.get("before")}
            for rel, shas in record.get("paths", {}).items()
        }
        entry = {
            "id": txn.id,
            "kind": "undo",
            "time": now_utc(),
            "user": current_user(),
            "undoes": record["id"],
            "year": record.get("year"),
            "sources": record.get("sources", []),
            "paths": paths,
            "changes": [_reverse(c) for c in record.get("changes", [])],
            "versions": versions_folder(txn.id),
        }
        txn.append_line(AUDIT_LOG, json.dumps(entry, ensure_ascii=False))
        txn.commit()
    return result
