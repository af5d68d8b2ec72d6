"""Returned files on their way into a plan: read, staged beside the plan, validated, explained.

Shared by ``planmon ingest`` (:mod:`planmon.collect.ingest`) and ``planmon check-return``
(:mod:`planmon.collect.feedback`), so both judge a returned workbook the same way:

1. :func:`read_incoming` checks each file (readable, not too large, ``.xlsx``/``.csv``, named
   ``<dept_id>.<ext>`` with a simple id) and reads its bytes and template metadata once.
2. :func:`stage_view` builds the plan as it would be, in a work folder: hard links (or copies)
   of the plan tables and current reports, plus the new files.
3. :func:`validate_view` runs planmon's full validation on it.
4. :func:`explain_problems` moves every problem of a new file to the file the user passed, with
   the cell in A1 style and the fix (:mod:`planmon.collect.explain`).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planmon.collect.explain import Explained, SheetIndex, explain, wrong_column_warnings
from planmon.collect.guard import (
    Refusal,
    TemplateMetadata,
    check_metadata,
    plan_identity,
    read_metadata,
)
from planmon.core.exceptions import InputFileError, PlanValidationError, Problem
from planmon.core.schema import is_slug, parse_year
from planmon.io.plan_files import REPORT_SUFFIXES, PlanFiles, ReportFile
from planmon.io.read import MAX_INPUT_BYTES
from planmon.plan.load import load
from planmon.plan.model import Plan

__all__ = [
    "Incoming",
    "read_incoming",
    "year_of",
    "existing_reports",
    "year_folder_for",
    "stage_view",
    "validate_view",
    "explain_problems",
    "summarise_missing_reports",
    "whole_year",
    "metadata_findings",
]


@dataclass
class Incoming:
    """One returned file, read.

    Attributes
    ----------
    source : Path
        The file as given.
    label : str
        How messages name it: the path exactly as the user passed it.
    dept_id, suffix : str
        From the file name (``fire.xlsx`` → ``fire``, ``.xlsx``).
    data : bytes
        Its content, read once (the bytes validated are the bytes written).
    metadata : TemplateMetadata or None
        The template's hidden facts; ``metadata_reason`` says why they are absent.
    staged : Path or None
        Where the file sits in the staged view, once staged.
    """

    source: Path
    label: str
    dept_id: str
    suffix: str
    data: bytes
    metadata: TemplateMetadata | None = None
    metadata_reason: str | None = None
    staged: Path | None = field(default=None, repr=False)


def _check_name(source: Path, seen: dict[str, Path]) -> str | None:
    suffix, dept = source.suffix.lower(), source.stem
    if suffix not in REPORT_SUFFIXES:
        return f"{source}: is not a report; reports are .xlsx or .csv files"
    if not is_slug(dept):
        return (
            f"{source}: file name {dept!r} is not a department id; keep the template's "
            "name <dept_id>.xlsx (letters A-Z a-z, digits, _ and -)"
        )
    if dept in seen:
        return f"{source}: a second file for department {dept!r} (also {seen[dept]})"
    seen[dept] = source
    return None


def _read_bytes(source: Path) -> bytes | str:
    """The file's bytes, or the message saying why it cannot be used."""
    limit = MAX_INPUT_BYTES // 2**20
    try:
        if not source.is_file():
            return f"{source}: file not found"
        size = source.stat().st_size
        if size > MAX_INPUT_BYTES:
            return (
                f"{source}: file is {size / 1e6:.0f} MB, more than the {limit} MiB planmon "
                "accepts for one report; check it is the right file"
            )
        with open(source, "rb") as handle:
            # Read once, with a bound, so a file growing meanwhile cannot exceed the limit.
            data = handle.read(MAX_INPUT_BYTES + 1)
    except OSError as exc:
        return f"{source}: cannot be read ({exc.strerror})"
    if len(data) > MAX_INPUT_BYTES:
        return f"{source}: file grew beyond {limit} MiB"
    return data


def read_incoming(files: Iterable[str | os.PathLike[str]]) -> list[Incoming]:
    """Check and read the returned files.

    Raises
    ------
    InputFileError
        Listing every file that cannot be used at all; nothing is read further.
    """
    sources = [Path(f) for f in files]
    if not sources:
        raise InputFileError("no report files given; pass the returned <dept_id>.xlsx files")
    messages: list[str] = []
    incoming: list[Incoming] = []
    seen: dict[str, Path] = {}
    for source, given in zip(sources, files, strict=True):
        message = _check_name(source, seen)
        data = _read_bytes(source) if message is None else message
        if isinstance(data, str):
            messages.append(data)
            continue
        item = Incoming(source, os.fspath(given), source.stem, source.suffix.lower(), data)
        if item.suffix == ".xlsx":
            item.metadata, item.metadata_reason = read_metadata(source)
        incoming.append(item)
    if messages:
        raise InputFileError("nothing was ingested:\n" + "\n".join(messages))
    return incoming


def whole_year(year: object) -> int:
    """``year`` as an int; raises InputFileError for anything but a whole number."""
    try:
        ok = not isinstance(year, bool) and float(year).is_integer()  # type: ignore[arg-type]
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise InputFileError(f"year {year!r} is not a whole number")
    return int(year)  # type: ignore[call-overload]


def year_of(text: str) -> int | None:
    """The year a folder name means (``1400``, ``۱۴۰۰``), or None (``+1,397.0%``,
    ``13.98e2``: as the plan's own reading, :func:`planmon.core.schema.parse_year`)."""
    return parse_year(text)


def metadata_findings(
    incoming: list[Incoming], year: int, files: PlanFiles, force: frozenset[str] = frozenset()
) -> Iterator[tuple[Incoming, list[Refusal], list[Problem]]]:
    """For each returned workbook, the guard's refusals and warnings about its hidden template
    facts (year, department, plan); a CSV carries no facts and is passed over."""
    identity = plan_identity(files)
    for item in incoming:
        if item.suffix != ".xlsx":
            continue
        refusals, warnings = check_metadata(
            item.label,
            item.metadata,
            item.metadata_reason,
            year=year,
            dept_id=item.dept_id,
            identity=identity,
            force=force,
        )
        yield item, refusals, warnings


def existing_reports(files: PlanFiles, year: int) -> dict[str, list[ReportFile]]:
    """dept_id → the plan's current report files for ``year`` (Persian-digit folders too)."""
    out: dict[str, list[ReportFile]] = {}
    for report in files.reports:
        if year_of(report.year_text) == year:
            out.setdefault(report.dept_text, []).append(report)
    return out


def year_folder_for(files: PlanFiles, year: int) -> Path:
    """The folder that holds ``year``'s reports: an existing one (``۱۳۹۹``) or ``<year>``."""
    root = files.folder / "reports"
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if folder.is_dir() and not folder.name.startswith(".") and year_of(folder.name) == year:
                return folder
    return root / str(year)


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not supported
        shutil.copyfile(source, target)


def stage_view(
    files: PlanFiles, view: Path, year_folder: Path, incoming: list[Incoming], replaced: set[Path]
) -> None:
    """Build the plan as it would be in ``view``; sets each item's ``staged`` path."""
    for path in files.paths:
        if path not in replaced:
            _link_or_copy(path, view / path.relative_to(files.folder))
    for item in incoming:
        target = view / year_folder.relative_to(files.folder) / f"{item.dept_id}{item.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        # Never write through a hard link into the real plan: drop any staged link first.
        target.unlink(missing_ok=True)
        target.write_bytes(item.data)
        item.staged = target


def validate_view(view: Path, files: PlanFiles) -> Plan:
    """Validate the staged view; discovery errors of the real folder count too.

    Raises
    ------
    PlanValidationError
        With the problems labelled as in the view (``reports/1400/fire.xlsx``).
    """
    earlier = [p for p in files.problems if p.severity == "error"]
    try:
        plan = load(view, cache=False)
    except PlanValidationError as exc:
        raise PlanValidationError(exc.problems + earlier, exc.warnings) from None
    if earlier:
        raise PlanValidationError(earlier, plan.warnings)
    return plan


def explain_problems(
    problems: list[Problem], incoming: list[Incoming], view: Path
) -> tuple[list[Problem], dict[str, list[Explained]]]:
    """Relocate the problems of new files to the files the user passed.

    Returns
    -------
    (list of Problem, dict)
        Every problem (those of new files relocated, with cell and fix; others unchanged), and
        per new file (its label) its explained problems, numbers typed in the wrong column
        included.
    """
    by_label = {item.staged.relative_to(view).as_posix(): item for item in incoming if item.staged}
    indexes = {
        item.label: SheetIndex.of_file(item.staged, item.label) for item in by_label.values()
    }
    explained: dict[str, list[Explained]] = {item.label: [] for item in by_label.values()}
    out: list[Problem] = []
    for problem in problems:
        item = by_label.get(problem.file)
        if item is None:
            out.append(problem)
            continue
        told = explain(problem, item.label, indexes[item.label])
        explained[item.label].append(told)
        out.append(told.problem)
    for label, index in indexes.items():
        if index is None:
            continue
        for problem in wrong_column_warnings(label, index):
            told = explain(problem, label, index)
            explained[label].append(told)
            out.append(told.problem)
    return out, explained


def summarise_missing_reports(warnings: list[Problem], year: int) -> list[Problem]:
    """One warning for the departments that sent no report for ``year``, not one each."""
    missing = [w for w in warnings if "sent no report for" in w.message]
    if len(missing) <= 1:
        return warnings
    names = [w.message.split("'")[1] if "'" in w.message else "?" for w in missing]
    listed = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
    summary = Problem(
        missing[0].file,
        None,
        None,
        f"{len(missing)} departments have not reported for {year} yet ({listed}); "
        f"`planmon status --year {year}` lists them",
        "warning",
    )
    rest = [w for w in warnings if w not in missing]
    return [summary, *rest]
