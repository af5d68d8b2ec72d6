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

# %% [markdown]
# # Exploring a plan
#
# A starting point for an analyst in JupyterLab. Set the parameters below (or leave them for
# the bundled sample), run all cells, then follow the suggestions at the end. The report
# notebooks (`department_report`, `plan_overview`, `district_comparison`) are built from the
# same functions in `planmon.content.report`.

# %% tags=["parameters"]
plan_path: str = ""
year: int = 0
dept_id: str = ""
lang: str = "fa"
scores_path: str = ""

# %%
from planmon.content import report

report.setup_notebook(lang)
ctx = report.open_report("explore", plan_path, year, dept_id, lang, scores_path)
report.explore_title(ctx)

# %% [markdown]
# ## Warnings
# Input that is legal but suspicious: targets that move against the indicator's direction,
# sudden jumps, files that were skipped. Each names the file, row and column to check.

# %%
report.warnings_table(ctx)

# %% [markdown]
# ## Scores
# One row per indicator for the report year `ctx.year`: the value against that year's target
# (`achievement_pct`), the share of the way to the horizon target (`distance_covered_pct`), the
# Open SDG progress `score` (−5…5) and `status`, and the OLS trend to the horizon
# (`trend_horizon_value`, `trend_low`, `trend_high`, `p_reach_target`). `ctx.scores` holds
# every report year.

# %%
ctx.year_scores

# %% [markdown]
# ## Roll-ups
# Weighted averages by department (also `"goal"` and `"plan"`), with the change on the
# previous report year.

# %%
report.rollups(ctx, "department")

# %% [markdown]
# ## One indicator
# Baseline, reported values, annual targets, the horizon target and the trend projection with
# its 95 % prediction interval. Pass another id, e.g. `report.indicator_figure(ctx, "BUS01")`.

# %%
report.indicator_figure(ctx)

# %% [markdown]
# ## What to try next
# * Find what went backwards: `ctx.year_scores.query("status == 'deterioration'")`.
# * Follow one indicator over time: `ctx.plan.series("BUS01")` and `ctx.plan.targets_of("BUS01")`.
# * Read a department's report as the build makes it: `report.department_headline(ctx)` after
#   `ctx = report.open_report("department_report", plan_path, year, "bus", lang, scores_path)`.
# * Compare goals: `report.rollups(ctx, "goal")`; districts: `report.district_matches(ctx.plan)`.
# * Check another plan folder: set `plan_path` above, or run `planmon validate PATH` first.
# * Anything you compute twice belongs in `planmon` — add a function there and a test beside it.
