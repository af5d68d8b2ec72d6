"""planmon.build.planner: which jobs a build has, what they depend on, which are current."""

from __future__ import annotations

import builtins
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest

import planmon
from planmon.build.jobs import NullProgress
from planmon.build.manifest import Manifest
from planmon.build.options import BuildOptions
from planmon.build.planner import plan_jobs, prepare_notebooks, select, with_stages
from planmon.content.parameters import PLAN_CACHE_KEY
from planmon.core import config
from planmon.core.exceptions import BuildError
from planmon.publish.layout import OutputLayout
from tests.build.helpers import YEAR, notebooks_folder
from tests.conftest import TINY


def _jobs(plan_folder: Path, root: Path):
    plan = planmon.load(plan_folder, cache=False)
    options = BuildOptions(
        years=[YEAR], formats=["html", "pdf"], notebooks_dir=notebooks_folder(root / "nb")
    ).checked()
    layout = OutputLayout(root / "reports")
    return plan, plan_jobs(plan, select(plan, options), options, layout), layout


def _as_built(plan, jobs, layout: OutputLayout) -> Manifest:
    """A manifest saying every job was built, with its output files on disk."""
    manifest = Manifest(layout, {})
    for job in jobs:
        for path in job.outputs().values():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("built")
        manifest.record(job, plan)
    return manifest


@pytest.mark.parametrize(
    ("report", "old", "new", "stale"),
    [
        # a district: its report, the comparison, the overview and the publication
        ("district_1.csv", "9.2", "9.4", {"overview", "districts", "department/district_1"}),
        # a deputy: not the district comparison
        ("services.csv", "SRV02,10.5", "SRV02,9.5", {"overview", "department/services"}),
    ],
)
def test_a_report_change_makes_stale_only_what_depends_on_it(tmp_path, report, old, new, stale):
    plan_folder = tmp_path / "plan"
    shutil.copytree(TINY, plan_folder)
    plan, jobs, layout = _jobs(plan_folder, tmp_path)
    manifest = _as_built(plan, jobs, layout)
    assert not any(with_stages(job, manifest, force=False).stages for job in jobs)

    path = plan_folder / "reports" / str(YEAR) / report
    path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    _, jobs, _ = _jobs(plan_folder, tmp_path)
    found = {job.key for job in jobs if with_stages(job, manifest, force=False).stages}
    assert found == {f"{YEAR}/fa/{key}" for key in stale | {"publication"}}
    assert all(with_stages(job, manifest, force=True).stages for job in jobs)


def test_a_missing_pdf_needs_only_its_pdf_stage(tmp_path):
    plan, jobs, layout = _jobs(TINY, tmp_path)
    manifest = _as_built(plan, jobs, layout)
    job = next(j for j in jobs if j.dept_id == "district_2")
    job.pdf.unlink()
    assert with_stages(job, manifest, force=False).stages == ("pdf",)


def test_planning_reads_no_report_file_again(tmp_path, monkeypatch):
    """The report files were hashed once, by load(); the jobs' hashes come from the frames."""
    plan = planmon.load(TINY, cache=False)
    reports = (TINY / "reports").resolve()
    real_open = builtins.open

    def guarded_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)) and reports in Path(file).resolve().parents:
            raise AssertionError(f"{file} was read again")
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", guarded_open)
    options = BuildOptions(years=[YEAR], notebooks_dir=notebooks_folder(tmp_path)).checked()
    jobs = plan_jobs(plan, select(plan, options), options, OutputLayout(tmp_path / "out"))
    assert len({job.input_hash for job in jobs}) == len(jobs)


def test_a_department_named_like_a_plan_wide_report_is_refused(tmp_path):
    plan_folder = tmp_path / "plan"
    shutil.copytree(TINY, plan_folder)
    for path in plan_folder.rglob("*.csv"):
        path.write_text(path.read_text("utf-8").replace("district_2", "Overview"), "utf-8")
    for path in plan_folder.rglob("district_2.csv"):
        path.rename(path.with_name("Overview.csv"))
    plan = planmon.load(plan_folder, cache=False)
    with pytest.raises(BuildError, match="department id 'Overview' would overwrite the overview"):
        select(plan, BuildOptions().checked())


def test_the_scores_file_names_the_plans_cache_entry(tmp_path):
    plan = planmon.load(TINY)  # cached: the entry the kernels will read
    options = BuildOptions(years=[YEAR], notebooks_dir=notebooks_folder(tmp_path / "nb"))
    checked = options.checked()
    jobs = plan_jobs(plan, select(plan, checked), checked, OutputLayout(tmp_path / "out"))
    jobs = [
        with_stages(job, Manifest(OutputLayout(tmp_path / "out"), {}), force=True) for job in jobs
    ]
    scores, jobs = prepare_notebooks(plan, jobs, tmp_path / "scores", NullProgress())
    assert scores == (tmp_path / "scores" / f"{plan.fingerprint}.parquet").resolve()
    assert {job.parameters["scores_path"] for job in jobs if job.notebook} == {str(scores)}
    entry = pq.read_schema(scores).metadata[PLAN_CACHE_KEY].decode()
    assert Path(entry) == config.cache_dir_for(TINY) / plan.fingerprint
    assert pq.read_table(scores).to_pandas().equals(plan.scores())
