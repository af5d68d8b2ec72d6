"""planmon: monitor a city's five-year strategic-operational plan.

Load and validate a plan and its departments' annual reports, compute every indicator's
conformity, distance to the horizon and progress with published methods, and build the
analytic reports and the management dashboard.

>>> import planmon
>>> plan = planmon.load()                    # doctest: +SKIP
>>> plan.scores(year=1398)                   # doctest: +SKIP
>>> plan.rollup("department")                # doctest: +SKIP
"""

from __future__ import annotations

import os as _os

# pyarrow's default allocator (mimalloc) reserves ~1 GiB of address space when pandas makes its
# first string column: under a memory cap (``ulimit -v``, RLIMIT_AS) even a tiny plan would fail
# with MemoryError. The system allocator reserves only what is used. Set before pandas loads.
_os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

from typing import TYPE_CHECKING, Any

from planmon._version import __version__

# The names below are imported on first use (PEP 562), so ``import planmon`` — and with it
# every ``planmon`` command, e.g. a no-op ``planmon build`` — does not pay for pandas, scipy
# and statsmodels until something needs them.
_HOMES: dict[str, str] = {
    "interpret_department": "planmon.content.interpret",
    "interpret_indicator": "planmon.content.interpret",
    "BuildError": "planmon.core.exceptions",
    "BuildLockedError": "planmon.core.exceptions",
    "InputFileError": "planmon.core.exceptions",
    "ParameterError": "planmon.core.exceptions",
    "PlanmonError": "planmon.core.exceptions",
    "PlanValidationError": "planmon.core.exceptions",
    "Problem": "planmon.core.exceptions",
    "format_number": "planmon.core.locale",
    "format_year": "planmon.core.locale",
    "PlanTables": "planmon.core.schema",
    "write_plan": "planmon.io.plan_writer",
    "STATUSES": "planmon.measures.progress",
    "achievement_pct": "planmon.measures.progress",
    "annual_growth": "planmon.measures.progress",
    "compute_progress": "planmon.measures.progress",
    "distance_to_horizon": "planmon.measures.progress",
    "escap_indices": "planmon.measures.progress",
    "maintain_status": "planmon.measures.progress",
    "open_sdg_progress": "planmon.measures.progress",
    "pace_ratio": "planmon.measures.progress",
    "change_against_previous": "planmon.measures.rollup",
    "rollup": "planmon.measures.rollup",
    "SCORE_COLUMNS": "planmon.measures.scores",
    "compute_scores": "planmon.measures.scores",
    "fit_trend_statsmodels": "planmon.measures.trend",
    "project_trends": "planmon.measures.trend",
    "check": "planmon.plan.load",
    "load": "planmon.plan.load",
    "Plan": "planmon.plan.model",
    "qazvin_sample": "planmon.sample.qazvin",
    "synthetic_plan": "planmon.sample.synthetic",
}

if TYPE_CHECKING:
    from planmon.content.interpret import interpret_department, interpret_indicator
    from planmon.core.exceptions import (
        BuildError,
        BuildLockedError,
        InputFileError,
        ParameterError,
        PlanmonError,
        PlanValidationError,
        Problem,
    )
    from planmon.core.locale import format_number, format_year
    from planmon.core.schema import PlanTables
    from planmon.io.plan_writer import write_plan
    from planmon.measures.progress import (
        STATUSES,
        achievement_pct,
        annual_growth,
        compute_progress,
        distance_to_horizon,
        escap_indices,
        maintain_status,
        open_sdg_progress,
        pace_ratio,
    )
    from planmon.measures.rollup import change_against_previous, rollup
    from planmon.measures.scores import SCORE_COLUMNS, compute_scores
    from planmon.measures.trend import fit_trend_statsmodels, project_trends
    from planmon.plan.load import check, load
    from planmon.plan.model import Plan
    from planmon.sample.qazvin import qazvin_sample
    from planmon.sample.synthetic import synthetic_plan


def __getattr__(name: str) -> Any:
    import importlib

    try:
        home = _HOMES[name]
    except KeyError:
        raise AttributeError(f"module 'planmon' has no attribute {name!r}") from None
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_HOMES))


__all__ = [
    "__version__",
    # loading and validation
    "load",
    "check",
    "Plan",
    "Problem",
    # indicator maths
    "STATUSES",
    "SCORE_COLUMNS",
    "compute_scores",
    "compute_progress",
    "achievement_pct",
    "maintain_status",
    "distance_to_horizon",
    "annual_growth",
    "open_sdg_progress",
    "escap_indices",
    "pace_ratio",
    "project_trends",
    "fit_trend_statsmodels",
    "rollup",
    "change_against_previous",
    "interpret_indicator",
    "interpret_department",
    "format_number",
    "format_year",
    # sample data
    "PlanTables",
    "qazvin_sample",
    "synthetic_plan",
    "write_plan",
    # errors
    "PlanmonError",
    "PlanValidationError",
    "InputFileError",
    "ParameterError",
    "BuildError",
    "BuildLockedError",
]
