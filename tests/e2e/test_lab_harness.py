"""The end-to-end harness fails clearly instead of hanging, and always stops what it started.

A server that never answers, one that exits at once, one that ignores SIGTERM and leaves a
child in its own session (as kernels are); a notebook whose cell fails without the
raises-exception tag, and one whose cell outlives the Run All bound.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest
from lab_page import NotebookError, open_notebook, unexpected_errors
from lab_server import (
    LabStartError,
    Server,
    alive,
    close_session,
    descendants,
    free_port,
    launch,
    stop_server,
    wait_until_ready,
)


def _server(tmp_path: Path, code: str) -> Server:
    """``python -c code`` started the way JupyterLab is, on a port nobody listens on."""
    return launch(
        [sys.executable, "-c", code],
        base_url=f"http://127.0.0.1:{free_port()}/",
        token="t",
        log_path=tmp_path / "server.log",
    )


def test_a_server_that_never_answers_fails_within_the_bound(tmp_path):
    # It exits by itself after 20 s: a wait that ignored its 2 s bound would end with
    # "exited with code 0" instead, and fail the match (no clock in the assertion).
    server = _server(tmp_path, "import time; print('starting up', flush=True); time.sleep(20)")
    try:
        with pytest.raises(LabStartError, match=r"did not answer .*api/status within 2 s") as err:
            wait_until_ready(server, timeout=2.0)
        assert "starting up" in str(err.value), "the message lacks the server's log"
    finally:
        how = stop_server(server, grace=5.0)
    assert how == "SIGTERM", how
    assert server.process.poll() is not None


def test_a_server_that_exits_fails_at_once_with_its_exit_code(tmp_path):
    server = _server(tmp_path, "import sys; print('no such option', flush=True); sys.exit(3)")
    # Waiting out the 60 s bound would end in "did not answer ... within 60 s" instead.
    with pytest.raises(LabStartError, match="exited with code 3") as err:
        wait_until_ready(server, timeout=60.0)
    assert "no such option" in str(err.value)
    assert stop_server(server) == "already exited"


def test_stop_kills_a_server_that_ignores_sigterm_and_its_kernel(tmp_path):
    # The child runs in a session of its own, as Jupyter starts kernels: the process group
    # of the server does not hold it.
    code = (
        "import signal, subprocess, sys, time\n"
        "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'],"
        " start_new_session=True)\n"
        "print('ready', flush=True)\n"
        "time.sleep(600)\n"
    )
    server = _server(tmp_path, code)
    deadline = time.monotonic() + 30
    while "ready" not in server.log_tail() or not descendants(server.process.pid):
        assert time.monotonic() < deadline, "the fake server did not start its child"
        time.sleep(0.1)
    child = descendants(server.process.pid)
    how = stop_server(server, grace=1.0)
    assert how == "SIGKILL"
    assert server.process.poll() is not None
    deadline = time.monotonic() + 10
    while any(alive(pid) for pid in child):
        assert time.monotonic() < deadline, f"the kernel-like child {child} survived the stop"
        time.sleep(0.1)


def _notebook(cells: list[dict]) -> dict:
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def _cell(source: str, *, tags=(), error: str | None = None) -> dict:
    outputs = [{"output_type": "error", "ename": error, "evalue": "x", "traceback": []}]
    return {
        "cell_type": "code",
        "source": source,
        "metadata": {"tags": list(tags)},
        "outputs": outputs if error else [],
        "execution_count": None,
    }


def test_unexpected_errors_tells_each_kind_of_wrong_failure():
    committed = _notebook(
        [
            _cell("ok()"),
            _cell("boom()"),
            _cell("bad()", tags=["raises-exception"], error="TypeError"),
            _cell("bad()", tags=["raises-exception"], error="TypeError"),
            _cell("bad()", tags=["raises-exception"], error="TypeError"),
        ]
    )
    ran = _notebook(
        [
            _cell("ok()"),
            _cell("boom()", error="NameError"),  # fails, untagged
            _cell("bad()", tags=["raises-exception"], error="TypeError"),  # as expected
            _cell("bad()", tags=["raises-exception"], error="ValueError"),  # another error
            _cell("bad()", tags=["raises-exception"]),  # promised an error, raised none
        ]
    )
    assert unexpected_errors(ran, committed) == [
        "code cell 2: NameError: x",
        "code cell 4 (raises-exception): expected ['TypeError'], got ['ValueError']",
        "code cell 5 (raises-exception): expected ['TypeError'], got []",
    ]
    assert unexpected_errors(committed, committed) == []


def _write_notebook(root: Path, name: str, sources: list[str]) -> str:
    cells = [
        {"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None}
        for s in sources
    ]
    notebook = _notebook(cells)
    notebook["metadata"]["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    (root / name).write_text(json.dumps(notebook), encoding="utf-8")
    return name


def test_run_all_names_the_cell_that_failed(lab, page):
    server, root = lab
    path = _write_notebook(
        root, "e2e_failing.ipynb", ["x = 1", "raise RuntimeError('on purpose')", "y = 2"]
    )
    try:
        notebook = open_notebook(page, server.lab_url(path), root, path)
        with pytest.raises(NotebookError, match=r"not run, from code cell 3 of 3 \(`y = 2`\)") as e:
            notebook.run_all(timeout=120)
        assert "RuntimeError" in str(e.value), "the message lacks the error on the page"
    finally:
        close_session(server, path)


def test_run_all_names_the_cell_still_running_at_its_bound(lab, page):
    server, root = lab
    path = _write_notebook(root, "e2e_slow.ipynb", ["x = 1", "import time; time.sleep(120)"])
    try:
        notebook = open_notebook(page, server.lab_url(path), root, path)
        with pytest.raises(
            NotebookError, match=r"within 8 s; still running: code cell 2 of 2 \(`import time"
        ):
            notebook.run_all(timeout=8)  # the cell sleeps 120 s: only the bound ends the wait
    finally:
        close_session(server, path)
