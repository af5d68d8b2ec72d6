"""Loading a plan folder: :func:`load` (validated, cached) and :func:`check` (errors and
warnings, no cache).

>>> import planmon
>>> plan = planmon.load()                         # doctest: +SKIP
>>> errors, warnings = planmon.check("data/raw/qazvin")   # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from planmon.core import config
from planmon.core.exceptions import InputFileError, PlanValidationError, Problem
from planmon.io.plan_files import PlanFiles, content_hash, discover, read_plan_tables, read_report
from planmon.plan.cache import CACHE_VERSION, read_cache, write_cache
from planmon.plan.model import Plan

__all__ = ["load", "check"]


def check(path: str | os.PathLike[str] | None = None) -> tuple[list[Problem], list[Problem]]:
    """Validate a plan folder without caching; return ``(errors, warnings)``.

    Unlike :func:`load` this does not raise for bad data, only for a folder that cannot be
    read at all (:class:`~planmon.core.exceptions.InputFileError`).
    """
    result = _read_and_validate(discover(Path(path) if path else config.SAMPLE_PLAN))
    return result.problems, result.warnings


def _read_and_validate(files: PlanFiles):
    """Read every file ``discover`` found and validate them together."""
    # a cached load never needs the validation modules
    from planmon.plan.validation import ReportTable, validate_tables

    tables, problems = read_plan_tables(files)
    reports: list[ReportTable] = []
    for report in files.reports:
        try:
            raw = read_report(report, as_frame=False)
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
        cached = None if files.problems else read_cache(cache_dir / key, folder)
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
        commentary=result.commentary,
        actions=result.actions,
        warnings=result.warnings,
        fingerprint=key,
    )
    if cache_dir is not None:
        write_cache(cache_dir / key, plan)
    return plan
