"""The wheel, installed into a fresh venv with no repo on the path, serves the whole workbook.

Slow (a venv with TensorFlow: about two minutes from pip's cache), so it runs only with
``CBTEACH_WHEEL=1`` (``make test-wheel``, which CI runs). Builds the wheel, checks that the
lessons are in it, installs it with nbval into a new venv, runs ``cbteach lessons`` in an
empty folder and executes one lesson from that copy with nbval, as `make test-notebooks` does.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
LESSON = os.environ.get("CBTEACH_WHEEL_LESSON", "en/00_setup.ipynb")
pytestmark = pytest.mark.skipif(
    os.environ.get("CBTEACH_WHEEL") != "1", reason="slow: set CBTEACH_WHEEL=1 (make test-wheel)"
)


def run(*command: str | Path, cwd: Path, env: dict | None = None) -> str:
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
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-w", out, REPO, cwd=REPO)
    (built,) = out.glob("cbteach-*.whl")
    return built


def test_the_wheel_carries_the_lessons_the_answer_key_and_the_data_they_read(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    for lang in ("ko", "en"):
        shipped = sorted(n for n in names if n.startswith(f"cbteach/lessons/{lang}/"))
        committed = sorted(p.name for p in (REPO / "notebooks" / lang).glob("*.ipynb"))
        assert [n.rsplit("/", 1)[1] for n in shipped] == committed and len(committed) == 11
        assert f"cbteach/locales/{lang}/lessons.json" in names
        key = sorted(n for n in names if n.startswith(f"cbteach/lessons/answers/{lang}/"))
        answers = sorted(p.name for p in (REPO / "notebooks" / "answers" / lang).glob("*.ipynb"))
        assert [n.rsplit("/", 1)[1] for n in key] == answers and answers  # the answer key
    assert {"cbteach/recorded/overfit.json", "cbteach/recorded/plateau.json"} <= set(names)


def test_a_fresh_venv_gets_the_lessons_and_runs_one_with_nbval(wheel, tmp_path):
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(python, "-m", "pip", "install", "--quiet", wheel, "nbval>=0.11,<0.12", cwd=tmp_path)
    work = tmp_path / "learner"  # no repo here, nor on the path
    work.mkdir()
    where = run(python, "-c", "import cbteach; print(cbteach.__file__)", cwd=work)
    assert Path(where.strip()).is_relative_to(venv), where
    printed = run(venv / "bin" / "cbteach", "lessons", "class", "--lang", "en", cwd=work)
    assert "11 copied" in printed, printed
    assert not (work / "class" / "ko").exists()
    assert not (work / "class" / "answers").exists(), "the answer key is the teacher's"
    printed = run(venv / "bin" / "cbteach", "lessons", "teacher", "--answers", cwd=work)
    key = work / "teacher" / "answers"  # both languages by default: 3 notebooks each
    assert "6 copied" in printed and (key / "en").is_dir() and (key / "ko").is_dir(), printed
    nb_env = {
        "CBTEACH_DATA": "sample",
        "CBTEACH_FAST": "1",
        "CBTEACH_OUT": str(tmp_path / "out"),
        "TF_CPP_MIN_LOG_LEVEL": "2",
        "PYTHONHASHSEED": "0",
        "PYTHONPATH": "",
    }
    lesson = Path("class") / LESSON
    result = run(
        python, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
        "--nbval-sanitize-with", REPO / "notebooks" / "nbval_sanitize.cfg", lesson,
        cwd=work, env=nb_env,
    )  # fmt: skip
    assert " passed" in result and "failed" not in result, result
