"""Packaging checks: pyproject.toml, environment.yml, .ci/run and README.md stay in step."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.requirements import Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    tomllib = pytest.importorskip("tomli", reason="tomli is needed to read TOML on Python 3.10")

ROOT = Path(__file__).resolve().parents[1]

# Built from pieces so that this file does not itself contain the strings it looks for.
REGISTRY_HOSTS = ("pypi" + ".org", "files" + ".pythonhosted", "registry" + ".npmjs")

_CONDA_SPEC = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(.*?)\s*$")


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _pyproject() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def _runtime_deps() -> dict[str, SpecifierSet]:
    deps = {}
    for line in _pyproject()["project"]["dependencies"]:
        req = Requirement(line)
        deps[_norm(req.name)] = req.specifier
    return deps


def _environment_specs() -> dict[str, str]:
    """name -> raw version spec, from environment.yml's conda and pip sections."""
    yaml = pytest.importorskip("yaml", reason="PyYAML is needed to read environment.yml")
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    specs: dict[str, str] = {}
    for entry in env.get("dependencies") or []:
        if isinstance(entry, dict):
            for line in entry.get("pip") or []:
                line = str(line).strip()
                if not line or line.startswith("-"):  # -e ., -r file, options
                    continue
                req = Requirement(line)
                specs[_norm(req.name)] = str(req.specifier)
        else:
            m = _CONDA_SPEC.match(str(entry).split("::")[-1])
            assert m, f"cannot parse conda dependency {entry!r}"
            specs[_norm(m.group(1))] = m.group(2).replace(" ", "")
    return specs


def test_environment_yml_matches_pyproject_runtime_deps():
    env = _environment_specs()
    problems = []
    for name, spec in _runtime_deps().items():
        if name not in env:
            problems.append(f"{name}: missing from environment.yml")
            continue
        try:
            env_spec = SpecifierSet(env[name])
        except InvalidSpecifier:
            problems.append(f"{name}: environment.yml has {env[name]!r}, pyproject has {spec}")
            continue
        if env_spec != spec:
            problems.append(f"{name}: environment.yml has {env_spec}, pyproject has {spec}")
    assert not problems, "environment.yml out of step with pyproject.toml:\n" + "\n".join(problems)


def test_environment_yml_python_is_supported():
    env = _environment_specs()
    assert "python" in env, "environment.yml should pin python"
    version = env["python"].lstrip("=")
    requires = SpecifierSet(_pyproject()["project"]["requires-python"])
    assert requires.contains(version), f"python={version} not in requires-python {requires}"


def test_version_matches_pyproject():
    import cbteach

    assert cbteach.__version__ == _pyproject()["project"]["version"]


def test_ci_script_runs_make_test():
    text = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    code = [ln.split("#", 1)[0] for ln in text.splitlines() if not ln.lstrip().startswith("#")]
    assert any(re.search(r"\bmake\s+test\b", ln) for ln in code), ".ci/run must call `make test`"
    assert "set -euo pipefail" in text


def _readme_intro_code_lines() -> list[list[str]]:
    """Commands of each fenced code block that comes before the first `## ` heading."""
    blocks: list[list[str]] = []
    fence = None
    for raw in (ROOT / "README.md").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if fence is None:
            if line.startswith("## "):
                break
            m = re.match(r"^(`{3,}|~{3,})", line)
            if m:
                fence = m.group(1)
                blocks.append([])
        elif line.startswith(fence):
            fence = None
        else:
            cmd = re.sub(r"^\$\s+", "", line)
            if cmd and not cmd.startswith("#"):
                blocks[-1].append(cmd)
    return blocks


def test_readme_quickstart_shows_make_demo_and_make_test():
    def first_index(cmds: list[str], target: str) -> int | None:
        for i, cmd in enumerate(cmds):
            if cmd.split()[:2] == target.split():
                return i
        return None

    blocks = _readme_intro_code_lines()
    for cmds in blocks:
        demo, test = first_index(cmds, "make demo"), first_index(cmds, "make test")
        if demo is not None and test is not None and demo < test:
            return
    pytest.fail(
        "README.md needs a fenced code block with `make demo` then `make test` "
        f"before its first `## ` heading; found blocks: {blocks}"
    )


def _repo_files() -> list[Path]:
    git = shutil.which("git")
    if git is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = subprocess.run(
        [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout
    return [ROOT / p for p in sorted(set(out.decode().split("\0"))) if p]


def test_no_registry_host_names_in_repo():
    hits = []
    for path in _repo_files():
        if not path.is_file():  # deleted in the working tree
            continue
        text = path.read_bytes().lower()
        hits += [
            f"{path.relative_to(ROOT)}: {host}" for host in REGISTRY_HOSTS if host.encode() in text
        ]
    assert not hits, "registry host names found:\n" + "\n".join(hits)
