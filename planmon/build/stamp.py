"""The no-op check: is anything to do? — answered before the plan is loaded.

Loading a plan (parsing, validating, scoring) and planning its jobs costs about a second;
finding that nothing changed must not. :func:`input_digest` is a cheap fingerprint of
everything a build reads:

* the plan folder's input files (``plan.xlsx``, ``plan/``, ``reports/``; names starting with
  ``.`` are never input): their names, link targets and contents (SHA-256, no parsing);
* planmon's version and source (:func:`code_digest`, also part of every job's input hash);
* the report notebooks;
* the options that shape the outputs (languages, formats, years, departments, parameters,
  the notebooks and reports folders, the plan folder itself).

A build that ends with no failed job leaves :func:`make_stamp`'s record in the manifest: the
digest it started from, its jobs, its completeness lines, the site's HTML listing (the
reports' links depend on which reports and dashboard exist) and ``index.html``'s state.
:func:`up_to_date` compares them with the disk: the same digest, the same listing, and
every output with the size and modification time the build left (:meth:`Manifest.unchanged`)
means the full build would skip every job — it returns their results without loading the
plan. Anything else (a changed file, option or notebook, a deleted or edited output, a
dashboard written since) returns None and the build proper runs, which rebuilds only what
the change affects. A build clears the stamp before it starts, so a killed build never
leaves a stale one.

This module imports no pandas: the no-op path of ``planmon build`` must start fast.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from planmon.build.jobs import REPORT_KINDS, Job, JobResult
from planmon.build.manifest import Manifest, file_state
from planmon.build.options import CheckedOptions
from planmon.core.exceptions import PlanmonError
from planmon.io.journal import recover_if_needed
from planmon.io.limits import MAX_INPUT_BYTES
from planmon.publish.layout import DASHBOARD_INDEX, OutputLayout

__all__ = ["STAMP_VERSION", "code_digest", "input_digest", "make_stamp", "up_to_date"]

#: Bumped when what the stamp covers changes: an older stamp then never matches.
STAMP_VERSION = 1

# What a plan folder's loader reads (planmon.io.plan_files.discover), and how deep.
_PLAN_INPUTS = ("plan.xlsx", "plan", "reports")
_MAX_DEPTH = 3


@functools.cache
def code_digest(version: str) -> str:
    """planmon's version and source: a change to a chart or template rebuilds the reports."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(version.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in (".py", ".j2", ".css", ".html") and "__pycache__" not in path.parts:
            digest.update(path.relative_to(root).as_posix().encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()


class _TooLarge(Exception):
    """A file the loader would refuse: let the build proper say so."""


def _hash_tree(path: Path, rel: str, digest: Any, depth: int = 0) -> None:
    """Names, link targets and contents below ``path`` (a superset of what the loader reads)."""
    if os.path.islink(path):
        digest.update(f"L{rel}\0{os.readlink(path)}\0".encode())
    if path.is_dir():
        digest.update(f"D{rel}\0".encode())
        if depth >= _MAX_DEPTH:
            return
        for name in sorted(os.listdir(path)):
            if not name.startswith("."):
                _hash_tree(path / name, f"{rel}/{name}", digest, depth + 1)
    elif path.is_file():
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise _TooLarge(rel)
        digest.update(f"F{rel}\0".encode())
        with open(path, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    else:
        digest.update(f"-{rel}\0".encode())  # absent (or a broken link)


def _file_digest(path: Path) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return "missing"


def input_digest(folder: Path, options: CheckedOptions) -> str | None:
    """The fingerprint of everything a build of ``folder`` with ``options`` reads.

    Returns None when it cannot be taken cheaply (no such folder, an unreadable or too
    large file): the build proper then loads the plan and reports the problem.
    """
    from planmon._version import __version__

    folder = Path(folder)
    try:
        if not folder.is_dir():
            return None
        recover_if_needed(folder)  # an ingest killed mid-commit is finished first, as load does
        plan = hashlib.sha256()
        for name in _PLAN_INPUTS:
            _hash_tree(folder / name, name, plan)
    except (OSError, _TooLarge, PlanmonError):
        return None
    notebooks = {
        name: _file_digest(options.notebooks_dir / f"{name}.ipynb")
        for name in REPORT_KINDS.values()
        if name is not None
    }
    shape = {
        "langs": options.langs,
        "dashboard": options.dashboard,
        "pdf": options.pdf,
        "years": options.years,
        "dept_ids": options.dept_ids,
        "parameters": options.parameters,
        "notebooks_dir": str(options.notebooks_dir),
        "output_dir": str(options.output_dir),
    }
    value = {
        "version": STAMP_VERSION,
        "folder": str(folder.resolve()),
        "plan": plan.hexdigest(),
        "code": code_digest(__version__),
        "notebooks": notebooks,
        "options": shape,
    }
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _site_listing(layout: OutputLayout, dashboard: bool = False) -> list[str]:
    """The HTML files of ``<year>/<lang>/`` and whether the dashboard exists (the links);
    ``dashboard``: the build's caller writes it, so the links do not depend on it."""
    present = "expected" if dashboard else (layout.root / DASHBOARD_INDEX).is_file()
    found = [f"dashboard={present}"]
    try:
        years = sorted(e.name for e in os.scandir(layout.root) if e.is_dir() and e.name.isdigit())
        for year in years:
            for entry in sorted(os.scandir(layout.root / year), key=lambda e: e.name):
                if entry.is_dir() and not entry.name.startswith("."):
                    names = sorted(n for n in os.listdir(entry.path) if n.endswith(".html"))
                    found += [f"{year}/{entry.name}/{n}" for n in names]
    except OSError:
        found.append("unreadable")
    return found


def _listing_digest(layout: OutputLayout, dashboard: bool = False) -> str:
    text = "\n".join(_site_listing(layout, dashboard))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def make_stamp(
    manifest: Manifest,
    inputs: str,
    jobs: list[Job],
    notes: list[tuple[str, bool]],
    *,
    dashboard: bool = False,
) -> dict[str, Any]:
    """The stamp of a build that just ended without a failure (after its index is written).

    ``jobs`` are the build's jobs, ``notes`` its completeness lines ``(text, warning)``.
    """
    layout = manifest.layout
    records = []
    for job in jobs:
        outputs = list(job.outputs().values())
        for path in outputs:
            manifest.adopt(path)
        executed = manifest.rel(job.executed) if job.executed else None
        identity = [job.key, job.kind, job.year, job.lang, job.dept_id, job.name]
        records.append([*identity, [manifest.rel(p) for p in outputs], executed])
    return {
        "inputs": inputs,
        "listing": _listing_digest(layout, dashboard),
        "index": file_state(layout.index),
        "jobs": records,
        "notes": [[text, bool(warning)] for text, warning in notes],
    }


def up_to_date(
    manifest: Manifest, inputs: str, *, dashboard: bool = False
) -> tuple[list[JobResult], list[tuple[str, bool]]] | None:
    """The skipped results and the notes of the last build, if nothing changed since; else None."""
    stamp = manifest.stamp
    layout = manifest.layout
    if not stamp or stamp.get("inputs") != inputs:
        return None
    index = file_state(layout.index)
    if index is None or stamp.get("index") != index:
        return None
    if stamp.get("listing") != _listing_digest(layout, dashboard):
        return None
    results = []
    try:
        for key, kind, year, lang, dept_id, name, outputs, executed in stamp["jobs"]:
            paths = tuple(layout.root / rel for rel in outputs)
            if not all(manifest.unchanged(path) for path in paths):
                return None
            results.append(
                JobResult(
                    key=key,
                    kind=kind,
                    year=int(year),
                    lang=lang,
                    dept_id=dept_id,
                    name=name,
                    status="skipped",
                    outputs=paths,
                    executed=layout.root / executed if executed else None,
                )
            )
        notes = [(str(text), bool(warning)) for text, warning in stamp.get("notes", [])]
    except (KeyError, TypeError, ValueError):  # a damaged stamp: build properly
        return None
    return results, notes
