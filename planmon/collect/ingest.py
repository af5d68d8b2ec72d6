"""Adding departments' returned annual reports to a plan folder, safely and reversibly.

``planmon ingest`` is the one place where planmon writes a plan's data (see
``docs/data-contract.md``). It is all or nothing, guarded, journaled and audited:

1. **Check the files** (:func:`planmon.collect.incoming.read_incoming`): readable, not too
   large, ``.xlsx``/``.csv``, named ``<dept_id>.<ext>`` with a simple id.
2. **Guard**: a workbook written by ``planmon template`` says which plan, year and department
   it is for (:mod:`planmon.collect.guard`); a mismatch is refused unless forced. A report
   already in the plan is only replaced with ``replace=True``.
3. **Stage and validate**: the plan as it would be is built in ``<plan>/.planmon/txn/<id>/``
   and validated in full. Any error and nothing is written; the errors name the files as the
   user passed them, with the cell (``H3``) and the fix, and — if asked — a feedback copy of
   each workbook with the problems marked is written (:mod:`planmon.collect.feedback`).
4. **Commit** through the journal (:mod:`planmon.io.journal`): the new reports, the kept
   earlier versions (``<plan>/.planmon/versions/<id>/``) and the audit record
   (:mod:`planmon.collect.audit`) land together; a kill at any moment leaves the old plan or
   the new one, and the next command finishes or drops the change.

The result lists, per indicator, what changed against the previous version of the report.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planmon.collect import audit
from planmon.collect.guard import IngestRefused, Refusal
from planmon.collect.incoming import (
    Incoming,
    existing_reports,
    explain_problems,
    metadata_findings,
    read_incoming,
    stage_view,
    summarise_missing_reports,
    validate_view,
    whole_year,
    year_folder_for,
)
from planmon.core.exceptions import InputFileError, PlanValidationError, Problem
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.journal import Transaction, begin, plan_lock
from planmon.io.plan_files import PlanFiles, ReportFile, discover, read_report
from planmon.plan.model import Plan

__all__ = ["IngestResult", "ReturnsInvalid", "CHANGE_KINDS", "FORCE_OPTIONS", "ingest"]

#: Kinds of change of one indicator's value against the previous version of the report.
#: ``new``: the indicator had no row before; ``corrected``: a different value (or a value where
#: there was a blank); ``removed``: a value (or row) that is no longer there; ``unchanged``.
CHANGE_KINDS = ("new", "corrected", "removed", "unchanged")
#: Overrides of the guard: add a workbook written for another year, department or plan.
FORCE_OPTIONS = ("force_year", "force_dept", "force_plan")
_CHANGE_COLUMNS = ["dept_id", "indicator_id", "change", "old_value", "new_value"]


class ReturnsInvalid(PlanValidationError):
    """The returned files would make the plan invalid; nothing was written.

    Attributes
    ----------
    feedback : list of Path
        The feedback workbooks written (``ingest(..., feedback_dir=…)``), one per file with
        problems.
    """

    def __init__(self, problems: list[Problem], warnings: list[Problem], feedback=()):
        super().__init__(problems, warnings)
        self.feedback = list(feedback)


@dataclass(eq=False)
class IngestResult:
    """What :func:`ingest` did.

    Attributes
    ----------
    year : int
        The report year.
    written : list of Path
        Report files now in the plan folder that were created or replaced.
    previous : list of Path
        Kept earlier versions of the replaced reports (``.planmon/versions/<id>/…``).
    identical : list of Path
        Reports that were already in the plan with exactly the same content (nothing written).
    changes : DataFrame
        One row per department and indicator: ``dept_id``, ``indicator_id``, ``change`` (one of
        :data:`CHANGE_KINDS`), ``old_value``, ``new_value`` (float, NaN = blank or absent).
    warnings : list of Problem
        Warnings that concern the new reports (suspicious values, gaps, a workbook without
        template metadata, numbers typed in the wrong column), located in the files as given;
        the departments that have not reported yet, as one warning.
    record_id : str or None
        The audit record of this ingest (None when nothing was written).
    """

    year: int
    written: list[Path] = field(default_factory=list)
    previous: list[Path] = field(default_factory=list)
    identical: list[Path] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_CHANGE_COLUMNS))
    warnings: list[Problem] = field(default_factory=list)
    record_id: str | None = None

    def of_kind(self, change: str) -> pd.DataFrame:
        """Rows of :attr:`changes` of one kind (``new``, ``corrected``, ``removed``…)."""
        if change not in CHANGE_KINDS:
            raise ValueError(f"unknown change {change!r}; expected one of {CHANGE_KINDS}")
        return self.changes[self.changes["change"] == change].reset_index(drop=True)

    @property
    def counts(self) -> dict[str, int]:
        """Number of indicators per kind of change."""
        found = self.changes["change"].value_counts()
        return {kind: int(found.get(kind, 0)) for kind in CHANGE_KINDS}


# ------------------------------------------------------------------------------ the guard


def _guard(
    incoming: list[Incoming], year: int, files: PlanFiles, force: frozenset[str]
) -> list[Problem]:
    """Refuse workbooks written for another year, department or plan; return warnings."""
    refusals: list[Refusal] = []
    warnings: list[Problem] = []
    for _, found, warned in metadata_findings(incoming, year, files, force):
        refusals += found
        warnings += warned
    if refusals:
        raise IngestRefused(refusals)
    return warnings


def _to_write(
    incoming: list[Incoming],
    existing: dict[str, list[ReportFile]],
    replace: bool,
    result: IngestResult,
) -> list[tuple[Incoming, list[ReportFile]]]:
    """The files to write (with the reports they replace); identical ones are noted only."""
    to_write = []
    refusals = []
    for item in incoming:
        olds = existing.get(item.dept_id, [])
        same = [r for r in olds if r.path.name == f"{item.dept_id}{item.suffix}"]
        if len(olds) == 1 and same and same[0].path.read_bytes() == item.data:
            result.identical.append(same[0].path)
        elif olds and not replace:
            where = ", ".join(r.label for r in olds)
            refusals.append(
                Refusal(
                    f"{item.label}: a report for this year is already in the plan: {where}; "
                    "pass {fix} to replace it (the current version is kept, and "
                    "`planmon undo` brings it back)",
                    "replace",
                )
            )
        else:
            to_write.append((item, olds))
    if refusals:
        raise IngestRefused(refusals)
    return to_write


# ------------------------------------------------------------------------------ changes


def _old_values(reports: list[ReportFile]) -> dict[str, float]:
    """indicator_id → value (NaN = blank) of the previous version, read leniently."""
    values: dict[str, float] = {}
    for report in reports:
        try:
            frame = read_report(report).frame
        except InputFileError:
            continue  # an unreadable old version: every indicator counts as new
        if "indicator_id" not in frame.columns:
            continue
        for ind, raw in zip(
            frame["indicator_id"], frame.get("value", [None] * len(frame)), strict=True
        ):
            key = clean_text(ind)
            if key is None:
                continue
            try:
                values[key] = parse_number(raw)
            except NotANumberError:
                values[key] = math.nan
    return values


def _change(old: float | None, new: float | None) -> str:
    if old is None:
        return "new"
    if new is None:
        return "removed"
    if (math.isnan(old) and math.isnan(new)) or old == new:
        return "unchanged"
    if math.isnan(new):
        return "removed"
    return "corrected"


def _changes(
    staged: Plan, year: int, incoming: list[Incoming], existing: dict[str, list[ReportFile]]
) -> pd.DataFrame:
    actuals = staged.actuals[staged.actuals["year"] == year]
    rows = []
    for item in incoming:
        mine = actuals[actuals["dept_id"] == item.dept_id]
        new = dict(zip(mine["indicator_id"], mine["value"].astype(float), strict=True))
        old = _old_values(existing.get(item.dept_id, []))
        for ind in [*new, *(i for i in old if i not in new)]:
            before, after = old.get(ind), new.get(ind)
            rows.append(
                {
                    "dept_id": item.dept_id,
                    "indicator_id": ind,
                    "change": _change(before, after),
                    "old_value": math.nan if before is None else before,
                    "new_value": math.nan if after is None else after,
                }
            )
    return pd.DataFrame(rows, columns=_CHANGE_COLUMNS).astype(
        {"old_value": "float64", "new_value": "float64"}
    )


# ------------------------------------------------------------------------------ validation


def _validated(
    txn: Transaction,
    files: PlanFiles,
    year_folder: Path,
    incoming: list[Incoming],
    replaced: set[Path],
    feedback_dir: Path | None,
) -> tuple[Plan, list[Problem]]:
    """Stage the plan as it would be and validate it; return it and the new files' warnings.

    Raises
    ------
    ReturnsInvalid
        With the problems of the new files located in the files as given.
    """
    view = txn.work / "view"
    stage_view(files, view, year_folder, incoming, replaced)
    try:
        staged = validate_view(view, files)
    except PlanValidationError as exc:
        problems, explained = explain_problems(exc.problems + exc.warnings, incoming, view)
        feedback: list[Path] = []
        if feedback_dir is not None:
            from planmon.collect.feedback import write_feedback

            feedback = write_feedback(incoming, explained, feedback_dir)
        errors = [p for p in problems if p.severity == "error"]
        warnings = [p for p in problems if p.severity != "error"]
        raise ReturnsInvalid(errors, warnings, feedback) from None
    labels = {item.staged.relative_to(view).as_posix() for item in incoming if item.staged}
    year_label = year_folder.relative_to(files.folder).as_posix() + "/"
    mine = [w for w in staged.warnings if w.file in labels or w.file == year_label]
    relocated, _ = explain_problems(mine, incoming, view)
    return staged, relocated


# ------------------------------------------------------------------------------ commit


def _commit(
    txn: Transaction,
    files: PlanFiles,
    year_folder: Path,
    to_write: list[tuple[Incoming, list[ReportFile]]],
    result: IngestResult,
    record: dict,
) -> None:
    """Put the new reports, the kept versions and the audit record into one commit."""
    root = files.folder
    paths: dict[str, dict[str, str | None]] = {}
    for item, olds in to_write:
        target = year_folder / f"{item.dept_id}{item.suffix}"
        rel = target.relative_to(root).as_posix()
        for old in olds:
            old_rel = old.path.relative_to(root).as_posix()
            data = old.path.read_bytes()
            keep = f"{audit.versions_folder(txn.id)}/{old_rel}"
            txn.put(keep, data)
            result.previous.append(root / keep)
            paths[old_rel] = {"before": hashlib.sha256(data).hexdigest(), "after": None}
            if old.path != target:  # e.g. services.csv replaced by services.xlsx
                txn.put(old_rel, None)
        txn.put(rel, item.data)
        paths.setdefault(rel, {"before": None})["after"] = hashlib.sha256(item.data).hexdigest()
        result.written.append(target)
    record["paths"] = paths
    record["versions"] = audit.versions_folder(txn.id)
    if not year_folder.exists():
        record["created_dirs"] = [year_folder.relative_to(root).as_posix()]
    txn.append_line(audit.AUDIT_LOG, json.dumps(record, ensure_ascii=False))
    txn.commit()
    result.record_id = txn.id


def _record(
    txn: Transaction, year: int, to_write, result: IngestResult, force: frozenset[str]
) -> dict:
    changed = result.changes[result.changes["change"] != "unchanged"]
    written = {item.dept_id for item, _ in to_write}
    return {
        "id": txn.id,
        "kind": "ingest",
        "time": audit.now_utc(),
        "user": audit.current_user(),
        "year": year,
        "forced": sorted(force),
        "sources": [
            {
                "file": item.label,
                "name": item.source.name,
                "sha256": hashlib.sha256(item.data).hexdigest(),
                "dept_id": item.dept_id,
                "template_id": item.metadata.template_id if item.metadata else None,
            }
            for item, _ in to_write
        ],
        "changes": [
            {
                "dept_id": r.dept_id,
                "indicator_id": r.indicator_id,
                "change": r.change,
                "old": audit.json_number(r.old_value),
                "new": audit.json_number(r.new_value),
            }
            for r in changed.itertuples(index=False)
            if r.dept_id in written
        ],
    }


# ------------------------------------------------------------------------------ ingest


def ingest(
    files: Iterable[str | os.PathLike[str]],
    year: int,
    plan_path: str | os.PathLike[str],
    replace: bool = False,
    *,
    force: Iterable[str] = (),
    feedback_dir: str | os.PathLike[str] | None = None,
) -> IngestResult:
    """Validate returned annual reports and add them to a plan folder, all or nothing.

    Parameters
    ----------
    files : iterable of path-like
        Filled-in reports, each named ``<dept_id>.xlsx`` (or ``.csv``) as its template was.
        The files themselves are left where they are; their content is copied.
    year : int
        The report year they belong to (a plan year).
    plan_path : path-like
        The plan folder.
    replace : bool, default False
        Replace a report already in the plan for the same department and year (its previous
        version is kept). A file identical to the report there is accepted and not written.
    force : iterable of str
        Overrides of the guard, from :data:`FORCE_OPTIONS`: add a workbook whose hidden
        template facts name another year (``force_year``), department (``force_dept``) or
        plan (``force_plan``).
    feedback_dir : path-like, optional
        If validation fails, write a feedback copy of each returned file with problems here
        (``<feedback_dir>/<dept_id>.xlsx``); their paths are the error's ``feedback``.

    Returns
    -------
    IngestResult

    Raises
    ------
    InputFileError
        If the plan folder or a file cannot be read at all. Nothing is written.
    IngestRefused
        A workbook for another year, department or plan; a report already there without
        ``replace``. Nothing is written.
    ReturnsInvalid
        A :class:`~planmon.core.exceptions.PlanValidationError`: the plan with the new
        reports would not validate. Nothing is written; ``feedback`` lists the feedback
        workbooks written.
    PlanmonError
        If writing failed (the plan is left as it was) or another command holds the plan.
    """
    year = whole_year(year)
    forced = frozenset(force)
    unknown = forced - set(FORCE_OPTIONS)
    if unknown:
        raise ValueError(f"unknown force option(s) {sorted(unknown)}; known: {FORCE_OPTIONS}")
    incoming = read_incoming(files)
    folder = discover(Path(plan_path)).folder  # checks the folder; finishes an interrupted ingest
    feedback = Path(feedback_dir) if feedback_dir is not None else None
    with plan_lock(folder):
        return _ingest_locked(discover(folder), incoming, year, replace, forced, feedback)


def _ingest_locked(
    plan_files: PlanFiles,
    incoming: list[Incoming],
    year: int,
    replace: bool,
    forced: frozenset[str],
    feedback_dir: Path | None,
) -> IngestResult:
    result = IngestResult(year=year)
    guard_warnings = _guard(incoming, year, plan_files, forced)
    existing = existing_reports(plan_files, year)
    year_folder = year_folder_for(plan_files, year)
    to_write = _to_write(incoming, existing, replace, result)
    replaced = {r.path for item in incoming for r in existing.get(item.dept_id, [])}
    txn = begin(plan_files.folder)
    try:
        staged, warnings = _validated(
            txn, plan_files, year_folder, incoming, replaced, feedback_dir
        )
        result.changes = _changes(staged, year, incoming, existing)
        result.warnings = guard_warnings + summarise_missing_reports(warnings, year)
        if to_write:
            # the staged view holds hard links to the plan's files: not part of the commit
            shutil.rmtree(txn.work / "view", ignore_errors=True)
            record = _record(txn, year, to_write, result, forced)
            _commit(txn, plan_files, year_folder, to_write, result, record)
            return result
    except BaseException:
        txn.abandon()
        raise
    txn.abandon()
    return result
