"""A report notebook's set-up and its context: the plan, the scores and the chosen view.

:func:`open_report` checks the notebook's parameters against the plan, loads the plan and reads
the build's precomputed scores (or computes them); the :class:`ReportContext` it returns holds
everything the section functions need, with the derived frames computed once, on first use.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

import matplotlib as mpl
import pandas as pd

from planmon.content.blocks import text
from planmon.content.charts.style import style_rc
from planmon.content.parameters import ResolvedParameters, check_types, check_values, load_plan
from planmon.core.exceptions import ParameterError
from planmon.core.locale import LANGS
from planmon.measures.rollup import (
    DEFAULT_PROVISIONAL_BELOW,
    PROVISIONAL_SETTING,
    change_against_previous,
    rollup,
)
from planmon.measures.scores import SCORE_COLUMNS

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["ReportContext", "setup_notebook", "open_report"]


def setup_notebook(lang: str) -> None:
    """Prepare a report notebook's kernel: PNG figures, planmon's chart style, pandas display.

    Sets ``InlineBackend.figure_formats = ['png']`` (when running under IPython), applies
    planmon's chart style (:func:`planmon.content.charts.style.style_rc`) for the notebook's own ad-hoc
    plots and sets pandas display options suited to the scores frame. Call it once, first.

    Parameters
    ----------
    lang : {"fa", "en"}
        Report language (the chart fonts depend on it).
    """
    if lang not in LANGS:
        raise ParameterError(f"lang must be 'fa' or 'en', got {lang!r}")
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: nothing to configure
        shell = None
    else:
        shell = get_ipython()
    if shell is not None:
        # The inline backend registers IPython's formatter for Figure objects, so a Figure
        # left as a cell's value is shown too (not only pyplot's current figure). PNG only:
        # SVG or PDF outputs would bloat the notebook and the exported HTML.
        shell.run_line_magic("matplotlib", "inline")
        shell.run_line_magic("config", "InlineBackend.figure_formats = ['png']")
    rc = style_rc(lang)
    mpl.rcParams.update(rc)
    pd.set_option("display.max_columns", 40)
    pd.set_option("display.max_rows", 60)
    pd.set_option("display.width", 160)
    pd.set_option("display.precision", 3)


@dataclass
class ReportContext:
    """Everything a report's sections need: the plan, the scores and the chosen view.

    Build it with :func:`open_report`. Derived frames are computed once, on first use.

    Attributes
    ----------
    notebook : str
        Notebook name (``department_report``, ``plan_overview``, ...).
    plan : Plan
        The loaded plan.
    year : int
        The report year shown.
    dept_id : str
        The department (department_report) or the one to highlight; "" for none.
    lang : {"fa", "en"}
        Report language.
    scores : DataFrame
        The scores frame for every report year (from ``scores_path`` or computed).
    """

    notebook: str
    plan: Plan
    year: int
    dept_id: str
    lang: str
    scores: pd.DataFrame

    # ---- names
    def _names(self, frame: pd.DataFrame, key: str) -> dict[str, str]:
        own, other = f"name_{self.lang}", "name_fa" if self.lang == "en" else "name_en"
        out = {}
        for row in frame.itertuples(index=False):
            name = text(getattr(row, own, None)) or text(getattr(row, other, None))
            out[str(getattr(row, key))] = name or str(getattr(row, key))
        return out

    @cached_property
    def indicator_names(self) -> dict[str, str]:
        """indicator_id → name in the report language (the other language if missing)."""
        return self._names(self.plan.indicators, "indicator_id")

    @cached_property
    def department_names(self) -> dict[str, str]:
        """dept_id → name in the report language."""
        return self._names(self.plan.departments, "dept_id")

    @cached_property
    def goal_names(self) -> dict[str, str]:
        """goal_id → name in the report language."""
        return self._names(self.plan.goals, "goal_id")

    @property
    def department_name(self) -> str:
        """The report's department, by name ("" when there is none)."""
        return self.department_names.get(self.dept_id, self.dept_id)

    @property
    def plan_name(self) -> str:
        meta = self.plan.meta
        return text(meta.get(f"name_{self.lang}")) or text(meta.get("name_fa")) or self.plan.name

    @property
    def previous_year(self) -> int | None:
        """The report year before :attr:`year`, or None for the first."""
        earlier = [y for y in self.plan.report_years if y < self.year]
        return earlier[-1] if earlier else None

    # ---- frames
    @cached_property
    def year_scores(self) -> pd.DataFrame:
        """The scores of the report year (every indicator of the plan)."""
        return self.scores[self.scores["year"] == self.year].reset_index(drop=True)

    @cached_property
    def dept_scores(self) -> pd.DataFrame:
        """The department's scores in the report year, in the plan's indicator order."""
        frame = self.year_scores[self.year_scores["dept_id"] == self.dept_id]
        order = {k: i for i, k in enumerate(self.plan.indicators["indicator_id"])}
        return frame.sort_values("indicator_id", key=lambda s: s.map(order)).reset_index(drop=True)

    def _rollup(self, level: str) -> pd.DataFrame:
        """The plan's roll-up rule (:meth:`planmon.plan.model.Plan.rollup`) on these scores:
        reports received from ``report_files``, the plan's provisional threshold."""
        return rollup(
            self.scores,
            self.plan.indicators,
            self.plan.goals,
            level,
            reports=self.plan.report_files,
            provisional_below=self.provisional_below,
        )

    @property
    def provisional_below(self) -> float:
        """Coverage (% of the plan weight) below which a year's figures are provisional."""
        from planmon.core.text import parse_number

        setting = self.plan.meta.get(PROVISIONAL_SETTING)
        if setting in (None, ""):
            return DEFAULT_PROVISIONAL_BELOW
        return float(parse_number(setting))

    @cached_property
    def department_rollup(self) -> pd.DataFrame:
        """Department roll-up for every report year, with the change on the previous year."""
        return change_against_previous(self._rollup("department"), "dept_id")

    @cached_property
    def goal_rollup(self) -> pd.DataFrame:
        """Goal roll-up (macro and micro goals) for every report year, with the change."""
        return change_against_previous(self._rollup("goal"), "goal_id")

    @cached_property
    def plan_rollup(self) -> pd.DataFrame:
        """Plan roll-up for every report year, with the change on the previous year."""
        return change_against_previous(self._rollup("plan"), None)

    @cached_property
    def not_reported(self) -> list[str]:
        """The departments (with indicators) whose report for :attr:`year` was not received,
        in the plan's order."""
        return self.plan.not_reported(self.year)

    @property
    def reported(self) -> bool:
        """True when :attr:`dept_id` sent its report for :attr:`year` (or there is none)."""
        return self.dept_id not in self.not_reported


def _read_scores(path: str, plan: Plan) -> pd.DataFrame:
    """The build's precomputed scores, checked against the plan (never recomputed)."""
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise ParameterError(f"scores_path {path!r} is not a readable Parquet file: {exc}") from exc
    missing = [c for c in SCORE_COLUMNS if c not in frame.columns]
    if missing:
        raise ParameterError(
            f"scores_path {path!r} lacks column(s) {', '.join(missing)}; write it with "
            'Plan.scores().to_parquet(...) or pass scores_path=""'
        )
    unknown = sorted(set(frame["indicator_id"]) - set(plan.indicators["indicator_id"]))
    if unknown:
        raise ParameterError(
            f"scores_path {path!r} has indicator(s) the plan does not know "
            f"({', '.join(unknown[:5])}); it was written for another plan or an older "
            "version of it: rebuild it"
        )
    return frame


def open_report(
    notebook: str,
    plan_path: str = "",
    year: int = 0,
    dept_id: str = "",
    lang: str = "fa",
    scores_path: str = "",
) -> ReportContext:
    """Load the plan and the scores for one report notebook, checking the parameters.

    The arguments are the notebook's parameters, in the order of its ``parameters`` cell.

    Parameters
    ----------
    notebook : str
        The notebook's name (decides how an empty ``dept_id`` resolves).
    plan_path : str
        Plan folder; "" = the bundled sample (:data:`planmon.core.config.SAMPLE_PLAN`).
    year : int
        Report year; 0 = the latest.
    dept_id : str
        Department; "" = the first department (department_report) or none.
    lang : {"fa", "en"}
        Report language.
    scores_path : str
        Parquet file of the whole plan's scores written by the build; "" = compute them.
        When given, the scores are read from it and never recomputed.

    Returns
    -------
    ReportContext

    Raises
    ------
    ParameterError
        A wrong type or value, with the fix named (see
        :func:`planmon.content.parameters.check_values`).
    PlanValidationError
        The plan breaks the data contract.
    """
    given = {
        "plan_path": plan_path,
        "year": year,
        "dept_id": dept_id,
        "lang": lang,
        "scores_path": scores_path,
    }
    check_types(notebook, given)
    plan = load_plan(plan_path, scores_path)
    resolved: ResolvedParameters = check_values(notebook, plan, given)
    scores = _read_scores(scores_path, plan) if scores_path else plan.scores()
    return ReportContext(
        notebook=notebook,
        plan=plan,
        year=resolved.year,
        dept_id=resolved.dept_id,
        lang=resolved.lang,
        scores=scores,
    )
