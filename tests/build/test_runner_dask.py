"""The dask executor on workers that cannot see the client's files (planmon.build.remote).

Each worker is a process of its own with its own working directory and temporary folder
(tests/build/dask_cluster.py); the plan, notebooks and scores folders are removed from disk as
soon as the jobs are submitted, so a job can only run on the bytes it carried.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from planmon.build.jobs import Job, JobResult, NullProgress
from planmon.build.remote import PlanPayload, RemoteOutcome, pack_job, pack_plan
from planmon.execution.kernel import PLAIN_KERNEL, ZYGOTE_KERNEL, zygote_socket, zygote_supported
from tests.build.dask_cluster import separate_cluster, worker_peaks
from tests.build.helpers import YEAR, build_tiny, notebooks_folder, statuses
from tests.conftest import TINY

distributed = pytest.importorskip("distributed")


class _RemoveInputs(NullProgress):
    """Removes the given folders at the first finished job (every job is submitted by then)."""

    def __init__(self, *folders):
        self.folders, self.removed = folders, False

    def job_done(self, result: JobResult) -> None:
        if not self.removed:
            for folder in self.folders:
                shutil.rmtree(folder)
            self.removed = True


@pytest.fixture(scope="module")
def local_build(tmp_path_factory):
    """Two department reports (HTML and PDF) built by the local pool."""
    root = tmp_path_factory.mktemp("local")
    shutil.copytree(TINY, root / "plan")
    notebooks = notebooks_folder(root / "notebooks")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PLANMON_HOME", str(root / "home"))
        result = build_tiny(root, root / "plan", notebooks, formats=["html", "pdf"], dept_ids=DEPTS)
    return SimpleNamespace(root=root, result=result)


DEPTS = ["district_1", "services"]


def _build_on_a_cluster(tmp_path, workers: int, **options):
    """The tiny plan built (HTML and PDF) on ``workers`` separate dask workers, its plan and
    notebooks folders removed once every job is submitted; ``(result, worker peaks)``."""
    shutil.copytree(TINY, tmp_path / "plan")
    notebooks = notebooks_folder(tmp_path / "notebooks")
    progress = _RemoveInputs(tmp_path / "plan", notebooks)
    with separate_cluster(tmp_path / "cluster", workers=workers) as address:
        result = build_tiny(
            tmp_path,
            tmp_path / "plan",
            notebooks,
            executor="dask",
            scheduler=address,
            formats=["html", "pdf"],
            progress=progress,
            **options,
        )
        peaks = worker_peaks(address)
    assert progress.removed and not (tmp_path / "plan").exists()
    return result, peaks


def test_remote_jobs_need_no_shared_disk_and_match_the_local_pool(local_build, tmp_path):
    result, peaks = _build_on_a_cluster(tmp_path, 2, dept_ids=DEPTS)
    assert statuses(result) == {f"{YEAR}/fa/department/{d}": "built" for d in DEPTS}, [
        j.error for j in result.jobs
    ]
    assert {p["cwd"] for p in peaks.values()} <= {
        str(tmp_path / "cluster" / f"worker{n}") for n in range(2)
    }
    for stem in DEPTS:
        here = tmp_path / "reports" / str(YEAR) / "fa"
        there = local_build.root / "reports" / str(YEAR) / "fa"
        assert (here / f"{stem}.html").read_bytes() == (there / f"{stem}.html").read_bytes()
        assert (here / f"{stem}.pdf").read_bytes()[:5] == b"%PDF-"
        notebook = here.parent / "notebooks" / f"department_report.{stem}.fa.ipynb"
        # the injected parameters name the client's paths, not the worker's sandbox
        assert str(tmp_path / "plan") in notebook.read_text("utf-8")
        assert "planmon-remote" not in notebook.read_text("utf-8")


def test_pack_plan_leaves_out_caches_and_is_keyed_by_content(tmp_path):
    shutil.copytree(TINY, tmp_path / "plan")
    first = pack_plan(tmp_path / "plan")
    (tmp_path / "plan" / ".planmon" / "cache").mkdir(parents=True)
    (tmp_path / "plan" / ".planmon" / "cache" / "x.parquet").write_bytes(b"cache")
    assert pack_plan(tmp_path / "plan") == first  # a cache changes nothing
    assert not any(name.startswith(".planmon") for name in first.files)
    report = next(name for name in first.files if name.startswith("reports/"))
    (tmp_path / "plan" / report).write_bytes(b"changed")
    assert pack_plan(tmp_path / "plan").key != first.key


def _die_once(marker: str):
    """A stand-in for run_remote: the first call kills its worker process, later ones answer;
    a job named ``always`` kills its worker every time."""

    def task(remote, plan):
        if remote.job.dept_id == "always" or not os.path.exists(marker):
            open(marker, "w").close()
            os._exit(1)
        return RemoteOutcome(JobResult.of(remote.job, "built"), {})

    return task


def test_a_worker_that_dies_is_retried_once_then_reported_failed(tmp_path, monkeypatch):
    from planmon.build import runner

    def job(dept: str) -> Job:
        return Job(f"{YEAR}/fa/department/{dept}", "department", YEAR, "fa", dept, dept, dept)

    def run(pool, *jobs: Job) -> dict[str, JobResult]:
        for one in jobs:
            pool.submit(one)
        return {done.dept_id: result for done, result in pool.results()}

    monkeypatch.setattr(runner._DaskPool, "task", staticmethod(_die_once(str(tmp_path / "m"))))
    with (
        separate_cluster(tmp_path / "cluster", workers=1) as address,
        runner._DaskPool(address) as pool,
    ):
        # one job at a time: a dying worker also takes down the tasks queued beside it
        once = run(pool, job("a"))
        always = run(pool, job("always"))
        after = run(pool, job("b"))
    assert once["a"].status == "built", once["a"].error  # its first worker died; the retry ran it
    assert always["always"].status == "failed"
    assert always["always"].error.startswith("dask worker failed")
    assert after["b"].status == "built"  # the build goes on after a job failed


def test_pack_job_carries_the_notebook_only_when_it_runs(tmp_path):
    notebook = tmp_path / "n.ipynb"
    notebook.write_text("{}", encoding="utf-8")
    job = Job("k", "department", YEAR, "fa", "d", "n", "t", stages=("execute",), notebook=notebook)
    assert pack_job(job).notebook == b"{}"
    assert pack_job(Job("k", "department", YEAR, "fa", "d", "n", "t")).notebook == b""
    assert PlanPayload("none", {}).files == {}


@pytest.mark.skipif(not zygote_supported(), reason="forked shells need Linux")
def test_a_worker_runs_notebooks_in_shells_forked_from_its_own_zygote(monkeypatch):
    from planmon.build import remote

    monkeypatch.setattr(remote, "_zygote", None)
    monkeypatch.delenv("JUPYTER_PATH", raising=False)
    assert remote._worker_kernel() == (ZYGOTE_KERNEL, True)
    zygote = remote._zygote
    try:
        assert remote._worker_kernel() == (ZYGOTE_KERNEL, True) and remote._zygote is zygote
        assert zygote_socket(ZYGOTE_KERNEL) == str(zygote.socket_path)  # its kernelspec first
    finally:
        zygote.stop()
    assert remote._worker_kernel() == (PLAIN_KERNEL, False)  # a dead zygote: stock kernels


def test_a_publication_travels_with_its_chapters_pdfs(tmp_path):
    from planmon.build.remote import _local_job

    chapters = []
    for number, title in enumerate(["نمای کلی", "پارک‌ها"]):
        html = tmp_path / "client" / f"chapter{number}.html"
        html.parent.mkdir(exist_ok=True)
        html.write_text("<p>not read</p>", encoding="utf-8")
        html.with_suffix(".pdf").write_bytes(b"%%PDF-1.7 chapter %d" % number)
        chapters.append((title, html))
    job = Job(
        key="1399/fa/publication",
        kind="publication",
        year=1399,
        lang="fa",
        dept_id="",
        name="publication",
        title="گزارش",
        stages=("pdf",),
        pdf=tmp_path / "client" / "publication.pdf",
        sections=tuple(chapters),
    )
    packed = pack_job(job)
    assert packed.sections == (b"%PDF-1.7 chapter 0", b"%PDF-1.7 chapter 1")
    local = _local_job(packed, tmp_path / "plan", None, tmp_path / "sandbox")
    # the worker binds the PDF beside each section, as assemble_publication is given them
    assert [Path(p).with_suffix(".pdf").read_bytes() for _, p in local.sections] == list(
        packed.sections
    )
    assert [title for title, _ in local.sections] == ["نمای کلی", "پارک‌ها"]


def test_a_whole_year_with_its_publication_builds_after_the_plan_is_gone(tmp_path):
    # the publication is submitted last, long after the plan folder was removed: it must use
    # the plan its reports were sent with (it reads the cover's issuer and provisional flag)
    result, _ = _build_on_a_cluster(tmp_path, 1)
    failed = {j.key: j.error for j in result.jobs if j.status != "built"}
    assert not failed
    assert any(job.kind == "publication" for job in result.jobs)
    publication = tmp_path / "reports" / str(YEAR) / "publication.fa.pdf"
    assert publication.read_bytes()[:5] == b"%PDF-"
