"""Predictions: unanswered says "write it first", a guess is judged by what real Keras does."""

from __future__ import annotations

import keras
import pytest

from cbteach import i18n, predictions, recorded
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


def test_an_unknown_question_is_named_in_the_learner_language():
    with pytest.raises(ValueError, match="mc_files"):
        predictions.check("mc_file", 3, lang="en")


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_question_explains_its_answer_in_both_languages(lang):
    catalog = i18n.catalog(lang)
    for key in KEYS:
        assert f"predictions.{key}_why" in catalog
