"""Running a build's jobs: a local process pool with forked kernels, or a dask cluster.

:class:`Runner` starts the kernel zygote (:mod:`planmon.execution.kernel`) and the pool on
entry — so that their imports overlap the build's last checks — and stops both on exit.
:func:`schedule` feeds the pool, each publication as soon as its sections are done.

Nothing outlives the build, even under ``kill -9``:

* the zygote leaves when its stdin (a pipe from the build) closes, killing its kernels;
* each pool worker watches a pipe whose only writing end is the build's: when the build dies
  the pipe closes and the worker exits (its kernels follow: a forked kernel's launcher and a
  stock kernel both watch their parent). The workers, started by multiprocessing's
  forkserver, also get ``PR_SET_PDEATHSIG`` against the forkserver;
* the forkserver and the resource tracker exit once no worker holds their pipes;
* the work folder (kernelspecs, sockets) is removed on exit, or by the next build
  (:class:`planmon.build.lock.WorkFolder`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import sys
import threading
from collections import deque
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from planmon.build.jobs import BuildProgress, Job, JobResult
from planmon.build.lock import WorkFolder
from planmon.build.options import CheckedOptions
from planmon.build.remote import run_remote
from planmon.build.worker import run_job
from planmon.core.exceptions import BuildError, OutputError, PlanmonError
from planmon.execution.papermill import first_line

__all__ = ["Runner", "schedule"]


class Runner:
    """The kernel zygote and the worker pool of one build (a context manager).

    Both start on entry, so their imports overlap the build's last checks; both stop on exit,
    and an interrupted build stops its running notebooks before the lock is released.
    """

    def __init__(
        self, to_run: list[Job], options: CheckedOptions, log_path: Path, report: BuildProgress
    ):
        from planmon.execution.kernel import PLAIN_KERNEL, ZYGOTE_KERNEL, zygote_supported

        self.options = options
        self.report = report
        self.log_path = log_path
        self.workers = min(options.jobs, len(to_run))
        self.needs_kernel = any("execute" in job.stages for job in to_run)
        self.use_zygote = (
            self.needs_kernel
            and options.executor == "local"
            and (
                options.kernel in ("shell", "zygote")
                or (options.kernel == "auto" and zygote_supported())
            )
        )
        self.kernel_name = ZYGOTE_KERNEL if self.use_zygote else PLAIN_KERNEL
        #: the zygote forks shells, not kernels (planmon.execution.engine)
        self.shell = self.use_zygote and options.kernel in ("auto", "shell")
        self.preload = _preload_modules(to_run, kernels=not self.shell) if self.use_zygote else []
        self._stack = contextlib.ExitStack()
        self._pool: _Pool | None = None

    def __enter__(self) -> Runner:
        stack = self._stack.__enter__()
        try:
            workdir = stack.enter_context(WorkFolder())
            self._start_zygote(workdir, stack)
            if self.options.executor == "dask":
                self._pool = _DaskPool(self.options.scheduler or "")
            else:
                self._pool = _LocalPool(self.workers, workdir, self.log_path, pdf=self.options.pdf)
            stack.enter_context(self._pool)
        except BaseException:
            self._stack.__exit__(*sys.exc_info())
            raise
        return self

    def _start_zygote(self, workdir: Path, stack: contextlib.ExitStack) -> None:
        from planmon.execution.kernel import PLAIN_KERNEL, Zygote, write_kernelspecs

        write_kernelspecs(workdir / "jupyter")
        if not self.use_zygote:
            return
        self.report.phase("starting the kernel zygote")
        zygote = Zygote(workdir, preload=self.preload)
        try:
            zygote.start()
        except RuntimeError as exc:
            if self.options.kernel == "zygote":
                raise BuildError(f"cannot use forked kernels: {exc}") from exc
            if self.options.kernel == "shell":
                raise BuildError(f"cannot use forked shells: {exc}") from exc
            self.kernel_name = PLAIN_KERNEL  # "auto": a stock kernel still works
            self.shell = False
        else:
            stack.callback(zygote.stop)

    def run(
        self,
        to_run: list[Job],
        results: dict[str, JobResult],
        done: Callable[[Job, JobResult], None],
    ) -> None:
        """Run the jobs, each publication after its sections."""
        assert self._pool is not None
        if not self.needs_kernel:
            self.kernel_name = ""
        jobs = [
            dataclasses.replace(
                job, kernel_name=self.kernel_name, shell=self.shell, timeout=self.options.timeout
            )
            for job in to_run
        ]
        self.report.phase("building")
        schedule(jobs, results, self._pool, done)

    @property
    def kernel_label(self) -> str:
        """What ran the notebooks: the kernelspec, or the engine of forked shells."""
        from planmon.execution.kernel import ENGINE, ZYGOTE_KERNEL

        if self.shell and self.kernel_name == ZYGOTE_KERNEL:
            return ENGINE
        return self.kernel_name

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)


def _preload_modules(jobs: list[Job], *, kernels: bool) -> list[str]:
    """The zygote's imports: planmon's defaults (with ipykernel's when it forks ``kernels``,
    not shells) plus what the notebooks import at top level."""
    import ast

    from planmon.execution.kernel import DEFAULT_PRELOAD, KERNEL_PRELOAD
    from planmon.io.notebook_cells import code_cells

    modules = list(DEFAULT_PRELOAD) + (list(KERNEL_PRELOAD) if kernels else [])
    for notebook in {job.notebook for job in jobs if job.notebook is not None}:
        try:
            cells = code_cells(notebook)
        except (OSError, ValueError):
            continue  # the parameter check has refused it already, or will say why
        for cell in cells:
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue  # IPython magics; the kernel imports what it needs itself
            for node in tree.body:
                if isinstance(node, ast.Import):
                    modules += [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    modules.append(node.module)
    return list(dict.fromkeys(modules))


def schedule(
    jobs: list[Job],
    results: dict[str, JobResult],
    pool: _Pool,
    done: Callable[[Job, JobResult], None],
) -> None:
    """Feed the pool: a publication as soon as all its sections are done, else the next job.

    Only as many jobs as the pool has workers are handed over at a time, so a publication
    that becomes ready jumps the queue instead of waiting behind every remaining notebook.
    """
    blocked, publications, queue, urgent = _queues(jobs)
    in_flight = 0

    def fill() -> None:
        nonlocal in_flight
        while in_flight < pool.capacity and (urgent or queue):
            pool.submit(urgent.popleft() if urgent else queue.popleft())
            in_flight += 1

    def fail(publication: Job, why: str) -> None:
        failure = JobResult.failure(publication, why)
        results[publication.key] = failure
        done(publication, failure)

    fill()
    for job, outcome in pool.results():
        in_flight -= 1
        done(job, outcome)
        for key in [k for k, deps in blocked.items() if job.key in deps]:
            if outcome.status == "failed":
                del blocked[key]
                fail(publications.pop(key), f"not printed: its section {job.key} failed")
                continue
            blocked[key].discard(job.key)
            if not blocked[key]:
                del blocked[key]
                urgent.append(publications.pop(key))
        fill()
    for publication in publications.values():  # only if a section's result went missing
        fail(publication, "not printed: a section never finished")


def _queues(
    jobs: list[Job],
) -> tuple[dict[str, set[str]], dict[str, Job], deque[Job], deque[Job]]:
    """Publications waiting for sections (and which), the ordinary queue, the ready ones."""
    section_of = {job.html: job.key for job in jobs if job.kind != "publication" and job.html}
    blocked: dict[str, set[str]] = {}
    publications: dict[str, Job] = {}
    queue: deque[Job] = deque()
    urgent: deque[Job] = deque()
    # Longest jobs of each year first (their order in ``jobs``), so no worker is left with
    # a long one at the end while the others idle.
    first: dict[tuple[int, str], int] = {}
    for index, job in enumerate(jobs):
        first.setdefault((job.year, job.lang), index)
    for job in sorted(jobs, key=lambda job: (first[job.year, job.lang], -job.weight)):
        if job.kind == "publication":
            # Sections not in this build are up to date on disk already.
            deps = {section_of[path] for _, path in job.sections if path in section_of}
            if deps:
                blocked[job.key], publications[job.key] = deps, job
            else:
                urgent.append(job)
        else:
            queue.append(job)
    return blocked, publications, queue, urgent


class _Pool:
    """Submit jobs; iterate ``(job, result)`` as they finish, in completion order."""

    #: jobs worth handing over at once
    capacity: int = 1

    def submit(self, job: Job) -> None:
        raise NotImplementedError

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        raise NotImplementedError

    def __enter__(self) -> _Pool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


class _LocalPool(_Pool):
    def __init__(self, workers: int, workdir: Path, log_path: Path, *, pdf: bool):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # forkserver: workers start from a clean process that imported only what they need
        # (papermill, nbconvert, WeasyPrint), never from this one and its threads.
        context = multiprocessing.get_context(
            "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
        )
        if context.get_start_method() == "forkserver":
            preload = ["planmon.build.worker", "planmon.publish.html", "papermill", "nbconvert"]
            context.set_forkserver_preload(preload + ["bs4"] + (["weasyprint"] if pdf else []))
        with contextlib.suppress(OSError):
            log_path.write_bytes(b"")
        self.capacity = max(1, workers)
        # The workers' lifeline: this process holds the only writing end.
        self._lifeline, lifeline_writer = context.Pipe(duplex=False)
        self._lifeline_writer = lifeline_writer
        settings = {
            "jupyter_path": str(workdir / "jupyter"),
            "ipc_dir": str(workdir),
            "log_path": str(log_path),
            "environ": dict(os.environ),  # the forkserver outlives this build: today's
            "pdf": pdf,
        }
        self._executor = ProcessPoolExecutor(
            max_workers=self.capacity,
            mp_context=context,
            initializer=_init_worker,
            initargs=(settings, self._lifeline),
        )
        self._pending: dict[Any, Job] = {}
        self._refused: list[tuple[Job, JobResult]] = []
        # Workers start on demand, and the first waits for the forkserver's imports: start them
        # all now, from a thread, so they warm up while the build runs its last checks.
        self._starter = threading.Thread(
            target=lambda: [self._executor.submit(_noop) for _ in range(self.capacity)],
            name="planmon-pool-start",
            daemon=True,
        )
        self._starter.start()

    def submit(self, job: Job) -> None:
        from concurrent.futures.process import BrokenProcessPool

        self._starter.join()
        try:
            self._pending[self._executor.submit(run_job, job)] = job
        except BrokenProcessPool as exc:  # a worker died: the pool takes no more jobs
            self._refused.append((job, JobResult.failure(job, f"worker failed: {first_line(exc)}")))

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        from concurrent.futures import FIRST_COMPLETED, wait

        while self._pending or self._refused:
            if self._refused:
                yield self._refused.pop(0)
                continue
            finished, _ = wait(list(self._pending), return_when=FIRST_COMPLETED)
            for future in finished:
                job = self._pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # the worker died (killed, out of memory)
                    outcome = JobResult.failure(job, f"worker failed: {first_line(exc)}")
                yield job, outcome

    def __exit__(self, *exc: object) -> None:
        interrupted = exc[0] is not None
        self._starter.join()
        self._executor.shutdown(wait=not interrupted, cancel_futures=True)
        if interrupted:
            # Stop the notebooks still running before the lock is released, so that a build
            # started right after this one never meets a straggler writing into the reports.
            processes = getattr(self._executor, "_processes", None) or {}
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.terminate()
            for process in list(processes.values()):
                with contextlib.suppress(Exception):
                    process.join(5)
        self._lifeline_writer.close()
        self._lifeline.close()


class _DaskPool(_Pool):
    """Jobs on a dask cluster that shares no disk with the client (:mod:`planmon.build.remote`).

    Each plan (its files and scores) is sent to the cluster once; a job that fails outside
    its own code (a worker that died: ``KilledWorker``, a lost connection) is submitted once
    more, then reported failed; the other jobs go on.
    """

    #: times a job is submitted again after its worker failed
    retries = 1
    #: what a worker runs: ``task(RemoteJob, PlanPayload) -> RemoteOutcome``
    task = staticmethod(run_remote)

    def __init__(self, scheduler: str):
        try:
            from distributed import Client
        except ImportError as exc:  # pragma: no cover - depends on the installation
            raise PlanmonError(
                "the dask executor needs dask.distributed: pip install 'planmon[dask]'"
            ) from exc
        try:
            self._client = Client(scheduler, set_as_default=False, timeout=30)
        except (OSError, TimeoutError, ValueError) as exc:
            raise BuildError(f"cannot reach the dask scheduler at {scheduler}: {exc}") from exc
        self.capacity = 1_000_000  # dask queues and places the work itself
        self._pending: dict[Any, tuple[Job, int]] = {}
        self._plans: dict[tuple[str, str], Any] = {}
        self._payloads: dict[tuple[str, str], Any] = {}
        self._completed: Any = None

    def _plan_future(self, job: Job) -> Any:
        from planmon.build.remote import PlanPayload, pack_plan

        where = (
            str(job.parameters.get("plan_path", "")),
            str(job.parameters.get("scores_path", "")),
        )
        if not where[1]:  # a publication names only its plan: the payload its reports used
            where = next((known for known in self._payloads if known[0] == where[0]), where)
        if where not in self._payloads:  # read once: the folder may be gone by a retry
            self._payloads[where] = pack_plan(*where) if where[0] else PlanPayload("none", {})
        if where in self._plans and self._plans[where].status != "finished":
            del self._plans[where]  # lost with its worker: send it again
        if where not in self._plans:
            self._plans[where] = self._client.scatter(self._payloads[where], hash=False)
        return self._plans[where]

    def submit(self, job: Job, attempt: int = 0) -> None:
        from distributed import as_completed

        from planmon.build.remote import pack_job

        future = self._client.submit(
            self.task,
            pack_job(job),
            self._plan_future(job),
            key=f"planmon-{job.key}-{job.input_hash[:12]}-{attempt}",
            pure=False,
        )
        self._pending[future] = (job, attempt)
        if self._completed is None:
            self._completed = as_completed([future], loop=self._client.loop)
        else:
            self._completed.add(future)

    def results(self) -> Iterator[tuple[Job, JobResult]]:
        from planmon.build.remote import write_outputs

        while self._pending:
            future = next(self._completed)
            job, attempt = self._pending.pop(future)
            try:
                outcome = write_outputs(job, future.result())
            except OSError as exc:
                outcome = JobResult.failure(job, first_line(OutputError.of(exc)))
            except Exception as exc:
                if attempt < self.retries:
                    self.submit(job, attempt + 1)
                    continue
                outcome = JobResult.failure(job, f"dask worker failed: {first_line(exc)}")
            yield job, outcome

    def __exit__(self, *exc: object) -> None:
        for future in self._pending:
            future.cancel()
        self._client.close()


def _noop() -> None:
    pass


def _init_worker(settings: Mapping[str, Any], lifeline: Any) -> None:
    """Set up a pool worker: today's environment, planmon's kernelspecs, stray output to the
    build log; and leave as soon as the build is gone."""
    from planmon.execution.kernel import put_first_on_jupyter_path, set_ipc_dir

    os.environ.clear()
    os.environ.update(settings["environ"])
    put_first_on_jupyter_path(settings["jupyter_path"])
    set_ipc_dir(settings["ipc_dir"])
    try:
        log = os.open(settings["log_path"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    except OSError:
        log = os.open(os.devnull, os.O_WRONLY)
    # Kernels inherit these: their warnings belong in the log, not over the progress bar.
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)
    _die_with_parent()
    _watch_lifeline(lifeline)
    _warm_up(settings["pdf"])


def _watch_lifeline(lifeline: Any) -> None:
    """Exit this worker when the build's end of ``lifeline`` closes (the build ended or died)."""

    def watch() -> None:
        with contextlib.suppress(Exception):
            while True:
                lifeline.recv_bytes()  # nothing is ever sent: this returns only by raising EOF
        os._exit(1)

    threading.Thread(target=watch, name="planmon-lifeline", daemon=True).start()


def _warm_up(pdf: bool) -> None:
    """Build the HTML exporter (and load WeasyPrint's fonts) now, while the zygote imports."""
    with contextlib.suppress(Exception):
        import nbformat

        from planmon.publish.html import notebook_to_html

        notebook_to_html(nbformat.v4.new_notebook(), lang="fa", title="warm-up")
        if pdf:
            import weasyprint

            weasyprint.HTML(string="<p>گرم</p>").render()


def _die_with_parent() -> None:
    """Ask Linux to end this worker if the process that started it (the forkserver) dies."""
    if not sys.platform.startswith("linux"):
        return
    with contextlib.suppress(Exception):
        import ctypes
        import signal

        pr_set_pdeathsig = 1
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
