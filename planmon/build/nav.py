"""The navigation of the HTML reports (issue 11, item 6): every report links back to the site
index and the dashboard, and to the same report's other years and its other language.

Only files that exist, or that this build writes, are linked: the site index (every build
writes it), the dashboard when ``planmon dashboard`` has written it (or the build's caller will:
``BuildOptions.dashboard``), and the reports of the
build's jobs or already on disk. The links are relative to the report's folder, so the reports
folder can be moved or served from anywhere. They are part of a job's input hash: a report is
rebuilt when its links change.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from pathlib import Path

from planmon.build.jobs import Job
from planmon.core.locale import LANGS, format_year
from planmon.core.vocabulary import word
from planmon.publish.layout import DASHBOARD_INDEX, SITE_INDEX, OutputLayout

__all__ = ["with_navigation", "navigation"]


def _rel(target: Path, start: Path) -> str:
    return Path(os.path.relpath(target, start)).as_posix()


def navigation(
    job: Job, layout: OutputLayout, built: set[Path], years: list[int], *, dashboard: bool = False
) -> tuple:
    """The (label, href) links of one report job; ``built`` = the HTML files of the build;
    ``dashboard``: the caller writes the dashboard after the build (link it even if absent)."""
    assert job.html is not None
    here, lang = job.html.parent, job.lang
    stem = job.html.stem

    def there(path: Path) -> bool:
        return path in built or path.is_file()

    links = [(word("nav_index", lang), _rel(layout.root / SITE_INDEX, here))]
    board = layout.root / DASHBOARD_INDEX
    if dashboard or board.is_file():
        links.append((word("nav_dashboard", lang), _rel(board, here)))
    for other in LANGS:
        path = layout.report(job.year, other, stem, "html")
        if other != lang and there(path):
            links.append((word("nav_other_lang", lang), _rel(path, here)))
    for year in years:
        path = layout.report(year, lang, stem, "html")
        if year != job.year and there(path):
            links.append((format_year(year, lang), _rel(path, here)))
    return tuple(links)


def with_navigation(
    jobs: list[Job], layout: OutputLayout, years: list[int], *, dashboard: bool = False
) -> list[Job]:
    """``jobs`` with :attr:`Job.nav` filled in for every HTML report, its hash updated."""
    built = {job.html for job in jobs if job.html is not None}
    out = []
    for job in jobs:
        if job.html is None or job.kind == "publication":
            out.append(job)
            continue
        nav = navigation(job, layout, built, years, dashboard=dashboard)
        digest = hashlib.sha256(json.dumps([job.input_hash, nav]).encode()).hexdigest()
        out.append(dataclasses.replace(job, nav=nav, input_hash=digest))
    return out
