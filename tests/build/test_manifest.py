"""planmon.build.manifest: what the build wrote, what it may replace, what it may delete."""

from __future__ import annotations

import json
from types import SimpleNamespace

from planmon.build.jobs import Job
from planmon.build.manifest import Manifest
from planmon.publish.layout import OutputLayout

PLAN = SimpleNamespace(dept_ids=["parks", "bus"], report_years=[1398])


def _job(layout: OutputLayout, dept_id: str, year: int = 1398) -> Job:
    return Job(
        key=f"{year}/fa/department/{dept_id}",
        kind="department",
        year=year,
        lang="fa",
        dept_id=dept_id,
        name=dept_id.title(),
        title="t",
        input_hash="h",
        executed=layout.executed_notebook(year, "department_report", "fa", dept_id),
        html=layout.report(year, "fa", dept_id, "html"),
        pdf=layout.report(year, "fa", dept_id, "pdf"),
    )


def _write(job: Job) -> None:
    for path in job.outputs().values():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x")


def test_files_the_manifest_does_not_know_are_foreign(tmp_path):
    layout = OutputLayout(tmp_path)
    manifest = Manifest(layout, {})
    job = _job(layout, "parks")
    _write(job)
    # a user's files where the reports go: not recognisably planmon's
    assert manifest.foreign(job.outputs().values()) == list(job.outputs().values())
    manifest.record(job, PLAN)
    assert manifest.foreign(job.outputs().values()) == []
    assert manifest.foreign([layout.report(1398, "fa", "bus", "html")]) == []  # not there


def test_planmons_reports_are_recognised_without_a_manifest(tmp_path):
    layout = OutputLayout(tmp_path)
    job = _job(layout, "parks")
    _write(job)
    job.html.write_text("<html><!-- planmon:body:start --><p>r</p><!-- planmon:body:end -->")
    job.executed.write_text(json.dumps({"cells": [], "metadata": {"papermill": {}}, "nbformat": 4}))
    assert Manifest.read(layout).foreign(job.outputs().values()) == []


def test_prune_deletes_only_known_files_of_departments_the_plan_lost(tmp_path):
    layout = OutputLayout(tmp_path)
    manifest = Manifest(layout, {})
    kept, gone = _job(layout, "parks"), _job(layout, "waste")
    for job in (kept, gone):
        _write(job)
        manifest.record(job, PLAN)
    users = layout.lang_dir(1398, "fa") / "notes.txt"
    users.write_text("mine")
    assert manifest.prune(PLAN) == [gone.key]
    assert all(path.is_file() for path in kept.outputs().values())
    assert not any(path.exists() for path in gone.outputs().values())
    assert users.read_text() == "mine"
    assert gone.key not in manifest.reports and [e.name for e in manifest.entries()] == ["Parks"]


def test_a_manifest_round_trips_and_an_older_one_still_reads(tmp_path):
    layout = OutputLayout(tmp_path)
    manifest = Manifest(layout, {})
    job = _job(layout, "parks")
    manifest.record(job, PLAN)
    manifest.record_file(layout.executed_notebook(1398, "plan_overview", "fa"))
    manifest.write()
    again = Manifest.read(layout)
    assert again.outputs == manifest.outputs and again.files == manifest.files
    # written before "files" existed: its outputs are its files
    data = json.loads(layout.manifest.read_text("utf-8"))
    del data["files"]
    layout.manifest.write_text(json.dumps(data))
    assert Manifest.read(layout).files == set(manifest.outputs)


def test_a_damaged_manifest_trusts_nothing(tmp_path):
    layout = OutputLayout(tmp_path)
    layout.manifest.write_text('{"version": 1, "outputs": {"a.html"')
    assert Manifest.read(layout).outputs == {}
