"""Predictions: unanswered says "write it first", a guess is judged by what real Keras does."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from cbteach import i18n, predictions, recorded
from cbteach.hooks import HookTrace
from cbteach.replay import drive, standin_model

KEYS = sorted(predictions.QUESTIONS)


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("key", KEYS)
def test_an_unwritten_prediction_asks_for_one_without_a_traceback(key, lang):
    for blank in (..., None):
        check = predictions.check(key, blank, lang=lang)
        assert not check.ok
        assert check.lines[0].startswith(predictions.WRITE_FIRST)
        assert "..." in check.lines[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("key", KEYS)
def test_the_right_answer_passes_and_a_wrong_one_says_which_way(key, lang):
    truth, _ = predictions.answer(key)
    assert predictions.check(key, truth, lang=lang).ok
    kind = predictions.QUESTIONS[key].kind
    if kind == "yes_no":
        wrong = predictions.check(key, not truth, lang=lang)
    elif kind == "epochs":
        wrong = predictions.check(key, [epoch + 1 for epoch in truth], lang=lang)
    else:
        wrong = predictions.check(key, truth * 2 + 1 if kind == "count" else truth * 4, lang=lang)
        if lang == "en":
            assert "less than you thought" in str(wrong)
    assert not wrong.ok and wrong.lines[0].startswith("✗")


def test_guesses_are_read_as_a_learner_writes_them():
    assert predictions.check("es_stop", "10").ok
    assert predictions.check("es_stop", 10.0).ok
    assert not predictions.check("es_stop", 10.5).ok
    assert predictions.check("combined_cut", "no", lang="en").ok
    assert predictions.check("combined_cut", "아니요", lang="ko").ok
    assert predictions.check("rlr_second_lr", 2.5e-4).ok
    assert "write" in str(predictions.check("mc_files", "six", lang="en"))


def test_the_truth_is_what_plain_keras_decides():
    """es_stop against plain keras.callbacks.EarlyStopping driven over the same recording."""
    run = recorded.load("overfit")
    plain = keras.callbacks.EarlyStopping(patience=3)
    drive([plain], run.history, standin_model())
    assert predictions.answer("es_stop")[0] == plain.stopped_epoch + 1


def test_lesson_02s_cuts_are_what_plain_keras_decides():
    """rlr_first_cut and rlr_second_lr against plain keras.callbacks.ReduceLROnPlateau."""
    run = recorded.load("plateau")
    plain = keras.callbacks.ReduceLROnPlateau(patience=3, factor=0.5)
    _, lrs = drive([plain], run.history, standin_model(), learning_rate=1e-3)
    changed = [epoch for epoch in range(1, len(lrs)) if lrs[epoch] != lrs[epoch - 1]]
    assert predictions.answer("rlr_first_cut")[0] == changed[0]  # the LR of epoch N+1 is new
    assert predictions.answer("rlr_second_lr")[0] == pytest.approx(lrs[changed[1]])


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_notes_reading_of_patience_is_judged_too_early(lang):
    """Lesson 02: "the LR has not changed for 3 epochs" guesses epoch 3; Keras says later."""
    notes = predictions.check("rlr_first_cut", 3, lang=lang)
    assert not notes.ok and "31" in str(notes) and "28" in str(notes)
    if lang == "en":
        assert "more than you thought" in str(notes)


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_comparing_with_the_previous_epoch_is_judged_too_late(lang):
    """Lesson 03: epoch 10 beats epoch 9, so a learner comparing with it guesses later."""
    later = predictions.check("es_stop", 13, lang=lang)
    assert not later.ok and "10" in str(later) and "7" in str(later)
    if lang == "en":
        assert "less than you thought" in str(later)


def test_lesson_00s_epochs_are_the_ones_fit_passes_to_its_hooks():
    """hook_epochs against lesson 00's HookTrace on a real fit; 1-based guesses are wrong."""
    trace = HookTrace()
    model = standin_model()
    x = np.zeros((4, 1), dtype="float32")
    model.fit(x, x, epochs=predictions.HOOK_EPOCHS, validation_data=(x, x), callbacks=[trace])
    seen = tuple(index for hook, index, _ in trace.calls if hook == "on_epoch_end")
    assert predictions.answer("hook_epochs")[0] == seen == (0, 1, 2)
    for written in ([0, 1, 2], (0, 1, 2), range(3), "0, 1, 2", "[0, 1, 2]"):
        assert predictions.check("hook_epochs", written).ok, written
    one_based = predictions.check("hook_epochs", [1, 2, 3], lang="en")
    assert not one_based.ok and "from 0" in str(one_based)
    assert "write" in str(predictions.check("hook_epochs", 3, lang="en"))


def test_lesson_04s_combined_cut_is_what_plain_keras_decides():
    """ES patience 5 with RLR patience 10 on `overfit`: plain Keras stops before any cut."""
    run = recorded.load("overfit")
    rlr = keras.callbacks.ReduceLROnPlateau(patience=10, factor=0.3)
    es = keras.callbacks.EarlyStopping(patience=5)
    epochs, lrs = drive([rlr, es], run.history, standin_model(run.lrs[0]))
    truth, values = predictions.answer("combined_cut")
    assert truth is (len(set(lrs)) > 1) is False
    assert values["stopped"] == epochs == es.stopped_epoch + 1
    assert predictions.check("combined_cut", False, lang="en").ok
    assert not predictions.check("combined_cut", "yes", lang="en").ok


def test_mc_files_asks_for_a_number_of_files():
    assert "number of files" in str(predictions.check("mc_files", ..., lang="en"))
    assert "파일 개수" in str(predictions.check("mc_files", ..., lang="ko"))


def test_an_unknown_question_is_named_in_the_learner_language():
    with pytest.raises(ValueError, match="mc_files"):
        predictions.check("mc_file", 3, lang="en")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_question_explains_its_answer_in_both_languages(lang):
    catalog = i18n.catalog(lang)
    for key in KEYS:
        assert f"predictions.{key}_why" in catalog
