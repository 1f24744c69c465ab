"""deploy/: the Zero to JupyterHub values, the image, the lessons' link (docs/HUB.md). Not deployed.

What can be checked on this machine: the values file is valid YAML with the chart's keys; its
memory and CPU figures agree with the sizing measured by ``make classroom`` (read from the
same table docs/CLASSROOM.md shows, not retyped); the nbgitpuller link and the postStart pull point
at the repository and tag that ``notebooks/build.py`` names; the Dockerfile copies what exists.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[1]
VALUES = ROOT / "deploy" / "z2jh-values.yaml"
HUB_DOC = ROOT / "docs" / "HUB.md"
TABLE_HEAD = "| learners at once | backend |"
GIB = 1024**3


def build_constants() -> tuple[str, str]:
    spec = importlib.util.spec_from_file_location(
        "notebooks_build", ROOT / "notebooks" / "build.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.REPOSITORY, module.TAG


REPOSITORY, TAG = build_constants()


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(VALUES.read_text(encoding="utf-8"))


def sizing_page() -> str:
    """The page that holds `make classroom`'s sizing table (docs/CLASSROOM.md; README is searched too)."""
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = page.read_text(encoding="utf-8")
        if TABLE_HEAD in text:
            return text
    raise AssertionError(f"no page holds the sizing table ({TABLE_HEAD} ...)")


def sizing_rows() -> list[dict[str, str]]:
    lines = sizing_page().splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(TABLE_HEAD))
    head = [cell.strip() for cell in lines[start].strip("|").split("|")]
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(dict(zip(head, (cell.strip() for cell in line.strip("|").split("|")))))
    return rows


def number(text: str) -> float:
    return float(re.search(r"[\d.]+", text).group())


def quantity(value) -> float:
    """A Kubernetes quantity in bytes ("1G", "2Gi", "512M") or cores (0.5, "500m")."""
    text = str(value)
    units = {"Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "K": 1e3, "M": 1e6, "G": 1e9, "m": 1e-3}
    for unit, factor in units.items():
        if text.endswith(unit):
            return float(text[: -len(unit)]) * factor
    return float(text)


def plan() -> tuple[int, float, int]:
    """The sizing text's plan: (learners, GiB with headroom, cores)."""
    text = re.sub(r"\s+", " ", sizing_page())
    learners = int(re.search(r"For (\d+) learners working", text).group(1))
    found = re.search(r"(\d+) GiB with headroom\) and (\d+) cores", text)
    return learners, float(found.group(1)), int(found.group(2))


def test_the_values_are_yaml_with_the_charts_top_level_keys(values):
    known = {"hub", "proxy", "singleuser", "cull", "scheduling", "prePuller", "ingress"}
    assert set(values) <= known
    assert values["singleuser"]["image"]["tag"] == TAG


def test_the_memory_guarantee_covers_what_a_learner_was_measured_to_use(values):
    rows = sizing_rows()
    per_learner = max(number(row["per learner"]) for row in rows) * GIB
    memory = values["singleuser"]["memory"]
    assert quantity(memory["guarantee"]) >= per_learner
    assert quantity(memory["limit"]) >= 2 * per_learner
    peak = re.search(r"\(([\d.]+) GiB peak RSS", re.sub(r"\s+", " ", sizing_page()))
    if peak:  # a kernel's peak after training a CNN (benchmarks/memory_bench.py)
        assert quantity(memory["limit"]) >= float(peak.group(1)) * GIB


def test_a_class_fits_the_planned_server(values):
    learners, memory_gib, cores = plan()
    singleuser = values["singleuser"]
    assert learners * quantity(singleuser["memory"]["guarantee"]) <= memory_gib * GIB
    assert learners * quantity(singleuser["cpu"]["guarantee"]) <= cores


def test_the_cpu_limit_lets_a_learner_alone_run_at_the_measured_speed(values):
    alone = [row for row in sizing_rows() if row["learners at once"] == "1"]
    busy = max(
        number(row["CPU per learner"]) / number(row["lesson wall time (max)"]) for row in alone
    )
    assert quantity(values["singleuser"]["cpu"]["limit"]) >= round(busy, 1)


def test_learners_use_the_bundled_sample_and_idle_servers_are_culled(values):
    assert values["singleuser"]["extraEnv"]["CBTEACH_DATA"] == "sample"
    cull = values["cull"]
    assert cull["enabled"] is True and 600 <= cull["timeout"] <= 4 * 3600


def test_no_authenticator_that_lets_anyone_in_is_shipped(values):
    config = values.get("hub", {}).get("config", {})
    assert config.get("JupyterHub", {}).get("authenticator_class") is None


def links() -> list[str]:
    return re.findall(
        r"https?://[^\s)`>\"]*/hub/user-redirect/git-pull\?[^\s)`>\"]+", HUB_DOC.read_text()
    )


def test_the_nbgitpuller_links_point_at_this_repository_and_an_existing_lesson():
    found = links()
    assert found, "docs/HUB.md shows no nbgitpuller link"
    for link in found:
        parts = urlsplit(link)
        assert parts.scheme == "https" and parts.netloc
        assert parts.path.endswith("/hub/user-redirect/git-pull")
        query = {
            key: values[0] for key, values in parse_qs(parts.query, strict_parsing=True).items()
        }
        assert set(query) <= {"repo", "branch", "urlpath", "targetpath"}
        assert query["repo"] == f"https://github.com/{REPOSITORY}"
        assert query["branch"] == TAG
        folder = query.get("targetpath", REPOSITORY.split("/")[1])
        prefix = f"lab/tree/{folder}/"
        assert query["urlpath"].startswith(prefix)
        assert (ROOT / query["urlpath"][len(prefix) :]).exists(), query["urlpath"]
        assert "%2F" in link and " " not in link  # encoded as nbgitpuller's link generator does


def test_the_poststart_pull_is_the_links_repository_and_the_default_url_exists(values):
    singleuser = values["singleuser"]
    command = singleuser["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command == ["gitpuller", f"https://github.com/{REPOSITORY}", TAG, "cbteach"]
    prefix = "/lab/tree/cbteach/"
    assert singleuser["defaultUrl"].startswith(prefix)
    assert (ROOT / singleuser["defaultUrl"][len(prefix) :]).is_dir()


def test_the_dockerfile_copies_what_exists_and_installs_nbgitpuller():
    text = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    for line in re.findall(r"^COPY (?:--\S+ )*(.+) \S+$", text, re.MULTILINE):
        for source in line.split():
            assert (ROOT / source).exists(), source
    assert "nbgitpuller" in text and "pip install" in text
