"""Binder and the lowest versions: the files repo2docker reads agree with pyproject.toml.

repo2docker (what mybinder.org builds with) looks for its configuration in ``binder/`` first
and, when that folder exists, ignores the repository root, so the root ``environment.yml``
(for ``conda env create``, checked by ``tests/test_packaging.py``) plays no part on Binder.
``binder/environment.yml`` holds no local pip requirement, so repo2docker installs it before it
copies the repository in (and caches that layer); ``binder/postBuild`` then installs cbteach.
``tests/lowest/constraints.txt`` pins the lowest versions pyproject allows (``make test-lowest``).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.version import Version
from test_packaging import _norm, _pyproject, _runtime_deps

ROOT = Path(__file__).resolve().parents[1]
BINDER = ROOT / "binder"
# The configuration files repo2docker reads (its documentation, "Configuration files").
REPO2DOCKER_FILES = {
    "environment.yml",
    "Pipfile",
    "Pipfile.lock",
    "requirements.txt",
    "setup.py",
    "pyproject.toml",
    "Project.toml",
    "REQUIRE",
    "install.R",
    "apt.txt",
    "DESCRIPTION",
    "postBuild",
    "start",
    "runtime.txt",
    "default.nix",
    "Dockerfile",
}
# repo2docker's own pattern for the Python version of an environment.yml.
PYTHON_PIN = re.compile(r"python\s*=+\s*([\d.]*)")
LOWEST = ROOT / "tests" / "lowest" / "constraints.txt"
BINDER_LINK = re.compile(r"mybinder\.org/v2/gh/[^)\s]*?urlpath=lab/tree/([^)\s&]+)")


def _binder_environment() -> dict:
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read environment.yml")
    return yaml.safe_load((BINDER / "environment.yml").read_text(encoding="utf-8"))


def _pip_lines(env: dict) -> list[str]:
    lines = []
    for entry in env.get("dependencies") or []:
        if isinstance(entry, dict):
            lines += [str(line).strip() for line in entry.get("pip") or []]
    return lines


def test_binder_folder_holds_only_what_repo2docker_needs():
    present = {p.name for p in BINDER.iterdir()} & REPO2DOCKER_FILES
    assert present == {"environment.yml", "postBuild"}, present


def test_binder_environment_has_pyprojects_ranges():
    env = _binder_environment()
    conda = [str(e) for e in env["dependencies"] if not isinstance(e, dict)]
    assert sorted(_norm(c.split("=")[0].split(">")[0].strip()) for c in conda) == ["pip", "python"]
    pinned = {}
    for line in _pip_lines(env):
        req = Requirement(line)
        pinned[_norm(req.name)] = req.specifier
    assert pinned == _runtime_deps(), "binder/environment.yml out of step with pyproject.toml"


def test_binder_python_is_pinned_and_supported():
    env = _binder_environment()
    versions = [
        m.group(1)
        for e in env["dependencies"]
        if isinstance(e, str) and (m := PYTHON_PIN.match(e.replace(" ", "")))
    ]
    assert len(versions) == 1 and versions[0].count(".") == 1, "pin python=X.Y for repo2docker"
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert requires.contains(versions[0]), f"python={versions[0]} not in {requires}"


def test_binder_environment_has_no_local_pip_requirement():
    """No `-e .`, `-r file` or path: repo2docker can install it before copying the repo."""
    for line in _pip_lines(_binder_environment()):
        assert not line.startswith(("-", ".", "/")) and "file:" not in line, line


def test_postbuild_installs_cbteach_without_its_dependencies():
    path = BINDER / "postBuild"
    assert os.access(path, os.X_OK), "binder/postBuild must be executable"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("#!/bin/bash\n") and "set -euo pipefail" in text
    code = [ln.split("#", 1)[0].strip() for ln in text.splitlines()[1:]]
    assert 'cd "$(dirname "$0")/.."' in code, "install from the repository root"
    assert "python -m pip install --no-deps -e ." in code
    assert 'python -c "import cbteach"' in code


def test_binder_links_open_a_notebook_that_exists():
    for readme in ("README.md", "README.ko.md"):
        for target in BINDER_LINK.findall((ROOT / readme).read_text(encoding="utf-8")):
            assert (ROOT / target).is_file(), f"{readme}: Binder opens {target}, not a file"


def test_lowest_constraints_pin_every_lower_bound():
    pins = {}
    for line in LOWEST.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            (spec,) = req.specifier
            assert spec.operator == "==", line
            pins[_norm(req.name)] = Version(spec.version)
    lowest = {}
    for name, spec in _runtime_deps().items():
        floors = [s.version for s in spec if s.operator == ">="]
        assert len(floors) == 1, f"{name} needs one lower bound: {spec}"
        lowest[name] = Version(floors[0])
    assert pins == lowest, "tests/lowest/constraints.txt out of step with pyproject.toml"
