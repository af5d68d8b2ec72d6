"""Adding departments' returned annual reports to a plan folder, safely.

``planmon ingest`` is the one place where planmon writes into a plan (see
``docs/data-contract.md``). It is all-or-nothing:

1. **Check the files** given: readable, not too large, ``.xlsx``/``.csv``, named
   ``<dept_id>.<ext>`` with an id that is a simple slug (so it can never name another path).
2. **Stage** a view of the plan as it would be: the plan tables and every current report
   (hard links, or copies across file systems) plus the new files, in a temporary folder, and
   run planmon's full validation on it. Any error and nothing is written.
3. **Commit**: write each file to ``<plan>/reports/<year>/<dept_id>.<ext>`` atomically (the
   exact bytes that were validated). An existing report is only replaced with
   ``replace=True``, and its previous version is kept beside it in
   ``reports/<year>/.previous/<dept_id>.<UTC timestamp>.<ext>`` (a hidden folder the loader
   ignores). If writing fails halfway, what was written is rolled back.

The result lists, per indicator, what changed against the previous version of the report.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from planmon.core.exceptions import InputFileError, PlanmonError, PlanValidationError, Problem
from planmon.core.schema import is_slug
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.atomic import atomic_write_bytes
from planmon.io.plan_files import REPORT_SUFFIXES, PlanFiles, ReportFile, discover, read_report
from planmon.io.read import MAX_INPUT_BYTES
from planmon.plan.model import Plan, load

__all__ = ["IngestResult", "CHANGE_KINDS", "PREVIOUS_FOLDER", "ingest"]

#: Kinds of change of one indicator's value against the previous version of the report.
#: ``new``: the indicator had no row before; ``corrected``: a different value (or a value where
#: there was a blank); ``removed``: a value (or row) that is no longer there; ``unchanged``.
CHANGE_KINDS = ("new", "corrected", "removed", "unchanged")
#: Hidden folder inside ``reports/<year>/`` that keeps replaced versions.
PREVIOUS_FOLDER = ".previous"
_CHANGE_COLUMNS = ["dept_id", "indicator_id", "change", "old_value", "new_value"]


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
        Kept earlier versions (``reports/<year>/.previous/…``).
    identical : list of Path
        Reports that were already in the plan with exactly the same content (nothing written).
    changes : DataFrame
        One row per department and indicator: ``dept_id``, ``indicator_id``, ``change`` (one of
        :data:`CHANGE_KINDS`), ``old_value``, ``new_value`` (float, NaN = blank or absent).
    warnings : list of Problem
        Warnings of the validation that concern the new reports (suspicious values, gaps).
    """

    year: int
    written: list[Path] = field(default_factory=list)
    previous: list[Path] = field(default_factory=list)
    identical: list[Path] = field(default_factory=list)
    changes: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_CHANGE_COLUMNS))
    warnings: list[Problem] = field(default_factory=list)

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


@dataclass(frozen=True)
class _Incoming:
    source: Path
    dept_id: str
    suffix: str
    data: bytes


# ------------------------------------------------------------------------------ step 1: files


def _read_incoming(files: Iterable[str | os.PathLike[str]]) -> list[_Incoming]:
    sources = [Path(f) for f in files]
    if not sources:
        raise InputFileError("no report files given; pass the returned <dept_id>.xlsx files")
    messages: list[str] = []
    incoming: list[_Incoming] = []
    seen: dict[str, Path] = {}
    for source in sources:
        suffix = source.suffix.lower()
        dept = source.stem
        if suffix not in REPORT_SUFFIXES:
            messages.append(f"{source}: is not a report; reports are .xlsx or .csv files")
            continue
        if not is_slug(dept):
            messages.append(
                f"{source}: file name {dept!r} is not a department id; keep the template's "
                "name <dept_id>.xlsx (letters A-Z a-z, digits, _ and -)"
            )
            continue
        if dept in seen:
            messages.append(f"{source}: a second file for department {dept!r} (also {seen[dept]})")
            continue
        seen[dept] = source
        try:
            if not source.is_file():
                messages.append(f"{source}: file not found")
                continue
            size = source.stat().st_size
            if size > MAX_INPUT_BYTES:
                messages.append(
                    f"{source}: file is {size / 1e6:.0f} MB, more than the "
                    f"{MAX_INPUT_BYTES // 2**20} MiB planmon accepts for one report; check it is "
                    "the right file"
                )
                continue
            with open(source, "rb") as handle:
                # Read once, with a bound, so a file growing meanwhile cannot exceed the limit
                # and the bytes validated are the bytes written.
                data = handle.read(MAX_INPUT_BYTES + 1)
        except OSError as exc:
            messages.append(f"{source}: cannot be read ({exc.strerror})")
            continue
        if len(data) > MAX_INPUT_BYTES:
            messages.append(f"{source}: file grew beyond {MAX_INPUT_BYTES // 2**20} MiB")
            continue
        incoming.append(_Incoming(source, dept, suffix, data))
    if messages:
        raise InputFileError("nothing was ingested:\n" + "\n".join(messages))
    return incoming


def _year_of(text: str) -> int | None:
    try:
        number = parse_number(text)
    except NotANumberError:
        return None
    return int(number) if number.is_integer() else None


def _existing(files: PlanFiles, year: int) -> dict[str, list[ReportFile]]:
    """dept_id → the plan's current report files for ``year`` (Persian-digit folders too)."""
    out: dict[str, list[ReportFile]] = {}
    for report in files.reports:
        if _year_of(report.year_text) == year:
            out.setdefault(report.dept_text, []).append(report)
    return out


def _year_folder(files: PlanFiles, year: int) -> Path:
    """The folder that holds ``year``'s reports: an existing one (``۱۳۹۹``) or ``<year>``."""
    root = files.folder / "reports"
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if (
                folder.is_dir()
                and not folder.name.startswith(".")
                and (_year_of(folder.name) == year)
            ):
                return folder
    return root / str(year)


# ---------------------------------------------------------------------------- step 2: staging


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:  # another file system, or links not supported
        shutil.copyfile(source, target)


def _stage(
    files: PlanFiles,
    stage: Path,
    year_folder: Path,
    incoming: list[_Incoming],
    replaced: set[Path],
) -> list[str]:
    """Build the plan as it would be in ``stage``; return the new reports' labels."""
    for path in files.paths:
        if path not in replaced:
            _link_or_copy(path, stage / path.relative_to(files.folder))
    labels = []
    for item in incoming:
        target = stage / year_folder.relative_to(files.folder) / f"{item.dept_id}{item.suffix}"
        target.parent.mkdir(parents=True, exist_ok=True)
        # Never write through a hard link into the real plan: drop any staged link first.
        target.unlink(missing_ok=True)
        target.write_bytes(item.data)
        labels.append(target.relative_to(stage).as_posix())
    return labels


def _validate_staged(stage: Path, files: PlanFiles) -> Plan:
    # Discovery errors of the real folder (a stray file in reports/) are not staged; keep them.
    earlier = [p for p in files.problems if p.severity == "error"]
    try:
        plan = load(stage, cache=False)
    except PlanValidationError as exc:
        raise PlanValidationError(exc.problems + earlier, exc.warnings) from None
    if earlier:
        raise PlanValidationError(earlier, plan.warnings)
    return plan


# ------------------------------------------------------------------------------ step 3: changes


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


def _changes(dept_id: str, old: dict[str, float], new: dict[str, float]) -> list[dict[str, object]]:
    rows = []
    for ind in [*new, *(i for i in old if i not in new)]:
        before, after = old.get(ind), new.get(ind)
        rows.append(
            {
                "dept_id": dept_id,
                "indicator_id": ind,
                "change": _change(before, after),
                "old_value": math.nan if before is None else before,
                "new_value": math.nan if after is None else after,
            }
        )
    return rows


# ------------------------------------------------------------------------------- step 4: commit


def _timestamp() -> str:
    return dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def _previous_path(folder: Path, dept_id: str, stamp: str, suffix: str) -> Path:
    keep = folder / PREVIOUS_FOLDER / f"{dept_id}.{stamp}{suffix}"
    n = 1
    while keep.exists():
        keep = folder / PREVIOUS_FOLDER / f"{dept_id}.{stamp}-{n}{suffix}"
        n += 1
    return keep


def _commit(
    year_folder: Path,
    to_write: list[tuple[_Incoming, list[ReportFile]]],
    result: IngestResult,
) -> None:
    undo: list[Callable[[], None]] = []
    created = [p for p in (year_folder, year_folder / PREVIOUS_FOLDER) if not p.exists()]
    stamp = _timestamp()
    try:
        for item, olds in to_write:
            target = year_folder / f"{item.dept_id}{item.suffix}"
            kept: dict[Path, Path] = {}
            for old in olds:
                keep = _previous_path(year_folder, item.dept_id, stamp, old.path.suffix)
                _link_or_copy(old.path, keep)
                undo.append(keep.unlink)
                kept[old.path] = keep
                result.previous.append(keep)
            atomic_write_bytes(target, item.data)
            if target in kept:
                backup = kept[target]
                undo.append(lambda t=target, b=backup: atomic_write_bytes(t, b.read_bytes()))
            else:
                undo.append(target.unlink)
            result.written.append(target)
            for old_path, keep in kept.items():
                if old_path != target:  # e.g. services.csv replaced by services.xlsx
                    old_path.unlink()
                    undo.append(lambda o=old_path, k=keep: _link_or_copy(k, o))
    except OSError as exc:
        for action in reversed(undo):
            with contextlib.suppress(OSError):
                action()
        for folder in reversed(created):
            with contextlib.suppress(OSError):
                folder.rmdir()
        result.written.clear()
        result.previous.clear()
        raise PlanmonError(
            f"could not write into {year_folder} ({exc.strerror or exc}); nothing was changed"
        ) from None


# ------------------------------------------------------------------------------------ ingest


def ingest(
    files: Iterable[str | os.PathLike[str]],
    year: int,
    plan_path: str | os.PathLike[str],
    replace: bool = False,
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
        Replace a report already in the plan for the same department and year; its previous
        version is kept in ``reports/<year>/.previous/``. A file identical to the report already
        there is accepted without ``replace`` and nothing is written.

    Returns
    -------
    IngestResult
        Files written and kept, and the per-indicator changes against the previous version.

    Raises
    ------
    InputFileError
        If the plan folder or a file cannot be read at all (missing, too large, wrong type or
        name). Nothing is written.
    PlanValidationError
        If the plan with the new reports would not validate (a damaged workbook, an unknown
        indicator, a value that is not a number…). Nothing is written.
    PlanmonError
        If a report exists and ``replace`` is False, or writing failed (rolled back).
    """
    if isinstance(year, bool) or not float(year).is_integer():
        raise InputFileError(f"year {year!r} is not a whole number")
    year = int(year)
    plan_files = discover(Path(plan_path))
    incoming = _read_incoming(files)
    existing = _existing(plan_files, year)
    year_folder = _year_folder(plan_files, year)
    result = IngestResult(year=year)

    to_write: list[tuple[_Incoming, list[ReportFile]]] = []
    refused: list[str] = []
    for item in incoming:
        olds = existing.get(item.dept_id, [])
        same = [r for r in olds if r.path.name == f"{item.dept_id}{item.suffix}"]
        if len(olds) == 1 and same and same[0].path.read_bytes() == item.data:
            result.identical.append(same[0].path)
        elif olds and not replace:
            refused.append(", ".join(r.label for r in olds))
        else:
            to_write.append((item, olds))
    if refused:
        raise PlanmonError(
            "a report for this year is already in the plan: "
            + "; ".join(refused)
            + ". Nothing was ingested; to replace it use replace=True (planmon ingest --replace);"
            f" the current version is then kept in reports/{year}/{PREVIOUS_FOLDER}/"
        )

    replaced = {r.path for item in incoming for r in existing.get(item.dept_id, [])}
    with tempfile.TemporaryDirectory(prefix="planmon-ingest-") as tmp:
        stage = Path(tmp) / "plan"
        labels = _stage(plan_files, stage, year_folder, incoming, replaced)
        staged = _validate_staged(stage, plan_files)
        actuals = staged.actuals[staged.actuals["year"] == year]

    rows: list[dict[str, object]] = []
    for item in incoming:
        mine = actuals[actuals["dept_id"] == item.dept_id]
        new = dict(zip(mine["indicator_id"], mine["value"].astype(float), strict=True))
        rows += _changes(item.dept_id, _old_values(existing.get(item.dept_id, [])), new)
    result.changes = pd.DataFrame(rows, columns=_CHANGE_COLUMNS).astype(
        {"old_value": "float64", "new_value": "float64"}
    )
    year_label = year_folder.relative_to(plan_files.folder).as_posix() + "/"
    result.warnings = [w for w in staged.warnings if w.file in labels or w.file == year_label]
    if to_write:
        _commit(year_folder, to_write, result)
    return result
