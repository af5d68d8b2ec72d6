"""A build job for a machine that cannot see the client's files (the dask executor).

The client packs what a job reads into bytes (:func:`pack_plan` once per plan: the plan's
files and its precomputed scores; :func:`pack_job` per job: the notebook, or the sections of
a publication); a worker unpacks them in its own temporary folder, runs
:func:`planmon.build.worker.run_job` there and answers with the outputs as bytes
(:func:`run_remote`); the client writes them atomically where the build expects them
(:func:`write_outputs`). Nothing on the worker names a path of the client's, and nothing on
the client waits for a worker's disk.

A worker starts its own kernel zygote at its first job (:mod:`planmon.execution.kernel`, in its
temporary folder; Linux) and runs every notebook in a shell forked from it, as a local build
does; without one, each notebook gets a stock kernel. A worker keeps the plans it unpacked
(keyed by the content hash of the packed bytes) in ``<worker temp>/planmon-remote/``, so a
worker's second job of a city skips the unpacking and its kernels reuse the plan's parse
cache. It keeps the :data:`KEEP_PLANS` it used last and removes older ones, never one that a
job on the machine is using (each job holds a shared ``flock`` on ``<key>.lock`` beside the
plan; removal takes the lock exclusively), so a national run does not fill a worker's disk.
"""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import fcntl
import hashlib
import json
import os
import shutil
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from planmon.build.jobs import Job, JobResult
from planmon.build.worker import run_job

__all__ = ["PlanPayload", "RemoteJob", "RemoteOutcome", "pack_plan", "pack_job", "run_remote"]
__all__ += ["write_outputs", "KEEP_PLANS"]

#: Unpacked plans a worker machine keeps in its temporary folder (the ones used last).
KEEP_PLANS = 8

#: Files a worker does not need from a plan folder: planmon's own caches and work files.
_SKIP_PARTS = (".planmon", "__pycache__", ".git")


@dataclass(frozen=True)
class PlanPayload:
    """A plan's files and its scores as bytes (sent to the cluster once per plan).

    Attributes
    ----------
    key : str
        SHA-256 of everything below: a worker's folder for this payload.
    files : dict
        Path relative to the plan folder (POSIX) → content.
    scores : bytes
        The scores Parquet the client computed (``b""``: none).
    scores_name : str
        Its file name (it names the plan's fingerprint, which kernels look up).
    """

    key: str
    files: dict[str, bytes]
    scores: bytes = b""
    scores_name: str = "scores.parquet"


@dataclass(frozen=True)
class RemoteJob:
    """One job and the inputs of its own (the notebook or the publication's chapters)."""

    job: Job
    notebook: bytes = b""
    #: a publication's chapters: the PDFs it binds (beside each section's HTML on the client)
    sections: tuple[bytes, ...] = ()
    #: an output a later stage reads when the earlier stage is not redone (e.g. the HTML a
    #: PDF is printed from): stage → content
    earlier: dict[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True)
class RemoteOutcome:
    """A job's result (with the client's paths) and its outputs: stage → content."""

    result: JobResult
    outputs: dict[str, bytes]


def pack_plan(plan_path: str | os.PathLike[str], scores_path: str = "") -> PlanPayload:
    """Read a plan folder (caches left out) and its scores file into a :class:`PlanPayload`."""
    root = Path(plan_path)
    files: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root)
        if path.is_file() and not set(relative.parts) & set(_SKIP_PARTS):
            files[relative.as_posix()] = path.read_bytes()
    scores = Path(scores_path).read_bytes() if scores_path else b""
    name = Path(scores_path).name if scores_path else "scores.parquet"
    # the key covers every byte and name the worker writes: equal scores under another file
    # name (a new plan fingerprint) must not find an older copy without that file
    digest = hashlib.sha256(name.encode() + b"\0" + scores)
    for relative, content in files.items():
        digest.update(relative.encode() + b"\0" + hashlib.sha256(content).digest())
    return PlanPayload(digest.hexdigest(), files, scores, name)


def pack_job(job: Job) -> RemoteJob:
    """Read the inputs only this job needs (its notebook, its sections, earlier outputs)."""
    notebook = job.notebook.read_bytes() if job.notebook and "execute" in job.stages else b""
    # a publication binds its chapters' PDFs (planmon.publish.publication.assemble_publication)
    sections = tuple(Path(path).with_suffix(".pdf").read_bytes() for _, path in job.sections)
    earlier: dict[str, bytes] = {}
    if job.kind != "publication":
        if "execute" not in job.stages and job.executed is not None:
            earlier["execute"] = job.executed.read_bytes()
        if "html" not in job.stages and "pdf" in job.stages and job.html is not None:
            earlier["html"] = job.html.read_bytes()
    return RemoteJob(job, notebook, sections, earlier)


def _plan_home() -> Path:
    return Path(tempfile.gettempdir()) / "planmon-remote"


@contextlib.contextmanager
def _plan_in_use(
    payload: PlanPayload, home: Path | None = None, keep: int = KEEP_PLANS
) -> Iterator[Path]:
    """The worker's copy of the plan, unpacked once and kept while the job runs.

    While the ``with`` block runs, this job holds a shared ``flock`` on ``<key>.lock``: no
    job of any worker process on the machine removes the plan meanwhile. Afterwards, plans
    beyond the ``keep`` used last are removed (:func:`_evict`).
    """
    home = home or _plan_home()
    home.mkdir(parents=True, exist_ok=True)
    fd = os.open(home / f"{payload.key}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(fd, fcntl.LOCK_SH)  # waits while another job removes this plan
        folder = _unpack_plan(payload, home)
        os.utime(folder / ".complete")  # used now: the last to be removed
        yield folder
    finally:
        os.close(fd)  # releases the lock
    _evict(home, keep)


def _unpack_plan(payload: PlanPayload, home: Path) -> Path:
    """Unpack ``payload`` into ``home/<key>`` unless it is there already; return the folder."""
    folder = home / payload.key
    if (folder / ".complete").is_file():
        return folder
    staging = Path(tempfile.mkdtemp(prefix=f".{payload.key[:12]}.", dir=home))
    for name, content in payload.files.items():
        target = staging / "plan" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (staging / "plan").mkdir(exist_ok=True)
    if payload.scores:
        (staging / "scores").mkdir()
        (staging / "scores" / payload.scores_name).write_bytes(payload.scores)
    (staging / ".complete").write_text("", encoding="utf-8")
    try:
        os.replace(staging, folder)
    except OSError:  # another job unpacked it first
        shutil.rmtree(staging, ignore_errors=True)
    return folder


def _evict(home: Path, keep: int) -> list[Path]:
    """Remove the unpacked plans in ``home`` beyond the ``keep`` used last; return them.

    A plan a job is using (its lock held shared) is skipped; the lock files stay, so that a
    job waiting on one never locks a file that another has replaced.
    """
    used = []
    for marker in home.glob("*/.complete"):
        if marker.parent.name.startswith("."):
            continue  # a plan being unpacked, or one being removed
        with contextlib.suppress(OSError):
            used.append((marker.stat().st_mtime_ns, marker.parent))
    used.sort(reverse=True)
    removed = []
    for _, folder in used[keep:]:
        try:
            fd = os.open(home / f"{folder.name}.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        except OSError:
            continue
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            continue  # in use
        try:
            # out of sight first: a job that takes the lock next unpacks afresh
            doomed = home / f".evicted.{folder.name}.{os.getpid()}"
            os.replace(folder, doomed)
            shutil.rmtree(doomed, ignore_errors=True)
            removed.append(folder)
        except OSError:
            pass
        finally:
            os.close(fd)
    return removed


def _local_job(remote: RemoteJob, plan_dir: Path, scores: Path | None, sandbox: Path) -> Job:
    """The job with every path pointing into the worker's sandbox."""
    job = remote.job
    (sandbox / "out").mkdir(parents=True)
    notebook = None
    if remote.notebook:
        notebook = sandbox / "notebook" / (job.notebook.name if job.notebook else "job.ipynb")
        notebook.parent.mkdir()
        notebook.write_bytes(remote.notebook)
    sections = []
    for number, ((title, _), content) in enumerate(zip(job.sections, remote.sections, strict=True)):
        path = sandbox / "sections" / f"{number:04d}.html"
        path.parent.mkdir(exist_ok=True)
        path.with_suffix(".pdf").write_bytes(content)  # where the worker looks for it
        sections.append((title, path))
    local = {s: sandbox / "out" / f"{s}{_suffix(s)}" for s in ("execute", "html", "pdf")}
    for stage, content in remote.earlier.items():
        local[stage].write_bytes(content)
    parameters = dict(job.parameters)
    if "plan_path" in parameters:
        parameters["plan_path"] = str(plan_dir)
    if parameters.get("scores_path"):
        parameters["scores_path"] = str(scores)
    return dataclasses.replace(
        job,
        notebook=notebook,
        parameters=parameters,
        executed=local["execute"] if job.executed else None,
        html=local["html"] if job.html else None,
        pdf=(sandbox / "out" / "publication.pdf" if job.kind == "publication" else local["pdf"])
        if job.pdf
        else None,
        sections=tuple(sections),
    )


def _suffix(stage: str) -> str:
    return {"execute": ".ipynb", "html": ".html", "pdf": ".pdf"}[stage]


def _client_text(content: bytes, job: Job, local: Job) -> bytes:
    """An executed notebook names its parameters: put the client's paths back in them."""
    for key in ("plan_path", "scores_path"):
        here, there = local.parameters.get(key), job.parameters.get(key)
        if here and there and here != there:
            content = content.replace(
                json.dumps(here)[1:-1].encode(), json.dumps(there)[1:-1].encode()
            )
    return content


_zygote: object = None  # this worker's zygote; False once it could not start
_zygote_lock = threading.Lock()


def _worker_kernel() -> tuple[str, bool]:
    """``(kernel name, forked shells)`` for this worker's notebooks; starts its zygote once."""
    global _zygote
    from planmon.execution.kernel import (
        PLAIN_KERNEL,
        ZYGOTE_KERNEL,
        Zygote,
        put_first_on_jupyter_path,
        zygote_supported,
    )

    with _zygote_lock:
        if _zygote is None:
            _zygote = False
            if zygote_supported():
                zygote = Zygote(tempfile.mkdtemp(prefix="pmz-"))
                try:
                    zygote.start()
                except RuntimeError:  # e.g. a temporary folder too deep for a Unix socket
                    pass
                else:
                    atexit.register(zygote.stop)
                    put_first_on_jupyter_path(zygote.jupyter_path)
                    _zygote = zygote
        if isinstance(_zygote, Zygote) and _zygote.alive():
            return ZYGOTE_KERNEL, True
    return PLAIN_KERNEL, False


def run_remote(remote: RemoteJob, plan: PlanPayload) -> RemoteOutcome:
    """Run one packed job on this machine; return its result and outputs as bytes.

    Runs on a dask worker. Every file is written under the worker's temporary folder; the
    job's own sandbox is removed before returning.
    """
    with _plan_in_use(plan) as plan_dir:
        return _run_in(remote, plan, plan_dir)


def _run_in(remote: RemoteJob, plan: PlanPayload, plan_dir: Path) -> RemoteOutcome:
    """:func:`run_remote` with the plan unpacked in ``plan_dir``."""
    scores = plan_dir / "scores" / plan.scores_name if plan.scores else None
    sandbox = Path(tempfile.mkdtemp(prefix="planmon-job-"))
    try:
        job = remote.job
        local = _local_job(remote, plan_dir / "plan", scores, sandbox)
        if local.notebook is not None:
            kernel_name, shell = _worker_kernel()
            local = dataclasses.replace(local, kernel_name=kernel_name, shell=shell)
        result = run_job(local)
        produced = local.outputs()
        if result.status == "failed" and local.executed is not None:
            produced = {"execute": local.executed}
        outputs = {}
        for stage, path in produced.items():
            if path is not None and path.is_file() and stage not in remote.earlier:
                content = path.read_bytes()
                outputs[stage] = (
                    _client_text(content, job, local) if stage == "execute" else content
                )
        client = job.outputs()
        result = dataclasses.replace(
            result,
            outputs=tuple(client[stage] for stage in client if result.status == "built"),
            executed=job.executed if result.executed is not None else None,
        )
        return RemoteOutcome(result, outputs)
    finally:
        shutil.rmtree(sandbox, ignore_errors=True)


def write_outputs(job: Job, outcome: RemoteOutcome) -> JobResult:
    """Write a remote job's outputs where the client's build expects them, atomically."""
    from planmon.io.atomic import atomic_write_bytes

    targets = job.outputs()
    for stage, content in outcome.outputs.items():
        target = job.executed if stage == "execute" else targets.get(stage)
        if target is not None:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            atomic_write_bytes(target, content)
    return outcome.result
