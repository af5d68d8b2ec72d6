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

from planmon._version import __version__
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
