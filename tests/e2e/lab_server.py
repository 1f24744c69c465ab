"""Start JupyterLab for the end-to-end test, wait for it with a bound, and always stop it.

The server runs on 127.0.0.1, on a free port, with a random token, in a temporary copy of
``notebooks/``; its Jupyter configuration, data, runtime and settings folders are temporary
too, so nothing is written to ``~/.jupyter``. Its kernels run the lessons in their fast
configuration (``CBTEACH_FAST=1``, the MNIST sample).

>>> server = start_lab(root, work)        # doctest: +SKIP
>>> server.lab_url("ko/03_early_stopping.ipynb")   # doctest: +SKIP
>>> stop_server(server)                   # doctest: +SKIP
"""

from __future__ import annotations

import atexit
import contextlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

#: How long JupyterLab may take to answer /api/status before the test fails.
START_TIMEOUT_S = 90.0
#: How long a stop waits after /api/shutdown, then after SIGTERM, before SIGKILL.
STOP_GRACE_S = 15.0
_POLL_S = 0.25
_LOG_LINES = 30

# JupyterLab's news popup ("receive official Jupyter news?") would cover the notebook.
_PAGE_CONFIG = {"disabledExtensions": {"@jupyterlab/apputils-extension:announcements": True}}


class LabStartError(RuntimeError):
    """The server did not answer within its bound, or exited; the message holds its log."""


@dataclass
class Server:
    """A started server process, where it answers, and where it logs."""

    process: subprocess.Popen
    base_url: str
    token: str
    log_path: Path

    def lab_url(self, path: str) -> str:
        """The JupyterLab address that opens ``path`` (relative to the server's root) alone.

        ``reset`` starts from an empty workspace: without it JupyterLab reopens the tabs of
        the previous page, and their notebooks start kernels again.
        """
        return f"{self.base_url}lab/tree/{path}?reset&token={self.token}"

    def log_tail(self, lines: int = _LOG_LINES) -> str:
        """The last ``lines`` lines of the server's log."""
        return log_tail(self.log_path, lines)


def log_tail(path: Path, lines: int = _LOG_LINES) -> str:
    """The last ``lines`` lines of the file at ``path`` ("" when there is none)."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""
    return "\n".join(text.splitlines()[-lines:])


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nobody listens on at this moment."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def lab_environment(work: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """The server's environment: the lessons' fast plan, every Jupyter folder under ``work``.

    ``MPLBACKEND`` is removed, so that the kernels draw inline as a learner's do. The
    widgets' lab extension stays found through ``sys.prefix`` (the venv's share/jupyter).
    """
    env = dict(os.environ if base is None else base)
    env.pop("MPLBACKEND", None)
    folders = {
        "JUPYTER_CONFIG_DIR": work / "jupyter-config",
        "JUPYTER_DATA_DIR": work / "jupyter-data",
        "JUPYTER_RUNTIME_DIR": work / "jupyter-runtime",
        "JUPYTERLAB_SETTINGS_DIR": work / "lab-settings",
        "JUPYTERLAB_WORKSPACES_DIR": work / "lab-workspaces",
        "IPYTHONDIR": work / "ipython",
    }
    for name, folder in folders.items():
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    labconfig = folders["JUPYTER_CONFIG_DIR"] / "labconfig"
    labconfig.mkdir(exist_ok=True)
    (labconfig / "page_config.json").write_text(json.dumps(_PAGE_CONFIG), encoding="utf-8")
    env.update(
        CBTEACH_FAST="1",
        CBTEACH_DATA="sample",
        CBTEACH_OUT=str(work / "cbteach-out"),
        TF_CPP_MIN_LOG_LEVEL="2",
        PYTHONHASHSEED="0",
    )
    return env


def lab_command(root: Path, port: int, token: str) -> list[str]:
    """``python -m jupyter lab`` of this interpreter (the repo's .venv), headless, on ``port``."""
    return [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        "--no-browser",
        f"--ServerApp.root_dir={root}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        *(["--allow-root"] if os.geteuid() == 0 else []),
    ]


def launch(
    command: Sequence[str], *, base_url: str, token: str, log_path: Path, env=None, cwd=None
) -> Server:
    """Start ``command`` in its own process group, its output going to ``log_path``."""
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            list(command),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=cwd,
            start_new_session=True,
        )
    return Server(process, base_url, token, log_path)


def api(server: Server, path: str, method: str = "GET", timeout: float = 5.0) -> bytes:
    """One request to the server's REST API, with its token."""
    request = urllib.request.Request(
        f"{server.base_url}api/{path}",
        method=method,
        headers={"Authorization": f"token {server.token}"},
        data=b"" if method == "POST" else None,
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return response.read()


def wait_until_ready(server: Server, timeout: float = START_TIMEOUT_S) -> None:
    """Return once /api/status answers; raise :class:`LabStartError` after ``timeout`` s.

    Fails at once, with the exit code, when the process ends first. The message holds the
    last lines of the server's log either way.
    """
    deadline = time.monotonic() + timeout
    last_error = "no answer yet"
    while True:
        code = server.process.poll()
        if code is not None:
            raise LabStartError(
                f"JupyterLab exited with code {code} before answering {server.base_url}api/status"
                f"; last lines of {server.log_path}:\n{server.log_tail()}"
            )
        try:
            json.loads(api(server, "status", timeout=2.0))
            return
        except (OSError, ValueError) as exc:  # refused, reset, timed out, not JSON yet
            last_error = f"{type(exc).__name__}: {exc}"
        if time.monotonic() >= deadline:
            raise LabStartError(
                f"JupyterLab did not answer {server.base_url}api/status within {timeout:g} s "
                f"(last error: {last_error}); last lines of {server.log_path}:\n"
                f"{server.log_tail()}"
            )
        time.sleep(_POLL_S)


def start_lab(root: Path, work: Path, timeout: float = START_TIMEOUT_S) -> Server:
    """Start JupyterLab on ``root`` and wait until it answers; stop it if it never does."""
    port, token = free_port(), secrets.token_hex(16)
    server = launch(
        lab_command(root, port, token),
        base_url=f"http://127.0.0.1:{port}/",
        token=token,
        log_path=work / "jupyterlab.log",
        env=lab_environment(work),
        cwd=root,
    )
    atexit.register(stop_server, server)  # even if pytest is interrupted before its teardown
    try:
        wait_until_ready(server, timeout)
    except BaseException:
        stop_server(server)
        raise
    return server


def _children(pid: int) -> list[int]:
    """The processes whose parent is ``pid`` (read from /proc; empty where there is none)."""
    found = []
    for entry in Path("/proc").glob("[0-9]*/stat"):
        try:
            stat = entry.read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[1]) == pid:
            found.append(int(entry.parent.name))
    return found


def descendants(pid: int) -> list[int]:
    """Every process below ``pid``: the kernels, which Jupyter starts in sessions of their own."""
    found, todo = [], [pid]
    while todo:
        for child in _children(todo.pop()):
            found.append(child)
            todo.append(child)
    return found


def _signal_all(server: Server, kernels: list[int], sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(server.process.pid, sig)
    for pid in kernels:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, sig)


def stop_server(server: Server, grace: float = STOP_GRACE_S) -> str:
    """Stop the server and its kernels, politely first; say how ("shutdown", "SIGTERM" ...).

    POST /api/shutdown (the server stops its kernels), then SIGTERM to its process group and
    to every process below it, then SIGKILL. Never raises for a server already gone.
    """
    if server.process.poll() is not None:
        return "already exited"
    kernels = descendants(server.process.pid)
    steps: list[tuple[str, signal.Signals | None]] = [
        ("SIGTERM", signal.SIGTERM),
        ("SIGKILL", signal.SIGKILL),
    ]
    try:
        api(server, "shutdown", method="POST")
        steps.insert(0, ("shutdown", None))
    except OSError:  # no answer (URLError is an OSError): signals only
        pass
    for how, sig in steps:
        if sig is not None:
            _signal_all(server, kernels, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.process.wait(timeout=grace)
            _reap(kernels, grace)
            return how
    return "still running"


def close_session(server: Server, path: str) -> None:
    """Shut down the kernel of the notebook at ``path`` (its session), if it has one."""
    for session in json.loads(api(server, "sessions")):
        if session.get("path") == path:
            api(server, f"sessions/{session['id']}", method="DELETE")


def _reap(pids: list[int], grace: float) -> None:
    """Wait up to ``grace`` s for ``pids`` (not our children) to vanish; SIGKILL those left."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return
        time.sleep(_POLL_S)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)


def alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, which only waits to be reaped, does not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rfind(")") + 2 :].split()[0] != "Z"
