"""The Playground's logic without a widget: settings → callbacks, the run list, live or replay."""

from __future__ import annotations

import subprocess
import sys

import keras
import pytest

from cbteach import EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, recorded
from cbteach.playground import (
    CALLBACKS,
    CONTROL_OWNERS,
    DEFAULTS,
    SETTING_CONTROLS,
    RunList,
    build_callbacks,
    check_controls,
    describe_settings,
    retrain_label,
)
from cbteach.replay import replay


def test_the_logic_modules_need_no_ipywidgets():
    code = "import sys, cbteach.playground, cbteach.retrain; print('ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_every_setting_belongs_to_a_callback_or_to_all():
    assert set(SETTING_CONTROLS) == set(DEFAULTS)
    assert {CONTROL_OWNERS[k] for k in SETTING_CONTROLS} == {None, *CALLBACKS}


def test_build_callbacks_turns_each_setting_into_its_keras_argument(tmp_path):
    settings = {
        "monitor": "val_accuracy",
        "mode": "max",
        "es_patience": 7,
        "es_min_delta": 0.01,
        "restore_best_weights": False,
        "start_from_epoch": 2,
        "baseline": 0.9,
        "rlr_patience": 4,
        "factor": 0.5,
        "cooldown": 2,
        "rlr_min_delta": 0.001,
        "min_lr": 1e-5,
        "save_best_only": False,
    }
    mc, rlr, es = build_callbacks(settings, folder=tmp_path, write=False)
    assert [type(cb) for cb in (mc, rlr, es)] == [ModelCheckpoint, ReduceLROnPlateau, EarlyStopping]
    assert {cb.monitor for cb in (mc, rlr, es)} == {"val_accuracy"}
    assert mc.log is rlr.log is es.log  # one EventLog for the three
    assert mc.filepath == str(tmp_path / "{epoch:02d}-{val_accuracy:.2f}.keras")
    assert mc.save_best_only is False and mc.write is False
    assert (rlr.patience, rlr.factor, rlr.cooldown, rlr.min_lr) == (4, 0.5, 2, 1e-5)
    assert (es.patience, es.restore_best_weights, es.start_from_epoch, es.baseline) == (
        7,
        False,
        2,
        0.9,
    )
    assert rlr.arguments["min_delta"] == 0.001 and es.arguments["min_delta"] == 0.01


def test_build_callbacks_names_an_unknown_callback():
    with pytest.raises(ValueError, match="LearningRateScheduler"):
        build_callbacks({}, ["LearningRateScheduler"])


def test_a_control_of_a_callback_that_is_not_there_is_refused():
    assert check_controls(None, ["EarlyStopping"]) == tuple(
        k for k, owner in CONTROL_OWNERS.items() if owner in (None, "EarlyStopping")
    )
    with pytest.raises(ValueError, match="factor"):
        check_controls(["factor"], ["EarlyStopping"])


def test_a_recorded_run_is_replayed_through_callbacks_built_from_the_settings():
    runs = RunList(["overfit"], lang="en")
    shown, live = runs.view("overfit", {"es_patience": 3}, ("EarlyStopping",), name="overfit")
    assert live is False and shown.name == "overfit"
    direct = replay(
        recorded.load("overfit"), [EarlyStopping(patience=3, restore_best_weights=True)]
    )
    assert shown.stopped_epoch == direct.stopped_epoch
    assert shown.restored_epoch == direct.restored_epoch


def test_a_retrained_run_is_shown_live_only_with_its_own_settings():
    runs = RunList(["overfit"], lang="en")
    settings = {**DEFAULTS, "es_patience": 4}
    trained = recorded.load("plateau")
    key = runs.add_retrain(1, trained, settings, CALLBACKS, "en")
    assert key == "retrain-1" and trained.name == "retrain 1 (patience 4)"
    shown, live = runs.view(key, settings, CALLBACKS)
    assert live is True and shown is trained
    moved, live = runs.view(key, {**settings, "es_patience": 2}, CALLBACKS)
    assert live is False and moved is not trained
    assert runs.suggested(key, "loss") == "val_loss"


def test_labels_follow_the_language_and_monitors_the_history():
    runs = RunList(["overfit", "plateau"], lang="en")
    english = dict(runs.options("en"))
    korean = dict(runs.options("ko"))
    assert set(english.values()) == set(korean.values()) == {"overfit", "plateau"}
    assert english.keys() != korean.keys()
    assert runs.monitors("overfit")[:4] == ["val_loss", "val_accuracy", "loss", "accuracy"]


def test_an_unknown_recording_is_refused_in_the_learners_language():
    with pytest.raises(ValueError, match="overfit"):
        RunList(["overfitt"], lang="en")
    with pytest.raises(ValueError):
        RunList([], lang="en")


def test_a_pin_is_labelled_by_what_differs_from_the_usual():
    runs = RunList(["overfit"], lang="en")
    settings = {**DEFAULTS, "es_patience": 9}
    shown, _ = runs.view("overfit", settings, CALLBACKS)
    label = runs.pin("overfit", settings, shown, "en")
    assert label == "overfit · es_patience=9"
    assert runs.pinned[label].name == label
    assert runs.compare_run(label, DEFAULTS, CALLBACKS) is runs.pinned[label]
    assert runs.pin("overfit", dict(DEFAULTS), shown, "en") == "overfit · default settings"


def test_retrain_trains_as_the_run_was_trained_unless_a_model_is_given():
    runs = RunList(["overfit", "plateau"], lang="en")
    assert runs.training_setup("overfit") == {
        "model": "mlp",
        "learning_rate": 3e-3,
        "batch_size": 32,
    }
    assert runs.training_setup("plateau")["model"] == "cnn"
    mine = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten()], name="mine")
    assert runs.training_setup("overfit", mine)["model"] is mine


def test_labels_and_descriptions_name_the_settings():
    assert describe_settings({"factor": 0.30, "mode": "min"}, ["mode", "factor"]) == (
        "mode=min, factor=0.3"
    )
    assert retrain_label(2, DEFAULTS, ["ReduceLROnPlateau"])("en") == "retrain 2 (patience 3)"
    assert retrain_label(2, DEFAULTS, ["ModelCheckpoint"])("en") == "retrain 2"
