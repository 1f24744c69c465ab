"""A classroom on one machine: a real JupyterHub, N learners running one lesson at once.

Starts JupyterHub on 127.0.0.1 from a temporary folder (DummyAuthenticator,
SimpleLocalProcessSpawner, configurable-http-proxy from ``.venv/node``), creates
``learner01..`` through the hub REST API, starts each one's ``jupyterhub-singleuser``
in a fresh copy of the lessons, then runs the lesson's code cells in every server at
once over the kernel websocket (the Jupyter messaging protocol, through the proxy).
Checked cells (``# NBVAL_CHECK_OUTPUT``) are compared with the committed outputs the way
``nbval --nbval-lax`` does, after ``notebooks/nbval_sanitize.cfg``.

    .venv/bin/python tests/classroom/hub_load.py --learners 1,4,8 --out bench-out/classroom.md

Prints a Markdown table (one row per N), writes it to --out with a JSON next to it, and
exits non-zero on any failure. Everything it starts is stopped, even on Ctrl-C.
"""

from __future__ import annotations

import argparse
import atexit
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(Path(__file__).resolve().parent))  # run as a script or imported by pytest
from lesson_outputs import judge, load_lesson, sanitize_patterns

VENV_BIN = Path(sys.executable).parent
CHP = ROOT / ".venv" / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
MARKER = "CBTEACH_CLASSROOM_RUN"
SERVICE = "cbteach-load"
PROGRESS_FILE = "cbteach-progress.jsonl"  # cbteach.progress.FILE_NAME
SAMPLE_S = 0.5
MIB = 1024 * 1024
LESSON_ENV = (
    "CBTEACH_DATA=sample CBTEACH_FAST=1 TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0 MPLBACKEND=Agg"
)


def parse_args(argv=None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--learners", default="1,4,8", help="comma-separated class sizes, e.g. 1,4,8")
    p.add_argument("--lesson", default="en/03_early_stopping", help="notebooks/<lesson>.ipynb")
    p.add_argument("--backend", default="tensorflow", choices=["tensorflow", "jax", "torch"])
    p.add_argument("--out", default="bench-out/classroom.md", help="Markdown table (+ .json)")
    p.add_argument("--timeout", type=float, default=900.0, help="bound on the whole run, s")
    p.add_argument("--cell-timeout", type=float, default=300.0, help="bound on one cell, s")
    args = p.parse_args(argv)
    args.sizes = [int(n) for n in args.learners.split(",") if n.strip()]
    if not args.sizes or min(args.sizes) < 1:
        p.error("--learners needs positive integers")
    return args


def missing_tools() -> list[str]:
    """What a classroom run needs and this checkout lacks (empty when all is there)."""
    need = [CHP, VENV_BIN / "jupyterhub", VENV_BIN / "jupyterhub-singleuser"]
    missing = [str(path) for path in need if not path.exists()]
    return missing + ([] if shutil.which("node") else ["node"])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Hub:
    """A JupyterHub in a temporary folder; ``stop`` ends everything it started."""

    def __init__(self, args, run_id: str):
        self.tmp = Path(tempfile.mkdtemp(prefix="cbteach-hub-"))
        self.run_id, self.token = run_id, secrets.token_hex(32)
        self.port, self.proc, self.users = free_port(), None, set()
        self.url = f"http://127.0.0.1:{self.port}"
        self.api = requests.Session()
        self.api.headers["Authorization"] = f"token {self.token}"
        self.backend = args.backend

    def config(self) -> str:
        env = dict(item.split("=") for item in LESSON_ENV.split())
        env.update(KERAS_BACKEND=self.backend, CBTEACH_OUT=str(self.tmp / "out" / "{username}"))
        env.update(PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}")
        env[MARKER] = self.run_id
        scopes = ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"]
        settings = {
            "JupyterHub.bind_url": self.url,
            "JupyterHub.hub_ip": "127.0.0.1",
            "JupyterHub.hub_port": free_port(),
            "JupyterHub.db_url": f"sqlite:///{self.tmp / 'hub.sqlite'}",
            "JupyterHub.cookie_secret_file": str(self.tmp / "cookie_secret"),
            "JupyterHub.pid_file": str(self.tmp / "hub.pid"),
            "JupyterHub.authenticator_class": "dummy",
            "JupyterHub.spawner_class": "jupyterhub.spawner.SimpleLocalProcessSpawner",
            "JupyterHub.cleanup_servers": True,
            "JupyterHub.services": [{"name": SERVICE, "api_token": self.token}],
            "JupyterHub.load_roles": [{"name": SERVICE, "scopes": scopes, "services": [SERVICE]}],
            "Authenticator.allow_all": True,
            "SimpleLocalProcessSpawner.home_dir_template": str(self.tmp / "home" / "{username}"),
            "Spawner.cmd": [str(VENV_BIN / "jupyterhub-singleuser")],
            "Spawner.args": ["--allow-root"] if os.geteuid() == 0 else [],
            "Spawner.environment": env,
            "Spawner.start_timeout": 300,
            "Spawner.http_timeout": 300,
            "ConfigurableHTTPProxy.command": [str(CHP)],
            "ConfigurableHTTPProxy.api_url": f"http://127.0.0.1:{free_port()}",
            "ConfigurableHTTPProxy.pid_file": str(self.tmp / "proxy.pid"),
        }
        return "".join(f"c.{key} = {value!r}\n" for key, value in settings.items())

    def start(self, deadline: float) -> None:
        (self.tmp / "jupyterhub_config.py").write_text(self.config(), encoding="utf-8")
        env = {**os.environ, MARKER: self.run_id}
        log = open(self.tmp / "hub.log", "wb")  # noqa: SIM115 - closed with the process
        cmd = [str(VENV_BIN / "jupyterhub"), "-f", "jupyterhub_config.py"]
        kw = {"cwd": self.tmp, "env": env, "stdout": log, "stderr": subprocess.STDOUT}
        self.proc = subprocess.Popen(cmd, start_new_session=True, **kw)
        log.close()
        until = min(deadline, time.monotonic() + 90)
        while time.monotonic() < until:
            if self.proc.poll() is not None:
                raise RuntimeError(f"jupyterhub exited: {self.log_tail()}")
            with contextlib.suppress(requests.RequestException):
                if self.api.get(f"{self.url}/hub/api/", timeout=5).ok:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"jupyterhub did not answer in time: {self.log_tail()}")

    def log_tail(self, lines: int = 25) -> str:
        path = self.tmp / "hub.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])

    def call(self, method: str, path: str, **kw) -> requests.Response:
        r = self.api.request(method, f"{self.url}/hub/api{path}", timeout=30, **kw)
        if r.status_code >= 400:
            log = f"\n{self.log_tail()}" if r.status_code >= 500 else ""
            raise RuntimeError(f"{method} {path}: {r.status_code} {r.text[:300]}{log}")
        return r

    def add_learners(self, names: list[str], lesson_dir: Path) -> None:
        for name in names:
            home = self.tmp / "home" / name
            shutil.rmtree(home, ignore_errors=True)
            # the lessons only: a progress file left beside them is no learner's answer
            shutil.copytree(lesson_dir, home, ignore=shutil.ignore_patterns(PROGRESS_FILE))
            (self.tmp / "out" / name).mkdir(parents=True, exist_ok=True)
        self.call("POST", "/users", json={"usernames": names})
        self.users.update(names)

    def spawn(self, name: str, deadline: float) -> float:
        """Start one learner's server and wait until the hub calls it ready; seconds taken."""
        t0 = time.monotonic()
        self.call("POST", f"/users/{name}/server")
        while time.monotonic() < deadline:
            server = self.call("GET", f"/users/{name}").json().get("servers", {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - t0
            if not server.get("pending") and time.monotonic() - t0 > 5:
                raise RuntimeError(f"{name}'s server did not start: {self.log_tail()}")
            time.sleep(0.5)
        raise TimeoutError(f"{name}'s server was not ready before the deadline")

    def user_token(self, name: str) -> str:
        body = {"note": "classroom load test", "expires_in": 3600}
        return self.call("POST", f"/users/{name}/tokens", json=body).json()["token"]

    def remove_learners(self) -> None:
        """Delete the learners, all at once: the hub stops each one's server first."""

        def remove(name):
            with contextlib.suppress(Exception):
                self.call("DELETE", f"/users/{name}")

        in_threads(remove, sorted(self.users))
        self.users.clear()

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            with contextlib.suppress(Exception):
                self.remove_learners()
            for sig, grace in ((signal.SIGTERM, 20), (signal.SIGKILL, 5)):
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.proc.pid, sig)
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.proc.wait(grace)
                    break
        shutil.rmtree(self.tmp, ignore_errors=True)


def run_processes(run_id: str) -> list[psutil.Process]:
    """Every live process started by this run (they all carry MARKER in their environment)."""
    found = []
    for proc in psutil.process_iter():
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and proc.environ().get(MARKER) == run_id:
                found.append(proc)
    return found


def kill_stragglers(run_id: str) -> list[str]:
    """End what the hub left behind; the command lines of what had to be ended."""
    procs = run_processes(run_id)
    names = [" ".join(p.cmdline()[:3]) for p in procs if p.is_running()]
    for proc in procs:
        with contextlib.suppress(psutil.Error):
            proc.terminate()
    _, alive = psutil.wait_procs(procs, timeout=5)
    for proc in alive:
        with contextlib.suppress(psutil.Error):
            proc.kill()
    psutil.wait_procs(alive, timeout=5)
    return names


class Sampler(threading.Thread):
    """Every 0.5 s: RSS of each learner's process tree, CPU time per process, machine memory."""

    def __init__(self, roots: dict[str, psutil.Process], baseline_used: int):
        super().__init__(daemon=True)
        self.roots, self.baseline = roots, baseline_used
        self.peak_used, self.lock, self.done = baseline_used, threading.Lock(), threading.Event()
        self.peak_rss = dict.fromkeys(roots, 0)
        self.cpu: dict[str, dict[int, float]] = {name: {} for name in roots}
        self.cpu0 = dict.fromkeys(roots, 0.0)
        for name in roots:  # CPU counts from here: the lesson, not the server's start
            self.sample(name)
            self.cpu0[name] = self.cpu_seconds(name)

    def sample(self, name: str) -> None:
        root, rss = self.roots[name], 0
        with contextlib.suppress(psutil.Error):
            for proc in [root, *root.children(recursive=True)]:
                with contextlib.suppress(psutil.Error), proc.oneshot():
                    rss += proc.memory_info().rss
                    t = proc.cpu_times()
                    with self.lock:
                        self.cpu[name][proc.pid] = t.user + t.system
        with self.lock:
            self.peak_rss[name] = max(self.peak_rss[name], rss)

    def run(self) -> None:
        while not self.done.wait(SAMPLE_S):
            for name in self.roots:
                self.sample(name)
            self.peak_used = max(self.peak_used, psutil.virtual_memory().used)

    def cpu_seconds(self, name: str) -> float:
        with self.lock:
            return sum(self.cpu[name].values()) - self.cpu0[name]


def find_root(run_id: str, name: str) -> psutil.Process:
    """The learner's jupyterhub-singleuser process (its kernels are its children)."""
    for proc in run_processes(run_id):
        with contextlib.suppress(psutil.Error):
            is_server = any("jupyterhub-singleuser" in part for part in proc.cmdline())
            if is_server and proc.environ().get("JUPYTERHUB_USER") == name:
                return proc
    raise RuntimeError(f"no jupyterhub-singleuser process found for {name}")


class Kernel:
    """A kernel in one learner's server, driven over its websocket through the proxy."""

    def __init__(self, hub: Hub, name: str, token: str):
        self.base = f"{hub.url}/user/{name}/api"
        self.headers = {"Authorization": f"token {token}"}
        self.session, self.name, self.id, self.ws = uuid.uuid4().hex, name, None, None

    def start(self, timeout: float) -> None:
        url = f"{self.base}/kernels"
        r = requests.post(url, json={"name": "python3"}, headers=self.headers, timeout=60)
        r.raise_for_status()
        self.id = r.json()["id"]
        url = url.replace("http://", "ws://") + f"/{self.id}/channels?session_id={self.session}"
        header = [f"{k}: {v}" for k, v in self.headers.items()]
        self.ws = websocket.create_connection(url, header=header, timeout=60)
        msg_id = self.send("kernel_info_request", {})
        deadline = time.monotonic() + timeout
        while self.recv(msg_id, deadline)["msg_type"] != "kernel_info_reply":
            pass

    def send(self, msg_type: str, content: dict, channel: str = "shell") -> str:
        msg_id = uuid.uuid4().hex
        date = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        header = {"msg_id": msg_id, "msg_type": msg_type, "username": self.name, "date": date}
        header.update(session=self.session, version="5.3")
        msg = {"header": header, "parent_header": {}, "metadata": {}, "content": content}
        msg.update(channel=channel, buffers=[])
        self.ws.send(json.dumps(msg))
        return msg_id

    def recv(self, msg_id: str, deadline: float) -> dict:
        """The next message whose parent is msg_id; TimeoutError past the deadline."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            self.ws.settimeout(left)
            try:
                raw = self.ws.recv()
            except websocket.WebSocketTimeoutException:
                raise TimeoutError from None
            if isinstance(raw, bytes):  # binary frames carry widget buffers: not outputs
                continue
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                msg["msg_type"] = msg["header"]["msg_type"]
                return msg

    def execute(self, code: str, deadline: float) -> list[dict]:
        """Run one cell; its outputs as nbformat dicts (as nbval collects them)."""
        content = {"code": code, "silent": False, "store_history": True, "allow_stdin": False}
        content.update(user_expressions={}, stop_on_error=True)
        msg_id, outputs = self.send("execute_request", content), []
        while True:
            msg = self.recv(msg_id, deadline)
            kind, c = msg["msg_type"], msg["content"]
            if msg.get("channel") != "iopub":
                continue
            if kind == "status" and c["execution_state"] == "idle":
                return outputs
            if kind == "stream":
                outputs.append({"output_type": "stream", "name": c["name"], "text": c["text"]})
            elif kind in ("display_data", "execute_result"):
                outputs.append({"output_type": kind, "data": c["data"], "metadata": {}})
            elif kind == "error":
                error = {key: c[key] for key in ("ename", "evalue", "traceback")}
                outputs.append({"output_type": "error", **error})

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.ws.close()
        if self.id:
            with contextlib.suppress(Exception):
                requests.delete(f"{self.base}/kernels/{self.id}", headers=self.headers, timeout=30)


def run_lesson(hub, name, token, cells, args, deadline, sampler, start) -> dict:
    """Run every cell in one learner's kernel; timings, checks and failures."""
    patterns, result = sanitize_patterns(), {"learner": name, "failures": []}
    result.update(checked=0, matched=0, wall_s=None, first_playground_s=None)
    kernel = Kernel(hub, name, token)
    start.wait()
    t0 = time.monotonic()
    try:
        kernel.start(min(deadline, t0 + args.cell_timeout) - t0)
        for cell in cells:
            limit = min(deadline, time.monotonic() + args.cell_timeout)
            try:
                outputs = kernel.execute(cell["source"], limit)
            except TimeoutError:
                result["failures"].append(f"cell {cell['index']}: timed out")
                break
            fails = judge(cell, outputs, patterns)
            result["failures"] += fails
            if cell["check"]:
                result["checked"] += 1
                result["matched"] += not any("checked output" in f for f in fails)
            if cell["playground"] and result["first_playground_s"] is None:
                result["first_playground_s"] = time.monotonic() - t0
        result["wall_s"] = time.monotonic() - t0
    except Exception as exc:  # noqa: BLE001 - any failure is a result, not a crash
        result["failures"].append(f"{type(exc).__name__}: {exc}"[:300])
    finally:
        sampler.sample(name)
        result["cpu_s"] = sampler.cpu_seconds(name)
        kernel.close()
    return result


def in_threads(fn, names: list[str], go: threading.Event | None = None) -> None:
    """fn(name) for every name at once (released together by go); waits, Ctrl-C safe."""
    threads = [threading.Thread(target=fn, args=(name,), daemon=True) for name in names]
    for t in threads:
        t.start()
    if go is not None:
        go.set()
    for t in threads:
        while t.is_alive():
            t.join(0.5)


def spawn_all(hub: Hub, names: list[str], deadline: float) -> dict[str, float]:
    """Start every server at once, as a class logging in together; seconds per learner."""
    times, errors = {}, []

    def one(name):
        try:
            times[name] = hub.spawn(name, deadline)
        except Exception as exc:  # noqa: BLE001
            errors.append(f"{name}: {exc}")

    in_threads(one, names)
    if errors:
        raise RuntimeError("; ".join(errors))
    return times


def run_size(hub: Hub, n: int, cells, lesson_dir: Path, args, deadline: float) -> dict:
    names = [f"learner{i:02d}" for i in range(1, n + 1)]
    hub.add_learners(names, lesson_dir)
    baseline = psutil.virtual_memory().used
    spawn_s = spawn_all(hub, names, deadline)
    tokens = {name: hub.user_token(name) for name in names}
    roots = {name: find_root(hub.run_id, name) for name in names}
    sampler, start = Sampler(roots, baseline), threading.Event()
    sampler.start()
    results: dict[str, dict] = {}

    def one(name):
        results[name] = run_lesson(hub, name, tokens[name], cells, args, deadline, sampler, start)

    t0 = time.monotonic()
    in_threads(one, names, start)
    sampler.done.set()
    sampler.join()
    for name in names:
        results[name].update(spawn_s=spawn_s[name], peak_rss_mib=sampler.peak_rss[name] / MIB)
    hub.remove_learners()
    peak = (sampler.peak_used - baseline) / MIB
    size = {"learners": n, "backend": args.backend, "class_wall_s": time.monotonic() - t0}
    return {**size, "machine_peak_mib": peak, "per_learner": [results[k] for k in names]}


def run_classroom(args) -> dict:
    """Every class size in one hub; the report (also what --out gets as JSON)."""
    t_start, run_id = time.monotonic(), secrets.token_hex(8)
    deadline = t_start + args.timeout
    lesson_path, cells = load_lesson(args.lesson)
    report = {"lesson": args.lesson, "backend": args.backend, "run_id": run_id, "sizes": []}
    report["errors"], hub = [], Hub(args, run_id)
    report["tmp"] = str(hub.tmp)
    atexit.register(hub.stop)
    try:
        hub.start(deadline)
        for n in args.sizes:
            report["sizes"].append(run_size(hub, n, cells, lesson_path.parent, args, deadline))
    except Exception as exc:  # noqa: BLE001 - reported as a failure, cleanup follows
        report["errors"].append(f"{type(exc).__name__}: {exc}"[:2000])
    finally:
        hub.stop()
        report["stragglers"] = kill_stragglers(run_id)
        report["leftover"] = [" ".join(p.cmdline()[:3]) for p in run_processes(run_id)]
        report["total_wall_s"] = time.monotonic() - t_start
    failures = len(report["errors"]) + len(report["leftover"])
    for size in report["sizes"]:
        size["failures"] = sum(len(r["failures"]) for r in size["per_learner"])
        failures += size["failures"]
    report["failures"] = failures
    return report


def pair(values, fmt="{:.1f}") -> str:
    values = [v for v in values if v is not None]
    if not values:
        return "-"
    return f"{fmt.format(max(values))} / {fmt.format(statistics.median(values))}"


def table(report: dict) -> str:
    head = (
        "| learners | backend | lesson wall s max / median | first Playground s max / median "
        "| peak RSS per learner MiB max / median | machine peak MiB | CPU s per learner "
        "max / median | spawn s max | checked cells matched | failures |"
    )
    rows = [head, "|" + "---|" * 10]
    for s in report["sizes"]:
        per = s["per_learner"]
        checked = f"{sum(r['matched'] for r in per)} / {sum(r['checked'] for r in per)}"
        rows.append(
            f"| {s['learners']} | {s['backend']} | {pair(r['wall_s'] for r in per)} "
            f"| {pair(r['first_playground_s'] for r in per)} "
            f"| {pair((r['peak_rss_mib'] for r in per), '{:.0f}')} | {s['machine_peak_mib']:.0f} "
            f"| {pair(r['cpu_s'] for r in per)} | {max(r['spawn_s'] for r in per):.1f} "
            f"| {checked} | {s['failures']} |"
        )
    intro = f"Lesson `{report['lesson']}`, {os.cpu_count()} CPU cores, "
    lines = [intro + f"total wall {report['total_wall_s']:.0f} s.", "", *rows]
    problems = report["errors"] + [f"left running: {p}" for p in report["leftover"]]
    for s in report["sizes"]:
        for r in s["per_learner"]:
            problems += [f"N={s['learners']} {r['learner']}: {f}" for f in r["failures"]]
    if problems:
        lines += ["", "Failures:", *[f"- {p}" for p in problems]]
    return "\n".join(lines) + "\n"


def main(argv=None) -> int:
    args = parse_args(argv)
    missing = missing_tools()
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 2
    stops = (signal.SIGINT, signal.SIGTERM)  # both end the run through its cleanup
    previous = [signal.signal(sig, signal.default_int_handler) for sig in stops]
    try:
        report = run_classroom(args)
    finally:
        for sig, handler in zip(stops, previous):
            signal.signal(sig, handler)
    text = table(report)
    print(text)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    return 1 if report["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
