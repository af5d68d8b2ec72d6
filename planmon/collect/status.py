"""Where the year's collection stands: ``planmon status PLAN --year Y``.

Per department that is responsible for indicators: whether its template was written (from
the templates folder's manifest, :data:`planmon.collect.templates.MANIFEST`), whether its
report is in the plan (file, time, SHA-256), whether that report is valid, has errors or
warnings, how many values it fills, when it last changed (from the audit log), and — when the
plan settings give a ``deadline`` — whether it is late.

``deadline`` in the plan settings is either ``MM-DD`` (year *Y*'s reports are due on that
day of year *Y + 1*) or a full date ``YYYY-MM-DD``, in the plan's calendar; Persian digits
are fine.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from planmon.collect.audit import read_log
from planmon.collect.guard import plan_identity
from planmon.collect.incoming import existing_reports, whole_year
from planmon.collect.templates import read_manifest
from planmon.core import config
from planmon.core.exceptions import InputFileError, PlanValidationError, Problem
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.journal import sha256_file
from planmon.io.plan_files import ReportFile, discover, read_plan_tables, read_report
from planmon.io.read import RawTable
from planmon.plan.validation import ReportTable, ValidatedPlan, validate_tables

__all__ = ["STATES", "DepartmentStatus", "CollectionStatus", "collection_status", "due_date"]

#: States of one department's return: no report, valid, valid with warnings, with errors.
STATES = ("missing", "valid", "warnings", "errors")


@dataclass
class DepartmentStatus:
    """One department's return for the year (times are UTC, ISO 8601)."""

    dept_id: str
    name_fa: str
    name_en: str
    indicators: int
    template: str | None = None
    template_written: str | None = None
    returned: str | None = None
    returned_at: str | None = None
    sha256: str | None = None
    state: str = "missing"
    errors: int = 0
    warnings: int = 0
    values_filled: int = 0
    last_change: str | None = None
    late: bool = False
    problems: list[str] = field(default_factory=list)


@dataclass
class CollectionStatus:
    """The collection board of one year (see :func:`collection_status`)."""

    plan: Path
    year: int
    deadline: str | None
    today: str
    departments: list[DepartmentStatus]

    @property
    def missing(self) -> list[str]:
        """Departments that have not returned their report."""
        return [d.dept_id for d in self.departments if d.state == "missing"]

    @property
    def late(self) -> list[str]:
        return [d.dept_id for d in self.departments if d.late]

    @property
    def frame(self) -> pd.DataFrame:
        """One row per department (the fields of :class:`DepartmentStatus`, no problems)."""
        rows = [{k: v for k, v in asdict(d).items() if k != "problems"} for d in self.departments]
        return pd.DataFrame(rows, columns=[f for f in DepartmentStatus.__dataclass_fields__][:-1])

    def to_dict(self) -> dict:
        """Plain data for ``--json``."""
        return {
            "plan": str(self.plan),
            "year": self.year,
            "deadline": self.deadline,
            "today": self.today,
            "missing": self.missing,
            "late": self.late,
            "departments": [asdict(d) for d in self.departments],
        }


# ------------------------------------------------------------------------------ deadline

_FULL = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")
_MONTH_DAY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})$")


def _ascii_digits(text: str) -> str:
    from persiantools import digits

    return digits.fa_to_en(digits.ar_to_fa(text))


def due_date(deadline: object, year: int, calendar: str) -> tuple[int, int, int] | None:
    """The day ``year``'s reports are due, as ``(y, m, d)`` in the plan's calendar, or None.

    Raises
    ------
    InputFileError
        If the setting is neither ``MM-DD`` nor ``YYYY-MM-DD``.
    """
    if isinstance(deadline, dt.datetime | dt.date):
        return (deadline.year, deadline.month, deadline.day)
    text = clean_text(deadline)
    if text is None:
        return None
    text = _ascii_digits(text)
    full, short = _FULL.match(text), _MONTH_DAY.match(text)
    if full:
        parts = tuple(int(g) for g in full.groups())
    elif short:
        parts = (year + 1, int(short[1]), int(short[2]))
    else:
        raise InputFileError(
            f"plan setting deadline {text!r} is not a date; write MM-DD (e.g. 03-31: the "
            "reports of a year are due on that day of the next year) or YYYY-MM-DD"
        )
    try:
        _to_gregorian(parts, calendar)
    except ValueError:
        raise InputFileError(f"plan setting deadline {text!r} is not a valid date") from None
    return parts  # type: ignore[return-value]


def _to_gregorian(parts: tuple[int, ...], calendar: str) -> dt.date:
    if calendar == "jalali":
        from persiantools.jdatetime import JalaliDate

        return JalaliDate(*parts).to_gregorian()
    return dt.date(*parts)


def _local_date(iso: str | None) -> dt.date | None:
    if not iso:
        return None
    return dt.datetime.fromisoformat(iso).astimezone().date()


# ------------------------------------------------------------------------------ the board


def _mtime(path: Path) -> str:
    stamp = dt.datetime.fromtimestamp(path.stat().st_mtime, dt.UTC)
    return stamp.isoformat(timespec="seconds")


def _values_filled(raw: RawTable) -> int:
    frame = raw.frame
    if "indicator_id" not in frame.columns or "value" not in frame.columns:
        return 0
    count = 0
    for ind, value in zip(frame["indicator_id"], frame["value"], strict=True):
        try:
            number = parse_number(value)
        except NotANumberError:
            continue
        count += bool(clean_text(ind)) and not math.isnan(number)
    return count


def _validated(tables: dict, reports: list[ReportTable]) -> ValidatedPlan:
    """Validate the year's reports; if some have errors, the others again for their warnings."""
    result = validate_tables(tables, reports)
    bad = {p.file for p in result.problems}
    if bad:
        clean = [r for r in reports if r.raw.label not in bad]
        result.warnings = validate_tables(tables, clean).warnings
    return result


def _audit_times(plan: Path, year: int) -> dict[str, list[tuple[str, dict]]]:
    """report path → [(time, record)] of the audit records that touched it in ``year``."""
    out: dict[str, list[tuple[str, dict]]] = {}
    for record in read_log(plan):
        if record.get("year") != year:
            continue
        for rel in record.get("paths", {}):
            out.setdefault(rel, []).append((record.get("time") or "", record))
    return out


def _fill_report(
    status: DepartmentStatus,
    report: ReportFile,
    result: ValidatedPlan,
    raw: RawTable | None,
    audit_times: dict[str, list[tuple[str, dict]]],
) -> None:
    status.returned = report.label
    status.sha256 = sha256_file(report.path)
    errors = [p for p in result.problems if p.file == report.label]
    warnings = [p for p in result.warnings if p.file == report.label]
    status.errors, status.warnings = len(errors), len(warnings)
    status.state = "errors" if errors else ("warnings" if warnings else "valid")
    status.problems = [str(p) for p in errors + warnings]
    status.values_filled = _values_filled(raw) if raw is not None else 0
    touched = audit_times.get(report.label, [])
    written = [t for t, r in touched if r["paths"][report.label].get("after") == status.sha256]
    status.returned_at = written[-1] if written else _mtime(report.path)
    status.last_change = max([t for t, _ in touched] + [status.returned_at])


def _read_reports(reports: list[ReportFile]) -> tuple[list[ReportTable], dict[str, RawTable]]:
    tables, raws = [], {}
    for report in reports:
        try:
            raw = read_report(report)
        except InputFileError as exc:
            message = str(exc).split(": ", 1)[-1]
            raw = RawTable(
                pd.DataFrame(), report.label, problems=[Problem(report.label, None, None, message)]
            )
        raws[report.label] = raw
        tables.append(ReportTable(raw, report.year_text, report.dept_text))
    return tables, raws


def collection_status(
    plan_path: str | os.PathLike[str],
    year: int,
    *,
    templates_dir: str | os.PathLike[str] | None = None,
    today: dt.date | None = None,
) -> CollectionStatus:
    """The collection board of ``year``.

    Parameters
    ----------
    plan_path : path-like
        The plan folder.
    year : int
        The report year being collected.
    templates_dir : path-like, optional
        Where ``planmon template`` wrote the templates; default ``reports/templates``.
    today : date, optional
        The date to judge lateness by (default: today).

    Raises
    ------
    PlanValidationError
        If the plan tables themselves are invalid (reports with errors are shown, not raised).
    """
    year = whole_year(year)
    files = discover(Path(plan_path))
    tables, problems = read_plan_tables(files)
    base = validate_tables(tables, [], earlier=[p for p in problems if p.severity == "error"])
    if base.problems:
        raise PlanValidationError(base.problems, base.warnings)
    calendar = base.meta.get("calendar") or "jalali"
    due = due_date(base.meta.get("deadline"), year, calendar)
    deadline = _to_gregorian(due, calendar) if due else None
    today = today or dt.date.today()
    existing = existing_reports(files, year)
    reports, raws = _read_reports([r for rs in existing.values() for r in rs])
    result = _validated(tables, reports)
    board = _board(files.folder, year, base, existing, result, raws, templates_dir, files)
    for status in board:
        returned = _local_date(status.returned_at) if status.state != "missing" else None
        status.late = deadline is not None and (
            (returned is None and today > deadline)
            or (returned is not None and returned > deadline)
        )
    label = "-".join(f"{p:02d}" for p in due) if due else None
    return CollectionStatus(files.folder, year, label, today.isoformat(), board)


def _board(
    folder, year, base, existing, result, raws, templates_dir, files
) -> list[DepartmentStatus]:
    identity = plan_identity(files)
    templates_root = Path(templates_dir) if templates_dir else config.REPORTS / "templates"
    manifest = read_manifest(templates_root, year)
    audit_times = _audit_times(folder, year)
    counts = base.indicators["dept_id"].value_counts()
    board = []
    for dept in base.departments.itertuples(index=False):
        if not counts.get(dept.dept_id):
            continue  # nothing to report
        status = DepartmentStatus(
            dept.dept_id, dept.name_fa, dept.name_en, int(counts[dept.dept_id])
        )
        entry = manifest.get(dept.dept_id)
        if entry and entry.get("plan_id") in (None, identity.plan_id):
            status.template = str(templates_root / str(year) / str(entry.get("file")))
            status.template_written = entry.get("written")
        for report in existing.get(dept.dept_id, []):
            _fill_report(status, report, result, raws.get(report.label), audit_times)
        board.append(status)
    return board
