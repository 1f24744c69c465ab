"""train() returns a Run with everything a lesson plots and explains, reproducibly."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest

from cbteach import EarlyStopping, ReduceLROnPlateau, i18n
from cbteach.training import train


@pytest.fixture(scope="module")
def data(sample):
    return sample


def test_a_run_holds_history_events_lrs_times_device_data_and_config(data):
    callbacks = [ReduceLROnPlateau(patience=1, factor=0.5, min_delta=0), EarlyStopping(patience=5)]
    run = train(callbacks, data=data, model="mlp", epochs=3, seed=1)
    assert run.epochs == 3 and len(run.lrs) == 3 and len(run.epoch_times) == 3
    assert {"loss", "val_loss", "accuracy", "val_accuracy"} <= set(run.history)
    assert {e.callback for e in run.events} == {"ReduceLROnPlateau", "EarlyStopping"}
    assert run.device["backend"] and run.device["name"]
    assert run.data["source"] == "sample" and run.data["n_train"] == 4000
    described = run.callback_settings[0]
    assert described["class"] == "ReduceLROnPlateau" and described["factor"] == 0.5
    assert list(run.to_frame().columns)[-2:] == ["lr", "epoch_time_s"]


def test_the_same_seed_gives_the_same_run(data):
    first = train((), data=data, model="mlp", epochs=2, seed=3)
    second = train((), data=data, model="mlp", epochs=2, seed=3)
    assert first.history == second.history


def test_a_set_stop_flag_ends_training_after_the_current_epoch(data):
    flag = threading.Event()
    flag.set()
    run = train((), data=data, model="mlp", epochs=5, stop=flag)
    assert run.epochs == 1


@pytest.mark.parametrize(
    ("change", "shown"),
    [
        ({"y_train": lambda y: np.where(y == 3, 10, y)}, "10"),
        ({"y_val": lambda y: y - 1}, "-1"),
        ({"y_train": lambda y: np.eye(10)[y]}, "shape (4000, 10)"),
        ({"y_train": lambda y: y + 0.5}, ".5"),
        ({"y_train": lambda y: y.astype(str)}, "dtype <U"),
    ],
)
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_labels_outside_the_ten_digits_are_refused_before_training(data, change, shown, lang):
    i18n.set_language(lang)
    ((name, fix),) = change.items()
    broken = dataclasses.replace(data, **{name: fix(getattr(data, name))})
    with pytest.raises(ValueError, match=r"y_train = np.argmax\(y_train, axis=1\)") as caught:
        train((), data=broken, model="mlp", epochs=1)
    assert f"data.{name}" in str(caught.value) and shown in str(caught.value)
    assert ("레이블" in str(caught.value)) is (lang == "ko")
