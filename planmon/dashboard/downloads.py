"""The data behind every dashboard view, as downloadable tables.

Three selections can be downloaded: one indicator (every year shown), one department in one
year, and the whole plan in one year. Each is one table with the columns of
:data:`DOWNLOAD_FIELDS`, one row per indicator and year, taken from the payload itself (the
same rounded numbers the page shows):

* **CSV** is made in the browser from the embedded JSON (``assets/app.js``:
  ``downloadRows`` mirrors :func:`download_rows`), UTF-8 with a byte-order mark so that Excel
  reads Persian correctly, cells that a spreadsheet would evaluate prefixed with ``'``.
* **XLSX** files are written here, when the dashboard is written, with planmon's one Excel
  writer (:mod:`planmon.io.excel`: text never stored as a formula, and prefixed like the CSV),
  into ``downloads/`` beside the assets; the page links them. Writing real workbooks in the
  browser would need a second, JavaScript, Excel writer (a zip and its XML parts) that
  planmon would have to keep as safe as the first; the files are small (a few kB each).

Layout under ``downloads/``: ``indicator/<indicator_id>.xlsx``, ``<year>/<dept_id>.xlsx`` and
``<year>.xlsx`` (the whole year).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from planmon.io.excel import excel_workbook, safe_cell, write_sheet

__all__ = [
    "DOWNLOAD_FIELDS",
    "download_rows",
    "download_files",
    "write_downloads",
]

#: The columns of every download, machine-readable names as in ``planmon scores``.
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

# A fixed creation date, so the same data always gives the same bytes (xlsxwriter would
# write the current time into docProps/core.xml).
_CREATED = dt.datetime(2000, 1, 1)


def download_rows(
    payload: Mapping[str, Any], indicators: Sequence[int], years: Sequence[int]
) -> list[list[Any]]:
    """Rows of :data:`DOWNLOAD_FIELDS` for some indicators (positions) and years.

    Years ascending, then indicators in the plan's order; a blank cell is ``None``.
    """
    fi = {f: k for k, f in enumerate(payload["indicators"]["fields"])}
    fm = {f: k for k, f in enumerate(payload["ind_years"]["fields"])}
    depts = payload["depts"]["rows"]
    statuses = [s["id"] for s in payload["statuses"]]
    rows = []
    for year in sorted(years):
        ak = payload["years"].index(year)
        tk = payload["target_years"].index(year) if year in payload["target_years"] else -1
        for k in indicators:
            ind = payload["indicators"]["rows"][k]
            m = payload["ind_years"]["rows"][str(year)][k]
            dept = depts[ind[fi["dept"]]] if ind[fi["dept"]] >= 0 else ["", "", "", ""]
            rows.append(
                [
                    year,
                    dept[0],
                    dept[2],
                    dept[3],
                    *(ind[fi[f]] for f in ("id", "name_fa", "name_en", "unit_fa", "unit_en")),
                    ind[fi["direction"]],
                    ind[fi["baseline_year"]],
                    ind[fi["baseline_value"]],
                    ind[fi["actuals"]][ak],
                    ind[fi["targets"]][tk] if tk >= 0 else None,
                    *(m[fm[f]] for f in ("achievement_pct", "distance_covered_pct", "score")),
                    statuses[m[fm["status"]]],
                    m[fm["pace_status"]],
                    ";".join(m[fm["caveats"]]),
                    m[fm["note"]],
                ]
            )
    return [[None if v == "" else v for v in row] for row in rows]


def download_files(payload: Mapping[str, Any]) -> dict[str, tuple[list[int], list[int]]]:
    """Every XLSX download: relative path → (indicator positions, years)."""
    years = list(payload["years"])
    inds = payload["indicators"]["rows"]
    dept_field = payload["indicators"]["fields"].index("dept")
    files: dict[str, tuple[list[int], list[int]]] = {}
    for k, ind in enumerate(inds):
        files[f"indicator/{ind[0]}.xlsx"] = ([k], years)
    for year in years:
        files[f"{year}.xlsx"] = (list(range(len(inds))), [year])
        for d, dept in enumerate(payload["depts"]["rows"]):
            mine = [k for k, ind in enumerate(inds) if ind[dept_field] == d]
            files[f"{year}/{dept[0]}.xlsx"] = (mine, [year])
    return files


def write_downloads(payload: Mapping[str, Any], folder: str | os.PathLike[str]) -> list[Path]:
    """Write every XLSX download of ``payload`` under ``folder``; return the files written."""
    root = Path(folder)
    title = payload["plan"]["name"].get("en") or payload["plan"]["name"].get("fa") or "planmon"
    written = []
    for rel, (indicators, years) in download_files(payload).items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        with excel_workbook(target) as book:
            book.set_properties({"title": safe_cell(f"{title}: {rel}"), "created": _CREATED})
            write_sheet(book, "data", DOWNLOAD_FIELDS, download_rows(payload, indicators, years))
        written.append(target)
    return written
