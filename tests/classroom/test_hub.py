"""The classroom load test, small: a real JupyterHub, two learners, one lesson at once.

Runs only with CBTEACH_CLASSROOM=1 (``make classroom`` sets it and installs jupyterhub and
configurable-http-proxy); see README.md here.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import psutil
import pytest

from . import hub_load, lesson_outputs

pytestmark = pytest.mark.skipif(
    os.environ.get("CBTEACH_CLASSROOM") != "1",
    reason="classroom load test: set CBTEACH_CLASSROOM=1 (make classroom)",
)


@pytest.fixture(scope="module")
def tools():
    missing = hub_load.missing_tools()
    if missing:
        pytest.skip("jupyterhub / configurable-http-proxy missing: " + ", ".join(missing))


@pytest.fixture(scope="module")
def run(tools, tmp_path_factory):
    out = tmp_path_factory.mktemp("classroom") / "classroom.md"
    rc = hub_load.main(["--learners", "2", "--out", str(out), "--timeout", "600"])
    report = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))
    return rc, report, out.read_text(encoding="utf-8")


def test_two_learners_run_the_lesson_with_no_failure(run):
    rc, report, table = run
    assert report["failures"] == 0, table
    assert rc == 0, table
    (size,) = report["sizes"]
    assert size["learners"] == 2
    assert "| 2 | tensorflow |" in table


def test_both_learners_checked_outputs_matched(run):
    _, report, table = run
    learners = report["sizes"][0]["per_learner"]
    assert [r["learner"] for r in learners] == ["learner01", "learner02"]
    for r in learners:
        assert r["checked"] > 0, table
        assert r["matched"] == r["checked"], table
        assert r["first_playground_s"] is not None and r["wall_s"] >= r["first_playground_s"]
        assert r["peak_rss_mib"] > 50 and r["cpu_s"] > 0


def test_nothing_is_left_running(run):
    _, report, _ = run
    assert report["leftover"] == [] and report["stragglers"] == []
    assert hub_load.run_processes(report["run_id"]) == []
    tmp = report["tmp"]
    assert not Path(tmp).exists()
    for proc in psutil.process_iter():
        try:
            names = " ".join(proc.cmdline())
            if any(t in names for t in ("jupyterhub", "configurable-http-proxy")):
                assert not proc.cwd().startswith(tmp), names
            assert tmp not in names, names
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess):
            continue


def test_the_comparison_catches_a_changed_output(tools):
    """The check is real: committed outputs pass, a changed one fails, an address does not."""
    _, cells = lesson_outputs.load_lesson("en/03_early_stopping")
    patterns = lesson_outputs.sanitize_patterns()
    cell = next(c for c in cells if c["check"] and c["outputs"][0].get("name") == "stdout")
    assert lesson_outputs.judge(cell, cell["outputs"], patterns) == []
    changed = [{**cell["outputs"][0], "text": cell["outputs"][0]["text"] + "extra\n"}]
    assert lesson_outputs.judge(cell, changed, patterns)
    moved = [{**o, "text": o["text"] + " at 0xdeadbeef"} for o in cell["outputs"]]
    ref = {**cell, "outputs": [{**o, "text": o["text"] + " at 0x1234"} for o in cell["outputs"]]}
    assert lesson_outputs.judge(ref, moved, patterns) == []
    error = [{"output_type": "error", "ename": "ValueError", "evalue": "boom", "traceback": []}]
    assert any("ValueError: boom" in f for f in lesson_outputs.judge(cell, error, patterns))
