"""cbteach.progress: each verdict recorded in the lesson folder, and the teacher's report of it.

The learner's side never breaks a lesson (read-only folder, damaged file); the teacher's side
trusts no learner's folder (damaged, huge, edited files, symbolic links out) and reads a
bounded amount per learner, counted here in bytes and lines rather than timed.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from cbteach import __main__ as cli
from cbteach import exercises, i18n, predictions, progress
from cbteach.judging import Check

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def lesson(tmp_path, monkeypatch):
    """A learner's lesson folder, where the kernel runs: the progress file goes there."""
    folder = tmp_path / "learner01"
    folder.mkdir()
    monkeypatch.delenv(progress.ENV, raising=False)
    monkeypatch.chdir(folder)
    monkeypatch.setattr(progress, "_warned", False)
    return folder


def lines(folder: Path) -> list[dict]:
    text = (folder / progress.FILE_NAME).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


def entry(lesson="05", exercise="ex1", verdict="pass", attempt=1, wrong=()) -> str:
    values = {"lesson": lesson, "exercise": exercise, "verdict": verdict, "attempt": attempt}
    return json.dumps({**values, "time": "2026-12-06T10:00:00Z", "wrong": list(wrong)}) + "\n"


def plant(folder: Path, *entries: str, name: str = progress.FILE_NAME) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text("".join(entries), encoding="utf-8")
    return folder


# ----------------------------------------------------------------------------- the learner's side


def test_a_real_check_appends_its_verdict_and_what_went_wrong(lesson):
    wrong = exercises.check_early_stopping(exercises.EarlyStopping(patience=30))
    right = exercises.check_early_stopping(
        exercises.EarlyStopping(patience=3, restore_best_weights=True)
    )
    assert not wrong.ok and right.ok
    first, second = lines(lesson)
    assert first["verdict"] == "fail" and first["attempt"] == 1
    assert first["wrong"] == wrong.wrong == ["es_stop_late", "es_restore_missing"]
    assert second == {**second, "lesson": "05", "exercise": "ex1", "verdict": "pass"}
    assert second["attempt"] == 2 and second["wrong"] == []
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", second["time"])
    assert [p.name for p in lesson.iterdir()] == [progress.FILE_NAME]  # no temporary left


def test_a_prediction_is_recorded_under_its_lesson_and_a_blank_one_is_not(lesson):
    assert not predictions.check("es_stop", ...).ok  # "write your prediction first"
    assert not (lesson / progress.FILE_NAME).exists()
    truth = predictions.answer("es_stop")[0]
    predictions.check("es_stop", truth - 1)
    predictions.check("es_stop", "soon")
    predictions.check("es_stop", truth)
    recorded = [(e["lesson"], e["exercise"], e["verdict"], e["wrong"]) for e in lines(lesson)]
    lesson_of = predictions.QUESTIONS["es_stop"].lesson
    assert recorded == [
        (lesson_of, "es_stop", "fail", ["too_low"]),
        (lesson_of, "es_stop", "fail", ["unreadable"]),
        (lesson_of, "es_stop", "pass", []),
    ]


def test_the_append_is_atomic_a_failed_write_leaves_the_old_file(lesson, monkeypatch, capsys):
    progress.record("05", "ex1", Check(True, ["✓"]))
    before = (lesson / progress.FILE_NAME).read_bytes()

    def half_written(self, data):
        Path.write_text(self, data[:10].decode(), encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr(Path, "write_bytes", half_written)
    check = Check(False, ["✗"], wrong=["es_stop_late"])
    assert progress.record("05", "ex1", check) is check
    assert (lesson / progress.FILE_NAME).read_bytes() == before
    assert [p.name for p in lesson.iterdir()] == [progress.FILE_NAME]
    assert capsys.readouterr().out.count(progress.FILE_NAME) == 1


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_folder_that_cannot_be_written_says_so_once_and_the_check_still_works(
    tmp_path, monkeypatch, capsys, lang
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv(progress.ENV, str(blocked / "lessons"))  # no folder can be made there
    monkeypatch.setattr(progress, "_warned", False)
    i18n.set_language(lang)
    first = exercises.check_early_stopping(exercises.EarlyStopping(patience=30))
    second = exercises.check_early_stopping(exercises.EarlyStopping(patience=30))
    assert not first.ok and str(first) == str(second)
    out = capsys.readouterr().out
    assert out == i18n.t("progress.not_recorded", lang, file=progress.FILE_NAME) + "\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_a_read_only_folder(lesson, capsys):
    lesson.chmod(0o555)
    try:
        assert progress.record("05", "ex1", Check(True, ["✓"])).ok
    finally:
        lesson.chmod(0o755)
    assert not (lesson / progress.FILE_NAME).exists()
    assert capsys.readouterr().out.count("\n") == 1


def test_a_damaged_file_in_the_lesson_folder_is_kept_and_appended_to(lesson):
    plant(lesson, entry(), "garbage\n", '{"half')
    progress.record("05", "ex1", Check(True, ["✓"]))
    text = (lesson / progress.FILE_NAME).read_text(encoding="utf-8")
    assert text.startswith(entry() + "garbage\n" + '{"half\n')
    assert json.loads(text.splitlines()[-1])["attempt"] == 2


def test_off_records_nothing(lesson, monkeypatch):
    monkeypatch.setenv(progress.ENV, "off")
    progress.record("05", "ex1", Check(True, ["✓"]))
    assert list(lesson.iterdir()) == []


# ----------------------------------------------------------------------------- the teacher's side


def planted_class(tmp_path: Path) -> list[Path]:
    """Three learners: one finished ex1 after a wrong try, one failed ex4, one did nothing."""
    return [
        plant(
            tmp_path / "kim",
            entry(verdict="fail", wrong=["es_stop_late"]),
            entry(attempt=2),
            entry(exercise="ex4", verdict="fail", wrong=["order_wrong", "monitor_wrong"]),
        ),
        plant(tmp_path / "lee", entry(exercise="ex4", verdict="fail", wrong=["order_wrong"])),
        plant(tmp_path / "park"),
    ]


def test_the_matrix_in_english(tmp_path):
    learners = progress.read_class(planted_class(tmp_path))
    assert progress.matrix(learners, "en") == [
        "learner 05/ex1 05/ex4",
        "kim     ✓      ✗",
        "lee     ·      ✗",
        "park    ·      ·",
        "passed  1      0",
    ]


def test_the_matrix_in_korean_lines_up_hangul(tmp_path):
    learners = progress.read_class(planted_class(tmp_path))
    rows = progress.matrix(learners, "ko")
    assert rows[0] == "학습자 05/ex1 05/ex4"
    assert rows[1] == "kim    ✓      ✗"
    assert rows[-1] == "통과   1      0"


def test_common_mistakes_count_each_learner_once_in_both_languages(tmp_path):
    folders = planted_class(tmp_path)
    plant(folders[0], entry(exercise="ex4", verdict="fail", wrong=["order_wrong"], attempt=1))
    learners = progress.read_class(folders)
    assert progress.common_mistakes(learners, "en") == [
        "2 of 3 set EarlyStopping's patience below ReduceLROnPlateau's (05/ex4).",
    ]
    learners = progress.read_class(planted_class(tmp_path))
    assert progress.common_mistakes(learners, "ko")[0] == (
        "3명 중 2명이 EarlyStopping의 patience를 ReduceLROnPlateau의 patience보다 작게 "
        "설정했습니다(05/ex4)."
    )
    assert progress.common_mistakes(learners, "en", top=1) == [
        "2 of 3 set EarlyStopping's patience below ReduceLROnPlateau's (05/ex4).",
    ]


def test_the_csv(tmp_path):
    folders = [*planted_class(tmp_path), plant(tmp_path / "=cmd")]
    (tmp_path / "=cmd" / progress.FILE_NAME).write_text("oops")
    path = progress.to_csv(progress.read_class(folders), tmp_path / "class.csv")
    assert path.read_text(encoding="utf-8").splitlines() == [
        "learner,05/ex1,05/ex4,problems",
        "kim,pass,fail,",
        "lee,,fail,",
        "park,,,",
        "'=cmd,,,truncated",
    ]


def test_the_cli_prints_the_report_and_writes_the_csv(tmp_path, capsys):
    folders = [str(f) for f in planted_class(tmp_path)]
    csv = tmp_path / "out" / "class.csv"
    csv.parent.mkdir()
    assert cli.main(["progress", *folders, "--csv", str(csv), "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "kim    ✓      ✗" in out and "3명 중 2명이" in out
    assert out.rstrip().endswith(i18n.t("progress.csv_written", "ko", path=csv))
    assert csv.read_text(encoding="utf-8").startswith("learner,05/ex1,05/ex4")


def test_a_home_with_lessons_deeper_down_and_two_languages(tmp_path):
    home = tmp_path / "learner07"
    plant(home / "cbteach" / "notebooks" / "ko", entry())
    plant(home / "cbteach" / "notebooks" / "en", entry(exercise="ex2", verdict="fail"))
    plant(home / ".cache" / "x", entry(exercise="ex3"))  # hidden folders are not searched
    (learner,) = progress.read_class([home])
    assert learner.name == "learner07" and learner.problems == []
    assert sorted(learner.answers) == [("05", "ex1"), ("05", "ex2")]


def test_lesson_folders_of_one_name_are_named_after_their_homes(tmp_path):
    folders = [plant(tmp_path / who / "cbteach" / "notebooks" / "ko", entry()) for who in "ab"]
    assert [each.name for each in progress.read_class(folders)] == ["a", "b"]


# ----------------------------------------------------------------------------- untrusted folders


def problem_keys(folder: Path) -> list[str]:
    (learner,) = progress.read_class([folder])
    return [key for key, _ in learner.problems]


def test_each_kind_of_damaged_file_is_reported_for_that_learner(tmp_path):
    good = entry()
    assert problem_keys(plant(tmp_path / "truncated", good, good[:20])) == ["truncated"]
    assert problem_keys(plant(tmp_path / "malformed", good, "[1, 2]\n", "{}\n")) == ["malformed"]
    escape = entry(exercise="\x1b[31mred")  # a hand-typed name never reaches the terminal
    assert problem_keys(plant(tmp_path / "escape", escape)) == ["malformed"]
    edited = entry(attempt=1) + entry(attempt=1, verdict="fail")
    assert problem_keys(plant(tmp_path / "edited", edited)) == ["edited"]
    (tmp_path / "empty-home").mkdir()
    assert problem_keys(tmp_path / "empty-home") == ["no_file"]
    assert problem_keys(tmp_path / "nobody") == ["no_folder"]
    binary = tmp_path / "binary"
    binary.mkdir()
    (binary / progress.FILE_NAME).write_bytes(os.urandom(2000).replace(b"\n", b"") + b"\n")
    assert problem_keys(binary) == ["malformed"]


def test_a_fifo_is_not_read_and_does_not_hang(tmp_path):
    folder = tmp_path / "fifo"
    folder.mkdir()
    os.mkfifo(folder / progress.FILE_NAME)
    assert problem_keys(folder) == ["not_a_file"]


def test_a_hard_link_to_a_file_outside_is_not_read(tmp_path):
    outside = plant(tmp_path / "outside", entry(exercise="secret"))
    home = tmp_path / "home"
    home.mkdir()
    os.link(outside / progress.FILE_NAME, home / progress.FILE_NAME)
    (learner,) = progress.read_class([home])
    assert [key for key, _ in learner.problems] == ["hard_link"] and learner.answers == {}


def test_a_huge_file_is_read_only_up_to_the_cap(tmp_path):
    many = progress.MAX_BYTES // len(entry()) * 4
    folder = plant(tmp_path / "huge", *(entry(attempt=n) for n in range(1, many)))
    (learner,) = progress.read_class([folder])
    assert [key for key, _ in learner.problems] == ["too_big"]
    assert learner.bytes_read <= progress.MAX_BYTES
    assert learner.status(("05", "ex1")) == "pass"


def test_symbolic_links_out_of_the_folder_are_refused(tmp_path):
    outside = plant(tmp_path / "outside", entry(exercise="secret"))
    home = tmp_path / "home"
    home.mkdir()
    (home / progress.FILE_NAME).symlink_to(outside / progress.FILE_NAME)
    (home / "lessons").symlink_to(outside, target_is_directory=True)
    (learner,) = progress.read_class([home])
    assert [key for key, _ in learner.problems] == ["symlink"]
    assert learner.answers == {} and learner.bytes_read == 0


def test_nothing_outside_the_given_folders_is_opened(tmp_path, monkeypatch):
    folders = planted_class(tmp_path)
    outside = plant(tmp_path / "outside", entry())
    (folders[2] / "link").symlink_to(outside, target_is_directory=True)
    (folders[1] / "sub").mkdir()
    (folders[1] / "sub" / progress.FILE_NAME).symlink_to(outside / progress.FILE_NAME)
    opened, real_open, real_scandir = [], os.open, os.scandir

    def spy_open(path, *args, **kwargs):
        opened.append(Path(path))
        return real_open(path, *args, **kwargs)

    def spy_scandir(path):
        opened.append(Path(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "open", spy_open)
    monkeypatch.setattr(os, "scandir", spy_scandir)
    progress.read_class(folders)
    roots = [f.resolve() for f in folders]
    assert opened and all(any(p.resolve().is_relative_to(r) for r in roots) for p in opened)
    assert not any(p.is_relative_to(outside) for p in opened)


def test_a_class_of_thirty_hostile_folders_reads_a_bounded_amount(tmp_path):
    """30 learners, each folder as bad as it gets: the work is bounded per learner."""
    small = entry() * 3
    folders = []
    for n in range(30):
        home = tmp_path / f"learner{n:02d}"
        plant(home, "\n" * (progress.MAX_BYTES * 2))  # half a million empty lines
        for k in range(progress.MAX_FILES * 2):  # many files deeper down
            plant(home / f"copy{k}", small)
        for k in range(300):  # a wide tree to search
            (home / "wide" / f"d{k}").mkdir(parents=True)
        folders.append(home)
    learners = progress.read_class(folders)
    assert len(learners) == 30
    for learner in learners:
        assert learner.bytes_read <= progress.MAX_BYTES
        assert learner.lines_parsed <= progress.MAX_LINES
        assert {"too_big", "too_many_files"} <= {key for key, _ in learner.problems}
    assert sum(learner.lines_parsed for learner in learners) <= 30 * progress.MAX_LINES
    assert progress.report(learners, "en")  # renders


# ----------------------------------------------------------------------------- the catalogs


def failure_keys() -> set[str]:
    """Every ✗ key the checks can record (``report.bad("key", ...)``, and the two computed)."""
    keys = set()
    for module in ("judging", "exercises"):
        text = (ROOT / "cbteach" / f"{module}.py").read_text(encoding="utf-8")
        keys |= set(re.findall(r'\bbad\(\s*"([a-z_]+)"', text))
        for pair in re.findall(r'"([a-z_]+)" if [^\n]* else "([a-z_]+)"', text):
            keys |= set(pair)  # a key chosen by a condition, then passed to bad(key, ...)
    keys |= {"direction_should_be_min", "direction_should_be_max", "predict_early"}
    keys |= {"predict_late", "too_low", "too_high", "wrong", "unreadable"}
    return keys - {"verdict_ok", "verdict_fail"}  # the last line, said after the others


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_wrong_answer_a_check_records_has_a_class_sentence(lang):
    catalog = i18n.catalog(lang)
    missing = sorted(k for k in failure_keys() if f"progress.wrong_{k}" not in catalog)
    assert missing == []


def test_an_unknown_wrong_answer_still_gets_a_sentence():
    learner = progress.Learner("kim", Path("."), {("05", "ex9"): [("fail", ("new_key",))]})
    assert progress.common_mistakes([learner], "en") == ["1 of 1 got `new_key` on 05/ex9."]
