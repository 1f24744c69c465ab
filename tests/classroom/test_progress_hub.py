"""The teacher's view on a real JupyterHub: learners answer lesson 05, `cbteach progress` reads it.

Three learners log in to the hub of ``make classroom`` (hub_load.Hub: DummyAuthenticator,
SimpleLocalProcessSpawner, configurable-http-proxy), each with the lessons in their home.
Through each learner's own kernel (over the websocket, through the proxy, as hub_load drives
a lesson) they run lesson 05's checks with planted right and wrong answers; then the
teacher's command, run over the three homes, must print exactly the planted matrix, the CSV
and the common wrong answers. Runs only with CBTEACH_CLASSROOM=1 (``make classroom``).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

import pytest

from . import hub_load

pytestmark = pytest.mark.skipif(
    os.environ.get("CBTEACH_CLASSROOM") != "1",
    reason="classroom test: set CBTEACH_CLASSROOM=1 (make classroom)",
)

ROOT = Path(__file__).resolve().parents[2]
IMPORTS = "from cbteach import exercises, EarlyStopping, ReduceLROnPlateau, ModelCheckpoint"
ANSWERS = {  # (exercise, right answer, wrong answer), each a cell a learner runs
    "ex1": (
        "exercises.check_early_stopping(EarlyStopping(patience=3, restore_best_weights=True))",
        "exercises.check_early_stopping(EarlyStopping(patience=30))",
    ),
    "ex2": (
        "exercises.check_lr_plateau(ReduceLROnPlateau(factor=0.1, patience=3, min_lr=1e-5))",
        "exercises.check_lr_plateau(ReduceLROnPlateau(patience=100))",
    ),
    "ex3": (
        (
            'exercises.check_checkpoint(lambda: ModelCheckpoint("ckpt/{epoch:02d}.weights.h5", '
            'monitor="val_accuracy", save_best_only=True, save_weights_only=True))'
        ),
        'exercises.check_checkpoint(ModelCheckpoint("best.keras"))',
    ),
}
# What each learner answers, in order: "right", "wrong", or nothing (the exercise is not tried).
PLANTED = {
    "learner01": {"ex1": ["wrong", "right"], "ex2": ["right"], "ex3": ["wrong"]},
    "learner02": {"ex1": ["wrong"], "ex3": ["right"]},
    "learner03": {},
}
EXPECTED_MATRIX = [
    "learner   05/ex1 05/ex2 05/ex3",
    "learner01 ✓      ✓      ✗",
    "learner02 ✗      ·      ✓",
    "learner03 ·      ·      ·",
    "passed    1      1      1",
]


@pytest.fixture(scope="module")
def hub_class():
    """The hub, three learners, each one's answers run in their own kernel; the homes."""
    if hub_load.missing_tools():
        pytest.skip(
            "jupyterhub / configurable-http-proxy missing: " + ", ".join(hub_load.missing_tools())
        )
    run_id, t0 = secrets.token_hex(8), time.monotonic()
    hub = hub_load.Hub(Namespace(backend="tensorflow"), run_id)
    deadline = time.monotonic() + 600
    try:
        hub.start(deadline)
        names = sorted(PLANTED)
        hub.add_learners(names, ROOT / "notebooks" / "en")
        hub_load.spawn_all(hub, names, deadline)
        errors: list[str] = []

        def answer(name):
            try:
                _answer(hub, name, hub.user_token(name), deadline)
            except Exception as error:  # noqa: BLE001 - reported by the test
                errors.append(f"{name}: {type(error).__name__}: {error}")

        hub_load.in_threads(answer, names)
        assert errors == []
        homes = [hub.tmp / "home" / name for name in names]
        yield homes, time.monotonic() - t0
    finally:
        hub.stop()
        hub_load.kill_stragglers(run_id)


def _answer(hub, name: str, token: str, deadline: float) -> None:
    """Run the learner's planted answers in their kernel; each check must say what was planted."""
    kernel = hub_load.Kernel(hub, name, token)
    try:
        kernel.start(deadline - time.monotonic())
        _run(kernel, IMPORTS, deadline)
        for exercise, tries in PLANTED[name].items():
            for kind in tries:
                right, wrong = ANSWERS[exercise]
                out = _run(kernel, f"print(({right if kind == 'right' else wrong}).ok)", deadline)
                assert out == str(kind == "right"), f"{name} {exercise} {kind}: {out}"
    finally:
        kernel.close()


def _run(kernel, code: str, deadline: float) -> str:
    outputs = kernel.execute(code, deadline)
    errors = [o for o in outputs if o["output_type"] == "error"]
    assert not errors, errors
    return "".join(o.get("text", "") for o in outputs if o.get("name") == "stdout").strip()


def _teacher(*args: str) -> str:
    command = [sys.executable, "-m", "cbteach", "progress", *args]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run(
        command, capture_output=True, text=True, timeout=300, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_teachers_command_prints_exactly_the_planted_matrix(hub_class, tmp_path):
    homes, seconds = hub_class
    print(f"hub, 3 learners answering lesson 05: {seconds:.0f} s")
    csv = tmp_path / "class.csv"
    out = _teacher(*map(str, homes), "--csv", str(csv), "--lang", "en").splitlines()
    start = out.index(EXPECTED_MATRIX[0])
    assert out[start : start + len(EXPECTED_MATRIX)] == EXPECTED_MATRIX
    assert csv.read_text(encoding="utf-8").splitlines() == [
        "learner,05/ex1,05/ex2,05/ex3,problems",
        "learner01,pass,pass,fail,",
        "learner02,fail,,pass,",
        "learner03,,,,no_file",
    ]
    assert "- 2 of 3 forgot restore_best_weights=True (05/ex1)." in out
    assert "- 1 of 3 did not save weights only to a .weights.h5 file (05/ex3)." in out


def test_the_attempts_are_counted_in_each_learners_file(hub_class):
    homes, _ = hub_class
    from cbteach import progress

    learners = {each.name: each for each in progress.read_class(homes)}
    assert [v for v, _ in learners["learner01"].answers[("05", "ex1")]] == ["fail", "pass"]
    assert learners["learner01"].problems == []
    assert learners["learner03"].problems == [("no_file", {"file": progress.FILE_NAME})]


def test_the_report_in_korean(hub_class):
    homes, _ = hub_class
    out = _teacher(*map(str, homes), "--lang", "ko")
    assert "학습자    05/ex1 05/ex2 05/ex3" in out
    assert "3명 중 2명이 restore_best_weights=True를 빠뜨렸습니다(05/ex1)." in out
