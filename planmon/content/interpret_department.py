"""Plain-language interpretation of a department's year, in Persian or English: its conformity
with the annual targets and the change on the previous year, its indicators by status, and its
weakest indicator. Every clause is guarded by the numbers it needs (see
:mod:`planmon.content.interpret`)."""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from planmon.content.phrases import ZWNJ, count_words, get, join_list, percent_phrase
from planmon.core.locale import Lang, format_number, format_year
from planmon.core.locale import as_float as _as_float
from planmon.core.locale import check_lang as _check_lang
from planmon.core.vocabulary import status_label, word
from planmon.measures.progress import STATUSES

__all__ = ["interpret_department"]


def _department_first(rollup_row: Mapping, lang: str, name: str) -> str:
    fa = lang == "fa"
    year = format_year(get(rollup_row, "year"), lang)
    n = int(_as_float(get(rollup_row, "n_indicators")) or 0)
    conformity = _as_float(get(rollup_row, "conformity_pct"))
    if conformity is None:
        if fa:
            return (
                f"در سال {year} انطباق عملکرد «{name}» با اهداف سالانه قابل محاسبه نیست، "
                f"زیرا میزان تحقق هیچ{ZWNJ}یک از {count_words(n, 'fa')} شاخص آن قابل سنجش نبود."
            )
        return (
            f"In {year} the conformity of {name} with its annual targets cannot be computed: "
            f"none of its {count_words(n, 'en')} indicators had a measurable achievement."
        )
    conf = percent_phrase(conformity, lang)
    change = _as_float(get(rollup_row, "conformity_change"))
    previous = _as_float(get(rollup_row, "previous_year"))
    if fa:
        text = f"در سال {year}، میانگین وزنی انطباق عملکرد «{name}» با اهداف سالانه {conf} بود"
    else:
        text = f"In {year} the weighted conformity of {name} with its annual targets was {conf}"
    if change is not None:
        prev = format_year(previous, lang) if previous is not None else None
        points = format_number(abs(change), lang)
        if round(abs(change), 1) == 0:
            if fa:
                text += f"؛ تقریباً همان رقم سال {prev}" if prev else "؛ تقریباً همان رقم سال قبل"
            else:
                text += (
                    f", about the same as in {prev}"
                    if prev
                    else ", about the same as the year before"
                )
        elif fa:
            side = "بیشتر" if change > 0 else "کمتر"
            text += f"؛ یعنی {points} واحد درصد {side} از سال {prev or 'قبل'}"
        else:
            side = "higher" if change > 0 else "lower"
            text += f", {points} percentage points {side} than in {prev or 'the previous year'}"
    return text + "."


def _department_counts(rollup_row: Mapping, lang: str) -> str | None:
    """The indicators by status, each status by its one label ("two target achieved")."""
    n = int(_as_float(get(rollup_row, "n_indicators")) or 0)
    items = []
    for status in STATUSES:
        k = int(_as_float(get(rollup_row, f"n_{status}")) or 0)
        if k:
            label = status_label(status, lang)
            if lang == "en":
                label = label[:1].lower() + label[1:]
            items.append(word("status_count", lang, n=count_words(k, lang), status=label))
    if not items or n == 0:
        return None
    return word("status_counts", lang, n=count_words(n, lang), items=join_list(items, lang))


def _department_weakest(
    rollup_row: Mapping,
    scores_for_dept: pd.DataFrame,
    lang: str,
    indicator_names: Mapping[str, str] | None,
) -> str | None:
    frame = scores_for_dept
    year = _as_float(get(rollup_row, "year"))
    if "year" in frame.columns and year is not None:
        frame = frame.loc[frame["year"] == int(year)]
    if "achievement_pct" not in frame.columns:
        return None
    frame = frame.loc[frame["achievement_pct"].notna()]
    if len(frame) < 2:
        return None  # "the weakest" of one indicator says nothing
    sort_cols = ["achievement_pct"] + (["score"] if "score" in frame.columns else [])
    sort_cols.append("indicator_id")
    weakest = frame.sort_values(sort_cols, na_position="last").iloc[0]
    if weakest["achievement_pct"] >= 100:
        if lang == "fa":
            return (
                f"همه شاخص{ZWNJ}هایی که میزان تحقق آن{ZWNJ}ها قابل سنجش بود، "
                "به هدف سالانه خود رسیدند."
            )
        return "Every indicator with a measurable achievement met its annual target."
    ind_id = str(weakest["indicator_id"])
    label = None
    if indicator_names is not None:
        label = indicator_names.get(ind_id)
    if label is None and f"name_{lang}" in frame.columns:
        label = weakest[f"name_{lang}"]
    if label is None or (isinstance(label, float) and math.isnan(label)):
        label = ind_id
    pct = percent_phrase(max(float(weakest["achievement_pct"]), 0.0), lang)
    if lang == "fa":
        return f"ضعیف{ZWNJ}ترین شاخص «{label}» است که میزان تحقق هدف سالانه آن {pct} بود."
    return f"The weakest indicator is {label}, with {pct} achievement of its annual target."


def interpret_department(
    rollup_row: Mapping,
    scores_for_dept: pd.DataFrame,
    *,
    lang: Lang,
    name: str,
    indicator_names: Mapping[str, str] | None = None,
) -> str:
    """Two or three sentences on a department's year: conformity, statuses, weakest indicator.

    Parameters
    ----------
    rollup_row : Mapping
        One row of ``rollup(..., level="department")``, ideally passed through
        :func:`planmon.measures.rollup.change_against_previous` so it has ``conformity_change`` and
        ``previous_year`` (without them the change is not mentioned).
    scores_for_dept : pandas.DataFrame
        The department's rows of the scores frame (any years; the row's year is selected).
        Used to name the indicator with the lowest ``achievement_pct``.
    lang : {"fa", "en"}
        Language of the text.
    name : str
        The department's name in that language.
    indicator_names : Mapping or None
        ``indicator_id -> name`` in that language; otherwise a ``name_fa``/``name_en`` column
        of ``scores_for_dept`` is used, else the id.

    Returns
    -------
    str
        The text. With no conformity figure it says why instead of printing 0 %; the change
        since last year appears only when it was computed; the weakest indicator is named only
        when at least two indicators have an achievement figure.
    """
    _check_lang(lang)
    sentences = [_department_first(rollup_row, lang, name)]
    counts = _department_counts(rollup_row, lang)
    if counts:
        sentences.append(counts)
    weakest = _department_weakest(rollup_row, scores_for_dept, lang, indicator_names)
    if weakest:
        sentences.append(weakest)
    return " ".join(sentences)
