"""The one papermill call: execute a report notebook in memory, then write it atomically.

:func:`execute` runs a notebook with papermill's API and returns the executed notebook (also
when a cell raised: it then holds the traceback) with what the kernel's time went to. Nothing
is written while it runs: papermill writes its output to memory (a ``planmon-memory://`` I/O
handler), and :func:`write_notebook` writes the result in one atomic, checked step, so a
killed or failed run never leaves a half-written ``.ipynb`` beside the reports.

Every path that executes a notebook comes here: ``planmon build`` (each worker) and
:func:`run_notebook`.
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from planmon.content.parameters import resolve_notebook, validate_parameters
from planmon.execution.kernel import KERNEL_MARKS, ZYGOTE_KERNEL, kernel_manager_class
from planmon.io.atomic import atomic_write_text

if TYPE_CHECKING:
    from planmon.plan.model import Plan

__all__ = ["Execution", "execute", "write_notebook", "first_line", "run_notebook"]

_SCHEME = "planmon-memory://"
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Execution:
    """What one papermill run gave.

    Attributes
    ----------
    notebook : nbformat.NotebookNode or None
        The executed notebook; None when the kernel could not start, died or timed out.
    error : str
        "" on success, else the first line of the error (``Name: message (cell N)``).
    exception : BaseException or None
        The error itself (papermill's ``PapermillExecutionError`` when a cell raised).
    kernel_start_s, execute_s, shutdown_s : float
        Wall time (s) to get a ready kernel (with papermill's set-up), to run the cells, and
        to stop the kernel.
    """

    notebook: Any
    error: str = ""
    exception: BaseException | None = None
    kernel_start_s: float = 0.0
    execute_s: float = 0.0
    shutdown_s: float = 0.0

    def timings(self) -> dict[str, float]:
        """``kernel_start_s``, ``execute_s`` and ``shutdown_s`` by name."""
        return {
            "kernel_start_s": self.kernel_start_s,
            "execute_s": self.execute_s,
            "shutdown_s": self.shutdown_s,
        }


class _MemoryHandler:
    """A papermill I/O handler that keeps written notebooks in this process's memory."""

    def __init__(self) -> None:
        self.written: dict[str, str] = {}
        self._lock = threading.Lock()

    def read(self, path: str) -> str:
        with self._lock:
            return self.written[path]

    def listdir(self, path: str) -> list[str]:
        return []

    def write(self, buf: str, path: str) -> None:
        with self._lock:
            self.written[path] = buf

    def pretty_path(self, path: str) -> str:
        return path

    def pop(self, path: str) -> str | None:
        with self._lock:
            return self.written.pop(path, None)


_memory: _MemoryHandler | None = None


def _memory_handler() -> _MemoryHandler:
    global _memory
    if _memory is None:
        from papermill.iorw import papermill_io

        _memory = _MemoryHandler()
        papermill_io.register(_SCHEME, _memory)
    return _memory


def first_line(value: object) -> str:
    """The first line of an error or message as plain text (no colours), at most 300 chars."""
    text = str(value).strip()
    if not text:
        text = type(value).__name__ if isinstance(value, BaseException) else "unknown error"
    # papermill and IPython colour their tracebacks; a summary line should be plain text.
    return _ANSI.sub("", text).splitlines()[0][:300]


def execute(
    notebook: str | os.PathLike[str],
    parameters: Mapping[str, Any],
    *,
    kernel_name: str,
    cwd: str | os.PathLike[str] | None = None,
    timeout: float | None = None,
    shell: bool = True,
) -> Execution:
    """Execute ``notebook`` with ``parameters``; never raises for the notebook's own errors.

    Parameters
    ----------
    notebook : path
        The ``.ipynb`` to run (not modified).
    parameters : mapping
        Injected by papermill after the cell tagged ``parameters``. Check them first
        (:func:`planmon.content.parameters.validate_parameters`).
    kernel_name : str
        The kernelspec (e.g. :data:`planmon.execution.kernel.ZYGOTE_KERNEL`).
    cwd : path, optional
        The kernel's working directory (default: this process's).
    timeout : float, optional
        Seconds one cell may run.
    shell : bool
        With the zygote's kernel (:data:`~planmon.execution.kernel.ZYGOTE_KERNEL`), run the
        cells in a forked shell (:mod:`planmon.execution.engine`) instead of a forked kernel;
        without a zygote that forks, the notebook runs on a kernel after all. False: always
        a kernel.

    Returns
    -------
    Execution
        The executed notebook (None if the kernel failed), the error line and the timings.
        KeyboardInterrupt and SystemExit propagate.
    """
    from papermill.exceptions import PapermillExecutionError

    from planmon.execution.engine import ShellUnavailable

    shell = shell and kernel_name == ZYGOTE_KERNEL
    memory = _memory_handler()
    output = f"{_SCHEME}{uuid.uuid4().hex}.ipynb"
    marks: dict[str, float] = {}
    token = KERNEL_MARKS.set(marks)
    result = Execution(notebook=None)
    called = time.perf_counter()
    try:
        try:
            result.notebook = _papermill(
                notebook, output, parameters, kernel_name, cwd, timeout, shell
            )
        except ShellUnavailable:  # no zygote to fork a shell: the same notebook on a kernel
            marks.clear()
            result.notebook = _papermill(
                notebook, output, parameters, kernel_name, cwd, timeout, False
            )
    except PapermillExecutionError as exc:  # a cell raised: papermill wrote the traceback
        result.exception = exc
        result.error = f"{exc.ename}: {first_line(exc.evalue)} (cell {exc.exec_count})"
        text = memory.read(output) if output in memory.written else None
        result.notebook = _reads(text) if text is not None else None
    except Exception as exc:  # the kernel died, timed out or could not start
        result.exception = exc
        result.error = f"{type(exc).__name__}: {first_line(exc)}"
    finally:
        KERNEL_MARKS.reset(token)
        memory.pop(output)
    returned = time.perf_counter()
    _split_time(result, marks, called, returned)
    if result.notebook is not None:
        _stable_cell_ids(result.notebook)
    return result


def _papermill(
    notebook: str | os.PathLike[str],
    output: str,
    parameters: Mapping[str, Any],
    kernel_name: str,
    cwd: str | os.PathLike[str] | None,
    timeout: float | None,
    shell: bool,
) -> Any:
    """One ``papermill.execute_notebook`` call: on a forked shell or on a kernel."""
    import papermill

    common: dict[str, Any] = {
        "parameters": dict(parameters),
        "kernel_name": kernel_name,
        "cwd": None if cwd is None else str(cwd),
        "progress_bar": False,
        "log_output": False,
        # Keep the notebook in memory until the end, not after every cell.
        "request_save_on_cell_execute": False,
        "autosave_cell_every": 0,
        "execution_timeout": timeout,
    }
    if shell:
        from planmon.execution.engine import ENGINE, register

        register()
        return papermill.execute_notebook(str(notebook), output, engine_name=ENGINE, **common)
    # nbclient options: kill the finished kernel instead of waiting for it to exit, and skip
    # the fixed 0.2 s idle wait after it starts (planmon.execution.kernel).
    return papermill.execute_notebook(
        str(notebook),
        output,
        shutdown_kernel="immediate",
        kernel_manager_class=kernel_manager_class(),
        **common,
    )


def _reads(text: str) -> Any:
    import nbformat

    return nbformat.reads(text, as_version=4)


def _split_time(result: Execution, marks: dict[str, float], called: float, returned: float) -> None:
    """Kernel start, cells, shutdown, from the moments the kernel manager marked."""
    ready, shutdown = marks.get("ready"), marks.get("shutdown")
    if ready is None or shutdown is None or not called <= ready <= shutdown <= returned:
        result.execute_s = returned - called
        return
    result.kernel_start_s = ready - called
    result.execute_s = shutdown - ready
    result.shutdown_s = returned - shutdown


def _stable_cell_ids(nb: Any) -> None:
    """Give papermill's injected-parameters cell a fixed id (papermill draws a random one)."""
    for cell in nb.cells:
        if "injected-parameters" in cell.get("metadata", {}).get("tags", []):
            cell["id"] = "injected-parameters"


def _check_notebook(path: Path) -> None:
    """Raise ``ValueError`` unless ``path`` holds a whole, valid nbformat-4 notebook."""
    import nbformat

    try:
        data = json.loads(path.read_bytes())
        nbformat.validate(nbformat.from_dict(data))
    except (ValueError, nbformat.ValidationError) as exc:
        raise ValueError(f"not a valid notebook: {first_line(exc)}") from exc


def write_notebook(nb: Any, target: str | os.PathLike[str]) -> Path:
    """Write an executed notebook to ``target`` atomically, checked to be valid before it lands.

    Raises
    ------
    OutputError
        The notebook could not be written (disk full, read-only, permission), or the file
        written was not a valid notebook; ``target`` is then left as it was.
    """
    import nbformat

    target = Path(target)
    papermill_meta = nb.get("metadata", {}).get("papermill")
    if isinstance(papermill_meta, dict):
        papermill_meta["output_path"] = str(target)  # not the in-memory name it ran under
    atomic_write_text(target, nbformat.writes(nb), verify=_check_notebook)
    return target


def run_notebook(
    notebook: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    params: Mapping[str, Any],
    *,
    plan: Plan | None = None,
    cwd: str | os.PathLike[str] | None = None,
    kernel_name: str = "python3",
) -> Any:
    """Validate ``params`` (:func:`planmon.content.parameters.validate_parameters`), then execute the notebook with papermill.

    Parameters
    ----------
    notebook : path or str
        The ``.ipynb`` file, or a name from :data:`NOTEBOOK_NAMES`.
    output_path : path
        Where papermill writes the executed notebook.
    params : mapping
        The notebook's parameters (unknown names and wrong types are refused before any
        kernel starts).
    plan : Plan, optional
        The plan, to skip loading it again for the value checks.
    cwd : path, optional
        Working directory of the kernel.
    kernel_name : str
        Jupyter kernel (the project venv's ``python3`` by default).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook, also written (atomically) to ``output_path``.

    Raises
    ------
    ParameterError
        Bad parameters; nothing is executed and ``output_path`` is not written.
    papermill.PapermillExecutionError
        A cell raised (the output notebook holds the traceback).
    """
    path = resolve_notebook(notebook)
    validate_parameters(path, params, plan=plan)
    run = execute(path, params, kernel_name=kernel_name, cwd=cwd)
    if run.notebook is not None:
        write_notebook(run.notebook, output_path)
    if run.exception is not None:
        raise run.exception
    return run.notebook
