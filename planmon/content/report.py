"""The content of planmon's analytic report notebooks, in Persian or English.

A report notebook is thin: a ``parameters`` cell, one call to :func:`open_report`, then one
call per section into this module. Every section function takes the :class:`ReportContext`
and returns a :class:`Block` — headings, paragraphs and tables as HTML, charts as PNG — which
the notebook displays as the last expression of its cell. Nothing here prints or writes files.

* Department report: :func:`department_title`, :func:`department_headline`,
  :func:`indicator_table`, :func:`comparison_section`, :func:`distance_section`,
  :func:`indicator_sections`, :func:`notes_section`, :func:`data_gaps_section`,
  :func:`passport_appendix`.
* Plan overview: :func:`overview_title`, :func:`plan_headline`, :func:`ranking_section`,
  :func:`heatmap_section`, :func:`goal_table`, :func:`change_table`.
* District comparison: :func:`district_title`, :func:`district_section` (indicators matched
  across districts by :func:`district_matches`).
* Exploration: :func:`explore_title`, :func:`warnings_table`, :func:`rollups`,
  :func:`indicator_figure`.

Text from the plan (names, notes, passports) is untrusted: everything this module puts into
HTML goes through :func:`html.escape`. Persian output is Persian throughout — headings, table
headers, status words, units the module knows (:data:`UNIT_LABELS`) and numbers in Persian
digits (:func:`planmon.content.interpret.format_number`).
"""

from __future__ import annotations

import base64
import html
import math
import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

import matplotlib as mpl
import numpy as np
import pandas as pd

from planmon.content import charts
from planmon.content.interpret import (
    MIN_TREND_POINTS,
    UNIT_LABELS,
    format_number,
    format_percent,
    format_year,
    interpret_department,
    interpret_indicator,
    localise_unit,
)
from planmon.core.exceptions import ParameterError
from planmon.core.text import clean_text, name_key, to_persian_digits
from planmon.execution.parameters import ResolvedParameters, check_types, check_values, load_plan
from planmon.measures.rollup import change_against_previous, rollup

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from planmon.plan.model import Plan

__all__ = [
    "Block",
    "ReportContext",
    "UNIT_LABELS",
    "setup_notebook",
    "open_report",
    "localise_unit",
    "data_gaps",
    "district_matches",
    # department report
    "department_title",
    "department_headline",
    "indicator_table",
    "comparison_section",
    "distance_section",
    "indicator_sections",
    "notes_section",
    "data_gaps_section",
    "passport_appendix",
    # plan overview
    "overview_title",
    "plan_headline",
    "ranking_section",
    "heatmap_section",
    "goal_table",
    "change_table",
    # district comparison
    "district_title",
    "district_section",
    # exploration
    "explore_title",
    "warnings_table",
    "rollups",
    "indicator_figure",
]

# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------

_ZWNJ = "\u200c"


_LEVELS = {
    "fa": {"input": "درون‌داد", "output": "برون‌داد", "outcome": "پیامد", "impact": "اثر"},
    "en": {"درون‌داد": "input", "برون‌داد": "output", "پیامد": "outcome", "اثر": "impact"},
}
_FREQUENCIES = {
    "fa": {"annual": "سالانه", "yearly": "سالانه", "monthly": "ماهانه", "quarterly": "فصلی"},
    "en": {"سالانه": "annual", "ماهانه": "monthly", "فصلی": "quarterly", "شش‌ماهه": "half-yearly"},
}
_DIRECTIONS = {
    "fa": {"increase": "افزایشی", "decrease": "کاهشی", "maintain": "حفظ وضع موجود"},
    "en": {
        "increase": "increase (higher is better)",
        "decrease": "decrease (lower is better)",
        "maintain": "maintain (stay within tolerance)",
    },
}
_KINDS = {
    "fa": {"deputy": "معاونت", "district": "منطقه", "organization": "سازمان"},
    "en": {"deputy": "deputy", "district": "district", "organization": "organization"},
}

_WORDS: dict[str, dict[str, str]] = {
    "fa": {
        "report_of": "گزارش پایش سال {year}",
        "overview_title": "نمای کلی برنامه در سال {year}",
        "district_title": "مقایسه مناطق در سال {year}",
        "explore_title": "کاوش داده‌های برنامه",
        "kind": "نوع واحد",
        "horizon": "افق برنامه",
        "headline": "خلاصه عملکرد",
        "conformity": "انطباق با اهداف سالانه",
        "progress_score": "امتیاز پیشرفت (−۵ تا ۵)",
        "distance": "مسیر طی‌شده تا هدف افق",
        "coverage": "شاخص‌های دارای مقدار",
        "coverage_value": "{k} از {n}",
        "change_points": "{arrow} {value} واحد درصد نسبت به {year}",
        "change_score": "{arrow} {value} امتیاز نسبت به {year}",
        "same_as": "بدون تغییر نسبت به {year}",
        "no_previous": "سال قبلی برای مقایسه نیست",
        "statuses": "وضعیت شاخص‌ها",
        "score_sentence": "میانگین امتیاز پیشرفت شاخص‌ها (در مقیاس −۵ تا ۵) {score} بود",
        "plan_score_sentence": (
            "میانگین امتیاز پیشرفت شاخص‌های برنامه (در مقیاس −۵ تا ۵) {score} بود"
        ),
        "achievement_axis": "درصد تحقق هدف سال",
        "score_short": "امتیاز پیشرفت",
        "summary_plan": "برنامه",
        "summary_years": "سال‌های برنامه",
        "summary_years_value": "{first} تا {horizon} (سال پایه {baseline})",
        "summary_departments": "واحدها",
        "summary_goals": "اهداف",
        "summary_indicators": "شاخص‌ها",
        "summary_report_years": "سال‌های گزارش",
        "summary_reports": "گزارش‌های دریافت‌شده",
        "summary_warnings": "هشدارها",
        "list_separator": "، ",
        "score_up": "؛ یعنی {value} امتیاز بیشتر از سال {year}",
        "score_down": "؛ یعنی {value} امتیاز کمتر از سال {year}",
        "score_same": "؛ تقریباً همان رقم سال {year}",
        "no_indicators": "برای «{name}» در برنامه شاخصی تعریف نشده است.",
        "indicator_table": "جدول شاخص‌ها",
        "indicator": "شاخص",
        "unit": "واحد سنجش",
        "baseline": "مقدار پایه",
        "target_year": "هدف {year}",
        "value_year": "مقدار {year}",
        "achievement": "تحقق هدف سال",
        "distance_short": "مسیر طی‌شده",
        "horizon_target": "هدف افق",
        "status": "وضعیت",
        "comparison": "تحقق هدف سال {year} در همه شاخص‌ها",
        "comparison_note": "طول هر میله درصد تحقق هدف سال است؛ خط‌چین، تحقق کامل (۱۰۰٪).",
        "distance_title": "فاصله تا هدف افق ({year})",
        "distance_note": (
            "هر میله نشان می‌دهد چه سهمی از فاصله مقدار پایه تا هدف افق طی شده است؛ "
            "خط عمودی سیاه، سهم زمان سپری‌شده از برنامه است."
        ),
        "details": "شاخص به شاخص",
        "notes": "توضیحات ارسال‌شده با گزارش سال {year}",
        "note": "توضیح",
        "source": "منبع",
        "no_notes": "همراه گزارش این سال توضیحی ارسال نشده است.",
        "gaps": "کمبودهای داده",
        "no_gaps": "در سال {year} کمبود داده‌ای دیده نشد.",
        "gap_no_report": "گزارش سال {year} این واحد دریافت نشده است.",
        "gap_blank_value": "«{name}»: خانه مقدار در گزارش سال {year} خالی است",
        "gap_not_reported": "«{name}»: در گزارش سال {year} نیامده است.",
        "gap_no_targets": "«{name}»: در برنامه هیچ هدف کمی ندارد.",
        "gap_no_target_year": "«{name}»: برای سال {year} هدف کمی تعیین نشده است.",
        "gap_reason": "؛ توضیح واحد: {note}.",
        "appendix": "پیوست: شناسنامه شاخص‌ها",
        "no_passports": "برای شاخص‌های این واحد شناسنامه‌ای در برنامه ثبت نشده است.",
        "passport_id": "شناسه",
        "passport_direction": "جهت مطلوب",
        "level": "سطح",
        "definition": "تعریف",
        "formula": "فرمول محاسبه",
        "responsible": "واحد مسئول",
        "frequency": "تناوب اندازه‌گیری",
        "plan_headline": "خلاصه برنامه",
        "plan_sentence": (
            "در سال {year}، میانگین وزنی انطباق کل برنامه با اهداف سالانه {conf} بود{change}. "
            "از {n} شاخص برنامه، {k} شاخص مقدار گزارش‌شده داشتند."
        ),
        "plan_change_up": "؛ یعنی {value} واحد درصد بیشتر از سال {prev}",
        "plan_change_down": "؛ یعنی {value} واحد درصد کمتر از سال {prev}",
        "plan_change_same": "؛ تقریباً همان رقم سال {prev}",
        "ranking": "رتبه‌بندی واحدها بر پایه میانگین امتیاز پیشرفت",
        "ranking_note": "امتیاز پیشرفت از −۵ (پسرفت) تا ۵ (تحقق هدف) است؛ صفر یعنی درجا زدن.",
        "heatmap": "میانگین امتیاز پیشرفت به تفکیک واحد و هدف کلان",
        "heatmap_note": (
            "هر خانه میانگین امتیاز شاخص‌های یک واحد در یک هدف کلان است؛ خانه خالی یعنی شاخصی نیست."
        ),
        "goals": "عملکرد اهداف کلان و خرد",
        "goal": "هدف",
        "n_indicators": "تعداد شاخص",
        "change": "تغییر نسبت به {year}",
        "changes": "تغییر نسبت به سال {year}",
        "no_change_year": "سال {year} نخستین سال گزارش است و سال قبلی برای مقایسه وجود ندارد.",
        "department": "واحد",
        "conformity_prev": "انطباق {year}",
        "conformity_now": "انطباق {year}",
        "score_now": "امتیاز {year}",
        "score_change": "تغییر امتیاز",
        "districts_chart": "تحقق هدف سال {year} در مناطق",
        "districts_note": (
            "هر گروه میله یک شاخص مشترک میان مناطق است و هر میله یک منطقه؛ "
            "خط‌چین، تحقق کامل هدف سال (۱۰۰٪)."
        ),
        "districts_table": "مقدار شاخص‌های مشترک در مناطق",
        "no_districts": "در این برنامه دست‌کم دو منطقه با شاخص مشترک وجود ندارد.",
        "of_target": "{pct} هدف",
        "warnings": "هشدارهای بارگذاری برنامه",
        "no_warnings": "هنگام بارگذاری برنامه هشداری ثبت نشد.",
        "file": "پرونده",
        "row": "ردیف",
        "column": "ستون",
        "message": "پیام",
    },
    "en": {
        "report_of": "Monitoring report for {year}",
        "overview_title": "Plan overview, {year}",
        "district_title": "Districts compared, {year}",
        "explore_title": "Exploring the plan's data",
        "kind": "Unit type",
        "horizon": "Plan horizon",
        "headline": "Summary",
        "conformity": "Conformity with annual targets",
        "progress_score": "Progress score (−5 to 5)",
        "distance": "Distance covered to the horizon target",
        "coverage": "Indicators with a value",
        "coverage_value": "{k} of {n}",
        "change_points": "{arrow} {value} percentage points on {year}",
        "change_score": "{arrow} {value} points on {year}",
        "same_as": "no change on {year}",
        "no_previous": "no earlier year to compare",
        "statuses": "Indicator status",
        "score_sentence": (
            "The mean progress score of its indicators (on a scale of −5 to 5) was {score}"
        ),
        "plan_score_sentence": (
            "The mean progress score of the plan's indicators (on a scale of −5 to 5) was {score}"
        ),
        "achievement_axis": "Achievement of this year's target (%)",
        "score_short": "Progress score",
        "summary_plan": "Plan",
        "summary_years": "Plan years",
        "summary_years_value": "{first}–{horizon} (baseline {baseline})",
        "summary_departments": "Units",
        "summary_goals": "Goals",
        "summary_indicators": "Indicators",
        "summary_report_years": "Report years",
        "summary_reports": "Reports received",
        "summary_warnings": "Warnings",
        "list_separator": ", ",
        "score_up": ", {value} points higher than in {year}",
        "score_down": ", {value} points lower than in {year}",
        "score_same": ", about the same as in {year}",
        "no_indicators": "The plan defines no indicators for {name}.",
        "indicator_table": "Indicators",
        "indicator": "Indicator",
        "unit": "Unit",
        "baseline": "Baseline",
        "target_year": "Target {year}",
        "value_year": "Actual {year}",
        "achievement": "Achievement",
        "distance_short": "Distance covered",
        "horizon_target": "Horizon target",
        "status": "Status",
        "comparison": "Achievement of the {year} targets, all indicators",
        "comparison_note": (
            "Each bar is the share of the year's target achieved; the dashed line is 100 %."
        ),
        "distance_title": "Distance to the horizon target ({year})",
        "distance_note": (
            "Each bar is the share of the way from the baseline to the horizon target covered "
            "so far; the black tick is the share of plan time elapsed."
        ),
        "details": "Indicator by indicator",
        "notes": "Notes sent with the {year} report",
        "note": "Note",
        "source": "Source",
        "no_notes": "No notes came with this year's report.",
        "gaps": "Data gaps",
        "no_gaps": "No data gaps in {year}.",
        "gap_no_report": "No report was received from this unit for {year}.",
        "gap_blank_value": "{name}: the value was left blank in the {year} report",
        "gap_not_reported": "{name}: missing from the {year} report.",
        "gap_no_targets": "{name}: the plan sets no targets.",
        "gap_no_target_year": "{name}: no target is set for {year}.",
        "gap_reason": "; the unit's note: {note}.",
        "appendix": "Appendix: indicator passports",
        "no_passports": "The plan holds no passports for this unit's indicators.",
        "passport_id": "Id",
        "passport_direction": "Desired direction",
        "level": "Level",
        "definition": "Definition",
        "formula": "Formula",
        "responsible": "Responsible unit",
        "frequency": "Frequency",
        "plan_headline": "Plan summary",
        "plan_sentence": (
            "In {year} the plan's weighted conformity with its annual targets was {conf}"
            "{change}. Of its {n} indicators, {k} had a reported value."
        ),
        "plan_change_up": ", {value} percentage points higher than in {prev}",
        "plan_change_down": ", {value} percentage points lower than in {prev}",
        "plan_change_same": ", about the same as in {prev}",
        "ranking": "Units ranked by mean progress score",
        "ranking_note": (
            "The progress score runs from −5 (deterioration) to 5 (target achieved); "
            "0 is standing still."
        ),
        "heatmap": "Mean progress score by unit and macro goal",
        "heatmap_note": (
            "Each cell is the mean score of a unit's indicators under one macro goal; "
            "blank cells have none."
        ),
        "goals": "Macro and micro goals",
        "goal": "Goal",
        "n_indicators": "Indicators",
        "change": "Change on {year}",
        "changes": "Change against {year}",
        "no_change_year": "{year} is the first report year; there is no earlier year to compare.",
        "department": "Unit",
        "conformity_prev": "Conformity {year}",
        "conformity_now": "Conformity {year}",
        "score_now": "Score {year}",
        "score_change": "Score change",
        "districts_chart": "Achievement of the {year} targets by district",
        "districts_note": (
            "Each group is one indicator the districts share, each bar one district; "
            "the dashed line is 100 % of the year's target."
        ),
        "districts_table": "Shared indicators by district",
        "no_districts": "The plan has no two districts with a shared indicator.",
        "of_target": "{pct} of target",
        "warnings": "Warnings from loading the plan",
        "no_warnings": "Loading the plan raised no warnings.",
        "file": "File",
        "row": "Row",
        "column": "Column",
        "message": "Message",
    },
}

_GREY = "#5f5f5f"
_RULE = "#d6d6d6"
_HEADER_BG = "#f2f4f7"


def _w(lang: str, key: str, **values: Any) -> str:
    text = _WORDS[lang][key]
    return text.format(**values) if values else text


# --------------------------------------------------------------------------------------------
# Display object
# --------------------------------------------------------------------------------------------


@dataclass
class Block:
    """Report content in reading order: HTML fragments and PNG charts.

    A notebook shows a Block by ending a cell with it: IPython calls
    :meth:`_ipython_display_`, which emits each HTML part as ``text/html`` and each chart as
    ``image/png`` (with its title as alt text). :meth:`to_html` gives the same content as one
    HTML string with the charts embedded, for tests and other front ends.

    Attributes
    ----------
    lang : {"fa", "en"}
        Language of the content (sets ``dir`` and ``lang`` on every HTML part).
    parts : list of tuple
        ``("html", markup)`` or ``("png", bytes, alt)``. Markup is already escaped.
    """

    lang: str
    parts: list[tuple[Any, ...]] = field(default_factory=list)

    def html(self, markup: str) -> Block:
        """Append trusted (already escaped) markup; returns self for chaining."""
        self.parts.append(("html", markup))
        return self

    def figure(self, fig: Figure, alt: str) -> Block:
        """Append a chart, encoded as PNG now so the figure can be garbage-collected."""
        if self.lang == "fa":
            # A wrapped Persian label starts its lines at the right; matplotlib aligns the
            # lines of a multi-line label to the left unless told otherwise.
            for ax in fig.axes:
                for label in ax.get_yticklabels():
                    label.set_multialignment("right")
        self.parts.append(("png", charts.figure_to_png_bytes(fig), alt))
        return self

    def _wrap(self, markup: str) -> str:
        direction = "rtl" if self.lang == "fa" else "ltr"
        if self.lang == "fa":
            markup = _isolate_negatives(markup)
        return (
            f'<div class="planmon-block" dir="{direction}" lang="{self.lang}" '
            f'style="text-align: start">{markup}</div>'
        )

    def to_html(self) -> str:
        """All parts as one HTML fragment, charts as ``data:`` URIs."""
        out = []
        for part in self.parts:
            if part[0] == "html":
                out.append(self._wrap(part[1]))
            else:
                payload = base64.b64encode(part[1]).decode("ascii")
                out.append(
                    f'<div class="output_png"><img src="data:image/png;base64,{payload}" '
                    f'alt="{html.escape(part[2])}"></div>'
                )
        return "\n".join(out)

    def _repr_html_(self) -> str:
        return self.to_html()

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        for part in self.parts:
            if part[0] == "html":
                display(HTML(self._wrap(part[1])))
            else:
                display(
                    {"image/png": part[1]},
                    raw=True,
                    metadata={"image/png": {"alt": part[2]}},
                )


# --------------------------------------------------------------------------------------------
# Notebook setup and the report context
# --------------------------------------------------------------------------------------------


def setup_notebook(lang: str) -> None:
    """Prepare a report notebook's kernel: PNG figures, planmon's chart style, pandas display.

    Sets ``InlineBackend.figure_formats = ['png']`` (when running under IPython), applies
    planmon's chart style (:func:`planmon.content.charts.style_rc`) for the notebook's own ad-hoc
    plots and sets pandas display options suited to the scores frame. Call it once, first.

    Parameters
    ----------
    lang : {"fa", "en"}
        Report language (the chart fonts depend on it).
    """
    if lang not in _WORDS:
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
    rc = charts.style_rc(lang)
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
            name = _text(getattr(row, own, None)) or _text(getattr(row, other, None))
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
        return _text(meta.get(f"name_{self.lang}")) or _text(meta.get("name_fa")) or self.plan.name

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

    @cached_property
    def department_rollup(self) -> pd.DataFrame:
        """Department roll-up for every report year, with the change on the previous year."""
        rolled = rollup(self.scores, self.plan.indicators, self.plan.goals, "department")
        return change_against_previous(rolled, "dept_id")

    @cached_property
    def goal_rollup(self) -> pd.DataFrame:
        """Goal roll-up (macro and micro goals) for every report year, with the change."""
        rolled = rollup(self.scores, self.plan.indicators, self.plan.goals, "goal")
        return change_against_previous(rolled, "goal_id")

    @cached_property
    def plan_rollup(self) -> pd.DataFrame:
        """Plan roll-up for every report year, with the change on the previous year."""
        rolled = rollup(self.scores, self.plan.indicators, self.plan.goals, "plan")
        return change_against_previous(rolled, None)


def _read_scores(path: str, plan: Plan) -> pd.DataFrame:
    """The build's precomputed scores, checked against the plan (never recomputed)."""
    try:
        frame = pd.read_parquet(path)
    except (OSError, ValueError) as exc:
        raise ParameterError(f"scores_path {path!r} is not a readable Parquet file: {exc}") from exc
    from planmon.measures.scores import SCORE_COLUMNS

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
        A wrong type or value, with the fix named (see :func:`planmon.execution.parameters.check_values`).
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


# --------------------------------------------------------------------------------------------
# Small formatting helpers
# --------------------------------------------------------------------------------------------


def _text(value: Any) -> str:
    """A cell as display text ("" when missing)."""
    if value is None or value is pd.NA:
        return ""
    if isinstance(value, float) and math.isnan(value):
        return ""
    return str(value).strip()


# A Persian negative number ("−۳٫۵٪"). In right-to-left text the bidi algorithm would put its
# minus sign on the right ("۳٫۵٪−"); isolating it left-to-right (LRI … PDI) keeps the sign where
# planmon's tables and charts put it, on the left.
_NEGATIVE_FA = re.compile("\u2212[\u06f0-\u06f9][\u06f0-\u06f9\u066b\u066c]*\u066a?")


def _isolate_negatives(text: str) -> str:
    return _NEGATIVE_FA.sub(lambda m: f"\u2066{m.group(0)}\u2069", text)


def _direction_of(text: str) -> str | None:
    """ "rtl" or "ltr" from the first strongly directional character, None if there is none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return None


def _esc(value: Any) -> str:
    """Plan text (untrusted) as HTML: escaped, and isolated in its own direction.

    ``<bdi dir=…>`` keeps a Persian note inside an English sentence (or "AVL" inside a
    Persian one) from reordering the words around it.
    """
    text = _text(value)
    direction = _direction_of(text)
    escaped = html.escape(text, quote=True)
    return f'<bdi dir="{direction}">{escaped}</bdi>' if direction else escaped


def _missing(x: Any) -> bool:
    try:
        return x is None or x is pd.NA or math.isnan(float(x))
    except (TypeError, ValueError):
        return True


def _interpret_unit(unit: Any, lang: str) -> str:
    """The unit for :func:`interpret_indicator`, which writes ``%`` itself in both languages."""
    text = _text(unit)
    return "%" if text in ("%", "درصد", "٪") else localise_unit(text, lang)


def _fixed(x: Any, lang: str, decimals: int = 1) -> str:
    """A number with a fixed count of decimals (scores): ``1.7`` / ``۱٫۷``, ``−`` for minus."""
    if _missing(x):
        return "—"
    value = float(x)
    text = f"{abs(value):,.{decimals}f}"
    if text.strip("0.,") == "":
        value = 0.0  # "-0.0" after rounding reads as a sign error
    sign = ("\u2212" if lang == "fa" else "-") if value < 0 else ""
    return sign + (to_persian_digits(text) if lang == "fa" else text)


def _pct(x: Any, lang: str) -> str:
    return "—" if _missing(x) else format_percent(x, lang)


def _num(x: Any, lang: str) -> str:
    return "—" if _missing(x) else format_number(x, lang)


def _arrow(change: float) -> str:
    return "▲" if change > 0 else "▼"


def _status_text_colour(background: str) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG relative luminance)."""
    rgb = [int(background[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    luminance = 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
    return "#000000" if luminance > 0.35 else "#ffffff"


def _status_of(value: Any) -> str:
    return value if isinstance(value, str) and value in charts.STATUS_COLOURS else "not_available"


def _status_style(status: str) -> str:
    colour = charts.STATUS_COLOURS[status]
    return f"background: {colour}; color: {_status_text_colour(colour)}"


def _chip(status: str, lang: str, count: int | None = None) -> str:
    label = charts.STATUS_LABELS[lang][status]
    if count is not None:
        label = f"{label}: {format_number(count, lang)}"
    return (
        f'<span style="{_status_style(status)}; padding: 1pt 6pt; border-radius: 3pt; '
        'margin: 0 3pt 3pt 0; display: inline-block; white-space: nowrap">'
        f"{html.escape(label)}</span>"
    )


def _h(level: int, text: str) -> str:
    return f"<h{level}>{html.escape(text)}</h{level}>"


def _p(text: str, *, muted: bool = False) -> str:
    style = f' style="color: {_GREY}; font-size: 0.92em"' if muted else ""
    return f"<p{style}>{html.escape(text)}</p>"


_TH = f"background: {_HEADER_BG}; border-bottom: 1.5px solid {_GREY}; padding: 3pt 6pt"
_TD = f"border-bottom: 1px solid {_RULE}; padding: 3pt 6pt; vertical-align: top"


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str | tuple[str, str]]],
    *,
    first_width: str | None = None,
) -> str:
    """An HTML table. Headers are plain text; each cell is escaped markup or (markup, style).

    ``first_width`` (e.g. ``"30%"``) reserves room for the first column (names) and makes the
    table as wide as the page, so long names are not squeezed into one word per line.
    """
    head = "".join(
        f'<th style="{_TH}{"; width: " + first_width if first_width and i == 0 else ""}">'
        f"{html.escape(h)}</th>"
        for i, h in enumerate(headers)
    )
    body = []
    for row in rows:
        cells = []
        for cell in row:
            markup, style = cell if isinstance(cell, tuple) else (cell, "")
            cells.append(f'<td style="{_TD}; {style}">{markup}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    width = "; width: 100%" if first_width else ""
    return (
        '<table class="planmon-table" '
        f'style="border-collapse: collapse; margin: 0.4em 0 1em{width}">'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def _status_cell(status: Any, lang: str) -> tuple[str, str]:
    key = _status_of(status)
    return html.escape(charts.STATUS_LABELS[lang][key]), _status_style(
        key
    ) + "; white-space: nowrap"


def _wrap_lines(text: str, width: int) -> str:
    lines = textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(lines) if lines else text


# --------------------------------------------------------------------------------------------
# Department report
# --------------------------------------------------------------------------------------------


def department_title(ctx: ReportContext) -> Block:
    """The report's title: department name, plan, year and the department's kind."""
    lang = ctx.lang
    dept = ctx.plan.department(ctx.dept_id)
    kind = _KINDS[lang].get(_text(dept["kind"]), _text(dept["kind"]))
    subtitle = _w(lang, "report_of", year=format_year(ctx.year, lang))
    horizon = format_year(ctx.plan.horizon_year, lang)
    lines = [
        f"<h1>{_esc(ctx.department_name)}</h1>",
        f'<p style="font-size: 1.15em; margin: 0">{html.escape(subtitle)}</p>',
        f'<p style="color: {_GREY}; margin: 0.2em 0 1em">{_esc(ctx.plan_name)}'
        f" · {html.escape(_w(lang, 'kind'))}: {html.escape(kind)}"
        f" · {html.escape(_w(lang, 'horizon'))}: {html.escape(horizon)}</p>",
    ]
    return Block(lang).html("".join(lines))


def _department_row(ctx: ReportContext) -> pd.Series | None:
    rows = ctx.department_rollup
    hit = rows[(rows["dept_id"] == ctx.dept_id) & (rows["year"] == ctx.year)]
    return None if hit.empty else hit.iloc[0]


def _change_line(change: Any, previous: Any, lang: str, *, kind: str) -> str:
    if _missing(previous):
        return _w(lang, "no_previous")
    prev = format_year(previous, lang)
    if _missing(change):
        return _w(lang, "no_previous")
    if kind == "points":
        value = format_number(abs(change), lang, digits=2)
        if round(abs(float(change)), 1) == 0:
            return _w(lang, "same_as", year=prev)
        return _w(lang, "change_points", arrow=_arrow(change), value=value, year=prev)
    if round(abs(float(change)), 1) == 0:
        return _w(lang, "same_as", year=prev)
    return _w(
        lang, "change_score", arrow=_arrow(change), value=_fixed(abs(change), lang), year=prev
    )


def _figure_cards(cards: Sequence[tuple[str, str, str]]) -> str:
    """Key figures side by side: (label, big number, small line under it)."""
    cells = []
    for label, value, note in cards:
        cells.append(
            f'<td style="border: 1px solid {_RULE}; padding: 5pt 8pt; width: {100 // len(cards)}%; '
            'vertical-align: top">'
            f'<div style="color: {_GREY}; font-size: 0.85em">{html.escape(label)}</div>'
            f'<div style="font-size: 1.45em; font-weight: bold">{html.escape(value)}</div>'
            f'<div style="color: {_GREY}; font-size: 0.8em">{html.escape(note)}</div></td>'
        )
    return (
        '<table class="planmon-figures" style="border-collapse: collapse; width: 100%; '
        f'margin: 0.5em 0 0.8em">\n<tr>{"".join(cells)}</tr></table>'
    )


def _status_chips(row: Mapping[str, Any], lang: str) -> str:
    chips = [
        _chip(s, lang, int(row.get(f"n_{s}", 0) or 0))
        for s in charts.STATUSES
        if int(row.get(f"n_{s}", 0) or 0) > 0
    ]
    return (
        f'<p style="margin: 0.3em 0"><span style="color: {_GREY}">'
        f"{html.escape(_w(lang, 'statuses'))}: </span>{''.join(chips)}</p>"
    )


def _score_sentence(row: Mapping[str, Any], lang: str, key: str = "score_sentence") -> str:
    text = _w(lang, key, score=_fixed(row["progress_score"], lang))
    change, previous = row.get("score_change"), row.get("previous_year")
    if not _missing(change) and not _missing(previous):
        prev = format_year(previous, lang)
        if round(abs(float(change)), 1) == 0:
            text += _w(lang, "score_same", year=prev)
        else:
            direction = "score_up" if change > 0 else "score_down"
            text += _w(lang, direction, value=_fixed(abs(change), lang), year=prev)
    return text + "."


def department_headline(ctx: ReportContext) -> Block:
    """Headline: the department's year in words and in key figures with the change on last year.

    The words come from :func:`planmon.content.interpret.interpret_department` (conformity, status
    counts, weakest indicator) plus a sentence on the progress score; the figures are the
    department roll-up (:func:`planmon.measures.rollup.rollup`) and
    :func:`planmon.measures.rollup.change_against_previous`.
    """
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "headline")))
    row = _department_row(ctx)
    if row is None or int(row["n_indicators"]) == 0:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.department_name)))
    text = interpret_department(
        row,
        ctx.scores[ctx.scores["dept_id"] == ctx.dept_id],
        lang=lang,
        name=ctx.department_name,
        indicator_names=ctx.indicator_names,
    )
    paragraphs = [text]
    if not _missing(row["progress_score"]):
        paragraphs.append(_score_sentence(row, lang))
    cards = [
        (
            _w(lang, "conformity"),
            _pct(row["conformity_pct"], lang),
            _change_line(row["conformity_change"], row["previous_year"], lang, kind="points"),
        ),
        (
            _w(lang, "progress_score"),
            _fixed(row["progress_score"], lang),
            _change_line(row["score_change"], row["previous_year"], lang, kind="score"),
        ),
        (_w(lang, "distance"), _pct(row["distance_covered_pct"], lang), ""),
        (
            _w(lang, "coverage"),
            _w(
                lang,
                "coverage_value",
                k=format_number(int(row["n_with_value"]), lang),
                n=format_number(int(row["n_indicators"]), lang),
            ),
            _pct(row["coverage_pct"], lang),
        ),
    ]
    block.html("".join(_p(t) for t in paragraphs) + _figure_cards(cards) + _status_chips(row, lang))
    return block


def indicator_table(ctx: ReportContext) -> Block:
    """The department's indicators in the report year: values, targets, achievement, status."""
    lang = ctx.lang
    frame = ctx.dept_scores
    block = Block(lang).html(_h(2, _w(lang, "indicator_table")))
    if frame.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.department_name)))
    year = format_year(ctx.year, lang)
    base_years = frame["baseline_year"].dropna().unique()
    horizon_years = frame["horizon_year"].dropna().unique()
    baseline = _w(lang, "baseline")
    if len(base_years) == 1:
        baseline += f" ({format_year(base_years[0], lang)})"
    horizon = _w(lang, "horizon_target")
    if len(horizon_years) == 1:
        horizon += f" ({format_year(horizon_years[0], lang)})"
    headers = [
        _w(lang, "indicator"),
        _w(lang, "unit"),
        baseline,
        _w(lang, "target_year", year=year),
        _w(lang, "value_year", year=year),
        _w(lang, "achievement"),
        _w(lang, "distance_short"),
        horizon,
        _w(lang, "status"),
    ]
    rows = []
    for r in frame.itertuples(index=False):
        rows.append(
            [
                _esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id)),
                _esc(localise_unit(r.unit, lang)),
                html.escape(_num(r.baseline_value, lang)),
                html.escape(_num(r.target, lang)),
                html.escape(_num(r.value, lang)),
                html.escape(_pct(r.achievement_pct, lang)),
                html.escape(_pct(r.distance_covered_pct, lang)),
                html.escape(_num(r.horizon_target, lang)),
                _status_cell(r.status, lang),
            ]
        )
    return block.html(_table(headers, rows, first_width="26%"))


def _labelled(ctx: ReportContext, frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(label=[ctx.indicator_names.get(i, i) for i in frame["indicator_id"]])


def comparison_section(ctx: ReportContext) -> Block:
    """Current against desired state for all the department's indicators (achievement %)."""
    lang = ctx.lang
    title = _w(lang, "comparison", year=format_year(ctx.year, lang))
    block = Block(lang).html(_h(2, title))
    if ctx.dept_scores.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.department_name)))
    fig = charts.comparison_chart(_labelled(ctx, ctx.dept_scores), lang=lang, label="label")
    return block.figure(fig, title).html(_p(_w(lang, "comparison_note"), muted=True))


def distance_section(ctx: ReportContext) -> Block:
    """How far each indicator has come from its baseline towards its horizon target."""
    lang = ctx.lang
    title = _w(lang, "distance_title", year=format_year(ctx.plan.horizon_year, lang))
    block = Block(lang).html(_h(2, title))
    if ctx.dept_scores.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.department_name)))
    fig = charts.distance_chart(_labelled(ctx, ctx.dept_scores), lang=lang, label="label")
    return block.figure(fig, title).html(_p(_w(lang, "distance_note"), muted=True))


def _indicator_chart(ctx: ReportContext, indicator_id: str) -> Figure:
    """One indicator's chart with the data an analyst had in the report year."""
    row = ctx.year_scores[ctx.year_scores["indicator_id"] == indicator_id]
    trend = row.iloc[0] if not row.empty else None
    status = None if trend is None else _status_of(trend["status"])
    if trend is not None and not (trend["n_points"] >= MIN_TREND_POINTS):
        # The interpretation says the trend cannot be judged from so few values; a projected
        # line beside it would say the opposite.
        trend = None
    history = ctx.plan.series(indicator_id)
    history = history[history["year"] <= ctx.year]
    indicator = ctx.plan.indicator(indicator_id)
    return charts.indicator_chart(
        history,
        ctx.plan.targets_of(indicator_id),
        trend,
        name=ctx.indicator_names.get(indicator_id, indicator_id),
        unit=localise_unit(indicator["unit"], ctx.lang),
        lang=ctx.lang,
        status=status,
    )


def _interpretation(ctx: ReportContext, row: pd.Series) -> str:
    indicator = ctx.plan.indicator(row["indicator_id"])
    tolerance = indicator.get("tolerance")
    return interpret_indicator(
        row,
        lang=ctx.lang,
        name=ctx.indicator_names.get(row["indicator_id"], row["indicator_id"]),
        unit=_interpret_unit(indicator["unit"], ctx.lang),
        calendar=ctx.plan.meta.get("calendar"),
        tolerance=None if _missing(tolerance) else float(tolerance),
    )


def indicator_sections(ctx: ReportContext) -> Block:
    """For each indicator: its chart (baseline, actuals, targets, trend with its interval band)
    and its generated interpretation."""
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "details")))
    if ctx.dept_scores.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.department_name)))
    for _, row in ctx.dept_scores.iterrows():
        name = ctx.indicator_names.get(row["indicator_id"], row["indicator_id"])
        block.figure(_indicator_chart(ctx, row["indicator_id"]), name)
        block.html(
            f'<p style="margin: -0.3em 0 1.4em">{html.escape(_interpretation(ctx, row))}</p>'
        )
    return block


def notes_section(ctx: ReportContext) -> Block:
    """The notes the department sent with its report for the year."""
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "notes", year=format_year(ctx.year, lang))))
    actuals = ctx.plan.actuals
    rows = actuals[
        (actuals["dept_id"] == ctx.dept_id)
        & (actuals["year"] == ctx.year)
        & actuals["note"].notna()
    ]
    if rows.empty:
        return block.html(_p(_w(lang, "no_notes"), muted=True))
    with_source = rows["source"].notna().any()
    headers = [_w(lang, "indicator"), _w(lang, "value_year", year=format_year(ctx.year, lang))]
    headers += [_w(lang, "note")] + ([_w(lang, "source")] if with_source else [])
    body = []
    for r in rows.itertuples(index=False):
        cells = [
            _esc(ctx.indicator_names.get(r.indicator_id, r.indicator_id)),
            html.escape(_num(r.value, lang)),
            _esc(r.note),
        ]
        if with_source:
            cells.append(_esc(r.source))
        body.append(cells)
    return block.html(_table(headers, body, first_width="30%"))


def data_gaps(plan: Plan, dept_id: str, year: int) -> pd.DataFrame:
    """The department's data gaps in a report year.

    Parameters
    ----------
    plan : Plan
        The plan (its indicators, targets, actuals and report files).
    dept_id : str
        The department.
    year : int
        The report year.

    Returns
    -------
    DataFrame
        One row per gap, columns ``gap``, ``indicator_id`` (missing for the report as a
        whole) and ``note`` (the department's note on a blank value, else missing). ``gap`` is one
        of ``no_report`` (no report file for the year; the indicators' own "not reported"
        gaps are then implied and not listed), ``blank_value``, ``not_reported``,
        ``no_targets`` (the plan sets none at all) and ``no_target_year`` (none for this year
        although the year is within the indicator's target years).
    """
    indicators = plan.indicators[plan.indicators["dept_id"] == dept_id]
    files = plan.report_files
    sent = bool(((files["dept_id"] == dept_id) & (files["year"] == year)).any())
    actuals = plan.actuals[(plan.actuals["dept_id"] == dept_id) & (plan.actuals["year"] == year)]
    reported = dict(zip(actuals["indicator_id"], actuals.itertuples(index=False), strict=True))
    targets = plan.targets
    rows: list[dict[str, Any]] = []
    if not sent and not indicators.empty:  # a unit with no indicators owes no report
        rows.append({"gap": "no_report", "indicator_id": None, "note": None})
    for ind in indicators["indicator_id"]:
        own = targets[targets["indicator_id"] == ind]
        if sent:
            if ind not in reported:
                rows.append({"gap": "not_reported", "indicator_id": ind, "note": None})
            elif _missing(reported[ind].value):
                note = _text(reported[ind].note) or None
                rows.append({"gap": "blank_value", "indicator_id": ind, "note": note})
        if own.empty:
            rows.append({"gap": "no_targets", "indicator_id": ind, "note": None})
        elif own["year"].min() <= year <= own["year"].max() and not (own["year"] == year).any():
            rows.append({"gap": "no_target_year", "indicator_id": ind, "note": None})
    return pd.DataFrame(rows, columns=["gap", "indicator_id", "note"])


def data_gaps_section(ctx: ReportContext) -> Block:
    """Missing values, a missing report, and indicators without targets, as a list."""
    lang = ctx.lang
    year = format_year(ctx.year, lang)
    block = Block(lang).html(_h(2, _w(lang, "gaps")))
    gaps = data_gaps(ctx.plan, ctx.dept_id, ctx.year)
    if gaps.empty:
        return block.html(_p(_w(lang, "no_gaps", year=year)))
    items = []
    for gap in gaps.itertuples(index=False):
        name = ctx.indicator_names.get(gap.indicator_id, _text(gap.indicator_id))
        text = _w(lang, f"gap_{gap.gap}", name=name, year=year)
        if gap.gap == "blank_value":
            text += _w(lang, "gap_reason", note=gap.note) if gap.note else "."
        items.append(f"<li>{html.escape(text)}</li>")
    return block.html(f"<ul>{''.join(items)}</ul>")


_PASSPORT_FIELDS = ("definition", "formula", "level", "responsible", "source", "frequency")
# A level alone classifies an indicator; it takes one of these to make a passport.
_PASSPORT_CONTENT = ("definition", "formula", "responsible", "source", "frequency")


def _passport_value(key: str, value: Any, lang: str) -> str:
    text = _text(value)
    if key == "level":
        return _LEVELS[lang].get(text, text)
    if key == "frequency":
        return _FREQUENCIES[lang].get(text.lower(), text)
    return text


def _field(label: str, value: str) -> str:
    return f'<span style="color: {_GREY}">{html.escape(label)}:</span> {_esc(value)}'


def passport_appendix(ctx: ReportContext) -> Block:
    """Appendix: each indicator's passport (definition, formula, level, responsible unit,
    source, frequency), for the indicators the plan has one for.

    An indicator with nothing but a level has no passport. Each passport takes four short
    lines (facts, definition, formula, who measures it and where from), so a department's
    appendix fits on a page or two.
    """
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "appendix")))
    indicators = ctx.plan.indicators_of(ctx.dept_id)
    fields = [f for f in _PASSPORT_FIELDS if f in indicators.columns]
    shown = 0
    for _, ind in indicators.iterrows():
        present = {f: _passport_value(f, ind[f], lang) for f in fields if _text(ind[f])}
        if not any(f in present for f in _PASSPORT_CONTENT):
            continue
        shown += 1
        facts = [
            (_w(lang, "passport_id"), _text(ind["indicator_id"])),
            (_w(lang, "unit"), localise_unit(ind["unit"], lang)),
            (_w(lang, "passport_direction"), _DIRECTIONS[lang].get(_text(ind["direction"]), "")),
        ]
        facts += [(_w(lang, f), present[f]) for f in ("level", "frequency") if f in present]
        lines = [" · ".join(_field(k, v) for k, v in facts if v)]
        lines += [
            _field(_w(lang, f), present[f]) for f in ("definition", "formula") if f in present
        ]
        who = [(_w(lang, f), present[f]) for f in ("responsible", "source") if f in present]
        if who:
            lines.append(" · ".join(_field(k, v) for k, v in who))
        name = ctx.indicator_names.get(ind["indicator_id"], ind["indicator_id"])
        body = "".join(f'<div style="margin: 0.1em 0">{line}</div>' for line in lines)
        block.html(
            f'<div class="planmon-passport" style="break-inside: avoid; margin: 0 0 0.9em; '
            f'padding-bottom: 0.4em; border-bottom: 1px solid {_RULE}">'
            f'<h3 style="margin-bottom: 0.2em">{_esc(name)}</h3>{body}</div>'
        )
    if not shown:
        block.html(_p(_w(lang, "no_passports"), muted=True))
    return block


# --------------------------------------------------------------------------------------------
# Plan overview
# --------------------------------------------------------------------------------------------


def overview_title(ctx: ReportContext) -> Block:
    """The overview's title: plan name and year."""
    lang = ctx.lang
    return Block(lang).html(
        f"<h1>{_esc(ctx.plan_name)}</h1>"
        f'<p style="font-size: 1.15em; margin: 0 0 1em">'
        f"{html.escape(_w(lang, 'overview_title', year=format_year(ctx.year, lang)))}</p>"
    )


def _year_row(frame: pd.DataFrame, year: int) -> pd.Series | None:
    hit = frame[frame["year"] == year]
    return None if hit.empty else hit.iloc[0]


def plan_headline(ctx: ReportContext) -> Block:
    """Plan-level headline: conformity, progress score and statuses, and their change on the
    previous report year."""
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "plan_headline")))
    row = _year_row(ctx.plan_rollup, ctx.year)
    if row is None:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.plan_name)))
    change, previous = row["conformity_change"], row["previous_year"]
    change_text = ""
    if not _missing(change) and not _missing(previous):
        prev = format_year(previous, lang)
        if round(abs(float(change)), 1) == 0:
            change_text = _w(lang, "plan_change_same", prev=prev)
        else:
            key = "plan_change_up" if change > 0 else "plan_change_down"
            change_text = _w(lang, key, value=format_number(abs(change), lang, digits=2), prev=prev)
    sentence = _w(
        lang,
        "plan_sentence",
        year=format_year(ctx.year, lang),
        conf=_pct(row["conformity_pct"], lang),
        change=change_text,
        n=format_number(int(row["n_indicators"]), lang),
        k=format_number(int(row["n_with_value"]), lang),
    )
    paragraphs = _p(sentence)
    if not _missing(row["progress_score"]):
        paragraphs += _p(_score_sentence(row, lang, key="plan_score_sentence"))
    cards = [
        (
            _w(lang, "conformity"),
            _pct(row["conformity_pct"], lang),
            _change_line(change, previous, lang, kind="points"),
        ),
        (
            _w(lang, "progress_score"),
            _fixed(row["progress_score"], lang),
            _change_line(row["score_change"], previous, lang, kind="score"),
        ),
        (_w(lang, "distance"), _pct(row["distance_covered_pct"], lang), ""),
        (
            _w(lang, "coverage"),
            _w(
                lang,
                "coverage_value",
                k=format_number(int(row["n_with_value"]), lang),
                n=format_number(int(row["n_indicators"]), lang),
            ),
            _pct(row["coverage_pct"], lang),
        ),
    ]
    return block.html(paragraphs + _figure_cards(cards) + _status_chips(row, lang))


def ranking_section(ctx: ReportContext) -> Block:
    """Departments ranked by their mean progress score in the year."""
    lang = ctx.lang
    title = _w(lang, "ranking")
    block = Block(lang).html(_h(2, title))
    rows = ctx.department_rollup[ctx.department_rollup["year"] == ctx.year]
    frame = pd.DataFrame(
        {
            "label": [ctx.department_names.get(d, d) for d in rows["dept_id"]],
            "score": rows["progress_score"].to_numpy(dtype=float),
        }
    )
    if frame.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.plan_name)))
    # Wide enough that no department name wraps: wrapped two-line labels overlap their
    # neighbours at ranking_chart's row height.
    fig = charts.ranking_chart(frame, lang=lang, value="score", label="label", wrap=60)
    return block.figure(fig, title).html(_p(_w(lang, "ranking_note"), muted=True))


def _macro_goal_of(goals: pd.DataFrame) -> dict[str, str]:
    """goal_id → its macro (root) goal, following parent_id up the tree."""
    parent = {
        str(g): (_text(p) or None)
        for g, p in zip(goals["goal_id"], goals["parent_id"], strict=True)
    }
    out: dict[str, str] = {}
    for goal in parent:
        seen, node = set(), goal
        while parent.get(node) and node not in seen:  # the loop guard tolerates a bad tree
            seen.add(node)
            node = parent[node]
        out[goal] = node
    return out


def heatmap_section(ctx: ReportContext) -> Block:
    """Mean progress score by department (rows) and macro goal (columns)."""
    lang = ctx.lang
    title = _w(lang, "heatmap")
    block = Block(lang).html(_h(2, title))
    frame = ctx.year_scores
    if frame.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.plan_name)))
    macro = _macro_goal_of(ctx.plan.goals)
    frame = frame.assign(macro_goal=[macro.get(g, g) for g in frame["goal_id"]])
    # status_heatmap lists rows and columns in order of first appearance. Sorted by goal, then
    # department, the macro goals come in the plan's order and each department sits beside
    # the first goal it serves, so the map reads as blocks rather than scattered cells.
    dept_order = {d: i for i, d in enumerate(ctx.plan.dept_ids)}
    goal_order = {g: i for i, g in enumerate(ctx.plan.goals["goal_id"])}
    frame = frame.assign(
        _d=frame["dept_id"].map(dept_order), _g=frame["macro_goal"].map(goal_order)
    ).sort_values(["_g", "_d"], kind="stable")
    # Long department names on one line would leave the goal columns too narrow for their
    # (wrapped) names: two-line row labels give the grid about 4.5 of the 7 inches.
    labels = {d: _wrap_lines(n, 26) for d, n in ctx.department_names.items()}
    labels.update(ctx.goal_names)
    columns = max(1, frame["macro_goal"].nunique())
    fig = charts.status_heatmap(
        frame,
        row="dept_id",
        col="macro_goal",
        lang=lang,
        value="score",
        labels=labels,
        wrap=max(8, 56 // columns),
    )
    return block.figure(fig, title).html(_p(_w(lang, "heatmap_note"), muted=True))


def goal_table(ctx: ReportContext) -> Block:
    """Roll-ups of the macro goals, each followed by its micro goals."""
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "goals")))
    rows = ctx.goal_rollup[ctx.goal_rollup["year"] == ctx.year]
    if rows.empty:
        return block.html(_p(_w(lang, "no_indicators", name=ctx.plan_name)))
    prev = ctx.previous_year
    headers = [
        _w(lang, "goal"),
        _w(lang, "n_indicators"),
        _w(lang, "conformity"),
        _w(lang, "distance_short"),
        _w(lang, "score_short"),
    ]
    if prev is not None:
        headers.append(_w(lang, "change", year=format_year(prev, lang)))
    ordered: list[pd.Series] = []
    by_parent = {k: g for k, g in rows.groupby(rows["parent_id"].fillna(""), sort=False)}
    for _, macro in rows[rows["depth"] == 0].iterrows():
        ordered.append(macro)
        ordered.extend(r for _, r in by_parent.get(macro["goal_id"], rows.iloc[0:0]).iterrows())
    body = []
    for r in ordered:
        is_macro = int(r["depth"]) == 0
        name = _esc(ctx.goal_names.get(r["goal_id"], r["goal_id"]))
        indent = "padding-inline-start: 14pt" if not is_macro else "font-weight: bold"
        cells: list[str | tuple[str, str]] = [
            (name, indent),
            html.escape(format_number(int(r["n_indicators"]), lang)),
            html.escape(_pct(r["conformity_pct"], lang)),
            html.escape(_pct(r["distance_covered_pct"], lang)),
            html.escape(_fixed(r["progress_score"], lang)),
        ]
        if prev is not None:
            cells.append(_change_cell(r["conformity_change"], lang, points=True))
        body.append(cells)
    return block.html(_table(headers, body, first_width="38%"))


def _change_cell(change: Any, lang: str, *, points: bool) -> str:
    """A change as markup: a green ▲ or red ▼ (higher is always better here) and its size.

    ``points`` writes percentage points (two significant digits), otherwise score points
    (one decimal).
    """
    if _missing(change):
        return "—"
    size = abs(float(change))
    if round(size, 1) == 0:
        return html.escape(format_number(0, lang) if points else _fixed(0.0, lang))
    value = format_number(size, lang, digits=2) if points else _fixed(size, lang)
    colour = charts.STATUS_COLOURS["target_achieved" if change > 0 else "deterioration"]
    return f'<span style="color: {colour}">{_arrow(change)}</span> {html.escape(value)}'


def change_table(ctx: ReportContext) -> Block:
    """Each department's conformity and score against the previous report year."""
    lang = ctx.lang
    prev = ctx.previous_year
    if prev is None:
        block = Block(lang).html(_h(2, _w(lang, "changes", year="—")))
        return block.html(_p(_w(lang, "no_change_year", year=format_year(ctx.year, lang))))
    block = Block(lang).html(_h(2, _w(lang, "changes", year=format_year(prev, lang))))
    rolled = ctx.department_rollup
    now = rolled[rolled["year"] == ctx.year].set_index("dept_id")
    before = rolled[rolled["year"] == prev].set_index("dept_id")
    now = now.assign(prev_conformity=before["conformity_pct"].reindex(now.index))
    now = now.sort_values("conformity_change", ascending=False, na_position="last")
    headers = [
        _w(lang, "department"),
        _w(lang, "conformity_prev", year=format_year(prev, lang)),
        _w(lang, "conformity_now", year=format_year(ctx.year, lang)),
        _w(lang, "change", year=format_year(prev, lang)),
        _w(lang, "score_now", year=format_year(ctx.year, lang)),
        _w(lang, "score_change"),
    ]
    body = []
    for dept, r in now.iterrows():
        body.append(
            [
                _esc(ctx.department_names.get(dept, dept)),
                html.escape(_pct(r["prev_conformity"], lang)),
                html.escape(_pct(r["conformity_pct"], lang)),
                _change_cell(r["conformity_change"], lang, points=True),
                html.escape(_fixed(r["progress_score"], lang)),
                _change_cell(r["score_change"], lang, points=False),
            ]
        )
    return block.html(_table(headers, body, first_width="30%"))


# --------------------------------------------------------------------------------------------
# District comparison
# --------------------------------------------------------------------------------------------

# Words that join an indicator's name to the district it is measured in ("... در منطقه یک",
# "... in District 1"); left dangling once the district's name is removed.
_CONNECTORS = re.compile(r"(?:^|\s)(?:در|of|in|for|-|–|—|،|,|:)\s*$", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|«\s*»")


def _without(name: str, district: str) -> str:
    """``name`` with the district's own name removed, and the words that tied them."""
    text = clean_text(name) or ""
    district = clean_text(district) or ""
    if district:
        text = re.sub(re.escape(district), " ", text, flags=re.IGNORECASE)
    text = _EMPTY_BRACKETS.sub(" ", text)
    text = re.sub(r"\s+", " ", text).strip()
    previous = None
    while previous != text:
        previous = text
        text = _CONNECTORS.sub("", text).strip()
    return text


def district_matches(plan: Plan) -> pd.DataFrame:
    """Indicators that several districts share, matched by name.

    A district's copy of a shared indicator carries the district in its name ("سرانه فضای
    سبز در منطقه یک", "Green space per capita (District 1)"). Removing the district's own
    name (and the word that tied it, «در», "in", brackets) and comparing what is left with
    :func:`planmon.core.text.name_key` pairs the copies, whatever their ids; Persian spelling
    variants (ZWNJ or space, Arabic ي/ك) compare equal.

    Parameters
    ----------
    plan : Plan
        The plan; districts are departments of kind ``district``.

    Returns
    -------
    DataFrame
        One row per district indicator that at least one other district shares: ``key``
        (the match key), ``indicator_id``, ``dept_id``, ``common_fa`` and ``common_en``
        (the name without the district; ``common_en`` may be empty), in the plan's order.
    """
    depts = plan.departments
    districts = depts[depts["kind"] == "district"]
    names = {
        r.dept_id: (_text(r.name_fa), _text(getattr(r, "name_en", "")))
        for r in districts.itertuples(index=False)
    }
    rows = []
    for ind in plan.indicators.itertuples(index=False):
        if ind.dept_id not in names:
            continue
        dept_fa, dept_en = names[ind.dept_id]
        common_fa = _without(_text(ind.name_fa), dept_fa)
        common_en = _without(_text(getattr(ind, "name_en", "")), dept_en)
        rows.append(
            {
                "key": name_key(common_fa) or name_key(common_en),
                "indicator_id": ind.indicator_id,
                "dept_id": ind.dept_id,
                "common_fa": common_fa,
                "common_en": common_en,
            }
        )
    frame = pd.DataFrame(rows, columns=["key", "indicator_id", "dept_id", "common_fa", "common_en"])
    if frame.empty:
        return frame
    shared = frame.groupby("key")["dept_id"].transform("nunique") >= 2
    return frame[shared & (frame["key"] != "")].reset_index(drop=True)


def district_title(ctx: ReportContext) -> Block:
    """The district comparison's title."""
    lang = ctx.lang
    return Block(lang).html(
        f"<h1>{html.escape(_w(lang, 'district_title', year=format_year(ctx.year, lang)))}</h1>"
        f'<p style="color: {_GREY}; margin: 0 0 1em">{_esc(ctx.plan_name)}</p>'
    )


# Qualitative colours for districts: none can be read as a status colour (no green, yellow,
# orange or red), and they stay apart in greyscale.
_DISTRICT_COLOURS = ("#1F4E79", "#7B4FA0", "#8C6D31", "#5DA5DA", "#4D4D4D", "#C27BA0")


def _district_chart(
    frame: pd.DataFrame,
    groups: Sequence[str],
    districts: Sequence[str],
    names: Mapping[str, str],
    lang: str,
    highlight: str,
    cap: float = 150.0,
) -> Figure:
    """Grouped horizontal bars: one group per shared indicator, one bar per district.

    ``frame`` has ``group`` (label), ``dept_id`` and ``achievement_pct``.
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    n = len(districts)
    height = 0.8 / n
    lookup = {(r.group, r.dept_id): r.achievement_pct for r in frame.itertuples(index=False)}
    labels = [_wrap_lines(g, 30) for g in groups]
    fig_height = max(2.6, 1.4 + len(groups) * (0.28 * n + 0.25))
    with charts.chart_style(lang):
        fig = Figure(figsize=(7.0, fig_height), layout="constrained")
        ax = fig.add_subplot()
        for j, dept in enumerate(districts):
            colour = _DISTRICT_COLOURS[j % len(_DISTRICT_COLOURS)]
            for i, group in enumerate(groups):
                y = i + (j - (n - 1) / 2) * height
                raw = lookup.get((group, dept), np.nan)
                edge = "#000000" if dept == highlight else "none"
                if _missing(raw):
                    ax.text(
                        2.0,
                        y,
                        charts.STATUS_LABELS[lang]["not_available"],
                        va="center",
                        ha="right" if lang == "fa" else "left",
                        fontsize=7,
                        color=_GREY,
                    )
                    continue
                shown = float(np.clip(raw, 0.0, cap))
                ax.barh(y, shown, height=height * 0.9, color=colour, edgecolor=edge, linewidth=1.2)
                text = charts.localise_number(raw, lang, percent=True)
                ax.text(
                    shown + cap * 0.01,
                    y,
                    text,
                    va="center",
                    ha="right" if lang == "fa" else "left",
                    fontsize=7,
                )
        ax.axvline(100.0, color="#333333", linestyle="--", linewidth=1.0)
        finite = pd.to_numeric(frame["achievement_pct"], errors="coerce").dropna()
        top = min(cap, max(100.0, float(finite.max()) if len(finite) else 100.0))
        ax.set_xlim(0, top * 1.15)
        ax.set_yticks(range(len(groups)), labels)
        ax.set_ylim(len(groups) - 0.5, -0.5)
        ax.xaxis.set_major_formatter(_percent_formatter(lang))
        ax.set_xlabel(_w(lang, "achievement_axis"))
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
        if lang == "fa":
            ax.invert_xaxis()
            ax.yaxis.tick_right()
            ax.spines["left"].set_visible(False)
            ax.spines["right"].set_visible(True)
        handles: list[Any] = [
            Patch(
                facecolor=_DISTRICT_COLOURS[j % len(_DISTRICT_COLOURS)],
                edgecolor="#000000" if d == highlight else "none",
                label=names.get(d, d),
            )
            for j, d in enumerate(districts)
        ]
        handles.append(
            Line2D(
                [], [], color="#333333", linestyle="--", label="100%" if lang == "en" else "۱۰۰٪"
            )
        )
        if lang == "fa":
            handles.reverse()
        fig.legend(
            handles=handles,
            loc="outside lower center",
            ncols=min(4, len(handles)),
            markerfirst=lang != "fa",
        )
    return fig


def _percent_formatter(lang: str) -> Any:
    from matplotlib.ticker import FuncFormatter

    return FuncFormatter(lambda v, _pos: charts.localise_number(v, lang, percent=True))


def district_section(ctx: ReportContext) -> Block:
    """Shared indicators side by side across districts: a grouped chart and a table."""
    lang = ctx.lang
    matches = district_matches(ctx.plan)
    block = Block(lang)
    if matches.empty:
        return block.html(_p(_w(lang, "no_districts")))
    districts = list(dict.fromkeys(matches["dept_id"]))
    common = "common_fa" if lang == "fa" else "common_en"
    first = matches.drop_duplicates("key")
    group_name = {r.key: (getattr(r, common) or r.common_fa) for r in first.itertuples(index=False)}
    scores = ctx.year_scores.set_index("indicator_id")
    rows = []
    for r in matches.itertuples(index=False):
        s = scores.loc[r.indicator_id] if r.indicator_id in scores.index else None
        rows.append(
            {
                "key": r.key,
                "group": group_name[r.key],
                "dept_id": r.dept_id,
                "indicator_id": r.indicator_id,
                "achievement_pct": np.nan if s is None else s["achievement_pct"],
                "value": np.nan if s is None else s["value"],
                "status": "not_available" if s is None else _status_of(s["status"]),
                "unit": _text(ctx.plan.indicator(r.indicator_id)["unit"]),
            }
        )
    frame = pd.DataFrame(rows)
    groups = list(dict.fromkeys(frame["group"]))
    highlight = ctx.dept_id if ctx.dept_id in districts else ""
    title = _w(lang, "districts_chart", year=format_year(ctx.year, lang))
    block.html(_h(2, title))
    fig = _district_chart(frame, groups, districts, ctx.department_names, lang, highlight)
    block.figure(fig, title).html(_p(_w(lang, "districts_note"), muted=True))

    headers = [_w(lang, "indicator"), _w(lang, "unit")]
    headers += [ctx.department_names.get(d, d) for d in districts]
    body = []
    for key in dict.fromkeys(frame["key"]):
        part = frame[frame["key"] == key].set_index("dept_id")
        cells: list[str | tuple[str, str]] = [
            _esc(part["group"].iloc[0]),
            html.escape(localise_unit(part["unit"].iloc[0], lang)),
        ]
        for dept in districts:
            if dept not in part.index:
                cells.append("")
                continue
            r = part.loc[dept]
            share = _w(lang, "of_target", pct=_pct(r["achievement_pct"], lang))
            markup = (
                f"<div>{html.escape(_num(r['value'], lang))}</div>"
                f'<div style="font-size: 0.85em">{html.escape(share)}</div>'
            )
            style = _status_style(r["status"])
            if dept == highlight:
                style += "; outline: 2px solid #000000; outline-offset: -2px"
            cells.append((markup, style))
        body.append(cells)
    legend = "".join(_chip(s, lang) for s in charts.STATUSES)
    block.html(
        _h(2, _w(lang, "districts_table"))
        + _table(headers, body, first_width="30%")
        + f"<p>{legend}</p>"
    )
    return block


# --------------------------------------------------------------------------------------------
# Exploration
# --------------------------------------------------------------------------------------------


def explore_title(ctx: ReportContext) -> Block:
    """A title with the plan's summary counts."""
    lang = ctx.lang
    plan = ctx.plan
    years = _w(
        lang,
        "summary_years_value",
        first=format_year(plan.meta["first_year"], lang),
        horizon=format_year(plan.horizon_year, lang),
        baseline=format_year(plan.baseline_year, lang),
    )
    report_years = _w(lang, "list_separator").join(format_year(y, lang) for y in plan.report_years)
    items = [
        ("summary_plan", ctx.plan_name),
        ("summary_years", years),
        ("summary_departments", format_number(len(plan.departments), lang)),
        ("summary_goals", format_number(len(plan.goals), lang)),
        ("summary_indicators", format_number(len(plan.indicators), lang)),
        ("summary_report_years", report_years),
        ("summary_reports", format_number(len(plan.report_files), lang)),
        ("summary_warnings", format_number(len(plan.warnings), lang)),
    ]
    summary = "".join(
        f"<li>{html.escape(_w(lang, key))}: {html.escape(value)}</li>" for key, value in items
    )
    return Block(lang).html(f"<h1>{html.escape(_w(lang, 'explore_title'))}</h1><ul>{summary}</ul>")


def warnings_table(ctx: ReportContext) -> Block:
    """The warnings found while loading the plan (legal but suspicious input), located."""
    lang = ctx.lang
    block = Block(lang).html(_h(2, _w(lang, "warnings")))
    if not ctx.plan.warnings:
        return block.html(_p(_w(lang, "no_warnings")))
    headers = [_w(lang, "file"), _w(lang, "row"), _w(lang, "column"), _w(lang, "message")]
    body = [
        [
            _esc(w.file),
            html.escape("" if w.row is None else str(w.row)),
            _esc(w.column),
            (_esc(w.message), "direction: ltr; text-align: left"),
        ]
        for w in ctx.plan.warnings
    ]
    return block.html(_table(headers, body))


def rollups(ctx: ReportContext, level: str = "department") -> pd.DataFrame:
    """The roll-up at ``level`` (department, goal or plan) for the report year, from the
    context's scores, with the change on the previous year."""
    frame = {
        "department": lambda: ctx.department_rollup,
        "goal": lambda: ctx.goal_rollup,
        "plan": lambda: ctx.plan_rollup,
    }.get(level)
    if frame is None:
        raise ParameterError(f"level must be department, goal or plan; got {level!r}")
    out = frame()
    return out[out["year"] == ctx.year].reset_index(drop=True)


def indicator_figure(ctx: ReportContext, indicator_id: str = "") -> Figure:
    """One indicator's chart as a matplotlib Figure, to look at or restyle.

    Parameters
    ----------
    ctx : ReportContext
    indicator_id : str
        The indicator; "" = the first indicator of ``ctx.dept_id`` (or of the plan).
    """
    if not indicator_id:
        frame = ctx.plan.indicators
        if ctx.dept_id:
            frame = frame[frame["dept_id"] == ctx.dept_id]
        if frame.empty:
            raise ParameterError("the plan has no indicators to draw")
        indicator_id = str(frame["indicator_id"].iloc[0])
    try:
        ctx.plan.indicator(indicator_id)
    except KeyError as exc:
        raise ParameterError(str(exc.args[0])) from exc
    return _indicator_chart(ctx, indicator_id)
