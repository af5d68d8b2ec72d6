"""planmon.execution.kernel: kernels forked from the zygote are fresh, independent and die cleanly."""

from __future__ import annotations

import ast
import asyncio
import json
import os
import signal
import time
from pathlib import Path

import papermill
import pytest

from planmon.execution.kernel import (
    PLAIN_KERNEL,
    ZYGOTE_KERNEL,
    Zygote,
    kernel_manager_class,
    write_kernelspecs,
    zygote_supported,
)

STATE = Path(__file__).parents[1] / "data" / "notebooks" / "state.ipynb"

pytestmark = pytest.mark.skipif(not zygote_supported(), reason="forked kernels need Linux")


def _state(kernel: str, cwd: Path) -> dict:
    nb = papermill.execute_notebook(
        str(STATE),
        None,
        parameters={"year": 1398},
        kernel_name=kernel,
        cwd=str(cwd),
        progress_bar=False,
        request_save_on_cell_execute=False,
        kernel_manager_class=kernel_manager_class(),
        shutdown_kernel="immediate",
    )
    text = "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))
    return ast.literal_eval(text.strip())


def test_forked_kernels_are_fresh_and_look_like_stock_kernels(
    zygote_kernels, tmp_path, monkeypatch
):
    # Set after the zygote started: a kernel must see its launcher's environment, not the
    # zygote's, and the working directory papermill asked for.
    monkeypatch.setenv("PLANMON_TEST_MARK", "set-after-zygote-start")
    first = _state(ZYGOTE_KERNEL, tmp_path)
    second = _state(ZYGOTE_KERNEL, tmp_path)
    stock = _state(PLAIN_KERNEL, tmp_path)

    assert first["pid"] != second["pid"]
    assert first["random"] != second["random"]  # numpy reseeded after each fork
    for state in (first, second):
        assert state["marker_env"] == "set-after-zygote-start"
        assert state["cwd"] == str(tmp_path)
    same = ("backend", "rc_font", "pandas_max_rows", "cwd", "marker_env", "sys_path0")
    assert {k: first[k] for k in same} == {k: stock[k] for k in same}
    assert first["backend"] == "module://matplotlib_inline.backend_inline"


def test_the_zygote_runs_no_threads(zygote_kernels):
    _state(ZYGOTE_KERNEL, Path.cwd())  # returns once the zygote's imports are done
    pid = zygote_kernels._process.pid
    threads = os.listdir(f"/proc/{pid}/task")
    assert threads == [str(pid)]


def _run(coro):
    return asyncio.run(coro)


async def _start():
    manager = kernel_manager_class()(kernel_name=ZYGOTE_KERNEL)
    await manager.start_kernel()
    client = manager.client()
    client.start_channels()
    await client.wait_for_ready(timeout=30)
    return manager, client


async def _execute(client, code: str, timeout: float = 20) -> tuple[dict, list[dict]]:
    msg_id = client.execute(code)
    outputs = []
    deadline = time.monotonic() + timeout
    while True:
        msg = await client.get_iopub_msg(timeout=max(0.1, deadline - time.monotonic()))
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        if msg["msg_type"] in ("stream", "execute_result", "error"):
            outputs.append(msg)
        if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
            reply = await client.get_shell_msg(timeout=5)
            return reply, outputs


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie is dead for our purposes
    with open(f"/proc/{pid}/stat") as handle:
        return handle.read().split(")")[-1].split()[0] != "Z"


def _wait_gone(pid: int, timeout: float = 5.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return False


def test_interrupt_reaches_the_kernel_and_it_dies_with_its_launcher(zygote_kernels):
    async def scenario():
        manager, client = await _start()
        try:
            _, outputs = await _execute(client, "import os; print(os.getpid())")
            kernel_pid = int(outputs[0]["content"]["text"])
            launcher_pid = manager.provisioner.process.pid
            assert kernel_pid != launcher_pid  # the kernel is the zygote's child

            # SIGINT goes to the launcher's process group; the launcher forwards it.
            msg_id = client.execute("import time; time.sleep(30)")
            await asyncio.sleep(0.5)
            started = time.monotonic()
            await manager.interrupt_kernel()
            while True:
                msg = await client.get_iopub_msg(timeout=10)
                if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == "error":
                    assert msg["content"]["ename"] == "KeyboardInterrupt"
                    break
            assert time.monotonic() - started < 5

            # Killing the launcher outright (SIGKILL cannot be forwarded) takes the kernel down.
            os.kill(launcher_pid, signal.SIGKILL)
            assert _wait_gone(kernel_pid)
        finally:
            client.stop_channels()
            await manager.shutdown_kernel(now=True)

    _run(scenario())


def test_stopping_the_zygote_stops_its_kernels(tmp_path, monkeypatch):
    with Zygote(tmp_path / "z") as zygote:
        monkeypatch.setenv("JUPYTER_PATH", str(zygote.jupyter_path))

        async def start_one():
            manager, client = await _start()
            _, outputs = await _execute(client, "import os; print(os.getpid())")
            client.stop_channels()
            return manager, int(outputs[0]["content"]["text"])

        manager, kernel_pid = _run(start_one())
        assert _alive(kernel_pid)
    assert not zygote.alive()
    assert _wait_gone(kernel_pid)
    _run(manager.shutdown_kernel(now=True))


def test_kernelspecs_are_written_for_jupyter_path(tmp_path):
    root = write_kernelspecs(tmp_path, tmp_path / "z.sock")
    plain = json.loads((root / "kernels" / PLAIN_KERNEL / "kernel.json").read_text())
    forked = json.loads((root / "kernels" / ZYGOTE_KERNEL / "kernel.json").read_text())
    assert plain["argv"][1:3] == ["-m", "ipykernel_launcher"]
    assert forked["argv"][1:3] == ["-I", "-S"] and str(tmp_path / "z.sock") in forked["argv"]
    assert "{connection_file}" in forked["argv"] and forked["language"] == "python"


def test_a_launcher_without_its_zygote_falls_back_to_a_stock_kernel(tmp_path, monkeypatch):
    root = write_kernelspecs(tmp_path, tmp_path / "no-zygote-here.sock")
    monkeypatch.setenv("JUPYTER_PATH", str(root))
    state = _state(ZYGOTE_KERNEL, tmp_path)
    assert state["cwd"] == str(tmp_path) and state["argv0"] == "ipykernel_launcher.py"


def test_a_zygote_whose_imports_start_a_thread_refuses_to_fork(tmp_path, monkeypatch):
    modules = tmp_path / "mods"
    modules.mkdir()
    (modules / "starts_a_thread.py").write_text(
        "import threading, time\n"
        "threading.Thread(target=time.sleep, args=(60,), daemon=True).start()\n"
    )
    monkeypatch.setenv("PYTHONPATH", str(modules))
    with Zygote(tmp_path / "z", preload=["starts_a_thread"]) as zygote:
        monkeypatch.setenv("JUPYTER_PATH", str(zygote.jupyter_path))
        state = _state(ZYGOTE_KERNEL, tmp_path)  # still runs: on a stock kernel
        assert state["argv0"] == "ipykernel_launcher.py"
        assert "threads after preloading; not forking" in zygote.log_path.read_text()
