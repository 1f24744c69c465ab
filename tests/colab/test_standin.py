"""A lesson in a stand-in Google Colab, through its first cell's real install path.

The stand-in runtime (``make test-colab`` builds it in a fresh venv, ``$CBTEACH_COLAB_VENV``)
holds Colab's stack (``tests/colab/requirements.txt``: ipywidgets 7.7.1, IPython 7.34,
ipykernel 6.17, Keras 3.10, ...) and no cbteach. Its kernel starts as Colab's does: it imports
numpy and ``google.colab`` (``tests/colab/standin/``), which imports ipywidgets, before the
first cell runs. GitHub is a local git copy of this working tree holding the release tag: git
itself sends the first cell's ``https://github.com/<REPOSITORY>`` there (``url.insteadOf``,
set through git's environment, so the cell is the one learners run). pip works offline, from
wheels this module downloads once (``wheels/build``: hatchling, to build cbteach from the
copy; ``wheels/deps``: the Keras and koreanize-matplotlib ``import cbteach`` installs, and
Colab's Keras, to make the runtime fresh again before each test).

Slow (a TensorFlow kernel per test), so it runs only with ``CBTEACH_COLAB=1``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import nbformat
import pytest

from cbteach import i18n

REPO = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV = Path(os.environ.get("CBTEACH_COLAB_VENV", "/nonexistent"))
PYTHON = VENV / "bin" / "python"
KERNEL = "cbteach-colab-standin"
GUARD = 'if "google.colab" in sys.modules and subprocess.run('
COLAB_KERAS = re.search(
    r"^keras==(\S+)$", (HERE / "requirements.txt").read_text(), re.MULTILINE
).group(1)
pytestmark = pytest.mark.skipif(
    os.environ.get("CBTEACH_COLAB") != "1", reason="slow: set CBTEACH_COLAB=1 (make test-colab)"
)


def _load_build():
    spec = importlib.util.spec_from_file_location(
        "cbteach_standin_build", REPO / "notebooks/build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = _load_build()


def run(*command, cwd: Path = REPO, env: dict | None = None) -> str:
    done = subprocess.run(
        [str(part) for part in command],
        check=False,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert done.returncode == 0, f"{command} failed:\n{done.stdout[-4000:]}\n{done.stderr[-4000:]}"
    return done.stdout


@pytest.fixture(scope="module")
def github(tmp_path_factory) -> Path:
    """This working tree as a git repository whose tag ``build.TAG`` is the release."""
    repo = tmp_path_factory.mktemp("github") / "cbteach"
    listed = run("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for name in filter(None, listed.split("\0")):
        if (REPO / name).is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, repo / name)
    git = ("git", "-c", "user.name=cbteach", "-c", "user.email=cbteach@localhost")
    run(*git, "init", "-q", cwd=repo)
    run(*git, "add", "-A", cwd=repo)
    run(*git, "commit", "-q", "-m", "release", cwd=repo)
    run(*git, "tag", build.TAG, cwd=repo)
    return repo


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> dict[str, Path]:
    """The wheels pip may use in the stand-in (it has no index there)."""
    folder = tmp_path_factory.mktemp("wheels")
    found = {"build": folder / "build", "deps": folder / "deps"}
    pip = (PYTHON, "-m", "pip", "download", "-q")
    run(*pip, "-d", found["build"], "hatchling")
    for requirement in (
        f"keras=={metadata.version('keras')}",  # the Keras the committed outputs were made with
        f"keras=={COLAB_KERAS}",
        f"koreanize-matplotlib=={metadata.version('koreanize-matplotlib')}",
    ):
        run(*pip, "--no-deps", "-d", found["deps"], requirement)
    return found


@pytest.fixture(scope="module")
def standin(tmp_path_factory, github, wheels) -> dict[str, str | None]:
    """The kernel spec of the stand-in Colab and the environment its kernels start in."""
    assert PYTHON.is_file(), f"no stand-in venv at {VENV}: run `make test-colab`"
    home = tmp_path_factory.mktemp("standin")
    startup = home / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import numpy\nimport google.colab\n", encoding="utf-8")
    spec = home / "jupyter" / "kernels" / KERNEL
    spec.mkdir(parents=True)
    argv = [str(PYTHON), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Colab stand-in", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")
    env = {
        "JUPYTER_PATH": str(home / "jupyter"),
        "IPYTHONDIR": str(home / "ipython"),
        "PYTHONPATH": str(HERE / "standin"),
        "PATH": f"{VENV / 'bin'}{os.pathsep}{os.environ['PATH']}",
        "PIP_NO_INDEX": "1",
        "PIP_FIND_LINKS": f"{wheels['build']} {wheels['deps']}",
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": f"url.{github.as_uri()}.insteadOf",
        "GIT_CONFIG_VALUE_0": f"https://github.com/{build.REPOSITORY}",
        "CBTEACH_DATA": "sample",
        "CBTEACH_FAST": "1",
        "CBTEACH_OUT": str(home / "out"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONHASHSEED": "0",
        "MPLBACKEND": None,  # the kernel's inline backend, as on Colab
    }
    return env


@pytest.fixture
def fresh(standin, wheels, monkeypatch) -> dict[str, str | None]:
    """A fresh Colab runtime: no cbteach, Colab's Keras; the driver talks to its kernels."""
    pip = (PYTHON, "-m", "pip")
    run(*pip, "uninstall", "-q", "-y", "cbteach", "koreanize-matplotlib")
    run(
        *pip,
        "install",
        "-q",
        "--no-index",
        "--no-deps",
        "-f",
        wheels["deps"],
        f"keras=={COLAB_KERAS}",
    )
    for name, value in standin.items():
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    return standin


def _lesson(lang: str, stem: str = "00_setup") -> nbformat.NotebookNode:
    return nbformat.read(REPO / "notebooks" / lang / f"{stem}.ipynb", as_version=4)


def _run_all(notebook, tmp_path: Path) -> Exception | None:
    """Run All in the stand-in kernel, as Colab's Runtime > Run all does; what stopped it."""
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    for cell in notebook.cells:
        if cell.cell_type == "code":  # as a learner opens it: the checked outputs not run yet
            cell.outputs, cell.execution_count = [], None

    client = NotebookClient(
        notebook, kernel_name=KERNEL, timeout=600, resources={"metadata": {"path": str(tmp_path)}}
    )
    try:
        client.execute()
    except CellExecutionError as exc:
        return exc
    return None


def _setup_cell(notebook) -> int:
    """The index of the lesson's first code cell, the one with the LANGUAGE line and Colab's."""
    return next(i for i, c in enumerate(notebook.cells) if GUARD in c.source)


def _sentence(key: str, lang: str) -> re.Pattern:
    """The catalog sentence, with anything in its placeholders."""
    parts = re.split(r"\{\w+\}", i18n.catalog(lang)[key])
    return re.compile(".+".join(re.escape(part) for part in parts), re.DOTALL)


def _stopped_with_one_sentence(notebook, stopped, pattern: re.Pattern | None) -> dict:
    """The first cell raised one error and printed nothing else; no later cell ran."""
    assert stopped is not None, "Run all went on past the first cell"
    first = _setup_cell(notebook)
    cell = notebook.cells[first]
    (error,) = cell.outputs  # nothing before it: no pip output, no traceback chain
    assert error.output_type == "error"
    if pattern is not None:
        assert error.traceback == [error.evalue], error.traceback
        assert pattern.fullmatch(error.evalue), error.evalue
    later = [c for c in notebook.cells[first + 1 :] if c.cell_type == "code"]
    assert all(c.execution_count is None and not c.outputs for c in later), "a later cell ran"
    return error


# --------------------------------------------------------------------------- tests
@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_lesson_runs_top_to_bottom_without_a_restart(fresh, tmp_path, lang):
    """ipywidgets 7.7.1 loaded at kernel start stays, the Playground shows on it, the checked
    cells equal the committed ones, and cbteach came from the repository at the tag."""
    notebook = _lesson(lang)
    probe = nbformat.v4.new_code_cell(
        "# NBVAL_CHECK_OUTPUT\n"
        "import json, sys\n"
        "from importlib import metadata\n"
        "from IPython import get_ipython\n"
        "from cbteach.widgets import Playground\n"
        "\n"
        "# the display that failed on ipywidgets 7.7 (issue 22); a failing format leaves a key out\n"
        'shown, _ = get_ipython().display_formatter.format(Playground(["overfit"], lang=LANGUAGE))\n'
        "print(sorted(shown))\n"
        'print(sys.modules["ipywidgets"].__version__, metadata.version("keras"))\n'
        'print(sys.modules["google.colab.output"].custom_widget_manager)\n'
        'direct = json.loads(metadata.distribution("cbteach").read_text("direct_url.json"))\n'
        'print(direct["url"], direct["vcs_info"]["requested_revision"])'
    )
    probe.execution_count = 1
    expected = (
        "['application/vnd.jupyter.widget-view+json', 'text/plain']\n"
        f"7.7.1 {metadata.version('keras')}\nTrue\n"
        f"https://github.com/{build.REPOSITORY} {build.TAG}\n"
    )
    probe.outputs = [nbformat.v4.new_output("stream", name="stdout", text=expected)]
    notebook.cells.append(probe)
    path = tmp_path / f"{lang}-00_setup.ipynb"
    nbformat.write(notebook, path)
    run(
        sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-kernel-name", KERNEL,
        "--nbval-cell-timeout=600", "-p", "no:cacheprovider", "-q",
        "--nbval-sanitize-with", REPO / "notebooks" / "nbval_sanitize.cfg", path,
    )  # fmt: skip


def test_a_failed_install_stops_with_one_korean_sentence(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("PIP_FIND_LINKS", fresh["PIP_FIND_LINKS"].split()[0])  # no Keras 3.15
    notebook = _lesson("ko")
    stopped = _run_all(notebook, tmp_path)
    error = _stopped_with_one_sentence(notebook, stopped, _sentence("colab.install_failed", "ko"))
    assert error.ename == "SetupError" and "keras" in error.evalue


def test_keras_imported_before_the_first_cell_stops_and_asks_for_a_restart(fresh, tmp_path):
    notebook = _lesson("en")
    notebook.cells.insert(0, nbformat.v4.new_code_cell("import keras"))
    stopped = _run_all(notebook, tmp_path)
    assert notebook.cells[0].execution_count == 1, "Colab's Keras was imported first"
    error = _stopped_with_one_sentence(notebook, stopped, _sentence("colab.restart", "en"))
    assert error.ename == "SetupError" and f"keras {COLAB_KERAS}" in error.evalue


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_an_unreachable_repository_stops_at_the_first_cell(fresh, tmp_path, monkeypatch, lang):
    """No cbteach is on the machine yet: the sentence comes from the cell's own third line."""
    monkeypatch.setenv("GIT_CONFIG_KEY_0", f"url.{(tmp_path / 'nowhere').as_uri()}.insteadOf")
    notebook = _lesson(lang)
    stopped = _run_all(notebook, tmp_path)
    error = _stopped_with_one_sentence(notebook, stopped, _sentence("colab.unreachable", lang))
    assert error.ename == "SetupError"
