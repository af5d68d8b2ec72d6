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
# # Department report
#
# One department's monitoring report for one year, in Persian (`lang="fa"`) or English.
# Every cell below calls one function of `planmon.content.report`; change the content there, not here.
# Run it for another department with papermill, for example
# `papermill department_report.ipynb out.ipynb -p dept_id bus -p year 1399`, or let
# `planmon build` run it for every department and year.
#
# Parameters: `plan_path` ("" = the bundled sample), `year` (0 = the latest report year),
# `dept_id` ("" = the first department), `lang` ("fa" or "en"), `scores_path` (the build's
# precomputed scores; "" = compute them).

# %% tags=["parameters"]
plan_path: str = ""
year: int = 0
dept_id: str = ""
lang: str = "fa"
scores_path: str = ""

# %%
from planmon.content import report

report.setup_notebook(lang)
ctx = report.open_report("department_report", plan_path, year, dept_id, lang, scores_path)

# %%
report.department_title(ctx)

# %%
report.department_headline(ctx)

# %%
report.indicator_table(ctx)

# %%
report.comparison_section(ctx)

# %%
report.distance_section(ctx)

# %%
report.indicator_sections(ctx)

# %%
report.notes_section(ctx)

# %%
report.data_gaps_section(ctx)

# %%
report.data_caveats_section(ctx)

# %%
report.passport_appendix(ctx)
