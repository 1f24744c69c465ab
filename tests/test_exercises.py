"""The workshop checks: each passes its reference solution, rejects specific wrong answers
(saying why), never raises at the learner, and speaks both languages."""

from __future__ import annotations

import dataclasses
import os
import re
import warnings

import keras
import pytest

import cbteach
from cbteach import exercises, i18n
from cbteach.events import EventLog

ES = cbteach.EarlyStopping
RLR = cbteach.ReduceLROnPlateau
MC = cbteach.ModelCheckpoint


def text(check) -> str:
    return str(check)


def failed(check) -> list[str]:
    """The ✗ lines, without the final verdict."""
    return [line for line in check.lines[:-1] if line.startswith(exercises.FAIL)]


def says(check, key: str, **values) -> bool:
    """Whether one of the check's lines is the catalog message ``key`` (in English)."""
    message = i18n.t(f"exercises.{key}", "en", **values)
    return any(line.endswith(message) for line in check.lines)


def assert_fails(check, *keys: str) -> None:
    assert not check.ok
    assert not bool(check)
    assert check.lines[-1].startswith(exercises.FAIL)
    assert failed(check), text(check)
    for key in keys:
        pattern = i18n.catalog("en")[f"exercises.{key}"]
        head = re.split(r"\{", pattern, maxsplit=1)[0]
        assert any(line[2:].startswith(head) for line in failed(check)), (key, text(check))


def assert_passes(check) -> None:
    assert check.ok, text(check)
    assert all(line.startswith(exercises.PASS) for line in check.lines), text(check)
    assert says(check, "verdict_ok")


# ----------------------------------------------------------------------------- the result


def test_check_shows_marked_lines_as_text_and_markdown():
    check = exercises.check_early_stopping(ES(patience=3, restore_best_weights=True))
    assert str(check) == repr(check) == "\n".join(check.lines)
    assert check._repr_markdown_() == "  \n".join(check.lines)
    assert check.verdict == check.lines[-1]
    assert all(line[0] in (exercises.PASS, exercises.FAIL) for line in check.lines)


# ----------------------------------------------------------------------------- exercise 1


@pytest.mark.parametrize("patience", [2, 3, 4])
def test_early_stopping_reference_answers_pass(patience):
    check = exercises.check_early_stopping(
        ES(monitor="val_loss", patience=patience, restore_best_weights=True)
    )
    assert_passes(check)
    assert says(check, "es_best_ok", epoch=7, value="0.2148")


def test_early_stopping_plain_keras_callback_is_judged_the_same():
    keras_es = keras.callbacks.EarlyStopping(patience=3, restore_best_weights=True)
    assert_passes(exercises.check_early_stopping(keras_es))


def test_early_stopping_inside_a_list_or_a_function_passes():
    answer = [ES(patience=3, restore_best_weights=True), RLR(patience=5)]
    assert_passes(exercises.check_early_stopping(answer))
    assert_passes(exercises.check_early_stopping(lambda: ES(patience=3, restore_best_weights=True)))


def test_early_stopping_starter_stops_too_late_and_keeps_the_last_weights():
    check = exercises.check_early_stopping(ES(monitor="val_loss", patience=10))
    assert_fails(check, "es_stop_late", "es_restore_missing")
    assert says(check, "es_stop_late", epoch=17, limit=12)


def test_early_stopping_patience_1_stops_before_the_best_epoch():
    check = exercises.check_early_stopping(ES(patience=1, restore_best_weights=True))
    assert_fails(check, "es_best_wrong")
    assert says(check, "es_stop_ok", epoch=5, limit=12)
    assert says(check, "es_best_wrong", restored=4, best=7, stopped=5)


def test_early_stopping_right_numbers_but_without_restore_fails():
    check = exercises.check_early_stopping(ES(patience=3))
    assert_fails(check, "es_restore_missing")
    assert says(check, "es_stop_ok", epoch=10, limit=12)


def test_early_stopping_on_val_accuracy_fails_even_though_it_restores_epoch_7():
    # patience 4 on val_accuracy happens to stop at 11 and restore 7: the monitor is still wrong
    check = exercises.check_early_stopping(
        ES(monitor="val_accuracy", patience=4, restore_best_weights=True)
    )
    assert_fails(check, "monitor_wrong")
    assert says(check, "es_best_ok", epoch=7, value="0.2148")


def test_early_stopping_mode_max_on_a_loss_fails():
    check = exercises.check_early_stopping(ES(patience=3, mode="max", restore_best_weights=True))
    assert_fails(check, "direction_should_be_min", "es_best_wrong")


def test_early_stopping_large_min_delta_fails():
    check = exercises.check_early_stopping(
        ES(patience=3, min_delta=0.01, restore_best_weights=True)
    )
    assert_fails(check, "es_best_wrong")


def test_early_stopping_start_from_epoch_past_the_best_fails():
    check = exercises.check_early_stopping(
        ES(patience=3, start_from_epoch=8, restore_best_weights=True)
    )
    assert_fails(check, "es_stop_late", "es_best_wrong")


def test_early_stopping_monitor_missing_from_the_logs_says_what_is_there():
    check = exercises.check_early_stopping(ES(monitor="val_acc", patience=3))
    assert_fails(check, "monitor_wrong", "missing_monitor")
    assert "val_accuracy" in failed(check)[-1]


def test_early_stopping_that_never_stops_fails():
    check = exercises.check_early_stopping(ES(patience=200, restore_best_weights=True))
    assert_fails(check, "es_never_stops")


def test_early_stopping_leaves_the_learners_callback_untouched():
    es = ES(patience=3, restore_best_weights=True)
    first = exercises.check_early_stopping(es)
    assert es.best is None and es.wait == 0 and es.model is None
    assert len(es.events) == 0
    assert exercises.check_early_stopping(es).lines == first.lines


# ----------------------------------------------------------------------------- exercise 2


def test_lr_plateau_reference_passes():
    check = exercises.check_lr_plateau(RLR(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5))
    assert_passes(check)
    assert says(check, "rlr_cuts_ok", count=3, epochs="31, 34, 45")


def test_lr_plateau_min_lr_exactly_at_the_floor_passes_despite_float32():
    # float32 keeps 1e-5 as 9.9999997e-06: that is the floor, not below it
    assert_passes(exercises.check_lr_plateau(RLR(factor=0.1, patience=3, min_lr=1e-5)))


def test_lr_plateau_two_cuts_without_min_lr_pass_on_this_curve():
    assert_passes(exercises.check_lr_plateau(RLR(factor=0.1, patience=6)))


def test_lr_plateau_notes_patience_never_cuts():
    check = exercises.check_lr_plateau(RLR(monitor="val_loss", factor=0.1, patience=10))
    assert_fails(check, "rlr_cuts_none")
    assert says(check, "rlr_floor_ok", floor="1.0e-05", lowest="1.0e-03")


def test_lr_plateau_one_cut_is_not_enough():
    check = exercises.check_lr_plateau(RLR(factor=0.1, patience=8))
    assert_fails(check, "rlr_cuts_few")
    assert says(check, "rlr_cuts_few", count=1, epochs="36", need=2, total=60)


def test_lr_plateau_without_a_floor_goes_below_it():
    check = exercises.check_lr_plateau(RLR(factor=0.1, patience=3))
    assert_fails(check, "rlr_floor_broken")
    assert says(check, "rlr_floor_broken", floor="1.0e-05", lowest="1.0e-09", epoch=58)


def test_lr_plateau_mode_max_fails():
    check = exercises.check_lr_plateau(RLR(factor=0.5, patience=3, mode="max", min_lr=1e-5))
    assert_fails(check, "direction_should_be_min")


def test_lr_plateau_on_another_monitor_fails():
    check = exercises.check_lr_plateau(RLR(monitor="loss", factor=0.2, patience=3, min_lr=1e-5))
    assert_fails(check, "monitor_wrong")


def test_lr_plateau_swallowed_typo_in_keras_class_is_judged_by_what_keras_kept():
    swallowed = keras.callbacks.ReduceLROnPlateau(fector=0.2, patienc=3, min_lr=1e-5)
    assert exercises.settings(swallowed)["factor"] == 0.1
    assert exercises.settings(swallowed)["patience"] == 10
    assert_fails(exercises.check_lr_plateau(swallowed), "rlr_cuts_none")


def test_lr_plateau_wants_a_reduce_lr_on_plateau():
    check = exercises.check_lr_plateau(ES(patience=3))
    assert_fails(check, "missing_callback")


# ----------------------------------------------------------------------------- exercise 3


def checkpoint(path="ckpt/{epoch:02d}-{val_accuracy:.3f}.weights.h5", **overrides):
    settings = {
        "monitor": "val_accuracy",
        "save_best_only": True,
        "save_weights_only": True,
        **overrides,
    }
    return lambda: MC(path, **settings)


def test_checkpoint_reference_passes():
    check = exercises.check_checkpoint(checkpoint())
    assert_passes(check)
    assert says(
        check,
        "mc_saves_ok",
        count=19,
        monitor="val_accuracy",
        epochs="1–14, 18, 19, 32, 39, 40",
    )
    assert says(check, "mc_epoch_ok", example="ckpt/07-0.936.weights.h5")


def test_checkpoint_built_directly_or_from_plain_keras_passes():
    assert_passes(exercises.check_checkpoint(checkpoint()()))
    plain = keras.callbacks.ModelCheckpoint(
        "ckpt/{epoch:02d}.weights.h5",
        monitor="val_accuracy",
        save_best_only=True,
        save_weights_only=True,
    )
    assert_passes(exercises.check_checkpoint(plain))


def test_checkpoint_plain_keras_writes_no_file_during_the_check(tmp_path):
    plain = keras.callbacks.ModelCheckpoint(
        str(tmp_path / "{epoch:02d}.weights.h5"),
        monitor="val_accuracy",
        save_best_only=True,
        save_weights_only=True,
    )
    assert_passes(exercises.check_checkpoint(plain))
    assert list(tmp_path.iterdir()) == []


def test_checkpoint_starter_fails_on_every_point():
    check = exercises.check_checkpoint(lambda: MC("checkpoints/best.keras", monitor="val_loss"))
    assert_fails(
        check,
        "mc_weights_wrong",
        "mc_epoch_missing",
        "monitor_wrong",
        "mc_best_only_wrong",
        "mc_saves_wrong",
        "mc_overwrite",
    )


def test_checkpoint_notes_hdf5_name_becomes_a_line_not_a_traceback():
    check = exercises.check_checkpoint(checkpoint("w.{epoch:02d}.hdf5"))
    assert_fails(check, "build_failed")
    assert "ValueError" in failed(check)[0] and ".weights.h5" in failed(check)[0]


def test_checkpoint_without_epoch_overwrites_one_file():
    check = exercises.check_checkpoint(checkpoint("ckpt/best.weights.h5"))
    assert_fails(check, "mc_epoch_missing", "mc_overwrite")
    assert says(check, "mc_overwrite", count=19, names=1)


def test_checkpoint_mode_min_on_accuracy_saves_once():
    check = exercises.check_checkpoint(checkpoint(mode="min"))
    assert_fails(check, "direction_should_be_max", "mc_saves_wrong")
    assert says(
        check,
        "mc_saves_wrong",
        saved="1",
        monitor="val_accuracy",
        expected="1–14, 18, 19, 32, 39, 40",
    )


def test_checkpoint_every_epoch_fails():
    check = exercises.check_checkpoint(checkpoint(save_best_only=False))
    assert_fails(check, "mc_best_only_wrong", "mc_saves_wrong")


def test_checkpoint_on_val_loss_fails():
    check = exercises.check_checkpoint(checkpoint(monitor="val_loss"))
    assert_fails(check, "monitor_wrong", "mc_saves_wrong")


def test_checkpoint_whole_model_fails():
    check = exercises.check_checkpoint(
        checkpoint("ckpt/{epoch:02d}.keras", save_weights_only=False)
    )
    assert_fails(check, "mc_weights_wrong")


def test_checkpoint_placeholder_not_in_the_logs_is_named():
    check = exercises.check_checkpoint(checkpoint("ckpt/{epoch:02d}-{val_acc:.2f}.weights.h5"))
    assert_fails(check, "format_failed")
    assert "`val_acc`" in failed(check)[-1]


def test_checkpoint_batch_save_freq_saves_nothing_on_a_replay():
    check = exercises.check_checkpoint(checkpoint(save_freq=100))
    assert_fails(check, "mc_saves_wrong")


def test_checkpoint_initial_value_threshold_skips_early_improvements():
    check = exercises.check_checkpoint(checkpoint(initial_value_threshold=0.9))
    assert_fails(check, "mc_saves_wrong")


def test_checkpoint_check_does_not_move_the_learners_best():
    mc = checkpoint()()
    exercises.check_checkpoint(mc)
    assert mc.best is None  # Keras would carry this into a later fit(): it must stay untouched
    assert_passes(exercises.check_checkpoint(mc))


# ----------------------------------------------------------------------------- lesson 04: the notes, fixed

K = keras.callbacks


def notes(
    path="checkpoints/weights.{epoch:02d}-{val_loss:.2f}.weights.h5",
    rlr=None,
    es=None,
    classes=(K.ModelCheckpoint, K.ReduceLROnPlateau, K.EarlyStopping),
):
    mc_class, rlr_class, es_class = classes
    rlr = {"factor": 0.3, "patience": 10} if rlr is None else rlr
    es = {"patience": 20, "restore_best_weights": True} if es is None else es

    def build():
        return [
            mc_class(
                path,
                monitor="val_loss",
                save_best_only=True,
                save_weights_only=True,
                mode="min",
                verbose=1,
            ),
            rlr_class(monitor="val_loss", mode="min", verbose=1, **rlr),
            es_class(monitor="val_loss", mode="min", verbose=1, **es),
        ]

    return build


def test_combined_reference_passes_quietly(capsys):
    check = exercises.check_combined(notes())
    assert_passes(check)
    assert says(check, "agree_ok", saved=7, stopped=27, restored=7)
    assert says(check, "cut_ok", ratio="0.3", epoch=17, before="3.0e-03", after="9.0e-04")
    assert capsys.readouterr().out == ""  # verbose=1 callbacks are replayed quietly


def test_combined_reference_with_cbteach_classes_passes():
    assert_passes(exercises.check_combined(notes(classes=(MC, RLR, ES))))


def test_combined_notes_as_written_fails_at_the_hdf5_name():
    def as_written():
        save_path = os.getcwd() + "weights.{epoch:02d}-{val_loss:.2f}.hdf5"
        return [
            K.ModelCheckpoint(
                save_path,
                monitor="val_loss",
                save_best_only=True,
                save_weights_only=True,
                mode="min",
                verbose=1,
            ),
            K.ReduceLROnPlateau(monitor="val_loss", fector=0.3, patienc=10, mode="min"),
            K.EarlyStopping(monitor="val_loss", patienc=20, mode="min", verbose=1),
        ]

    check = exercises.check_combined(as_written)
    assert_fails(check, "build_failed")
    assert "ValueError" in failed(check)[0]


def test_combined_typo_in_early_stopping_is_a_type_error_line():
    check = exercises.check_combined(notes(es={"patienc": 20}))
    assert_fails(check, "build_failed")
    assert "TypeError" in failed(check)[0] and "patienc" in failed(check)[0]


def test_combined_swallowed_fector_is_found():
    check = exercises.check_combined(notes(rlr={"fector": 0.3, "patienc": 10}))
    assert_fails(check, "factor_wrong", "cut_wrong")
    assert says(check, "patience_ok", callback="ReduceLROnPlateau", patience="10")
    assert says(
        check, "cut_wrong", ratio="0.1", expected="0.3", epoch=17, before="3.0e-03", after="3.0e-04"
    )


def test_combined_glued_path_is_found():
    check = exercises.check_combined(
        notes(path=os.getcwd() + "weights.{epoch:02d}-{val_loss:.2f}.weights.h5")
    )
    assert_fails(check, "path_glued")
    assert os.path.basename(os.getcwd()) in failed(check)[0]


def test_combined_joined_path_is_fine():
    path = os.path.join(os.getcwd(), "ckpt", "weights.{epoch:02d}.weights.h5")
    assert_passes(exercises.check_combined(notes(path=path)))


def test_combined_without_restore_fails():
    check = exercises.check_combined(notes(es={"patience": 20}))
    assert_fails(check, "es_restore_missing")


def test_combined_early_stopping_more_impatient_than_the_lr_cut_fails():
    check = exercises.check_combined(notes(es={"patience": 5, "restore_best_weights": True}))
    assert_fails(check, "patience_wrong", "order_wrong", "cut_none")


def test_combined_without_save_best_only_disagrees_with_the_restored_model():
    def every_epoch():
        callbacks = notes()()
        callbacks[0] = K.ModelCheckpoint("ckpt/{epoch:02d}.weights.h5", save_weights_only=True)
        return callbacks

    check = exercises.check_combined(every_epoch)
    assert_fails(check, "mc_best_only_wrong", "agree_wrong")
    assert says(check, "agree_wrong", saved=27, stopped=27, restored=7)


def test_combined_needs_all_three():
    check = exercises.check_combined(lambda: notes()()[:2])
    assert_fails(check, "missing_callback")
    doubled = exercises.check_combined(lambda: [*notes()(), K.EarlyStopping()])
    assert_fails(doubled, "duplicate_callback")


def test_combined_junk_patience_becomes_lines():
    check = exercises.check_combined(notes(rlr={"factor": 0.3, "patience": "10"}))
    assert_fails(check, "patience_wrong", "order_wrong", "replay_failed")


def test_combined_before_the_learners_cell_has_run_is_a_line():
    """Lesson 04 checks ``lambda: [mcp_cb, rlr_cb, elr_cb]`` while the cell may still fail."""
    check = exercises.check_combined(lambda: [undefined_mcp_cb])  # noqa: F821
    assert_fails(check, "build_failed")
    assert "NameError" in failed(check)[0]


def test_combined_a_right_but_different_patience_is_not_called_a_spelling_mistake():
    check = exercises.check_combined(notes(es={"patience": 25, "restore_best_weights": True}))
    assert_fails(check, "patience_wrong")
    assert not any("spelled" in line for line in check.lines)


# ----------------------------------------------------------------------------- exercise 4


def colleague(
    mc_monitor="val_accuracy",
    min_lr=1e-2,
    es_patience=5,
    restore=False,
    rlr_patience=10,
    save_best_only=True,
    classes=(K.ModelCheckpoint, K.ReduceLROnPlateau, K.EarlyStopping),
):
    """The colleague's callbacks of exercise 4; the defaults are the starter, all four mistakes."""
    mc_class, rlr_class, es_class = classes

    def build():
        return [
            mc_class(
                "checkpoints/{epoch:02d}.weights.h5",
                monitor=mc_monitor,
                save_best_only=save_best_only,
                save_weights_only=True,
            ),
            rlr_class(monitor="val_loss", factor=0.3, patience=rlr_patience, min_lr=min_lr),
            es_class(monitor="val_loss", patience=es_patience, restore_best_weights=restore),
        ]

    return build


REPAIRED = {"mc_monitor": "val_loss", "min_lr": 1e-5, "es_patience": 20, "restore": True}


def test_team_repaired_passes_with_keras_and_cbteach_classes(capsys):
    check = exercises.check_team(colleague(**REPAIRED))
    assert_passes(check)
    assert says(
        check, "team_cut_ok", epoch=17, before="3.0e-03", after="9.0e-04", stopped=27, trained=10
    )
    assert says(check, "team_file_ok", saved=7, restored=7)
    assert_passes(exercises.check_team(colleague(**REPAIRED, classes=(MC, RLR, ES))))
    assert capsys.readouterr().out == ""


def test_team_starter_fails_and_its_mistakes_come_one_at_a_time():
    """Fix the first ✗ and the next mistake shows: min_lr, patience order, restore, monitor."""
    steps = [
        ({}, "team_min_lr_high"),
        ({"min_lr": 1e-5}, "team_stops_first"),
        ({"min_lr": 1e-5, "es_patience": 20}, "es_restore_missing"),
        ({"min_lr": 1e-5, "es_patience": 20, "restore": True}, "team_monitors_differ"),
    ]
    for fixed, key in steps:
        check = exercises.check_team(colleague(**fixed))
        assert_fails(check, key)
        assert len(failed(check)) == 1, text(check)


def test_team_min_lr_at_or_above_the_start_never_cuts_in_plain_keras_too():
    """The ✗ says what plain Keras does: min_lr at the starting LR (float32) means no cut."""
    from cbteach.replay import drive, standin_model

    for min_lr in (1e-2, 3e-3):
        assert_fails(exercises.check_team(colleague(min_lr=min_lr)), "team_min_lr_high")
        plain = K.ReduceLROnPlateau(patience=10, min_lr=min_lr)
        _, lrs = drive([plain], load_overfit().history, standin_model(3e-3))
        assert len(set(lrs)) == 1


def load_overfit():
    from cbteach import recorded

    return recorded.load("overfit")


def test_team_stop_before_the_cut_names_where_the_cut_would_come():
    check = exercises.check_team(colleague(min_lr=1e-5))
    assert says(check, "team_stops_first", es="5", rlr="10", stopped=12, cut=17)


def test_team_equal_patiences_cut_in_the_stopping_epoch():
    check = exercises.check_team(colleague(min_lr=1e-5, es_patience=10))
    assert_fails(check, "team_cut_at_stop")
    assert says(check, "team_cut_at_stop", epoch=17, es="10", rlr="10")


def test_team_smaller_lr_patience_is_a_fine_repair_too():
    fixed = {**REPAIRED, "es_patience": 5, "rlr_patience": 3}
    assert_passes(exercises.check_team(colleague(**fixed)))


def test_team_other_wrong_repairs_each_get_their_line():
    never_cuts = {**REPAIRED, "rlr_patience": 200}
    assert_fails(exercises.check_team(colleague(**never_cuts)), "team_never_cuts")
    never_stops = {**REPAIRED, "es_patience": 200}
    assert_fails(exercises.check_team(colleague(**never_stops)), "team_never_stops")
    every_epoch = {**REPAIRED, "save_best_only": False}
    check = exercises.check_team(colleague(**every_epoch))
    assert_fails(check, "team_file_differs")
    assert says(check, "team_file_differs", saved=27, restored=7)


def test_team_monitor_mismatch_fails_even_when_the_epochs_happen_to_agree():
    lucky = {**REPAIRED, "mc_monitor": "val_accuracy", "es_patience": 12}
    check = exercises.check_team(colleague(**lucky))
    assert_fails(check, "team_monitors_differ_lucky")


def test_team_early_stopping_on_accuracy_restores_the_wrong_epoch():
    def on_accuracy():
        callbacks = colleague(**REPAIRED)()
        callbacks[2] = K.EarlyStopping(monitor="val_accuracy", patience=20)
        return callbacks

    assert_fails(exercises.check_team(on_accuracy), "monitor_wrong")


# ----------------------------------------------------------------------------- the hidden solutions


def test_the_folded_explanations_of_lesson_05_hold_on_real_keras():
    """What the folded solution texts of exercises 1-3 say, replayed (they are not cells)."""
    from cbteach import recorded
    from cbteach.replay import replay

    overfit, plateau, accuracy = (recorded.load(n) for n in ("overfit", "plateau", "accuracy"))
    stops = {}
    for patience in range(1, 6):
        run = replay(
            overfit, [ES(monitor="val_loss", patience=patience, restore_best_weights=True)]
        )
        stops[patience] = (run.stopped_epoch, run.restored_epoch)
    assert stops == {1: (5, 4), 2: (9, 7), 3: (10, 7), 4: (11, 7), 5: (12, 7)}
    run = replay(plateau, [RLR(monitor="val_loss", factor=0.2, patience=3, min_lr=1e-5)])
    assert [e.epoch for e in run.lr_cuts] == [31, 34, 45]
    at_min = [e.epoch for e in run.events.with_action("at_min_lr")]
    assert 52 in at_min and 53 in at_min
    lucky = replay(plateau, [RLR(monitor="val_loss", factor=0.1, patience=6)])
    assert [e.epoch for e in lucky.lr_cuts] == [34, 48]
    frame = accuracy.to_frame()
    assert frame.loc[14, "val_accuracy"] == frame.loc[17, "val_accuracy"]
    assert frame.loc[18, "val_accuracy"] > frame.loc[17, "val_accuracy"]
    wrong_mode = MC("ckpt/{epoch:02d}.weights.h5", monitor="val_accuracy", mode="min",
                    save_best_only=True, save_weights_only=True)  # fmt: skip
    assert [s.epoch for s in replay(accuracy, [wrong_mode]).saves] == [1]
    named = MC("ckpt/{epoch:02d}-{val_accuracy:.3f}.weights.h5", monitor="val_accuracy",
               save_best_only=True, save_weights_only=True)  # fmt: skip
    assert len(replay(accuracy, [named]).saves) == 19


# ----------------------------------------------------------------------------- the retired exercise 5


def test_prediction_right_answer_passes_in_any_written_form():
    assert_passes(exercises.check_prediction(5, 5, 9))
    assert_passes(exercises.check_prediction([5, 5, 9]))
    assert_passes(exercises.check_prediction("5", 5.0, " 9 "))


def test_prediction_right_answer_is_what_real_keras_does():
    from cbteach.replay import replay

    overfit = cbteach.recorded.load("overfit")
    for patience, answer in zip((0, 1, 2), (5, 5, 9)):
        es = keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience)
        replay(overfit, [es])
        assert es.stopped_epoch + 1 == answer


def test_prediction_wrong_guesses_get_a_direction_not_the_answer():
    check = exercises.check_prediction(1, 2, 12)
    assert_fails(check, "predict_early", "predict_late")
    assert says(check, "predict_early", setting="EarlyStopping(patience=0)", guess=1)
    assert says(check, "predict_early", setting="EarlyStopping(patience=1)", guess=2)
    assert says(check, "predict_late", setting="EarlyStopping(patience=2)", guess=12)
    assert not re.search(r"\b[59]\b", text(check))
    assert i18n.t("exercises.predict_hint", "en") in text(check)


def test_prediction_the_common_guess_that_patience_0_stops_at_once_fails():
    check = exercises.check_prediction(2, 5, 9)
    assert_fails(check, "predict_early")
    assert says(check, "predict_ok", setting="EarlyStopping(patience=1)", epoch=5)


@pytest.mark.parametrize("guess", [None, "five", 5.5, True, [5], float("nan")])
def test_prediction_bad_types_say_what_to_write(guess):
    check = exercises.check_prediction(guess, 5, 9)
    assert_fails(check, "predict_bad_type")


def test_prediction_wrong_count():
    assert_fails(exercises.check_prediction(5, 5), "predict_count")
    assert_fails(exercises.check_prediction(), "predict_count")


# ----------------------------------------------------------------------------- exercise 5


@pytest.fixture(scope="module")
def data(sample):
    return sample  # seed 0, as the exercise's recorded answers were made


TRAIN = {"epochs": 20, "model": "mlp", "batch_size": 32, "learning_rate": 3e-3, "seed": 0}


@pytest.fixture(scope="module")
def good_run(data, tmp_path_factory):
    from cbteach.training import train

    folder = tmp_path_factory.mktemp("good")
    return train(
        [
            MC(str(folder / "{epoch:02d}.weights.h5"), save_best_only=True, save_weights_only=True),
            ES(patience=3, restore_best_weights=True),
        ],
        data=data,
        **TRAIN,
    )


@pytest.fixture(scope="module")
def unrestored_run(data):
    from cbteach.training import train

    return train([ES(patience=3)], data=data, **TRAIN)


def test_trained_reference_passes(good_run, data):
    assert good_run.stopped_epoch is not None  # the run did stop early
    check = exercises.check_trained(good_run, data)
    assert_passes(check)
    assert says(check, "trained_restored_ok", epoch=good_run.restored_epoch)


def test_trained_without_restore_or_checkpoint_fails(unrestored_run, data):
    check = exercises.check_trained(unrestored_run, data)
    assert_fails(check, "trained_no_restore", "trained_model_wrong", "trained_no_file")


def test_trained_last_file_that_is_not_the_held_model_fails(good_run, data):
    # as if the newest file were an earlier epoch's (e.g. a checkpoint on another monitor)
    log = EventLog()
    log.events = [e for e in good_run.events if not (e.action == "saved" and e.epoch > 1)]
    earlier = dataclasses.replace(good_run, events=log)
    check = exercises.check_trained(earlier, data)
    assert_fails(check, "trained_file_wrong")


def test_trained_model_that_is_not_the_best_fails(good_run, data):
    other = keras.models.clone_model(good_run.model)
    other.compile(loss=good_run.model.loss)
    with warnings.catch_warnings():  # the file also holds optimizer state: not needed here
        warnings.simplefilter("ignore")
        other.load_weights(good_run.saves[0].saved_path)  # epoch 1's weights
    check = exercises.check_trained(dataclasses.replace(good_run, model=other), data)
    assert_fails(check, "trained_model_wrong", "trained_file_wrong")


def test_trained_junk_says_what_to_pass(good_run, data):
    assert_fails(exercises.check_trained("run", data), "trained_not_run")
    assert_fails(exercises.check_trained(good_run, None), "trained_not_data")
    recording = cbteach.recorded.load("overfit")
    assert_fails(exercises.check_trained(recording, data), "trained_no_model")


# ----------------------------------------------------------------------------- never raise

CHECKS = [
    exercises.check_early_stopping,
    exercises.check_lr_plateau,
    exercises.check_checkpoint,
    exercises.check_combined,
    exercises.check_team,
]


def _boom():
    raise RuntimeError("learner code failed")


JUNK = [
    None,
    3,
    "patience=3",
    [],
    [1, 2],
    {"patience": 3},
    ES,
    keras.callbacks.Callback(),
    _boom,
    lambda: "not a callback",
    lambda: None,
]


@pytest.mark.parametrize("check", CHECKS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("junk", JUNK, ids=lambda j: type(j).__name__)
def test_checks_never_raise_on_junk(check, junk):
    result = check(junk)
    assert isinstance(result, exercises.Check)
    assert not result.ok
    assert failed(result)


def test_class_instead_of_instance_is_named():
    check = exercises.check_early_stopping(ES)
    assert_fails(check, "class_not_instance")
    assert "EarlyStopping(" in failed(check)[0]


def test_junk_attribute_set_after_building_becomes_a_line():
    es = ES(patience=3, restore_best_weights=True)
    es.patience = "3"
    check = exercises.check_early_stopping(es)
    assert_fails(check, "replay_failed")


def test_junk_monitor_becomes_a_line():
    check = exercises.check_early_stopping(ES(monitor=["val_loss"], patience=3))
    assert_fails(check, "monitor_wrong", "missing_monitor")


def test_junk_factor_set_after_building_becomes_a_line():
    def junk_factor():
        callbacks = notes()()
        callbacks[1].factor = "0.3"
        return callbacks

    check = exercises.check_combined(junk_factor)
    assert_fails(check, "factor_wrong", "replay_failed")


# ----------------------------------------------------------------------------- languages


ANSWERS = [
    (exercises.check_early_stopping, ES(patience=10)),
    (exercises.check_lr_plateau, RLR(patience=10)),
    (exercises.check_checkpoint, lambda: MC("best.keras")),
    (exercises.check_combined, notes(rlr={"fector": 0.3})),
    (exercises.check_team, colleague()),
    (exercises.check_team, colleague(min_lr=1e-5)),
    (exercises.check_team, colleague(min_lr=1e-5, es_patience=10)),
    (exercises.check_team, colleague(**{**REPAIRED, "mc_monitor": "val_accuracy"})),
    (exercises.check_prediction, (1, 2, "x")),
]


@pytest.mark.parametrize("check, answer", ANSWERS, ids=lambda x: getattr(x, "__name__", ""))
def test_both_languages_render(check, answer):
    def run(lang):
        if check is exercises.check_prediction:
            return check(*answer, lang=lang)
        return check(answer, lang=lang)

    korean, english = run("ko"), run("en")
    assert korean.ok == english.ok is False
    assert len(korean.lines) == len(english.lines)
    for ko_line, en_line in zip(korean.lines, english.lines):
        assert ko_line[0] == en_line[0]
        assert re.search(r"[가-힣]", ko_line), ko_line
        assert not re.search(r"[가-힣]", en_line), en_line


def test_language_in_use_is_the_default(monkeypatch):
    monkeypatch.setattr(i18n, "_current", "ko")
    check = exercises.check_early_stopping(ES(patience=3, restore_best_weights=True))
    assert check.lines[-1] == f"{exercises.PASS} {i18n.t('exercises.verdict_ok', 'ko')}"


def test_korean_catalog_never_puts_a_particle_right_after_a_placeholder():
    particles = "이가을를은는과와로의도에만"
    for key, message in i18n.catalog("ko").items():
        if key.startswith("exercises."):
            assert not re.search(rf"\}}`?[{particles}]", message), (key, message)
