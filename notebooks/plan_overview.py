# ---
# jupyter:
#   jupytext:
#     formats: ipynb,py:percent
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown] tags=["remove-cell"]
# # Plan overview
#
# The whole plan in one report year: the plan-level headline, departments ranked, a heat map
# of progress by department and macro goal, the goal roll-ups and the change against the
# previous year. Every cell calls one function of `planmon.content.report`.
#
# Parameters: `plan_path` ("" = the bundled sample), `year` (0 = the latest report year),
# `dept_id` (not used), `lang` ("fa" or "en"), `scores_path` (the build's precomputed scores;
# "" = compute them).

# %% tags=["parameters"]
plan_path: str = ""
year: int = 0
dept_id: str = ""
lang: str = "fa"
scores_path: str = ""

# %%
from planmon.content import report

report.setup_notebook(lang)
ctx = report.open_report("plan_overview", plan_path, year, dept_id, lang, scores_path)

# %%
report.overview_title(ctx)

# %%
report.executive_briefing(ctx)

# %%
report.plan_headline(ctx)

# %%
report.ranking_section(ctx)

# %%
report.heatmap_section(ctx)

# %%
report.goal_table(ctx)

# %%
report.change_table(ctx)
