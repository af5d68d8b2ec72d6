"""planmon.execution.engine: cells run in a shell forked from the zygote, as a kernel runs them."""

from __future__ import annotations

import ast
import base64
import socket
import time
from pathlib import Path

import nbformat
import pytest

from planmon.execution.kernel import ZYGOTE_KERNEL, Zygote, zygote_socket, zygote_supported
from planmon.execution.papermill import execute

STATE = Path(__file__).parents[1] / "data" / "notebooks" / "state.ipynb"

pytestmark = pytest.mark.skipif(not zygote_supported(), reason="forked shells need Linux")


def _notebook(tmp_path: Path, *sources: str, name: str = "nb.ipynb") -> Path:
    cells = [nbformat.v4.new_code_cell("x: int = 0", metadata={"tags": ["parameters"]})]
    cells += [nbformat.v4.new_code_cell(source) for source in sources]
    cells.insert(1, nbformat.v4.new_markdown_cell("# a heading"))
    path = tmp_path / name
    metadata = {
        "kernelspec": {"name": "python3", "language": "python", "display_name": "Python 3"},
        "language_info": {"name": "python"},
    }
    nbformat.write(nbformat.v4.new_notebook(cells=cells, metadata=metadata), path)
    return path


RICH = (
    "print('out', x)\nimport sys\nprint('err', file=sys.stderr)\nprint('more')",
    "from IPython.display import HTML, display\ndisplay(HTML('<b>گزارش</b>'))\n"
    "display({'image/png': b'\\x89PNG-bytes'}, raw=True, metadata={'image/png': {'alt': 'a'}})",
    "x * 21",
    "class Rich:\n    def _repr_html_(self):\n        return '<i>rich</i>'\n    def __repr__(self):\n        return 'Rich()'\nRich()",
    "get_ipython().run_line_magic('matplotlib', 'inline')\n"
    "get_ipython().run_line_magic('config', \"InlineBackend.figure_formats = ['png']\")\n"
    "from matplotlib.figure import Figure\nfig = Figure(); fig.add_subplot().plot([1, 2]); fig",
    "y = 5  # no output",
)


def _outputs(nb) -> list[list[dict]]:
    return [[dict(o) for o in cell.outputs] for cell in nb.cells if cell.cell_type == "code"]


def test_shell_outputs_are_the_kernels_outputs(zygote_kernels, tmp_path):
    path = _notebook(tmp_path, *RICH)
    shell = execute(path, {"x": 2}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path)
    kernel = execute(path, {"x": 2}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path, shell=False)
    assert shell.error == kernel.error == ""
    assert _outputs(shell.notebook) == _outputs(kernel.notebook)
    counts = [c.execution_count for c in shell.notebook.cells if c.cell_type == "code"]
    assert counts == [c.execution_count for c in kernel.notebook.cells if c.cell_type == "code"]
    # and they are what the cells did: merged streams, the image base64, the result
    first = _outputs(shell.notebook)[2]  # after the parameters and the injected cell
    assert first[0] == {"output_type": "stream", "name": "stdout", "text": "out 2\nmore\n"}
    assert {"output_type": "stream", "name": "stderr", "text": "err\n"} in first
    images = [o for o in _outputs(shell.notebook)[3] if "image/png" in o.get("data", {})]
    assert images[0]["data"]["image/png"] == base64.b64encode(b"\x89PNG-bytes").decode("ascii")
    result = _outputs(shell.notebook)[4][0]
    assert result["output_type"] == "execute_result" and result["data"]["text/plain"] == "42"
    assert "image/png" in _outputs(shell.notebook)[6][0]["data"]  # a Figure as the value


def test_shell_state_matches_a_kernel_and_every_notebook_is_fresh(
    zygote_kernels, tmp_path, monkeypatch
):
    monkeypatch.setenv("PLANMON_TEST_MARK", "set-after-zygote-start")

    def state(shell: bool) -> dict:
        run = execute(STATE, {"year": 1398}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path, shell=shell)
        text = "".join(o.get("text", "") for c in run.notebook.cells for o in c.get("outputs", []))
        return ast.literal_eval(text.strip())

    first, second, kernel = state(True), state(True), state(False)
    assert first["pid"] != second["pid"] and first["random"] != second["random"]
    same = ("backend", "rc_font", "pandas_max_rows", "cwd", "marker_env", "sys_path0")
    assert {k: first[k] for k in same} == {k: kernel[k] for k in same}
    assert first["cwd"] == str(tmp_path) and first["marker_env"] == "set-after-zygote-start"


def test_a_failing_cell_stops_the_notebook_like_a_kernel(zygote_kernels, tmp_path):
    path = _notebook(tmp_path, "a = 1", "1 / 0", "print('never')")
    shell = execute(path, {}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path)
    kernel = execute(path, {}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path, shell=False)
    assert shell.error == kernel.error
    assert shell.error.startswith("ZeroDivisionError: division by zero (cell ")
    code = [c for c in shell.notebook.cells if c.cell_type == "code"]
    assert code[-1].execution_count is None and code[-1].outputs == []
    error = code[-2].outputs[-1]
    assert error.output_type == "error" and error.ename == "ZeroDivisionError"
    assert shell.notebook.metadata.papermill.exception is True


def test_a_cell_over_the_timeout_ends_its_process(zygote_kernels, tmp_path):
    pid_file = tmp_path / "pid"
    path = _notebook(
        tmp_path,
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(60)",
    )
    started = time.monotonic()
    run = execute(path, {}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path, timeout=1.5)
    assert time.monotonic() - started < 30
    assert run.notebook is None and "longer than 1.5 s" in run.error
    pid = int(pid_file.read_text())
    for _ in range(50):  # killed at once; the zygote reaps it within its 1 s poll
        if not Path(f"/proc/{pid}").exists():
            break
        time.sleep(0.1)
    assert not Path(f"/proc/{pid}").exists()


def test_without_a_zygote_the_notebook_runs_on_a_kernel(tmp_path, monkeypatch):
    with Zygote(tmp_path / "z") as zygote:
        jupyter_path = zygote.jupyter_path
    # the kernelspec is still there but nobody listens on its socket
    monkeypatch.setenv("JUPYTER_PATH", str(jupyter_path))
    path = zygote_socket(ZYGOTE_KERNEL)
    assert path is not None
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with pytest.raises(OSError):  # gone, or (a zygote killed while importing) not listening
        probe.connect(path)
    probe.close()
    run = execute(_notebook(tmp_path, "print(x + 1)"), {"x": 1}, kernel_name=ZYGOTE_KERNEL)
    assert run.error == ""
    assert run.notebook.cells[-1].outputs[0]["text"] == "2\n"


def test_a_notebook_process_that_dies_is_a_located_failure(zygote_kernels, tmp_path):
    path = _notebook(tmp_path, "print('before')", "import os\nos._exit(3)", "print('after')")
    run = execute(path, {}, kernel_name=ZYGOTE_KERNEL, cwd=tmp_path)
    assert run.notebook is None
    assert run.error == "ShellError: the notebook's process died during a cell"
