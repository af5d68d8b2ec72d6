"""The :class:`Plan` an analyst works with, and :func:`load`, the one way to get one.

>>> import planmon
>>> plan = planmon.load()                         # doctest: +SKIP
>>> plan.indicators.head()                        # doctest: +SKIP
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

import pandas as pd

from planmon.core import config
from planmon.core.exceptions import InputFileError, PlanValidationError, Problem
from planmon.io.plan_files import (
    PlanFiles,
    content_hash,
    discover,
    read_plan_tables,
    read_report,
)

__all__ = ["Plan", "load", "check", "CACHE_VERSION"]

#: Bump when the parsed frames change shape, so old caches are not reused.
CACHE_VERSION = "1"
_FRAMES = ("departments", "goals", "indicators", "targets", "actuals", "report_files")


@dataclass
class Plan:
    """A validated plan: tidy frames plus typed accessors.

    Attributes
    ----------
    path : Path
        The plan folder.
    meta : dict
        ``name_fa``, ``name_en``, ``baseline_year``, ``first_year``, ``horizon_year``, ``calendar``.
    departments, goals, indicators, targets, actuals : DataFrame
        See ``docs/internal-frames.md``.
    report_files : DataFrame
        Which department sent a report for which year (``dept_id``, ``year``, ``file``).
    warnings : list of Problem
        Legal but suspicious findings (targets against their direction, spikes, …).
    fingerprint : str
        Content hash of every input file (changes when any input changes).
    """

    path: Path
    meta: dict
    departments: pd.DataFrame
    goals: pd.DataFrame
    indicators: pd.DataFrame
    targets: pd.DataFrame
    actuals: pd.DataFrame
    report_files: pd.DataFrame
    warnings: list[Problem] = field(default_factory=list)
    fingerprint: str = ""

    # ----------------------------------------------------------------- plan facts
    @property
    def name(self) -> str:
        """The plan's Persian name (or its folder name)."""
        return self.meta.get("name_fa") or self.path.name

    @property
    def baseline_year(self) -> int:
        return int(self.meta["baseline_year"])

    @property
    def horizon_year(self) -> int:
        """The plan's five-year horizon (last plan year)."""
        return int(self.meta["horizon_year"])

    @property
    def plan_years(self) -> list[int]:
        """Every plan year, first to horizon."""
        return list(range(int(self.meta["first_year"]), self.horizon_year + 1))

    @property
    def report_years(self) -> list[int]:
        """Years for which at least one department sent a report, ascending."""
        return sorted(int(y) for y in self.report_files["year"].unique())

    @property
    def dept_ids(self) -> list[str]:
        return self.departments["dept_id"].tolist()

    # ----------------------------------------------------------------- accessors
    def department(self, dept_id: str) -> pd.Series:
        """One department's row; raises KeyError with the known ids if unknown."""
        return _one(self.departments, "dept_id", dept_id, "department")

    def indicator(self, indicator_id: str) -> pd.Series:
        """One indicator's row (passport columns included)."""
        return _one(self.indicators, "indicator_id", indicator_id, "indicator")

    def goal(self, goal_id: str) -> pd.Series:
        return _one(self.goals, "goal_id", goal_id, "goal")

    def indicators_of(self, dept_id: str) -> pd.DataFrame:
        """The indicators a department is responsible for."""
        self.department(dept_id)
        return self.indicators[self.indicators["dept_id"] == dept_id].reset_index(drop=True)

    def targets_of(self, indicator_id: str) -> pd.DataFrame:
        """An indicator's annual targets (``year``, ``target``), by year."""
        self.indicator(indicator_id)
        t = self.targets[self.targets["indicator_id"] == indicator_id]
        return t[["year", "target"]].sort_values("year").reset_index(drop=True)

    def series(self, indicator_id: str) -> pd.DataFrame:
        """Baseline and reported values of one indicator (``year``, ``value``, ``is_baseline``)."""
        ind = self.indicator(indicator_id)
        a = self.actuals[self.actuals["indicator_id"] == indicator_id]
        base = pd.DataFrame(
            {"year": [int(ind["baseline_year"])], "value": [float(ind["baseline_value"])]}
        )
        out = pd.concat(
            [base.assign(is_baseline=True), a[["year", "value"]].assign(is_baseline=False)],
            ignore_index=True,
        )
        return out.sort_values("year", kind="stable").reset_index(drop=True)

    # ----------------------------------------------------------------- scores
    def scores(self, year: int | None = None, dept_id: str | None = None) -> pd.DataFrame:
        """The scores frame: one row per indicator and report year (see ``planmon.measures.scores``).

        Parameters
        ----------
        year : int, optional
            Only this report year (its measures use the data up to that year).
        dept_id : str, optional
            Only this department's indicators.
        """
        frame = self._all_scores
        if year is not None:
            if year not in self.report_years:
                raise KeyError(f"no reports for {year}; report years: {self.report_years}")
            frame = frame[frame["year"] == year]
        if dept_id is not None:
            self.department(dept_id)
            frame = frame[frame["dept_id"] == dept_id]
        return frame.reset_index(drop=True)

    @cached_property
    def _all_scores(self) -> pd.DataFrame:
        from planmon.measures.scores import compute_scores

        return compute_scores(
            self.indicators,
            self.targets,
            self.actuals,
            self.report_years,
            plan_horizon_year=self.horizon_year,
            # validation's findings per indicator-year, where the plan exposes them
            caveats=getattr(self, "caveats", None),
        )

    def rollup(self, level: str = "department", year: int | None = None) -> pd.DataFrame:
        """Weighted roll-up of the scores by ``department``, ``goal``, ``department-goal`` or
        ``plan``, per year (see :func:`planmon.measures.rollup.rollup`).

        Rows with a coverage below the plan setting ``provisional_below_pct`` (default 80 %)
        are ``provisional``; departments count as reported from ``report_files``.
        """
        from planmon.core.text import parse_number
        from planmon.measures.rollup import (
            DEFAULT_PROVISIONAL_BELOW,
            PROVISIONAL_SETTING,
            rollup,
        )

        setting = self.meta.get(PROVISIONAL_SETTING)
        below = DEFAULT_PROVISIONAL_BELOW if setting in (None, "") else parse_number(setting)
        frame = rollup(
            self._all_scores,
            self.indicators,
            self.goals,
            level,
            reports=self.report_files,
            provisional_below=below,
        )
        if year is not None:
            frame = frame[frame["year"] == year].reset_index(drop=True)
        return frame

    def kinds(self) -> dict[str, str]:
        """dept_id → kind."""
        return dict(zip(self.departments["dept_id"], self.departments["kind"], strict=True))

    def __repr__(self) -> str:
        return (
            f"Plan({self.name!r}, {len(self.departments)} departments, "
            f"{len(self.indicators)} indicators, report years {self.report_years}, "
            f"{len(self.warnings)} warnings)"
        )

    @cached_property
    def summary(self) -> dict[str, object]:
        """Counts an analyst checks first (used by ``planmon validate``)."""
        return {
            "plan": self.name,
            "years": f"{self.meta['first_year']}–{self.horizon_year} "
            f"(baseline {self.baseline_year})",
            "departments": len(self.departments),
            "goals": len(self.goals),
            "indicators": len(self.indicators),
            "targets": len(self.targets),
            "report years": ", ".join(map(str, self.report_years)) or "none",
            "reports": len(self.report_files),
            "values": int(self.actuals["value"].notna().sum()),
            "warnings": len(self.warnings),
        }


def _one(frame: pd.DataFrame, column: str, key: str, what: str) -> pd.Series:
    hit = frame[frame[column] == key]
    if hit.empty:
        known = ", ".join(frame[column].head(20))
        raise KeyError(f"unknown {what} {key!r}; known: {known}")
    return hit.iloc[0]


# ------------------------------------------------------------------------------- loading


def check(path: str | os.PathLike[str] | None = None) -> tuple[list[Problem], list[Problem]]:
    """Validate a plan folder without caching; return ``(errors, warnings)``.

    Unlike :func:`load` this does not raise for bad data, only for a folder that cannot be
    read at all (:class:`~planmon.core.exceptions.InputFileError`).
    """
    result = _read_and_validate(discover(Path(path) if path else config.SAMPLE_PLAN))
    return result.problems, result.warnings


def _read_and_validate(files: PlanFiles):
    """Read every file ``discover`` found and validate them together."""
    # pandera is slow to import; a cached load never needs it
    from planmon.plan.validation import ReportTable, validate_tables

    tables, problems = read_plan_tables(files)
    reports: list[ReportTable] = []
    for report in files.reports:
        try:
            raw = read_report(report)
        except InputFileError as exc:
            problems.append(Problem(report.label, None, None, str(exc).split(": ", 1)[-1]))
            continue
        problems.extend(p for p in raw.problems if p.severity == "error")
        reports.append(ReportTable(raw, report.year_text, report.dept_text))
    found = files.problems + problems
    result = validate_tables(tables, reports, earlier=[p for p in found if p.severity == "error"])
    result.warnings += [p for p in found if p.severity == "warning"]
    result.warnings += [p for r in reports for p in r.raw.problems if p.severity == "warning"]
    result.warnings.sort(key=lambda p: (p.file, p.row or 0, p.column or "", p.message))
    return result


def load(
    path: str | os.PathLike[str] | None = None,
    *,
    cache: bool | str | os.PathLike[str] = True,
) -> Plan:
    """Load and validate a plan folder.

    Parameters
    ----------
    path : path-like, optional
        Plan folder (holding ``plan.xlsx`` or ``plan/*.csv`` and ``reports/<year>/``). Default:
        the bundled Qazvin sample, :data:`planmon.core.config.SAMPLE_PLAN`.
    cache : bool or path-like, default True
        Cache the parsed frames as Parquet, keyed by the SHA-256 of every input file, so the
        next load of an unchanged plan skips parsing. ``True`` uses
        :func:`planmon.core.config.cache_dir_for` (``data/processed/cache`` for the bundled
        sample, ``<plan>/.planmon/cache/parse`` for other plans), a path uses that folder,
        ``False`` disables it.

    Returns
    -------
    Plan

    Raises
    ------
    PlanValidationError
        With every problem (``file:row:column: message``) if the plan breaks the contract.
    InputFileError
        If the folder or a file cannot be read at all.
    """
    from planmon._version import __version__

    folder = Path(path) if path is not None else config.SAMPLE_PLAN
    files = discover(folder)
    # the content hash is the cache key and the plan's fingerprint
    key = content_hash(files.paths, folder, extra=f"{__version__}/{CACHE_VERSION}")
    cache_dir = None
    if cache is not False:
        cache_dir = Path(config.cache_dir_for(folder) if cache is True else cache)
        # Discovery problems (a stray .txt in reports/) are not part of the hash: never let a
        # cached copy of the clean plan hide them.
        cached = None if files.problems else _read_cache(cache_dir / key, folder)
        if cached is not None:
            return cached
    result = _read_and_validate(files)
    if result.problems:
        raise PlanValidationError(result.problems, result.warnings)
    plan = Plan(
        path=folder,
        meta=result.meta,
        departments=result.departments,
        goals=result.goals,
        indicators=result.indicators,
        targets=result.targets,
        actuals=result.actuals,
        report_files=result.report_files,
        warnings=result.warnings,
        fingerprint=key,
    )
    if cache_dir is not None:
        _write_cache(cache_dir / key, plan)
    return plan


def _read_cache(entry: Path, folder: Path) -> Plan | None:
    meta_file = entry / "meta.json"
    if not meta_file.is_file():
        return None
    try:
        info = json.loads(meta_file.read_text(encoding="utf-8"))
        frames = {name: pd.read_parquet(entry / f"{name}.parquet") for name in _FRAMES}
    except (OSError, ValueError):
        return None  # a damaged cache entry is rebuilt, never trusted
    warnings = [Problem(**w) for w in info["warnings"]]
    return Plan(path=folder, meta=info["meta"], warnings=warnings, fingerprint=entry.name, **frames)


def _write_cache(entry: Path, plan: Plan) -> None:
    """Write a cache entry as a folder, atomically (temp folder, then rename)."""
    if entry.exists():
        return
    try:
        entry.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    except OSError:
        return  # a read-only install still loads, just without the cache
    try:
        for name in _FRAMES:
            getattr(plan, name).to_parquet(tmp / f"{name}.parquet", index=False)
        info = {
            "meta": plan.meta,
            "warnings": [
                {
                    "file": w.file,
                    "row": w.row,
                    "column": w.column,
                    "message": w.message,
                    "severity": w.severity,
                }
                for w in plan.warnings
            ],
        }
        (tmp / "meta.json").write_text(json.dumps(info, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, entry)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
