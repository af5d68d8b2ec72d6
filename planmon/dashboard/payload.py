"""The dashboard's data: computed frames in, one JSON-ready dict out.

:func:`build_payload` is *handed* what the measures computed — the scores frame and the
roll-ups (``department``, ``plan``, ``department-goal`` and ``kind``, see
:class:`planmon.dashboard.frames.DashboardFrames`) — together with the plan's own frames, and
turns them into the compact, deterministic document ``app.js`` lays out (arrays rather than
objects, numbers rounded to a few significant digits). It computes nothing itself apart from
the changes against the previous year (when a roll-up lacks them) and a unit's status word.
:func:`payload_for` computes the frames first (:func:`planmon.dashboard.frames.frames_for`),
for callers that have none.

Each block of the document is made by its own function: plan facts, years, departments and
their yearly rows, kinds, plan rows, heat map cells, indicators (facts, passport, series),
indicator measures per year, districts compared, and the slots for commentary and actions.

A unit's status
---------------
Indicators carry one of :data:`planmon.measures.progress.STATUSES`; a department needs one too,
for its colour. It is read off the department's weighted mean Open SDG score with the cut-offs
the indicator statuses use: in :mod:`planmon.measures.progress` a ratio of observed to required
growth of 0.95, 0.6 and 0 gives the scores 2.5, 0 and −2.5 (``50/7·R − 30/7`` above 0.6,
``25/6·R − 2.5`` below). So a mean score ≥ 2.5 is *substantial progress*, ≥ 0 *moderate*,
≥ −2.5 *limited* and below that *deterioration*. *Target achieved* needs every indicator with
a status to have achieved its target. No score at all is *not available*.
(:func:`score_status` is a scoring rule and belongs in :mod:`planmon.measures`.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planmon.core.exceptions import PlanmonError
from planmon.core.goals import goal_tree
from planmon.core.locale import LANGS as LANGUAGES
from planmon.dashboard.frames import DASHBOARD_ROLLUPS, frames_for
from planmon.dashboard.labels import labels_block, status_entries, unit_label
from planmon.dashboard.words import dashboard_words
from planmon.measures.progress import STATUSES
from planmon.measures.rollup import change_against_previous
from planmon.plan.model import Plan

__all__ = [
    "PAYLOAD_SCHEMA",
    "DOWNLOAD_FIELDS",
    "score_status",
    "build_payload",
    "payload_for",
]

#: Version of the embedded JSON layout; ``app.js`` refuses a payload it does not know.
PAYLOAD_SCHEMA = 2

# Significant digits kept in the payload: reported values, baselines and targets are data as a
# department wrote them, so they keep more digits than the derived measures.
_DATA_DIGITS = 6
_MEASURE_DIGITS = 4

# Score cut-offs between the statuses (see the module docstring), best first.
_SCORE_BANDS: tuple[tuple[float, str], ...] = (
    (2.5, "substantial_progress"),
    (0.0, "moderate_progress"),
    (-2.5, "limited_progress"),
)
_KIND_ORDER = ("deputy", "district", "organization")
_PASSPORT = ("level", "definition", "formula", "source", "responsible", "frequency")
_UNIT_FIELDS = [
    "n_indicators",
    "n_with_value",
    "conformity_pct",
    "distance_covered_pct",
    "progress_score",
    "status",
    "conformity_change",
    "score_change",
    "status_counts",
    "coverage_pct",
]
_MEASURES = [
    "achievement_pct",
    "distance_covered_pct",
    "score",
    "trend_horizon_value",
    "trend_low",
    "trend_high",
    "trend_slope",
    "p_reach_target",
]
#: The columns of every download (CSV and XLSX, made in the browser by ``assets/lib.js``:
#: ``downloadRows``): one row per indicator and year, machine-readable names as in
#: ``planmon scores``, the same rounded numbers the page shows.
DOWNLOAD_FIELDS: tuple[str, ...] = (
    "year",
    "dept_id",
    "department_fa",
    "department_en",
    "indicator_id",
    "indicator_fa",
    "indicator_en",
    "unit_fa",
    "unit_en",
    "direction",
    "baseline_year",
    "baseline_value",
    "value",
    "target",
    "achievement_pct",
    "distance_covered_pct",
    "score",
    "status",
    "pace_status",
    "caveats",
    "note",
)
_COMMENTARY_FIELDS = ["year", "dept_id", "indicator_id", "kind", "text_fa", "text_en"]
_ACTION_FIELDS = [
    "action_id",
    "dept_id",
    "indicator_id",
    "title_fa",
    "title_en",
    "owner",
    "start_year",
    "due_year",
    "progress_pct",
    "status",
    "note",
]


# --------------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------------


def score_status(
    score: npt.ArrayLike,
    n_target_achieved: npt.ArrayLike | None = None,
    n_with_status: npt.ArrayLike | None = None,
) -> np.ndarray:
    """Status word of a unit (department, goal, plan) from its mean Open SDG score.

    Parameters
    ----------
    score : array_like of float
        The unit's weighted mean score, −5 … 5 (``progress_score`` of a roll-up); NaN = none.
    n_target_achieved, n_with_status : array_like of int, optional
        How many of the unit's indicators achieved their target, and how many have any status
        other than ``not_available``. When both are given and equal (and positive), the unit's
        status is ``target_achieved``.

    Returns
    -------
    numpy.ndarray of str
        ``substantial_progress`` for a score ≥ 2.5, ``moderate_progress`` ≥ 0,
        ``limited_progress`` ≥ −2.5, ``deterioration`` below, ``not_available`` for NaN.

    Examples
    --------
    >>> score_status([3.0, 0.0, -1.0, -4.0, float("nan")]).tolist()
    ['substantial_progress', 'moderate_progress', 'limited_progress', 'deterioration', 'not_available']
    """
    s = np.atleast_1d(np.asarray(score, dtype="float64"))
    out = np.full(s.shape, "deterioration", dtype=object)
    # Walk from the lowest band up so that each higher cut-off overwrites the lower ones.
    for cut, word in reversed(_SCORE_BANDS):
        out[s >= cut] = word
    out[np.isnan(s)] = "not_available"
    if n_target_achieved is not None and n_with_status is not None:
        achieved = np.atleast_1d(np.asarray(n_target_achieved, dtype="int64"))
        rated = np.atleast_1d(np.asarray(n_with_status, dtype="int64"))
        out[(rated > 0) & (achieved == rated)] = "target_achieved"
    return out


def _round_sig(values: npt.ArrayLike, digits: int) -> list[float | int | None]:
    """Numbers rounded to ``digits`` significant digits as JSON-ready Python values.

    NaN and ±inf become None; whole numbers become ints (``12`` rather than ``12.0``). Dividing
    an exact integer by an exact power of ten gives the double nearest the rounded decimal, so
    ``json`` prints it in its short form (``12.34``, not ``12.340000000000002``).
    """
    x = np.asarray(values, dtype="float64")
    finite = np.isfinite(x)
    magnitude = np.floor(np.log10(np.abs(np.where(finite & (x != 0), x, 1.0))))
    decimals = (digits - 1 - magnitude).astype("int64")
    up = decimals >= 0
    scale = 10.0 ** np.abs(decimals)
    with np.errstate(all="ignore"):
        rounded = np.where(up, np.round(x * scale) / scale, np.round(x / scale) * scale)
    rounded = np.where(finite, rounded, np.nan)
    whole = finite & (rounded == np.round(rounded)) & (np.abs(rounded) < 2**53)
    out: list[float | int | None] = rounded.tolist()
    for k in np.flatnonzero(~finite):
        out[k] = None
    for k in np.flatnonzero(whole):
        out[k] = int(out[k])  # type: ignore[arg-type]
    return out


def _text(value: Any) -> str:
    return "" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _ints(series: pd.Series) -> list[int]:
    return series.fillna(0).to_numpy(dtype="int64").tolist()


def _optional_ints(series: pd.Series) -> list[int | None]:
    return [None if pd.isna(v) else int(v) for v in series]


def _grid_rows(grid: np.ndarray) -> list[list[float | int | None]]:
    """Each row of an (indicator × year) grid, rounded for the payload."""
    if grid.size == 0:
        return [[] for _ in range(grid.shape[0])]
    flat = _round_sig(grid.ravel(), _DATA_DIGITS)
    width = grid.shape[1]
    return [flat[k : k + width] for k in range(0, len(flat), width)]


def _jsonable(value: Any) -> Any:
    """One cell of a free table (commentary, actions) as JSON: NaN → None, NumPy → Python."""
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return _round_sig([float(value)], _DATA_DIGITS)[0]
    return str(value)


def payload_for(plan: Plan, year: int | None = None, **options: Any) -> dict:
    """:func:`build_payload` on the frames :func:`frames_for` computes."""
    frames = frames_for(plan)
    return build_payload(
        plan, frames.scores, frames.rollups, year=year, districts=frames.districts, **options
    )


# --------------------------------------------------------------------------------------------
# The payload
# --------------------------------------------------------------------------------------------


def build_payload(
    plan: Plan,
    scores: pd.DataFrame,
    rollups: Mapping[str, pd.DataFrame],
    *,
    year: int | None = None,
    districts: pd.DataFrame | None = None,
    links: Mapping[str, Any] | None = None,
    commentary: pd.DataFrame | None = None,
    actions: pd.DataFrame | None = None,
) -> dict:
    """The dashboard's data: every figure ``app.js`` shows, as a JSON-ready dict.

    Parameters
    ----------
    plan : Plan
        The loaded plan (its departments, goals, indicators, targets, actuals and meta).
    scores, rollups : DataFrame, mapping
        The scores frame (``caveats`` and ``pace_status`` read when present) and one roll-up
        per :data:`~planmon.dashboard.frames.DASHBOARD_ROLLUPS` entry.
    year : int, optional
        The last report year shown (later ones are left out); default the latest. The page
        opens on the latest shown year that is not provisional.
    districts, links, commentary, actions : optional
        Indicators shared by districts (``district_matches``), the reports that exist
        (:func:`planmon.dashboard.page.report_links`), rows for the commentary and actions.

    Returns
    -------
    dict
        Plain lists, dicts, strings and numbers (missing numbers are None). Tables are
        ``{"fields": [...], "rows": ...}``; per-year tables are keyed by the year as a string
        and aligned row by row with their parent table (``depts``, ``kinds``, ``indicators``);
        statuses are positions in ``statuses``. Raises PlanmonError if the plan has no report
        year, ``year`` is not one of them, or a roll-up is missing.
    """
    missing = [level for level in DASHBOARD_ROLLUPS if level not in rollups]
    if missing:
        raise PlanmonError(f"the dashboard needs the {', '.join(missing)} roll-up(s)")
    rolled = dict(rollups)
    years, opening, provisional = _years(plan, year, rolled["plan"])
    scores = scores[scores["year"].isin(years)]
    depts = plan.departments.reset_index(drop=True)
    dept_ids = depts["dept_id"].astype(str).tolist()
    kinds = _kinds(depts)
    indicators, target_years = _indicators_block(plan, scores, dept_ids, years)
    return {
        "schema": PAYLOAD_SCHEMA,
        "plan": _plan_block(plan),
        "year": opening,
        "years": years,
        "provisional_years": provisional,
        "target_years": target_years,
        **_vocabulary_blocks(),
        "kinds": kinds,
        "links": dict(links) if links is not None else {"built": {}},
        "goals": _goals_block(plan.goals),
        "depts": _depts_block(depts),
        "dept_years": _dept_years_block(rolled["department"], dept_ids, years),
        "kind_years": _kind_years_block(rolled["kind"], kinds, years),
        "plan_years": _plan_years_block(rolled["plan"], rolled["department"], years),
        "heat": _heat_block(rolled["department-goal"], dept_ids, plan.goals, years),
        "indicators": indicators,
        "ind_years": _ind_years_block(scores, plan.actuals, indicators, years),
        "districts": _districts_block(districts, indicators, dept_ids),
        # a caller that hands no table gets the plan's own (issue 11 items 1-2)
        "commentary": _slot(
            plan.commentary if commentary is None else commentary, _COMMENTARY_FIELDS
        ),
        "actions": _slot(plan.actions if actions is None else actions, _ACTION_FIELDS),
    }


def _vocabulary_blocks() -> dict[str, Any]:
    """The words, colours and fixed lists the page needs besides the figures."""
    return {
        "statuses": status_entries(),
        "labels": labels_block(),
        "words": dashboard_words(),
        "score_bands": [cut for cut, _ in _SCORE_BANDS],
        "download_fields": list(DOWNLOAD_FIELDS),
    }


def _years(plan: Plan, year: int | None, plan_roll: pd.DataFrame) -> tuple[list[int], int, list]:
    """The years shown, the year the page opens on and the provisional years among them."""
    years_all = plan.report_years
    if not years_all:
        raise PlanmonError("the plan has no reports yet, so there is nothing to show")
    last = years_all[-1] if year is None else int(year)
    if last not in years_all:
        known = ", ".join(map(str, years_all))
        raise PlanmonError(f"no reports for {year}; report years: {known}")
    years = [y for y in years_all if y <= last]
    flagged = plan_roll.loc[plan_roll["provisional"].fillna(False).astype(bool), "year"]
    provisional = sorted({int(y) for y in flagged} & set(years))
    settled = [y for y in years if y not in provisional]
    return years, (settled[-1] if settled else years[-1]), provisional


def _plan_block(plan: Plan) -> dict[str, Any]:
    meta = plan.meta
    return {
        "name": {lang: _text(meta.get(f"name_{lang}")) for lang in LANGUAGES},
        "city": {lang: _text(meta.get(f"city_{lang}")) for lang in LANGUAGES},
        "baseline_year": plan.baseline_year,
        "first_year": int(meta["first_year"]),
        "horizon_year": plan.horizon_year,
        "calendar": _text(meta.get("calendar")),
        "fingerprint": plan.fingerprint,
    }


def _kinds(depts: pd.DataFrame) -> list[str]:
    present = set(depts["kind"].astype(str))
    return [k for k in _KIND_ORDER if k in present] + sorted(present - set(_KIND_ORDER))


def _goals_block(goals: pd.DataFrame) -> dict[str, Any]:
    """The macro goals (the heat map's columns)."""
    macro = goals[goals["parent_id"].isna()]
    rows = [
        [str(g), _text(fa), _text(en)]
        for g, fa, en in zip(macro["goal_id"], macro["name_fa"], macro["name_en"], strict=True)
    ]
    return {"fields": ["id", "name_fa", "name_en"], "rows": rows}


def _depts_block(depts: pd.DataFrame) -> dict[str, Any]:
    columns = [depts[c] for c in ("dept_id", "kind", "name_fa", "name_en")]
    rows = [[_text(v) for v in row] for row in zip(*columns, strict=True)]
    return {"fields": ["id", "kind", "name_fa", "name_en"], "rows": rows}


# ----------------------------------------------------------------------------- unit rows


def _unit_status(frame: pd.DataFrame) -> np.ndarray:
    rated = frame["n_indicators"].fillna(0) - frame["n_not_available"].fillna(0)
    return score_status(frame["progress_score"], frame["n_target_achieved"].fillna(0), rated)


def _unit_rows(frame: pd.DataFrame) -> list[list[Any]]:
    """Rows of unit figures (:data:`_UNIT_FIELDS`), one per row of ``frame``."""
    codes = {s: k for k, s in enumerate(STATUSES)}
    columns = [
        _ints(frame["n_indicators"]),
        _ints(frame["n_with_value"]),
        _round_sig(frame["conformity_pct"], _MEASURE_DIGITS),
        _round_sig(frame["distance_covered_pct"], _MEASURE_DIGITS),
        _round_sig(frame["progress_score"], _MEASURE_DIGITS),
        [codes[s] for s in _unit_status(frame)],
        _round_sig(frame["conformity_change"], _MEASURE_DIGITS),
        _round_sig(frame["score_change"], _MEASURE_DIGITS),
        np.column_stack([_ints(frame[f"n_{s}"]) for s in STATUSES]).tolist(),
        _round_sig(frame["coverage_pct"], _MEASURE_DIGITS),
    ]
    return [list(row) for row in zip(*columns, strict=True)]


def _with_changes(frame: pd.DataFrame, keys: str | Sequence[str] | None) -> pd.DataFrame:
    """``frame`` with ``conformity_change`` and ``score_change`` (computed when missing)."""
    if {"conformity_change", "score_change"} <= set(frame.columns):
        return frame
    return change_against_previous(frame, keys)


def _dept_years_block(
    dept_roll: pd.DataFrame, dept_ids: Sequence[str], years: Sequence[int]
) -> dict[str, Any]:
    """Per year, one row per department: figures, whether it reported, its rank (or None)."""
    frame = _with_changes(dept_roll, "dept_id").astype({"dept_id": str})
    rows: dict[str, list] = {}
    for y in years:
        part = frame[frame["year"] == y].set_index("dept_id").reindex(dept_ids)
        reported = part["reported"].fillna(False).astype(bool)
        rank = part["rank"].where(reported)
        extra = zip(reported.astype(int).tolist(), _optional_ints(rank), strict=True)
        rows[str(y)] = [[*r, *e] for r, e in zip(_unit_rows(part), extra, strict=True)]
    return {"fields": [*_UNIT_FIELDS, "reported", "rank"], "rows": rows}


def _kind_years_block(
    kind_roll: pd.DataFrame, kinds: Sequence[str], years: Sequence[int]
) -> dict[str, Any]:
    """Per year, one row per kind of department (what the tiles show under a kind filter)."""
    frame = _with_changes(kind_roll, "kind").astype({"kind": str})
    rows = {
        str(y): _unit_rows(frame[frame["year"] == y].set_index("kind").reindex(list(kinds)))
        for y in years
    }
    return {"fields": list(_UNIT_FIELDS), "rows": rows}


def _plan_years_block(
    plan_roll: pd.DataFrame, dept_roll: pd.DataFrame, years: Sequence[int]
) -> dict[str, Any]:
    """Per year, the plan's row: figures, whether the year is provisional, reports received."""
    frame = _with_changes(plan_roll, None)
    sent = dept_roll[dept_roll["reported"].fillna(False).astype(bool)]
    n_reports = sent.groupby("year")["dept_id"].nunique()
    rows: dict[str, list] = {}
    for y in years:
        part = frame.set_index("year").reindex([y])
        (row,) = _unit_rows(part)
        provisional = bool(part["provisional"].fillna(False).iloc[0])
        rows[str(y)] = [*row, int(provisional), int(n_reports.get(y, 0))]
    return {"fields": [*_UNIT_FIELDS, "provisional", "n_reports"], "rows": rows}


def _heat_block(
    cells: pd.DataFrame, dept_ids: Sequence[str], goals: pd.DataFrame, years: Sequence[int]
) -> dict[str, Any]:
    """Department × macro goal cells per year (only the pairs that have indicators)."""
    dept_pos = {d: k for k, d in enumerate(dept_ids)}
    macro = goals.loc[goals["parent_id"].isna(), "goal_id"].astype(str)
    goal_pos = {g: k for k, g in enumerate(macro)}
    frame = _with_changes(cells, ["dept_id", "goal_id"])
    frame = frame.assign(d=frame["dept_id"].astype(str).map(dept_pos))
    frame = frame.assign(g=frame["goal_id"].astype(str).map(goal_pos)).dropna(subset=["d", "g"])
    frame = frame.sort_values(["year", "d", "g"], kind="stable", ignore_index=True)
    codes = {s: k for k, s in enumerate(STATUSES)}
    rows: dict[str, list] = {}
    for y in years:
        part = frame[frame["year"] == y]
        rows[str(y)] = [
            list(r)
            for r in zip(
                _ints(part["d"]),
                _ints(part["g"]),
                _round_sig(part["progress_score"], _MEASURE_DIGITS),
                [codes[s] for s in _unit_status(part)],
                _round_sig(part["conformity_pct"], _MEASURE_DIGITS),
                _ints(part["n_indicators"]),
                strict=True,
            )
        ]
    fields = ["dept", "goal", "progress_score", "status", "conformity_pct", "n_indicators"]
    return {"fields": fields, "rows": rows}


# ----------------------------------------------------------------------------- indicators


def _indicators_block(
    plan: Plan, scores: pd.DataFrame, dept_ids: Sequence[str], years: Sequence[int]
) -> tuple[dict[str, Any], list[int]]:
    """Fixed facts, passport, and targets and values aligned to ``target_years`` / ``years``."""
    inds = plan.indicators.reset_index(drop=True)
    ids = inds["indicator_id"].astype(str).tolist()
    dept_pos = {d: k for k, d in enumerate(dept_ids)}
    root = goal_tree(plan.goals).macro_goal_of()
    macro = plan.goals.loc[plan.goals["parent_id"].isna(), "goal_id"].astype(str).tolist()
    goal_pos = {g: k for k, g in enumerate(macro)}
    target_years = sorted({int(y) for y in plan.targets["year"]} | set(plan.plan_years))
    tgt = plan.targets.pivot_table(
        index="indicator_id", columns="year", values="target", aggfunc="first"
    ).reindex(index=ids, columns=target_years)
    act = plan.actuals[plan.actuals["year"].isin(years)].pivot_table(
        index="indicator_id", columns="year", values="value", aggfunc="first", dropna=False
    )
    act = act.reindex(index=ids, columns=list(years))
    first = scores.drop_duplicates("indicator_id").set_index("indicator_id")
    horizon = first["horizon_year"].reindex(ids)
    passport = [[_text(v) for v in inds.get(c, pd.Series([""] * len(inds)))] for c in _PASSPORT]
    columns = [
        ids,
        [dept_pos.get(str(d), -1) for d in inds["dept_id"]],
        [goal_pos.get(root.get(str(g), ""), -1) for g in inds["goal_id"]],
        [_text(v) for v in inds["name_fa"]],
        [_text(v) for v in inds["name_en"]],
        *([unit_label(v, lang) for v in inds["unit"]] for lang in LANGUAGES),
        [_text(v) for v in inds["direction"]],
        inds["baseline_year"].astype("int64").tolist(),
        _round_sig(inds["baseline_value"], _DATA_DIGITS),
        _round_sig(horizon, _DATA_DIGITS),
        _grid_rows(tgt.to_numpy(dtype="float64")),
        _grid_rows(act.to_numpy(dtype="float64")),
        *passport,
    ]
    fields = ["id", "dept", "goal", "name_fa", "name_en", "unit_fa", "unit_en", "direction"]
    fields += ["baseline_year", "baseline_value", "horizon_year", "targets", "actuals"]
    block = {"fields": [*fields, *_PASSPORT], "rows": [list(r) for r in zip(*columns, strict=True)]}
    return block, target_years


def _ind_years_block(
    scores: pd.DataFrame,
    actuals: pd.DataFrame,
    indicators: Mapping[str, Any],
    years: Sequence[int],
) -> dict[str, Any]:
    """Per year, one row per indicator: measures, status, pace, caveat codes, the note."""
    ids = [r[0] for r in indicators["rows"]]
    codes = {s: k for k, s in enumerate(STATUSES)}
    notes = actuals.dropna(subset=["note"]).drop_duplicates(["indicator_id", "year"])
    notes = notes.set_index(["indicator_id", "year"])["note"]
    rows: dict[str, list] = {}
    for y in years:
        part = scores[scores["year"] == y].set_index("indicator_id").reindex(ids)
        measures = [_round_sig(part[c], _MEASURE_DIGITS) for c in _MEASURES]
        status = [codes.get(s, codes["not_available"]) for s in part["status"]]
        pace_column = part["pace_status"] if "pace_status" in part.columns else [None] * len(ids)
        pace = [_text(v) or None for v in pace_column]
        caveats = [[c for c in _text(v).split(";") if c] for v in part["caveats"]]
        note = [_text(notes.get((i, y), "")) for i in ids]
        rows[str(y)] = [
            [*m[:3], st, *m[3:], p, c, n]
            for m, st, p, c, n in zip(
                zip(*measures, strict=True), status, pace, caveats, note, strict=True
            )
        ]
    fields = [*_MEASURES[:3], "status", *_MEASURES[3:], "pace_status", "caveats", "note"]
    return {"fields": fields, "rows": rows}


def _districts_block(
    matches: pd.DataFrame | None, indicators: Mapping[str, Any], dept_ids: Sequence[str]
) -> dict[str, Any]:
    """Indicators the districts share: the districts compared and one group per indicator."""
    fields = ["name_fa", "name_en", "indicators"]
    if matches is None or matches.empty:
        return {"districts": [], "fields": fields, "rows": []}
    ind_pos = {r[0]: k for k, r in enumerate(indicators["rows"])}
    dept_pos = {d: k for k, d in enumerate(dept_ids)}
    districts = [dept_pos[d] for d in dict.fromkeys(matches["dept_id"].astype(str))]
    rows = []
    for _, group in matches.groupby("key", sort=False):
        first = group.iloc[0]
        members = [ind_pos[i] for i in group["indicator_id"].astype(str) if i in ind_pos]
        rows.append([_text(first["common_fa"]), _text(first["common_en"]), members])
    return {"districts": districts, "fields": fields, "rows": rows}


def _slot(frame: pd.DataFrame | None, fields: Sequence[str]) -> dict[str, Any]:
    """A free table for commentary or actions: the ``fields`` columns present in ``frame``."""
    if frame is None or frame.empty:
        return {"fields": list(fields), "rows": []}
    columns = [frame[c] if c in frame.columns else [None] * len(frame) for c in fields]
    rows = [[_jsonable(v) for v in row] for row in zip(*columns, strict=True)]
    return {"fields": list(fields), "rows": rows}
