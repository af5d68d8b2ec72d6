"""The content of planmon's analytic report notebooks, in Persian or English: one import for
the notebooks.

A report notebook is thin: a ``parameters`` cell, one call to :func:`open_report`, then one
call per section. Every section function takes the :class:`ReportContext` and returns a
:class:`Block` — headings, paragraphs and tables as HTML, charts as PNG — which the notebook
displays as the last expression of its cell. Nothing here prints or writes files. The
sections live in one module per notebook; this module re-exports them:

* Department report (:mod:`planmon.content.department`): :func:`department_title`,
  :func:`department_headline`, :func:`indicator_table`, :func:`comparison_section`,
  :func:`distance_section`, :func:`indicator_sections`, :func:`notes_section`,
  :func:`data_gaps_section`, :func:`data_caveats_section` (:mod:`planmon.content.data_caveats`),
  :func:`passport_appendix`.
* Plan overview (:mod:`planmon.content.overview`): :func:`overview_title`,
  :func:`plan_headline`, :func:`ranking_section`, :func:`heatmap_section`, :func:`goal_table`,
  :func:`change_table`.
* District comparison (:mod:`planmon.content.districts`): :func:`district_title`,
  :func:`district_section` (indicators matched across districts by :func:`district_matches`).
* Exploration (:mod:`planmon.content.explore`): :func:`explore_title`, :func:`warnings_table`,
  :func:`rollups`, :func:`indicator_figure`.

Text from the plan (names, notes, passports) is untrusted: everything put into HTML goes
through :func:`html.escape` (:mod:`planmon.content.blocks`). Persian output is Persian
throughout — headings, table headers, status words and units (:mod:`planmon.core.vocabulary`)
and numbers in Persian digits (:mod:`planmon.core.locale`).
"""

from __future__ import annotations

from planmon.content.blocks import Block
from planmon.content.briefing import executive_briefing
from planmon.content.context import ReportContext, open_report, setup_notebook
from planmon.content.data_caveats import data_caveats_section
from planmon.content.department import (
    comparison_section,
    data_gaps_section,
    department_headline,
    department_title,
    distance_section,
    indicator_sections,
    indicator_table,
    notes_section,
    passport_appendix,
)
from planmon.content.districts import district_section, district_title
from planmon.content.explore import explore_title, indicator_figure, rollups, warnings_table
from planmon.content.gaps import data_gaps
from planmon.content.matching import district_matches
from planmon.content.overview import (
    change_table,
    goal_table,
    heatmap_section,
    overview_title,
    plan_headline,
    ranking_section,
)

__all__ = [
    "executive_briefing",
    "Block",
    "ReportContext",
    "setup_notebook",
    "open_report",
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
    "data_caveats_section",
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
