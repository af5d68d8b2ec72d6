"""Finding and reading the files of a plan folder (the only place that knows the layout)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from planmon.core.exceptions import InputFileError, Problem
from planmon.core.schema import PLAN_TABLES, canonical_table
from planmon.io.journal import recover_if_needed
from planmon.io.read import RawTable, read_csv_table, sheet_tables, table_from_rows

__all__ = ["PlanFiles", "ReportFile", "discover", "read_plan_tables", "read_report", "content_hash"]

REPORT_SUFFIXES = (".xlsx", ".csv")


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


def discover(folder: Path) -> PlanFiles:
    """List a plan folder's input files.

    Raises
    ------
    InputFileError
        If ``folder`` is not a folder or holds neither ``plan.xlsx`` nor ``plan/*.csv``.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(
            f"{folder}: plan folder not found; give the folder that holds plan.xlsx "
            "(or run `planmon sample --out FOLDER` to create an example)"
        )
    # An ingest killed mid-commit is finished first, so a reader sees the old or the new plan.
    recover_if_needed(folder)
    problems: list[Problem] = []
    workbook = folder / "plan.xlsx"
    csv_dir = folder / "plan"
    csv_tables: dict[str, Path] = {}
    if csv_dir.is_dir():
        for path in sorted(csv_dir.glob("*.csv")):
            name = canonical_table(path.stem)
            if name is not None:
                csv_tables[name] = path
    if workbook.is_file():
        if csv_tables:
            problems.append(
                Problem(
                    "plan/", None, None, "ignored: plan.xlsx is used when both exist", "warning"
                )
            )
            csv_tables = {}
    elif csv_tables:
        workbook = None
    else:
        raise InputFileError(
            f"{folder}: no plan.xlsx and no plan/*.csv tables; see docs/data-contract.md "
            "(or run `planmon sample --out FOLDER` to create an example)"
        )
    reports: list[ReportFile] = []
    report_root = folder / "reports"
    if report_root.is_dir():
        for year_dir in sorted(p for p in report_root.iterdir() if not p.name.startswith(".")):
            if not year_dir.is_dir():
                continue
            for path in sorted(year_dir.iterdir()):
                # Hidden files, Excel lock files (~$x.xlsx) and kept previous versions are not input.
                if path.name.startswith((".", "~$")) or not path.is_file():
                    continue
                label = path.relative_to(folder).as_posix()
                if path.suffix.lower() not in REPORT_SUFFIXES:
                    problems.append(
                        Problem(
                            label,
                            None,
                            None,
                            "is not a spreadsheet; reports must be .xlsx or .csv",
                        )
                    )
                    continue
                reports.append(ReportFile(path, label, year_dir.name, path.stem))
    return PlanFiles(folder, workbook if workbook else None, csv_tables, reports, problems)


def read_plan_tables(files: PlanFiles) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read the plan tables (``plan`` meta sheet included when present)."""
    problems: list[Problem] = []
    tables: dict[str, RawTable] = {}
    if files.workbook is not None:
        label = files.label(files.workbook)
        try:
            tables = sheet_tables(files.workbook, label)
        except InputFileError as exc:
            return {}, [Problem(label, None, None, _strip_label(str(exc), label))]
        where = label
    else:
        for name, path in files.csv_tables.items():
            label = files.label(path)
            try:
                tables[name] = table_from_rows(read_csv_table(path, label), label)
            except InputFileError as exc:
                problems.append(Problem(label, None, None, _strip_label(str(exc), label)))
        where = "plan/"
    for name in PLAN_TABLES:
        if name not in tables and not any(p.file.endswith(f"{name}.csv") for p in problems):
            hint = f"a sheet named {name!r}" if files.workbook else f"a file plan/{name}.csv"
            problems.append(Problem(where, None, None, f"table {name!r} is missing; add {hint}"))
    for table in tables.values():
        problems.extend(p for p in table.problems if p.severity == "error")
    return tables, problems


def read_report(report: ReportFile) -> RawTable:
    """Read one annual report file (first sheet of a workbook, or a CSV)."""
    if report.path.suffix.lower() == ".csv":
        return table_from_rows(read_csv_table(report.path, report.label), report.label)
    sheets = _workbook_first_sheet(report)
    return table_from_rows(sheets, report.label)


def _workbook_first_sheet(report: ReportFile) -> list[list[object]]:
    from planmon.io.read import read_workbook

    sheets = read_workbook(report.path, report.label)
    # A data-collection template carries its instructions on a second sheet; data is first.
    return next(iter(sheets.values()), [])


def _strip_label(message: str, label: str) -> str:
    prefix = f"{label}: "
    return message[len(prefix) :] if message.startswith(prefix) else message


def content_hash(paths: list[Path], root: Path, extra: str = "") -> str:
    """SHA-256 over the relative names and contents of ``paths`` (the parse cache key)."""
    digest = hashlib.sha256(extra.encode())
    for path in paths:
        digest.update(path.relative_to(root).as_posix().encode() + b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()
