"""The management dashboard: one static folder a manager opens in any browser.

:func:`write_dashboard` writes ``index.html`` and ``assets/`` (``app.js``, ``style.css`` and
plotly.js). Nothing is fetched at run time and nothing needs a server: the plan's figures are
embedded in ``index.html`` as JSON (``<script type="application/json" id="data">``), so the
folder opens from ``file://`` as well as from any intranet web server, and can be copied or
zipped as it is.

The split of work
-----------------
* Python (this module) does every calculation: the scores frame, the department, goal and plan
  roll-ups (:mod:`planmon.measures.rollup`), the change against the previous report year, and each
  department's status. :func:`build_payload` turns them into a compact, deterministic JSON
  document (arrays rather than objects, numbers rounded to a few significant digits).
* ``assets/app.js``, a small hand-written script without a framework or a build
  step, only lays the figures out: tiles, a sortable department table, a department × goal
  heat map, filters and the drill-down from a department to its indicators and from an
  indicator to its chart. It sets all text with ``textContent``, never ``innerHTML``, so a
  name in the plan can never become markup.
* Charts use plotly.js, shipped inside the ``plotly`` PyPI package (MIT licence). It draws SVG,
  so Persian text is shaped by the browser like any other text, and it works offline.

A department's status
---------------------
Indicators carry one of :data:`planmon.measures.rollup.STATUSES`; a department needs one too, for its
colour. It is read off the department's weighted mean Open SDG score with the same cut-offs the
indicator statuses use: in :mod:`planmon.measures.progress` a ratio of observed to required growth of
0.95, 0.6 and 0 gives the scores 2.5, 0 and −2.5 (``50/7·R − 30/7`` above 0.6,
``25/6·R − 2.5`` below), and the growth thresholds without a target (1.5 %, 0.5 %, 0) give the
same three scores. So a mean score ≥ 2.5 is *substantial progress*, ≥ 0 *moderate*, ≥ −2.5
*limited* and below that *deterioration*. *Target achieved* needs every indicator with a status
to have achieved its target (a mean of 5 alone does not: the score is capped at 5 for fast
progress too). No score at all is *not available*.
"""

from __future__ import annotations

import html
import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from planmon.content.charts import STATUS_COLOURS, STATUS_LABELS, text_colour_on
from planmon.content.interpret import localise_unit
from planmon.core import config
from planmon.core.exceptions import PlanmonError
from planmon.measures.progress import STATUSES
from planmon.measures.rollup import change_against_previous, rollup
from planmon.plan.model import Plan

__all__ = [
    "REPORT_LINK_PATTERN",
    "DASHBOARD_GENERATOR",
    "PAYLOAD_SCHEMA",
    "score_status",
    "macro_goals",
    "build_payload",
    "render_index",
    "write_dashboard",
]

#: Where a department's report lives, relative to the reports root. ``{ext}`` is ``html`` or
#: ``pdf``; the dashboard fills ``{year}`` and ``{lang}`` from the year and language the reader
#: has chosen. Keep it in step with the layout ``planmon build`` writes.
from planmon.publish.layout import REPORT_LINK_PATTERN  # its one home: the layout

#: Written into ``index.html`` (``<meta name="generator">``); an existing output folder is
#: only ever replaced when its ``index.html`` carries it, so ``--out`` cannot wipe a folder
#: that holds something else.
DASHBOARD_GENERATOR = "planmon dashboard"

#: Version of the embedded JSON layout; ``app.js`` refuses a payload it does not know.
PAYLOAD_SCHEMA = 1

# Significant digits kept in the payload: reported values, baselines and targets are data as a
# department wrote them, so they keep more digits than the derived measures, which nobody reads
# beyond three.
_DATA_DIGITS = 6
_MEASURE_DIGITS = 4

# Score cut-offs between the statuses (see the module docstring), best first.
_SCORE_BANDS: tuple[tuple[float, str], ...] = (
    (2.5, "substantial_progress"),
    (0.0, "moderate_progress"),
    (-2.5, "limited_progress"),
)

_ASSETS = "assets"
_STATIC_FILES = ("app.js", "style.css")
_PLOTLY_FILE = "plotly.min.js"
_KIND_ORDER = ("deputy", "district", "organization")


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
        One of :data:`planmon.measures.rollup.STATUSES` per unit: ``substantial_progress`` for a score
        ≥ 2.5, ``moderate_progress`` ≥ 0, ``limited_progress`` ≥ −2.5, ``deterioration`` below,
        ``not_available`` for NaN.

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


def macro_goals(goals: pd.DataFrame) -> dict[str, str]:
    """Map every goal id to the id of its macro goal (the root of its tree).

    Parameters
    ----------
    goals : DataFrame
        ``goal_id`` and ``parent_id`` (NA = macro goal).

    Raises
    ------
    PlanmonError
        If a parent is unknown or the tree has a cycle.
    """
    parent = {
        str(g): (None if pd.isna(p) else str(p))
        for g, p in zip(goals["goal_id"], goals["parent_id"], strict=True)
    }
    root: dict[str, str] = {}
    for goal in parent:
        seen = [goal]
        node = goal
        while parent[node] is not None:
            node = parent[node]
            if node not in parent:
                raise PlanmonError(f"goal {seen[-1]!r} has parent {node!r}, which is not a goal")
            if node in seen:
                raise PlanmonError(f"the goal tree has a cycle through {node!r}")
            seen.append(node)
        root[goal] = node
    return root


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


# --------------------------------------------------------------------------------------------
# The payload
# --------------------------------------------------------------------------------------------


def _rows_by(frame: pd.DataFrame, keys: Sequence[str], index: pd.MultiIndex) -> pd.DataFrame:
    """``frame`` reindexed on ``keys`` to ``index`` (missing units become NaN rows)."""
    return frame.set_index(list(keys)).reindex(index)


def _unit_block(
    frame: pd.DataFrame, status: np.ndarray, status_codes: Mapping[str, int]
) -> list[list[Any]]:
    """Rows of a department / plan block: counts, measures, changes and status counts."""
    n = frame["n_indicators"].fillna(0).to_numpy(dtype="int64")
    with_value = frame["n_with_value"].fillna(0).to_numpy(dtype="int64")
    columns = [
        n.tolist(),
        with_value.tolist(),
        _round_sig(frame["conformity_pct"], _MEASURE_DIGITS),
        _round_sig(frame["distance_covered_pct"], _MEASURE_DIGITS),
        _round_sig(frame["progress_score"], _MEASURE_DIGITS),
        [status_codes[s] for s in status],
        _round_sig(frame["conformity_change"], _MEASURE_DIGITS),
        _round_sig(frame["score_change"], _MEASURE_DIGITS),
    ]
    counts = np.column_stack(
        [frame[f"n_{s}"].fillna(0).to_numpy(dtype="int64") for s in STATUSES]
    ).tolist()
    return [[*row, count] for row, count in zip(zip(*columns, strict=True), counts, strict=True)]


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
]


def _unit_status(frame: pd.DataFrame) -> np.ndarray:
    rated = frame["n_indicators"].fillna(0) - frame["n_not_available"].fillna(0)
    return score_status(frame["progress_score"], frame["n_target_achieved"].fillna(0), rated)


def build_payload(plan: Plan, year: int | None = None, reports_prefix: str = "..") -> dict:
    """The dashboard's data: every figure ``app.js`` shows, as a JSON-ready dict.

    Parameters
    ----------
    plan : Plan
        A loaded plan.
    year : int, optional
        The report year the dashboard opens on; later years are left out, so a 1398 dashboard
        shows only what was known in 1398. Default: the latest report year.
    reports_prefix : str
        Relative URL from the dashboard folder to the reports root (``..`` when the dashboard
        is ``reports/dashboard``); links are ``prefix/`` + :data:`REPORT_LINK_PATTERN`.

    Returns
    -------
    dict
        Plain lists, dicts, strings and numbers (no NaN: missing numbers are None). Tables are
        ``{"fields": [...], "rows": [[...], ...]}``; per-year tables are keyed by the year as a
        string and aligned row by row with their parent table (``depts`` or ``indicators``).
        Percentages are in %, scores on −5 … 5, changes in percentage points / score points,
        values in the indicator's unit; statuses are positions in ``statuses``.

    Raises
    ------
    PlanmonError
        If the plan has no report year, or ``year`` is not one of them.
    """
    years_all = plan.report_years
    if not years_all:
        raise PlanmonError("the plan has no reports yet, so there is nothing to show")
    if year is None:
        year = years_all[-1]
    if int(year) not in years_all:
        known = ", ".join(map(str, years_all))
        raise PlanmonError(f"no reports for {year}; report years: {known}")
    year = int(year)
    years = [y for y in years_all if y <= year]
    status_codes = {s: k for k, s in enumerate(STATUSES)}

    departments = plan.departments.reset_index(drop=True)
    dept_ids = departments["dept_id"].astype(str).tolist()
    dept_pos = {d: k for k, d in enumerate(dept_ids)}
    goal_root = macro_goals(plan.goals)
    macro = plan.goals[plan.goals["parent_id"].isna()].reset_index(drop=True)
    macro_ids = macro["goal_id"].astype(str).tolist()
    macro_pos = {g: k for k, g in enumerate(macro_ids)}

    indicators = plan.indicators.reset_index(drop=True)
    ind_ids = indicators["indicator_id"].astype(str).tolist()
    scores = plan.scores()
    scores = scores[scores["year"] <= year]

    # Department and plan roll-ups, with the change since each unit's previous report year.
    dept_roll = change_against_previous(plan.rollup("department"), "dept_id")
    dept_roll = dept_roll[dept_roll["year"] <= year]
    plan_roll = change_against_previous(plan.rollup("plan"), None)
    plan_roll = plan_roll[plan_roll["year"] <= year]

    # Department × macro goal: roll up with a combined key in place of the department, so the
    # cell follows the same weighting rules as every other roll-up.
    cell_key = indicators["dept_id"].astype(str) + "/" + indicators["goal_id"].map(goal_root)
    cells = rollup(scores, indicators.assign(dept_id=cell_key), None, "department")
    parts = cells["dept_id"].str.split("/", n=1, expand=True, regex=False)
    cells = cells.assign(d=parts[0].map(dept_pos), g=parts[1].map(macro_pos))
    cells = cells.sort_values(["year", "d", "g"], kind="stable", ignore_index=True)
    cells_status = _unit_status(cells)

    reported = plan.report_files[["dept_id", "year"]].astype({"dept_id": str, "year": "int64"})
    reported_set = set(zip(reported["dept_id"], reported["year"], strict=True))

    dept_years: dict[str, list] = {}
    plan_years: dict[str, list] = {}
    heat: dict[str, list] = {}
    for y in years:
        index = pd.MultiIndex.from_arrays([dept_ids, [y] * len(dept_ids)])
        block = _rows_by(dept_roll, ["dept_id", "year"], index)
        rows = _unit_block(block, _unit_status(block), status_codes)
        dept_years[str(y)] = [
            [*row, int((d, y) in reported_set)] for row, d in zip(rows, dept_ids, strict=True)
        ]
        one = plan_roll.set_index("year").reindex([y])
        (plan_row,) = _unit_block(one, _unit_status(one), status_codes)
        n_reports = sum(1 for d in dept_ids if (d, y) in reported_set)
        plan_years[str(y)] = [*plan_row, n_reports]
        mask = (cells["year"] == y).to_numpy()
        part = cells[mask]
        part_status = cells_status[mask]
        heat[str(y)] = [
            list(r)
            for r in zip(
                part["d"].astype("int64").tolist(),
                part["g"].astype("int64").tolist(),
                _round_sig(part["progress_score"], _MEASURE_DIGITS),
                [status_codes[s] for s in part_status],
                _round_sig(part["conformity_pct"], _MEASURE_DIGITS),
                part["n_indicators"].astype("int64").tolist(),
                strict=True,
            )
        ]

    # Per indicator: fixed facts, targets and actuals aligned to year lists, then the measures of
    # each report year aligned to the indicator list.
    target_years = sorted({int(y) for y in plan.targets["year"]} | set(plan.plan_years))
    tgt = plan.targets.pivot_table(
        index="indicator_id", columns="year", values="target", aggfunc="first"
    ).reindex(index=ind_ids, columns=target_years)
    act = plan.actuals[plan.actuals["year"].isin(years)]
    act = act.pivot_table(
        index="indicator_id", columns="year", values="value", aggfunc="first", dropna=False
    ).reindex(index=ind_ids, columns=years)
    first_rows = scores.drop_duplicates("indicator_id").set_index("indicator_id")
    horizon_year = first_rows["horizon_year"].reindex(ind_ids)
    indicator_rows = [
        list(r)
        for r in zip(
            ind_ids,
            [dept_pos.get(str(d), -1) for d in indicators["dept_id"]],
            [macro_pos.get(goal_root.get(str(g), ""), -1) for g in indicators["goal_id"]],
            [_text(v) for v in indicators["name_fa"]],
            [_text(v) for v in indicators["name_en"]],
            [localise_unit(v, "fa") for v in indicators["unit"]],
            [localise_unit(v, "en") for v in indicators["unit"]],
            [_text(v) for v in indicators["direction"]],
            indicators["baseline_year"].astype("int64").tolist(),
            _round_sig(indicators["baseline_value"], _DATA_DIGITS),
            _round_sig(horizon_year, _DATA_DIGITS),
            _grid_rows(tgt.to_numpy(dtype="float64")),
            _grid_rows(act.to_numpy(dtype="float64")),
            strict=True,
        )
    ]
    measure_columns = [
        "achievement_pct",
        "distance_covered_pct",
        "score",
        "trend_horizon_value",
        "trend_low",
        "trend_high",
        "trend_slope",
        "p_reach_target",
    ]
    ind_years: dict[str, list] = {}
    for y in years:
        part = scores[scores["year"] == y].set_index("indicator_id").reindex(ind_ids)
        columns = [_round_sig(part[c], _MEASURE_DIGITS) for c in measure_columns]
        status = [status_codes.get(s, status_codes["not_available"]) for s in part["status"]]
        ind_years[str(y)] = [
            [*row[:3], st, *row[3:]]
            for row, st in zip(zip(*columns, strict=True), status, strict=True)
        ]

    meta = plan.meta
    kinds_present = set(departments["kind"].astype(str))
    kinds = [k for k in _KIND_ORDER if k in kinds_present] + sorted(
        kinds_present - set(_KIND_ORDER)
    )
    return {
        "schema": PAYLOAD_SCHEMA,
        "plan": {
            "name": {"fa": _text(meta.get("name_fa")), "en": _text(meta.get("name_en"))},
            "city": {"fa": _text(meta.get("city_fa")), "en": _text(meta.get("city_en"))},
            "baseline_year": plan.baseline_year,
            "first_year": int(meta["first_year"]),
            "horizon_year": plan.horizon_year,
            "calendar": _text(meta.get("calendar")),
            "fingerprint": plan.fingerprint,
        },
        "year": year,
        "years": years,
        "target_years": target_years,
        "statuses": [
            {
                "id": s,
                "colour": STATUS_COLOURS[s],
                "text_colour": text_colour_on(STATUS_COLOURS[s]),
                "label": {lang: STATUS_LABELS[lang][s] for lang in ("fa", "en")},
            }
            for s in STATUSES
        ],
        "score_bands": [cut for cut, _ in _SCORE_BANDS],
        "kinds": kinds,
        "links": {"prefix": reports_prefix, "pattern": REPORT_LINK_PATTERN},
        "goals": {
            "fields": ["id", "name_fa", "name_en"],
            "rows": [
                [g, _text(fa), _text(en)]
                for g, fa, en in zip(macro_ids, macro["name_fa"], macro["name_en"], strict=True)
            ],
        },
        "depts": {
            "fields": ["id", "kind", "name_fa", "name_en"],
            "rows": [
                [d, _text(k), _text(fa), _text(en)]
                for d, k, fa, en in zip(
                    dept_ids,
                    departments["kind"],
                    departments["name_fa"],
                    departments["name_en"],
                    strict=True,
                )
            ],
        },
        "dept_years": {"fields": [*_UNIT_FIELDS, "reported"], "rows": dept_years},
        "plan_years": {"fields": [*_UNIT_FIELDS, "n_reports"], "rows": plan_years},
        "heat": {
            "fields": [
                "dept",
                "goal",
                "progress_score",
                "status",
                "conformity_pct",
                "n_indicators",
            ],
            "rows": heat,
        },
        "indicators": {
            "fields": [
                "id",
                "dept",
                "goal",
                "name_fa",
                "name_en",
                "unit_fa",
                "unit_en",
                "direction",
                "baseline_year",
                "baseline_value",
                "horizon_year",
                "targets",
                "actuals",
            ],
            "rows": indicator_rows,
        },
        "ind_years": {
            "fields": [*measure_columns[:3], "status", *measure_columns[3:]],
            "rows": ind_years,
        },
    }


def _grid_rows(grid: np.ndarray) -> list[list[float | int | None]]:
    """Each row of a (indicator × year) grid, rounded for the payload."""
    if grid.size == 0:
        return [[] for _ in range(grid.shape[0])]
    flat = _round_sig(grid.ravel(), _DATA_DIGITS)
    width = grid.shape[1]
    return [flat[k : k + width] for k in range(0, len(flat), width)]


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _asset(name: str) -> str:
    return resources.files("planmon.dashboard").joinpath(_ASSETS, name).read_text(encoding="utf-8")


def _payload_json(payload: Mapping[str, Any]) -> str:
    """The payload as JSON that is safe inside ``<script type="application/json">``.

    Every ``<`` is written as ``\\u003c`` (still the same JSON string): the HTML parser ends a
    script element at ``</script`` and treats ``<!--`` specially, whatever the type attribute
    says, so neither sequence may appear literally.
    """
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return text.replace("<", "\\u003c")


def render_index(payload: Mapping[str, Any], *, lang: str = "fa") -> str:
    """``index.html`` with ``payload`` embedded.

    Parameters
    ----------
    payload : mapping
        From :func:`build_payload`.
    lang : {"fa", "en"}
        The language the page opens in (the reader can switch).
    """
    if lang not in ("fa", "en"):
        raise PlanmonError(f"unknown dashboard language {lang!r}; expected 'fa' or 'en'")
    from planmon._version import __version__

    plan = payload["plan"]
    fields = {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "title": html.escape(plan["name"][lang] or plan["name"]["en"] or "planmon"),
        "generator": html.escape(f"{DASHBOARD_GENERATOR} {__version__}"),
        "fingerprint": html.escape(plan.get("fingerprint") or ""),
        "data": _payload_json(payload),
    }
    # One pass over the template, so text substituted in is never scanned for placeholders.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], _asset("index.html"))


def _is_dashboard(folder: Path) -> bool:
    index = folder / "index.html"
    try:
        head = index.read_text(encoding="utf-8", errors="replace")[:2000]
    except OSError:
        return False
    return f'content="{DASHBOARD_GENERATOR}' in head


def _plotly_js() -> Path:
    try:
        import plotly
    except ImportError as exc:  # pragma: no cover - plotly is a declared dependency
        raise PlanmonError(
            "the dashboard needs the 'plotly' package for its charts: pip install plotly"
        ) from exc
    path = Path(plotly.__file__).parent / "package_data" / _PLOTLY_FILE
    if not path.is_file():  # pragma: no cover - a broken plotly install
        raise PlanmonError(f"plotly.js is missing from the plotly package ({path})")
    return path


def write_dashboard(
    plan: Plan,
    out_dir: str | os.PathLike[str] | None = None,
    year: int | None = None,
    reports_root: str | os.PathLike[str] | None = None,
) -> Path:
    """Write the static dashboard folder for ``plan``.

    The folder holds ``index.html`` (page and data) and ``assets/`` (``app.js``, ``style.css``,
    ``plotly.min.js``). It is built in a temporary folder beside ``out_dir`` and renamed into
    place, so a failure never leaves a half-written dashboard: readers see the old one or the
    new one.

    Parameters
    ----------
    plan : Plan
        A loaded plan.
    out_dir : path-like, optional
        Output folder; default ``reports/dashboard`` (:data:`planmon.core.config.REPORTS`). An
        existing folder is replaced only if it is empty or holds an earlier dashboard.
    year : int, optional
        Report year the dashboard opens on; later years are left out. Default: the latest.
    reports_root : path-like, optional
        Root of the reports tree the department links point into (see
        :data:`REPORT_LINK_PATTERN`); default: the parent of ``out_dir``, as in the standard
        ``reports/dashboard`` layout. Links are relative, so the tree can be moved or served.

    Returns
    -------
    Path
        The dashboard's ``index.html``.

    Raises
    ------
    PlanmonError
        If ``year`` has no reports, or ``out_dir`` exists and holds something other than a
        dashboard.
    """
    out = Path(out_dir) if out_dir is not None else config.REPORTS / "dashboard"
    out = out.absolute()
    root = Path(reports_root).absolute() if reports_root is not None else out.parent
    if out.exists() and not (out.is_dir() and (_is_dashboard(out) or not any(out.iterdir()))):
        raise PlanmonError(
            f"{out} exists and is not a planmon dashboard; choose an empty or new folder "
            "(it would be replaced)"
        )
    try:
        prefix = Path(os.path.relpath(root, out)).as_posix()
    except ValueError as exc:  # Windows: different drives have no relative path
        raise PlanmonError(
            f"the reports root {root} and the dashboard folder {out} must be on one drive, "
            "so that the report links can be relative"
        ) from exc
    payload = build_payload(plan, year=year, reports_prefix=prefix)
    page = render_index(payload)

    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    old: Path | None = None
    try:
        (tmp / "assets").mkdir()
        (tmp / "index.html").write_text(page, encoding="utf-8")
        for name in _STATIC_FILES:
            (tmp / "assets" / name).write_text(_asset(name), encoding="utf-8")
        shutil.copyfile(_plotly_js(), tmp / "assets" / _PLOTLY_FILE)
        for path in (tmp, tmp / "assets"):
            os.chmod(path, 0o755)
        if out.exists():
            # A directory cannot be renamed onto a non-empty one: move the old one aside first,
            # then the new one in, and only then delete the old one.
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            os.replace(out, old / out.name)
        os.replace(tmp, out)
    except BaseException:
        if old is not None and (old / out.name).exists() and not out.exists():
            os.replace(old / out.name, out)
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    return out / "index.html"
