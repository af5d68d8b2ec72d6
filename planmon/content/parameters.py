"""The report notebooks and their parameter contract, checked before any kernel starts.

Every planmon report notebook has one cell tagged ``parameters`` with the same five typed
defaults (:data:`PARAMETERS`). :func:`validate_parameters` reads that cell with :mod:`ast` (the
names and types :func:`papermill.inspect_notebook` would report) and refuses unknown names and
wrong types (papermill itself would only warn and run the notebook with the misspelt value
ignored), then checks the values
against the plan: the language, the department and the report year. A mistake therefore costs
a clear :class:`~planmon.core.exceptions.ParameterError` naming the fix, not a kernel start and a
traceback in a half-built report.

:func:`check_values` is the part that needs only the plan; :func:`planmon.content.report.open_report`
runs it inside the notebook too, so a notebook started by hand (JupyterLab, ``papermill`` CLI)
fails the same way.
"""

from __future__ import annotations

import ast
import difflib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.core import config
from planmon.core.exceptions import InputFileError, ParameterError
from planmon.core.locale import LANGS
from planmon.io.notebook_cells import code_cells

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = [
    "resolve_notebook",
    "NOTEBOOK_NAMES",
    "PARAMETERS",
    "LANGUAGES",
    "notebook_path",
    "notebook_parameters",
    "validate_parameters",
    "check_types",
    "check_values",
    "load_plan",
    "PLAN_CACHE_KEY",
    "ResolvedParameters",
]

#: The report notebooks in ``notebooks/`` (each with a jupytext ``.py`` twin).
NOTEBOOK_NAMES: tuple[str, ...] = (
    "department_report",
    "plan_overview",
    "district_comparison",
    "explore",
)

#: The parameters every report notebook takes, with their types and defaults.
#: ``plan_path`` "" = the bundled sample; ``year`` 0 = the latest report year; ``dept_id`` "" =
#: the first department (department_report) or none; ``scores_path`` "" = compute the scores.
PARAMETERS: dict[str, tuple[type, Any]] = {
    "plan_path": (str, ""),
    "year": (int, 0),
    "dept_id": (str, ""),
    "lang": (str, "fa"),
    "scores_path": (str, ""),
}

#: Report languages (the one list, :data:`planmon.core.locale.LANGS`).
LANGUAGES: tuple[str, ...] = LANGS

#: Key of the scores file's Parquet metadata naming the plan's parse-cache entry: a kernel handed
#: the build's scores reads the plan from there instead of finding and hashing every input file.
PLAN_CACHE_KEY = b"planmon.plan_cache"

_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


def notebook_path(name: str) -> Path:
    """Path of a report notebook by name (``"department_report"`` → ``notebooks/….ipynb``).

    Raises
    ------
    ParameterError
        If ``name`` is not one of :data:`NOTEBOOK_NAMES`.
    """
    if name not in NOTEBOOK_NAMES:
        raise ParameterError(
            f"unknown report notebook {name!r}; known: {', '.join(NOTEBOOK_NAMES)}"
        )
    return config.NOTEBOOKS / f"{name}.ipynb"


def resolve_notebook(notebook: str | os.PathLike[str]) -> Path:
    path = Path(notebook)
    if path.suffix != ".ipynb" and str(notebook) in NOTEBOOK_NAMES:
        return notebook_path(str(notebook))
    if not path.is_file():
        raise ParameterError(f"notebook {path} not found")
    return path


def notebook_parameters(notebook: str | os.PathLike[str]) -> dict[str, type]:
    """The parameters a notebook declares, name → Python type, in the cell's order.

    Types come from the annotations of the ``parameters`` cell (``year: int = 0``), read with
    :mod:`ast` from the notebook's JSON: the same names and types
    :func:`papermill.inspect_notebook` reports (a test holds the two together), without
    importing papermill, which costs the build half a second before any report starts.

    Raises
    ------
    ParameterError
        If the notebook is missing or unreadable, has no ``parameters`` cell, or annotates a
        parameter with a type other than str, int, float or bool.
    """
    path = resolve_notebook(notebook)
    source = _parameters_source(path)
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(
            f"{path.name}: the parameters cell is not valid Python (line {exc.lineno}: {exc.msg})"
        ) from exc
    out: dict[str, type] = {}
    for statement in tree.body:
        if isinstance(statement, ast.AnnAssign) and isinstance(statement.target, ast.Name):
            name = statement.target.id
            annotation = statement.annotation
            type_name = annotation.id if isinstance(annotation, ast.Name) else ""
        elif isinstance(statement, ast.Assign):
            names = [t.id for t in statement.targets if isinstance(t, ast.Name)]
            name, type_name = (names[0] if names else ""), ""
        else:
            continue
        if type_name not in _TYPES:
            raise ParameterError(
                f"{path.name}: parameter {name!r} needs a type annotation "
                f"(str, int, float or bool), found {type_name or 'none'!r}"
            )
        out[name] = _TYPES[type_name]
    if not out:
        raise ParameterError(f"{path.name} has no cell tagged 'parameters'")
    return out


def _parameters_source(path: Path) -> str:
    """The source of the notebook's first code cell tagged ``parameters`` ("" if none)."""
    try:
        cells = code_cells(path)
    except (OSError, ValueError) as exc:
        raise ParameterError(f"{path}: not a readable notebook ({exc})") from exc
    return next((cell.source for cell in cells if "parameters" in cell.tags), "")


def _type_error(notebook: str, name: str, expected: type, value: Any) -> ParameterError:
    example = {"int": f"{name}=1398", "str": f'{name}="..."'}.get(expected.__name__, "")
    hint = f"; for example {example}" if example else ""
    return ParameterError(
        f"parameter {name!r} of {notebook} must be {expected.__name__}, got "
        f"{type(value).__name__} {value!r}{hint}"
    )


def _is_instance(value: Any, expected: type) -> bool:
    # bool is an int subclass, but year=True is a mistake, not a year.
    if expected is not bool and isinstance(value, bool):
        return False
    if expected is float:
        return isinstance(value, (int, float))
    return isinstance(value, expected)


def validate_parameters(
    notebook_path: str | os.PathLike[str],
    params: Mapping[str, Any],
    *,
    plan: Plan | None = None,
) -> None:
    """Refuse parameters a notebook would not use correctly, before any kernel starts.

    Checks, in order: every name is declared in the notebook's ``parameters`` cell; every
    value has the declared type; then the values (see :func:`check_values`).

    Parameters
    ----------
    notebook_path : path or str
        The ``.ipynb`` file, or a name from :data:`NOTEBOOK_NAMES`.
    params : mapping
        Parameter name → value, as they would be passed to papermill.
    plan : Plan, optional
        The plan the values refer to; loaded from ``params["plan_path"]`` (or the sample)
        when not given. Pass it when validating many jobs of one plan.

    Raises
    ------
    ParameterError
        Unknown name (with the known ones and the nearest match), wrong type, or a value the
        plan does not have; the message names the fix.
    PlanValidationError
        If the plan itself breaks the data contract.
    """
    path = resolve_notebook(notebook_path)
    name = path.stem
    declared = notebook_parameters(path)
    for key in params:
        if key not in declared:
            near = difflib.get_close_matches(key, list(declared), n=1)
            hint = f" (did you mean {near[0]!r}?)" if near else ""
            raise ParameterError(
                f"unknown parameter {key!r} for {name}; known: {', '.join(declared)}{hint}"
            )
    check_types(name, params, declared)
    values = {k: default for k, (_, default) in PARAMETERS.items() if k in declared}
    values.update(params)
    if plan is None:
        plan = load_plan(str(values.get("plan_path", "")))
    check_values(name, plan, values)


def check_types(
    notebook: str, params: Mapping[str, Any], types: Mapping[str, type] | None = None
) -> None:
    """Refuse a parameter whose value is not of its declared type.

    Parameters
    ----------
    notebook : str
        Notebook name (for the message).
    params : mapping
        Parameter name → value; names not in ``types`` are not checked here.
    types : mapping, optional
        Name → type; default the contract's :data:`PARAMETERS`. ``bool`` is not accepted
        as ``int``.

    Raises
    ------
    ParameterError
        Naming the parameter, the type found and an example of the right one.
    """
    declared = types if types is not None else {k: t for k, (t, _) in PARAMETERS.items()}
    for key, value in params.items():
        if key in declared and not _is_instance(value, declared[key]):
            raise _type_error(notebook, key, declared[key], value)


def load_plan(plan_path: str, scores_path: str = "") -> Plan:
    """Load the plan a notebook parameter names ("" = the bundled sample).

    Parameters
    ----------
    plan_path : str
        The plan folder, or "" for the bundled sample.
    scores_path : str
        The scores file ``planmon build`` wrote for this plan, if any. Its metadata names the
        plan's parse-cache entry (:data:`PLAN_CACHE_KEY`), which is then read directly: the
        kernel does not find and hash every input file again, and every report of one build
        shows the same plan. Without it (or if the entry is gone) the plan is loaded as usual.

    Raises
    ------
    ParameterError
        If the folder does not exist or cannot be read.
    PlanValidationError
        If the plan breaks the data contract.
    """
    from planmon.plan.load import load

    folder = Path(plan_path) if plan_path else config.SAMPLE_PLAN
    if not folder.exists():
        where = f"plan_path {plan_path!r}" if plan_path else f"the sample plan {folder}"
        fix = (
            "pass the folder holding plan.xlsx or plan/*.csv"
            if plan_path
            else "pass plan_path or write the sample there first"
        )
        raise ParameterError(f"{where} does not exist; {fix}")
    if scores_path:
        cached = _plan_of_scores(scores_path, folder)
        if cached is not None:
            return cached
    try:
        return load(folder)
    except InputFileError as exc:
        raise ParameterError(f"plan_path {str(folder)!r} cannot be read: {exc}") from exc


def _plan_of_scores(scores_path: str, folder: Path) -> Plan | None:
    """The plan of the cache entry the scores file names, or None."""
    import pyarrow.parquet as pq

    from planmon.plan.cache import read_cache  # the build has just written and checked it

    try:
        metadata = pq.read_schema(scores_path).metadata or {}
    except (OSError, ValueError):
        return None  # not a Parquet file: open_report says so when it reads the scores
    entry = metadata.get(PLAN_CACHE_KEY)
    return read_cache(Path(entry.decode("utf-8")), folder) if entry else None


@dataclass(frozen=True)
class ResolvedParameters:
    """A notebook's parameters with the defaults replaced by what they stand for.

    Attributes
    ----------
    plan_path : str
        As given ("" = the bundled sample).
    year : int
        A report year of the plan (0 was resolved to the latest).
    dept_id : str
        A department id, or "" for none (department_report always resolves it).
    lang : {"fa", "en"}
        Report language.
    scores_path : str
        The precomputed scores file, or "" to compute them.
    """

    plan_path: str
    year: int
    dept_id: str
    lang: str
    scores_path: str


def check_values(notebook: str, plan: Plan, params: Mapping[str, Any]) -> ResolvedParameters:
    """Check parameter values against the plan and resolve the defaults.

    Parameters
    ----------
    notebook : str
        Notebook name (for messages; ``department_report`` resolves an empty ``dept_id`` to
        the plan's first department).
    plan : Plan
        The plan the values refer to.
    params : mapping
        ``plan_path``, ``year``, ``dept_id``, ``lang``, ``scores_path`` (missing ones take
        their defaults).

    Returns
    -------
    ResolvedParameters
        ``year`` is the report year to show (0 → the latest), ``dept_id`` the department.

    Raises
    ------
    ParameterError
        ``lang`` not fa/en, ``dept_id`` not a department of the plan, ``year`` not a report
        year (or the plan has none), ``scores_path`` not a file.
    """
    values = {k: default for k, (_, default) in PARAMETERS.items()}
    values.update(params)
    lang = values["lang"]
    if lang not in LANGUAGES:
        raise ParameterError(f"lang must be 'fa' or 'en', got {lang!r}; for example lang=\"fa\"")

    report_years = plan.report_years
    if not report_years:
        raise ParameterError(
            f"the plan {plan.path} has no reports yet; add reports/<year>/<dept_id> files"
        )
    year = int(values["year"])
    if year == 0:
        year = report_years[-1]
    elif year not in report_years:
        listed = ", ".join(map(str, report_years))
        raise ParameterError(
            f"year {year} has no reports in {plan.path}; report years: {listed} "
            "(or year=0 for the latest)"
        )

    dept_ids = plan.dept_ids
    dept_id = str(values["dept_id"])
    if dept_id and dept_id not in dept_ids:
        near = difflib.get_close_matches(dept_id, dept_ids, n=1)
        hint = f" (did you mean {near[0]!r}?)" if near else ""
        shown = ", ".join(dept_ids[:20]) + (", …" if len(dept_ids) > 20 else "")
        raise ParameterError(
            f"dept_id {dept_id!r} is not a department of the plan{hint}; known: {shown}"
        )
    if not dept_id and notebook == "department_report":
        dept_id = dept_ids[0]

    scores_path = str(values["scores_path"])
    if scores_path and not Path(scores_path).is_file():
        raise ParameterError(
            f"scores_path {scores_path!r} is not a file; pass the Parquet file the build "
            'wrote, or scores_path="" to compute the scores'
        )
    return ResolvedParameters(
        plan_path=str(values["plan_path"]),
        year=year,
        dept_id=dept_id,
        lang=lang,
        scores_path=scores_path,
    )
