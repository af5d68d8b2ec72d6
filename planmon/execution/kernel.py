"""Fresh Jupyter kernels forked from a pre-imported parent (a "zygote"), for fast report builds.

Starting a stock IPython kernel and importing numpy, pandas, matplotlib, seaborn and planmon in
it costs 1.5–2 s per notebook. The zygote is a process that imports all of that once and then,
for each kernel a notebook client asks for, forks a child that becomes an ordinary, brand-new
``IPKernelApp``. No kernel is ever reused: every notebook gets its own process, with its own
interpreter state, environment and working directory, so results cannot depend on which
notebooks ran before (measured: 4.2× faster than the naive papermill + nbconvert loop, against
2.6× for a plain process pool; see ``/work/shared/FACTS.md``).

How a kernel starts::

    jupyter_client ──Popen──▶ launcher (python -I -S kernel.py launch SOCKET -f conn.json)
                                 │  connects to the zygote's Unix socket and sends its argv,
                                 │  environment, working directory and stdin/stdout/stderr
                                 ▼
    zygote (python -P kernel.py serve SOCKET) ──fork──▶ child: setsid, take over fds, env, cwd,
                                                        reseed numpy, run IPKernelApp

The risks of forking (measured in FACTS.md) and how they are handled:

* **Shared random state** — Python reseeds :mod:`random` after a fork; the child reseeds
  numpy's global generator from OS entropy.
* **Threads in the zygote** — the zygote never starts a thread or a zmq context, and turns off
  the ones libraries start on import (OpenBLAS/OpenMP pools: one thread; pyarrow's jemalloc
  background thread: off). BLAS therefore stays single-threaded in the kernels, which is what a
  build running one kernel per core wants anyway. If an import starts a thread regardless, the
  zygote refuses to fork and leaves.
* **Signals** — jupyter_client signals the launcher's process group; the launcher forwards
  SIGINT/SIGTERM/SIGHUP/SIGQUIT/SIGUSR1/SIGUSR2 over the socket and the child delivers them to
  its own process group (the kernel and anything it started), as for a stock kernel.
* **Orphans** — the child dies with its launcher (the socket's end of file kills the child's
  process group), the launcher dies with its parent, and the zygote kills every live child
  when the build that started it closes its stdin.
* **Stale code** — the build starts a new zygote per run and stops it at the end.
* **Portability** — needs ``os.fork`` and file-descriptor passing: Linux only
  (:func:`zygote_supported`); elsewhere the build uses the stock kernel. A launcher that
  finds no zygote, or one that will not fork (it checks that its imports started no thread),
  turns itself into a stock kernel (``exec``), so a notebook never fails for want of it.

This module's top level imports only the standard library: the launcher runs it as a script
with ``python -I -S`` so that starting one costs ~20 ms, not a pandas import.
"""

from __future__ import annotations

import contextvars
import gc
import json
import os
import selectors
import signal
import socket
import struct
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "ZYGOTE_KERNEL",
    "ENGINE",
    "PLAIN_KERNEL",
    "DEFAULT_PRELOAD",
    "KERNEL_PRELOAD",
    "zygote_supported",
    "zygote_socket",
    "write_kernelspecs",
    "Zygote",
    "KERNEL_MARKS",
    "mark_moment",
    "ask_zygote",
    "kernel_manager_class",
    "set_ipc_dir",
    "ensure_plain_kernelspec",
    "put_first_on_jupyter_path",
]

#: Kernelspec name of the forked kernel (valid while a :class:`Zygote` runs).
ZYGOTE_KERNEL = "planmon-zygote"
#: papermill engine name of forked shells (:class:`planmon.execution.engine.ShellEngine`):
#: the zygote's children run the cells without a kernel.
ENGINE = "planmon-shell"
#: Kernelspec name of a stock IPython kernel on this interpreter (the fallback).
PLAIN_KERNEL = "planmon-python"

#: Modules the zygote imports before it forks kernels: the kernel, planmon's report stack and
#: what planmon imports lazily (seaborn, with scipy.stats, for chart styles).
#: A build adds the modules its notebooks import themselves.
DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "scipy.stats",
    "matplotlib",
    "matplotlib.pyplot",
    "seaborn",
    "IPython",
    "sqlite3",
    "pdb",
    "planmon",
    "planmon.content.charts",
    "planmon.content.interpret",
    "planmon.measures.scores",
    "planmon.measures.rollup",
    "planmon.content.report",
    "planmon.execution.shell",
)

#: What a forked *kernel* needs beyond :data:`DEFAULT_PRELOAD`: ipykernel and what it imports
#: while it initialises (debugpy alone is 70 ms; none starts a thread). A zygote that forks
#: shells (:mod:`planmon.execution.engine`) leaves them out: 0.4 s less before the first report.
KERNEL_PRELOAD: tuple[str, ...] = (
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "ipykernel.debugger",
    "IPython.core.completerlib",
    "tornado.platform.asyncio",
)

#: Moments of a kernel's life, marked by :func:`kernel_manager_class`'s manager in the dict the
#: caller sets here (``"ready"``: the kernel answered; ``"shutdown"``: it is being stopped).
KERNEL_MARKS: contextvars.ContextVar[dict[str, float] | None] = contextvars.ContextVar(
    "planmon_kernel_marks", default=None
)

_INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
# Set in the zygote before any import, so libraries start no thread pools there.
_ZYGOTE_ENV = {
    "OPENBLAS_NUM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "JE_ARROW_MALLOC_CONF": "background_thread:false",
}
_FORWARDED = ("SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2")
_HEADER = struct.Struct("!I")
_READY = b"planmon-zygote-listening\n"
_ATTACHED = b"\x06"


def zygote_supported() -> bool:
    """True where forked kernels work: Linux (``os.fork`` and fd passing over Unix sockets)."""
    return (
        sys.platform.startswith("linux")
        and hasattr(os, "fork")
        and hasattr(socket, "AF_UNIX")
        and hasattr(socket, "send_fds")
    )


def write_kernelspecs(root: Path, socket_path: Path | None = None) -> Path:
    """Write planmon's kernelspecs under ``root/kernels`` and return ``root``.

    Put ``root`` first on ``JUPYTER_PATH`` and papermill finds them by name:
    :data:`PLAIN_KERNEL` always (a stock ``ipykernel`` on this very interpreter) and
    :data:`ZYGOTE_KERNEL` when ``socket_path`` (a running zygote's socket) is given.
    """
    specs: dict[str, list[str]] = {
        PLAIN_KERNEL: [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    }
    if socket_path is not None:
        # -I -S: the launcher needs only the standard library, and no script folder on the path.
        specs[ZYGOTE_KERNEL] = [
            *(sys.executable, "-I", "-S", str(Path(__file__).resolve())),
            *("launch", str(socket_path), "-f", "{connection_file}"),
        ]
    for name, argv in specs.items():
        folder = root / "kernels" / name
        folder.mkdir(parents=True, exist_ok=True)
        spec = {
            "argv": argv,
            "display_name": f"Python 3 ({name})",
            "language": "python",
            "interrupt_mode": "signal",
            "metadata": {"debugger": False},
        }
        (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return root


def zygote_socket(kernel_name: str) -> str | None:
    """The socket of the zygote behind ``kernel_name`` (from its kernelspec), if it is one."""
    if kernel_name != ZYGOTE_KERNEL:
        return None
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        argv = KernelSpecManager().get_kernel_spec(kernel_name).argv
    except NoSuchKernel:
        return None
    if "launch" not in argv or argv.index("launch") + 1 >= len(argv):
        return None
    return argv[argv.index("launch") + 1]


class Zygote:
    """A running zygote process and the private kernelspecs that reach it.

    Use as a context manager; the zygote (and any kernel it forked that is still alive) is
    stopped on exit::

        with Zygote(workdir) as zygote:
            os.environ["JUPYTER_PATH"] = str(zygote.jupyter_path)
            papermill.execute_notebook(..., kernel_name=zygote.kernel_name)

    Parameters
    ----------
    workdir : path
        A private (0700) folder for the socket, the kernelspecs and the zygote's log.
    preload : sequence of str
        Modules to import before forking (missing ones are skipped).
    """

    kernel_name = ZYGOTE_KERNEL

    def __init__(
        self,
        workdir: str | os.PathLike[str],
        preload: Sequence[str] = DEFAULT_PRELOAD + KERNEL_PRELOAD,
    ):
        self.workdir = Path(workdir)
        self.preload = tuple(dict.fromkeys(preload))
        self.socket_path = self.workdir / "zygote.sock"
        self.log_path = self.workdir / "zygote.log"
        self.jupyter_path = self.workdir / "jupyter"
        self._process: Any = None

    def start(self, timeout: float = 30.0) -> Zygote:
        """Start the zygote and return once its socket accepts connections.

        Imports continue in the background; early kernels simply wait for them.

        Raises
        ------
        RuntimeError
            The platform cannot fork kernels, or the zygote did not start (see its log).
        """
        import subprocess

        if not zygote_supported():
            raise RuntimeError("forked kernels need Linux (os.fork and Unix-socket fd passing)")
        if len(os.fsencode(self.socket_path)) > 100:  # sun_path holds 108 bytes
            raise RuntimeError(f"socket path too long for a Unix socket: {self.socket_path}")
        self.workdir.mkdir(mode=0o700, parents=True, exist_ok=True)
        write_kernelspecs(self.jupyter_path, self.socket_path)
        env = {**os.environ, **_ZYGOTE_ENV}
        # A stock kernel sets this before user code runs (IPKernelApp.init_gui_pylab);
        # matplotlib reads it once, at import, which here happens in the zygote.
        env.setdefault("MPLBACKEND", _INLINE_BACKEND)
        with open(self.log_path, "ab") as log:
            self._process = subprocess.Popen(
                [sys.executable, "-P", str(Path(__file__).resolve()), "serve"]
                + [str(self.socket_path), ",".join(self.preload)],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
                env=env,
                cwd=self.workdir,
                # Its own session: a Ctrl-C in the terminal reaches the build, which then
                # stops the zygote in order, instead of killing it under running kernels.
                start_new_session=True,
            )
        selector = selectors.DefaultSelector()
        selector.register(self._process.stdout, selectors.EVENT_READ)
        ready = selector.select(timeout)
        selector.close()
        line = self._process.stdout.readline() if ready else b""
        if line != _READY:
            self.stop()
            log_tail = self.log_path.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise RuntimeError(f"the kernel zygote did not start: {log_tail.strip()}")
        return self

    def alive(self) -> bool:
        """True while the zygote process runs."""
        return self._process is not None and self._process.poll() is None

    def stop(self, timeout: float = 5.0) -> None:
        """Stop the zygote; it kills the kernels it forked that are still running."""
        process, self._process = self._process, None
        if process is None:
            return
        import subprocess

        for stream in (process.stdin, process.stdout):
            try:
                stream.close()  # end of file on stdin is the zygote's signal to leave
            except OSError:
                pass
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Zygote:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --------------------------------------------------------------------------------------------
# The zygote process
# --------------------------------------------------------------------------------------------


#: Functions of preloaded modules the zygote calls once before forking (fonts loaded and
#: cached for every kernel's charts).
_WARM_UPS: tuple[tuple[str, str], ...] = (
    ("planmon.content.charts.style", "warm_up"),
    ("planmon.execution.shell", "prepare"),  # the forked shells' IPython shell
)


def _warm_up() -> None:
    """Call the warm-ups of the modules that were preloaded (a failure only costs time)."""
    for module_name, function in _WARM_UPS:
        module = sys.modules.get(module_name)
        if module is None:
            continue
        try:
            getattr(module, function)()
        except Exception as exc:  # kernels then load their fonts themselves
            print(f"zygote: warm-up {module_name}.{function} failed: {exc!r}", file=sys.stderr)


def _serve(socket_path: str, preload: Sequence[str]) -> None:
    """Accept kernel requests and fork one child per request until stdin closes."""
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]  # as ipykernel_launcher does; IPKernelApp.init_path adds "" back
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    os.chmod(socket_path, 0o600)  # only this user may ask for a kernel
    listener.listen(128)
    os.write(1, _READY)
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
    for name in preload:
        try:
            __import__(name)
        except Exception as exc:  # an optional module; kernels import what they need
            print(f"zygote: not preloaded {name}: {exc!r}", file=sys.stderr)
    _warm_up()
    sys.stdout.flush()
    sys.stderr.flush()
    threads = _thread_count()
    if threads > 1:
        # Some import started a thread: forking now could hand kernels a lock held by a
        # thread that does not exist in them. Leave; the launchers start stock kernels.
        print(f"zygote: {threads} threads after preloading; not forking", file=sys.stderr)
        listener.close()
        os.unlink(socket_path)
        return
    # Everything imported so far lives as long as the zygote: keep it out of the children's
    # garbage collections, which would otherwise touch (and so copy) every inherited page.
    gc.collect()
    gc.freeze()
    children: set[int] = set()
    selector = selectors.DefaultSelector()
    selector.register(listener, selectors.EVENT_READ)
    selector.register(0, selectors.EVENT_READ)
    try:
        while True:
            events = selector.select(timeout=1.0)
            _reap(children)
            for key, _ in events:
                if key.fileobj == 0:
                    if not os.read(0, 4096):
                        return  # the build closed our stdin: it is done (or dead)
                    continue
                conn, _ = listener.accept()
                pid = os.fork()
                if pid == 0:
                    selector.close()
                    listener.close()
                    _child(conn)  # never returns
                conn.close()
                children.add(pid)
    finally:
        for pid in children:
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        _reap(children)
        listener.close()
        try:
            os.unlink(socket_path)
        except OSError:
            pass


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


def _reap(children: set[int]) -> None:
    for pid in list(children):
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = pid
        if done:
            children.discard(pid)


def _child(conn: socket.socket) -> None:
    """Become the kernel the launcher on ``conn`` asked for; exit the process at the end."""
    code: Any = 1
    try:
        os.setsid()  # its own process group, so a signal reaches the kernel and its children
        for name in ("SIGCHLD", "SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT", "SIGUSR1", "SIGUSR2"):
            signal.signal(getattr(signal, name), signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        request = _receive_request(conn)
        _take_over(request)
        conn.sendall(_ATTACHED)
        if request.get("mode") == "shell":  # cells without a kernel: planmon.execution.engine
            from planmon.execution.shell import serve_cells

            serve_cells(conn)
        else:
            _watch_launcher(conn)
            from ipykernel.kernelapp import IPKernelApp

            if "planmon.execution.shell" in sys.modules:
                sys.modules["planmon.execution.shell"].discard()  # the kernel makes its own

            IPKernelApp.launch_instance(argv=request["argv"])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:
                pass
        os._exit(code)


def _receive_request(conn: socket.socket) -> dict[str, Any]:
    header, fds, _, _ = socket.recv_fds(conn, _HEADER.size, 3)
    if len(header) != _HEADER.size or len(fds) != 3:
        raise RuntimeError("malformed kernel request")
    (size,) = _HEADER.unpack(header)
    payload = bytearray()
    while len(payload) < size:
        chunk = conn.recv(size - len(payload))
        if not chunk:
            raise RuntimeError("kernel request cut short")
        payload += chunk
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    return json.loads(payload)


def _take_over(request: dict[str, Any]) -> None:
    """Make the forked process look like a kernel the launcher itself had started."""
    os.environ.clear()
    os.environ.update(request["env"])
    os.chdir(request["cwd"])
    sys.argv = ["ipykernel_launcher", *request["argv"]]
    parent = os.environ.get("JPY_PARENT_PID", "")
    if parent.isdigit():
        # IPKernelApp read JPY_PARENT_PID when the zygote imported it; give it the real one.
        request["argv"] = [*request["argv"], f"--IPKernelApp.parent_handle={parent}"]
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None  # recomputed from this kernel's TMPDIR
    if "numpy" in sys.modules:
        # Every child would otherwise draw the same "random" numbers as its siblings.
        sys.modules["numpy"].random.seed()
    if "matplotlib" in sys.modules:
        backend = os.environ.get("MPLBACKEND") or _INLINE_BACKEND
        sys.modules["matplotlib"].rcParams["backend"] = backend


def _watch_launcher(conn: socket.socket) -> None:
    """Deliver forwarded signals; kill the kernel's process group when the launcher goes."""
    import threading

    def watch() -> None:
        while True:
            try:
                data = conn.recv(64)
            except OSError:
                data = b""
            if not data:
                os.killpg(0, signal.SIGKILL)
                return
            for signum in data:
                try:
                    os.killpg(0, signum)
                except OSError:
                    pass

    threading.Thread(target=watch, name="planmon-launcher-watch", daemon=True).start()


# --------------------------------------------------------------------------------------------
# The launcher process (what jupyter_client starts and watches)
# --------------------------------------------------------------------------------------------


def ask_zygote(
    socket_path: str, fds: Sequence[int], argv: Sequence[str] = (), mode: str = "kernel"
) -> socket.socket | None:
    """Ask the zygote at ``socket_path`` for a child: a kernel with ``argv``, or a shell.

    The child takes ``fds`` as its stdin, stdout and stderr, and this process's environment
    and working directory. Returns the connection once a forked child has taken it over;
    None when no zygote answered (never started, stopped, or refused to fork).
    """
    request = {"mode": mode, "argv": list(argv), "env": dict(os.environ), "cwd": os.getcwd()}
    data = json.dumps(request).encode("utf-8")
    conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        conn.connect(socket_path)
        socket.send_fds(conn, [_HEADER.pack(len(data))], list(fds))
        conn.sendall(data)
        if conn.recv(1) == _ATTACHED:
            return conn
    except OSError:
        pass
    conn.close()
    return None


def _launch(socket_path: str, kernel_argv: list[str]) -> int:
    conn = ask_zygote(socket_path, [0, 1, 2], kernel_argv)
    if conn is None:
        # No zygote: become a stock kernel instead, a little slower. Without -I -S this
        # time, so that site-packages are found.
        os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *kernel_argv])

    def forward(signum: int, _frame: object) -> None:
        try:
            conn.send(bytes([signum]))
        except OSError:
            pass

    for name in _FORWARDED:
        signal.signal(getattr(signal, name), forward)
    parent = os.getppid()
    selector = selectors.DefaultSelector()
    selector.register(conn, selectors.EVENT_READ)
    while True:
        if selector.select(timeout=1.0):
            try:
                if not conn.recv(64):
                    return 0  # the kernel exited
            except OSError:
                return 0
        elif os.getppid() != parent:
            forward(signal.SIGKILL, None)  # our client died: take the kernel down with it
            return 1


# --------------------------------------------------------------------------------------------
# A kernel client that does not idle after the kernel is ready
# --------------------------------------------------------------------------------------------

_manager_class: Any = None
_ipc_dir: str | None = None


def mark_moment(moment: str) -> None:
    """Note the first time ``moment`` happens in the caller's :data:`KERNEL_MARKS` dict."""
    marks = KERNEL_MARKS.get()
    if marks is not None:
        marks.setdefault(moment, time.perf_counter())


def set_ipc_dir(folder: str | os.PathLike[str] | None) -> None:
    """Put the kernels' Unix sockets and connection files in ``folder`` (None: the temporary
    folder).

    A build points this at its own work folder, which it removes, so that a killed build's
    sockets go with that folder instead of piling up in ``/tmp``.
    """
    global _ipc_dir
    _ipc_dir = None if folder is None else os.fspath(folder)


def _ready_client_class() -> type:
    """The kernel client of :func:`kernel_manager_class`: ready as soon as the kernel is idle."""
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class ReadyKernelClient(AsyncKernelClient):
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
            asked = {self.kernel_info()}
            replied = False
            while True:
                if not replied:
                    try:
                        reply = await self.get_shell_msg(timeout=1)
                    except Empty:
                        reply = None
                    if reply is not None and reply.get("msg_type") == "kernel_info_reply":
                        replied = reply["parent_header"].get("msg_id") in asked
                        if replied:
                            handle = getattr(self, "_handle_kernel_info_reply", None)
                            if handle is not None:
                                handle(reply)
                else:
                    try:
                        msg = await self.get_iopub_msg(timeout=0.2)
                    except Empty:
                        msg = None
                    if msg is None or msg["msg_type"] == "iopub_welcome":
                        # IOPub was not (or only just) subscribed when the kernel answered: its
                        # status messages may be lost, so ask again; these will arrive.
                        asked.add(self.kernel_info())
                    elif (
                        msg["msg_type"] == "status"
                        and msg["content"].get("execution_state") == "idle"
                        and msg["parent_header"].get("msg_id") in asked
                    ):
                        mark_moment("ready")
                        return  # IOPub is connected and the kernel is idle
                if not await self.is_alive():
                    raise RuntimeError("Kernel died before replying to kernel_info")
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    return ReadyKernelClient


def kernel_manager_class() -> type:
    """An ``AsyncKernelManager`` without jupyter_client's fixed waits; pass it to papermill.

    ``wait_for_ready`` normally drains the IOPub channel until it has been silent for 0.2 s.
    This client stops as soon as the kernel reports idle for a ``kernel_info`` request — the
    last message that request produces — which also proves IOPub is connected. After killing
    a kernel the manager polls for its end every 5 ms rather than every 100 ms. Kernels talk
    over Unix sockets (``ipc``) in the temporary folder (or :func:`set_ipc_dir`'s) instead of
    TCP ports. The client and manager mark :data:`KERNEL_MARKS` when the kernel is ready and
    when it is asked to stop, so the caller can tell start-up from the cells' time.
    """
    global _manager_class
    if _manager_class is not None:
        return _manager_class
    import tempfile
    import uuid

    from jupyter_client.asynchronous import AsyncKernelClient
    from jupyter_client.manager import AsyncKernelManager
    from traitlets import CaselessStrEnum, Type, default

    ReadyKernelClient = _ready_client_class()

    class ReadyKernelManager(AsyncKernelManager):
        client_factory = Type(ReadyKernelClient, klass=AsyncKernelClient)
        # Unix sockets, not TCP: nothing to eavesdrop on, and no race between pool workers
        # picking the same "free" port for kernels they start at the same moment.
        transport = CaselessStrEnum(["tcp", "ipc"], default_value="ipc", config=True)

        def __init__(self, **kwargs: Any) -> None:
            super().__init__(**kwargs)
            if _ipc_dir and not self.connection_file:
                # beside the sockets, so that a killed build's files go with its work folder
                name = f"planmon-kernel-{uuid.uuid4().hex[:12]}.json"
                self.connection_file = os.path.join(_ipc_dir, name)

        @default("ip")
        def _ip_default(self) -> str:
            if self.transport == "ipc":
                name = f"planmon-kernel-{uuid.uuid4().hex[:12]}"
                path = os.path.join(_ipc_dir or tempfile.gettempdir(), name)
                if len(os.fsencode(path)) > 100:  # sun_path holds 108 bytes, with "-<port>"
                    path = os.path.join(tempfile.gettempdir(), name)
                return path
            return super()._ip_default()

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # After a kill, poll every 5 ms instead of 100 ms for the launcher to be gone.
            await super()._async_wait(pollinterval=min(pollinterval, 0.005))

        async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
            mark_moment("shutdown")
            await super().shutdown_kernel(now=now, restart=restart)

    _manager_class = ReadyKernelManager
    return _manager_class


_plain_kernel_dir: Path | None = None


def ensure_plain_kernelspec() -> None:
    """Make :data:`PLAIN_KERNEL` findable in this process (e.g. on a dask worker).

    Writes the kernelspec to a private temporary folder (removed at exit) and puts it first
    on ``JUPYTER_PATH``, unless a folder on ``JUPYTER_PATH`` already has it.
    """
    global _plain_kernel_dir
    import atexit
    import shutil
    import tempfile

    existing = os.environ.get("JUPYTER_PATH", "")
    if any((Path(p) / "kernels" / PLAIN_KERNEL).is_dir() for p in existing.split(os.pathsep) if p):
        return
    if _plain_kernel_dir is None or not (_plain_kernel_dir / "kernels" / PLAIN_KERNEL).is_dir():
        _plain_kernel_dir = write_kernelspecs(Path(tempfile.mkdtemp(prefix="planmon-kernels-")))
        atexit.register(shutil.rmtree, _plain_kernel_dir, ignore_errors=True)
    put_first_on_jupyter_path(_plain_kernel_dir)


def put_first_on_jupyter_path(folder: str | os.PathLike[str]) -> None:
    """Put ``folder`` (kernelspecs under ``folder/kernels``) first on ``JUPYTER_PATH``."""
    existing = os.environ.get("JUPYTER_PATH")
    os.environ["JUPYTER_PATH"] = os.fspath(folder) + (os.pathsep + existing if existing else "")


def main(argv: Sequence[str] | None = None) -> int:
    """``kernel.py serve SOCKET MODULES`` or ``kernel.py launch SOCKET KERNEL-ARGS...``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) >= 2 and args[0] == "serve":
        _serve(args[1], [m for m in (args[2] if len(args) > 2 else "").split(",") if m])
        return 0
    if len(args) >= 2 and args[0] == "launch":
        return _launch(args[1], args[2:])
    print("usage: kernel.py serve SOCKET [MODULES] | launch SOCKET KERNEL-ARGS...", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
