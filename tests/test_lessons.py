"""`cbteach lessons` and `cbteach lab`: the shipped workbook, copied out without losing edits."""

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


def test_the_source_holds_the_twelve_committed_lessons():
    origin = lessons.source()
    for lang in i18n.LANGUAGES:
        names = sorted(p.name for p in (origin / lang).glob("*.ipynb"))
        assert names == LESSON_NAMES and len(names) == 6
        committed = REPO / "notebooks" / lang / names[0]
        assert (origin / lang / names[0]).read_bytes() == committed.read_bytes()


def test_copies_every_lesson_then_leaves_unchanged_ones_alone(tmp_path):
    first = lessons.copy_lessons(tmp_path, "both")
    assert [e.status for e in first] == ["copied"] * 12
    assert sorted(p.name for p in (tmp_path / "en").iterdir()) == LESSON_NAMES
    json.loads((tmp_path / "ko" / LESSON_NAMES[0]).read_text())  # a whole notebook
    again = lessons.copy_lessons(tmp_path, "both")
    assert [e.status for e in again] == ["unchanged"] * 12


def test_an_edited_lesson_is_kept_and_the_fresh_one_written_beside_it(tmp_path):
    lessons.copy_lessons(tmp_path, "ko")
    edited = tmp_path / "ko" / "03_early_stopping.ipynb"
    edited.write_text('{"my": "answers"}')
    report = lessons.copy_lessons(tmp_path, "ko")
    kept = [e for e in report if e.status == "kept"]
    assert [e.path for e in kept] == [edited]
    assert edited.read_text() == '{"my": "answers"}'  # the learner's work, untouched
    fresh = kept[0].fresh
    assert fresh.name == "03_early_stopping.fresh.ipynb"
    assert fresh.read_bytes() == (lessons.source() / "ko" / edited.name).read_bytes()
    # a third run finds the fresh copy already there: no .fresh-2
    assert lessons.copy_lessons(tmp_path, "ko")[3].fresh == fresh
    assert not list((tmp_path / "ko").glob("*.fresh-2.ipynb"))
    fresh.write_text("edited too")  # the fresh copy edited as well: a second one beside
    assert lessons.copy_lessons(tmp_path, "ko")[3].fresh.name == "03_early_stopping.fresh-2.ipynb"
    assert fresh.read_text() == "edited too"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_cli_says_what_it_did_and_which_lessons_it_kept(tmp_path, capsys, lang):
    folder = tmp_path / "class"
    assert main(["lessons", str(folder), "--lang", lang]) == 0
    (folder / lang / LESSON_NAMES[1]).write_text("mine")
    assert main(["lessons", str(folder), "--lang", lang]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == i18n.t("lessons.done", lang, folder=folder, copied=6, unchanged=0, kept=0)
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
