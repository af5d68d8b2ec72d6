"""papermill's engine for the build: cells run in a process forked from the zygote, no kernel.

``papermill.execute_notebook(..., engine_name=ENGINE)`` parameterises and records the notebook
as always; this engine runs its code cells in a child of the running zygote
(:mod:`planmon.execution.kernel`, request ``mode="shell"``) that executes them in an IPython
shell (:mod:`planmon.execution.shell`) and answers with each cell's outputs. What a kernel
start and its messaging cost a report is gone; each notebook still gets a fresh process with
nothing left from the last one.

A cell that raises stops the notebook, as with nbclient: papermill then finds the error output
and raises :class:`papermill.PapermillExecutionError`. A cell that runs longer than the
timeout, or a child that dies, ends the child and raises :class:`ShellError`. Without a
zygote that will fork, :class:`ShellUnavailable` is raised before any cell ran, so the caller
can run the notebook on a stock kernel instead.
"""

from __future__ import annotations

import os
import signal
import socket
from contextlib import suppress
from typing import Any

from papermill.engines import Engine, papermill_engines

from planmon.execution.kernel import ENGINE, ask_zygote, mark_moment, zygote_socket
from planmon.execution.shell import receive_frame, send_frame

__all__ = ["ENGINE", "ShellEngine", "ShellError", "ShellUnavailable", "register"]

_SKIP_TAG = "skip-execution"


class ShellUnavailable(RuntimeError):
    """No zygote answered (or it refused to fork): nothing was executed."""


class ShellError(RuntimeError):
    """The notebook's process timed out or died during a cell."""


def _attach(kernel_name: str) -> tuple[socket.socket, int]:
    """Ask the zygote for a shell child; return the connection and the child's pid."""
    path = zygote_socket(kernel_name)
    if path is None:
        raise ShellUnavailable(f"no running zygote behind kernel {kernel_name!r}")
    devnull = os.open(os.devnull, os.O_RDONLY)
    try:
        conn = ask_zygote(path, [devnull, 1, 2], mode="shell")
    finally:
        os.close(devnull)
    if conn is None:
        raise ShellUnavailable(f"the zygote at {path} did not fork a shell")
    try:
        hello = receive_frame(conn)
    except OSError:
        hello = None
    if not hello or "pid" not in hello:
        conn.close()
        raise ShellUnavailable("the zygote's child did not say hello")
    return conn, int(hello["pid"])


def _end(conn: socket.socket, pid: int, *, kill: bool) -> None:
    if kill:
        with suppress(OSError):
            os.killpg(pid, signal.SIGKILL)  # the child leads its own process group
    with suppress(OSError):
        conn.close()


def _run_cell(conn: socket.socket, pid: int, code: str, timeout: float | None) -> dict[str, Any]:
    conn.settimeout(timeout)
    try:
        send_frame(conn, {"code": code})
        reply = receive_frame(conn)
    except TimeoutError as exc:
        _end(conn, pid, kill=True)
        raise ShellError(f"a cell ran longer than {timeout:g} s; the notebook was stopped") from exc
    except OSError as exc:
        _end(conn, pid, kill=True)
        raise ShellError(f"lost the notebook's process: {exc}") from exc
    if reply is None:
        _end(conn, pid, kill=True)
        raise ShellError("the notebook's process died during a cell")
    return reply


class ShellEngine(Engine):
    """Run a managed notebook's code cells in a forked shell (see the module docstring)."""

    @classmethod
    def execute_managed_notebook(
        cls, nb_man: Any, kernel_name: str, execution_timeout: float | None = None, **_: Any
    ) -> None:
        import nbformat

        conn, pid = _attach(kernel_name)
        mark_moment("ready")
        failed = True
        try:
            for index, cell in enumerate(nb_man.nb.cells):
                nb_man.cell_start(cell, index)
                try:
                    if cell.cell_type != "code" or _SKIP_TAG in cell.metadata.get("tags", []):
                        continue
                    cell.outputs = []
                    reply = _run_cell(conn, pid, cell.source, execution_timeout)
                    cell.execution_count = reply["execution_count"]
                    cell.outputs = [nbformat.from_dict(o) for o in reply["outputs"]]
                    if reply["error"]:
                        nb_man.cell_exception(cell, cell_index=index)
                        break
                finally:
                    nb_man.cell_complete(cell, cell_index=index)
            failed = False
        finally:
            mark_moment("shutdown")
            _end(conn, pid, kill=failed)


def register() -> None:
    """Make :data:`ENGINE` known to papermill (idempotent)."""
    papermill_engines.register(ENGINE, ShellEngine)
