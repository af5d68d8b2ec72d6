"""A dask cluster whose workers share no folder with the client (tests and bench/bench_dask.py).

The scheduler runs in this process; each worker is a ``dask worker`` process of its own,
started in its own working directory with its own temporary folder (``TMPDIR``) and
``PLANMON_HOME``, so anything a job reads or writes by a relative path or under the temporary
folder is not the client's.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["separate_cluster", "worker_peaks"]

ROOT = Path(__file__).parents[2]


@contextlib.contextmanager
def separate_cluster(base: Path, workers: int) -> Iterator[str]:
    """Yield the address of a scheduler with ``workers`` one-thread worker processes.

    The scheduler allows no retry of its own after a worker dies (``allowed-failures`` 0), so
    the build's single retry is the only one.
    """
    import dask
    import distributed

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(n_workers=0, processes=True, dashboard_address=None) as cluster,
    ):
        started = []
        temps = [Path(tempfile.mkdtemp(prefix="pmw")) for _ in range(workers)]
        try:
            for number, temp in enumerate(temps):
                folder = base / f"worker{number}"
                started.append(_start_worker(folder, cluster.scheduler_address, temp))
            with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
                client.wait_for_workers(workers, timeout=120)
            yield cluster.scheduler_address
        finally:
            for process in started:
                process.terminate()
            for process in started:
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            for temp in temps:
                shutil.rmtree(temp, ignore_errors=True)


def _start_worker(folder: Path, address: str, temp: Path) -> subprocess.Popen:
    folder.mkdir(parents=True)
    env = {
        **os.environ,
        # kernels put their sockets in the temporary folder: its path must stay short
        "TMPDIR": str(temp),
        "PLANMON_HOME": str(folder / "home"),
        "PYTHONPATH": str(ROOT),
        "JUPYTER_PATH": "",
    }
    command = [sys.executable, "-m", "distributed.cli.dask_worker", address, "--nthreads", "1"]
    command += ["--no-dashboard", "--memory-limit", "0", "--local-directory", str(folder / "dask")]
    log = open(folder / "worker.log", "wb")
    return subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)


def _peak() -> dict[str, float]:
    import resource

    mib = 1024.0  # ru_maxrss is in KiB on Linux
    return {
        "worker_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / mib,
        "kernels_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / mib,
        "cwd": os.getcwd(),
    }


def worker_peaks(address: str) -> dict[str, dict[str, float]]:
    """Each worker's peak resident memory (its process; its largest finished kernel), MiB."""
    import distributed

    with distributed.Client(address, set_as_default=False) as client:
        return client.run(_peak)
