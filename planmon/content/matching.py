"""Indicators that several districts share, matched by name across districts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

import pandas as pd

from planmon.content.blocks import text
from planmon.core.text import clean_text, name_key

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["district_matches"]

# Words that join an indicator's name to the district it is measured in ("... در منطقه یک",
# "... in District 1"); left dangling once the district's name is removed.
_CONNECTORS = re.compile(r"(?:^|\s)(?:در|of|in|for|-|–|—|،|,|:)\s*$", re.IGNORECASE)
_EMPTY_BRACKETS = re.compile(r"\(\s*\)|\[\s*\]|«\s*»")


def _without(name: str, district: str) -> str:
    """``name`` with the district's own name removed, and the words that tied them."""
    common = clean_text(name) or ""
    district = clean_text(district) or ""
    if district:
        common = re.sub(re.escape(district), " ", common, flags=re.IGNORECASE)
    common = _EMPTY_BRACKETS.sub(" ", common)
    common = re.sub(r"\s+", " ", common).strip()
    previous = None
    while previous != common:
        previous = common
        common = _CONNECTORS.sub("", common).strip()
    return common


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
        r.dept_id: (text(r.name_fa), text(getattr(r, "name_en", "")))
        for r in districts.itertuples(index=False)
    }
    rows = []
    for ind in plan.indicators.itertuples(index=False):
        if ind.dept_id not in names:
            continue
        dept_fa, dept_en = names[ind.dept_id]
        common_fa = _without(text(ind.name_fa), dept_fa)
        common_en = _without(text(getattr(ind, "name_en", "")), dept_en)
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
