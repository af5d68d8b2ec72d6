"""A notebook's cells run in a forked, pre-imported process, without a kernel in between.

A forked kernel (:mod:`planmon.execution.kernel`) still costs each report a kernel
application's start (ZeroMQ sockets, heartbeat, kernel info), a launcher process, and
a signed JSON message per output, decoded again by nbclient. For the build's own notebooks none
of that buys anything: the build runs them, nobody attaches to the kernel. Here the zygote
forks a child that runs the cells in an IPython shell and sends back each cell's outputs in the
notebook format; :mod:`planmon.execution.engine`, a papermill engine, writes them into the
notebook. The notebook is still parameterised, executed and recorded by papermill.

The shell behaves like a kernel's for what a notebook sees: ``get_ipython()``, magics,
``display()`` and rich reprs (``_ipython_display_``, ``_repr_html_``), the value of a cell's
last expression as its result, ``print`` and warnings as streams, errors as IPython
tracebacks. Outputs are JSON-ready dicts (``bytes`` payloads base64-encoded, as
``jupyter_client`` encodes them).

Frames on the socket: a 4-byte big-endian length, then UTF-8 JSON. The child sends
``{"pid": …}`` once, then answers every ``{"code": …}`` with
``{"outputs": […], "execution_count": n, "error": bool}``; it exits when the socket closes.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import sys
from typing import Any

__all__ = ["prepare", "discard", "serve_cells", "send_frame", "receive_frame"]

_LENGTH = struct.Struct("!I")


def send_frame(conn: socket.socket, message: dict[str, Any]) -> None:
    """Send one JSON message, length first."""
    data = json.dumps(message, ensure_ascii=False).encode("utf-8")
    conn.sendall(_LENGTH.pack(len(data)) + data)


def _receive_exactly(conn: socket.socket, size: int) -> bytes | None:
    chunks, remaining = [], size
    while remaining:
        chunk = conn.recv(min(remaining, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def receive_frame(conn: socket.socket) -> dict[str, Any] | None:
    """The next JSON message, or None when the other end closed the socket."""
    header = _receive_exactly(conn, _LENGTH.size)
    if header is None:
        return None
    (size,) = _LENGTH.unpack(header)
    body = _receive_exactly(conn, size)
    if body is None:
        return None
    return json.loads(body)


def _jsonable(bundle: dict[str, Any] | None) -> dict[str, Any]:
    """A mime bundle or its metadata as JSON: bytes in base64, as jupyter_client sends them."""
    out: dict[str, Any] = {}
    for key, value in (bundle or {}).items():
        if isinstance(value, (bytes, bytearray, memoryview)):
            out[key] = base64.b64encode(bytes(value)).decode("ascii")
        elif isinstance(value, dict):
            out[key] = _jsonable(value)
        else:
            out[key] = value
    return out


class _Sink:
    """The outputs of the cell being run, in order.

    Stream text is held back as a kernel's streams are: it reaches the outputs when anything
    else is displayed and when the cell ends, stdout first, and a stream's text joins the
    output before it when that is the same stream.
    """

    def __init__(self) -> None:
        self.outputs: list[dict[str, Any]] = []
        self._pending = {"stdout": "", "stderr": ""}

    def stream(self, name: str, text: str) -> None:
        self._pending[name] += text

    def flush(self) -> None:
        for name in ("stdout", "stderr"):
            text, self._pending[name] = self._pending[name], ""
            if not text:
                continue
            last = self.outputs[-1] if self.outputs else None
            if last is not None and last["output_type"] == "stream" and last["name"] == name:
                last["text"] += text
            else:
                self.outputs.append({"output_type": "stream", "name": name, "text": text})

    def add(self, output: dict[str, Any]) -> None:
        self.flush()
        self.outputs.append(output)


class _Stream:
    """``sys.stdout`` / ``sys.stderr`` of the child: text goes to the cell's outputs."""

    encoding = "utf-8"
    errors = "replace"

    def __init__(self, name: str):
        self.name = name

    def write(self, text: str) -> int:
        if text:
            _cell.stream(self.name, str(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:  # C-level writes (and faulthandler) reach the build's log
        return 1 if self.name == "stdout" else 2

    @property
    def closed(self) -> bool:
        return False

    def writable(self) -> bool:
        return True

    def readable(self) -> bool:
        return False


def _make_shell() -> Any:
    """An IPython shell whose displays, results and tracebacks go into the cell's outputs."""
    from IPython.core.displayhook import DisplayHook
    from IPython.core.displaypub import DisplayPublisher
    from IPython.core.interactiveshell import InteractiveShell
    from traitlets import Type
    from traitlets.config import Config

    class Publisher(DisplayPublisher):
        def publish(self, data, metadata=None, source=None, *, transient=None, update=False, **_):
            _cell.add(
                {
                    "output_type": "display_data",
                    "data": _jsonable(data),
                    "metadata": _jsonable(metadata),
                }
            )

        def clear_output(self, wait: bool = False) -> None:
            _cell.outputs.clear()

    class Hook(DisplayHook):
        def start_displayhook(self) -> None:
            pass

        def write_output_prompt(self) -> None:
            pass

        def write_format_data(self, format_dict, md_dict=None) -> None:
            _cell.add(
                {
                    "output_type": "execute_result",
                    "execution_count": self.prompt_count,
                    "data": _jsonable(format_dict),
                    "metadata": _jsonable(md_dict),
                }
            )

        def finish_displayhook(self) -> None:
            pass

    class Shell(InteractiveShell):
        display_pub_class = Type(Publisher)
        displayhook_class = Type(Hook)

        def enable_gui(self, gui: str | None = None) -> None:
            if gui not in (None, "inline"):  # no event loop here: only inline figures
                raise RuntimeError(f"no GUI event loop in a build's notebook (asked for {gui!r})")

        def _showtraceback(self, etype, evalue, stb) -> None:
            _cell.add(
                {
                    "output_type": "error",
                    "ename": getattr(etype, "__name__", str(etype)),
                    "evalue": str(evalue),
                    "traceback": list(stb),
                }
            )

    config = Config()
    config.HistoryManager.enabled = False  # no SQLite file and no saving thread
    config.InteractiveShell.colors = "nocolor"
    config.InteractiveShell.autocall = 0
    shell = Shell.instance(config=config)
    return shell


#: The outputs of the cell being run (a process runs one cell at a time).
_cell = _Sink()
_shell: Any = None


def prepare() -> None:
    """Create the shell now (the zygote calls it before forking, so each child has it ready).

    It starts no thread and runs no code; a forked kernel discards it
    (:func:`discard`) before it creates its own.
    """
    global _shell
    if _shell is None:
        _shell = _make_shell()


def discard() -> None:
    """Forget the prepared shell, so that a kernel can create IPython's one shell itself."""
    global _shell
    if _shell is not None:
        from IPython.core.interactiveshell import InteractiveShell

        InteractiveShell.clear_instance()
        _shell = None


def serve_cells(conn: socket.socket) -> None:
    """Run the cells sent on ``conn`` until it closes (in a child forked by the zygote)."""
    global _cell
    sys.stdout = _Stream("stdout")  # type: ignore[assignment]
    sys.stderr = _Stream("stderr")  # type: ignore[assignment]
    prepare()
    shell = _shell
    send_frame(conn, {"pid": os.getpid()})
    while True:
        request = receive_frame(conn)
        if request is None:
            return
        _cell = _Sink()
        result = shell.run_cell(request["code"], store_history=True)
        _cell.flush()
        error = not result.success
        send_frame(
            conn,
            {
                "outputs": _cell.outputs,
                "execution_count": result.execution_count,
                "error": error,
            },
        )
