"""The plan's settings: the optional ``plan`` key/value table, and the plan years."""

from __future__ import annotations

import pandas as pd

from planmon.core.exceptions import Problem
from planmon.core.schema import META_KEYS
from planmon.core.text import clean_text
from planmon.io.read import RawTable
from planmon.plan.validation.cells import is_year, number_or_invalid

__all__ = ["read_settings", "plan_meta"]


def read_settings(raw: RawTable | None) -> tuple[dict, list[Problem]]:
    """The settings the ``plan`` table states, with the problems of its rows."""
    problems: list[Problem] = []
    meta: dict = {}
    if raw is None or raw.frame.empty:
        return meta, problems
    frame = raw.frame
    key_col = "key" if "key" in frame.columns else frame.columns[0]
    value_col = "value" if "value" in frame.columns else frame.columns[-1]
    for row, key, value in zip(frame.index, frame[key_col], frame[value_col], strict=True):
        key_text = clean_text(key)
        if key_text not in META_KEYS:
            problems.append(
                Problem(
                    raw.label,
                    int(row),
                    raw.header(key_col),
                    f"unknown plan setting {key_text!r}, ignored; expected one of "
                    + ", ".join(META_KEYS),
                    "warning",
                )
            )
            continue
        if key_text.endswith("_year"):
            number = number_or_invalid(value)
            if not is_year(number):
                problems.append(
                    Problem(
                        raw.label,
                        int(row),
                        raw.header(value_col),
                        f"{key_text} is not a year ({clean_text(value)} seen)",
                    )
                )
                continue
            meta[key_text] = int(number)
        else:
            meta[key_text] = clean_text(value)
    return meta, problems


def plan_meta(
    raw: RawTable | None, indicators: pd.DataFrame, targets: pd.DataFrame
) -> tuple[dict, list[Problem]]:
    """The plan's settings, with the years the table leaves out inferred from the data."""
    meta, problems = read_settings(raw)
    target_years = targets["year"].dropna()
    if "first_year" not in meta and len(target_years):
        meta["first_year"] = int(target_years.min())
    if "horizon_year" not in meta and len(target_years):
        meta["horizon_year"] = int(target_years.max())
    base_years = indicators["baseline_year"].dropna()
    if "baseline_year" not in meta and len(base_years):
        meta["baseline_year"] = int(base_years.mode().iloc[0])
    if "first_year" not in meta and "baseline_year" in meta:
        meta["first_year"] = meta["baseline_year"] + 1
    if "horizon_year" not in meta and "first_year" in meta:
        meta["horizon_year"] = meta["first_year"] + 4
    if "calendar" not in meta and "horizon_year" in meta:
        meta["calendar"] = "jalali" if meta["horizon_year"] < 1700 else "gregorian"
    for key in ("name_fa", "name_en", "city_fa", "city_en"):
        meta.setdefault(key, None)
    return meta, problems
