"""Lesson 05's checks as otter-grader tests (notebooks/otter/): same checks, same verdicts.

Without otter installed only the files are checked against notebooks/otter/build.py's list.
With it (``make test-grading``, the ``[grading]`` extra) otter grades a solved and an
unsolved copy of lesson 05's answers, in-process and without containers: otter's own
``check`` (what ``grader.check("ex1")`` runs in a notebook), then ``otter generate`` and
``otter.api.grade_submission`` (the non-containerized ``otter run``) on two notebooks.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cbteach import exercises

ROOT = Path(__file__).resolve().parents[1]
OTTER = ROOT / "notebooks" / "otter"


def build_module():
    spec = importlib.util.spec_from_file_location("otter_build", OTTER / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build = build_module()

SETUP = """\
import dataclasses
import os
import keras
import cbteach
from cbteach.data import load_mnist
from cbteach.training import train
full = load_mnist("sample", seed=0, verbose=False)
data = dataclasses.replace(full, x_train=full.x_train[:512], y_train=full.y_train[:512],
                           x_val=full.x_val[:128], y_val=full.y_val[:128])
"""
# Each exercise's learner variable, as the lesson starts it (unsolved) and solved.
UNSOLVED = {
    "ex1": 'es_answer = cbteach.EarlyStopping(monitor="val_loss", patience=10)',
    "ex2": 'rlr_answer = cbteach.ReduceLROnPlateau(monitor="val_loss", factor=0.1, patience=10)',
    "ex3": 'def checkpoint_answer():\n    return cbteach.ModelCheckpoint("best.keras")',
    "ex4": """\
def team_answer():
    return [
        keras.callbacks.ModelCheckpoint("checkpoints/{epoch:02d}.weights.h5",
            monitor="val_accuracy", save_best_only=True, save_weights_only=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=10, min_lr=1e-2),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=5),
    ]""",
    "ex5": """\
trained_answer = train([cbteach.EarlyStopping(monitor="val_loss", patience=2)],
                       data=data, model="mlp", epochs=12, seed=0)""",
}
SOLVED = {
    "ex1": "es_answer = cbteach.EarlyStopping(patience=3, restore_best_weights=True)",
    "ex2": "rlr_answer = cbteach.ReduceLROnPlateau(factor=0.1, patience=3, min_lr=1e-5)",
    "ex3": """\
def checkpoint_answer():
    return cbteach.ModelCheckpoint("ckpt/{epoch:02d}.weights.h5", monitor="val_accuracy",
                                   save_best_only=True, save_weights_only=True)""",
    "ex4": """\
def team_answer():
    return [
        keras.callbacks.ModelCheckpoint("checkpoints/{epoch:02d}.weights.h5",
            monitor="val_loss", save_best_only=True, save_weights_only=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.3, patience=3, min_lr=1e-5),
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=6, restore_best_weights=True),
    ]""",
    "ex5": """\
trained_answer = train(
    [cbteach.ModelCheckpoint(os.path.join(os.getcwd(), "ckpt5", "{epoch:02d}.weights.h5"),
                             save_best_only=True, save_weights_only=True),
     cbteach.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)],
    data=data, model="mlp", epochs=12, seed=0)""",
}
NAMES = [name for name, _, _ in build.EXERCISES]


def test_the_committed_otter_tests_are_the_ones_the_list_makes():
    assert build.main(["--check"]) == 0


def test_every_otter_test_calls_a_check_that_exists_with_the_lessons_variables():
    for name, check, variables in build.EXERCISES:
        assert callable(getattr(exercises, check)), check
        text = (build.TESTS / f"{name}.py").read_text(encoding="utf-8")
        assert f"exercises.{check}({', '.join(variables)})" in text


def test_both_copies_answer_every_exercise_on_the_list():
    assert sorted(UNSOLVED) == sorted(SOLVED) == sorted(NAMES)


# ----------------------------------------------------------------------------- with otter

needs_otter = pytest.mark.skipif(
    importlib.util.find_spec("otter") is None,
    reason="otter-grader is not installed: make test-grading (the [grading] extra)",
)


def environment(answers: dict[str, str], folder: Path, monkeypatch) -> dict:
    monkeypatch.chdir(folder)
    env: dict = {}
    exec(SETUP, env)  # noqa: S102 - the test's own notebook code
    for code in answers.values():
        exec(code, env)  # noqa: S102
    return env


@pytest.fixture(scope="module")
def envs(tmp_path_factory):
    monkeypatch = pytest.MonkeyPatch()
    try:
        solved = tmp_path_factory.mktemp("solved")
        unsolved = tmp_path_factory.mktemp("unsolved")
        yield {
            "solved": environment(SOLVED, solved, monkeypatch),
            "unsolved": environment(UNSOLVED, unsolved, monkeypatch),
        }
    finally:
        monkeypatch.undo()


@needs_otter
@pytest.mark.parametrize("copy", ["solved", "unsolved"])
def test_otter_check_gives_the_same_verdict_as_the_lessons_check(envs, copy):
    import otter

    grader = otter.Notebook(tests_dir=str(build.TESTS))
    for name, check, variables in build.EXERCISES:
        env = envs[copy]
        result = grader.check(name, env)
        result = getattr(result, "return_value", result)
        verdict = getattr(exercises, check)(*(env[v] for v in variables))
        assert result.passed_all == verdict.ok == (copy == "solved"), (name, str(verdict))
        if not verdict.ok:  # otter shows the check's own ✗ lines
            assert verdict.lines[0] in str(result)


def notebook(answers: dict[str, str], path: Path) -> Path:
    import nbformat

    cells = [nbformat.v4.new_code_cell(SETUP)]
    cells += [nbformat.v4.new_code_cell(code) for code in answers.values()]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, path)
    return path


@needs_otter
def test_otter_run_scores_the_solved_copy_full_and_the_unsolved_copy_zero(tmp_path):
    from otter.api import grade_submission

    zip_path = tmp_path / "autograder.zip"
    command = [sys.executable, "-m", "otter", "generate", "-t", str(build.TESTS)]
    command += ["-o", str(zip_path), "--no-requirements", "--no-environment"]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=tmp_path)
    assert done.returncode == 0 and zip_path.exists(), done.stdout + done.stderr
    scores = {}
    for copy, answers in (("solved", SOLVED), ("unsolved", UNSOLVED)):
        folder = tmp_path / copy
        folder.mkdir()
        path = notebook(answers, folder / "05_exercises.ipynb")
        cwd = os.getcwd()
        try:
            os.chdir(folder)
            results = grade_submission(str(path), str(zip_path), quiet=True)
        finally:
            os.chdir(cwd)
        scores[copy] = (results.total, results.possible)
        per_question = {name: results.get_score(name) for name in NAMES}
        expected = build.POINTS if copy == "solved" else 0
        assert per_question == dict.fromkeys(NAMES, expected), (copy, per_question)
    assert scores == {
        "solved": (len(NAMES) * build.POINTS, len(NAMES) * build.POINTS),
        "unsolved": (0, len(NAMES) * build.POINTS),
    }
