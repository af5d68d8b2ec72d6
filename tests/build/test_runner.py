"""planmon.build.runner: jobs scheduled in order, and nothing left running after ``kill -9``."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

import pytest

from planmon.build.jobs import Job, JobResult
from planmon.build.lock import remove_stale_work_folders
from planmon.build.runner import schedule
from tests.build.helpers import notebooks_folder
from tests.conftest import TINY

ROOT = Path(__file__).parents[2]


# ------------------------------------------------------------------------------ scheduling


class _FakePool:
    """Runs jobs when asked for results, in submission order; records the order."""

    capacity = 1

    def __init__(self, failing: set[str] = frozenset()):
        self.order: list[str] = []
        self.failing = failing
        self._queue: deque[Job] = deque()

    def submit(self, job: Job) -> None:
        self._queue.append(job)

    def results(self):
        while self._queue:
            job = self._queue.popleft()
            self.order.append(job.key)
            status = "failed" if job.key in self.failing else "built"
            yield job, JobResult.of(job, status)


def _jobs() -> list[Job]:
    def report(key: str, weight: float) -> Job:
        return Job(
            key, "department", 1398, "fa", key, key, key, html=Path(f"{key}.html"), weight=weight
        )

    sections = [report("a", 1.0), report("b", 5.0)]
    publication = Job(
        "pub",
        "publication",
        1398,
        "fa",
        "",
        "p",
        "p",
        sections=tuple((j.key, j.html) for j in sections),
    )
    return [*sections, publication]


def test_the_longest_job_starts_first_and_the_publication_follows_its_sections():
    pool, results = _FakePool(), {}
    schedule(_jobs(), results, pool, lambda job, outcome: results.__setitem__(job.key, outcome))
    assert pool.order == ["b", "a", "pub"]
    assert {k: r.status for k, r in results.items()} == {"a": "built", "b": "built", "pub": "built"}


def test_a_failed_section_holds_back_its_publication():
    pool, results = _FakePool(failing={"a"}), {}
    schedule(_jobs(), results, pool, lambda job, outcome: results.__setitem__(job.key, outcome))
    assert pool.order == ["b", "a"]
    assert results["pub"].status == "failed"
    assert results["pub"].error == "not printed: its section a failed"


# ------------------------------------------------------------------------------ kill -9


def _processes() -> dict[int, tuple[int, str]]:
    """pid → (parent pid, start time) of every process, from /proc (or psutil)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    out = {}
    if psutil is not None:
        for proc in psutil.process_iter(["ppid", "create_time"]):
            out[proc.pid] = (proc.info["ppid"], str(proc.info["create_time"]))
        return out
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rindex(")") + 2 :].split()
            out[int(entry)] = (int(fields[1]), fields[19])
    return out


def _descendants(pid: int) -> set[tuple[int, str]]:
    table = _processes()
    found, frontier = set(), [pid]
    while frontier:
        parent = frontier.pop()
        for child, (ppid, started) in table.items():
            if ppid == parent and (child, started) not in found:
                found.add((child, started))
                frontier.append(child)
    return found


def _alive(processes: set[tuple[int, str]]) -> set[tuple[int, str]]:
    table = _processes()
    alive = set()
    for pid, started in processes:
        if table.get(pid, (None, None))[1] == started:
            try:
                state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if state != "Z":  # a zombie is dead, only not yet reaped by its new parent
                alive.add((pid, started))
    return alive


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


_BUILD = """
import json, sys
import planmon
from planmon.build.api import build
args = json.loads(sys.argv[1])
build(planmon.load(args["plan"], cache=False), years=[1398], langs=["fa", "en"],
      formats=["html", "pdf"], jobs=2, output_dir=args["out"], notebooks_dir=args["nb"],
      scores_dir=args["scores"])
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_kill_9_of_a_build_leaves_no_process_and_its_work_folder_goes(tmp_path):
    # The build's temporary directory, where its work folder goes: short, for Unix sockets.
    temp = Path(tempfile.mkdtemp(prefix="pmk-"))
    args = {
        "plan": str(TINY),
        "out": str(tmp_path / "reports"),
        "nb": str(notebooks_folder(tmp_path / "nb")),
        "scores": str(tmp_path / "scores"),
    }
    env = {**os.environ, "TMPDIR": str(temp), "PLANMON_HOME": str(tmp_path / "home")}
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    build = subprocess.Popen([sys.executable, "-c", _BUILD, json.dumps(args)], env=env, cwd=ROOT)
    seen: set[tuple[int, str]] = set()
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and build.poll() is None:
            seen |= _descendants(build.pid)
            if any(_is_kernel(_cmdline(pid)) or _is_forked_shell(pid) for pid, _ in seen):
                break  # a notebook is running: the pool, the zygote and its child are all up
            time.sleep(0.1)
        assert build.poll() is None, "the build ended before a notebook started"
        seen |= _descendants(build.pid)
        os.kill(build.pid, signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while _alive(seen) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = {pid: _cmdline(pid)[:120] for pid, _ in _alive(seen)}
        assert not left, f"still running after the build was killed: {left}"
        assert len(seen) >= 4  # forkserver, resource tracker, workers, zygote, notebooks
    finally:
        if build.poll() is None:
            build.kill()
        for pid, _ in _alive(seen):
            os.kill(pid, signal.SIGKILL)
    # the killed build's work folder is removed by the next build (here: its first step)
    stranded = list(temp.glob("planmon-build-*"))
    assert stranded and remove_stale_work_folders(temp) == stranded
    # Kernel sockets and connection files were in it. What is left is multiprocessing's own
    # pymp-* folder (the forkserver's socket), which planmon does not name and leaves alone.
    assert [name for name in os.listdir(temp) if not name.startswith("pymp-")] == []
    shutil.rmtree(temp)


def _is_kernel(cmdline: str) -> bool:
    return "ipykernel_launcher" in cmdline or "kernel.py launch" in cmdline


def _is_forked_shell(pid: int) -> bool:
    """A child of the zygote (which runs ``kernel.py serve``): a notebook's forked shell."""
    parent = _processes().get(pid, (0, ""))[0]
    return "kernel.py serve" in _cmdline(pid) and "kernel.py serve" in _cmdline(parent)
