"""The management dashboard: one static folder a manager opens in any browser.

:func:`write_dashboard` writes ``index.html`` (the page with its data embedded as JSON in
``<script type="application/json" id="data">``) and ``assets/<version>/`` (the scripts, the
style sheet and plotly.js). Nothing is fetched at run time and nothing needs
a server, so the folder opens from ``file://`` as well as from any intranet web server, and can
be copied or zipped as it is.

The split of work
-----------------
* The measures compute every figure; :mod:`planmon.dashboard.payload` turns the frames it is
  handed into the JSON document.
* This module finds the reports the page may link to, renders ``index.html`` and writes the
  folder.
* ``assets/app.js`` (with ``words.js``, ``lib.js`` and ``chart.js``; no framework, no build
  step) only lays the figures out. It sets all text with ``textContent``, never
  ``innerHTML``, so a name in the plan can never become markup.
* Charts use plotly.js, shipped inside the ``plotly`` PyPI package (MIT licence).
* Downloads (CSV and XLSX of an indicator, a department-year, a whole year) are made in the
  browser from the embedded JSON (``lib.js``), so they cost nothing at write time and exist for
  every view of any size of plan. Pre-writing the XLSX files with :mod:`planmon.io.excel`
  took 4.3 s for the sample's 133 files and would need 11,000 files for a 10,000-indicator
  plan; the browser's workbook is a minimal Office Open XML package whose text cells are
  inline strings (never formulas) prefixed with ``'`` like :func:`planmon.io.excel.safe_cell`.

Writing without a broken moment
-------------------------------
The assets go to a folder named after a hash of their content (``assets/<version>/``), built
in a temporary folder and renamed into place; only then is ``index.html``, which names that
version, replaced by one atomic rename (:mod:`planmon.io.atomic`). A reader, or a kill at any
moment, therefore finds the old page with its old assets or the new page with its new ones.
Other versions and temporary folders of this writer's naming are removed afterwards, so one
left by an interrupted run disappears at the next one.
"""

from __future__ import annotations

import hashlib
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

from planmon.core import config
from planmon.core.exceptions import PlanmonError
from planmon.core.locale import LANGS as LANGUAGES
from planmon.dashboard.frames import DashboardFrames, frames_for
from planmon.dashboard.payload import build_payload
from planmon.io.atomic import atomic_write_text, remove_stale_temps
from planmon.plan.model import Plan
from planmon.publish.layout import PUBLICATION_LINK_PATTERN, REPORT_LINK_PATTERN, SITE_INDEX

__all__ = [
    "REPORT_LINK_PATTERN",
    "PUBLICATION_LINK_PATTERN",
    "BUILD_HINT",
    "DASHBOARD_GENERATOR",
    "report_links",
    "render_index",
    "write_dashboard",
]


#: How to build the reports a reader of each language misses (the page says it when a
#: language's reports were not built; ``make reports`` builds the Persian ones by default).
BUILD_HINT: dict[str, str] = {"fa": "make reports", "en": "make reports REPORT_LANGS=fa,en"}

#: Written into ``index.html`` (``<meta name="generator">``); an existing output folder is
#: only ever written into when its ``index.html`` carries it (or it is empty), so ``--out``
#: cannot overwrite a folder that holds something else.
DASHBOARD_GENERATOR = "planmon dashboard"

_ASSETS = "assets"
_SCRIPTS = ("words.js", "lib.js", "chart.js", "app.js")
_STATIC_FILES = (*_SCRIPTS, "style.css")
_PLOTLY_FILE = "plotly.min.js"
_TMP_PREFIX = ".tmp-"
_VERSION = re.compile(r"^[0-9a-f]{12}$")
# What the first version of this writer put straight into assets/ (removed on the next run).
_LEGACY_FILES = ("app.js", "style.css", _PLOTLY_FILE)
_PLAN_STEMS = ("overview", "districts")


# --------------------------------------------------------------------------------------------
# Links to the reports
# --------------------------------------------------------------------------------------------


def _built(root: Path, year: int, lang: str, stem: str, ext: str) -> bool:
    return (
        root / REPORT_LINK_PATTERN.format(year=year, lang=lang, dept_id=stem, ext=ext)
    ).is_file()


def report_links(
    reports_root: str | os.PathLike[str],
    dashboard_dir: str | os.PathLike[str],
    years: Sequence[int],
    dept_ids: Sequence[str],
) -> dict[str, Any]:
    """The payload's ``links``: which reports exist, so the page links only to those.

    Parameters
    ----------
    reports_root : path-like
        Root of the reports tree (:data:`REPORT_LINK_PATTERN` is relative to it).
    dashboard_dir : path-like
        The dashboard folder; links are relative to it, so the tree can be moved or served.
    years, dept_ids : sequence
        The report years shown and every department.

    Returns
    -------
    dict
        ``prefix`` (reports root relative to the dashboard), ``pattern``, ``publication``,
        ``index`` (whether the site index exists), ``build_hint`` and ``built``: year → language
        → ``{"html": [stems], "pdf": [stems], "publication": bool}`` for the languages that
        have any report of that year (a stem is a department id, ``overview`` or ``districts``).

    Raises
    ------
    PlanmonError
        If the two folders have no relative path (different drives on Windows).
    """
    root = Path(reports_root).absolute()
    try:
        prefix = Path(os.path.relpath(root, Path(dashboard_dir).absolute())).as_posix()
    except ValueError as exc:
        raise PlanmonError(
            f"the reports root {root} and the dashboard folder {dashboard_dir} must be on one "
            "drive, so that the report links can be relative"
        ) from exc
    built: dict[str, dict[str, Any]] = {}
    for year in years:
        for lang in LANGUAGES:
            found = {
                ext: [s for s in (*dept_ids, *_PLAN_STEMS) if _built(root, year, lang, s, ext)]
                for ext in ("html", "pdf")
            }
            publication = (root / PUBLICATION_LINK_PATTERN.format(year=year, lang=lang)).is_file()
            if found["html"] or found["pdf"] or publication:
                built.setdefault(str(year), {})[lang] = {**found, "publication": publication}
    return {
        "prefix": prefix,
        "pattern": REPORT_LINK_PATTERN,
        "publication": PUBLICATION_LINK_PATTERN,
        "index": SITE_INDEX if (root / SITE_INDEX).is_file() else None,
        "build_hint": dict(BUILD_HINT),
        "built": built,
    }


# --------------------------------------------------------------------------------------------
# The page
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
        From :func:`planmon.dashboard.payload.build_payload`; its ``assets`` entry (set by
        :func:`write_dashboard`) names the assets folder, default ``assets``.
    lang : {"fa", "en"}
        The language the page opens in (the reader can switch).
    """
    if lang not in LANGUAGES:
        raise PlanmonError(f"unknown dashboard language {lang!r}; expected 'fa' or 'en'")
    from planmon._version import __version__

    plan = payload["plan"]
    assets = html.escape(str(payload.get("assets", _ASSETS)))
    fields = {
        "lang": lang,
        "dir": "rtl" if lang == "fa" else "ltr",
        "title": html.escape(plan["name"][lang] or plan["name"]["en"] or "planmon"),
        "generator": html.escape(f"{DASHBOARD_GENERATOR} {__version__}"),
        "fingerprint": html.escape(plan.get("fingerprint") or ""),
        "assets": assets,
        "scripts": "\n".join(f'<script src="{assets}/{name}"></script>' for name in _SCRIPTS),
        "data": _payload_json(payload),
    }
    # One pass over the template, so text substituted in is never scanned for placeholders.
    return re.sub(r"\{\{(\w+)\}\}", lambda m: fields[m.group(1)], _asset("index.html"))


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _is_dashboard(folder: Path) -> bool:
    try:
        head = (folder / "index.html").read_text(encoding="utf-8", errors="replace")[:2000]
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


def _digest(folder: Path) -> str:
    """A short hash of every file under ``folder`` (names and bytes)."""
    sha = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        sha.update(path.relative_to(folder).as_posix().encode() + b"\0")
        sha.update(path.read_bytes())
        sha.update(b"\0")
    return sha.hexdigest()[:12]


def _write_assets(assets: Path) -> str:
    """Write the assets into ``assets/<version>/`` (via a temporary folder); return the version."""
    assets.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=_TMP_PREFIX, dir=assets))
    try:
        for name in _STATIC_FILES:
            (tmp / name).write_text(_asset(name), encoding="utf-8")
        shutil.copyfile(_plotly_js(), tmp / _PLOTLY_FILE)
        os.chmod(tmp, 0o755)
        version = _digest(tmp)
        if (assets / version).is_dir():  # the very same files are already in place
            shutil.rmtree(tmp)
        else:
            os.replace(tmp, assets / version)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return version


def _remove_stale(assets: Path, keep: str) -> None:
    """Remove other versions, temporary folders and first-layout files of this writer."""
    for entry in assets.iterdir():
        if entry.is_dir() and entry.name != keep:
            if _VERSION.match(entry.name) or entry.name.startswith(_TMP_PREFIX):
                shutil.rmtree(entry, ignore_errors=True)
        elif entry.is_file() and entry.name in _LEGACY_FILES:
            entry.unlink()


def write_dashboard(
    plan: Plan,
    out_dir: str | os.PathLike[str] | None = None,
    year: int | None = None,
    reports_root: str | os.PathLike[str] | None = None,
    *,
    frames: DashboardFrames | None = None,
) -> Path:
    """Write the static dashboard folder for ``plan``.

    Parameters
    ----------
    plan : Plan
        A loaded plan.
    out_dir : path-like, optional
        Output folder; default ``reports/dashboard`` (:data:`planmon.core.config.REPORTS`). It
        must be new, empty or hold an earlier dashboard.
    year : int, optional
        Last report year shown; later years are left out. Default: the latest.
    reports_root : path-like, optional
        Root of the reports tree the links point into; default: the parent of ``out_dir``, as
        in the standard ``reports/dashboard`` layout. Only reports that exist now are linked,
        so write the dashboard after the build.
    frames : DashboardFrames, optional
        The scores and roll-ups, when the caller has computed them already; default: computed
        from ``plan`` (:func:`planmon.dashboard.frames.frames_for`).

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
    out = (Path(out_dir) if out_dir is not None else config.REPORTS / "dashboard").absolute()
    root = Path(reports_root).absolute() if reports_root is not None else out.parent
    if out.exists() and not (out.is_dir() and (_is_dashboard(out) or not any(out.iterdir()))):
        raise PlanmonError(
            f"{out} exists and is not a planmon dashboard; choose an empty or new folder "
            "(planmon writes its dashboard there)"
        )
    frames = frames if frames is not None else frames_for(plan)
    years = [y for y in plan.report_years if year is None or y <= int(year)]
    payload = build_payload(
        plan,
        frames.scores,
        frames.rollups,
        year=year,
        districts=frames.districts,
        links=report_links(root, out, years, plan.dept_ids),
        commentary=frames.commentary,
        actions=frames.actions,
    )
    out.mkdir(parents=True, exist_ok=True)
    os.chmod(out, 0o755)
    version = _write_assets(out / _ASSETS)
    page = render_index({**payload, "assets": f"{_ASSETS}/{version}"})
    atomic_write_text(out / "index.html", page)
    _remove_stale(out / _ASSETS, keep=version)
    remove_stale_temps(out)  # an index.html a killed run left half-written
    return out / "index.html"
