"""planmon: monitor a city's five-year strategic-operational plan.

Load and validate a plan and its departments' annual reports, compute every indicator's
conformity, distance to the horizon and progress with published methods, and build the
analytic reports and the management dashboard.
"""

from __future__ import annotations

__version__ = "0.1.0"

from planmon.exceptions import (
    BuildError,
    BuildLockedError,
    InputFileError,
    ParameterError,
    PlanmonError,
    PlanValidationError,
    Problem,
)
from planmon.plan import Plan, check, load

__all__ = [
    "__version__",
    "load",
    "check",
    "Plan",
    "Problem",
    "PlanmonError",
    "PlanValidationError",
    "InputFileError",
    "ParameterError",
    "BuildError",
    "BuildLockedError",
]
