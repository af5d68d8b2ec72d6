"""``<reports>/.manifest.json``: every file the build wrote, and the inputs each was built from.

The manifest is what makes a build incremental (an output whose input hash is unchanged is
skipped) and what keeps it to its own files: a file at an output path that the manifest does
not know — and that is not recognisably planmon's — is never overwritten
(:meth:`Manifest.foreign`), and only files the manifest knows are ever deleted
(:meth:`Manifest.prune`, for the reports of departments and years the plan no longer has).

Format (version 1; later fields are optional, so older manifests still read)::

    {"version": 1,
     "plan": {"name_fa": ..., "name_en": ...},
     "outputs": {"<rel path>": "<input hash>", ...},     # current outputs
     "stats": {"<rel path>": [size, mtime_ns], ...},     # each output as the build left it
     "files": ["<rel path>", ...],                       # every file written (failed runs too)
     "reports": {"<job key>": {"kind", "year", "lang", "dept_id", "name", "order",
                               "html", "pdf"}, ...},
     "stamp": {...} or null}                             # the last build's inputs: see stamp.py

An output whose file is missing, or whose size or modification time is not what the build
left (:attr:`Manifest.stats`; a report edited or replaced by hand), is not current.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.build.jobs import REPORT_KINDS, Job
from planmon.io.atomic import atomic_write_text
from planmon.publish.layout import OutputLayout

if TYPE_CHECKING:
    from planmon.plan.model import Plan
    from planmon.publish.index import IndexEntry

__all__ = ["MANIFEST_VERSION", "Manifest", "plan_name", "file_state"]

MANIFEST_VERSION = 1


def plan_name(plan: Plan, lang: str) -> str:
    """The plan's name in ``lang`` (falling back to Persian, then the folder's name)."""
    return str(plan.meta.get(f"name_{lang}") or plan.meta.get("name_fa") or plan.name)


class Manifest:
    """The manifest of one reports folder (see the module's docstring)."""

    def __init__(self, layout: OutputLayout, data: dict[str, Any]):
        self.layout = layout
        self.outputs: dict[str, str] = dict(data.get("outputs", {}))
        self.stats: dict[str, list[int]] = dict(data.get("stats", {}))
        self.files: set[str] = set(data.get("files", [])) | set(self.outputs)
        self.reports: dict[str, dict[str, Any]] = dict(data.get("reports", {}))
        self.plan: dict[str, str] = dict(data.get("plan", {}))
        stamp = data.get("stamp")
        #: what the last complete build was made from (:mod:`planmon.build.stamp`), or None
        self.stamp: dict[str, Any] | None = stamp if isinstance(stamp, dict) else None
        self._written = self._text() if data else ""

    @classmethod
    def read(cls, layout: OutputLayout) -> Manifest:
        """The manifest of ``layout`` (empty when missing, damaged or of another version)."""
        try:
            data = json.loads(layout.manifest.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = {}  # missing or damaged: everything is rebuilt, nothing is trusted
        if not isinstance(data, dict) or data.get("version") != MANIFEST_VERSION:
            data = {}
        return cls(layout, data)

    def rel(self, path: Path) -> str:
        return self.layout.relative(path)

    def current(self, path: Path, input_hash: str) -> bool:
        """True when ``path`` was built from ``input_hash`` and is as the build left it."""
        rel = self.rel(path)
        if self.outputs.get(rel) != input_hash:
            return False
        state = file_state(path)
        # no recorded state: a manifest written before states were (the file's presence will do)
        return state is not None and self.stats.get(rel, state) == state

    def unchanged(self, path: Path) -> bool:
        """True when ``path`` is a current output with the size and time the build left."""
        rel = self.rel(path)
        recorded = self.stats.get(rel)
        return rel in self.outputs and recorded is not None and recorded == file_state(path)

    def adopt(self, path: Path) -> None:
        """Record the state of a current output that has none yet (an older manifest's)."""
        rel = self.rel(path)
        if rel in self.outputs and rel not in self.stats:
            state = file_state(path)
            if state is not None:
                self.stats[rel] = state

    def known_paths(self) -> set[Path]:
        """Every file the manifest says the build wrote."""
        return {self.layout.root / rel for rel in self.files}

    def record(self, job: Job, plan: Plan) -> None:
        """``job`` was built: its outputs are current, and the index lists it."""
        for path in job.outputs().values():
            self.outputs[self.rel(path)] = job.input_hash
            self.files.add(self.rel(path))
            state = file_state(path)
            if state is None:
                self.stats.pop(self.rel(path), None)
            else:
                self.stats[self.rel(path)] = state
        self.reports[job.key] = {
            "kind": job.kind,
            "year": job.year,
            "lang": job.lang,
            "dept_id": job.dept_id,
            "name": job.name,
            # departments are listed in the plan's order
            "order": plan.dept_ids.index(job.dept_id) if job.dept_id in plan.dept_ids else -1,
            "html": self.rel(job.html) if job.html else None,
            "pdf": self.rel(job.pdf) if job.pdf else None,
        }

    def record_file(self, path: Path) -> None:
        """The build wrote ``path`` (e.g. a failed run's notebook), though it is not current."""
        self.files.add(self.rel(path))
        self.outputs.pop(self.rel(path), None)
        self.stats.pop(self.rel(path), None)

    def remember_plan(self, plan: Plan) -> None:
        self.plan = {"name_fa": plan_name(plan, "fa"), "name_en": plan_name(plan, "en")}

    def entries(self) -> list[IndexEntry]:
        """What ``index.html`` lists."""
        from planmon.publish.index import IndexEntry

        return [IndexEntry.of(record) for record in self.reports.values()]

    def foreign(self, paths: Iterable[Path]) -> list[Path]:
        """The ``paths`` that exist but were not written by planmon (so must not be replaced)."""
        return [p for p in paths if p.exists() and not self._ours(p)]

    def _ours(self, path: Path) -> bool:
        if self.rel(path) in self.files:
            return True
        # Written by planmon without a manifest to say so (the manifest was deleted).
        if path.suffix == ".pdf":
            sibling = path.with_suffix(".html")
            if path.name.startswith("publication."):
                sibling = path.parent / path.name.split(".")[1] / "overview.html"
            return sibling.is_file() and _looks_ours(sibling)
        return path.is_file() and _looks_ours(path)

    def prune(self, plan: Plan) -> list[str]:
        """Forget the reports of departments and years the plan no longer has; delete their files.

        Only files the manifest knows are deleted. Returns the keys of the reports forgotten.
        """
        years, depts = set(plan.report_years), set(plan.dept_ids)
        gone = [
            key
            for key, record in self.reports.items()
            if record.get("year") not in years or (record.get("dept_id") or "") not in depts | {""}
        ]
        for key in gone:
            record = self.reports.pop(key)
            for rel in self._report_files(record):
                if rel in self.files:
                    with contextlib.suppress(OSError):
                        (self.layout.root / rel).unlink()
                    self.files.discard(rel)
                    self.outputs.pop(rel, None)
                    self.stats.pop(rel, None)
        return gone

    def _report_files(self, record: dict[str, Any]) -> list[str]:
        files = [record[k] for k in ("html", "pdf") if record.get(k)]
        notebook = REPORT_KINDS.get(str(record.get("kind")))
        if notebook:
            path = self.layout.executed_notebook(
                int(record["year"]), notebook, str(record["lang"]), str(record.get("dept_id") or "")
            )
            files.append(self.rel(path))
        return files

    def _text(self) -> str:
        data = {
            "version": MANIFEST_VERSION,
            "plan": self.plan,
            "outputs": self.outputs,
            "stats": self.stats,
            "files": sorted(self.files),
            "reports": self.reports,
            "stamp": self.stamp,
        }
        return json.dumps(data, sort_keys=True, ensure_ascii=False)

    def write(self) -> None:
        """Write the manifest (atomically; not at all when nothing changed)."""
        text = self._text()
        if text != self._written:
            atomic_write_text(self.layout.manifest, text)
            self._written = text


def file_state(path: Path) -> list[int] | None:
    """``[size, mtime_ns]`` of a regular file (following links), or None when there is none."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return [info.st_size, info.st_mtime_ns] if stat.S_ISREG(info.st_mode) else None


def _looks_ours(path: Path) -> bool:
    """An HTML report or executed notebook planmon wrote (recognised by its content)."""
    from planmon.publish.html import is_planmon_report

    try:
        with open(path, "rb") as handle:
            head = handle.read(1_000_000).decode("utf-8", "replace")
    except OSError:
        return False
    if path.suffix == ".html":
        return is_planmon_report(head)
    if path.suffix == ".ipynb":
        return '"papermill"' in head and '"nbformat"' in head
    return False
