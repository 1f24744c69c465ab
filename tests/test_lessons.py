"""`cbteach lessons` and `cbteach lab`: the shipped workbook, copied out without losing edits;
`cbteach lessons --answers`: the answer key, for the teacher only."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cbteach import i18n, lessons
from cbteach.__main__ import main

REPO = Path(__file__).resolve().parent.parent
LESSON_NAMES = sorted(p.name for p in (REPO / "notebooks" / "ko").glob("*.ipynb"))
COUNT = len(LESSON_NAMES)  # six lessons, five of them with a deep dive
KEYED = ["00_setup.ipynb", "04_all_three.ipynb", "05_exercises.ipynb"]


def test_the_source_holds_the_committed_lessons():
    origin = lessons.source()
    for lang in i18n.LANGUAGES:
        names = sorted(p.name for p in (origin / lang).glob("*.ipynb"))
        assert names == LESSON_NAMES and len(names) == 11
        committed = REPO / "notebooks" / lang / names[0]
        assert (origin / lang / names[0]).read_bytes() == committed.read_bytes()


def test_copies_every_lesson_then_leaves_unchanged_ones_alone(tmp_path):
    first = lessons.copy_lessons(tmp_path, "both")
    assert [e.status for e in first] == ["copied"] * 2 * COUNT
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == LESSON_NAMES
    json.loads((tmp_path / "ko" / LESSON_NAMES[0]).read_text())  # a whole notebook
    again = lessons.copy_lessons(tmp_path, "both")
    assert [e.status for e in again] == ["unchanged"] * 2 * COUNT


def test_an_edited_lesson_is_kept_and_the_fresh_one_written_beside_it(tmp_path):
    lessons.copy_lessons(tmp_path, "ko")
    edited = tmp_path / "ko" / "03_early_stopping.ipynb"
    at = LESSON_NAMES.index(edited.name)
    edited.write_text('{"my": "answers"}')
    report = lessons.copy_lessons(tmp_path, "ko")
    kept = [e for e in report if e.status == "kept"]
    assert [e.path for e in kept] == [edited]
    assert edited.read_text() == '{"my": "answers"}'  # the learner's work, untouched
    fresh = kept[0].fresh
    assert fresh.name == "03_early_stopping.fresh.ipynb"
    assert fresh.read_bytes() == (lessons.source() / "ko" / edited.name).read_bytes()
    # a third run finds the fresh copy already there: no .fresh-2
    assert lessons.copy_lessons(tmp_path, "ko")[at].fresh == fresh
    assert not list((tmp_path / "ko").glob("*.fresh-2.ipynb"))
    fresh.write_text("edited too")  # the fresh copy edited as well: a second one beside
    assert lessons.copy_lessons(tmp_path, "ko")[at].fresh.name == "03_early_stopping.fresh-2.ipynb"
    assert fresh.read_text() == "edited too"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_cli_says_what_it_did_and_which_lessons_it_kept(tmp_path, capsys, lang):
    folder = tmp_path / "class"
    assert main(["lessons", str(folder), "--lang", lang]) == 0
    (folder / lang / LESSON_NAMES[1]).write_text("mine")
    assert main(["lessons", str(folder), "--lang", lang]) == 0
    printed = capsys.readouterr().out.splitlines()
    done = i18n.t("lessons.done", lang, folder=folder, copied=COUNT, unchanged=0, kept=0)
    assert printed[0] == done
    kept = folder / lang / LESSON_NAMES[1]
    fresh = kept.with_name(kept.stem + ".fresh.ipynb").name
    assert printed[1] == i18n.t("lessons.kept", lang, path=kept, fresh=fresh)
    assert not (folder / ("en" if lang == "ko" else "ko")).exists()


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_wrong_lang_says_what_to_write_in_the_learners_language(tmp_path, monkeypatch, lang):
    monkeypatch.setenv("CBTEACH_LANG", lang)
    monkeypatch.setattr(i18n, "_current", None)
    with pytest.raises(SystemExit) as stopped:
        main(["lessons", str(tmp_path), "--lang", "kr"])
    assert str(stopped.value) == i18n.t(
        "lessons.bad_lang", lang, got="'kr'", choices="ko, en, both"
    )
    assert not list(tmp_path.iterdir())  # nothing half-copied


def test_lab_roots_jupyterlab_at_the_folder_and_opens_the_first_lesson(tmp_path, monkeypatch):
    ran = []
    monkeypatch.setattr(subprocess, "call", lambda command: ran.append(command) or 0)
    assert main(["lab", str(tmp_path), "--lang", "en", "--port=8899"]) == 0
    (command,) = ran
    assert command[:3] == [sys.executable, "-m", "jupyterlab"]
    assert f"--ServerApp.root_dir={tmp_path.resolve()}" in command
    assert "--LabApp.default_url=/lab/tree/en/00_setup.ipynb" in command
    assert command[-1] == "--port=8899"  # what cbteach does not know goes to JupyterLab
    assert (tmp_path / "en" / "00_setup.ipynb").is_file()


def test_lab_without_jupyterlab_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "find_spec", lambda name: None)
    with pytest.raises(SystemExit) as stopped:
        main(["lab", str(tmp_path), "--lang", "ko"])
    assert str(stopped.value) == i18n.t("lessons.no_jupyterlab", "ko")
    assert 'pip install "cbteach[lab]"' in str(stopped.value)


def test_other_commands_still_refuse_unknown_arguments():
    with pytest.raises(SystemExit) as stopped:
        main(["runs", "--port=8899"])
    assert stopped.value.code == 2


# ----------------------------------------------------------------------------- the answer key


def _solutions(notebook: Path) -> list[str]:
    """The solution cells of a notebook (the answer key marks them ``solution: true``)."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return ["".join(c["source"]) for c in cells if c.get("metadata", {}).get("solution") is True]


def _fenced(text: str) -> list[str]:
    return [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]


def test_the_answer_key_ships_apart_from_the_lessons():
    for lang in i18n.LANGUAGES:
        names = sorted(p.name for p in (lessons.source() / lessons.ANSWERS / lang).glob("*"))
        assert names == KEYED


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_learners_copy_holds_no_solution_and_the_teachers_holds_them(tmp_path, lang):
    learner, teacher = tmp_path / "learner", tmp_path / "teacher"
    lessons.copy_lessons(learner, lang)
    assert not (learner / lessons.ANSWERS).exists()
    report = lessons.copy_answers(teacher, lang)
    assert [e.path.name for e in report] == KEYED and {e.status for e in report} == {"copied"}
    assert not (teacher / lang).exists(), "--answers writes the answer key, not the lessons"
    copied = "\n".join(p.read_text(encoding="utf-8") for p in (learner / lang).glob("*.ipynb"))
    for name in KEYED:
        solutions = _solutions(teacher / lessons.ANSWERS / lang / name)
        assert solutions, name
        code = [block for text in solutions for block in _fenced(text)]
        assert code, name
        for block in code:  # as JSON stores it: a learner's copy holds none of it
            assert json.dumps(block)[1:-1] not in copied, (name, block[:60])
    assert '"solution": true' not in copied


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_cli_answers_says_it_is_for_the_teacher_and_never_overwrites(tmp_path, capsys, lang):
    folder = tmp_path / "teacher"
    assert main(["lessons", str(folder), "--answers", "--lang", lang]) == 0
    answers = folder / lessons.ANSWERS
    done = i18n.t("lessons.answers_done", lang, folder=answers, copied=3, unchanged=0, kept=0)
    assert capsys.readouterr().out.splitlines() == [done]
    mine = answers / lang / "05_exercises.ipynb"
    mine.write_text("my notes on the answers")
    assert main(["lessons", str(folder), "--answers", "--lang", lang]) == 0
    assert mine.read_text() == "my notes on the answers"
    fresh = mine.with_name("05_exercises.fresh.ipynb")
    assert (
        fresh.read_bytes() == (lessons.source() / lessons.ANSWERS / lang / mine.name).read_bytes()
    )
    assert i18n.t("lessons.kept", lang, path=mine, fresh=fresh.name) in capsys.readouterr().out


def test_answers_into_a_learners_folder_touch_no_lesson(tmp_path):
    lessons.copy_lessons(tmp_path, "en")
    (tmp_path / "en" / "05_exercises.ipynb").write_text("learner's work")
    before = {p: p.read_bytes() for p in (tmp_path / "en").iterdir()}
    lessons.copy_answers(tmp_path, "en")
    assert {p: p.read_bytes() for p in (tmp_path / "en").iterdir()} == before


def test_a_missing_answer_key_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(lessons, "source", lambda: tmp_path)
    with pytest.raises(SystemExit) as stopped:
        main(["lessons", str(tmp_path / "out"), "--answers", "--lang", "ko"])
    assert str(stopped.value) == i18n.t("lessons.missing", where=tmp_path / lessons.ANSWERS)
