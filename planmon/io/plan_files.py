"""Finding and reading the files of a plan folder (the only place that knows the layout).

Only the plan's own files are read: a symbolic link that leads out of the plan folder is
refused, with a located error, and never followed (not even for hashing).
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from planmon.core.exceptions import InputFileError, Problem
from planmon.core.schema import PLAN_TABLES, canonical_table
from planmon.io.journal import recover_if_needed
from planmon.io.limits import hash_file
from planmon.io.read import RawTable, first_sheet_table, read_csv_table, sheet_tables

__all__ = [
    "PlanFiles",
    "ReportFile",
    "REPORT_SUFFIXES",
    "discover",
    "read_plan_tables",
    "read_report",
    "content_hash",
    "is_inside",
]

REPORT_SUFFIXES = (".xlsx", ".csv")
_OUTSIDE = (
    "is a link that leads out of the plan folder; planmon reads only the plan's own files: "
    "copy it into the plan instead"
)


@dataclass(frozen=True)
class ReportFile:
    """One annual performance report: ``reports/<year>/<dept_id>.<ext>``."""

    path: Path
    label: str
    year_text: str
    dept_text: str


@dataclass
class PlanFiles:
    """Every input file of a plan folder, found but not yet read."""

    folder: Path
    workbook: Path | None
    csv_tables: dict[str, Path]
    reports: list[ReportFile]
    problems: list[Problem] = field(default_factory=list)

    @property
    def paths(self) -> list[Path]:
        """Every input file, in a stable order (used for the content hash)."""
        out = [self.workbook] if self.workbook else []
        out += [self.csv_tables[k] for k in sorted(self.csv_tables)]
        out += [r.path for r in self.reports]
        return out

    def label(self, path: Path) -> str:
        return path.relative_to(self.folder).as_posix()


def is_inside(path: Path, root: Path) -> bool:
    """True if ``path``, with every link followed, is ``root`` or inside it (``root`` resolved)."""
    try:
        return path.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a link loop
        return False


def _csv_tables(folder: Path, root: Path, problems: list[Problem]) -> dict[str, Path]:
    """``plan/*.csv`` named after a table; a second file for one table is an error."""
    csv_dir = folder / "plan"
    tables: dict[str, Path] = {}
    if not csv_dir.is_dir():
        return tables
    if not is_inside(csv_dir, root):
        problems.append(Problem("plan/", None, None, _OUTSIDE))
        return tables
    for path in sorted(csv_dir.glob("*.csv")):
        label = path.relative_to(folder).as_posix()
        name = canonical_table(path.stem)
        if name is None:
            continue
        if not is_inside(path, root):
            problems.append(Problem(label, None, None, _OUTSIDE))
        elif name in tables:
            problems.append(
                Problem(
                    label,
                    None,
                    None,
                    f"a second {name} table (plan/{tables[name].name} is "
                    "one already); keep one file per table",
                )
            )
        else:
            tables[name] = path
    return tables


def _report_files(folder: Path, root: Path, problems: list[Problem]) -> list[ReportFile]:
    """``reports/<year>/<file>``: spreadsheets are reports, anything else is an error."""
    reports: list[ReportFile] = []
    report_root = folder / "reports"
    if not report_root.is_dir():
        return reports
    if not is_inside(report_root, root):
        problems.append(Problem("reports/", None, None, _OUTSIDE))
        return reports
    for year_dir in sorted(p for p in report_root.iterdir() if not p.name.startswith(".")):
        if not year_dir.is_dir():
            continue
        if not is_inside(year_dir, root):
            problems.append(Problem(f"reports/{year_dir.name}/", None, None, _OUTSIDE))
            continue
        with os.scandir(year_dir) as found:
            entries = sorted(found, key=lambda e: e.name)
        for entry in entries:
            # Hidden files, Excel lock files (~$x.xlsx) and kept previous versions are not input.
            if entry.name.startswith((".", "~$")) or not entry.is_file():
                continue
            path = year_dir / entry.name
            label = f"reports/{year_dir.name}/{entry.name}"
            # a file that is no link, in a folder inside the plan, is inside (no resolve needed)
            if entry.is_symlink() and not is_inside(path, root):
                problems.append(Problem(label, None, None, _OUTSIDE))
            elif path.suffix.lower() not in REPORT_SUFFIXES:
                problems.append(
                    Problem(
                        label, None, None, "is not a spreadsheet; reports must be .xlsx or .csv"
                    )
                )
            else:
                reports.append(ReportFile(path, label, year_dir.name, path.stem))
    return reports


def discover(folder: Path) -> PlanFiles:
    """List a plan folder's input files.

    Raises
    ------
    InputFileError
        If ``folder`` is not a folder, holds neither ``plan.xlsx`` nor ``plan/*.csv``, or its
        ``plan.xlsx`` is a link out of the folder.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(
            f"{folder}: plan folder not found; give the folder that holds plan.xlsx "
            "(or run `planmon sample --out FOLDER` to create an example)"
        )
    # An ingest killed mid-commit is finished first, so a reader sees the old or the new plan.
    recover_if_needed(folder)
    root = folder.resolve()
    problems: list[Problem] = []
    workbook = folder / "plan.xlsx"
    csv_tables = _csv_tables(folder, root, problems)
    if workbook.is_file():
        if not is_inside(workbook, root):
            raise InputFileError(f"{workbook}: {_OUTSIDE}")
        if csv_tables:
            problems.append(
                Problem(
                    "plan/", None, None, "ignored: plan.xlsx is used when both exist", "warning"
                )
            )
            csv_tables = {}
    elif csv_tables or problems:
        workbook = None
    else:
        raise InputFileError(
            f"{folder}: no plan.xlsx and no plan/*.csv tables; see docs/data-contract.md "
            "(or run `planmon sample --out FOLDER` to create an example)"
        )
    reports = _report_files(folder, root, problems)
    return PlanFiles(folder, workbook, csv_tables, reports, problems)


def _strip_label(message: str, label: str) -> str:
    prefix = f"{label}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def read_plan_tables(files: PlanFiles) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the plan tables (``plan`` meta sheet included when present).

    Returns the tables and the problems met: a table that cannot be read, or is missing, is
    absent from the tables with one error; the workbook's warnings (a hidden sheet) are listed
    too, while the warnings about one table stay on its ``problems``.
    """
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    if files.workbook is not None:
        label = files.label(files.workbook)
        try:
            tables, found = sheet_tables(files.workbook, label)
        except InputFileError as exc:
            return {}, [Problem(label, None, None, _strip_label(str(exc), label))]
        problems += found
        where = label
    else:
        for name, path in files.csv_tables.items():
            label = files.label(path)
            try:
                tables[name] = read_csv_table(path, label)
            except InputFileError as exc:
                problems.append(Problem(label, None, None, _strip_label(str(exc), label)))
        where = "plan/"
    reported = [p.file for p in problems + files.problems if p.severity == "error"]
    for name, spec in PLAN_TABLES.items():
        if (
            spec.needed
            and name not in tables
            and not any(f.endswith(f"{name}.csv") for f in reported)
        ):
            hint = f"a sheet named {name!r}" if files.workbook else f"a file plan/{name}.csv"
            problems.append(Problem(where, None, None, f"table {name!r} is missing; add {hint}"))
    for table in tables.values():
        problems.extend(p for p in table.problems if p.severity == "error")
    return tables, problems


def read_report(report: ReportFile, *, as_frame: bool = True) -> RawTable:
    """Read one annual report file (first visible sheet of a workbook, or a CSV).

    ``as_frame=False`` returns the columns as lists (``frame`` None, see
    :attr:`~planmon.io.read.RawTable.cells`): cheaper when many reports are combined.

    Raises
    ------
    InputFileError
        If the file cannot be read at all (the message starts with the report's label).
    """
    if report.path.suffix.lower() == ".csv":
        return read_csv_table(report.path, report.label, as_frame=as_frame)
    return first_sheet_table(report.path, report.label, as_frame=as_frame)


def content_hash(paths: list[Path], root: Path, extra: str = "") -> str:
    """SHA-256 over the relative names and contents of ``paths`` (the parse cache key).

    Each file's size is checked before it is read, and it is read in chunks.

    Raises
    ------
    InputFileError
        If a file is larger than :data:`~planmon.io.limits.MAX_INPUT_BYTES` or unreadable.
    """
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        label = path.relative_to(root).as_posix()
        digest.update(label.encode() + b"\0")
        hash_file(digest, path, label)
        digest.update(b"\0")
    return digest.hexdigest()
