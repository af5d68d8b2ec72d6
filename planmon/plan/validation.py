"""Validation of a plan against the data contract, with every finding located.

Two passes, both lazy (every problem is collected before anything is reported):

1. **Per table**, a pandera schema checks what one table can know alone: required columns,
   empty cells, ids that are not simple slugs, numbers that are not numbers, words that are not
   accepted (``direction``, ``kind``, ``level``).
2. **Across tables**, plain pandas checks what needs more than one table: unknown ids, duplicate
   keys, a report row for another department's indicator, target years outside the plan, goal
   cycles, and the *warnings* for what is legal but suspicious.

Each finding is a :class:`~planmon.core.exceptions.Problem` with the file, the row number the analyst
sees in Excel (header = row 1) and the column as written in the file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa

from planmon.core.exceptions import Problem
from planmon.core.schema import (
    META_KEYS,
    PASSPORT_COLUMNS,
    PLAN_TABLES,
    REPORT_REFERENCE_COLUMNS,
    REPORT_SPEC,
    TableSpec,
    canonical_word,
    is_percentage_unit,
    is_slug,
)
from planmon.core.text import NotANumberError, clean_text, parse_number
from planmon.io.read import RawTable

__all__ = ["ReportTable", "ValidatedPlan", "validate_tables", "YEAR_RANGES"]

#: Plausible plan years: Jalali (solar Hijri) or Gregorian.
YEAR_RANGES = ((1300, 1500), (1900, 2100))
_WORD_COLUMNS = {
    "kind": "deputy, district or organization (معاونت، منطقه، سازمان)",
    "direction": "increase, decrease or maintain (افزایشی، کاهشی، بدون جهت)",
    "level": "input, output, outcome or impact (ورودی، خروجی، پیامد، اثر)",
}
_SPIKE_RATIO = 10.0


class _Invalid:
    """Marks a cell that failed to parse; keeps the text seen for the message."""

    __slots__ = ("seen",)

    def __init__(self, seen: object):
        self.seen = seen

    def __repr__(self) -> str:
        return repr(self.seen)


@dataclass
class ReportTable:
    """One annual report file as read, with the year and department its path names."""

    raw: RawTable
    year_text: str
    dept_text: str


@dataclass
class ValidatedPlan:
    """Typed frames of a plan that passed validation, and the warnings found on the way."""

    meta: dict
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    report_files: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------- pass 1: one table


def _parse_cells(raw: RawTable, spec: TableSpec) -> pd.DataFrame:
    """Clean text, parse numbers and words; unparseable cells become ``_Invalid``."""
    frame = raw.frame.copy()
    for column in frame.columns:
        values = frame[column].tolist()
        if column in spec.numeric or column in spec.integer:
            frame[column] = [_number_or_invalid(v) for v in values]
        elif column in _WORD_COLUMNS:
            frame[column] = [
                None if clean_text(v) is None else (canonical_word(column, v) or _Invalid(v))
                for v in values
            ]
        else:
            frame[column] = [clean_text(v) for v in values]
    return frame.astype(object)


def _number_or_invalid(value: object) -> object:
    try:
        number = parse_number(value)
    except NotANumberError:
        return _Invalid(value)
    return None if math.isnan(number) else number


def _is_year(value: object) -> bool:
    return (
        isinstance(value, float)
        and value.is_integer()
        and any(lo <= value <= hi for lo, hi in YEAR_RANGES)
    )


def _element(check, error: str) -> pa.Check:
    return pa.Check(lambda s: s.map(lambda v: v is None or check(v)).astype(bool), error=error)


def _schema(spec: TableSpec, present: Iterable[str]) -> pa.DataFrameSchema:
    columns: dict[str, pa.Column] = {}
    for name in spec.columns:
        required = name in spec.required
        if not required and name not in present:
            continue
        checks: list[pa.Check] = []
        if name in spec.ids:
            checks.append(
                _element(
                    is_slug,
                    "is not a simple id: use only letters A-Z a-z, digits, _ and - (at most 64)",
                )
            )
        if name in spec.integer:
            checks.append(
                _element(_is_year, "is not a year (expected a whole number like 1398 or 2024)")
            )
        elif name in spec.numeric:
            checks.append(_element(lambda v: isinstance(v, float), "is not a number"))
        if name in _WORD_COLUMNS:
            checks.append(_element(lambda v: isinstance(v, str), f"must be {_WORD_COLUMNS[name]}"))
        nullable = not required or name in ("value", "baseline_value", "baseline_year")
        columns[name] = pa.Column(None, checks=checks, nullable=nullable, required=required)
    return pa.DataFrameSchema(columns, strict=False)


class _Where:
    """Maps a frame's index back to (file, row, header) as the analyst sees them."""

    def __init__(self, raw: RawTable):
        self.raw = raw

    def __call__(self, index: object, column: str) -> tuple[str, int | None, str]:
        row = None if index is None or pd.isna(index) else int(index)
        return self.raw.label, row, self.raw.header(column)


class _WhereMany:
    """The same for many report files concatenated into one frame (index = position)."""

    def __init__(self, raws: list[RawTable], file_pos: np.ndarray, rows: np.ndarray):
        self.raws, self.file_pos, self.rows = raws, file_pos, rows

    def __call__(self, index: object, column: str) -> tuple[str, int | None, str]:
        raw = self.raws[self.file_pos[int(index)]]
        return raw.label, int(self.rows[int(index)]), raw.header(column)


def _check_table(
    raw: RawTable, spec: TableSpec, where: _Where | _WhereMany | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Run the pandera schema of ``spec`` on ``raw``; return parsed cells and problems."""
    where = where or _Where(raw)
    parsed = _parse_cells(raw, spec)
    problems: list[Problem] = []
    try:
        _schema(spec, parsed.columns).validate(parsed, lazy=True)
    except pa.errors.SchemaErrors as exc:
        for case in exc.failure_cases.itertuples(index=False):
            problems.append(_problem_from_case(raw, case, where))
    # Missing columns: add them empty so later passes can run; the problem is already listed.
    for name in spec.columns:
        if name not in parsed.columns:
            parsed[name] = None
    return parsed, problems


def _problem_from_case(raw: RawTable, case, where: _Where | _WhereMany) -> Problem:
    check = str(case.check)
    if check == "column_in_dataframe":
        column = str(case.failure_case)
        return Problem(raw.label, 1, column, f"required column {column!r} is missing")
    column = str(case.column)
    located = where(case.index, column)
    if check == "not_nullable":
        return Problem(*located, f"is empty; every row needs a {column}")
    seen = case.failure_case
    seen_text = seen.seen if isinstance(seen, _Invalid) else seen
    if isinstance(seen_text, float) and seen_text.is_integer():
        seen_text = int(seen_text)
    return Problem(*located, f"{check} ({seen_text!s} seen)")


def _typed(frame: pd.DataFrame, spec: TableSpec) -> pd.DataFrame:
    """Replace invalid cells by missing values and give each column its final dtype."""
    out = frame.map(lambda v: None if isinstance(v, _Invalid) else v)
    for column in out.columns:
        if column in spec.numeric or column in spec.integer:
            out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
        else:
            out[column] = out[column].astype("str").where(out[column].notna(), None)
            out[column] = out[column].astype(pd.StringDtype(na_value=np.nan))
    return out


# ------------------------------------------------------------------------- pass 2: across tables


def _duplicates(
    frame: pd.DataFrame,
    where: _Where | _WhereMany,
    key: tuple[str, ...],
    scope: str | None = None,
) -> list[Problem]:
    """Every repeat of ``key`` (within each ``scope`` value, e.g. one report file)."""
    columns = [*([scope] if scope else []), *key]
    sub = frame.loc[:, columns].dropna()
    dup = sub[sub.duplicated(keep=False)]
    problems = []
    for _, group in dup.groupby(columns, sort=False):
        first = where(group.index[0], key[-1])[1]
        for index in group.index[1:]:
            value = "/".join(str(_int_if_whole(v)) for v in group.loc[index, list(key)])
            problems.append(
                Problem(
                    *where(index, key[-1]),
                    f"duplicate {'+'.join(key)} {value!r} (first on row {first})",
                )
            )
    return problems


def _int_if_whole(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _unknown(
    frame: pd.DataFrame,
    where: _Where | _WhereMany,
    column: str,
    known: set[str],
    what: str,
    fix: str,
) -> list[Problem]:
    values = frame[column]
    slug = np.array([is_slug(v) for v in values], dtype=bool)
    mask = values.notna().to_numpy() & ~values.isin(list(known)).to_numpy() & slug
    return [
        Problem(*where(index, column), f"unknown {what} {value!r}; {fix}")
        for index, value in values[mask].items()
    ]


def _goal_cycles(goals: pd.DataFrame, raw: RawTable) -> list[Problem]:
    parent = dict(zip(goals["goal_id"], goals["parent_id"], strict=True))
    row_of = dict(zip(goals["goal_id"], goals.index, strict=True))
    problems = []
    for goal in parent:
        seen = [goal]
        node = parent.get(goal)
        while isinstance(node, str) and node in parent:
            if node == goal:
                path = " → ".join([*seen, goal])
                problems.append(
                    Problem(
                        raw.label,
                        int(row_of[goal]),
                        raw.header("parent_id"),
                        f"goal tree has a cycle ({path}); a macro goal has no parent",
                    )
                )
                break
            if node in seen:
                break
            seen.append(node)
            node = parent.get(node)
    return problems


def _meta(
    raw: RawTable | None, indicators: pd.DataFrame, targets: pd.DataFrame
) -> tuple[dict, list[Problem]]:
    problems: list[Problem] = []
    meta: dict = {}
    if raw is not None and not raw.frame.empty:
        frame = raw.frame
        key_col = "key" if "key" in frame.columns else frame.columns[0]
        value_col = "value" if "value" in frame.columns else frame.columns[-1]
        for row, key, value in zip(frame.index, frame[key_col], frame[value_col], strict=True):
            key_text = clean_text(key)
            if key_text not in META_KEYS:
                problems.append(
                    Problem(
                        raw.label,
                        int(row),
                        raw.header(key_col),
                        f"unknown plan setting {key_text!r}, ignored; expected one of "
                        + ", ".join(META_KEYS),
                        "warning",
                    )
                )
                continue
            if key_text.endswith("_year"):
                number = _number_or_invalid(value)
                if not _is_year(number):
                    problems.append(
                        Problem(
                            raw.label,
                            int(row),
                            raw.header(value_col),
                            f"{key_text} is not a year ({clean_text(value)} seen)",
                        )
                    )
                    continue
                meta[key_text] = int(number)
            else:
                meta[key_text] = clean_text(value)
    target_years = targets["year"].dropna()
    if "first_year" not in meta and len(target_years):
        meta["first_year"] = int(target_years.min())
    if "horizon_year" not in meta and len(target_years):
        meta["horizon_year"] = int(target_years.max())
    base_years = indicators["baseline_year"].dropna()
    if "baseline_year" not in meta and len(base_years):
        meta["baseline_year"] = int(base_years.mode().iloc[0])
    if "first_year" not in meta and "baseline_year" in meta:
        meta["first_year"] = meta["baseline_year"] + 1
    if "horizon_year" not in meta and "first_year" in meta:
        meta["horizon_year"] = meta["first_year"] + 4
    if "calendar" not in meta and "horizon_year" in meta:
        meta["calendar"] = "jalali" if meta["horizon_year"] < 1700 else "gregorian"
    for key in ("name_fa", "name_en", "city_fa", "city_en"):
        meta.setdefault(key, None)
    return meta, problems


def validate_tables(
    tables: dict[str, RawTable],
    reports: list[ReportTable],
    earlier: list[Problem] | None = None,
) -> ValidatedPlan:
    """Check a plan's tables and reports; return typed frames with every problem listed.

    Parameters
    ----------
    tables : dict
        Canonical table name → :class:`RawTable` (``departments``, ``goals``, ``indicators``,
        ``targets`` and optionally ``plan``).
    reports : list of ReportTable
        Every annual report file, read.
    earlier : list of Problem, optional
        Errors found while reading the files; they are kept first in ``problems``, and while
        there are any, no warnings about suspicious values are computed (they would be noise).

    Returns
    -------
    ValidatedPlan
        ``problems`` lists the errors (the plan must not be used if it is non-empty) and
        ``warnings`` what is legal but suspicious.
    """
    problems: list[Problem] = list(earlier or [])
    parsed: dict[str, pd.DataFrame] = {}
    for name, spec in PLAN_TABLES.items():
        raw = tables.get(name) or RawTable(pd.DataFrame(), name)
        if name not in tables:
            raw.frame = pd.DataFrame({c: pd.Series(dtype=object) for c in spec.required})
            frame, _ = _check_table(raw, spec)
        else:
            frame, found = _check_table(raw, spec)
            problems += found
        parsed[name] = frame
    typed = {name: _typed(parsed[name], PLAN_TABLES[name]) for name in PLAN_TABLES}
    depts, goals, inds, targets = (
        typed["departments"],
        typed["goals"],
        typed["indicators"],
        typed["targets"],
    )
    raw_of = {name: tables.get(name) or RawTable(pd.DataFrame(), name) for name in PLAN_TABLES}

    for name, spec in PLAN_TABLES.items():
        problems += _duplicates(typed[name], _Where(raw_of[name]), spec.key)

    dept_ids = set(depts["dept_id"].dropna())
    goal_ids = set(goals["goal_id"].dropna())
    ind_ids = set(inds["indicator_id"].dropna())
    problems += _unknown(
        depts,
        _Where(raw_of["departments"]),
        "parent_id",
        dept_ids,
        "department",
        "parent_id must be a dept_id of the departments table",
    )
    problems += _unknown(
        goals,
        _Where(raw_of["goals"]),
        "parent_id",
        goal_ids,
        "goal",
        "parent_id must be a goal_id of the goals table (the macro goal)",
    )
    problems += _unknown(
        goals,
        _Where(raw_of["goals"]),
        "dept_id",
        dept_ids,
        "department",
        "add it to the departments table or leave the cell empty",
    )
    problems += _goal_cycles(goals.dropna(subset=["goal_id"]), raw_of["goals"])
    problems += _unknown(
        inds,
        _Where(raw_of["indicators"]),
        "dept_id",
        dept_ids,
        "department",
        "add it to the departments table",
    )
    problems += _unknown(
        inds, _Where(raw_of["indicators"]), "goal_id", goal_ids, "goal", "add it to the goals table"
    )
    problems += _unknown(
        targets,
        _Where(raw_of["targets"]),
        "indicator_id",
        ind_ids,
        "indicator",
        "add it to the indicators table",
    )
    raw_ind = raw_of["indicators"]
    for row in inds.index[
        inds["baseline_value"].isna()
        & ~parsed["indicators"]["baseline_value"].map(lambda v: isinstance(v, _Invalid))
    ]:
        problems.append(
            Problem(
                raw_ind.label,
                int(row),
                raw_ind.header("baseline_value"),
                "indicator has no baseline value; every indicator needs one",
            )
        )
    for row in inds.index[
        inds["baseline_year"].isna()
        & ~parsed["indicators"]["baseline_year"].map(lambda v: isinstance(v, _Invalid))
    ]:
        problems.append(
            Problem(
                raw_ind.label,
                int(row),
                raw_ind.header("baseline_year"),
                "indicator has no baseline year; every indicator needs one",
            )
        )

    meta, meta_problems = _meta(tables.get("plan"), inds, targets)
    warnings = [p for p in meta_problems if p.severity == "warning"]
    problems += [p for p in meta_problems if p.severity == "error"]
    plan_years = (
        range(meta["first_year"], meta["horizon_year"] + 1)
        if "first_year" in meta and "horizon_year" in meta
        else range(0)
    )
    raw_t = raw_of["targets"]
    if plan_years:
        outside = targets["year"].notna() & ~targets["year"].isin(list(plan_years))
        for row, year in targets.loc[outside, "year"].items():
            problems.append(
                Problem(
                    raw_t.label,
                    int(row),
                    raw_t.header("year"),
                    f"target year {int(year)} is outside the plan years "
                    f"{plan_years.start}–{plan_years.stop - 1}",
                )
            )

    actuals, report_files, report_problems = _check_reports(reports, inds, dept_ids, plan_years)
    problems += report_problems

    for table in tables.values():
        warnings += [p for p in table.problems if p.severity == "warning"]
    if inds.empty and not problems:
        warnings.append(
            Problem(
                raw_ind.label,
                None,
                None,
                "no indicators yet: the plan is valid but empty; fill in the departments, goals, "
                "indicators and targets tables (plan.xlsx has a guide sheet)",
                "warning",
            )
        )
    if not problems:
        warnings += _suspicious(depts, inds, targets, actuals, report_files, raw_of)

    return ValidatedPlan(
        meta=meta,
        departments=_finish(depts, ["dept_id", "kind", "name_fa", "name_en", "parent_id"]),
        goals=_finish(
            goals,
            ["goal_id", "name_fa", "name_en", "parent_id", "dept_id", "weight"],
            defaults={"weight": 1.0},
        ),
        indicators=_finish(
            inds,
            [
                "indicator_id",
                "dept_id",
                "goal_id",
                "name_fa",
                "name_en",
                "unit",
                "direction",
                "baseline_year",
                "baseline_value",
                "limit",
                "weight",
                "tolerance",
                *PASSPORT_COLUMNS,
            ],
            defaults={"weight": 1.0, "tolerance": 0.05},
            integers=("baseline_year",),
        ),
        targets=_finish(targets, ["indicator_id", "year", "target"], integers=("year",)),
        actuals=actuals,
        report_files=report_files,
        problems=problems,
        warnings=warnings,
    )


def _finish(
    frame: pd.DataFrame,
    columns: list[str],
    defaults: dict[str, float] | None = None,
    integers: tuple[str, ...] = (),
) -> pd.DataFrame:
    out = frame.reindex(columns=columns).copy()
    for column, default in (defaults or {}).items():
        out[column] = out[column].astype("float64").fillna(default)
    if "name_en" in out.columns and "name_fa" in out.columns:
        out["name_en"] = out["name_en"].fillna(out["name_fa"])
    for column in integers:
        if out[column].notna().all():
            out[column] = out[column].astype("int64")
    return out.reset_index(drop=True)


def _check_reports(
    reports: list[ReportTable],
    inds: pd.DataFrame,
    dept_ids: set[str],
    plan_years: range,
) -> tuple[pd.DataFrame, pd.DataFrame, list[Problem]]:
    """Check every report file; all files are validated together as one frame (fast)."""
    problems: list[Problem] = []
    accepted: list[tuple[RawTable, int, str]] = []
    for report in reports:
        raw = report.raw
        year = _number_or_invalid(report.year_text)
        if not _is_year(year):
            problems.append(
                Problem(
                    raw.label,
                    None,
                    None,
                    f"folder {report.year_text!r} is not a year; put reports in "
                    "reports/<year>/<dept_id>.xlsx",
                )
            )
            continue
        year = int(year)
        if plan_years and year not in plan_years:
            problems.append(
                Problem(
                    raw.label,
                    None,
                    None,
                    f"report year {year} is outside the plan years "
                    f"{plan_years.start}–{plan_years.stop - 1}",
                )
            )
            continue
        dept = report.dept_text
        if not is_slug(dept) or dept not in dept_ids:
            problems.append(
                Problem(
                    raw.label,
                    None,
                    None,
                    f"file name {dept!r} is not a department id; name the file after the "
                    "department's dept_id (e.g. parks.xlsx)",
                )
            )
            continue
        for column in REPORT_SPEC.required:
            if column not in raw.frame.columns:
                problems.append(
                    Problem(raw.label, 1, column, f"required column {column!r} is missing")
                )
        accepted.append((raw, year, dept))

    columns = ["indicator_id", "dept_id", "year", "value", "note", "source", "row", "file"]
    report_files = pd.DataFrame(
        [{"dept_id": d, "year": y, "file": r.label} for r, y, d in accepted],
        columns=["dept_id", "year", "file"],
    ).astype({"year": "int64"})
    frames = [raw.frame for raw, _, _ in accepted]
    if not frames or sum(len(f) for f in frames) == 0:
        actuals = pd.DataFrame(columns=columns)
        problems += _second_reports(report_files)
        return _actuals_dtypes(actuals), report_files, problems

    lengths = np.array([len(f) for f in frames])
    file_pos = np.repeat(np.arange(len(frames)), lengths)
    rows = np.concatenate([f.index.to_numpy(dtype="int64") for f in frames])
    combined = pd.concat(frames, ignore_index=True).astype(object)
    # a returned template's reference columns (names, target, last year's value) are not data
    combined = combined.drop(columns=list(REPORT_REFERENCE_COLUMNS), errors="ignore")
    combined = combined.where(combined.notna(), None)
    raws = [raw for raw, _, _ in accepted]
    where = _WhereMany(raws, file_pos, rows)
    parsed, found = _check_table(RawTable(combined, "reports"), REPORT_SPEC, where)
    problems += [p for p in found if not p.message.startswith("required column")]
    frame = _typed(parsed, REPORT_SPEC)
    file_year = np.array([y for _, y, _ in accepted], dtype="int64")[file_pos]
    file_dept = np.array([d for _, _, d in accepted], dtype=object)[file_pos]
    frame["_file"] = file_pos
    problems += _duplicates(frame, where, ("indicator_id",), scope="_file")
    owner = dict(zip(inds["indicator_id"], inds["dept_id"], strict=True))
    problems += _unknown(
        frame,
        where,
        "indicator_id",
        set(owner),
        "indicator",
        "check the id against the plan's indicators table",
    )
    ind = frame["indicator_id"].to_numpy(dtype=object)
    owners = np.array([owner.get(i) if isinstance(i, str) else None for i in ind], dtype=object)
    other = np.flatnonzero((owners != None) & (owners != file_dept))  # noqa: E711
    for k in other:
        problems.append(
            Problem(
                *where(k, "indicator_id"),
                f"indicator {ind[k]!r} belongs to department {owners[k]!r}, not "
                f"{file_dept[k]!r}; move the row to reports/{file_year[k]}/{owners[k]}.xlsx",
            )
        )
    if "year" in frame.columns:
        seen_year = frame["year"].to_numpy(dtype="float64")
        for k in np.flatnonzero(~np.isnan(seen_year) & (seen_year != file_year)):
            problems.append(
                Problem(
                    *where(k, "year"),
                    f"year {int(seen_year[k])} disagrees with the folder reports/{file_year[k]}/",
                )
            )
    if "dept_id" in frame.columns:
        seen_dept = frame["dept_id"].to_numpy(dtype=object)
        for k in range(len(seen_dept)):
            if isinstance(seen_dept[k], str) and seen_dept[k] != file_dept[k]:
                problems.append(
                    Problem(
                        *where(k, "dept_id"),
                        f"dept_id {seen_dept[k]!r} disagrees with the file name {file_dept[k]!r}",
                    )
                )
    actuals = frame.reindex(columns=["indicator_id", "value", "note", "source"])
    actuals.insert(1, "dept_id", file_dept)
    actuals.insert(2, "year", file_year)
    actuals["row"] = rows
    actuals["file"] = np.array([r.label for r in raws], dtype=object)[file_pos]
    actuals = _actuals_dtypes(actuals.dropna(subset=["indicator_id"]))
    problems += _second_reports(report_files)
    actuals = actuals.sort_values(["year", "indicator_id"], ignore_index=True)
    return actuals, report_files, problems


def _actuals_dtypes(actuals: pd.DataFrame) -> pd.DataFrame:
    columns = ["indicator_id", "dept_id", "year", "value", "note", "source", "row", "file"]
    actuals = actuals.reindex(columns=columns)
    actuals = actuals.astype({"year": "int64", "value": "float64", "row": "int64"})
    for column in ("indicator_id", "dept_id", "note", "source", "file"):
        actuals[column] = actuals[column].astype(pd.StringDtype(na_value=np.nan))
    return actuals


def _second_reports(report_files: pd.DataFrame) -> list[Problem]:
    dup = report_files.duplicated(["dept_id", "year"], keep="first")
    return [
        Problem(
            row.file,
            None,
            None,
            f"a second report for {row.dept_id} in {row.year}; keep one file per department "
            "and year (.xlsx or .csv)",
        )
        for row in report_files[dup].itertuples()
    ]


def _suspicious(
    depts: pd.DataFrame,
    inds: pd.DataFrame,
    targets: pd.DataFrame,
    actuals: pd.DataFrame,
    report_files: pd.DataFrame,
    raw_of: dict[str, RawTable],
) -> list[Problem]:
    """Warnings: legal input that published plans really contain and an analyst should see."""
    warnings: list[Problem] = []
    raw_t, raw_i = raw_of["targets"], raw_of["indicators"]
    t = (
        targets.assign(row=targets.index)
        .merge(inds[["indicator_id", "direction", "baseline_value", "unit"]], on="indicator_id")
        .sort_values(["indicator_id", "year"])
    )
    t["previous"] = t.groupby("indicator_id")["target"].shift()
    t["previous"] = t["previous"].fillna(t["baseline_value"])
    previous_year = t.groupby("indicator_id")["year"].shift()
    against = ((t["direction"] == "increase") & (t["target"] < t["previous"])) | (
        (t["direction"] == "decrease") & (t["target"] > t["previous"])
    )
    for r, prev_year in zip(t[against].itertuples(), previous_year[against], strict=True):
        before = "the baseline" if pd.isna(prev_year) else f"the {int(prev_year)} target"
        moves = "down" if r.direction == "increase" else "up"
        warnings.append(
            Problem(
                raw_t.label,
                int(r.row),
                raw_t.header("target"),
                f"target for {int(r.year)} moves {moves} from {before} ({_fmt(r.previous)} → "
                f"{_fmt(r.target)}) but the direction of {r.indicator_id} is {r.direction}; check the "
                "direction or the target",
                "warning",
            )
        )
    no_targets = sorted(set(inds["indicator_id"]) - set(targets["indicator_id"]))
    row_of = dict(zip(inds["indicator_id"], inds.index, strict=True))
    for ind in no_targets:
        warnings.append(
            Problem(
                raw_i.label,
                int(row_of[ind]),
                raw_i.header("indicator_id"),
                f"{ind} has no targets: it is monitored but not scored against a target",
                "warning",
            )
        )
    percent = inds["unit"].map(is_percentage_unit).astype(bool)
    pct_ids = set(inds.loc[percent, "indicator_id"])
    for row, r in inds[percent].iterrows():
        if not 0 <= r["baseline_value"] <= 100:
            warnings.append(
                Problem(
                    raw_i.label,
                    int(row),
                    raw_i.header("baseline_value"),
                    f"percentage outside 0–100 ({_fmt(r['baseline_value'])})",
                    "warning",
                )
            )
    for r in t[t["indicator_id"].isin(pct_ids) & ~t["target"].between(0, 100)].itertuples():
        warnings.append(
            Problem(
                raw_t.label,
                int(r.row),
                raw_t.header("target"),
                f"percentage outside 0–100 ({_fmt(r.target)})",
                "warning",
            )
        )
    if len(actuals):
        a = actuals.merge(
            inds[["indicator_id", "baseline_year", "baseline_value"]], on="indicator_id"
        )
        a = a.merge(targets, on=["indicator_id", "year"], how="left")
        a = a.sort_values(["indicator_id", "year"])
        prev = a.groupby("indicator_id")["value"].shift()
        first = prev.isna()
        prev = prev.where(~first, a["baseline_value"])
        for r, p in zip(a.itertuples(), prev, strict=True):
            v = r.value
            if pd.isna(v):
                continue
            where = f"{r.file}", int(r.row), "value"
            if r.indicator_id in pct_ids and not 0 <= v <= 100:
                warnings.append(Problem(*where, f"percentage outside 0–100 ({_fmt(v)})", "warning"))
            for ref, what in ((p, "the previous value"), (r.target, "the target")):
                if (
                    pd.notna(ref)
                    and ref != 0
                    and v != 0
                    and (abs(v / ref) > _SPIKE_RATIO or abs(ref / v) > _SPIKE_RATIO)
                ):
                    warnings.append(
                        Problem(
                            *where,
                            f"{_fmt(v)} is more than ten times off {what} ({_fmt(ref)}) for "
                            f"{r.indicator_id}; check the unit and the decimal separator",
                            "warning",
                        )
                    )
                    break
        reported = set(zip(report_files["dept_id"], report_files["year"], strict=True))
        with_inds = set(inds["dept_id"])
        for year in sorted(report_files["year"].unique()):
            for dept in sorted(set(depts["dept_id"]) & with_inds):
                if (dept, year) not in reported:
                    warnings.append(
                        Problem(
                            f"reports/{year}/",
                            None,
                            None,
                            f"department {dept!r} sent no report for {year}",
                            "warning",
                        )
                    )
        seen = set(zip(actuals["indicator_id"], actuals["year"], strict=True))
        by_dept = inds.groupby("dept_id")["indicator_id"].apply(list).to_dict()
        for r in report_files.itertuples():
            missing = [i for i in by_dept.get(r.dept_id, []) if (i, r.year) not in seen]
            if missing:
                warnings.append(
                    Problem(
                        r.file,
                        None,
                        None,
                        "no row for " + ", ".join(missing) + " (a data gap)",
                        "warning",
                    )
                )
    return warnings


def _fmt(value: float) -> str:
    return f"{value:g}"
