"""Validation of a plan against the data contract, with every finding located.

Two passes, both lazy (every problem is collected before anything is reported):

1. **Per table** (:mod:`~planmon.plan.validation.cells`), one vectorised pass per column checks
   what one table can know alone (all report files as one table): required columns, empty cells, ids that are not simple slugs, numbers
   that are not finite numbers, words that are not accepted (``direction``, ``kind``, ``level``).
2. **Across tables**, plain vectorised pandas checks what needs more than one table: unknown
   ids and duplicate keys (:mod:`~planmon.plan.validation.keys`,
   :mod:`~planmon.plan.validation.tables`), the plan's settings and years
   (:mod:`~planmon.plan.validation.meta`), the annual reports
   (:mod:`~planmon.plan.validation.reports`), and the *warnings* for what is legal but
   suspicious (:mod:`~planmon.plan.validation.warnings`).

Each finding is a :class:`~planmon.core.exceptions.Problem` with the file, the row number the
analyst sees in Excel (header = row 1) and the column as written in the file.
:func:`validate_tables` (:mod:`~planmon.plan.validation.validate`) runs them all.
"""

from __future__ import annotations

from planmon.plan.validation.cells import YEAR_RANGES, parse_year
from planmon.plan.validation.reports import ReportTable
from planmon.plan.validation.validate import ValidatedPlan, validate_tables

__all__ = ["ReportTable", "ValidatedPlan", "validate_tables", "YEAR_RANGES", "parse_year"]
