"""The Qazvin sample: Qazvin's second five-year plan, with three years of reports.

The clean canonical plan the tutorials, notebooks and smoke tests use. Its structure
(departments, goals, indicators, targets and the story in the reports) is data, shipped with
the package in ``planmon/sample/data/qazvin/`` (its ``README.md`` describes every file); this
module reads those files and adds the seeded noise, so the seed only moves the reported values
the story does not pin down.

The story is the one monitoring exists to find: some departments on track and some behind, a
few indicators going backwards (bus fleet age, source separation of waste, construction-dependent
revenue), the 1399 collapse of public transport ridership under COVID-19, a handful of blank
values with a reason, a department that sent no 1399 report, one indicator monitored without
targets, and two indicators whose targets move against their own direction (a real flaw of real
plans, which validation warns about).

The generator is pure: it returns a :class:`~planmon.core.schema.PlanTables` and never writes;
:func:`planmon.io.plan_writer.write_plan` writes it out.
"""

from __future__ import annotations

import csv
import functools
import io
from importlib import resources
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

from planmon.core.exceptions import InputFileError
from planmon.core.schema import FRAME_DTYPES, PASSPORT_COLUMNS, PlanTables, typed_frame

__all__ = ["qazvin_sample", "DATA_FOLDER"]

#: The sample's data files, inside the ``planmon.sample`` package.
DATA_FOLDER = "data/qazvin"
#: Years the departments reported for (1397–1399); the plan years come from ``plan.csv``.
_REPORT_YEARS = (1397, 1398, 1399)

#: One row of a data file: column -> text, None for an empty cell.
_Row = dict[str, Any]


class _Spec(NamedTuple):
    """One indicator of the sample. ``definition=None`` means no passport at all."""

    indicator_id: str
    goal_id: str
    name_fa: str
    name_en: str
    unit: str
    direction: str
    baseline: float
    horizon: float  # the horizon year's target (with listed targets, only the noise uses it)
    decimals: int
    weight: float
    limit: float | None
    tolerance: float
    level: str | None
    definition: str | None
    formula: str | None
    responsible: str | None  # None = the department's default (department_profiles.csv)
    source: str | None
    frequency: str | None
    targets: tuple[float, ...] | None  # None = a straight line; () = none; else listed
    actual: tuple[float, ...] | None  # fixed reported values, one per report year (the story)


class _Profile(NamedTuple):
    """A department's pace and the passport defaults of its indicators."""

    pace: float  # share of the planned progress delivered (1 = exactly on its targets)
    responsible: str
    source: str
    frequency: str


class _Sample(NamedTuple):
    """Everything the data files say, before any noise is drawn."""

    meta: dict[str, Any]
    departments: list[_Row]
    goals: list[_Row]
    profiles: dict[str, _Profile]
    catalogue: tuple[tuple[str, _Spec], ...]  # (dept_id, spec), in department order
    notes: dict[tuple[str, int], tuple[bool, str]]  # (indicator_id, year) -> (blank?, note)
    no_report: frozenset[tuple[str, int]]


# ---------------------------------------------------------------------------------------------
# Reading the data files
# ---------------------------------------------------------------------------------------------


def _rows(name: str) -> list[_Row]:
    """The rows of one data file as dicts of text; an empty cell is None."""
    path = resources.files("planmon.sample").joinpath(f"{DATA_FOLDER}/{name}")
    text = path.read_text(encoding="utf-8-sig")
    return [
        {key: (value if value != "" else None) for key, value in row.items()}
        for row in csv.DictReader(io.StringIO(text, newline=""))
    ]


def _number(text: str | None) -> float | None:
    return None if text is None else float(text)


def _by_year(name: str, column: str, years: tuple[int, ...]) -> dict[str, tuple[float, ...]]:
    """``indicator_id -> values`` of a long ``indicator_id, year, <column>`` file, in year order.

    Raises
    ------
    InputFileError
        If an indicator's years are not exactly ``years``.
    """
    found: dict[str, dict[int, float]] = {}
    for row in _rows(name):
        found.setdefault(row["indicator_id"], {})[int(row["year"])] = float(row[column])
    for indicator_id, values in found.items():
        if tuple(sorted(values)) != years:
            raise InputFileError(
                f"{DATA_FOLDER}/{name}: {indicator_id} has years {sorted(values)}; "
                f"expected one row for each of {list(years)}"
            )
    return {key: tuple(values[y] for y in years) for key, values in found.items()}


def _spec(row: _Row, listed: dict[str, tuple[float, ...]], fixed: dict[str, tuple]) -> _Spec:
    """One indicator from a row of ``indicators.csv`` (or a completed district template)."""
    indicator_id = row["indicator_id"]
    mode = row["targets"]
    if mode not in ("line", "listed", "none") or (mode == "listed") != (indicator_id in listed):
        raise InputFileError(
            f"{DATA_FOLDER}: {indicator_id} has targets {mode!r}; use line, none, or listed "
            "with its targets in listed_targets.csv (and only then)"
        )
    return _Spec(
        indicator_id=indicator_id,
        **{key: row[key] for key in ("goal_id", "name_fa", "name_en", "unit", "direction")},
        baseline=float(row["baseline_value"]),
        horizon=float(row["horizon_target"]),
        decimals=int(row["decimals"]),
        weight=float(row["weight"]),
        limit=_number(row["limit"]),
        tolerance=float(row["tolerance"]),
        **{key: row[key] for key in PASSPORT_COLUMNS},
        targets={"line": None, "none": ()}.get(mode, listed.get(indicator_id)),
        actual=fixed.get(indicator_id),
    )


def _district_rows() -> dict[str, list[_Row]]:
    """Each district's indicator rows: the shared templates with its own ids, names and values."""
    templates = {row["template_id"]: row for row in _rows("district_indicators.csv")}
    districts = {row["dept_id"]: row for row in _rows("districts.csv")}
    out: dict[str, list[_Row]] = {dept_id: [] for dept_id in districts}
    for value in _rows("district_values.csv"):
        dept_id, template_id = value["dept_id"], value["template_id"]
        template, district = templates[template_id], districts[dept_id]
        out[dept_id].append(
            {
                **template,
                "indicator_id": f"D{district['number']}_{template_id}",
                "name_fa": f"{template['name_fa']} در منطقه {district['name_fa']}",
                "name_en": f"{template['name_en']} (District {district['number']})",
                "baseline_value": value["baseline_value"],
                "horizon_target": value["horizon_target"],
            }
        )
    return out


def _meta() -> dict[str, Any]:
    """The ``plan`` key/value table; the ``*_year`` entries are integers."""
    return {
        row["key"]: int(row["value"]) if row["key"].endswith("_year") else row["value"]
        for row in _rows("plan.csv")
    }


@functools.cache
def _sample() -> _Sample:
    """Read every data file once (the result is never mutated)."""
    meta = _meta()
    plan_years = tuple(range(meta["first_year"], meta["horizon_year"] + 1))
    listed = _by_year("listed_targets.csv", "target", plan_years)
    fixed = _by_year("fixed_values.csv", "value", _REPORT_YEARS)
    departments = _rows("departments.csv")
    rows_of: dict[str, list[_Row]] = {row["dept_id"]: [] for row in departments}
    for row in _rows("indicators.csv"):
        rows_of[row["dept_id"]].append(row)
    rows_of.update(_district_rows())
    profiles = {
        row["dept_id"]: _Profile(
            float(row["pace"]), row["responsible"], row["source"], row["frequency"]
        )
        for row in _rows("department_profiles.csv")
    }
    notes = {
        (row["indicator_id"], int(row["year"])): (row["value_blank"] == "yes", row["note"])
        for row in _rows("report_notes.csv")
    }
    return _Sample(
        meta=meta,
        departments=departments,
        goals=[{**row, "weight": float(row["weight"])} for row in _rows("goals.csv")],
        profiles=profiles,
        catalogue=tuple(
            (dept_id, _spec(row, listed, fixed))
            for dept_id, rows in rows_of.items()
            for row in rows
        ),
        notes=notes,
        no_report=frozenset(
            (row["dept_id"], int(row["year"])) for row in _rows("missing_reports.csv")
        ),
    )


# ---------------------------------------------------------------------------------------------
# Targets, values and rows
# ---------------------------------------------------------------------------------------------


def _targets_of(spec: _Spec, n_years: int) -> tuple[float, ...]:
    """The spec's targets, one per plan year: listed, or a straight line baseline → horizon."""
    if spec.targets is not None:
        return tuple(float(t) for t in spec.targets)
    steps = np.arange(1, n_years + 1) / n_years
    line = spec.baseline + (spec.horizon - spec.baseline) * steps
    return tuple(float(t) for t in np.round(line, spec.decimals))


def _values_of(
    spec: _Spec, targets: tuple[float, ...], pace: float, noise: np.ndarray
) -> np.ndarray:
    """Reported values, one per report year, before blanks are applied.

    ``pace`` is the share of the planned progress delivered; ``noise`` holds standard-normal
    draws, one per report year.
    """
    baseline = spec.baseline
    if spec.actual is not None:
        values = np.asarray(spec.actual, dtype=float)
    elif spec.direction == "maintain" or not targets:
        values = baseline * (1.0 + 0.6 * spec.tolerance * noise)
    else:
        planned = np.asarray(targets[: len(_REPORT_YEARS)])
        # Noise scales with the planned change, plus a floor so small changes still wobble.
        scale = 0.05 * abs(spec.horizon - baseline) + 0.005 * abs(baseline)
        values = baseline + pace * (planned - baseline) + scale * noise
    upper = spec.limit if spec.limit is not None else np.inf
    return np.round(np.clip(values, 0.0, upper), spec.decimals)


def _passport(spec: _Spec, profile: _Profile) -> dict[str, str | None]:
    """The spec's passport; responsible unit, source and frequency default to the department's."""
    return {
        "level": spec.level,
        "definition": spec.definition,
        "formula": spec.formula,
        "responsible": spec.responsible or profile.responsible,
        "source": spec.source or profile.source,
        "frequency": spec.frequency or profile.frequency,
    }


def _indicator_row(
    dept_id: str, spec: _Spec, passport: dict[str, str | None], baseline_year: int
) -> dict[str, Any]:
    """The ``indicators`` row of one spec; a spec without a definition has no passport."""
    has_passport = spec.definition is not None
    return {
        "indicator_id": spec.indicator_id,
        "dept_id": dept_id,
        "goal_id": spec.goal_id,
        "name_fa": spec.name_fa,
        "name_en": spec.name_en,
        "unit": spec.unit,
        "direction": spec.direction,
        "baseline_year": baseline_year,
        "baseline_value": float(spec.baseline),
        "limit": np.nan if spec.limit is None else float(spec.limit),
        "weight": float(spec.weight),
        "tolerance": float(spec.tolerance),
        **{key: (passport[key] if has_passport else None) for key in PASSPORT_COLUMNS},
    }


def _report_rows(
    sample: _Sample, dept_id: str, spec: _Spec, values: np.ndarray, source: str | None
) -> list[dict]:
    """The ``reports`` rows of one indicator: blanks and notes from the story applied."""
    rows = []
    for year, value in zip(_REPORT_YEARS, values, strict=True):
        if (dept_id, year) in sample.no_report:
            continue
        blank, note = sample.notes.get((spec.indicator_id, year), (False, None))
        rows.append(
            {
                "indicator_id": spec.indicator_id,
                "dept_id": dept_id,
                "year": year,
                "value": np.nan if blank else float(value),
                "note": note,
                "source": source,
            }
        )
    return rows


def _columns(rows: list[dict], table: str) -> pd.DataFrame:
    """``rows`` (dicts) as the typed ``table``."""
    return typed_frame({name: [row[name] for row in rows] for name in FRAME_DTYPES[table]}, table)


# ---------------------------------------------------------------------------------------------
# The sample
# ---------------------------------------------------------------------------------------------


def _optional_table(name: str) -> pd.DataFrame:
    """The sample's ``commentary`` or ``actions`` table (data file of the same name), typed."""
    rows = _rows(f"{name}.csv")
    columns: dict[str, list[Any]] = {}
    for column, dtype in FRAME_DTYPES[name].items():
        values = [row.get(column) for row in rows]
        if dtype in ("int64", "Int64", "float64"):
            values = [None if v is None else float(v) for v in values]
        columns[column] = values
    return typed_frame(columns, name)


def qazvin_sample(seed: int = 1397) -> PlanTables:
    """Qazvin's second five-year strategic-operational plan, with three years of reports.

    The plan runs 1397–1401 (Jalali) from a 1396 baseline; departments reported for 1397, 1398
    and 1399. Structure and story are fixed; ``seed`` moves only the noise of the values that
    the story does not pin down, so the same seed always returns identical frames.

    Parameters
    ----------
    seed : int, default 1397
        Seed for :func:`numpy.random.default_rng`.

    Returns
    -------
    PlanTables
        14 departments, 21 goals (5 macro), 88 indicators with Persian passports, their
        annual targets and every department's reports (``culture`` sent none for 1399), the
        analysts' commentary and a dozen actions (``commentary.csv``, ``actions.csv``).

    Examples
    --------
    >>> plan = qazvin_sample()
    >>> plan.meta["horizon_year"], len(plan.departments)
    (1401, 14)
    """
    sample = _sample()
    meta = dict(sample.meta)
    plan_years = range(meta["first_year"], meta["horizon_year"] + 1)
    rng = np.random.default_rng(seed)
    n = len(sample.catalogue)
    # Drawn for every indicator, storied or not, so editing one story leaves the others' noise.
    spread = np.exp(rng.normal(0.0, 0.25, n))
    noise = rng.normal(0.0, 1.0, (n, len(_REPORT_YEARS)))

    indicators, targets, reports = [], [], []
    for i, (dept_id, spec) in enumerate(sample.catalogue):
        profile = sample.profiles[dept_id]
        passport = _passport(spec, profile)
        indicators.append(_indicator_row(dept_id, spec, passport, meta["baseline_year"]))
        plan_targets = _targets_of(spec, len(plan_years))
        targets += [
            {"indicator_id": spec.indicator_id, "year": year, "target": target}
            for year, target in zip(plan_years, plan_targets, strict=False)
        ]
        values = _values_of(spec, plan_targets, profile.pace * spread[i], noise[i])
        reports += _report_rows(sample, dept_id, spec, values, passport["source"])

    return PlanTables(
        meta=meta,
        departments=_columns(sample.departments, "departments"),
        goals=_columns(sample.goals, "goals"),
        indicators=_columns(indicators, "indicators"),
        targets=_columns(targets, "targets"),
        reports=_columns(reports, "reports").sort_values(
            ["year", "dept_id"], kind="stable", ignore_index=True
        ),
        commentary=_optional_table("commentary"),
        actions=_optional_table("actions"),
    )
