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
# # District comparison
#
# The indicators the districts share, side by side for one report year: a grouped chart of
# each district's achievement of its annual target and a table of the values. Indicators are
# matched across districts by name (`planmon.content.report.district_matches`).
#
# Parameters: `plan_path` ("" = the bundled sample), `year` (0 = the latest report year),
# `dept_id` (a district to highlight, or ""), `lang` ("fa" or "en"), `scores_path` (the
# build's precomputed scores; "" = compute them).

# %% tags=["parameters"]
plan_path: str = ""
year: int = 0
dept_id: str = ""
lang: str = "fa"
scores_path: str = ""

# %%
from planmon.content import report

report.setup_notebook(lang)
ctx = report.open_report("district_comparison", plan_path, year, dept_id, lang, scores_path)

# %%
report.district_title(ctx)

# %%
report.district_section(ctx)
